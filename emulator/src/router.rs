//! Which operation a request is, and its answer.

use ivschat_runtime::sigv4::percent_decode;
use serde_json::Value;

use crate::error::ApiError;
use crate::input::body;
use crate::state::State;
use crate::{chat, logging, rooms, tags};

/// A successful answer: status and JSON body (`Null` for none).
pub type Answer = (u16, Value);

type Operation = fn(&mut State, &serde_json::Map<String, Value>) -> Result<Value, ApiError>;

/// The POST operations by path, with their success status.
const POST_OPERATIONS: &[(&str, Operation, u16)] = &[
    ("/CreateChatToken", chat::create_token, 200),
    ("/CreateLoggingConfiguration", logging::create, 200),
    ("/CreateRoom", rooms::create, 200),
    ("/DeleteLoggingConfiguration", logging::delete, 204),
    ("/DeleteMessage", chat::delete_message, 200),
    ("/DeleteRoom", rooms::delete, 204),
    ("/DisconnectUser", chat::disconnect_user, 200),
    ("/GetLoggingConfiguration", logging::get, 200),
    ("/GetRoom", rooms::get, 200),
    ("/ListLoggingConfigurations", logging::list, 200),
    ("/ListRooms", rooms::list, 200),
    ("/SendEvent", chat::send_event, 200),
    ("/UpdateLoggingConfiguration", logging::update, 200),
    ("/UpdateRoom", rooms::update, 200),
];

/// Query parameters, decoded.
fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

/// Routes a request to its operation and runs it on `state`.
pub fn route(
    state: &mut State,
    method: &str,
    path: &str,
    query: &str,
    payload: &[u8],
) -> Result<Answer, ApiError> {
    if let Some(encoded_arn) = path.strip_prefix("/tags/") {
        let arn = percent_decode(encoded_arn);
        return match method {
            "GET" => tags::list(state, &arn).map(|output| (200, output)),
            "POST" => tags::tag(state, &arn, &body(payload)?).map(|output| (200, output)),
            "DELETE" => {
                let keys: Vec<String> = query_pairs(query)
                    .into_iter()
                    .filter(|(name, _)| name == "tagKeys")
                    .map(|(_, value)| value)
                    .collect();
                tags::untag(state, &arn, &keys).map(|output| (200, output))
            }
            _ => Err(ApiError::unknown_operation(method, path)),
        };
    }
    let operation = POST_OPERATIONS
        .iter()
        .find(|(operation_path, _, _)| *operation_path == path)
        .filter(|_| method == "POST")
        .ok_or_else(|| ApiError::unknown_operation(method, path))?;
    let (_, run, status) = operation;
    run(state, &body(payload)?).map(|output| (*status, output))
}
