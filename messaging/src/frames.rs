//! The wire format: actions as JSON text frames, and the server's MESSAGE, EVENT and ERROR
//! frames read strictly (a frame that breaks the format is reported, naming the field).

use ivschat_runtime::{DateTime, DateTimeFormat};
use serde_json::{json, Map, Value};

use crate::error::ServerError;
use crate::types::{
    Attributes, ChatEvent, ChatMessage, CustomEvent, MessageDeleted, Sender, UserDisconnected,
};

/// `SEND_MESSAGE`.
pub fn send_message(request_id: &str, content: &str, attributes: &Attributes) -> String {
    let mut action =
        json!({ "Action": "SEND_MESSAGE", "RequestId": request_id, "Content": content });
    if !attributes.is_empty() {
        action["Attributes"] = json!(attributes);
    }
    action.to_string()
}

/// `DELETE_MESSAGE`.
pub fn delete_message(request_id: &str, message_id: &str, reason: Option<&str>) -> String {
    let mut action =
        json!({ "Action": "DELETE_MESSAGE", "RequestId": request_id, "Id": message_id });
    if let Some(reason) = reason {
        action["Reason"] = json!(reason);
    }
    action.to_string()
}

/// `DISCONNECT_USER`.
pub fn disconnect_user(request_id: &str, user_id: &str, reason: Option<&str>) -> String {
    let mut action =
        json!({ "Action": "DISCONNECT_USER", "RequestId": request_id, "UserId": user_id });
    if let Some(reason) = reason {
        action["Reason"] = json!(reason);
    }
    action.to_string()
}

/// A server frame: its `Id`, its `RequestId` (empty when none) and what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incoming {
    pub id: String,
    pub request_id: String,
    pub event: ChatEvent,
}

/// The longest `Id` or `RequestId` accepted (the service's are 12 characters and UUIDs): the
/// client remembers recent ids, so their size is bounded.
const MAX_ID_BYTES: usize = 128;

/// Reads a server frame; the error names what is wrong.
pub fn parse(text: &str) -> Result<Incoming, String> {
    let value: Value =
        serde_json::from_str(text).map_err(|error| format!("the frame is not JSON: {error}"))?;
    let fields = value
        .as_object()
        .ok_or_else(|| "the frame is not a JSON object".to_owned())?;
    let id = string(fields, "Id")?;
    let request_id = optional_string(fields, "RequestId")?.unwrap_or_default();
    if id.len() > MAX_ID_BYTES || request_id.len() > MAX_ID_BYTES {
        return Err(format!(
            "Id and RequestId must have at most {MAX_ID_BYTES} bytes"
        ));
    }
    let event = match string(fields, "Type")?.as_str() {
        "MESSAGE" => ChatEvent::Message(message(fields, &id, &request_id)?),
        "EVENT" => event(fields, &id, &request_id)?,
        "ERROR" => ChatEvent::Error(ServerError {
            code: fields
                .get("ErrorCode")
                .and_then(Value::as_u64)
                .and_then(|code| u16::try_from(code).ok())
                .ok_or_else(|| "ErrorCode must be an integer".to_owned())?,
            message: optional_string(fields, "ErrorMessage")?.unwrap_or_default(),
            id: id.clone(),
            request_id: request_id.clone(),
        }),
        other => return Err(format!("unknown frame Type `{other}`")),
    };
    Ok(Incoming {
        id,
        request_id,
        event,
    })
}

fn message(fields: &Map<String, Value>, id: &str, request_id: &str) -> Result<ChatMessage, String> {
    let sender = fields
        .get("Sender")
        .and_then(Value::as_object)
        .ok_or_else(|| "Sender must be an object".to_owned())?;
    Ok(ChatMessage {
        id: id.to_owned(),
        request_id: request_id.to_owned(),
        content: string(fields, "Content")?,
        attributes: attributes(fields, "Attributes")?,
        send_time: send_time(fields)?,
        sender: Sender {
            user_id: string(sender, "UserId").map_err(|error| format!("Sender.{error}"))?,
            attributes: attributes(sender, "Attributes")
                .map_err(|error| format!("Sender.{error}"))?,
        },
    })
}

fn event(fields: &Map<String, Value>, id: &str, request_id: &str) -> Result<ChatEvent, String> {
    let name = string(fields, "EventName")?;
    let mut attributes = attributes(fields, "Attributes")?;
    let send_time = send_time(fields)?;
    let (id, request_id) = (id.to_owned(), request_id.to_owned());
    Ok(match name.as_str() {
        "aws:DELETE_MESSAGE" => ChatEvent::MessageDeleted(MessageDeleted {
            id,
            request_id,
            message_id: attributes
                .remove("MessageID")
                .or_else(|| attributes.remove("MessageId"))
                .ok_or_else(|| "Attributes.MessageID is missing".to_owned())?,
            reason: attributes.remove("Reason"),
            send_time,
        }),
        "aws:DISCONNECT_USER" => ChatEvent::UserDisconnected(UserDisconnected {
            id,
            request_id,
            user_id: attributes
                .remove("UserId")
                .ok_or_else(|| "Attributes.UserId is missing".to_owned())?,
            reason: attributes.remove("Reason"),
            send_time,
        }),
        _ => ChatEvent::Event(CustomEvent {
            id,
            request_id,
            name,
            attributes,
            send_time,
        }),
    })
}

fn send_time(fields: &Map<String, Value>) -> Result<DateTime, String> {
    let text = string(fields, "SendTime")?;
    DateTime::parse(&text, DateTimeFormat::DateTime)
        .map_err(|error| format!("SendTime `{text}`: {error}"))
}

fn string(fields: &Map<String, Value>, name: &str) -> Result<String, String> {
    optional_string(fields, name)?.ok_or_else(|| format!("{name} is missing"))
}

fn optional_string(fields: &Map<String, Value>, name: &str) -> Result<Option<String>, String> {
    match fields.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(format!("{name} must be a string")),
    }
}

fn attributes(fields: &Map<String, Value>, name: &str) -> Result<Attributes, String> {
    match fields.get(name) {
        None | Some(Value::Null) => Ok(Attributes::new()),
        Some(Value::Object(entries)) => entries
            .iter()
            .map(|(key, value)| match value {
                Value::String(text) => Ok((key.clone(), text.clone())),
                _ => Err(format!("{name}.{key} must be a string")),
            })
            .collect(),
        Some(_) => Err(format!("{name} must be an object")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_captured_message() {
        let frame = r#"{"Type":"MESSAGE","Id":"M2YcHkgffEvU","RequestId":"8fe6","Content":"Hi","Attributes":null,"SendTime":"2022-12-02T08:21:20.754555595Z","Sender":{"UserId":"u1","Attributes":{"username":"ann"}}}"#;
        let incoming = parse(frame).unwrap();
        let ChatEvent::Message(message) = incoming.event else {
            panic!("a message");
        };
        assert_eq!(message.id, "M2YcHkgffEvU");
        assert_eq!(message.request_id, "8fe6");
        assert_eq!(message.content, "Hi");
        assert!(message.attributes.is_empty());
        assert_eq!(message.send_time.subsec_nanos(), 754_555_595);
        assert_eq!(message.sender.user_id, "u1");
        assert_eq!(message.sender.attributes["username"], "ann");
    }

    #[test]
    fn reads_system_events_by_name() {
        let frame = r#"{"Type":"EVENT","Id":"IxTh2Ad9fZIr","RequestId":"","EventName":"aws:DELETE_MESSAGE","Attributes":{"MessageID":"M2YcHkgffEvU","Reason":"spam"},"SendTime":"2022-12-02T08:21:20Z"}"#;
        let ChatEvent::MessageDeleted(deleted) = parse(frame).unwrap().event else {
            panic!("a deletion");
        };
        assert_eq!(deleted.message_id, "M2YcHkgffEvU");
        assert_eq!(deleted.reason.as_deref(), Some("spam"));
    }

    #[test]
    fn malformed_frames_name_the_field() {
        let frame = r#"{"Type":"MESSAGE","Id":"a","Content":"x","SendTime":"2022-12-02T08:21:20Z","Sender":{"UserId":"u","Attributes":{"n":1}}}"#;
        assert_eq!(
            parse(frame).unwrap_err(),
            "Sender.Attributes.n must be a string"
        );
        let frame = r#"{"Type":"ERROR","Id":"a","RequestId":"r","ErrorCode":"429"}"#;
        assert_eq!(parse(frame).unwrap_err(), "ErrorCode must be an integer");
        assert_eq!(parse(r#"{"Id":"a"}"#).unwrap_err(), "Type is missing");
    }

    #[test]
    fn actions_use_the_service_keys_and_omit_what_is_absent() {
        let action: Value =
            serde_json::from_str(&delete_message("r1", "M2YcHkgffEvU", None)).unwrap();
        assert_eq!(
            action,
            json!({"Action": "DELETE_MESSAGE", "Id": "M2YcHkgffEvU", "RequestId": "r1"})
        );
    }

    /// Frames of every type the service sends, as the parser's fuzz seeds.
    const SEEDS: &[&str] = &[
        r#"{"Type":"MESSAGE","Id":"M2YcHkgffEvU","RequestId":"8fe6","Content":"Hi","Attributes":{"k":"v"},"SendTime":"2022-12-02T08:21:20.754555595Z","Sender":{"UserId":"u1","Attributes":{"username":"ann"}}}"#,
        r#"{"Type":"EVENT","Id":"IxTh2Ad9fZIr","RequestId":"","EventName":"aws:DELETE_MESSAGE","Attributes":{"MessageID":"M2YcHkgffEvU","Reason":"spam"},"SendTime":"2022-12-02T08:21:20Z"}"#,
        r#"{"Type":"EVENT","Id":"Wq1Ad9fZIrxT","RequestId":"r2","EventName":"aws:DISCONNECT_USER","Attributes":{"UserId":"u2","Reason":"bye"},"SendTime":"2022-12-02T08:21:20Z"}"#,
        r#"{"Type":"EVENT","Id":"Ad9fZIrxTWq1","RequestId":"","EventName":"app:poll","Attributes":null,"SendTime":"2022-12-02T08:21:20Z"}"#,
        r#"{"Type":"ERROR","Id":"x1","RequestId":"r3","ErrorCode":429,"ErrorMessage":"rate exceeded"}"#,
    ];

    #[test]
    fn the_frame_parser_never_panics() {
        let corpus: Vec<Vec<u8>> = SEEDS.iter().map(|seed| seed.as_bytes().to_vec()).collect();
        assert!(corpus
            .iter()
            .all(|seed| parse(std::str::from_utf8(seed).unwrap()).is_ok()));
        let mut parsed = 0;
        ivschat_fuzz::Campaign::new("messaging-frames").run_json(&corpus, |input| {
            parsed += usize::from(parse(&String::from_utf8_lossy(input)).is_ok());
        });
        assert!(parsed > corpus.len(), "no mutated frame parsed: {parsed}");
    }
}
