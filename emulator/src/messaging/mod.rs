//! The Chat Messaging API: WebSocket connections on the same port as the control plane
//! (`ws://ADDRESS:PORT/`), opened with a token from CreateChatToken as the subprotocol.

mod actions;
mod frames;
mod session;

use std::sync::Arc;

use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use ivschat_runtime::bytes::Bytes;
use ivschat_runtime::http::{header, Request, Response, StatusCode};
use ivschat_runtime::DateTime;
use tokio::sync::{mpsc, Notify};
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use tokio_tungstenite::WebSocketStream;

pub use actions::{announce, announce_deletion, announce_disconnection};

use crate::fault::ResponseBody;
use crate::hub::Outbox;
use crate::shared::Shared;
use crate::state::IssuedToken;

/// The largest message the emulator reads off a socket; a bigger one fails the connection.
const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// Whether a request asks for a WebSocket.
pub fn is_upgrade<B>(request: &Request<B>) -> bool {
    request.method() == "GET"
        && request
            .headers()
            .get(header::UPGRADE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.eq_ignore_ascii_case("websocket"))
}

/// Answers a WebSocket upgrade: 101 with the token echoed as the subprotocol when the token is
/// good, else 401 (a missing, unknown, used or expired token), 404 (the room is gone) or 400.
pub fn accept(mut request: Request<Incoming>, shared: Arc<Shared>) -> Response<ResponseBody> {
    let key = match request.headers().get(header::SEC_WEBSOCKET_KEY) {
        Some(key) => derive_accept_key(key.as_bytes()),
        None => return refuse(StatusCode::BAD_REQUEST, "Sec-WebSocket-Key is missing"),
    };
    let offered = offered_token(&request);
    let Some(offered) = offered else {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "the chat token is missing (send it as the WebSocket subprotocol)",
        );
    };
    // Checked before the token is redeemed, so that a refused client keeps its token.
    let Some(permit) = shared.websocket_permit() else {
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many chat connections are open; try again later",
        );
    };
    let token = match redeem(&shared, &offered) {
        Ok(token) => token,
        Err((status, message)) => return refuse(status, message),
    };
    start_session(hyper::upgrade::on(&mut request), shared, token, permit);
    Response::builder()
        .status(StatusCode::SWITCHING_PROTOCOLS)
        .header(header::UPGRADE, "websocket")
        .header(header::CONNECTION, "Upgrade")
        .header(header::SEC_WEBSOCKET_ACCEPT, key)
        .header(header::SEC_WEBSOCKET_PROTOCOL, offered)
        .body(ResponseBody::full(Bytes::new()))
        .expect("the headers are valid")
}

/// The chat token a client offers: the first WebSocket subprotocol.
fn offered_token(request: &Request<Incoming>) -> Option<String> {
    request
        .headers()
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(',').next())
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .map(str::to_owned)
}

/// Joins the token's room now and serves the socket once `upgrade` completes, in a task of
/// its own that holds `permit` and leaves the room when the socket closes.
fn start_session(
    upgrade: hyper::upgrade::OnUpgrade,
    shared: Arc<Shared>,
    token: IssuedToken,
    permit: tokio::sync::OwnedSemaphorePermit,
) {
    let presence = crate::hub::Presence {
        capabilities: token.capabilities.clone(),
        session_expiration: token
            .session_expiration
            .fmt(ivschat_runtime::DateTimeFormat::DateTime),
    };
    // Joined before the 101 goes out: a client sees every frame broadcast after its handshake.
    let (frames, inbox) = mpsc::channel(shared.limits().outbox_frames.max(1));
    let kick = Arc::new(Notify::new());
    let outbox = Outbox {
        frames,
        kick: kick.clone(),
    };
    let id = shared
        .lock()
        .hub
        .join(&token.room_arn, &token.user_id, presence, outbox);
    tokio::spawn(async move {
        let _permit = permit;
        let Ok(upgraded) = upgrade.await else {
            shared.lock().hub.leave(id);
            return;
        };
        let socket = WebSocketStream::from_raw_socket(
            TokioIo::new(upgraded),
            Role::Server,
            Some(socket_config()),
        )
        .await;
        let connection = session::Connection {
            inbox,
            kick,
            send_timeout: shared.limits().send_timeout,
        };
        session::serve(socket, connection, &shared, &token).await;
        shared.lock().hub.leave(id);
    });
}

/// What the emulator reads and buffers per socket: messages and frames up to
/// [`MAX_MESSAGE_BYTES`] (a bigger one fails the connection before it is buffered), and at
/// most 1 MiB waiting to be written.
fn socket_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE_BYTES))
        .max_frame_size(Some(MAX_MESSAGE_BYTES))
        .max_write_buffer_size(1024 * 1024)
}

/// Takes a token for a connection: it must be one this emulator issued, unused, unexpired,
/// for a room that still exists.
fn redeem(shared: &Shared, offered: &str) -> Result<IssuedToken, (StatusCode, String)> {
    let mut state = shared.lock();
    let now = DateTime::now();
    let unauthorized = |message: &str| (StatusCode::UNAUTHORIZED, message.to_owned());
    let token = state
        .tokens
        .iter_mut()
        .find(|token| token.token == offered)
        .ok_or_else(|| unauthorized("the chat token is not one this service issued"))?;
    if token.used {
        return Err(unauthorized("the chat token was already used"));
    }
    if token.token_expiration <= now {
        return Err(unauthorized("the chat token has expired"));
    }
    token.used = true;
    let token = token.clone();
    if !state.rooms.contains_key(&token.room_arn) {
        return Err((
            StatusCode::NOT_FOUND,
            format!("room {} not found", token.room_arn),
        ));
    }
    Ok(token)
}

fn refuse(status: StatusCode, message: impl Into<String>) -> Response<ResponseBody> {
    let text: String = message.into();
    Response::builder()
        .extension(crate::request_log::Refusal(text.clone()))
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .header(header::CONTENT_LENGTH, text.len())
        .body(ResponseBody::full(Bytes::from(text)))
        .expect("the headers are valid")
}
