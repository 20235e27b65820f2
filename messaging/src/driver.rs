//! The task that owns the connection: it sends requests, matches answers to them by
//! `RequestId`, forwards events, renews the token before it expires (or on a 401) by opening a
//! second connection and retiring the first, and reconnects after an unclean close.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures_util::{SinkExt, StreamExt};
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;

use crate::endpoint::Endpoint;
use crate::error::{ChatError, ConnectError};
use crate::frames;
use crate::recent::RecentIds;
use crate::socket::{self, Socket};
use crate::token::{ChatToken, TokenProvider};
use crate::types::{ChatEvent, ConnectionState};

/// How the room connects and reconnects.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Longest a handshake may take.
    pub connect_timeout: Duration,
    /// Reconnection attempts after an unclean close before giving up.
    pub max_reconnect_attempts: u32,
    /// How long before a token expires a fresh one is fetched and a new connection opened.
    pub refresh_before_expiry: Duration,
}

/// Which frame answers a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Message,
    Deletion,
    Disconnection,
}

/// What the room's handles ask of the driver.
pub enum Command {
    /// Send `frame` and answer `reply` when the frame with `request_id` arrives.
    Request {
        request_id: String,
        frame: String,
        answer: Answer,
        reply: oneshot::Sender<Result<ChatEvent, ChatError>>,
    },
    /// Close the connection cleanly.
    Close,
}

struct Pending {
    answer: Answer,
    reply: oneshot::Sender<Result<ChatEvent, ChatError>>,
}

/// Why serving a connection stopped.
enum Stop {
    /// The client closed (or every handle was dropped).
    ClientClosed,
    /// The server closed the connection with a close frame.
    ServerClosed { code: Option<u16>, reason: String },
    /// The connection broke without a close handshake.
    Broken(String),
    /// Time to renew the token (it is about to expire, or the server answered 401).
    Renew,
}

/// Opens a connection with a fresh token; returns it and when to renew the token.
pub async fn open(
    endpoint: &Endpoint,
    provider: &dyn TokenProvider,
    settings: &Settings,
) -> Result<(Socket, Option<Instant>), ConnectError> {
    let token = provider.token().await.map_err(ConnectError::Token)?;
    let socket = socket::open(endpoint, token.secret(), settings.connect_timeout).await?;
    Ok((socket, renewal(&token, settings.refresh_before_expiry)))
}

/// When to renew `token`: `lead` before it expires, or halfway to its expiry when less than
/// `lead` is left (at least a second from now).
fn renewal(token: &ChatToken, lead: Duration) -> Option<Instant> {
    let expires = SystemTime::from(token.expiration()?);
    let remaining = expires
        .duration_since(SystemTime::now())
        .unwrap_or(Duration::ZERO);
    let wait = if remaining > lead {
        remaining - lead
    } else {
        remaining / 2
    };
    Some(Instant::now() + wait.max(Duration::from_secs(1)))
}

/// The driver's state.
pub struct Driver {
    pub endpoint: Endpoint,
    pub provider: Arc<dyn TokenProvider>,
    pub settings: Settings,
    pub commands: mpsc::UnboundedReceiver<Command>,
    pub events: mpsc::UnboundedSender<ChatEvent>,
    pending: HashMap<String, Pending>,
    seen: RecentIds,
}

impl Driver {
    /// A driver for a room whose first connection is open.
    pub fn new(
        endpoint: Endpoint,
        provider: Arc<dyn TokenProvider>,
        settings: Settings,
        commands: mpsc::UnboundedReceiver<Command>,
        events: mpsc::UnboundedSender<ChatEvent>,
    ) -> Self {
        Self {
            endpoint,
            provider,
            settings,
            commands,
            events,
            pending: HashMap::new(),
            seen: RecentIds::new(4096),
        }
    }

    /// Serves connections until the room closes for good.
    pub async fn run(mut self, mut socket: Socket, mut renew_at: Option<Instant>) {
        self.emit(ChatEvent::State(ConnectionState::Connected));
        loop {
            match self.serve(&mut socket, renew_at).await {
                Stop::ClientClosed => {
                    return self.finish(Some(1000), "closed by the client".to_owned());
                }
                Stop::ServerClosed { code, reason } => return self.finish(code, reason),
                Stop::Renew => match self.open().await {
                    Ok((fresh, next)) => {
                        let retired = std::mem::replace(&mut socket, fresh);
                        self.retire(retired).await;
                        renew_at = next;
                    }
                    Err(error) => {
                        tracing::warn!(%error, "cannot renew the chat token; retrying in 5 s");
                        renew_at = Some(Instant::now() + Duration::from_secs(5));
                    }
                },
                Stop::Broken(reason) => {
                    self.fail_pending();
                    self.emit(ChatEvent::State(ConnectionState::Reconnecting {
                        reason: reason.clone(),
                    }));
                    match self.reconnect().await {
                        Ok((fresh, next)) => {
                            socket = fresh;
                            renew_at = next;
                            self.emit(ChatEvent::State(ConnectionState::Connected));
                        }
                        Err(error) => {
                            return self
                                .finish(None, format!("{reason}; reconnecting failed: {error}"));
                        }
                    }
                }
            }
        }
    }

    async fn open(&self) -> Result<(Socket, Option<Instant>), ConnectError> {
        open(&self.endpoint, self.provider.as_ref(), &self.settings).await
    }

    /// Reconnects with backoff (200 ms doubling, at most 5 s, jittered), a new token each time.
    async fn reconnect(&self) -> Result<(Socket, Option<Instant>), ConnectError> {
        let mut attempt = 0;
        loop {
            match self.open().await {
                Ok(opened) => return Ok(opened),
                Err(ConnectError::Refused {
                    status: 404,
                    message,
                }) => {
                    return Err(ConnectError::Refused {
                        status: 404,
                        message,
                    });
                }
                Err(error) if attempt + 1 >= self.settings.max_reconnect_attempts => {
                    return Err(error)
                }
                Err(error) => {
                    tracing::debug!(%error, attempt, "chat reconnection failed");
                    let ceiling = Duration::from_millis(200 * 2u64.pow(attempt.min(5)))
                        .min(Duration::from_secs(5));
                    tokio::time::sleep(ceiling.mul_f64(0.5 + fastrand::f64() / 2.0)).await;
                    attempt += 1;
                }
            }
        }
    }

    async fn serve(&mut self, socket: &mut Socket, renew_at: Option<Instant>) -> Stop {
        let renewal = async {
            match renew_at {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::pin!(renewal);
        loop {
            tokio::select! {
                command = self.commands.recv() => match command {
                    Some(Command::Request { request_id, frame, answer, reply }) => {
                        self.pending.retain(|_, pending| !pending.reply.is_closed());
                        self.pending.insert(request_id, Pending { answer, reply });
                        if let Err(error) = socket.send(Message::text(frame)).await {
                            return Stop::Broken(error.to_string());
                        }
                    }
                    Some(Command::Close) | None => {
                        close(socket).await;
                        return Stop::ClientClosed;
                    }
                },
                message = socket.next() => match message {
                    Some(Ok(Message::Text(text))) => {
                        if self.receive(text.as_str()) {
                            return Stop::Renew;
                        }
                    }
                    Some(Ok(Message::Close(frame))) => {
                        let (code, reason) = frame.map_or((None, String::new()), |frame| {
                            (Some(u16::from(frame.code)), frame.reason.to_string())
                        });
                        return Stop::ServerClosed { code, reason };
                    }
                    Some(Ok(_)) => {}
                    Some(Err(error)) => return Stop::Broken(error.to_string()),
                    None => return Stop::Broken("the connection ended without a close frame".to_owned()),
                },
                () = &mut renewal => return Stop::Renew,
            }
        }
    }

    /// Closes a connection replaced by a fresh one, handling the frames still on it.
    async fn retire(&mut self, mut socket: Socket) {
        close_frame(&mut socket).await;
        let drained = tokio::time::timeout(Duration::from_secs(2), async {
            while let Some(Ok(message)) = socket.next().await {
                if let Message::Text(text) = message {
                    self.receive(text.as_str());
                }
            }
        });
        let _ = drained.await;
    }

    /// Handles a frame; true when it is a 401 (the connection must be renewed).
    fn receive(&mut self, text: &str) -> bool {
        let incoming = match frames::parse(text) {
            Ok(incoming) => incoming,
            Err(problem) => {
                tracing::warn!(%problem, "dropping a malformed chat frame");
                return false;
            }
        };
        if !self.seen.first_sighting(&incoming.id) {
            return false;
        }
        let unauthorized = matches!(&incoming.event, ChatEvent::Error(error) if error.code == 401);
        let answered = self
            .pending
            .get(&incoming.request_id)
            .is_some_and(|pending| answers(pending.answer, &incoming.event));
        if answered {
            if let Some(pending) = self.pending.remove(&incoming.request_id) {
                let outcome = match &incoming.event {
                    ChatEvent::Error(error) => Err(ChatError::Server(error.clone())),
                    event => Ok(event.clone()),
                };
                let _ = pending.reply.send(outcome);
            }
        }
        if !(answered && matches!(incoming.event, ChatEvent::Error(_))) {
            self.emit(incoming.event);
        }
        unauthorized
    }

    fn emit(&self, event: ChatEvent) {
        let _ = self.events.send(event);
    }

    fn fail_pending(&mut self) {
        for (_, pending) in self.pending.drain() {
            let _ = pending.reply.send(Err(ChatError::ConnectionLost));
        }
    }

    fn finish(mut self, code: Option<u16>, reason: String) {
        self.fail_pending();
        self.emit(ChatEvent::State(ConnectionState::Disconnected {
            code,
            reason,
        }));
    }
}

/// Whether `event` answers a request expecting `answer` (an ERROR answers any request).
fn answers(answer: Answer, event: &ChatEvent) -> bool {
    matches!(
        (answer, event),
        (_, ChatEvent::Error(_))
            | (Answer::Message, ChatEvent::Message(_))
            | (Answer::Deletion, ChatEvent::MessageDeleted(_))
            | (Answer::Disconnection, ChatEvent::UserDisconnected(_))
    )
}

async fn close_frame(socket: &mut Socket) {
    let frame = CloseFrame {
        code: CloseCode::Normal,
        reason: "".into(),
    };
    let _ = socket.close(Some(frame)).await;
}

/// Closes with 1000 and waits briefly for the server's close.
async fn close(socket: &mut Socket) {
    close_frame(socket).await;
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        while let Some(Ok(_)) = socket.next().await {}
    })
    .await;
}
