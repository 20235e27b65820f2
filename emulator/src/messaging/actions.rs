//! The client's actions (`SEND_MESSAGE`, `DELETE_MESSAGE`, `DISCONNECT_USER`) and the room-wide
//! events they and their control-plane twins cause.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::frames::{self, Sender};
use crate::review::{ReviewRequest, ReviewResult};
use crate::state::{new_id, IssuedToken, Room, State};

/// The largest frame the emulator reads (413 beyond).
const MAX_FRAME_BYTES: usize = 8 * 1024;
/// The largest attributes of a message, keys and values together (413 beyond).
const MAX_ATTRIBUTE_BYTES: usize = 1024;

/// An ERROR frame's code and message.
struct Rejection {
    code: u16,
    message: String,
}

fn reject(code: u16, message: impl Into<String>) -> Rejection {
    Rejection {
        code,
        message: message.into(),
    }
}

/// Runs one frame from a connection opened with `token`. Success shows as frames broadcast to
/// the room; the returned frame, if any, is an ERROR for the sender alone.
pub fn handle(state: &mut State, token: &IssuedToken, text: &str) -> Option<String> {
    let mut request_id = String::new();
    act(state, token, text, &mut request_id)
        .err()
        .map(|rejection| frames::error(&new_id(), &request_id, rejection.code, &rejection.message))
}

fn act(
    state: &mut State,
    token: &IssuedToken,
    text: &str,
    request_id: &mut String,
) -> Result<(), Rejection> {
    if text.len() > MAX_FRAME_BYTES {
        return Err(reject(
            413,
            format!(
                "the frame has {} bytes, at most {MAX_FRAME_BYTES} are allowed",
                text.len()
            ),
        ));
    }
    let value: Value = serde_json::from_str(text)
        .map_err(|error| reject(400, format!("the frame is not JSON: {error}")))?;
    let fields = value
        .as_object()
        .ok_or_else(|| reject(400, "the frame is not a JSON object"))?;
    *request_id = optional_string(fields, "RequestId")?.unwrap_or_default();
    let action = required_string(fields, "Action")?;
    let room = state
        .rooms
        .get(&token.room_arn)
        .cloned()
        .ok_or_else(|| reject(404, format!("room {} not found", token.room_arn)))?;
    match action.as_str() {
        "SEND_MESSAGE" => {
            allowed(token, "SEND_MESSAGE")?;
            send_message(state, token, &room, fields, request_id)
        }
        "DELETE_MESSAGE" => {
            allowed(token, "DELETE_MESSAGE")?;
            admit(state, "DeleteMessage")?;
            let id = required_string(fields, "Id")?;
            if id.len() != 12 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(reject(400, "Id must be 12 characters of [a-zA-Z0-9]"));
            }
            let reason = reason(fields)?;
            announce_deletion(state, &room.arn, request_id, &id, reason.as_deref());
            Ok(())
        }
        "DISCONNECT_USER" => {
            allowed(token, "DISCONNECT_USER")?;
            admit(state, "DisconnectUser")?;
            let user_id = required_string(fields, "UserId")?;
            if user_id.is_empty() || user_id.chars().count() > 128 {
                return Err(reject(400, "UserId must have 1 to 128 characters"));
            }
            let reason = reason(fields)?;
            announce_disconnection(state, &room.arn, request_id, &user_id, reason.as_deref());
            Ok(())
        }
        other => Err(reject(400, format!("unknown Action `{other}`"))),
    }
}

/// Counts one `action` against the account's rate, shared with the control plane's twin.
fn admit(state: &mut State, action: &'static str) -> Result<(), Rejection> {
    let limit = state.limits.chat_actions_per_second;
    match state.hub.admit_action(action, limit) {
        true => Ok(()),
        false => Err(reject(
            429,
            format!("the account allows {limit} {action} per second"),
        )),
    }
}

fn allowed(token: &IssuedToken, capability: &str) -> Result<(), Rejection> {
    if token.capabilities.iter().any(|held| held == capability) {
        Ok(())
    } else {
        Err(reject(
            403,
            format!("the chat token lacks the {capability} capability"),
        ))
    }
}

fn send_message(
    state: &mut State,
    token: &IssuedToken,
    room: &Room,
    fields: &Map<String, Value>,
    request_id: &str,
) -> Result<(), Rejection> {
    let content = required_string(fields, "Content")?;
    let length = content.chars().count();
    if length == 0 || length as i64 > room.maximum_message_length {
        return Err(reject(
            400,
            format!(
                "Content has {length} characters; messages must have 1 to {}",
                room.maximum_message_length
            ),
        ));
    }
    let attributes = string_map(fields, "Attributes")?;
    if state.settings.message_rate_limits
        && !state
            .hub
            .admit_message(&room.arn, room.maximum_message_rate_per_second)
    {
        return Err(reject(
            429,
            format!(
                "the room allows {} messages per second",
                room.maximum_message_rate_per_second
            ),
        ));
    }
    let id = new_id();
    let (content, attributes) = match review(state, token, room, &id, content, attributes) {
        ReviewResult::Allow {
            content,
            attributes,
        } => (content, attributes),
        ReviewResult::Deny { reason } => {
            return Err(reject(
                406,
                reason.unwrap_or_else(|| "Message rejected".to_owned()),
            ))
        }
    };
    let sender = Sender {
        user_id: &token.user_id,
        attributes: &token.attributes,
    };
    let frame = frames::message(
        &id,
        request_id,
        content.as_deref().unwrap_or_default(),
        attributes.as_ref(),
        &sender,
    );
    state.hub.broadcast(&room.arn, &frame);
    Ok(())
}

/// The review of a message in a room with a handler; an unreviewed room allows everything.
/// Returns the content and attributes to deliver.
fn review(
    state: &State,
    token: &IssuedToken,
    room: &Room,
    message_id: &str,
    content: String,
    attributes: Option<BTreeMap<String, String>>,
) -> ReviewResult {
    let allow = |content: String, attributes| ReviewResult::Allow {
        content: Some(content),
        attributes,
    };
    let Some((_, fallback)) = &room.review_handler else {
        return allow(content, attributes);
    };
    let Some(rule) = &state.settings.review_rule else {
        return match fallback.as_str() {
            "DENY" => ReviewResult::Deny { reason: None },
            _ => allow(content, attributes),
        };
    };
    let empty = BTreeMap::new();
    let verdict = rule.review(&ReviewRequest {
        room_arn: &room.arn,
        message_id,
        content: &content,
        attributes: attributes.as_ref().unwrap_or(&empty),
        user_id: &token.user_id,
    });
    match verdict {
        ReviewResult::Allow {
            content: replaced_content,
            attributes: replaced_attributes,
        } => allow(
            replaced_content.unwrap_or(content),
            replaced_attributes.or(attributes),
        ),
        deny => deny,
    }
}

/// Broadcasts `aws:DELETE_MESSAGE` for `message_id`; returns the event's id.
pub fn announce_deletion(
    state: &State,
    room_arn: &str,
    request_id: &str,
    message_id: &str,
    reason: Option<&str>,
) -> String {
    let attributes = frames::delete_message_attributes(message_id, reason);
    announce(
        state,
        room_arn,
        request_id,
        "aws:DELETE_MESSAGE",
        Some(&attributes),
    )
}

/// Broadcasts `aws:DISCONNECT_USER` for `user_id`, then closes that user's connections;
/// returns the event's id.
pub fn announce_disconnection(
    state: &State,
    room_arn: &str,
    request_id: &str,
    user_id: &str,
    reason: Option<&str>,
) -> String {
    let attributes = frames::disconnect_user_attributes(user_id, reason);
    let id = announce(
        state,
        room_arn,
        request_id,
        "aws:DISCONNECT_USER",
        Some(&attributes),
    );
    state
        .hub
        .close_user(room_arn, user_id, reason.unwrap_or("disconnected"));
    id
}

/// Broadcasts an EVENT to a room; returns its id.
pub fn announce(
    state: &State,
    room_arn: &str,
    request_id: &str,
    name: &str,
    attributes: Option<&BTreeMap<String, String>>,
) -> String {
    let id = new_id();
    state
        .hub
        .broadcast(room_arn, &frames::event(&id, request_id, name, attributes));
    id
}

fn required_string(fields: &Map<String, Value>, name: &str) -> Result<String, Rejection> {
    optional_string(fields, name)?.ok_or_else(|| reject(400, format!("{name} is required")))
}

fn optional_string(fields: &Map<String, Value>, name: &str) -> Result<Option<String>, Rejection> {
    match fields.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(reject(400, format!("{name} must be a string"))),
    }
}

fn reason(fields: &Map<String, Value>) -> Result<Option<String>, Rejection> {
    let reason = optional_string(fields, "Reason")?;
    match &reason {
        Some(text) if text.is_empty() || text.chars().count() > 256 => {
            Err(reject(400, "Reason must have 1 to 256 characters"))
        }
        _ => Ok(reason),
    }
}

fn string_map(
    fields: &Map<String, Value>,
    name: &str,
) -> Result<Option<BTreeMap<String, String>>, Rejection> {
    let entries = match fields.get(name) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Object(entries)) => entries,
        Some(_) => return Err(reject(400, format!("{name} must be an object of strings"))),
    };
    let mut map = BTreeMap::new();
    let mut size = 0;
    for (key, value) in entries {
        let value = value
            .as_str()
            .ok_or_else(|| reject(400, format!("{name}.{key} must be a string")))?;
        size += key.len() + value.len();
        map.insert(key.clone(), value.to_owned());
    }
    if size > MAX_ATTRIBUTE_BYTES {
        return Err(reject(
            413,
            format!("{name} hold {size} bytes, at most {MAX_ATTRIBUTE_BYTES} are allowed"),
        ));
    }
    Ok(Some(map))
}
