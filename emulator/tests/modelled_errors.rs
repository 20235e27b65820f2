//! Every modelled error the emulator can produce, for every operation: the account errors by
//! fault injection, validation and missing resources from the requests themselves. Each must
//! reach the caller as the operation's typed variant.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use ivschat::types::{DestinationConfiguration, S3DestinationConfiguration};
use ivschat::{Client, Config};
use ivschat_local::{Emulator, EmulatorHandle, Fault};

const UNKNOWN_ROOM: &str = "arn:aws:ivschat:us-west-2:123456789012:room/unknown00000";
const UNKNOWN_LOGGING: &str =
    "arn:aws:ivschat:us-west-2:123456789012:logging-configuration/unknown00000";

/// An operation's error as seen by the test: its code, and whether it is a typed variant.
type Outcome = Result<(), (Option<String>, bool)>;
type Call = fn(Client, &'static str, &'static str) -> Pin<Box<dyn Future<Output = Outcome> + Send>>;

fn outcome<E: std::fmt::Debug + HasCode>(result: Result<impl Sized, E>) -> Outcome {
    result.map(|_| ()).map_err(|error| {
        let typed = !format!("{error:?}").starts_with("Unhandled")
            && !format!("{error:?}").starts_with("Sdk");
        (error.error_code().map(str::to_owned), typed)
    })
}

trait HasCode {
    fn error_code(&self) -> Option<&str>;
}

macro_rules! has_code {
    ($($error:path),*) => { $(impl HasCode for $error { fn error_code(&self) -> Option<&str> { self.code() } })* };
}

has_code!(
    ivschat::operation::create_chat_token::CreateChatTokenError,
    ivschat::operation::create_logging_configuration::CreateLoggingConfigurationError,
    ivschat::operation::create_room::CreateRoomError,
    ivschat::operation::delete_logging_configuration::DeleteLoggingConfigurationError,
    ivschat::operation::delete_message::DeleteMessageError,
    ivschat::operation::delete_room::DeleteRoomError,
    ivschat::operation::disconnect_user::DisconnectUserError,
    ivschat::operation::get_logging_configuration::GetLoggingConfigurationError,
    ivschat::operation::get_room::GetRoomError,
    ivschat::operation::list_logging_configurations::ListLoggingConfigurationsError,
    ivschat::operation::list_rooms::ListRoomsError,
    ivschat::operation::list_tags_for_resource::ListTagsForResourceError,
    ivschat::operation::send_event::SendEventError,
    ivschat::operation::tag_resource::TagResourceError,
    ivschat::operation::untag_resource::UntagResourceError,
    ivschat::operation::update_logging_configuration::UpdateLoggingConfigurationError,
    ivschat::operation::update_room::UpdateRoomError
);

fn s3() -> DestinationConfiguration {
    DestinationConfiguration::S3(
        S3DestinationConfiguration::builder()
            .bucket_name("logs-bucket")
            .build()
            .unwrap(),
    )
}

/// Each operation, called with a room and a logging configuration (ARNs that may be unknown
/// or invalid), and the modelled errors it has.
fn operations() -> Vec<(&'static str, Call, &'static [&'static str])> {
    vec![
        (
            "CreateChatToken",
            |c, room, _| {
                Box::pin(async move {
                    outcome(
                        c.create_chat_token()
                            .room_identifier(room)
                            .user_id("u")
                            .send()
                            .await,
                    )
                })
            },
            &[
                "AccessDeniedException",
                "PendingVerification",
                "ResourceNotFoundException",
                "ValidationException",
            ],
        ),
        (
            "CreateLoggingConfiguration",
            |c, _, logging| {
                Box::pin(async move {
                    let name = if logging.contains("unknown") {
                        "ok"
                    } else {
                        "bad name!"
                    };
                    outcome(
                        c.create_logging_configuration()
                            .name(name)
                            .destination_configuration(s3())
                            .send()
                            .await,
                    )
                })
            },
            &[
                "AccessDeniedException",
                "PendingVerification",
                "ValidationException",
            ],
        ),
        (
            "CreateRoom",
            |c, _, logging| {
                Box::pin(async move {
                    outcome(
                        c.create_room()
                            .logging_configuration_identifiers(logging)
                            .send()
                            .await,
                    )
                })
            },
            &[
                "AccessDeniedException",
                "PendingVerification",
                "ResourceNotFoundException",
                "ValidationException",
            ],
        ),
        (
            "DeleteLoggingConfiguration",
            |c, _, logging| {
                Box::pin(async move {
                    outcome(
                        c.delete_logging_configuration()
                            .identifier(logging)
                            .send()
                            .await,
                    )
                })
            },
            &[
                "AccessDeniedException",
                "PendingVerification",
                "ResourceNotFoundException",
                "ValidationException",
            ],
        ),
        (
            "DeleteMessage",
            |c, room, _| {
                Box::pin(async move {
                    outcome(
                        c.delete_message()
                            .room_identifier(room)
                            .id("abcdABCD1234")
                            .send()
                            .await,
                    )
                })
            },
            &[
                "AccessDeniedException",
                "PendingVerification",
                "ResourceNotFoundException",
                "ThrottlingException",
                "ValidationException",
            ],
        ),
        (
            "DeleteRoom",
            |c, room, _| {
                Box::pin(async move { outcome(c.delete_room().identifier(room).send().await) })
            },
            &[
                "AccessDeniedException",
                "PendingVerification",
                "ResourceNotFoundException",
                "ValidationException",
            ],
        ),
        (
            "DisconnectUser",
            |c, room, _| {
                Box::pin(async move {
                    outcome(
                        c.disconnect_user()
                            .room_identifier(room)
                            .user_id("u")
                            .send()
                            .await,
                    )
                })
            },
            &[
                "AccessDeniedException",
                "PendingVerification",
                "ResourceNotFoundException",
                "ThrottlingException",
                "ValidationException",
            ],
        ),
        (
            "GetLoggingConfiguration",
            |c, _, logging| {
                Box::pin(async move {
                    outcome(
                        c.get_logging_configuration()
                            .identifier(logging)
                            .send()
                            .await,
                    )
                })
            },
            &[
                "AccessDeniedException",
                "ResourceNotFoundException",
                "ValidationException",
            ],
        ),
        (
            "GetRoom",
            |c, room, _| {
                Box::pin(async move { outcome(c.get_room().identifier(room).send().await) })
            },
            &[
                "AccessDeniedException",
                "ResourceNotFoundException",
                "ValidationException",
            ],
        ),
        (
            "ListLoggingConfigurations",
            |c, _, logging| {
                Box::pin(async move {
                    let token = if logging.contains("unknown") {
                        "page-0"
                    } else {
                        "forged"
                    };
                    outcome(
                        c.list_logging_configurations()
                            .next_token(token)
                            .send()
                            .await,
                    )
                })
            },
            &["AccessDeniedException", "ValidationException"],
        ),
        (
            "ListRooms",
            |c, _, logging| {
                Box::pin(async move {
                    outcome(
                        c.list_rooms()
                            .logging_configuration_identifier(logging)
                            .send()
                            .await,
                    )
                })
            },
            &[
                "AccessDeniedException",
                "ResourceNotFoundException",
                "ValidationException",
            ],
        ),
        (
            "ListTagsForResource",
            |c, room, _| {
                Box::pin(async move {
                    outcome(c.list_tags_for_resource().resource_arn(room).send().await)
                })
            },
            &[
                "InternalServerException",
                "ResourceNotFoundException",
                "ValidationException",
            ],
        ),
        (
            "SendEvent",
            |c, room, _| {
                Box::pin(async move {
                    outcome(
                        c.send_event()
                            .room_identifier(room)
                            .event_name("e")
                            .send()
                            .await,
                    )
                })
            },
            &[
                "AccessDeniedException",
                "PendingVerification",
                "ResourceNotFoundException",
                "ThrottlingException",
                "ValidationException",
            ],
        ),
        (
            "TagResource",
            |c, room, _| {
                Box::pin(async move {
                    outcome(
                        c.tag_resource()
                            .resource_arn(room)
                            .tags("k", "v")
                            .send()
                            .await,
                    )
                })
            },
            &[
                "InternalServerException",
                "ResourceNotFoundException",
                "ValidationException",
            ],
        ),
        (
            "UntagResource",
            |c, room, _| {
                Box::pin(async move {
                    outcome(
                        c.untag_resource()
                            .resource_arn(room)
                            .tag_keys("k")
                            .send()
                            .await,
                    )
                })
            },
            &[
                "InternalServerException",
                "ResourceNotFoundException",
                "ValidationException",
            ],
        ),
        (
            "UpdateLoggingConfiguration",
            |c, _, logging| {
                Box::pin(async move {
                    outcome(
                        c.update_logging_configuration()
                            .identifier(logging)
                            .send()
                            .await,
                    )
                })
            },
            &[
                "AccessDeniedException",
                "PendingVerification",
                "ResourceNotFoundException",
                "ValidationException",
            ],
        ),
        (
            "UpdateRoom",
            |c, room, _| {
                Box::pin(async move { outcome(c.update_room().identifier(room).send().await) })
            },
            &[
                "AccessDeniedException",
                "PendingVerification",
                "ResourceNotFoundException",
                "ValidationException",
            ],
        ),
    ]
}

fn client(emulator: &EmulatorHandle) -> Client {
    let config = Config::builder()
        .region(emulator.region())
        .endpoint_url(emulator.url())
        .credentials(emulator.credentials())
        .initial_backoff(Duration::from_millis(1))
        .max_attempts(1)
        .skip_constraint_checks();
    Client::from_builder(config).unwrap()
}

#[tokio::test]
async fn every_operation_gets_its_modelled_errors_typed() {
    let emulator = Emulator::builder().start().await.unwrap();
    let mut checked = 0;
    for (name, call, errors) in operations() {
        for &expected in errors {
            let fault = match expected {
                "AccessDeniedException" => Some(Fault::AccessDenied),
                "PendingVerification" => Some(Fault::PendingVerification),
                "ThrottlingException" => Some(Fault::Throttle),
                "InternalServerException" => Some(Fault::InternalError),
                _ => None,
            };
            let (room, logging) = match expected {
                "ValidationException" => ("bad-arn", "bad-arn"),
                _ => (UNKNOWN_ROOM, UNKNOWN_LOGGING),
            };
            if let Some(fault) = fault {
                emulator.inject(fault, 1);
            }
            let error = call(client(&emulator), room, logging)
                .await
                .expect_err(name);
            assert_eq!(
                error,
                (Some(expected.to_owned()), true),
                "{name}: expected a typed {expected}"
            );
            checked += 1;
        }
    }
    // Conflict and quota errors have their own scenarios in end_to_end.rs; the models of
    // CreateLoggingConfiguration and ListLoggingConfigurations list errors the emulator
    // cannot produce without a fault (ResourceNotFound, Conflict), which are left out above.
    assert_eq!(checked, 62);
}
