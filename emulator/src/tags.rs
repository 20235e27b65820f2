//! ListTagsForResource, TagResource, UntagResource.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use crate::error::ApiError;
use crate::input::{self, check, Input, Text, RESOURCE_ARN};
use crate::state::State;

/// The resource named in the path: it must exist.
fn resource(state: &State, arn: &str) -> Result<String, ApiError> {
    check("resourceArn", arn, RESOURCE_ARN)?;
    if state.rooms.contains_key(arn) || state.logging.contains_key(arn) {
        Ok(arn.to_owned())
    } else {
        let kind = if arn.contains(":logging-configuration/") {
            "LOGGING_CONFIGURATION"
        } else {
            "ROOM"
        };
        Err(ApiError::not_found(arn, kind))
    }
}

pub fn list(state: &mut State, arn: &str) -> Result<Value, ApiError> {
    let arn = resource(state, arn)?;
    Ok(json!({ "tags": state.tags_json(&arn) }))
}

pub fn tag(state: &mut State, arn: &str, body: &Map<String, Value>) -> Result<Value, ApiError> {
    let arn = resource(state, arn)?;
    let added = input::tags(&Input::new(body), "tags")?
        .ok_or_else(|| ApiError::validation("tags", "is required"))?;
    let tags = Arc::make_mut(&mut state.tags).entry(arn).or_default();
    let mut merged = tags.clone();
    merged.extend(added);
    if merged.len() > 50 {
        return Err(ApiError::validation(
            "tags",
            format!(
                "the resource would have {} tags, at most 50 are allowed",
                merged.len()
            ),
        ));
    }
    *tags = merged;
    Ok(json!({}))
}

pub fn untag(state: &mut State, arn: &str, keys: &[String]) -> Result<Value, ApiError> {
    let arn = resource(state, arn)?;
    // The model requires `tagKeys`, 1 to 50 of them (found by the conformance check).
    if keys.is_empty() {
        return Err(ApiError::validation(
            "tagKeys",
            "is required: at least 1 key",
        ));
    }
    if keys.len() > 50 {
        return Err(ApiError::validation(
            "tagKeys",
            "at most 50 keys are allowed",
        ));
    }
    for key in keys {
        check("tagKeys", key, Text::length(1, 128))?;
    }
    if let Some(tags) = Arc::make_mut(&mut state.tags).get_mut(&arn) {
        for key in keys {
            tags.remove(key);
        }
    }
    Ok(json!({}))
}
