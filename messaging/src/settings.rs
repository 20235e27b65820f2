//! How a room connects and reconnects: the settings the builder fills and the connection
//! task and the socket read.

use std::time::Duration;

/// How the room connects and reconnects.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Longest a handshake may take.
    pub connect_timeout: Duration,
    /// Longest the token provider may take to give a token.
    pub token_timeout: Duration,
    /// Reconnection attempts after an unclean close before giving up.
    pub max_reconnect_attempts: u32,
    /// How long before a token expires a fresh one is fetched and a new connection opened.
    pub refresh_before_expiry: Duration,
    /// How often a ping goes out on a quiet connection.
    pub ping_interval: Duration,
    /// How long the server may stay silent (no frame, no pong) before the connection is taken
    /// for half-open and replaced.
    pub idle_timeout: Duration,
    /// The proxies the connection goes through (a CONNECT tunnel).
    pub proxy: ivschat_runtime::transport::ProxySettings,
    /// The TLS settings of `wss` connections: the runtime's roots and the CA bundle.
    pub tls: std::sync::Arc<rustls::ClientConfig>,
}
