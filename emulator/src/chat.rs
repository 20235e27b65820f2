//! CreateChatToken, SendEvent, DeleteMessage, DisconnectUser.

use ivschat_runtime::DateTime;
use serde_json::{json, Map, Value};

use crate::error::ApiError;
use crate::input::{self, Input, Text, ID, ROOM_ARN};
use crate::state::{new_id, time, IssuedToken, State};

const CAPABILITIES: &[&str] = &["SEND_MESSAGE", "DISCONNECT_USER", "DELETE_MESSAGE"];

fn room_arn(state: &State, input: &Input) -> Result<String, ApiError> {
    let arn = input.required("roomIdentifier", ROOM_ARN)?;
    if !state.rooms.contains_key(&arn) {
        return Err(ApiError::not_found(&arn, "ROOM"));
    }
    Ok(arn)
}

pub fn create_token(state: &mut State, body: &Map<String, Value>) -> Result<Value, ApiError> {
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
    input::attributes(&input, "attributes")?;
    let now = DateTime::now();
    let session_end = DateTime::from_secs(now.secs() + minutes * 60);
    let token_end = DateTime::from_secs(now.secs() + (minutes.min(60)) * 60);
    let token = format!("{}{}{}", new_id(), new_id(), new_id());
    state.tokens.push(IssuedToken {
        token: token.clone(),
        room_arn,
        user_id,
        capabilities,
        session_expiration: session_end,
    });
    Ok(
        json!({ "token": token, "tokenExpirationTime": time(token_end), "sessionExpirationTime": time(session_end) }),
    )
}

pub fn send_event(state: &mut State, body: &Map<String, Value>) -> Result<Value, ApiError> {
    let input = Input::new(body);
    room_arn(state, &input)?;
    input.required("eventName", Text::length(1, 100))?;
    input::attributes(&input, "attributes")?;
    Ok(json!({ "id": new_id() }))
}

pub fn delete_message(state: &mut State, body: &Map<String, Value>) -> Result<Value, ApiError> {
    let input = Input::new(body);
    room_arn(state, &input)?;
    input.required("id", ID)?;
    input.string("reason", Text::length(1, 256))?;
    Ok(json!({ "id": new_id() }))
}

pub fn disconnect_user(state: &mut State, body: &Map<String, Value>) -> Result<Value, ApiError> {
    let input = Input::new(body);
    room_arn(state, &input)?;
    input.required("userId", Text::length(1, 128))?;
    input.string("reason", Text::length(1, 256))?;
    Ok(json!({}))
}
