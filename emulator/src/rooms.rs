//! CreateRoom, GetRoom, UpdateRoom, DeleteRoom, ListRooms.

use std::sync::Arc;

use ivschat_runtime::DateTime;
use serde_json::{json, Map, Value};

use crate::error::ApiError;
use crate::input::{self, Input, Text, LOGGING_ARN, NAME, ROOM_ARN, TOKEN};
use crate::state::{new_id, Room, State};

const LAMBDA_ARN: Text = Text::pattern(
    0,
    170,
    "^$|^arn:aws:lambda:[a-z0-9-]+:[0-9]{12}:function:.+",
);

/// The review handler of a request: `None` when absent, `Some(None)` when detached (`uri: ""`).
fn review_handler(input: &Input) -> Result<Option<Option<(String, String)>>, ApiError> {
    let Some(fields) = input.object("messageReviewHandler")? else {
        return Ok(None);
    };
    let handler = Input::new(fields);
    let uri = handler.string("uri", LAMBDA_ARN)?.unwrap_or_default();
    let fallback = handler
        .string("fallbackResult", Text::length(0, 16))?
        .unwrap_or_else(|| "ALLOW".to_owned());
    if fallback != "ALLOW" && fallback != "DENY" {
        return Err(ApiError::validation(
            "fallbackResult",
            "must be ALLOW or DENY",
        ));
    }
    Ok(Some((!uri.is_empty()).then_some((uri, fallback))))
}

/// Logging configurations a room refers to: each must exist and be `ACTIVE`.
fn logging_references(state: &State, input: &Input) -> Result<Option<Vec<String>>, ApiError> {
    let Some(identifiers) = input.strings("loggingConfigurationIdentifiers", 3, LOGGING_ARN)?
    else {
        return Ok(None);
    };
    for arn in &identifiers {
        let configuration = state
            .logging
            .get(arn)
            .ok_or_else(|| ApiError::not_found(arn, "LOGGING_CONFIGURATION"))?;
        if configuration.state != "ACTIVE" {
            return Err(ApiError::conflict(
                arn,
                "LOGGING_CONFIGURATION",
                "the logging configuration is not ACTIVE",
            ));
        }
    }
    Ok(Some(identifiers))
}

fn room<'s>(state: &'s State, input: &Input, field: &str) -> Result<&'s Room, ApiError> {
    let arn = input.required(field, ROOM_ARN)?;
    state
        .rooms
        .get(&arn)
        .ok_or_else(|| ApiError::not_found(&arn, "ROOM"))
}

pub fn create(state: &mut State, body: &Map<String, Value>) -> Result<Value, ApiError> {
    let input = Input::new(body);
    let name = input.string("name", NAME)?.unwrap_or_default();
    let rate = input
        .integer("maximumMessageRatePerSecond", 1, 100)?
        .unwrap_or(10);
    let length = input
        .integer("maximumMessageLength", 1, 500)?
        .unwrap_or(500);
    let handler = review_handler(&input)?.flatten();
    let tags = input::tags(&input, "tags")?.unwrap_or_default();
    let logging = logging_references(state, &input)?.unwrap_or_default();
    if state.rooms.len() >= state.settings.room_quota {
        return Err(ApiError::quota("ROOM", state.settings.room_quota));
    }
    let id = new_id();
    let now = DateTime::now();
    let room = Room {
        arn: state.arn("room", &id),
        id,
        name,
        create_time: now,
        update_time: now,
        maximum_message_rate_per_second: rate,
        maximum_message_length: length,
        review_handler: handler,
        logging_configuration_identifiers: logging,
    };
    Arc::make_mut(&mut state.tags).insert(room.arn.clone(), tags);
    let output = state.room_json(&room, false);
    Arc::make_mut(&mut state.rooms).insert(room.arn.clone(), room);
    Ok(output)
}

pub fn get(state: &mut State, body: &Map<String, Value>) -> Result<Value, ApiError> {
    let room = room(state, &Input::new(body), "identifier")?;
    Ok(state.room_json(room, false))
}

pub fn update(state: &mut State, body: &Map<String, Value>) -> Result<Value, ApiError> {
    let input = Input::new(body);
    let mut room = room(state, &input, "identifier")?.clone();
    if let Some(name) = input.string("name", NAME)? {
        room.name = name;
    }
    if let Some(rate) = input.integer("maximumMessageRatePerSecond", 1, 100)? {
        room.maximum_message_rate_per_second = rate;
    }
    if let Some(length) = input.integer("maximumMessageLength", 1, 500)? {
        room.maximum_message_length = length;
    }
    if let Some(handler) = review_handler(&input)? {
        room.review_handler = handler;
    }
    if let Some(logging) = logging_references(state, &input)? {
        room.logging_configuration_identifiers = logging;
    }
    room.update_time = DateTime::now();
    let output = state.room_json(&room, false);
    Arc::make_mut(&mut state.rooms).insert(room.arn.clone(), room);
    Ok(output)
}

pub fn delete(state: &mut State, body: &Map<String, Value>) -> Result<Value, ApiError> {
    let arn = room(state, &Input::new(body), "identifier")?.arn.clone();
    Arc::make_mut(&mut state.rooms).remove(&arn);
    Arc::make_mut(&mut state.tags).remove(&arn);
    // The room's pending tokens stay until they expire, so that opening a chat with one is
    // answered 404 (the room is gone), not 401.
    state.hub.close_room(&arn, "the room was deleted");
    Ok(Value::Null)
}

pub fn list(state: &mut State, body: &Map<String, Value>) -> Result<Value, ApiError> {
    let input = Input::new(body);
    let name = input.string("name", NAME)?;
    let handler_uri = input.string("messageReviewHandlerUri", LAMBDA_ARN)?;
    let logging = input.string("loggingConfigurationIdentifier", LOGGING_ARN)?;
    if let Some(arn) = &logging {
        if !state.logging.contains_key(arn) {
            return Err(ApiError::not_found(arn, "LOGGING_CONFIGURATION"));
        }
    }
    let mut rooms: Vec<&Room> = state
        .rooms
        .values()
        .filter(|room| name.as_ref().is_none_or(|name| room.name == *name))
        .filter(|room| {
            handler_uri
                .as_ref()
                .is_none_or(|uri| room.review_handler.as_ref().is_some_and(|(u, _)| u == uri))
        })
        .filter(|room| {
            logging
                .as_ref()
                .is_none_or(|arn| room.logging_configuration_identifiers.contains(arn))
        })
        .collect();
    rooms.sort_by(|a, b| {
        b.update_time
            .cmp(&a.update_time)
            .then_with(|| a.arn.cmp(&b.arn))
    });
    let (page, next) = page(&input, &rooms)?;
    let summaries: Vec<Value> = page
        .iter()
        .map(|room| state.room_json(room, true))
        .collect();
    Ok(with_token(json!({ "rooms": summaries }), next))
}

/// One page of `items` after `nextToken` (an offset), at most `maxResults` (default 50).
pub fn page<'i, T>(input: &Input, items: &'i [T]) -> Result<(&'i [T], Option<String>), ApiError> {
    let size = input.integer("maxResults", 1, 50)?.unwrap_or(50) as usize;
    let start = match input.string("nextToken", TOKEN)? {
        None => 0,
        Some(token) => token
            .strip_prefix("page-")
            .and_then(|offset| offset.parse::<usize>().ok())
            .filter(|offset| *offset <= items.len())
            .ok_or_else(|| {
                ApiError::validation("nextToken", "is not a token this service issued")
            })?,
    };
    let end = (start + size).min(items.len());
    let next = (end < items.len()).then(|| format!("page-{end}"));
    Ok((&items[start..end], next))
}

/// Adds `nextToken` to an output when there is one.
pub fn with_token(mut output: Value, next: Option<String>) -> Value {
    if let (Some(next), Some(fields)) = (next, output.as_object_mut()) {
        fields.insert("nextToken".to_owned(), json!(next));
    }
    output
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Map, Value};

    use super::{page, with_token};
    use crate::input::Input;

    fn paged(request: Value, items: &[u32]) -> Result<(Vec<u32>, Option<String>), String> {
        let fields: Map<String, Value> = request.as_object().cloned().unwrap_or_default();
        page(&Input::new(&fields), items)
            .map(|(page, next)| (page.to_vec(), next))
            .map_err(|error| error.body["message"].to_string())
    }

    #[test]
    fn pages_follow_their_tokens_to_the_end() {
        let items: Vec<u32> = (0..5).collect();
        let first = paged(json!({"maxResults": 2}), &items).expect("a first page");
        assert_eq!(first, (vec![0, 1], Some("page-2".to_owned())));
        let last =
            paged(json!({"maxResults": 4, "nextToken": "page-2"}), &items).expect("the rest");
        assert_eq!(last, (vec![2, 3, 4], None));
        assert_eq!(
            paged(json!({}), &items).expect("default size"),
            (items.clone(), None)
        );
    }

    #[test]
    fn tokens_and_sizes_it_did_not_issue_are_refused() {
        let items = [1, 2, 3];
        for token in ["page-4", "page--1", "other", "page-18446744073709551616"] {
            let refused = paged(json!({"nextToken": token}), &items).expect_err(token);
            assert_eq!(refused, "\"nextToken: is not a token this service issued\"");
        }
        let refused = paged(json!({"maxResults": 0}), &items).expect_err("zero");
        assert_eq!(refused, "\"maxResults: 0 is not between 1 and 50\"");
    }

    #[test]
    fn a_token_is_added_only_when_there_is_one() {
        assert_eq!(with_token(json!({"rooms": []}), None), json!({"rooms": []}));
        assert_eq!(
            with_token(json!({"rooms": []}), Some("page-2".to_owned())),
            json!({"rooms": [], "nextToken": "page-2"})
        );
    }
}
