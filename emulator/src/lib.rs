//! `ivschat-local`: Amazon IVS Chat on loopback, in memory, for developing and testing without
//! an AWS account: the control plane (restJson1, SigV4 verified on every request) and, on the
//! same port, the Messaging API (`ws://ADDRESS:PORT/`, opened with a token from
//! CreateChatToken as the WebSocket subprotocol).
//!
//! ```no_run
//! # async fn example() -> std::io::Result<()> {
//! let emulator = ivschat_local::Emulator::builder().start().await?;
//! println!("IVS Chat at {}", emulator.url());
//! # Ok(()) }
//! ```

mod admin;
mod auth;
mod chat;
mod connections;
mod console;
mod control_plane;
mod deadline;
mod error;
mod fault;
mod gate;
mod hub;
mod input;
mod issued;
mod limits;
mod logging;
mod messaging;
mod persist;
mod policy;
mod request_log;
mod review;
mod rooms;
mod router;
mod server;
mod shared;
mod state;
mod sts;
mod tags;

pub use auth::{Access, Secrets};
pub use error::ApiError;
pub use fault::{Fault, FaultRule};
pub use limits::Limits;
pub use policy::Policy;
pub use review::{ReviewRequest, ReviewResult, ReviewRule};
pub use server::{
    Emulator, EmulatorBuilder, EmulatorHandle, DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY,
    TEST_KEY,
};
pub use state::Settings;
