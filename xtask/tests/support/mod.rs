//! A loopback HTTP/1.1 server for wire tests: it answers with canned responses, in order, and
//! records every request it receives. Separate from the emulator: it checks nothing itself.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A request as the server received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    /// The value of a header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(candidate, _)| candidate.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The body as JSON (`Null` when empty).
    pub fn json(&self) -> serde_json::Value {
        if self.body.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_slice(&self.body).expect("the request body is JSON")
        }
    }
}

/// A canned response.
pub struct Canned {
    pub status: u16,
    pub headers: Vec<(&'static str, &'static str)>,
    pub body: String,
}

/// The server: its URL and what it recorded.
pub struct RecordingServer {
    pub url: String,
    recorded: Arc<Mutex<Vec<Recorded>>>,
}

impl RecordingServer {
    /// Starts a server that answers with `responses`, then closes connections. It stops by
    /// itself after 30 seconds.
    pub async fn start(responses: Vec<Canned>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let recorded = Arc::new(Mutex::new(Vec::new()));
        let queue = Arc::new(Mutex::new(VecDeque::from(responses)));
        let log = recorded.clone();
        tokio::spawn(async move {
            let serve = async {
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        return;
                    };
                    let (queue, log) = (queue.clone(), log.clone());
                    tokio::spawn(async move {
                        let (read, mut write) = stream.into_split();
                        let mut reader = BufReader::new(read);
                        while let Some(request) = read_request(&mut reader).await {
                            log.lock().unwrap().push(request);
                            let Some(canned) = queue.lock().unwrap().pop_front() else {
                                return;
                            };
                            let mut reply = format!(
                                "HTTP/1.1 {} X\r\ncontent-length: {}\r\n",
                                canned.status,
                                canned.body.len()
                            );
                            for (name, value) in canned.headers {
                                reply.push_str(&format!("{name}: {value}\r\n"));
                            }
                            reply.push_str("\r\n");
                            reply.push_str(&canned.body);
                            if write.write_all(reply.as_bytes()).await.is_err() {
                                return;
                            }
                        }
                    });
                }
            };
            let _ = tokio::time::timeout(Duration::from_secs(30), serve).await;
        });
        Self { url, recorded }
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.recorded.lock().unwrap().clone()
    }
}

async fn read_request(reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> Option<Recorded> {
    let mut line = String::new();
    if reader.read_line(&mut line).await.ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).await.ok()?;
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        let (name, value) = trimmed.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await.ok()?;
    Some(Recorded {
        method,
        target,
        headers,
        body,
    })
}
