//! Create-, Get-, Update-, Delete- and ListLoggingConfiguration(s).

use std::sync::Arc;

use ivschat_runtime::DateTime;
use serde_json::{json, Map, Value};

use crate::error::ApiError;
use crate::input::{self, Input, Text, LOGGING_ARN, NAME};
use crate::rooms::{page, with_token};
use crate::state::{new_id, LoggingConfiguration, State};

/// The destination union: exactly one of `s3`, `cloudWatchLogs`, `firehose`, checked.
fn destination(fields: &Map<String, Value>) -> Result<Value, ApiError> {
    let set: Vec<(&String, &Value)> = fields
        .iter()
        .filter(|(_, value)| !value.is_null())
        .collect();
    let [(member, value)] = set.as_slice() else {
        return Err(ApiError::validation(
            "destinationConfiguration",
            "exactly one destination must be set",
        ));
    };
    let (field, rule) = match member.as_str() {
        "s3" => ("bucketName", Text::pattern(3, 63, "^[a-z0-9-.]+$")),
        "cloudWatchLogs" => (
            "logGroupName",
            Text::pattern(1, 512, "^[\\.\\-_/#A-Za-z0-9]+$"),
        ),
        "firehose" => (
            "deliveryStreamName",
            Text::pattern(1, 64, "^[a-zA-Z0-9_.-]+$"),
        ),
        other => {
            return Err(ApiError::validation(
                "destinationConfiguration",
                format!("`{other}` is not a destination"),
            ))
        }
    };
    let inner = value
        .as_object()
        .ok_or_else(|| ApiError::validation(member, "must be an object"))?;
    let name = Input::new(inner).required(field, rule)?;
    Ok(json!({ member.as_str(): { field: name } }))
}

fn configuration<'s>(
    state: &'s State,
    input: &Input,
) -> Result<&'s LoggingConfiguration, ApiError> {
    let arn = input.required("identifier", LOGGING_ARN)?;
    state
        .logging
        .get(&arn)
        .ok_or_else(|| ApiError::not_found(&arn, "LOGGING_CONFIGURATION"))
}

pub fn create(state: &mut State, body: &Map<String, Value>) -> Result<Value, ApiError> {
    let input = Input::new(body);
    let name = input.string("name", NAME)?.unwrap_or_default();
    let fields = input
        .object("destinationConfiguration")?
        .ok_or_else(|| ApiError::validation("destinationConfiguration", "is required"))?;
    let destination = destination(fields)?;
    let tags = input::tags(&input, "tags")?.unwrap_or_default();
    if state.logging.len() >= state.settings.logging_quota {
        return Err(ApiError::quota(
            "LOGGING_CONFIGURATION",
            state.settings.logging_quota,
        ));
    }
    let id = new_id();
    let now = DateTime::now();
    let configuration = LoggingConfiguration {
        arn: state.arn("logging-configuration", &id),
        id,
        name,
        create_time: now,
        update_time: now,
        destination,
        state: "ACTIVE",
    };
    Arc::make_mut(&mut state.tags).insert(configuration.arn.clone(), tags);
    let output = state.logging_json(&configuration);
    Arc::make_mut(&mut state.logging).insert(configuration.arn.clone(), configuration);
    Ok(output)
}

pub fn get(state: &mut State, body: &Map<String, Value>) -> Result<Value, ApiError> {
    let configuration = configuration(state, &Input::new(body))?;
    Ok(state.logging_json(configuration))
}

pub fn update(state: &mut State, body: &Map<String, Value>) -> Result<Value, ApiError> {
    let input = Input::new(body);
    let mut configuration = configuration(state, &input)?.clone();
    if let Some(name) = input.string("name", NAME)? {
        configuration.name = name;
    }
    if let Some(fields) = input.object("destinationConfiguration")? {
        configuration.destination = destination(fields)?;
    }
    configuration.update_time = DateTime::now();
    let output = state.logging_json(&configuration);
    Arc::make_mut(&mut state.logging).insert(configuration.arn.clone(), configuration);
    Ok(output)
}

pub fn delete(state: &mut State, body: &Map<String, Value>) -> Result<Value, ApiError> {
    let arn = configuration(state, &Input::new(body))?.arn.clone();
    if let Some(room) = state
        .rooms
        .values()
        .find(|room| room.logging_configuration_identifiers.contains(&arn))
    {
        return Err(ApiError::conflict(
            &arn,
            "LOGGING_CONFIGURATION",
            format!("the logging configuration is attached to room {}", room.arn),
        ));
    }
    Arc::make_mut(&mut state.logging).remove(&arn);
    Arc::make_mut(&mut state.tags).remove(&arn);
    Ok(Value::Null)
}

pub fn list(state: &mut State, body: &Map<String, Value>) -> Result<Value, ApiError> {
    let input = Input::new(body);
    let mut all: Vec<&LoggingConfiguration> = state.logging.values().collect();
    all.sort_by(|a, b| {
        b.update_time
            .cmp(&a.update_time)
            .then_with(|| a.arn.cmp(&b.arn))
    });
    let (page, next) = page(&input, &all)?;
    let summaries: Vec<Value> = page
        .iter()
        .map(|configuration| state.logging_json(configuration))
        .collect();
    Ok(with_token(
        json!({ "loggingConfigurations": summaries }),
        next,
    ))
}
