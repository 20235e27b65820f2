//! The `serde` feature of the generated crate over real answers of the emulator: model member
//! names, timestamps as RFC 3339, unknown enum values and union members kept, sensitive members
//! left out, and everything read back equal.

use ivschat::types::{DestinationConfiguration, ResourceType};
use ivschat_local::Emulator;

#[tokio::test]
async fn outputs_serialize_with_model_names_and_read_back_equal() {
    let emulator = Emulator::builder().start().await.unwrap();
    let client = ivschat::Client::from_builder(emulator.config()).unwrap();
    let created = client
        .create_room()
        .name("lobby")
        .tags("team", "chat")
        .send()
        .await
        .unwrap();
    let room = client
        .get_room()
        .identifier(created.arn().unwrap())
        .send()
        .await
        .unwrap();
    let json = serde_json::to_value(&room).unwrap();
    assert_eq!(json["name"], "lobby");
    assert_eq!(json["tags"]["team"], "chat");
    assert_eq!(json["arn"], created.arn().unwrap());
    let create_time = json["createTime"].as_str().unwrap();
    assert!(
        create_time.ends_with('Z') && create_time.contains('T'),
        "{create_time}"
    );
    let back: ivschat::operation::get_room::GetRoomOutput = serde_json::from_value(json).unwrap();
    assert_eq!(back, room);
    // Unset members are left out rather than written as null.
    let summary = ivschat::types::RoomSummary::builder().name("x").build();
    assert_eq!(serde_json::to_string(&summary).unwrap(), r#"{"name":"x"}"#);
}

#[tokio::test]
async fn sensitive_members_are_left_out_unless_asked_for() {
    let emulator = Emulator::builder().start().await.unwrap();
    let client = ivschat::Client::from_builder(emulator.config()).unwrap();
    let room = client.create_room().send().await.unwrap();
    let token = client
        .create_chat_token()
        .room_identifier(room.arn().unwrap())
        .user_id("ana")
        .send()
        .await
        .unwrap();
    assert!(token.token().is_some());
    let json = serde_json::to_value(&token).unwrap();
    // This build has `serde` without `serde-sensitive`: the token is not written.
    assert!(json.get("token").is_none(), "{json}");
    assert!(json["tokenExpirationTime"].is_string(), "{json}");
}

#[test]
fn unknown_enum_values_and_union_members_are_kept() {
    let kind: ResourceType = serde_json::from_str(r#""CHANNEL""#).unwrap();
    assert_eq!(kind.as_str(), "CHANNEL");
    assert_eq!(serde_json::to_string(&kind).unwrap(), r#""CHANNEL""#);
    let known = r#"{"s3":{"bucketName":"logs"}}"#;
    let destination: DestinationConfiguration = serde_json::from_str(known).unwrap();
    assert_eq!(destination.as_s3().unwrap().bucket_name(), Some("logs"));
    assert_eq!(serde_json::to_string(&destination).unwrap(), known);
    // (A document's keys are kept sorted.)
    let unknown = r#"{"kinesis":{"shards":[1,2],"stream":"x"}}"#;
    let destination: DestinationConfiguration = serde_json::from_str(unknown).unwrap();
    assert!(destination.is_unknown());
    assert_eq!(serde_json::to_string(&destination).unwrap(), unknown);
}

#[test]
fn bad_input_is_an_error_that_names_the_problem() {
    let error = serde_json::from_str::<DestinationConfiguration>(
        r#"{"s3":{"bucketName":"a"},"firehose":{"deliveryStreamName":"b"}}"#,
    )
    .unwrap_err();
    assert!(error.to_string().contains("a map of one member"), "{error}");
    let error =
        serde_json::from_str::<ivschat::operation::get_room::GetRoomOutput>(r#"{"createTime": 5}"#)
            .unwrap_err();
    assert!(error.to_string().contains("expected a string"), "{error}");
}
