//! A forward proxy on loopback that records what it is asked, for tests of proxied
//! transports (the control-plane client, the chat WebSocket): a CONNECT opens a tunnel to its
//! target, copied both ways; any other request is forwarded to the host of its absolute URI.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The largest request head the proxy reads.
const MAX_HEAD_BYTES: usize = 16 * 1024;

/// A running proxy; it stops after 20 s.
#[derive(Clone, Debug)]
pub struct RecordingProxy {
    address: String,
    asked: Arc<Mutex<Vec<String>>>,
}

impl RecordingProxy {
    /// Starts a proxy on a free loopback port. Needs a Tokio runtime.
    pub async fn start() -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let proxy = Self {
            address: listener.local_addr()?.to_string(),
            asked: Arc::default(),
        };
        let asked = proxy.asked.clone();
        tokio::spawn(async move {
            let serve = async {
                while let Ok((client, _)) = listener.accept().await {
                    tokio::spawn(relay(client, asked.clone()));
                }
            };
            let _ = tokio::time::timeout(Duration::from_secs(20), serve).await;
        });
        Ok(proxy)
    }

    /// `127.0.0.1:PORT`.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The request heads received so far (a CONNECT, or a forwarded request), in order.
    pub fn asked(&self) -> Vec<String> {
        self.asked
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

/// Serves one client: reads its request head, records it, then tunnels or forwards.
async fn relay(mut client: TcpStream, asked: Arc<Mutex<Vec<String>>>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > MAX_HEAD_BYTES || client.read(&mut byte).await.unwrap_or(0) == 0 {
            return;
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    asked
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .push(text.clone());
    let target = text.split_whitespace().nth(1).unwrap_or_default();
    let tunnel = text.starts_with("CONNECT ");
    let authority = if tunnel {
        target.replace("localhost", "127.0.0.1")
    } else {
        match target
            .parse::<http::Uri>()
            .ok()
            .and_then(|uri| uri.authority().cloned())
        {
            Some(authority) => authority.to_string(),
            None => return,
        }
    };
    let Ok(mut upstream) = TcpStream::connect(authority).await else {
        let _ = client
            .write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")
            .await;
        return;
    };
    let opened = if tunnel {
        client
            .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            .await
    } else {
        upstream.write_all(&head).await
    };
    if opened.is_ok() {
        let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
    }
}
