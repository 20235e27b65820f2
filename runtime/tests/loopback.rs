//! The default hyper transport against a scripted HTTP/1.1 server on loopback: retries over a
//! real connection, keep-alive reuse, and `close_connection`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method};
use ivschat_runtime::config::{Config, ServiceInfo};
use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::env::Env;
use ivschat_runtime::operation::{Auth, Endpoint, Handle, OperationRequest};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

const SERVICE: ServiceInfo = ServiceInfo {
    sdk_id: "ivschat",
    signing_name: "ivschat",
    crate_name: "ivschat",
    crate_version: "0.1.0",
};

/// A server that answers each request with the next status of its script and counts the
/// connections it accepted. It stops after the script and a bounded time.
async fn scripted_server(statuses: Vec<u16>) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let script = Arc::new(Mutex::new(statuses.into_iter()));
    let counter = connections.clone();
    tokio::spawn(async move {
        let serve = async {
            loop {
                let (stream, _) = listener.accept().await.unwrap();
                counter.fetch_add(1, Ordering::SeqCst);
                let script = script.clone();
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut reader = BufReader::new(read);
                    loop {
                        let mut length = 0usize;
                        let mut line = String::new();
                        loop {
                            line.clear();
                            if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                                return;
                            }
                            if line == "\r\n" {
                                break;
                            }
                            if let Some(value) =
                                line.to_ascii_lowercase().strip_prefix("content-length:")
                            {
                                length = value.trim().parse().unwrap();
                            }
                        }
                        let mut body = vec![0; length];
                        reader.read_exact(&mut body).await.unwrap();
                        let Some(status) = script.lock().unwrap().next() else {
                            return;
                        };
                        let reply = format!(
                            "HTTP/1.1 {status} X\r\ncontent-length: 2\r\nx-amzn-requestid: r-{status}\r\n\r\n{{}}"
                        );
                        write.write_all(reply.as_bytes()).await.unwrap();
                    }
                });
            }
        };
        let _ = tokio::time::timeout(Duration::from_secs(20), serve).await;
    });
    (format!("http://{address}"), connections)
}

fn request() -> OperationRequest {
    OperationRequest {
        operation: "GetRoom",
        method: Method::POST,
        path_and_query: "/GetRoom".to_owned(),
        headers: HeaderMap::new(),
        body: Bytes::from_static(br#"{"identifier":"x"}"#).into(),
        auth: Auth::SigV4,
        checksums: None,
        idempotent: false,
        event_signing: None,
        error_in_success: false,
    }
}

fn handle(close_connection: bool) -> Handle {
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new("AKID", "SECRET", None, None))
        .initial_backoff(Duration::from_millis(1))
        .close_connection(close_connection)
        .build_with_env(SERVICE, &Env::from_pairs([]))
        .unwrap();
    Handle::new(config)
}

#[tokio::test]
async fn retries_over_one_kept_alive_connection() {
    let (url, connections) = scripted_server(vec![503, 503, 200]).await;
    let done = handle(false)
        .invoke(&Endpoint::url(url), request())
        .await
        .unwrap();
    assert_eq!(done.response.status(), 200);
    assert_eq!(done.attempts, 3);
    assert_eq!(done.request_id.as_deref(), Some("r-200"));
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn close_connection_opens_one_per_request() {
    let (url, connections) = scripted_server(vec![503, 200]).await;
    let done = handle(true)
        .invoke(&Endpoint::url(url), request())
        .await
        .unwrap();
    assert_eq!(done.attempts, 2);
    assert_eq!(connections.load(Ordering::SeqCst), 2);
}

/// A server that accepts connections, reads what comes and never answers, for `lifetime`.
async fn silent_server(lifetime: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = tokio::time::timeout(lifetime, async {
            let mut held = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                held.push(stream);
            }
        })
        .await;
    });
    format!("http://{address}")
}

#[tokio::test]
async fn a_silent_server_ends_in_a_timeout_not_a_hang() {
    let url = silent_server(Duration::from_secs(10)).await;
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new("AKID", "SECRET", None, None))
        .attempt_timeout(Duration::from_millis(200))
        .initial_backoff(Duration::from_millis(1))
        .build_with_env(SERVICE, &Env::from_pairs([]))
        .unwrap();
    let started = std::time::Instant::now();
    let error = Handle::new(config)
        .invoke(&Endpoint::url(url), request())
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("timed out after 200ms"),
        "{error}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}
