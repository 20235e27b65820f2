//! The web console (`/_emulator/ui`): a page served from the binary (HTML, JavaScript and
//! CSS, no CDN) and the API it calls under `/_emulator/console/`: the service's operations as
//! the console, the connected users, the recent requests and the fault rules. The API takes
//! the console token (`Authorization: Bearer`, made at start and given in the console's URL
//! fragment, which never reaches a server) and refuses another site's requests (an `Origin`
//! other than the emulator's own): a page elsewhere can neither read nor change anything.

use std::sync::Arc;

use ivschat_runtime::bytes::Bytes;
use ivschat_runtime::http::request::Parts;
use ivschat_runtime::http::{Method, Response, Uri};
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::fault::ResponseBody;
use crate::shared::Shared;

/// Where the page is served.
pub const UI_PATH: &str = "/_emulator/ui";
/// The prefix of the console's API.
pub const API_PREFIX: &str = "/_emulator/console/";

const PAGE: &str = include_str!("page.html");
const SCRIPT: &str = include_str!("console.js");
const STYLE: &str = include_str!("console.css");

/// Whether a request path is the console's (the page, its files or its API).
pub fn is_console(path: &str) -> bool {
    path == UI_PATH || path.starts_with("/_emulator/ui/") || path.starts_with(API_PREFIX)
}

/// Answers a console request that passed the gate.
pub async fn answer(shared: &Arc<Shared>, parts: &Parts, body: &[u8]) -> Response<ResponseBody> {
    let path = parts.uri.path();
    let asset = match (parts.method.as_str(), path) {
        ("GET", UI_PATH) => Some((PAGE, "text/html; charset=utf-8")),
        ("GET", "/_emulator/ui/console.js") => Some((SCRIPT, "text/javascript; charset=utf-8")),
        ("GET", "/_emulator/ui/console.css") => Some((STYLE, "text/css; charset=utf-8")),
        _ => None,
    };
    if let Some((text, content_type)) = asset {
        return static_file(text, content_type);
    }
    let outcome = match authorize(shared, parts) {
        Ok(()) => api(shared, parts, body).await,
        Err(error) => Err(error),
    };
    crate::control_plane::finish(outcome, None)
}

/// A file of the page, which may not be framed and runs only its own scripts.
fn static_file(text: &'static str, content_type: &str) -> Response<ResponseBody> {
    Response::builder()
        .status(200)
        .header("content-type", content_type)
        .header("content-length", text.len())
        .header(
            "content-security-policy",
            "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; frame-ancestors 'none'",
        )
        .header("x-frame-options", "DENY")
        .header("x-content-type-options", "nosniff")
        .header("cache-control", "no-store")
        .body(ResponseBody::full(Bytes::from_static(text.as_bytes())))
        .expect("status and headers are valid")
}

/// The console token, compared in constant time.
fn authorize(shared: &Shared, parts: &Parts) -> Result<(), ApiError> {
    let given = parts
        .headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or("");
    if crate::auth::same_secret(given, &shared.console_token) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "the console API needs the console token (the URL the emulator printed at start)",
        ))
    }
}

async fn api(shared: &Arc<Shared>, parts: &Parts, body: &[u8]) -> Result<(u16, Value), ApiError> {
    let route = parts.uri.path().trim_start_matches(API_PREFIX);
    match (parts.method.as_str(), route) {
        ("POST", operation) if operation.starts_with("api/") => {
            call(shared, &operation["api/".len()..], body).await
        }
        ("GET", "connections") => Ok((200, json!({ "connections": shared.lock().hub.list() }))),
        ("GET", "requests") => Ok((200, json!({ "requests": shared.recent_requests() }))),
        ("GET", "faults") => Ok(crate::admin::list_faults(shared)),
        ("POST", "faults") => crate::admin::queue_fault(shared, body),
        ("DELETE", "faults") => Ok(crate::admin::clear_faults(shared)),
        (method, _) => Err(ApiError::unknown_operation(method, parts.uri.path())),
    }
}

/// One of the service's operations (those called with `POST /NAME`), as the principal
/// `console`, without faults: the console shows the emulator, it does not test it.
async fn call(
    shared: &Arc<Shared>,
    operation: &str,
    body: &[u8],
) -> Result<(u16, Value), ApiError> {
    let path = format!("/{operation}");
    // The router's own table says which operations are `POST /NAME`.
    if crate::router::operation_name("POST", &path) != operation {
        return Err(ApiError::bad_request(format!(
            "the console calls the service's POST operations; `{operation}` is not one"
        )));
    }
    let uri: Uri = path
        .parse()
        .map_err(|_| ApiError::bad_request("not an operation name"))?;
    let (mut parts, ()) = ivschat_runtime::http::Request::new(()).into_parts();
    parts.method = Method::POST;
    parts.uri = uri;
    let caller = crate::auth::Caller {
        principal: "console".to_owned(),
    };
    crate::control_plane::operate(shared, &parts, body, &caller).await
}
