//! The default transport's connection pool against an HTTP/1.1 server on loopback that records
//! what reaches it: keep-alive reuse, the request's form and `Host`, idle expiry, connections
//! the server closed, bodies dropped or cut off before their end, concurrency, and the connect
//! timeout.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use ivschat_runtime::transport::{
    HttpClient, HttpErrorKind, HttpSettings, HyperClient, StreamingRequest,
};
use ivschat_runtime::ByteStream;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// What the server saw: for each request, the number of its connection, its request line and
/// its `Host`; for each connection the client closed, its number and [`CLOSED`].
type Seen = Arc<Mutex<Vec<(usize, String, String)>>>;

/// The request line of a connection's end.
const CLOSED: &str = "(closed by the client)";

/// How the server answers.
#[derive(Clone, Copy)]
struct Behaviour {
    /// The size of each response body.
    body_bytes: usize,
    /// A wait before each answer.
    delay: Duration,
    /// Closes a connection this long after answering on it (a server's own idle timeout).
    close_after: Option<Duration>,
    /// Closes the connection of the first request after half of its body.
    cut_first: bool,
}

impl Default for Behaviour {
    fn default() -> Self {
        Self {
            body_bytes: 2,
            delay: Duration::ZERO,
            close_after: None,
            cut_first: false,
        }
    }
}

/// A server on loopback answering every request as `behaviour` says, for at most 20 s.
async fn server(behaviour: Behaviour) -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let seen = Seen::default();
    let record = seen.clone();
    tokio::spawn(async move {
        let serve = async {
            for number in 1.. {
                let (stream, _) = listener.accept().await.unwrap();
                tokio::spawn(answer(stream, number, behaviour, record.clone()));
            }
        };
        let _ = tokio::time::timeout(Duration::from_secs(20), serve).await;
    });
    (format!("http://{address}"), seen)
}

/// Answers the requests of one connection.
async fn answer(stream: TcpStream, number: usize, behaviour: Behaviour, seen: Seen) {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    loop {
        let Some((line, host, length)) = read_head(&mut reader).await else {
            seen.lock()
                .unwrap()
                .push((number, CLOSED.to_owned(), String::new()));
            return;
        };
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).await.is_err() {
            return;
        }
        seen.lock().unwrap().push((number, line, host));
        tokio::time::sleep(behaviour.delay).await;
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n",
            behaviour.body_bytes
        );
        let mut reply = head.into_bytes();
        let cut = behaviour.cut_first && number == 1;
        let sent = if cut {
            behaviour.body_bytes / 2
        } else {
            behaviour.body_bytes
        };
        reply.resize(reply.len() + sent, b'x');
        if write.write_all(&reply).await.is_err() || cut {
            return;
        }
        if let Some(after) = behaviour.close_after {
            tokio::time::sleep(after).await;
            return;
        }
    }
}

/// The request line, `Host` and `Content-Length` of the next request; `None` at the end.
async fn read_head(
    reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
) -> Option<(String, String, usize)> {
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).await.ok()? == 0 {
        return None;
    }
    let (mut host, mut length) = (String::new(), 0);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        if line == "\r\n" {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(value) = lower.strip_prefix("host:") {
            host = value.trim().to_owned();
        }
        if let Some(value) = lower.strip_prefix("content-length:") {
            length = value.trim().parse().ok()?;
        }
    }
    Some((request_line.trim_end().to_owned(), host, length))
}

fn post(url: &str) -> http::Request<Bytes> {
    http::Request::post(format!("{url}/rooms?max=5"))
        .body(Bytes::from_static(b"{}"))
        .unwrap()
}

fn client(settings: HttpSettings) -> HyperClient {
    HyperClient::new(settings)
}

/// The connection of each request, in order.
fn connections(seen: &Seen) -> Vec<usize> {
    let seen = seen.lock().unwrap();
    let requests = seen.iter().filter(|(_, line, _)| line != CLOSED);
    requests.map(|(number, ..)| *number).collect()
}

/// The connections the client closed, in order.
fn closed(seen: &Seen) -> Vec<usize> {
    let seen = seen.lock().unwrap();
    let ends = seen.iter().filter(|(_, line, _)| line == CLOSED);
    ends.map(|(number, ..)| *number).collect()
}

#[tokio::test]
async fn sequential_requests_share_one_connection_in_origin_form_with_a_host() {
    let (url, seen) = server(Behaviour::default()).await;
    let client = client(HttpSettings::default());
    for _ in 0..3 {
        let response = client.send(post(&url)).await.unwrap();
        assert_eq!(response.body().as_ref(), b"xx");
    }
    assert_eq!(connections(&seen), [1, 1, 1]);
    let (_, line, host) = seen.lock().unwrap()[0].clone();
    assert_eq!(line, "POST /rooms?max=5 HTTP/1.1");
    assert_eq!(host, url.trim_start_matches("http://"));
}

#[tokio::test]
async fn an_idle_connection_is_closed_after_the_idle_timeout() {
    let (url, seen) = server(Behaviour::default()).await;
    let client = client(HttpSettings {
        pool_idle_timeout: Duration::from_millis(50),
        ..HttpSettings::default()
    });
    client.send(post(&url)).await.unwrap();
    client.send(post(&url)).await.unwrap();
    // Closed by the pool's own task, with no request to look: the server sees its end.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(closed(&seen), [1]);
    client.send(post(&url)).await.unwrap();
    assert_eq!(connections(&seen), [1, 1, 2]);
    assert_eq!(
        closed(&seen),
        [1],
        "the new connection stays open while it is fresh"
    );
}

#[tokio::test]
async fn a_connection_the_server_closed_is_not_used_again() {
    let (url, seen) = server(Behaviour {
        close_after: Some(Duration::from_millis(10)),
        ..Behaviour::default()
    })
    .await;
    let client = client(HttpSettings::default());
    for _ in 0..3 {
        client.send(post(&url)).await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(connections(&seen), [1, 2, 3]);
}

#[tokio::test]
async fn a_body_dropped_before_its_end_closes_its_connection_and_a_read_one_returns_it() {
    let (url, seen) = server(Behaviour {
        body_bytes: 200_000,
        ..Behaviour::default()
    })
    .await;
    let client = client(HttpSettings::default());
    let streaming = |url: &str| -> StreamingRequest { post(url).map(ByteStream::from) };
    let response = client.send_streaming(streaming(&url)).await.unwrap();
    drop(response);
    let response = client.send_streaming(streaming(&url)).await.unwrap();
    let body = response.into_body().collect().await.unwrap();
    assert_eq!(body.len(), 200_000);
    client.send(post(&url)).await.unwrap();
    assert_eq!(connections(&seen), [1, 2, 2]);
}

#[tokio::test]
async fn a_body_cut_off_fails_and_the_next_request_gets_a_new_connection() {
    let (url, seen) = server(Behaviour {
        body_bytes: 100,
        cut_first: true,
        ..Behaviour::default()
    })
    .await;
    let client = client(HttpSettings::default());
    let error = client.send(post(&url)).await.unwrap_err();
    assert_eq!(error.kind(), HttpErrorKind::Io, "{error}");
    let response = client.send(post(&url)).await.unwrap();
    assert_eq!(response.body().len(), 100);
    assert_eq!(connections(&seen), [1, 2]);
}

#[tokio::test]
async fn concurrent_requests_each_get_a_connection_and_later_ones_reuse_them() {
    let (url, seen) = server(Behaviour {
        delay: Duration::from_millis(100),
        ..Behaviour::default()
    })
    .await;
    let client = client(HttpSettings::default());
    for _ in 0..2 {
        let sends = (0..4).map(|_| client.send(post(&url)));
        for response in futures_util::future::join_all(sends).await {
            assert_eq!(response.unwrap().status(), 200);
        }
    }
    let mut used = connections(&seen);
    used.sort_unstable();
    used.dedup();
    assert_eq!(used, [1, 2, 3, 4], "{:?}", connections(&seen));
}

#[tokio::test]
async fn a_uri_without_scheme_or_host_is_refused_naming_it() {
    let client = client(HttpSettings::default());
    let request = http::Request::post("/rooms").body(Bytes::new()).unwrap();
    let error = client.send(request).await.unwrap_err();
    assert_eq!(error.kind(), HttpErrorKind::Request);
    assert!(error.message().contains("`/rooms`"), "{error}");
}

#[tokio::test]
async fn a_tls_handshake_that_never_ends_fails_within_the_connect_timeout() {
    // Accepts TCP and says nothing: the TLS handshake waits for a server hello forever.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let silent = tokio::spawn(async move {
        let (_stream, _) = listener.accept().await.unwrap();
        tokio::time::sleep(Duration::from_secs(10)).await;
    });
    let client = client(HttpSettings {
        connect_timeout: Duration::from_millis(200),
        ..HttpSettings::default()
    });
    let request = http::Request::get(format!("https://{address}/"))
        .body(Bytes::new())
        .unwrap();
    let sent = tokio::time::timeout(Duration::from_secs(5), client.send(request)).await;
    let error = sent.expect("the connect timeout ends it").unwrap_err();
    assert_eq!(error.kind(), HttpErrorKind::Connect);
    assert!(error.message().contains("no connection within"), "{error}");
    silent.abort();
}
