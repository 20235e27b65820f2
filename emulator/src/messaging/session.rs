//! One WebSocket connection: frames from the client become actions, frames for it arrive in
//! its inbox, and it ends at the session's expiry, on a kick or when either side closes.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures_util::{SinkExt, StreamExt};
use hyper::upgrade::Upgraded;
use hyper_util::rt::TokioIo;
use tokio::sync::{mpsc, Notify};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use super::actions;
use super::frames;
use crate::fault::Fault;
use crate::hub::Outgoing;
use crate::shared::Shared;
use crate::state::{new_id, IssuedToken};

/// The socket of a connection.
pub type Socket = WebSocketStream<TokioIo<Upgraded>>;

/// A connection's side of its [`Outbox`](super::Outbox).
pub struct Connection {
    /// Frames for the client.
    pub inbox: mpsc::Receiver<Outgoing>,
    /// Rung when the client fell too far behind.
    pub kick: Arc<Notify>,
    /// The longest one frame may take to send.
    pub send_timeout: Duration,
}

/// Sends a text frame within `limit`; false when the client is gone or too slow.
async fn send_text(socket: &mut Socket, text: String, limit: Duration) -> bool {
    matches!(
        tokio::time::timeout(limit, socket.send(Message::text(text))).await,
        Ok(Ok(()))
    )
}

/// Serves a connection opened with `token`, whose frames for the client arrive in its inbox,
/// until it ends.
pub async fn serve(
    mut socket: Socket,
    connection: Connection,
    shared: &Shared,
    token: &IssuedToken,
) {
    let Connection {
        mut inbox,
        kick,
        send_timeout,
    } = connection;
    let remaining = SystemTime::from(token.session_expiration)
        .duration_since(SystemTime::now())
        .unwrap_or(Duration::ZERO);
    let session_end = tokio::time::sleep(remaining);
    tokio::pin!(session_end);
    loop {
        tokio::select! {
            outgoing = inbox.recv() => match outgoing {
                Some(Outgoing::Frame(text)) => {
                    if !send_text(&mut socket, text, send_timeout).await {
                        break;
                    }
                }
                Some(Outgoing::Close(reason)) => {
                    close(&mut socket, &reason).await;
                    break;
                }
                Some(Outgoing::Break) | None => break,
            },
            incoming = socket.next() => match answer(shared, token, incoming).await {
                Answer::Send(frame) => {
                    if !send_text(&mut socket, frame, send_timeout).await {
                        break;
                    }
                }
                Answer::Nothing => {}
                Answer::Stop => break,
            },
            () = kick.notified() => break,
            () = &mut session_end => {
                let frame = frames::error(
                    &new_id(),
                    "",
                    401,
                    "the connection has expired: the chat session ended",
                );
                let _ = send_text(&mut socket, frame, send_timeout).await;
                close(&mut socket, "session expired").await;
                break;
            }
        }
    }
}

/// What one message from the client leads to.
enum Answer {
    /// Send this frame back.
    Send(String),
    /// Nothing to send.
    Nothing,
    /// End the connection.
    Stop,
}

/// Acts on what the client sent (a fault rule may stand in for the action), or ends the
/// connection when the client closed it or broke the protocol.
async fn answer(
    shared: &Shared,
    token: &IssuedToken,
    incoming: Option<Result<Message, tokio_tungstenite::tungstenite::Error>>,
) -> Answer {
    let text = match incoming {
        Some(Ok(Message::Text(text))) => text,
        Some(Ok(Message::Binary(_))) => {
            return Answer::Send(frames::error(&new_id(), "", 400, "frames must be text"))
        }
        Some(Ok(_)) => return Answer::Nothing,
        Some(Err(_)) | None => return Answer::Stop,
    };
    match chat_fault(shared, text.as_str()) {
        Some(Injected::Break) => return Answer::Stop,
        Some(Injected::Error(frame)) => return Answer::Send(frame),
        Some(Injected::Delay(delay)) => tokio::time::sleep(delay).await,
        None => {}
    }
    match actions::handle(&mut shared.lock(), token, text.as_str()) {
        Some(frame) => Answer::Send(frame),
        None => Answer::Nothing,
    }
}

/// What a fault rule naming a chat action does to one frame.
enum Injected {
    /// Answer this ERROR frame instead.
    Error(String),
    /// Wait, then act.
    Delay(Duration),
    /// Drop the connection without a close handshake.
    Break,
}

/// The fault of the next rule naming the frame's action, if any.
fn chat_fault(shared: &Shared, text: &str) -> Option<Injected> {
    let frame: serde_json::Value = serde_json::from_str(text).ok()?;
    let action = frame.get("Action")?.as_str()?;
    let rule = shared.next_action_fault(action)?;
    let request_id = frame
        .get("RequestId")
        .and_then(|id| id.as_str())
        .unwrap_or("");
    let error = |default: u16, message: &str| {
        let code = rule.status.unwrap_or(default);
        Injected::Error(frames::error(&new_id(), request_id, code, message))
    };
    Some(match rule.fault {
        Fault::Throttle => error(429, "injected throttling"),
        Fault::AccessDenied => error(403, "injected access denial"),
        Fault::Delay(delay) => Injected::Delay(delay),
        Fault::DropBeforeResponse | Fault::DropDuringResponse => Injected::Break,
        _ => error(500, "injected internal error"),
    })
}

/// Closes with 1000 and `reason` (cut to the 123 bytes a close frame holds), then waits
/// briefly for the client's close.
async fn close(socket: &mut Socket, reason: &str) {
    let mut end = reason.len().min(123);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    let frame = CloseFrame {
        code: CloseCode::Normal,
        reason: reason[..end].to_owned().into(),
    };
    let closed = tokio::time::timeout(Duration::from_secs(1), socket.close(Some(frame))).await;
    if matches!(closed, Ok(Ok(()))) {
        let _ = tokio::time::timeout(Duration::from_secs(1), async {
            while let Some(Ok(_)) = socket.next().await {}
        })
        .await;
    }
}
