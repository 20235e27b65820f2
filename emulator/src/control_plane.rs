//! The service's operations over HTTP: authentication first, then the next queued fault that
//! targets this operation (so a fault never hits a request that would be refused anyway), the
//! operation on the state (saved with a state file), and the answer in the service's wire
//! format.

use std::sync::Arc;

use ivschat_runtime::bytes::Bytes;
use ivschat_runtime::http::request::Parts;
use ivschat_runtime::http::Response;

use crate::auth::{authenticate, Caller, Scope};
use crate::error::ApiError;
use crate::fault::{BrokenOff, Fault, FaultRule, ResponseBody};
use crate::router::{operation_name, route, writes, Answer, Call};
use crate::shared::Shared;
use crate::state::{new_id, State};

/// Answers a control-plane request whose body was read.
pub async fn answer(
    shared: &Arc<Shared>,
    parts: &Parts,
    body: &[u8],
) -> Result<Response<ResponseBody>, BrokenOff> {
    let caller = match authenticate(&shared.access, parts, body, "ivschat", Scope::Api) {
        Ok(caller) => caller,
        Err(error) => return Ok(finish(Err(error), None)),
    };
    let operation = operation_name(parts.method.as_str(), parts.uri.path());
    if let Some(policy) = shared.access.policies.get(&caller.principal) {
        let resource = crate::policy::resource_of(parts.uri.path(), body);
        if let Err(denied) = policy.check(&caller.principal, operation, resource.as_deref()) {
            return Ok(finish(Err(denied), None));
        }
    }
    let rule = shared.next_fault(operation);
    let fault = rule.as_ref().map(|rule| rule.fault);
    let outcome = match (fault, rule.as_ref().and_then(injected_error)) {
        (Some(Fault::DropBeforeResponse), _) => return Err(BrokenOff),
        (_, Some(error)) => Err(error),
        (Some(Fault::Delay(delay)), _) => {
            tokio::time::sleep(delay).await;
            operate(shared, parts, body, &caller).await
        }
        _ => operate(shared, parts, body, &caller).await,
    };
    Ok(finish(outcome, fault))
}

/// The error a rule's fault answers with, at the rule's status when it sets one; `None` for
/// faults that answer otherwise.
fn injected_error(rule: &FaultRule) -> Option<ApiError> {
    let mut error = match rule.fault {
        Fault::InternalError => ApiError::internal(),
        Fault::Throttle => ApiError::throttled(),
        Fault::AccessDenied => ApiError::access_denied(),
        Fault::PendingVerification => ApiError::pending_verification(),
        _ => return None,
    };
    if let Some(status) = rule.status {
        error.status = status;
    }
    Some(error)
}

/// Runs an authenticated operation. Reads (and changes without a state file) run under
/// the state lock alone. With a state file, a change is committed to memory and disk or to
/// neither: changes take their turn on the save lock, which holds the last saved document; the
/// new one is made from the kept collections (shared, not copied) and written outside the
/// state lock by a blocking task that owns the turn, so a request dropped mid-save still ends
/// in one state or the other, and a failed write puts the last saved state back and answers
/// 500.
pub(crate) async fn operate(
    shared: &Arc<Shared>,
    parts: &Parts,
    body: &[u8],
    caller: &Caller,
) -> Result<Answer, ApiError> {
    let (method, path) = (parts.method.as_str(), parts.uri.path());
    let call = Call {
        method,
        path,
        query: parts.uri.query().unwrap_or(""),
        payload: body,
        caller: &caller.principal,
    };
    let state_file = shared.state_file.as_ref().filter(|_| writes(method, path));
    let Some(state_file) = state_file.cloned() else {
        return route_as(shared, &mut shared.lock(), &call);
    };
    let mut saved = shared.saves.clone().lock_owned().await;
    let (answer, kept) = {
        let mut state = shared.lock();
        let answer = route_as(shared, &mut state, &call)?;
        (answer, state.kept())
    };
    let shared = shared.clone();
    let display = state_file.display().to_string();
    let written = tokio::task::spawn_blocking(move || {
        let document = crate::persist::document(&kept);
        drop(kept);
        let written = crate::persist::write(&state_file, &document);
        match &written {
            Ok(()) => *saved = document,
            Err(_) => crate::persist::restore(&mut shared.lock(), &saved),
        }
        written
    })
    .await
    .map_err(|error| std::io::Error::other(error.to_string()))
    .and_then(|result| result);
    written.map(|()| answer).map_err(|error| {
        ApiError::internal_failure(format!(
            "cannot save the state to {display}: {error}; the change was not made"
        ))
    })
}

/// Routes a call in its caller's account: seeing only that account's resources when keys
/// have accounts of their own.
fn route_as(shared: &Shared, state: &mut State, call: &Call) -> Result<Answer, ApiError> {
    let default = state.settings.account_id.clone();
    match shared.access.account_of(call.caller, &default) {
        Some(account) => state.in_account(&account, |state| route(state, call)),
        None => route(state, call),
    }
}

/// The response of an outcome, in the service's wire format, broken as a fault says.
pub(crate) fn finish(
    outcome: Result<(u16, serde_json::Value), ApiError>,
    fault: Option<Fault>,
) -> Response<ResponseBody> {
    let refusal = outcome.as_ref().err().map(|error| {
        let message = error.body.get("message").and_then(|m| m.as_str());
        crate::request_log::Refusal(format!("{}: {}", error.code, message.unwrap_or_default()))
    });
    let (status, code, text) = match outcome {
        Ok((status, serde_json::Value::Null)) => (status, None, String::new()),
        Ok((status, value)) => (status, None, value.to_string()),
        Err(error) => (
            error.status,
            Some(error.code),
            serde_json::Value::Object(error.body).to_string(),
        ),
    };
    let (status, text) = match fault {
        Some(Fault::InvalidJson) => (200, "{\"rooms\": [unterminated".to_owned()),
        _ => (status, text),
    };
    let bytes = Bytes::from(text);
    let mut builder = Response::builder()
        .status(status)
        .header("x-amzn-requestid", new_id())
        .header("content-length", bytes.len());
    if let Some(code) = code {
        builder = builder.header("x-amzn-errortype", code);
    }
    if !bytes.is_empty() {
        builder = builder.header("content-type", "application/json");
    }
    if let Some(refusal) = refusal {
        builder = builder.extension(refusal);
    }
    let body = match fault {
        Some(Fault::DropDuringResponse) => ResponseBody::half(bytes, true),
        Some(Fault::TruncateBody) => ResponseBody::half(bytes, false),
        _ => ResponseBody::full(bytes),
    };
    builder.body(body).expect("status and headers are valid")
}
