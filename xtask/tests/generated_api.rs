//! The generated crate behaves as its docs say: builders, required members, constraint
//! checks, unknown enum values, unions, redacted `Debug` and error messages.

use ivschat::operation::create_chat_token::CreateChatTokenInput;
use ivschat::operation::create_room::CreateRoomInput;
use ivschat::types::error::ValidationException;
use ivschat::types::{
    ChatTokenCapability, DestinationConfiguration, S3DestinationConfiguration,
    ValidationExceptionReason,
};

#[test]
fn builders_set_members_and_append_to_collections() {
    let input = CreateRoomInput::builder()
        .name("lobby")
        .maximum_message_length(500)
        .tags("team", "video")
        .tags("env", "test")
        .logging_configuration_identifiers(
            "arn:aws:ivschat:us-west-2:123456789012:logging-configuration/abc",
        )
        .build()
        .unwrap();
    assert_eq!(input.name(), Some("lobby"));
    assert_eq!(input.maximum_message_length(), Some(500));
    assert_eq!(input.tags().map(|tags| tags.len()), Some(2));
    assert_eq!(
        input
            .logging_configuration_identifiers()
            .map(<[String]>::len),
        Some(1)
    );
    assert_eq!(input.maximum_message_rate_per_second(), None);
    assert!(input.validate().is_ok());
}

#[test]
fn build_names_the_missing_required_member() {
    let error = CreateChatTokenInput::builder()
        .user_id("viewer-1")
        .build()
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot build CreateChatTokenInput: required member `roomIdentifier` was not set"
    );
}

#[test]
fn validate_names_the_member_and_the_rule() {
    let too_long = CreateRoomInput::builder()
        .maximum_message_length(501)
        .build()
        .unwrap();
    assert_eq!(
        too_long.validate().unwrap_err().to_string(),
        "CreateRoomInput.maximumMessageLength: value 501 breaks @range (must be between 1 and 500)"
    );
    let bad_name = CreateRoomInput::builder()
        .name("no spaces")
        .build()
        .unwrap();
    assert_eq!(
        bad_name.validate().unwrap_err().to_string(),
        "CreateRoomInput.name: value does not match @pattern `^[a-zA-Z0-9-_]*$`"
    );
    let bad_tag = CreateRoomInput::builder()
        .tags("", "value")
        .build()
        .unwrap();
    assert_eq!(
        bad_tag.validate().unwrap_err().to_string(),
        "CreateRoomInput.tags[]: length 0 breaks @length (must be between 1 and 128)"
    );
}

#[test]
fn nested_structures_are_validated_through_unions() {
    let destination = DestinationConfiguration::S3(
        S3DestinationConfiguration::builder()
            .bucket_name("x")
            .build()
            .unwrap(),
    );
    let error = destination.validate_at("In.destination", true).unwrap_err();
    assert_eq!(
        error.to_string(),
        "In.destination.s3.bucketName: length 1 breaks @length (must be between 3 and 63)"
    );
    assert!(destination.is_s3());
    assert!(destination.as_firehose().is_none());
}

#[test]
fn enums_keep_unknown_values() {
    assert_eq!(
        ChatTokenCapability::from("SEND_MESSAGE"),
        ChatTokenCapability::SendMessage
    );
    let future = ChatTokenCapability::from("PIN_MESSAGE");
    assert_eq!(future.as_str(), "PIN_MESSAGE");
    assert!(matches!(future, ChatTokenCapability::Unknown(_)));
    assert_eq!(
        ChatTokenCapability::values(),
        ["SEND_MESSAGE", "DISCONNECT_USER", "DELETE_MESSAGE"]
    );
}

#[test]
fn debug_redacts_sensitive_members() {
    let input = CreateChatTokenInput::builder()
        .room_identifier("arn:aws:ivschat:us-west-2:123456789012:room/abc")
        .user_id("alice@example.com")
        .attributes("display", "Alice")
        .build()
        .unwrap();
    let printed = format!("{input:?}");
    assert!(!printed.contains("alice@example.com"), "{printed}");
    assert!(!printed.contains("Alice"), "{printed}");
    assert!(printed.contains("room/abc"), "{printed}");
    assert!(
        printed.contains("*** Sensitive Data Redacted ***"),
        "{printed}"
    );
}

#[test]
fn errors_display_their_message() {
    let error = ValidationException::builder()
        .message("bad input")
        .reason(ValidationExceptionReason::FieldValidationFailed)
        .build()
        .unwrap();
    assert_eq!(error.to_string(), "ValidationException: bad input");
    assert_eq!(
        error.reason(),
        &ValidationExceptionReason::FieldValidationFailed
    );
    let missing = ValidationException::builder()
        .message("m")
        .build()
        .unwrap_err();
    assert_eq!(
        missing.to_string(),
        "cannot build ValidationException: required member `reason` was not set"
    );
}
