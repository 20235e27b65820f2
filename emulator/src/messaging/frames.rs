//! The server's frames, as the service writes them: every field present, `RequestId` `""`
//! when the server originates the frame, absent maps `null`, `SendTime` in RFC 3339 with
//! nanoseconds.

use std::collections::BTreeMap;

use ivschat_runtime::{DateTime, DateTimeFormat};
use serde_json::{json, Value};

/// A string map as JSON, `null` when absent.
fn map(attributes: Option<&BTreeMap<String, String>>) -> Value {
    attributes.map_or(Value::Null, |attributes| json!(attributes))
}

/// The time now as `SendTime`: UTC, up to nine fractional digits, trailing zeros trimmed.
pub fn send_time() -> String {
    DateTime::now().fmt(DateTimeFormat::DateTime)
}

/// Who sent a message: the token's user id and attributes.
pub struct Sender<'a> {
    pub user_id: &'a str,
    pub attributes: &'a BTreeMap<String, String>,
}

/// A `MESSAGE` frame.
pub fn message(
    id: &str,
    request_id: &str,
    content: &str,
    attributes: Option<&BTreeMap<String, String>>,
    sender: &Sender,
) -> String {
    json!({
        "Type": "MESSAGE",
        "Id": id,
        "RequestId": request_id,
        "Content": content,
        "Attributes": map(attributes),
        "SendTime": send_time(),
        "Sender": { "UserId": sender.user_id, "Attributes": sender.attributes },
    })
    .to_string()
}

/// An `EVENT` frame.
pub fn event(
    id: &str,
    request_id: &str,
    name: &str,
    attributes: Option<&BTreeMap<String, String>>,
) -> String {
    json!({
        "Type": "EVENT",
        "Id": id,
        "RequestId": request_id,
        "EventName": name,
        "Attributes": map(attributes),
        "SendTime": send_time(),
    })
    .to_string()
}

/// An `ERROR` frame.
pub fn error(id: &str, request_id: &str, code: u16, message: &str) -> String {
    json!({
        "Type": "ERROR",
        "Id": id,
        "RequestId": request_id,
        "ErrorCode": code,
        "ErrorMessage": message,
    })
    .to_string()
}

/// The attributes of `aws:DELETE_MESSAGE`: both spellings of the message id, and the reason
/// when there is one.
pub fn delete_message_attributes(
    message_id: &str,
    reason: Option<&str>,
) -> BTreeMap<String, String> {
    let mut attributes = BTreeMap::from([
        ("MessageId".to_owned(), message_id.to_owned()),
        ("MessageID".to_owned(), message_id.to_owned()),
    ]);
    if let Some(reason) = reason {
        attributes.insert("Reason".to_owned(), reason.to_owned());
    }
    attributes
}

/// The attributes of `aws:DISCONNECT_USER`.
pub fn disconnect_user_attributes(user_id: &str, reason: Option<&str>) -> BTreeMap<String, String> {
    let mut attributes = BTreeMap::from([("UserId".to_owned(), user_id.to_owned())]);
    if let Some(reason) = reason {
        attributes.insert("Reason".to_owned(), reason.to_owned());
    }
    attributes
}
