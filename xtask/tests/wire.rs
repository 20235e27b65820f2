//! Wire tests of the generated client against a recording loopback server: for every
//! operation, the request (method, path, query, headers, signature shape, JSON body) and the
//! parsing of canned answers, and every error shape of the model.

mod support;

use ivschat::operation::get_room::GetRoomError;
use ivschat::types::{
    ChatTokenCapability, DestinationConfiguration, FallbackResult, LoggingConfigurationState,
    MessageReviewHandler, ResourceType, S3DestinationConfiguration, ValidationExceptionReason,
};
use ivschat::{Client, Config, Credentials};
use ivschat_runtime::StreamExt;
use serde_json::json;
use support::{Canned, Recorded, RecordingServer};

const ROOM: &str = "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCD1234";
const LOGGING: &str = "arn:aws:ivschat:us-west-2:123456789012:logging-configuration/abcdABCD1234";

fn ok(body: serde_json::Value) -> Canned {
    Canned {
        status: 200,
        headers: vec![("x-amzn-requestid", "req-ok")],
        body: body.to_string(),
    }
}

fn no_content() -> Canned {
    Canned {
        status: 204,
        headers: vec![("x-amzn-requestid", "req-204")],
        body: String::new(),
    }
}

async fn serve(responses: Vec<Canned>) -> (Client, RecordingServer) {
    let server = RecordingServer::start(responses).await;
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
        ))
        .endpoint_url(server.url.clone())
        .max_attempts(1);
    (Client::from_builder(config).unwrap(), server)
}

/// Method, target, host, date, signature shape and content type of the only request.
fn only_request(server: &RecordingServer, method: &str, target: &str, has_body: bool) -> Recorded {
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "one request");
    let request = requests.into_iter().next().unwrap();
    assert_eq!(request.method, method);
    assert_eq!(request.target, target);
    assert_eq!(
        request.header("host"),
        Some(server.url.trim_start_matches("http://"))
    );
    let date = request.header("x-amz-date").expect("x-amz-date");
    assert!(
        date.len() == 16 && date.ends_with('Z') && date.as_bytes()[8] == b'T',
        "{date}"
    );
    let authorization = request.header("authorization").expect("authorization");
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
        "{authorization}"
    );
    assert!(
        authorization.contains("/us-west-2/ivschat/aws4_request, SignedHeaders="),
        "{authorization}"
    );
    let signature = authorization.rsplit("Signature=").next().unwrap();
    assert!(
        signature.len() == 64 && signature.bytes().all(|b| b.is_ascii_hexdigit()),
        "{authorization}"
    );
    let expected_type = has_body.then_some("application/json");
    assert_eq!(request.header("content-type"), expected_type);
    request
}

fn room_json() -> serde_json::Value {
    json!({
        "arn": ROOM, "id": "abcdABCD1234", "name": "lobby",
        "createTime": "2024-01-02T03:04:05Z", "updateTime": "2024-01-02T03:04:05.5Z",
        "maximumMessageRatePerSecond": 10, "maximumMessageLength": 500,
        "messageReviewHandler": {"uri": "arn:aws:lambda:us-west-2:123456789012:function:review", "fallbackResult": "ALLOW"},
        "tags": {"team": "video"}, "loggingConfigurationIdentifiers": [LOGGING],
        "someFutureField": {"ignored": true}
    })
}

fn logging_json(destination: serde_json::Value, state: &str) -> serde_json::Value {
    json!({
        "arn": LOGGING, "id": "abcdABCD1234", "name": "logs", "createTime": "2024-01-02T03:04:05Z",
        "destinationConfiguration": destination, "state": state, "tags": {}
    })
}

#[tokio::test]
async fn create_chat_token() {
    let (client, server) = serve(vec![ok(json!({
        "token": "secret-token", "tokenExpirationTime": "2024-01-02T03:04:05Z", "sessionExpirationTime": "2024-01-02T04:04:05Z"
    }))])
    .await;
    let output = client
        .create_chat_token()
        .room_identifier(ROOM)
        .user_id("viewer-1")
        .capabilities(ChatTokenCapability::SendMessage)
        .capabilities(ChatTokenCapability::DeleteMessage)
        .session_duration_in_minutes(30)
        .attributes("display", "Viewer")
        .send()
        .await
        .unwrap();
    let request = only_request(&server, "POST", "/CreateChatToken", true);
    assert_eq!(
        request.json(),
        json!({"roomIdentifier": ROOM, "userId": "viewer-1", "capabilities": ["SEND_MESSAGE", "DELETE_MESSAGE"],
               "sessionDurationInMinutes": 30, "attributes": {"display": "Viewer"}})
    );
    assert_eq!(output.token(), Some("secret-token"));
    assert_eq!(
        output.token_expiration_time().unwrap().secs(),
        1_704_164_645
    );
    assert!(!format!("{output:?}").contains("secret-token"));
}

#[tokio::test]
async fn create_logging_configuration_sends_a_union() {
    let (client, server) = serve(vec![ok(logging_json(
        json!({"s3": {"bucketName": "chat-logs"}}),
        "ACTIVE",
    ))])
    .await;
    let s3 = S3DestinationConfiguration::builder()
        .bucket_name("chat-logs")
        .build()
        .unwrap();
    let output = client
        .create_logging_configuration()
        .destination_configuration(DestinationConfiguration::S3(s3))
        .name("logs")
        .tags("team", "video")
        .send()
        .await
        .unwrap();
    let request = only_request(&server, "POST", "/CreateLoggingConfiguration", true);
    assert_eq!(
        request.json(),
        json!({"destinationConfiguration": {"s3": {"bucketName": "chat-logs"}}, "name": "logs", "tags": {"team": "video"}})
    );
    let destination = output.destination_configuration().unwrap();
    assert_eq!(
        destination.as_s3().unwrap().bucket_name(),
        Some("chat-logs")
    );
    assert_eq!(output.state().unwrap().as_str(), "ACTIVE");
}

#[tokio::test]
async fn create_room() {
    let (client, server) = serve(vec![ok(room_json())]).await;
    let handler = MessageReviewHandler::builder()
        .uri("arn:aws:lambda:us-west-2:123456789012:function:review")
        .fallback_result(FallbackResult::Deny)
        .build();
    let output = client
        .create_room()
        .name("lobby")
        .maximum_message_rate_per_second(10)
        .maximum_message_length(500)
        .message_review_handler(handler)
        .tags("team", "video")
        .logging_configuration_identifiers(LOGGING)
        .send()
        .await
        .unwrap();
    let request = only_request(&server, "POST", "/CreateRoom", true);
    assert_eq!(
        request.json(),
        json!({"name": "lobby", "maximumMessageRatePerSecond": 10, "maximumMessageLength": 500,
               "messageReviewHandler": {"uri": "arn:aws:lambda:us-west-2:123456789012:function:review", "fallbackResult": "DENY"},
               "tags": {"team": "video"}, "loggingConfigurationIdentifiers": [LOGGING]})
    );
    assert_eq!(output.arn(), Some(ROOM));
    assert_eq!(output.maximum_message_length(), Some(500));
    assert_eq!(output.create_time().unwrap().secs(), 1_704_164_645);
    assert_eq!(output.update_time().unwrap().subsec_nanos(), 500_000_000);
    assert_eq!(
        output.message_review_handler().unwrap().fallback_result(),
        Some(&FallbackResult::Allow)
    );
    assert_eq!(output.tags().unwrap()["team"], "video");
    assert_eq!(
        output.logging_configuration_identifiers().unwrap(),
        [LOGGING]
    );
}

#[tokio::test]
async fn delete_logging_configuration_and_delete_room_take_204() {
    let (client, server) = serve(vec![no_content()]).await;
    client
        .delete_logging_configuration()
        .identifier(LOGGING)
        .send()
        .await
        .unwrap();
    let request = only_request(&server, "POST", "/DeleteLoggingConfiguration", true);
    assert_eq!(request.json(), json!({"identifier": LOGGING}));
    let (client, server) = serve(vec![no_content()]).await;
    client.delete_room().identifier(ROOM).send().await.unwrap();
    assert_eq!(
        only_request(&server, "POST", "/DeleteRoom", true).json(),
        json!({"identifier": ROOM})
    );
}

#[tokio::test]
async fn delete_message() {
    let (client, server) = serve(vec![ok(json!({"id": "msgABCD12345"}))]).await;
    let output = client
        .delete_message()
        .room_identifier(ROOM)
        .id("msgABCD12345")
        .reason("spam")
        .send()
        .await
        .unwrap();
    let request = only_request(&server, "POST", "/DeleteMessage", true);
    assert_eq!(
        request.json(),
        json!({"roomIdentifier": ROOM, "id": "msgABCD12345", "reason": "spam"})
    );
    assert_eq!(output.id(), Some("msgABCD12345"));
}

#[tokio::test]
async fn disconnect_user() {
    let (client, server) = serve(vec![ok(json!({}))]).await;
    client
        .disconnect_user()
        .room_identifier(ROOM)
        .user_id("viewer-1")
        .reason("rude")
        .send()
        .await
        .unwrap();
    let request = only_request(&server, "POST", "/DisconnectUser", true);
    assert_eq!(
        request.json(),
        json!({"roomIdentifier": ROOM, "userId": "viewer-1", "reason": "rude"})
    );
}

#[tokio::test]
async fn get_logging_configuration_keeps_unknown_union_members() {
    let (client, server) = serve(vec![ok(logging_json(
        json!({"kinesisVideo": {"stream": "x"}}),
        "UPDATE_FAILED",
    ))])
    .await;
    let output = client
        .get_logging_configuration()
        .identifier(LOGGING)
        .send()
        .await
        .unwrap();
    assert_eq!(
        only_request(&server, "POST", "/GetLoggingConfiguration", true).json(),
        json!({"identifier": LOGGING})
    );
    match output.destination_configuration().unwrap() {
        DestinationConfiguration::Unknown { name, value, .. } => {
            assert_eq!(name, "kinesisVideo");
            assert_eq!(value.as_object().unwrap()["stream"].as_str(), Some("x"));
        }
        other => panic!("expected an unknown member, got {other:?}"),
    }
    assert_eq!(
        output.state(),
        Some(&LoggingConfigurationState::UpdateFailed)
    );
}

#[tokio::test]
async fn get_room_keeps_unknown_enum_values() {
    let mut room = room_json();
    room["messageReviewHandler"]["fallbackResult"] = json!("ESCALATE");
    let (client, server) = serve(vec![ok(room)]).await;
    let output = client.get_room().identifier(ROOM).send().await.unwrap();
    assert_eq!(
        only_request(&server, "POST", "/GetRoom", true).json(),
        json!({"identifier": ROOM})
    );
    assert_eq!(
        output
            .message_review_handler()
            .unwrap()
            .fallback_result()
            .unwrap()
            .as_str(),
        "ESCALATE"
    );
}

#[tokio::test]
async fn list_logging_configurations_pages_through_items() {
    let page = |state: &str, next: Option<&str>| {
        let mut body = json!({"loggingConfigurations": [logging_json(json!({"firehose": {"deliveryStreamName": "s"}}), state)]});
        if let Some(next) = next {
            body["nextToken"] = json!(next);
        }
        ok(body)
    };
    let (client, server) = serve(vec![page("ACTIVE", Some("t1")), page("CREATING", None)]).await;
    let items: Vec<_> = client
        .list_logging_configurations()
        .into_paginator()
        .page_size(1)
        .items()
        .collect()
        .await;
    let states: Vec<String> = items
        .into_iter()
        .map(|item| item.unwrap().state().unwrap().to_string())
        .collect();
    assert_eq!(states, ["ACTIVE", "CREATING"]);
    let requests = server.requests();
    assert_eq!(requests[0].json(), json!({"maxResults": 1}));
    assert_eq!(
        requests[1].json(),
        json!({"maxResults": 1, "nextToken": "t1"})
    );
}

#[tokio::test]
async fn list_rooms_stops_on_a_repeated_token() {
    let page = |next: &str| ok(json!({"rooms": [room_json()], "nextToken": next}));
    let (client, server) = serve(vec![page("same"), page("same")]).await;
    let pages: Vec<_> = client
        .list_rooms()
        .name("lobby")
        .message_review_handler_uri("arn:aws:lambda:us-west-2:123456789012:function:review")
        .logging_configuration_identifier(LOGGING)
        .into_paginator()
        .send()
        .collect()
        .await;
    assert_eq!(pages.len(), 2, "the repeated token ends the stream");
    assert_eq!(pages[0].as_ref().unwrap().rooms()[0].name(), Some("lobby"));
    let requests = server.requests();
    assert_eq!(
        requests[0].json(),
        json!({"name": "lobby", "messageReviewHandlerUri": "arn:aws:lambda:us-west-2:123456789012:function:review",
               "loggingConfigurationIdentifier": LOGGING})
    );
    assert_eq!(requests[1].json()["nextToken"], "same");
}

#[tokio::test]
async fn list_tags_for_resource_is_a_get_with_a_label() {
    let (client, server) = serve(vec![ok(json!({"tags": {"team": "video"}}))]).await;
    let output = client
        .list_tags_for_resource()
        .resource_arn(ROOM)
        .send()
        .await
        .unwrap();
    let request = only_request(
        &server,
        "GET",
        "/tags/arn%3Aaws%3Aivschat%3Aus-west-2%3A123456789012%3Aroom%2FabcdABCD1234",
        false,
    );
    assert!(request.body.is_empty());
    assert_eq!(output.tags()["team"], "video");
}

#[tokio::test]
async fn send_event() {
    let (client, server) = serve(vec![ok(json!({"id": "evtABCD12345"}))]).await;
    let output = client
        .send_event()
        .room_identifier(ROOM)
        .event_name("app:poll")
        .attributes("question", "yes?")
        .send()
        .await
        .unwrap();
    let request = only_request(&server, "POST", "/SendEvent", true);
    assert_eq!(
        request.json(),
        json!({"roomIdentifier": ROOM, "eventName": "app:poll", "attributes": {"question": "yes?"}})
    );
    assert_eq!(output.id(), Some("evtABCD12345"));
}

#[tokio::test]
async fn tag_resource() {
    let (client, server) = serve(vec![ok(json!({}))]).await;
    client
        .tag_resource()
        .resource_arn(ROOM)
        .tags("team", "video")
        .send()
        .await
        .unwrap();
    let request = only_request(
        &server,
        "POST",
        "/tags/arn%3Aaws%3Aivschat%3Aus-west-2%3A123456789012%3Aroom%2FabcdABCD1234",
        true,
    );
    assert_eq!(request.json(), json!({"tags": {"team": "video"}}));
}

#[tokio::test]
async fn untag_resource_repeats_the_query_key() {
    let (client, server) = serve(vec![ok(json!({}))]).await;
    client
        .untag_resource()
        .resource_arn(ROOM)
        .tag_keys("team")
        .tag_keys("cost center")
        .send()
        .await
        .unwrap();
    let request = only_request(
        &server,
        "DELETE",
        "/tags/arn%3Aaws%3Aivschat%3Aus-west-2%3A123456789012%3Aroom%2FabcdABCD1234?tagKeys=team&tagKeys=cost%20center",
        false,
    );
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn update_logging_configuration() {
    let (client, server) = serve(vec![ok(logging_json(
        json!({"cloudWatchLogs": {"logGroupName": "/chat"}}),
        "ACTIVE",
    ))])
    .await;
    let output = client
        .update_logging_configuration()
        .identifier(LOGGING)
        .name("renamed")
        .send()
        .await
        .unwrap();
    let request = only_request(&server, "POST", "/UpdateLoggingConfiguration", true);
    assert_eq!(
        request.json(),
        json!({"identifier": LOGGING, "name": "renamed"})
    );
    let destination = output.destination_configuration().unwrap();
    assert_eq!(
        destination.as_cloud_watch_logs().unwrap().log_group_name(),
        Some("/chat")
    );
}

#[tokio::test]
async fn update_room() {
    let (client, server) = serve(vec![ok(room_json())]).await;
    let output = client
        .update_room()
        .identifier(ROOM)
        .maximum_message_length(200)
        .send()
        .await
        .unwrap();
    let request = only_request(&server, "POST", "/UpdateRoom", true);
    assert_eq!(
        request.json(),
        json!({"identifier": ROOM, "maximumMessageLength": 200})
    );
    assert_eq!(output.id(), Some("abcdABCD1234"));
}

/// A client whose only answer is an error with this status, `X-Amzn-ErrorType` (when given)
/// and body.
async fn failing(
    status: u16,
    code: Option<&'static str>,
    body: serde_json::Value,
) -> (Client, RecordingServer) {
    let mut headers = vec![("x-amzn-requestid", "req-err")];
    if let Some(code) = code {
        headers.push(("x-amzn-errortype", code));
    }
    serve(vec![Canned {
        status,
        headers,
        body: body.to_string(),
    }])
    .await
}

/// Sends GetRoom against one canned error.
async fn get_room_error(
    status: u16,
    code: Option<&'static str>,
    body: serde_json::Value,
) -> GetRoomError {
    let (client, _server) = failing(status, code, body).await;
    client.get_room().identifier(ROOM).send().await.unwrap_err()
}

#[tokio::test]
async fn every_modelled_error_is_parsed() {
    let in_use = json!({"message": "in use", "resourceId": "abc", "resourceType": "ROOM"});
    let (client, _server) = failing(409, Some("ConflictException"), in_use).await;
    match client.delete_logging_configuration().identifier(LOGGING).send().await.unwrap_err() {
        ivschat::operation::delete_logging_configuration::DeleteLoggingConfigurationError::ConflictException(error) => {
            assert_eq!(error.resource_id(), "abc");
            assert_eq!(error.resource_type(), &ResourceType::Room);
            assert_eq!(error.request_id(), Some("req-err"));
        }
        other => panic!("{other:?}"),
    }
    let too_many =
        json!({"message": "too many", "resourceId": "abc", "resourceType": "ROOM", "limit": 50});
    let (client, _server) = failing(402, Some("ServiceQuotaExceededException"), too_many).await;
    match client.create_room().send().await.unwrap_err() {
        ivschat::operation::create_room::CreateRoomError::ServiceQuotaExceededException(error) => {
            assert_eq!(error.limit(), 50)
        }
        other => panic!("{other:?}"),
    }
    let slow_down =
        json!({"message": "slow down", "resourceId": "abc", "resourceType": "ROOM", "limit": 10});
    let (client, _server) = failing(429, Some("ThrottlingException"), slow_down).await;
    let throttled = client
        .send_event()
        .room_identifier(ROOM)
        .event_name("e")
        .send()
        .await
        .unwrap_err();
    assert!(throttled.is_throttling_exception(), "{throttled:?}");
    let (client, _server) = failing(
        403,
        Some("PendingVerification"),
        json!({"message": "verify"}),
    )
    .await;
    let pending = client
        .create_chat_token()
        .room_identifier(ROOM)
        .user_id("u")
        .send()
        .await
        .unwrap_err();
    assert!(pending.is_pending_verification(), "{pending:?}");
    let (client, _server) = failing(
        500,
        Some("InternalServerException"),
        json!({"message": "oops"}),
    )
    .await;
    let internal = client
        .list_tags_for_resource()
        .resource_arn(ROOM)
        .send()
        .await
        .unwrap_err();
    assert!(internal.is_internal_server_exception(), "{internal:?}");

    let validation = get_room_error(
        400,
        Some("ValidationException:http://internal.amazon.com/coral/com.amazonaws.ivschat/"),
        json!({"message": "bad", "reason": "FIELD_VALIDATION_FAILED", "fieldList": [{"name": "identifier", "message": "too long"}]}),
    )
    .await;
    let GetRoomError::ValidationException(error) = &validation else {
        panic!("{validation:?}")
    };
    assert_eq!(
        error.reason(),
        &ValidationExceptionReason::FieldValidationFailed
    );
    assert_eq!(error.field_list().unwrap()[0].name(), "identifier");
    assert_eq!(
        validation.to_string(),
        "ValidationException: bad (request id req-err)"
    );
    assert_eq!(validation.request_id(), Some("req-err"));

    let denied = get_room_error(
        403,
        None,
        json!({"__type": "com.amazonaws.ivschat#AccessDeniedException", "message": "no"}),
    )
    .await;
    assert!(denied.is_access_denied_exception(), "{denied:?}");
    let missing = get_room_error(
        404,
        Some("ResourceNotFoundException"),
        json!({"message": "gone", "resourceId": "x", "resourceType": "ROOM"}),
    )
    .await;
    assert!(missing.is_resource_not_found_exception(), "{missing:?}");

    let unknown = get_room_error(
        418,
        Some("TeapotException"),
        json!({"message": "short and stout"}),
    )
    .await;
    let GetRoomError::Unhandled(unhandled) = &unknown else {
        panic!("{unknown:?}")
    };
    assert_eq!(
        (unhandled.code(), unhandled.status()),
        (Some("TeapotException"), 418)
    );
    assert_eq!(
        unknown.to_string(),
        "TeapotException (HTTP 418): short and stout (request id req-err)"
    );

    let service_wide: ivschat::Error = missing.into();
    assert!(service_wide.is_resource_not_found_exception());
}

#[tokio::test]
async fn invalid_input_fails_before_sending() {
    let (client, server) = serve(vec![]).await;
    let error = client
        .get_room()
        .identifier("x".repeat(129))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, GetRoomError::Sdk(_)), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("GetRoomInput.identifier: length 129 breaks @length"),
        "{error}"
    );
    let error = client
        .list_tags_for_resource()
        .resource_arn("")
        .send()
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("ListTagsForResourceInput.resourceArn: length 0 breaks @length"),
        "{error}"
    );
    let patterns = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new("AKIDEXAMPLE", "secret", None, None))
        .endpoint_url(server.url.clone())
        .check_patterns(true);
    let error = Client::from_builder(patterns)
        .unwrap()
        .get_room()
        .identifier("not-an-arn")
        .send()
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("GetRoomInput.identifier: value does not match @pattern"),
        "{error}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn patterns_are_not_checked_by_default() {
    // The model's ResourceArn pattern (`...:[a-z-]/...`) refuses room ARNs the service takes.
    let (client, server) = serve(vec![ok(json!({}))]).await;
    client
        .tag_resource()
        .resource_arn(ROOM)
        .tags("a", "b")
        .send()
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 1);
}
