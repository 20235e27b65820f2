//! What a room delivers: messages, custom events, deletions, disconnections, and the state of
//! the connection.

use std::collections::BTreeMap;

use ivschat_runtime::DateTime;

use crate::error::ServerError;

/// String attributes of a message, event or user.
pub type Attributes = BTreeMap<String, String>;

/// Who sent a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sender {
    /// The user id of the sender's chat token.
    pub user_id: String,
    /// The attributes of the sender's chat token.
    pub attributes: Attributes,
}

/// A chat message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatMessage {
    /// The message id (12 characters), for deleting it.
    pub id: String,
    /// The id of the sender's request (empty when unknown).
    pub request_id: String,
    /// The text.
    pub content: String,
    /// The sender's attributes of this message.
    pub attributes: Attributes,
    /// When the service received it.
    pub send_time: DateTime,
    /// Who sent it.
    pub sender: Sender,
}

/// A custom event (from SendEvent on the control plane).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomEvent {
    /// The event id.
    pub id: String,
    /// The request id (empty for events from the control plane).
    pub request_id: String,
    /// The event's name.
    pub name: String,
    /// Its attributes.
    pub attributes: Attributes,
    /// When the service sent it.
    pub send_time: DateTime,
}

/// A message was deleted (`aws:DELETE_MESSAGE`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageDeleted {
    /// The event id.
    pub id: String,
    /// The id of the deleting request (empty for the control plane).
    pub request_id: String,
    /// The deleted message's id.
    pub message_id: String,
    /// Why, if a reason was given.
    pub reason: Option<String>,
    /// When the service sent it.
    pub send_time: DateTime,
}

/// A user was disconnected (`aws:DISCONNECT_USER`); their connections close next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserDisconnected {
    /// The event id.
    pub id: String,
    /// The id of the disconnecting request (empty for the control plane).
    pub request_id: String,
    /// The disconnected user.
    pub user_id: String,
    /// Why, if a reason was given.
    pub reason: Option<String>,
    /// When the service sent it.
    pub send_time: DateTime,
}

/// The state of the room's connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectionState {
    /// A connection opened (the first, or a replacement after a reconnect or a token refresh).
    Connected,
    /// The connection broke; a new one is being opened.
    Reconnecting {
        /// What broke.
        reason: String,
    },
    /// The connection closed for good: the stream of events ends after this.
    Disconnected {
        /// Who or what closed it, as the official clients tell it.
        cause: DisconnectCause,
        /// The close code, when the server sent one.
        code: Option<u16>,
        /// The close reason or what went wrong.
        reason: String,
    },
}

/// Why a room's connection closed for good: the disconnect reasons of the official JS,
/// Android and iOS chat clients (`clientDisconnect`, `serverDisconnect`, `socketError`,
/// `fetchTokenError`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DisconnectCause {
    /// The client closed it (`disconnect()`, or every handle dropped).
    Client,
    /// The server closed it (the room deleted, the user disconnected, the session over).
    Server,
    /// It broke and every reconnection attempt (`max_reconnect_attempts`) failed.
    SocketError,
    /// It broke and the token provider failed while reconnecting, after the attempts.
    FetchTokenError,
}

/// One thing that happened in the room.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChatEvent {
    /// A message (your own included).
    Message(ChatMessage),
    /// A custom event.
    Event(CustomEvent),
    /// A message was deleted.
    MessageDeleted(MessageDeleted),
    /// A user was disconnected.
    UserDisconnected(UserDisconnected),
    /// An ERROR frame that answers no request of this client (e.g. the session expired).
    Error(ServerError),
    /// The connection changed state.
    State(ConnectionState),
}
