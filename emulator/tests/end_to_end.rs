//! Every operation through the generated client against the emulator, with the modelled errors
//! the emulator produces, pagination, tags, and signatures that must verify.

use ivschat::operation::delete_logging_configuration::DeleteLoggingConfigurationError;
use ivschat::operation::get_room::GetRoomError;
use ivschat::types::{
    ChatTokenCapability, CloudWatchLogsDestinationConfiguration, DestinationConfiguration,
    FallbackResult, MessageReviewHandler, S3DestinationConfiguration,
};
use ivschat::{Client, Config, Credentials};
use ivschat_local::{Emulator, EmulatorHandle};
use ivschat_runtime::StreamExt;

fn client_for(emulator: &EmulatorHandle, credentials: Credentials) -> Client {
    let config = Config::builder()
        .region(emulator.region())
        .endpoint_url(emulator.url())
        .credentials(credentials)
        .max_attempts(1);
    Client::from_builder(config).unwrap()
}

async fn start() -> (EmulatorHandle, Client) {
    let emulator = Emulator::builder().start().await.unwrap();
    let client = client_for(&emulator, emulator.credentials());
    (emulator, client)
}

fn s3(bucket: &str) -> DestinationConfiguration {
    DestinationConfiguration::S3(
        S3DestinationConfiguration::builder()
            .bucket_name(bucket)
            .build()
            .unwrap(),
    )
}

#[tokio::test]
async fn rooms_from_creation_to_deletion() {
    let (_emulator, client) = start().await;
    let room = client
        .create_room()
        .name("lobby")
        .tags("team", "video")
        .send()
        .await
        .unwrap();
    let arn = room.arn().unwrap().to_owned();
    assert_eq!(room.maximum_message_length(), Some(500));
    assert_eq!(room.maximum_message_rate_per_second(), Some(10));
    assert_eq!(room.id().unwrap().len(), 12);
    let handler = MessageReviewHandler::builder()
        .uri("arn:aws:lambda:us-west-2:123456789012:function:review")
        .fallback_result(FallbackResult::Deny)
        .build();
    let updated = client
        .update_room()
        .identifier(&arn)
        .maximum_message_length(200)
        .message_review_handler(handler)
        .send()
        .await
        .unwrap();
    assert_eq!(updated.maximum_message_length(), Some(200));
    assert_eq!(
        updated.message_review_handler().unwrap().fallback_result(),
        Some(&FallbackResult::Deny)
    );
    let fetched = client.get_room().identifier(&arn).send().await.unwrap();
    assert_eq!(fetched.name(), Some("lobby"));
    assert_eq!(fetched.tags().unwrap()["team"], "video");
    client.delete_room().identifier(&arn).send().await.unwrap();
    let gone = client.get_room().identifier(&arn).send().await.unwrap_err();
    assert!(gone.is_resource_not_found_exception(), "{gone:?}");
    assert!(gone.request_id().is_some());
}

#[tokio::test]
async fn pagination_over_250_rooms() {
    let (emulator, client) = start().await;
    for index in 0..250 {
        client
            .create_room()
            .name(format!("room-{index}"))
            .send()
            .await
            .unwrap();
    }
    assert_eq!(emulator.room_count(), 250);
    let pages: Vec<_> = client
        .list_rooms()
        .into_paginator()
        .page_size(50)
        .send()
        .collect()
        .await;
    assert_eq!(pages.len(), 5);
    let items: Vec<_> = client.list_rooms().into_paginator().items().collect().await;
    assert_eq!(items.len(), 250);
    assert!(items.iter().all(Result::is_ok));
    let filtered = client.list_rooms().name("room-7").send().await.unwrap();
    assert_eq!(filtered.rooms().len(), 1);
}

#[tokio::test]
async fn logging_configurations_and_their_conflicts() {
    let (_emulator, client) = start().await;
    let created = client
        .create_logging_configuration()
        .name("logs")
        .destination_configuration(s3("chat-logs"))
        .send()
        .await
        .unwrap();
    let arn = created.arn().unwrap().to_owned();
    assert_eq!(created.state().unwrap().as_str(), "ACTIVE");
    let cloud_watch = CloudWatchLogsDestinationConfiguration::builder()
        .log_group_name("/chat")
        .build()
        .unwrap();
    let updated = client
        .update_logging_configuration()
        .identifier(&arn)
        .destination_configuration(DestinationConfiguration::CloudWatchLogs(cloud_watch))
        .send()
        .await
        .unwrap();
    assert!(updated
        .destination_configuration()
        .unwrap()
        .is_cloud_watch_logs());
    let fetched = client
        .get_logging_configuration()
        .identifier(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(fetched.name(), Some("logs"));
    let listed = client.list_logging_configurations().send().await.unwrap();
    assert_eq!(listed.logging_configurations().len(), 1);
    let room = client
        .create_room()
        .logging_configuration_identifiers(&arn)
        .send()
        .await
        .unwrap();
    let error = client
        .delete_logging_configuration()
        .identifier(&arn)
        .send()
        .await
        .unwrap_err();
    let DeleteLoggingConfigurationError::ConflictException(conflict) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(conflict.resource_id(), arn);
    client
        .update_room()
        .identifier(room.arn().unwrap())
        .set_logging_configuration_identifiers(Some(vec![]))
        .send()
        .await
        .unwrap();
    client
        .delete_logging_configuration()
        .identifier(&arn)
        .send()
        .await
        .unwrap();
    let missing = client
        .create_room()
        .logging_configuration_identifiers(&arn)
        .send()
        .await
        .unwrap_err();
    assert!(missing.is_resource_not_found_exception(), "{missing:?}");
}

#[tokio::test]
async fn chat_operations() {
    let (_emulator, client) = start().await;
    let room = client.create_room().send().await.unwrap();
    let arn = room.arn().unwrap();
    let token = client
        .create_chat_token()
        .room_identifier(arn)
        .user_id("viewer-1")
        .capabilities(ChatTokenCapability::SendMessage)
        .session_duration_in_minutes(30)
        .attributes("display", "Viewer")
        .send()
        .await
        .unwrap();
    let session_end = token.session_expiration_time().unwrap().secs();
    let token_end = token.token_expiration_time().unwrap().secs();
    assert_eq!(
        session_end, token_end,
        "a 30-minute session ends with its token"
    );
    assert!(token.token().unwrap().len() >= 32);
    let event = client
        .send_event()
        .room_identifier(arn)
        .event_name("app:poll")
        .send()
        .await
        .unwrap();
    assert_eq!(event.id().unwrap().len(), 12);
    let deleted = client
        .delete_message()
        .room_identifier(arn)
        .id("abcdABCD1234")
        .reason("spam")
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.id().unwrap().len(), 12);
    client
        .disconnect_user()
        .room_identifier(arn)
        .user_id("viewer-1")
        .reason("rude")
        .send()
        .await
        .unwrap();
    let missing = client
        .send_event()
        .room_identifier(format!("{arn}x"))
        .event_name("e")
        .send()
        .await
        .unwrap_err();
    assert!(missing.is_resource_not_found_exception(), "{missing:?}");
}

#[tokio::test]
async fn tags_round_trip_with_an_encoded_arn() {
    let (_emulator, client) = start().await;
    let room = client.create_room().send().await.unwrap();
    let arn = room.arn().unwrap();
    client
        .tag_resource()
        .resource_arn(arn)
        .tags("team", "video")
        .tags("cost center", "42")
        .tags("env", "test")
        .send()
        .await
        .unwrap();
    client
        .untag_resource()
        .resource_arn(arn)
        .tag_keys("cost center")
        .tag_keys("env")
        .send()
        .await
        .unwrap();
    let tags = client
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .unwrap();
    assert_eq!(tags.tags().len(), 1);
    assert_eq!(tags.tags()["team"], "video");
    let unknown = client
        .list_tags_for_resource()
        .resource_arn(format!("{arn}0"))
        .send()
        .await
        .unwrap_err();
    assert!(unknown.is_resource_not_found_exception(), "{unknown:?}");
}

#[tokio::test]
async fn validation_and_quota_errors() {
    let emulator = Emulator::builder()
        .room_quota(1)
        .logging_quota(1)
        .start()
        .await
        .unwrap();
    let client = client_for(&emulator, emulator.credentials());
    client.create_room().send().await.unwrap();
    let quota = client.create_room().send().await.unwrap_err();
    let ivschat::operation::create_room::CreateRoomError::ServiceQuotaExceededException(error) =
        &quota
    else {
        panic!("{quota:?}")
    };
    assert_eq!(error.limit(), 1);
    client
        .create_logging_configuration()
        .destination_configuration(s3("bucket-one"))
        .send()
        .await
        .unwrap();
    let quota = client
        .create_logging_configuration()
        .destination_configuration(s3("bucket-two"))
        .send()
        .await
        .unwrap_err();
    assert!(quota.is_service_quota_exceeded_exception(), "{quota:?}");
    // Skipping the client-side checks shows the emulator's own validation.
    let unchecked = Client::from_builder(
        Config::builder()
            .region(emulator.region())
            .endpoint_url(emulator.url())
            .credentials(emulator.credentials())
            .skip_constraint_checks(),
    )
    .unwrap();
    let invalid = unchecked
        .get_room()
        .identifier("not-an-arn")
        .send()
        .await
        .unwrap_err();
    let GetRoomError::ValidationException(validation) = &invalid else {
        panic!("{invalid:?}")
    };
    assert_eq!(validation.field_list().unwrap()[0].name(), "identifier");
}

#[tokio::test]
async fn requests_that_are_not_signed_right_are_refused() {
    let (emulator, _client) = start().await;
    let wrong_secret = client_for(
        &emulator,
        Credentials::new(emulator.credentials().access_key_id(), "wrong", None, None),
    );
    let error = wrong_secret.list_rooms().send().await.unwrap_err();
    assert_eq!(error.code(), Some("InvalidSignatureException"), "{error:?}");
    let unknown_key = client_for(
        &emulator,
        Credentials::new("AKIDUNKNOWN", "secret", None, None),
    );
    let error = unknown_key.list_rooms().send().await.unwrap_err();
    assert_eq!(
        error.code(),
        Some("UnrecognizedClientException"),
        "{error:?}"
    );
    let wrong_region = Client::from_builder(
        Config::builder()
            .region("eu-west-1")
            .endpoint_url(emulator.url())
            .credentials(emulator.credentials()),
    )
    .unwrap();
    let error = wrong_region.list_rooms().send().await.unwrap_err();
    assert_eq!(error.code(), Some("InvalidSignatureException"), "{error:?}");
    let anonymous = Client::from_builder(
        Config::builder()
            .region("us-west-2")
            .endpoint_url(emulator.url())
            .anonymous(),
    )
    .unwrap();
    let error = anonymous.list_rooms().send().await.unwrap_err();
    assert_eq!(
        error.code(),
        Some("MissingAuthenticationTokenException"),
        "{error:?}"
    );
    let open = Emulator::builder().anonymous(true).start().await.unwrap();
    let anonymous = Client::from_builder(
        Config::builder()
            .region("us-west-2")
            .endpoint_url(open.url())
            .anonymous(),
    )
    .unwrap();
    anonymous.list_rooms().send().await.unwrap();
}

/// A transport that changes the body after the request was signed.
#[derive(Debug)]
struct Tamper(ivschat_runtime::transport::HyperClient);

impl ivschat_runtime::transport::HttpClient for Tamper {
    fn send(
        &self,
        request: ivschat_runtime::transport::HttpRequest,
    ) -> ivschat_runtime::credentials::BoxFuture<
        '_,
        Result<ivschat_runtime::transport::HttpResponse, ivschat_runtime::transport::HttpError>,
    > {
        let (parts, body) = request.into_parts();
        let tampered = String::from_utf8_lossy(&body).replace("lobby", "lobbx");
        self.0.send(ivschat_runtime::http::Request::from_parts(
            parts,
            tampered.into(),
        ))
    }
}

#[tokio::test]
async fn a_tampered_request_is_rejected() {
    let emulator = Emulator::builder().start().await.unwrap();
    let config = Config::builder()
        .region(emulator.region())
        .endpoint_url(emulator.url())
        .credentials(emulator.credentials())
        .http_client(std::sync::Arc::new(Tamper(Default::default())));
    let client = Client::from_builder(config).unwrap();
    let error = client.create_room().name("lobby").send().await.unwrap_err();
    assert_eq!(error.code(), Some("InvalidSignatureException"), "{error:?}");
    assert_eq!(emulator.room_count(), 0);
}
