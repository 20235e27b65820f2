//! [`ChatRoom`]: a connection to one room, made from a token provider; its requests resolve
//! when the service's answer arrives, and [`ChatEvents`] streams everything else.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use ivschat_runtime::Stream;
use tokio::sync::{mpsc, oneshot};

use crate::checks;
use crate::driver::{self, Answer, Command, Driver};
use crate::endpoint::Endpoint;
use crate::error::{ChatError, ConnectError};
use crate::frames;
use crate::settings::Settings;
use crate::token::TokenProvider;
use crate::types::{Attributes, ChatEvent, ChatMessage, MessageDeleted, UserDisconnected};

/// A connection to a chat room. Cheap to clone; the connection closes cleanly when
/// [`ChatRoom::disconnect`] is called or the last clone is dropped.
#[derive(Clone, Debug)]
pub struct ChatRoom {
    commands: mpsc::UnboundedSender<Command>,
    request_timeout: Duration,
}

/// Everything that happens in the room, in order, until the connection closes for good
/// (the last item is then [`ConnectionState::Disconnected`](crate::ConnectionState)).
#[derive(Debug)]
pub struct ChatEvents {
    events: mpsc::Receiver<ChatEvent>,
}

impl Stream for ChatEvents {
    type Item = ChatEvent;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<ChatEvent>> {
        self.events.poll_recv(cx)
    }
}

/// Settings of a [`ChatRoom`].
pub struct ChatRoomBuilder {
    endpoint: Option<Result<Endpoint, ConnectError>>,
    ca_bundle: Option<std::path::PathBuf>,
    provider: Option<Arc<dyn TokenProvider>>,
    settings: Settings,
    request_timeout: Duration,
    event_buffer: usize,
}

impl ChatRoom {
    /// A builder: give the region or URL and a token provider, then
    /// [`connect`](ChatRoomBuilder::connect).
    pub fn builder() -> ChatRoomBuilder {
        ChatRoomBuilder {
            endpoint: None,
            ca_bundle: None,
            provider: None,
            settings: Settings {
                connect_timeout: Duration::from_secs(10),
                token_timeout: Duration::from_secs(10),
                max_reconnect_attempts: 3,
                refresh_before_expiry: Duration::from_secs(60),
                ping_interval: Duration::from_secs(30),
                idle_timeout: Duration::from_secs(75),
                proxy: ivschat_runtime::transport::ProxySettings::from_env(
                    &ivschat_runtime::env::Env::process(),
                ),
                tls: std::sync::Arc::new(ivschat_runtime::transport::tls_client_config()),
            },
            request_timeout: Duration::from_secs(10),
            event_buffer: 1024,
        }
    }

    /// Sends a message; resolves with the message as the room received it (its id and send
    /// time), or the service's ERROR (403 without the capability, 429 over the room's rate,
    /// 406 when review rejects it...).
    pub async fn send_message(
        &self,
        content: impl Into<String>,
        attributes: Attributes,
    ) -> Result<ChatMessage, ChatError> {
        self.send_message_with_id(ivschat_runtime::uuid_v4(), content, attributes)
            .await
    }

    /// [`send_message`](Self::send_message) with a request id of your own (the official
    /// clients' `requestId`), which the answer carries back; an id still waiting for its
    /// answer is refused unsent (`InvalidRequest` of `RequestId`), as is an empty one.
    pub async fn send_message_with_id(
        &self,
        request_id: impl Into<String>,
        content: impl Into<String>,
        attributes: Attributes,
    ) -> Result<ChatMessage, ChatError> {
        let (request_id, content) = (request_id.into(), content.into());
        checks::request_id(&request_id)?;
        checks::message(&content, &attributes)?;
        let frame = frames::send_message(&request_id, &content, &attributes);
        match self.request(request_id, frame, Answer::Message).await? {
            ChatEvent::Message(message) => Ok(message),
            _ => unreachable!("the driver answers a message request with a message"),
        }
    }

    /// Deletes a message for everyone (needs the `DELETE_MESSAGE` capability).
    pub async fn delete_message(
        &self,
        message_id: &str,
        reason: Option<&str>,
    ) -> Result<MessageDeleted, ChatError> {
        checks::message_id(message_id)?;
        checks::reason(reason)?;
        let request_id = ivschat_runtime::uuid_v4();
        let frame = frames::delete_message(&request_id, message_id, reason);
        match self.request(request_id, frame, Answer::Deletion).await? {
            ChatEvent::MessageDeleted(deleted) => Ok(deleted),
            _ => unreachable!("the driver answers a deletion with a deletion event"),
        }
    }

    /// Disconnects every connection of a user (needs the `DISCONNECT_USER` capability).
    pub async fn disconnect_user(
        &self,
        user_id: &str,
        reason: Option<&str>,
    ) -> Result<UserDisconnected, ChatError> {
        checks::user_id(user_id)?;
        checks::reason(reason)?;
        let request_id = ivschat_runtime::uuid_v4();
        let frame = frames::disconnect_user(&request_id, user_id, reason);
        match self
            .request(request_id, frame, Answer::Disconnection)
            .await?
        {
            ChatEvent::UserDisconnected(disconnected) => Ok(disconnected),
            _ => unreachable!("the driver answers a disconnection with a disconnection event"),
        }
    }

    /// Closes the connection cleanly (1000); the event stream ends.
    pub fn disconnect(&self) {
        let _ = self.commands.send(Command::Close);
    }

    async fn request(
        &self,
        request_id: String,
        frame: String,
        answer: Answer,
    ) -> Result<ChatEvent, ChatError> {
        let (reply, answered) = oneshot::channel();
        self.commands
            .send(Command::Request {
                request_id,
                frame,
                answer,
                reply,
            })
            .map_err(|_| ChatError::ConnectionLost)?;
        match tokio::time::timeout(self.request_timeout, answered).await {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(_)) => Err(ChatError::ConnectionLost),
            Err(_) => Err(ChatError::Timeout),
        }
    }
}

impl ChatRoomBuilder {
    /// Connect to `wss://edge.ivschat.REGION.amazonaws.com`.
    pub fn region(mut self, region: &str) -> Self {
        self.endpoint = Some(Endpoint::for_region(region));
        self
    }

    /// Connect to this `ws://` or `wss://` URL (an emulator, a proxy).
    pub fn url(mut self, url: &str) -> Self {
        self.endpoint = Some(Endpoint::parse(url));
        self
    }

    /// Where tokens come from (required).
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.provider = Some(Arc::new(provider));
        self
    }

    /// How long a request waits for its answer (10 s unless changed).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The proxies to connect through, instead of the environment's (`ALL_PROXY`,
    /// `HTTPS_PROXY` for `wss`, `HTTP_PROXY` for `ws`, `NO_PROXY`, as the control-plane client
    /// reads them): the WebSocket goes through a CONNECT tunnel.
    pub fn proxy(mut self, proxy: ivschat_runtime::transport::ProxySettings) -> Self {
        self.settings.proxy = proxy;
        self
    }

    /// Trust the CA certificates of this PEM file too (for a corporate TLS proxy), instead of
    /// `AWS_CA_BUNDLE`, as the control-plane client does.
    pub fn ca_bundle(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.ca_bundle = Some(path.into());
        self
    }

    /// How long a handshake may take (10 s unless changed).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = timeout;
        self
    }

    /// How long the token provider may take to give a token (10 s unless changed); longer is
    /// a failed attempt ([`ConnectError::Token`]).
    pub fn token_timeout(mut self, timeout: Duration) -> Self {
        self.settings.token_timeout = timeout;
        self
    }

    /// How many connection attempts in a row may fail before the room gives up (3 unless
    /// changed, as the official clients): refused or broken handshakes, and connections that
    /// close before the server's first frame.
    pub fn max_reconnect_attempts(mut self, attempts: u32) -> Self {
        self.settings.max_reconnect_attempts = attempts.max(1);
        self
    }

    /// How often a ping goes out (30 s unless changed), and how long the server may stay
    /// silent, answering no ping, before the connection is taken for half-open and replaced
    /// (75 s unless changed).
    pub fn keepalive(mut self, ping_interval: Duration, idle_timeout: Duration) -> Self {
        self.settings.ping_interval = ping_interval.max(Duration::from_millis(10));
        self.settings.idle_timeout = idle_timeout;
        self
    }

    /// How many events wait for the application (1024 unless changed); while they are not
    /// read, the room stops reading the socket instead of buffering without end.
    pub fn event_buffer(mut self, events: usize) -> Self {
        self.event_buffer = events.max(1);
        self
    }

    /// How long before the token expires a fresh one is fetched (60 s unless changed; with
    /// less time left, halfway to expiry).
    pub fn refresh_before_expiry(mut self, lead: Duration) -> Self {
        self.settings.refresh_before_expiry = lead;
        self
    }

    /// Opens the first connection (one attempt: its failure is returned as is) and starts the
    /// task that serves the room. Needs a Tokio runtime.
    pub async fn connect(self) -> Result<(ChatRoom, ChatEvents), ConnectError> {
        let endpoint = self.endpoint.ok_or_else(|| {
            ConnectError::InvalidEndpoint("give a region or a URL to the builder".to_owned())
        })??;
        let provider = self
            .provider
            .ok_or_else(|| ConnectError::Token("give a token provider to the builder".into()))?;
        let mut settings = self.settings;
        let bundle = self.ca_bundle.or_else(|| {
            std::env::var_os("AWS_CA_BUNDLE")
                .filter(|path| !path.is_empty())
                .map(std::path::PathBuf::from)
        });
        if let Some(path) = bundle {
            let extra = ivschat_runtime::transport::read_ca_bundle(&path)
                .map_err(ConnectError::InvalidEndpoint)?;
            settings.tls =
                std::sync::Arc::new(ivschat_runtime::transport::tls_client_config_with(&extra));
        }
        let (socket, renew_at) = driver::open(&endpoint, provider.as_ref(), &settings).await?;
        let (commands, command_inbox) = mpsc::unbounded_channel();
        let (event_outbox, events) = mpsc::channel(self.event_buffer);
        let driver = Driver::new(endpoint, provider, settings, command_inbox, event_outbox);
        tokio::spawn(driver.run(socket, renew_at));
        Ok((
            ChatRoom {
                commands,
                request_timeout: self.request_timeout,
            },
            ChatEvents { events },
        ))
    }
}
