//! The request log (`RUST_LOG=info`): one line a request with its method, the operation's name
//! (STS's action, `Connect` for a chat WebSocket), status and latency, and for a refusal its
//! reason; never a header, a key, a token or a body.

use ivschat_runtime::http::{Method, Response};

use crate::fault::{BrokenOff, ResponseBody};

/// The operation a response answered, set by a route that knows more than the request line
/// says (STS's action is in the body).
#[derive(Clone, Debug)]
pub struct OperationName(pub String);

/// Why a request was refused (a 4xx or 5xx), for the log: a sentence of the emulator's own,
/// never an echo of a header or a body.
#[derive(Clone, Debug)]
pub struct Refusal(pub String);

/// Logs the outcome of one request, and notes it for the console (not the console's own
/// requests, which would crowd out the rest).
pub fn log(
    shared: &crate::shared::Shared,
    method: &Method,
    operation: String,
    outcome: &Result<Response<ResponseBody>, BrokenOff>,
    latency_ms: f64,
) {
    let (operation, status, reason) = match outcome {
        Ok(answered) => (
            answered
                .extensions()
                .get::<OperationName>()
                .map_or(operation, |name| name.0.clone()),
            Some(answered.status().as_u16()),
            answered
                .extensions()
                .get::<Refusal>()
                .map(|refusal| refusal.0.clone()),
        ),
        Err(BrokenOff) => (operation, None, Some("broken off".to_owned())),
    };
    if !operation.starts_with("admin ui") && !operation.starts_with("admin console") {
        shared.note_request(serde_json::json!({
            "time": ivschat_runtime::DateTime::now().fmt(ivschat_runtime::DateTimeFormat::DateTime),
            "method": method.as_str(),
            "operation": operation,
            "status": status,
            "latencyMs": (latency_ms * 10.0).round() / 10.0,
            "reason": reason,
        }));
    }
    match (status, reason) {
        (None, _) => tracing::info!(%method, operation, latency_ms, "request broken off"),
        (Some(status), Some(reason)) => {
            tracing::info!(%method, operation, status, latency_ms, reason, "request")
        }
        (Some(status), None) => tracing::info!(%method, operation, status, latency_ms, "request"),
    }
}
