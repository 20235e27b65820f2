//! `ivschat-local`: Amazon IVS Chat's control plane on loopback, in memory, verifying SigV4 on
//! every request, for developing and testing without an AWS account.
//!
//! ```no_run
//! # async fn example() -> std::io::Result<()> {
//! let emulator = ivschat_local::Emulator::builder().start().await?;
//! println!("IVS Chat at {}", emulator.url());
//! # Ok(()) }
//! ```

mod auth;
mod chat;
mod error;
mod fault;
mod input;
mod logging;
mod persist;
mod rooms;
mod router;
mod server;
mod state;
mod tags;

pub use auth::Access;
pub use error::ApiError;
pub use fault::Fault;
pub use server::{
    Emulator, EmulatorBuilder, EmulatorHandle, DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY,
};
pub use state::Settings;
