//! Which operation a request is, and its answer.

use ivschat_runtime::sigv4::{is_normalized_path, percent_decode};
use serde_json::Value;

use crate::error::ApiError;
use crate::input::body;
use crate::state::State;
use crate::{chat, logging, rooms, tags};

/// A successful answer: status and JSON body (`Null` for none).
pub type Answer = (u16, Value);

type Body = serde_json::Map<String, Value>;

/// How an operation runs: on the state and the request body, and for some on the caller.
#[derive(Clone, Copy)]
enum Operation {
    Plain(fn(&mut State, &Body) -> Result<Value, ApiError>),
    /// Also given the caller's principal (what it owns, such as pending chat tokens).
    ByCaller(fn(&mut State, &Body, &str) -> Result<Value, ApiError>),
}

/// Whether an operation changes what a state file keeps (it is saved after it).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Effect {
    Reads,
    Writes,
}

use Effect::{Reads, Writes};
use Operation::{ByCaller, Plain};

/// The POST operations by path, with their success status and effect on the kept state.
const POST_OPERATIONS: &[(&str, Operation, u16, Effect)] = &[
    ("/CreateChatToken", ByCaller(chat::create_token), 200, Reads),
    (
        "/CreateLoggingConfiguration",
        Plain(logging::create),
        200,
        Writes,
    ),
    ("/CreateRoom", Plain(rooms::create), 200, Writes),
    (
        "/DeleteLoggingConfiguration",
        Plain(logging::delete),
        204,
        Writes,
    ),
    ("/DeleteMessage", Plain(chat::delete_message), 200, Reads),
    ("/DeleteRoom", Plain(rooms::delete), 204, Writes),
    ("/DisconnectUser", Plain(chat::disconnect_user), 200, Reads),
    ("/GetLoggingConfiguration", Plain(logging::get), 200, Reads),
    ("/GetRoom", Plain(rooms::get), 200, Reads),
    (
        "/ListLoggingConfigurations",
        Plain(logging::list),
        200,
        Reads,
    ),
    ("/ListRooms", Plain(rooms::list), 200, Reads),
    ("/SendEvent", Plain(chat::send_event), 200, Reads),
    (
        "/UpdateLoggingConfiguration",
        Plain(logging::update),
        200,
        Writes,
    ),
    ("/UpdateRoom", Plain(rooms::update), 200, Writes),
];

/// The most query parameters read (UntagResource takes at most 50 tag keys).
const MAX_QUERY_PARAMETERS: usize = 64;

/// One control-plane request.
pub struct Call<'a> {
    /// The HTTP method.
    pub method: &'a str,
    /// The path, as signed.
    pub path: &'a str,
    /// The query string.
    pub query: &'a str,
    /// The body.
    pub payload: &'a [u8],
    /// The caller's principal.
    pub caller: &'a str,
}

/// The names of the service's operations.
pub const OPERATIONS: &[&str] = &[
    "CreateChatToken",
    "CreateLoggingConfiguration",
    "CreateRoom",
    "DeleteLoggingConfiguration",
    "DeleteMessage",
    "DeleteRoom",
    "DisconnectUser",
    "GetLoggingConfiguration",
    "GetRoom",
    "ListLoggingConfigurations",
    "ListRooms",
    "ListTagsForResource",
    "SendEvent",
    "TagResource",
    "UntagResource",
    "UpdateLoggingConfiguration",
    "UpdateRoom",
];

/// The name of the operation a request line calls (`Unknown` for none).
pub fn operation_name(method: &str, path: &str) -> &'static str {
    if path.starts_with("/tags/") {
        return match method {
            "GET" => "ListTagsForResource",
            "POST" => "TagResource",
            "DELETE" => "UntagResource",
            _ => "Unknown",
        };
    }
    POST_OPERATIONS
        .iter()
        .find(|(operation_path, _, _, _)| *operation_path == path)
        .map_or("Unknown", |(operation_path, _, _, _)| &operation_path[1..])
}

/// Whether the request changes what a state file keeps (tagging, and the writes of
/// [`POST_OPERATIONS`]); everything else is answered without waiting for a save.
pub fn writes(method: &str, path: &str) -> bool {
    if path.starts_with("/tags/") {
        return method != "GET";
    }
    POST_OPERATIONS
        .iter()
        .any(|(operation_path, _, _, effect)| *operation_path == path && *effect == Writes)
}

/// Query parameters, decoded; more than [`MAX_QUERY_PARAMETERS`] is an error.
fn query_pairs(query: &str) -> Result<Vec<(String, String)>, ApiError> {
    let pairs = query.split('&').filter(|pair| !pair.is_empty());
    if pairs.clone().count() > MAX_QUERY_PARAMETERS {
        return Err(ApiError::bad_request(format!(
            "the query holds more than {MAX_QUERY_PARAMETERS} parameters"
        )));
    }
    Ok(pairs
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect())
}

/// Routes a request to its operation and runs it on `state`.
pub fn route(state: &mut State, call: &Call) -> Result<Answer, ApiError> {
    let (method, path, query, payload) = (call.method, call.path, call.query, call.payload);
    // The verifier signs the normalised path: only that path is routed.
    if !is_normalized_path(path) {
        return Err(ApiError::bad_request(format!(
            "the path `{path}` is not in normal form (an empty, `.` or `..` segment)"
        )));
    }
    if let Some(encoded_arn) = path.strip_prefix("/tags/") {
        let arn = percent_decode(encoded_arn);
        return match method {
            "GET" => tags::list(state, &arn).map(|output| (200, output)),
            "POST" => tags::tag(state, &arn, &body(payload)?).map(|output| (200, output)),
            "DELETE" => {
                let keys: Vec<String> = query_pairs(query)?
                    .into_iter()
                    .filter(|(name, _)| name == "tagKeys")
                    .map(|(_, value)| value)
                    .collect();
                tags::untag(state, &arn, &keys).map(|output| (200, output))
            }
            _ => Err(ApiError::unknown_operation(method, path)),
        };
    }
    let (_, operation, status, _) = POST_OPERATIONS
        .iter()
        .find(|(operation_path, _, _, _)| *operation_path == path)
        .filter(|_| method == "POST")
        .ok_or_else(|| ApiError::unknown_operation(method, path))?;
    let output = match operation {
        Plain(run) => run(state, &body(payload)?),
        ByCaller(run) => run(state, &body(payload)?, call.caller),
    };
    output.map(|output| (*status, output))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call<'a>(method: &'a str, path: &'a str, query: &'a str) -> Call<'a> {
        Call {
            method,
            path,
            query,
            payload: b"{}",
            caller: "AKID",
        }
    }

    #[test]
    fn paths_other_than_the_signed_one_are_refused() {
        let mut state = State::default();
        for path in ["/ListRooms/../DeleteRoom", "//ListRooms", "/./ListRooms"] {
            let error = route(&mut state, &call("POST", path, "")).unwrap_err();
            assert!(
                error.body["message"]
                    .as_str()
                    .unwrap()
                    .contains("not in normal form"),
                "{path}"
            );
        }
        assert!(route(&mut state, &call("POST", "/ListRooms", "")).is_ok());
    }

    #[test]
    fn query_parameters_are_bounded_and_writes_are_known() {
        let mut state = State::default();
        let crowded = vec!["tagKeys=a"; 65].join("&");
        let error = route(&mut state, &call("DELETE", "/tags/arn", &crowded)).unwrap_err();
        assert!(error.body["message"]
            .as_str()
            .unwrap()
            .contains("more than 64 parameters"));
        assert!(writes("POST", "/CreateRoom") && writes("DELETE", "/tags/x"));
        assert_eq!(operation_name("POST", "/GetRoom"), "GetRoom");
        assert_eq!(operation_name("DELETE", "/tags/arn%3Aaws"), "UntagResource");
        assert_eq!(operation_name("POST", "/Nope"), "Unknown");
        for (path, ..) in POST_OPERATIONS {
            assert!(OPERATIONS.contains(&&path[1..]), "{path}");
        }
        assert_eq!(OPERATIONS.len(), 17);
        assert!(
            !writes("POST", "/GetRoom")
                && !writes("GET", "/tags/x")
                && !writes("POST", "/CreateChatToken")
        );
    }
}
