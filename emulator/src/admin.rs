//! `POST /_emulator/faults`: queueing faults over HTTP. It is reachable only with a configured
//! key's signature (keys the emulator's STS issued only when asked), or `--anonymous`, and
//! never from a web page: the gate refuses an `Origin` header and any body not declared
//! `application/json`, which a browser's simple cross-site POST cannot send.

use ivschat_runtime::http::request::Parts;
use serde_json::Value;

use crate::auth::{authenticate, Scope};
use crate::error::ApiError;
use crate::fault::Fault;
use crate::limits::{MAX_FAULT_COUNT, MAX_FAULT_DELAY};
use crate::shared::Shared;

/// The prefix of the emulator's own endpoints.
pub const PREFIX: &str = "/_emulator/";

/// Answers a request under [`PREFIX`] that passed the gate ([`crate::gate::admit`]).
pub fn answer(shared: &Shared, parts: &Parts, body: &[u8]) -> Result<(u16, Value), ApiError> {
    authenticate(shared.access(), parts, body, "ivschat", Scope::Admin)?;
    match (parts.method.as_str(), parts.uri.path()) {
        ("POST", "/_emulator/faults") => {
            let (fault, count) = parse_fault(body)?;
            shared.inject(fault, count)?;
            Ok((200, serde_json::json!({ "queued": count })))
        }
        (method, path) => Err(ApiError::unknown_operation(method, path)),
    }
}

/// `{"fault": NAME, "count": N, "delayMs": M}`, within the bounds.
fn parse_fault(body: &[u8]) -> Result<(Fault, usize), ApiError> {
    let request: Value = serde_json::from_slice(body)
        .map_err(|_| ApiError::bad_request("expected {\"fault\": ..., \"count\": ...}"))?;
    let name = request.get("fault").and_then(Value::as_str).unwrap_or("");
    let number = |field: &str, default: u64, most: u64| match request.get(field) {
        None => Ok(default),
        Some(value) => value
            .as_u64()
            .filter(|number| *number <= most)
            .ok_or_else(|| {
                ApiError::validation(field, format!("must be a whole number from 0 to {most}"))
            }),
    };
    let delay = number("delayMs", 0, MAX_FAULT_DELAY.as_millis() as u64)?;
    let count = number("count", 1, MAX_FAULT_COUNT)?;
    let fault = Fault::parse(name, delay).ok_or_else(|| {
        ApiError::bad_request(format!(
            "unknown fault `{name}`; the faults are {}",
            Fault::NAMES.join(", ")
        ))
    })?;
    Ok((fault, count as usize))
}
