//! `ivschat-messaging`: a client of the Amazon IVS Chat Messaging API, the WebSocket protocol
//! that carries chat itself (the control plane, `ivschat`, creates rooms and tokens).
//!
//! ```no_run
//! use ivschat_messaging::{Attributes, ChatEvent, ChatRoom, ChatToken, TokenError};
//! use ivschat_runtime::StreamExt;
//!
//! async fn fetch_token() -> Result<ChatToken, TokenError> {
//!     // Call CreateChatToken on your backend; tokens are single-use.
//!     Ok(ChatToken::new("AQICAHg..."))
//! }
//!
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! let (room, mut events) = ChatRoom::builder()
//!     .region("us-west-2")
//!     .token_provider(fetch_token)
//!     .connect()
//!     .await?;
//! let sent = room.send_message("hello", Attributes::new()).await?;
//! println!("sent {}", sent.id);
//! while let Some(event) = events.next().await {
//!     if let ChatEvent::Message(message) = event {
//!         println!("{}: {}", message.sender.user_id, message.content);
//!     }
//! }
//! # Ok(()) }
//! ```

mod checks;
mod driver;
mod endpoint;
mod error;
mod frames;
mod recent;
mod room;
mod settings;
mod socket;
mod token;
mod types;

pub use checks::{MAX_ATTRIBUTE_BYTES, MAX_CONTENT_CHARS};
pub use error::{ChatError, ConnectError, ErrorKind, ServerError};
pub use room::{ChatEvents, ChatRoom, ChatRoomBuilder};
pub use token::{ChatToken, TokenError, TokenFuture, TokenProvider};
pub use types::{
    Attributes, ChatEvent, ChatMessage, ConnectionState, CustomEvent, DisconnectCause,
    MessageDeleted, Sender, UserDisconnected,
};
