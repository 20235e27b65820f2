//! `/_emulator/`: faults queued, listed and cleared, and state snapshots saved and loaded, over
//! HTTP. It is reachable only with a configured
//! key's signature (keys the emulator's STS issued only when asked), or `--anonymous`, and
//! never from a web page: the gate refuses an `Origin` header and any body not declared
//! `application/json`, which a browser's simple cross-site POST cannot send.

use std::sync::Arc;

use ivschat_runtime::http::request::Parts;
use serde_json::{json, Value};

use crate::auth::{authenticate, Scope};
use crate::error::ApiError;
use crate::fault::{Fault, FaultRule};
use crate::limits::{MAX_FAULT_COUNT, MAX_FAULT_DELAY};
use crate::router::OPERATIONS;

/// The chat actions a fault rule may name: the frames a chat client sends.
pub const CHAT_ACTIONS: &[&str] = &["SEND_MESSAGE", "DELETE_MESSAGE", "DISCONNECT_USER"];
use crate::shared::Shared;

/// The prefix of the emulator's own endpoints.
pub const PREFIX: &str = "/_emulator/";

/// The path of the state snapshot (`GET` saves it, `PUT` loads one).
pub const STATE_PATH: &str = "/_emulator/state";

/// Answers a request under [`PREFIX`] that passed the gate ([`crate::gate::admit`]):
/// `GET health` for anyone (counts only, no secret), the rest with a configured key's
/// signature: `POST faults` queues a rule, `GET faults` lists them, `DELETE faults` clears them,
/// `GET state` answers a snapshot of the rooms, logging configurations and tags, `PUT state`
/// replaces them with one.
pub async fn answer(
    shared: &Arc<Shared>,
    parts: &Parts,
    body: &[u8],
) -> Result<(u16, Value), ApiError> {
    let (method, path) = (parts.method.as_str(), parts.uri.path());
    if (method, path) == ("GET", "/_emulator/health") {
        return Ok((200, health(shared)));
    }
    authenticate(shared.access(), parts, body, "ivschat", Scope::Admin)?;
    match (method, path) {
        ("GET", STATE_PATH) => {
            let document = crate::persist::document(&shared.lock().kept());
            let value = serde_json::from_str(&document)
                .map_err(|error| ApiError::internal_failure(error.to_string()))?;
            Ok((200, value))
        }
        ("PUT", STATE_PATH) => {
            let text = std::str::from_utf8(body)
                .map_err(|_| ApiError::bad_request("the snapshot is not UTF-8"))?;
            let (rooms, logging) = load_snapshot(shared, text).await?;
            Ok((
                200,
                json!({ "rooms": rooms, "loggingConfigurations": logging }),
            ))
        }
        ("POST", "/_emulator/faults") => queue_fault(shared, body),
        ("GET", "/_emulator/faults") => Ok(list_faults(shared)),
        ("DELETE", "/_emulator/faults") => Ok(clear_faults(shared)),
        (method, path) => Err(ApiError::unknown_operation(method, path)),
    }
}

/// Replaces the state with a snapshot (saved to the state file first, when there is one):
/// all of it or, when the snapshot is wrong or cannot be saved, none of it. Chat connections
/// stay open. Answers the counts loaded.
pub async fn load_snapshot(shared: &Arc<Shared>, text: &str) -> Result<(usize, usize), ApiError> {
    let kept = crate::persist::parse(text).map_err(|error| {
        ApiError::bad_request(format!("the snapshot cannot be loaded: {error}"))
    })?;
    let counts = (kept.rooms.len(), kept.logging.len());
    let Some(state_file) = shared.state_file.clone() else {
        crate::persist::replace(&mut shared.lock(), kept);
        return Ok(counts);
    };
    let mut saved = shared.saves.clone().lock_owned().await;
    let document = crate::persist::document(&kept);
    let path = state_file.clone();
    let written = tokio::task::spawn_blocking(move || {
        crate::persist::write(&path, &document).map(|()| document)
    })
    .await
    .map_err(|error| std::io::Error::other(error.to_string()))
    .and_then(|result| result)
    .map_err(|error| {
        ApiError::internal_failure(format!(
            "cannot save the snapshot to {}: {error}; nothing was loaded",
            state_file.display()
        ))
    })?;
    *saved = written;
    crate::persist::replace(&mut shared.lock(), kept);
    Ok(counts)
}

/// Queues the fault rule `body` describes.
pub fn queue_fault(shared: &Shared, body: &[u8]) -> Result<(u16, Value), ApiError> {
    let rule = parse_rule(body)?;
    let count = rule.count;
    shared.inject(rule)?;
    Ok((200, json!({ "queued": count })))
}

/// The queued fault rules.
pub fn list_faults(shared: &Shared) -> (u16, Value) {
    let rules: Vec<Value> = shared.fault_rules().iter().map(rule_json).collect();
    (200, json!({ "faults": rules }))
}

/// Drops the queued fault rules.
pub fn clear_faults(shared: &Shared) -> (u16, Value) {
    (200, json!({ "cleared": shared.clear_faults() }))
}

/// The emulator's health: up, with its counts.
fn health(shared: &Shared) -> Value {
    let state = shared.lock();
    json!({
        "status": "ok",
        "rooms": state.rooms.len(),
        "loggingConfigurations": state.logging.len(),
        "chatConnections": state.hub.len(),
        "requests": shared.requests.load(std::sync::atomic::Ordering::SeqCst),
        "faultRules": shared.fault_rules().len(),
    })
}

/// A queued rule as the list shows it.
fn rule_json(rule: &FaultRule) -> Value {
    let delay = match rule.fault {
        Fault::Delay(delay) => Some(delay.as_millis() as u64),
        _ => None,
    };
    json!({
        "fault": rule.fault.name(),
        "left": rule.count,
        "operation": rule.operation,
        "probability": rule.probability,
        "status": rule.status,
        "delayMs": delay,
    })
}

/// The rule answering with `status`, for the faults that answer an error (named `name`).
fn with_status(rule: FaultRule, status: u16, name: &str) -> Result<FaultRule, ApiError> {
    if !matches!(
        rule.fault,
        Fault::InternalError | Fault::Throttle | Fault::AccessDenied | Fault::PendingVerification
    ) {
        return Err(ApiError::validation(
            "status",
            format!("{status} does not apply to `{name}`, which answers no error"),
        ));
    }
    Ok(rule.status(status))
}

/// The rule limited to the operation or chat action `value` names, which its fault must
/// apply to.
fn with_operation(rule: FaultRule, value: &Value) -> Result<FaultRule, ApiError> {
    let known = |name: &&str| OPERATIONS.contains(name) || CHAT_ACTIONS.contains(name);
    let operation = value.as_str().filter(known).ok_or_else(|| {
        ApiError::validation(
            "operation",
            format!(
                "must be one of {}, or a chat action: {}",
                OPERATIONS.join(", "),
                CHAT_ACTIONS.join(", ")
            ),
        )
    })?;
    if CHAT_ACTIONS.contains(&operation) && !rule.fault.applies_to_chat_actions() {
        return Err(ApiError::validation(
            "fault",
            format!(
                "`{}` does not apply to chat actions: internal-error, throttle, \
                 access-denied, delay, drop-before and drop-during do",
                rule.fault.name()
            ),
        ));
    }
    Ok(rule.operation(operation))
}

/// `{"fault": NAME, "count": N, "delayMs": M, "operation": OP, "probability": P, "status": S}`,
/// within the bounds; each field but `fault` optional.
fn parse_rule(body: &[u8]) -> Result<FaultRule, ApiError> {
    let request: Value = serde_json::from_slice(body)
        .map_err(|_| ApiError::bad_request("expected {\"fault\": ..., \"count\": ...}"))?;
    let name = request.get("fault").and_then(Value::as_str).unwrap_or("");
    let number = |field: &str, default: u64, least: u64, most: u64| match request.get(field) {
        None | Some(Value::Null) => Ok(default),
        Some(value) => value
            .as_u64()
            .filter(|number| (least..=most).contains(number))
            .ok_or_else(|| {
                ApiError::validation(
                    field,
                    format!("must be a whole number from {least} to {most}"),
                )
            }),
    };
    let delay = number("delayMs", 0, 0, MAX_FAULT_DELAY.as_millis() as u64)?;
    let count = number("count", 1, 0, MAX_FAULT_COUNT)?;
    let fault = Fault::parse(name, delay).ok_or_else(|| {
        ApiError::bad_request(format!(
            "unknown fault `{name}`; the faults are {}",
            Fault::NAMES.join(", ")
        ))
    })?;
    let mut rule = FaultRule::new(fault, count as usize);
    if request.get("status").is_some_and(|value| !value.is_null()) {
        let status = number("status", 0, 400, 599)?;
        rule = with_status(rule, status as u16, name)?;
    }
    if let Some(value) = request.get("probability").filter(|value| !value.is_null()) {
        let probability = value
            .as_f64()
            .filter(|probability| (0.0..=1.0).contains(probability))
            .ok_or_else(|| ApiError::validation("probability", "must be a number from 0 to 1"))?;
        rule = rule.probability(probability);
    }
    if let Some(value) = request.get("operation").filter(|value| !value.is_null()) {
        rule = with_operation(rule, value)?;
    }
    Ok(rule)
}
