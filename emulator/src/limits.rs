//! The bounds that keep one client (or a web page, or a slow-loris) from exhausting the
//! emulator: sizes, times and counts, each with the service's own limit as the guide.

use std::time::Duration;

/// Resource limits of the emulator; [`Limits::default`] suits development and tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest request body read (1 MiB); a larger one is answered 413 unread.
    pub max_body_bytes: u64,
    /// How long a client may take to send a request's headers, and how long a kept-alive
    /// connection may stay idle before the next request (10 s).
    pub header_timeout: Duration,
    /// How long a client may take to send a request's body (10 s).
    pub body_timeout: Duration,
    /// How long writing an answer may stay blocked (a client that does not read) before the
    /// connection is closed (10 s).
    pub write_timeout: Duration,
    /// The most HTTP connections served at once (512): at the cap, the connection idle the
    /// longest is closed to make room, and a newcomer is closed on accept only when every
    /// connection is serving a request.
    pub max_connections: usize,
    /// The most HTTP connections from one address (256); all loopback clients of one address
    /// count as one peer.
    pub max_connections_per_peer: usize,
    /// The most open chat WebSockets (1024); more are refused with 503.
    pub max_websockets: usize,
    /// Frames queued for one WebSocket client (256); a client that falls this far behind is
    /// disconnected rather than buffered without end.
    pub outbox_frames: usize,
    /// How long sending one frame to a WebSocket client may take before it is disconnected
    /// (10 s).
    pub send_timeout: Duration,
    /// Unused chat tokens kept (10,000); issuing one more forgets the oldest.
    pub max_pending_tokens: usize,
    /// DeleteMessage, DisconnectUser and SendEvent per second for the account, WebSocket and
    /// control plane together (100 each, the service's quota).
    pub chat_actions_per_second: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 1024 * 1024,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(10),
            max_connections: 512,
            max_connections_per_peer: 256,
            max_websockets: 1024,
            outbox_frames: 256,
            send_timeout: Duration::from_secs(10),
            max_pending_tokens: 10_000,
            chat_actions_per_second: 100,
        }
    }
}

/// The largest STS form body read (web identity tokens, session policies and tags fit).
pub const MAX_STS_BODY_BYTES: u64 = 64 * 1024;
/// The largest admin request body read.
pub const MAX_ADMIN_BODY_BYTES: u64 = 16 * 1024;
/// The largest request head (request line and headers) read; hyper's read buffer per
/// connection stays this size.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;

/// The most requests one fault may be queued for over HTTP.
pub const MAX_FAULT_COUNT: u64 = 10_000;
/// The longest delay a fault may ask for over HTTP.
pub const MAX_FAULT_DELAY: Duration = Duration::from_secs(60);
