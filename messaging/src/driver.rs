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
use crate::settings::Settings;
use crate::socket::{self, Socket};
use crate::token::{ChatToken, TokenProvider};
use crate::types::{ChatEvent, ConnectionState, DisconnectCause};

/// The longest wait before renewing after repeated ERROR 401 frames.
const MAX_UNAUTHORIZED_BACKOFF: Duration = Duration::from_secs(30);

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
    /// Time to renew the token: it is about to expire, or (`unauthorized`) the server
    /// answered 401.
    Renew { unauthorized: bool },
}

/// Opens a connection with a fresh token; returns it and when to renew the token.
pub async fn open(
    endpoint: &Endpoint,
    provider: &dyn TokenProvider,
    settings: &Settings,
) -> Result<(Socket, Option<Instant>), ConnectError> {
    let limit = settings.token_timeout;
    let token = tokio::time::timeout(limit, provider.token())
        .await
        .map_err(|_| ConnectError::Token(format!("no token within {limit:?}").into()))?
        .map_err(ConnectError::Token)?;
    let socket = socket::open(endpoint, token.secret(), settings).await?;
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
    /// Bounded: while the application does not read its events, the driver stops reading the
    /// socket (backpressure), and the server's flow control does the rest.
    pub events: mpsc::Sender<ChatEvent>,
    pending: HashMap<String, Pending>,
    seen: RecentIds,
    /// ERROR 401 frames in a row, each renewal after the first waiting longer.
    unauthorized_streak: u32,
    /// Connection attempts in a row that failed: handshakes refused or broken, and
    /// connections that died before their first frame. A frame from the server resets it.
    failures: u32,
    /// Whether the current connection has had a frame from the server.
    heard: bool,
}

impl Driver {
    /// A driver for a room whose first connection is open.
    pub fn new(
        endpoint: Endpoint,
        provider: Arc<dyn TokenProvider>,
        settings: Settings,
        commands: mpsc::UnboundedReceiver<Command>,
        events: mpsc::Sender<ChatEvent>,
    ) -> Self {
        Self {
            endpoint,
            provider,
            settings,
            commands,
            events,
            pending: HashMap::new(),
            seen: RecentIds::new(4096),
            unauthorized_streak: 0,
            failures: 0,
            heard: false,
        }
    }

    /// Serves connections until the room closes for good.
    pub async fn run(mut self, mut socket: Socket, mut renew_at: Option<Instant>) {
        self.emit(ChatEvent::State(ConnectionState::Connected))
            .await;
        loop {
            match self.serve(&mut socket, renew_at).await {
                Stop::ClientClosed => {
                    return self
                        .finish(
                            DisconnectCause::Client,
                            Some(1000),
                            "closed by the client".to_owned(),
                        )
                        .await;
                }
                Stop::ServerClosed { code, reason } => {
                    return self.finish(DisconnectCause::Server, code, reason).await
                }
                Stop::Renew { unauthorized } => match self.renew(unauthorized).await {
                    Ok((fresh, next)) => {
                        let retired = std::mem::replace(&mut socket, fresh);
                        self.retire(retired).await;
                        self.heard = false;
                        renew_at = next;
                    }
                    Err(error) => {
                        tracing::warn!(%error, "cannot renew the chat token; retrying in 5 s");
                        renew_at = Some(Instant::now() + Duration::from_secs(5));
                    }
                },
                Stop::Broken(reason) => {
                    if !self.heard {
                        self.failures += 1;
                    }
                    self.fail_pending();
                    self.emit(ChatEvent::State(ConnectionState::Reconnecting {
                        reason: reason.clone(),
                    }))
                    .await;
                    match self.reconnect().await {
                        Ok((fresh, next)) => {
                            socket = fresh;
                            self.heard = false;
                            renew_at = next;
                            self.emit(ChatEvent::State(ConnectionState::Connected))
                                .await;
                        }
                        Err((cause, error)) => {
                            let reason = format!("{reason}; reconnecting failed: {error}");
                            return self.finish(cause, None, reason).await;
                        }
                    }
                }
            }
        }
    }

    async fn open(&self) -> Result<(Socket, Option<Instant>), ConnectError> {
        open(&self.endpoint, self.provider.as_ref(), &self.settings).await
    }

    /// Opens the connection that replaces the current one. After a 401 the first renewal is
    /// immediate; each further one in a row waits twice as long (1 s, 2 s, ... at most 30 s),
    /// so a server that keeps answering 401 is not hammered with tokens and handshakes.
    async fn renew(
        &mut self,
        unauthorized: bool,
    ) -> Result<(Socket, Option<Instant>), ConnectError> {
        if unauthorized {
            self.unauthorized_streak += 1;
            if self.unauthorized_streak > 1 {
                let exponent = (self.unauthorized_streak - 2).min(5);
                let wait =
                    (Duration::from_secs(1) * 2u32.pow(exponent)).min(MAX_UNAUTHORIZED_BACKOFF);
                tracing::debug!(
                    ?wait,
                    streak = self.unauthorized_streak,
                    "renewing after repeated 401s"
                );
                tokio::time::sleep(wait).await;
            }
        } else {
            self.unauthorized_streak = 0;
        }
        self.open().await
    }

    /// Reconnects with backoff (200 ms doubling, at most 5 s, jittered) after each failed
    /// attempt, a new token each time. Failures count across cycles (a connection that dies
    /// before its first frame is one), so a server that accepts and drops at once is retried
    /// `max_reconnect_attempts` times in all, not forever.
    async fn reconnect(&mut self) -> Result<(Socket, Option<Instant>), (DisconnectCause, String)> {
        let mut last = "the connection closed before the server sent a frame".to_owned();
        let mut cause = DisconnectCause::SocketError;
        loop {
            if self.failures >= self.settings.max_reconnect_attempts {
                let attempts = self.failures;
                return Err((
                    cause,
                    format!("{attempts} attempts in a row failed; the last: {last}"),
                ));
            }
            if self.failures > 0 {
                let ceiling = Duration::from_millis(200 * 2u64.pow((self.failures - 1).min(5)))
                    .min(Duration::from_secs(5));
                tokio::time::sleep(ceiling.mul_f64(0.5 + fastrand::f64() / 2.0)).await;
            }
            match self.open().await {
                Ok(opened) => return Ok(opened),
                Err(error @ ConnectError::Refused { status: 404, .. }) => {
                    return Err((DisconnectCause::Server, error.to_string()))
                }
                Err(error) => {
                    tracing::debug!(%error, failures = self.failures, "chat reconnection failed");
                    self.failures += 1;
                    cause = match error {
                        ConnectError::Token(_) => DisconnectCause::FetchTokenError,
                        _ => DisconnectCause::SocketError,
                    };
                    last = error.to_string();
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
        let mut pings = tokio::time::interval_at(
            Instant::now() + self.settings.ping_interval,
            self.settings.ping_interval,
        );
        let mut last_heard = Instant::now();
        loop {
            tokio::select! {
                _ = pings.tick() => {
                    let silent = last_heard.elapsed();
                    if silent >= self.settings.idle_timeout {
                        return Stop::Broken(format!(
                            "no frame from the server for {silent:?}: the connection is half-open"
                        ));
                    }
                    let ping = Message::Ping(Default::default());
                    if let Err(reason) = send_within(socket, ping, self.settings.idle_timeout).await {
                        return Stop::Broken(reason);
                    }
                }
                command = self.commands.recv() => {
                    if let Some(stop) = self.command(socket, command).await {
                        return stop;
                    }
                }
                message = socket.next() => {
                    if let Some(stop) = self.heard(message, &mut last_heard).await {
                        return stop;
                    }
                }
                () = &mut renewal => return Stop::Renew { unauthorized: false },
            }
        }
    }

    /// Sends a request (refused unsent when its id is one still waiting for its answer) or
    /// closes; `Some` when the connection is done.
    async fn command(&mut self, socket: &mut Socket, command: Option<Command>) -> Option<Stop> {
        let Some(Command::Request {
            request_id,
            frame,
            answer,
            reply,
        }) = command
        else {
            close(socket).await;
            return Some(Stop::ClientClosed);
        };
        self.pending.retain(|_, pending| !pending.reply.is_closed());
        if self.pending.contains_key(&request_id) {
            // Its answer could not be told from the other's: refused unsent.
            let _ = reply.send(Err(ChatError::InvalidRequest {
                field: "RequestId",
                message: format!(
                    "`{request_id}` is the id of a request still waiting for its answer"
                ),
            }));
            return None;
        }
        self.pending.insert(request_id, Pending { answer, reply });
        let frame = Message::text(frame);
        match send_within(socket, frame, self.settings.idle_timeout).await {
            Ok(()) => None,
            Err(reason) => Some(Stop::Broken(reason)),
        }
    }

    /// Handles what the server sent (`last_heard` moves on any frame); `Some` when the
    /// connection is done.
    async fn heard(
        &mut self,
        message: Option<Result<Message, tokio_tungstenite::tungstenite::Error>>,
        last_heard: &mut Instant,
    ) -> Option<Stop> {
        if matches!(message, Some(Ok(_))) {
            self.heard = true;
            self.failures = 0;
        }
        match message {
            Some(Ok(Message::Text(text))) => {
                *last_heard = Instant::now();
                if self.receive(text.as_str()).await {
                    return Some(Stop::Renew { unauthorized: true });
                }
                None
            }
            Some(Ok(Message::Close(frame))) => {
                let (code, reason) = frame.map_or((None, String::new()), |frame| {
                    (Some(u16::from(frame.code)), frame.reason.to_string())
                });
                Some(Stop::ServerClosed { code, reason })
            }
            Some(Ok(_)) => {
                *last_heard = Instant::now();
                None
            }
            Some(Err(error)) => Some(Stop::Broken(error.to_string())),
            None => Some(Stop::Broken(
                "the connection ended without a close frame".to_owned(),
            )),
        }
    }

    /// Closes a connection replaced by a fresh one, handling the frames still on it.
    async fn retire(&mut self, mut socket: Socket) {
        close_frame(&mut socket).await;
        let drained = tokio::time::timeout(Duration::from_secs(2), async {
            while let Some(Ok(message)) = socket.next().await {
                if let Message::Text(text) = message {
                    self.receive(text.as_str()).await;
                }
            }
        });
        let _ = drained.await;
    }

    /// Handles a frame; true when it is a 401 (the connection must be renewed).
    async fn receive(&mut self, text: &str) -> bool {
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
        if !matches!(incoming.event, ChatEvent::Error(_)) {
            self.unauthorized_streak = 0;
        }
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
            self.emit(incoming.event).await;
        }
        unauthorized
    }

    /// Hands an event to the application, waiting while its buffer is full.
    async fn emit(&self, event: ChatEvent) {
        let _ = self.events.send(event).await;
    }

    fn fail_pending(&mut self) {
        for (_, pending) in self.pending.drain() {
            let _ = pending.reply.send(Err(ChatError::ConnectionLost));
        }
    }

    async fn finish(mut self, cause: DisconnectCause, code: Option<u16>, reason: String) {
        self.fail_pending();
        self.emit(ChatEvent::State(ConnectionState::Disconnected {
            cause,
            code,
            reason,
        }))
        .await;
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

/// Sends `message`, failing when the server takes longer than `limit` to take it (it stopped
/// reading: a half-open or stuck connection).
async fn send_within(socket: &mut Socket, message: Message, limit: Duration) -> Result<(), String> {
    match tokio::time::timeout(limit, socket.send(message)).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => Err(error.to_string()),
        Err(_) => Err(format!("the server took no frame for {limit:?}")),
    }
}

async fn close_frame(socket: &mut Socket) {
    let frame = CloseFrame {
        code: CloseCode::Normal,
        reason: "".into(),
    };
    let _ = tokio::time::timeout(Duration::from_secs(2), socket.close(Some(frame))).await;
}

/// Closes with 1000 and waits briefly for the server's close.
async fn close(socket: &mut Socket) {
    close_frame(socket).await;
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        while let Some(Ok(_)) = socket.next().await {}
    })
    .await;
}
