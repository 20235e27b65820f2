//! CreateChatToken, SendEvent, DeleteMessage, DisconnectUser: the control plane's side of chat;
//! the last three reach the room's WebSocket connections.

use std::time::SystemTime;

use ivschat_runtime::DateTime;
use serde_json::{json, Map, Value};

use crate::error::ApiError;
use crate::input::{self, Input, Text, ID, ROOM_ARN};
use crate::messaging;
use crate::state::{secret_token, time, IssuedToken, State};

const CAPABILITIES: &[&str] = &["SEND_MESSAGE", "DISCONNECT_USER", "DELETE_MESSAGE"];

/// Counts one `action` against the account's rate (shared with the WebSocket's actions).
fn admit(state: &mut State, action: &'static str) -> Result<(), ApiError> {
    let limit = state.limits.chat_actions_per_second;
    match state.hub.admit_action(action, limit) {
        true => Ok(()),
        false => Err(ApiError::rate_exceeded("ROOM", limit)),
    }
}

fn room_arn(state: &State, input: &Input) -> Result<String, ApiError> {
    let arn = input.required("roomIdentifier", ROOM_ARN)?;
    if !state.rooms.contains_key(&arn) {
        return Err(ApiError::not_found(&arn, "ROOM"));
    }
    Ok(arn)
}

/// CreateChatToken; the token is kept among `caller`'s pending tokens.
pub fn create_token(
    state: &mut State,
    body: &Map<String, Value>,
    caller: &str,
) -> Result<Value, ApiError> {
    let input = Input::new(body);
    let room_arn = room_arn(state, &input)?;
    let user_id = input.required("userId", Text::length(1, 128))?;
    let capabilities = input
        .strings("capabilities", CAPABILITIES.len(), Text::length(1, 32))?
        .unwrap_or_default();
    if let Some(unknown) = capabilities
        .iter()
        .find(|capability| !CAPABILITIES.contains(&capability.as_str()))
    {
        return Err(ApiError::validation(
            "capabilities",
            format!("`{unknown}` is not a capability"),
        ));
    }
    let minutes = input
        .integer("sessionDurationInMinutes", 1, 180)?
        .unwrap_or(60);
    let attributes = input::attributes(&input, "attributes")?.unwrap_or_default();
    let now = SystemTime::now();
    let minute = state.settings.session_minute;
    let session_end = DateTime::from(now + minute * minutes as u32);
    let token_end = DateTime::from(now + minute * minutes.min(60) as u32);
    let token = secret_token();
    state
        .tokens
        .retain(|issued| !issued.used && issued.token_expiration > DateTime::now());
    // Each caller's unused tokens are kept up to the limit; its own oldest is forgotten to
    // make room, so no caller can evict another's.
    let most = state.limits.max_pending_tokens.max(1);
    let own = state.tokens.iter().filter(|issued| issued.issuer == caller);
    if own.count() >= most {
        if let Some(oldest) = state
            .tokens
            .iter()
            .position(|issued| issued.issuer == caller)
        {
            state.tokens.remove(oldest);
        }
    }
    state.tokens.push(IssuedToken {
        issuer: caller.to_owned(),
        token: token.clone(),
        room_arn,
        user_id,
        capabilities,
        attributes,
        token_expiration: token_end,
        session_expiration: session_end,
        used: false,
    });
    Ok(
        json!({ "token": token, "tokenExpirationTime": time(token_end), "sessionExpirationTime": time(session_end) }),
    )
}

pub fn send_event(state: &mut State, body: &Map<String, Value>) -> Result<Value, ApiError> {
    let input = Input::new(body);
    let arn = room_arn(state, &input)?;
    admit(state, "SendEvent")?;
    let name = input.required("eventName", Text::length(1, 100))?;
    let attributes = input::attributes(&input, "attributes")?;
    let id = messaging::announce(state, &arn, "", &name, attributes.as_ref());
    Ok(json!({ "id": id }))
}

pub fn delete_message(state: &mut State, body: &Map<String, Value>) -> Result<Value, ApiError> {
    let input = Input::new(body);
    let arn = room_arn(state, &input)?;
    admit(state, "DeleteMessage")?;
    let message_id = input.required("id", ID)?;
    let reason = input.string("reason", Text::length(1, 256))?;
    let id = messaging::announce_deletion(state, &arn, "", &message_id, reason.as_deref());
    Ok(json!({ "id": id }))
}

pub fn disconnect_user(state: &mut State, body: &Map<String, Value>) -> Result<Value, ApiError> {
    let input = Input::new(body);
    let arn = room_arn(state, &input)?;
    admit(state, "DisconnectUser")?;
    let user_id = input.required("userId", Text::length(1, 128))?;
    let reason = input.string("reason", Text::length(1, 256))?;
    messaging::announce_disconnection(state, &arn, "", &user_id, reason.as_deref());
    Ok(json!({}))
}
