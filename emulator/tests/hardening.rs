//! Hardening, round two, over the emulator's socket: STS hands no keys to strangers, work
//! before authentication is bounded, Host and Origin are checked on every route, connections
//! cannot be held by idle or non-reading clients, and one peer cannot take every place.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use ivschat::Client;
use ivschat_local::{Emulator, EmulatorHandle, Limits};
use ivschat_runtime::bytes::Bytes;
use ivschat_runtime::sigv4::{
    sign_headers, SignableBody, SignableRequest, SigningKeyCache, SigningParams, SigningSettings,
};
use ivschat_runtime::transport::{HttpClient, HttpResponse, HyperClient};
use ivschat_runtime::DateTime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

mod support;
use support::Target;

fn address(emulator: &EmulatorHandle) -> SocketAddr {
    emulator
        .url()
        .trim_start_matches("http://")
        .parse()
        .unwrap()
}

fn text(response: &HttpResponse) -> String {
    String::from_utf8_lossy(response.body()).into_owned()
}

/// An unsigned STS form POST.
async fn sts_form(emulator: &EmulatorHandle, form: String) -> HttpResponse {
    let request = ivschat_runtime::http::Request::post(format!("{}/", emulator.url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Bytes::from(form))
        .unwrap();
    HyperClient::default().send(request).await.unwrap()
}

fn web_identity_form(token: &str) -> String {
    format!(
        "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fchat\
         &RoleSessionName=s1&WebIdentityToken={token}"
    )
}

/// The value of `<name>` in an STS answer.
fn element(xml: &str, name: &str) -> String {
    let start = xml.find(&format!("<{name}>")).unwrap() + name.len() + 2;
    let end = xml[start..].find("</").unwrap() + start;
    xml[start..end].to_owned()
}

/// The keys in an AssumeRole(WithWebIdentity) answer.
fn issued_keys(xml: &str) -> ivschat::Credentials {
    ivschat::Credentials::new(
        element(xml, "AccessKeyId"),
        element(xml, "SecretAccessKey"),
        Some(element(xml, "SessionToken")),
        None,
    )
}

#[tokio::test]
async fn web_identity_is_refused_unless_its_tokens_are_configured() {
    let emulator = Emulator::builder().start().await.unwrap();
    let refused = sts_form(&emulator, web_identity_form("any-token")).await;
    assert_eq!(refused.status(), 400, "{}", text(&refused));
    assert!(
        text(&refused).contains("<Code>InvalidIdentityToken</Code>"),
        "{}",
        text(&refused)
    );
    let configured = Emulator::builder()
        .web_identity_token("the-cluster-token")
        .start()
        .await
        .unwrap();
    let wrong = sts_form(&configured, web_identity_form("another-token")).await;
    assert_eq!(wrong.status(), 400, "{}", text(&wrong));
    let taken = sts_form(&configured, web_identity_form("the-cluster-token")).await;
    assert_eq!(taken.status(), 200, "{}", text(&taken));
    let credentials = issued_keys(&text(&taken));
    let client =
        Client::from_builder(configured.config().credentials(credentials).max_attempts(1)).unwrap();
    assert!(
        client.list_rooms().send().await.is_ok(),
        "issued keys call the API"
    );
}

/// A signed admin request queueing one fault, with `credentials`.
async fn queue_fault(emulator: &EmulatorHandle, credentials: ivschat::Credentials) -> HttpResponse {
    let target = Target {
        url: emulator.url(),
        region: emulator.region(),
        credentials,
    };
    target
        .signed_json("/_emulator/faults", br#"{"fault": "internal-error"}"#)
        .await
}

#[tokio::test]
async fn issued_keys_reach_the_admin_endpoint_only_when_asked() {
    for allowed in [false, true] {
        let emulator = Emulator::builder()
            .web_identity_token("t")
            .issued_keys_reach_admin(allowed)
            .start()
            .await
            .unwrap();
        let issued = issued_keys(&text(&sts_form(&emulator, web_identity_form("t")).await));
        let answer = queue_fault(&emulator, issued).await;
        let expected = if allowed { 200 } else { 403 };
        assert_eq!(
            answer.status(),
            expected,
            "allowed {allowed}: {}",
            text(&answer)
        );
        let configured = queue_fault(&emulator, emulator.credentials()).await;
        assert_eq!(configured.status(), 200, "{}", text(&configured));
    }
}

/// An AssumeRole signed with the emulator's configured key.
async fn assume_role(emulator: &EmulatorHandle) -> ivschat::Credentials {
    let body = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fchat&RoleSessionName=s1";
    let host = emulator.url().trim_start_matches("http://").to_owned();
    let headers = [
        ("host", host.as_str()),
        ("content-type", "application/x-www-form-urlencoded"),
    ];
    let credentials = emulator.credentials();
    let request = SignableRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: headers.to_vec(),
        body: SignableBody::Bytes(body.as_bytes()),
    };
    let params = SigningParams {
        credentials: &credentials,
        region: &emulator.region(),
        service: "sts",
        time: DateTime::now(),
        settings: SigningSettings::default(),
    };
    let signature = sign_headers(&request, &params, &SigningKeyCache::default());
    let mut http = ivschat_runtime::http::Request::post(format!("{}/", emulator.url()))
        .header("content-type", "application/x-www-form-urlencoded");
    for (name, value) in signature.additions {
        http = http.header(name, value);
    }
    let answer = HyperClient::default()
        .send(http.body(Bytes::from(body)).unwrap())
        .await
        .unwrap();
    assert_eq!(answer.status(), 200, "{}", text(&answer));
    issued_keys(&text(&answer))
}

#[tokio::test]
async fn a_flood_of_web_identity_calls_does_not_evict_an_assumed_role() {
    let emulator = Emulator::builder()
        .web_identity_token("shared-token")
        .start()
        .await
        .unwrap();
    let role = assume_role(&emulator).await;
    for _ in 0..1100 {
        let answer = sts_form(&emulator, web_identity_form("shared-token")).await;
        assert_eq!(answer.status(), 200);
    }
    let client = Client::from_builder(emulator.config().credentials(role).max_attempts(1)).unwrap();
    let outcome = client.list_rooms().send().await;
    assert!(
        outcome.is_ok(),
        "the role's key was evicted: {:?}",
        outcome.err()
    );
}

#[tokio::test]
async fn a_form_of_many_parameters_is_refused_in_linear_time() {
    let emulator = Emulator::builder().start().await.unwrap();
    // 40,000 distinct names (156 KB): quadratic duplicate checks took seconds of CPU per body.
    let form: Vec<String> = (0..40_000).map(|n| format!("p{n}=1")).collect();
    let cpu_before = cpu_time();
    for _ in 0..2 {
        let answer = sts_form(&emulator, form.join("&")).await;
        assert_eq!(answer.status(), 413, "{}", text(&answer));
    }
    // Within the STS body limit (64 KiB), the parameter count is bounded before any work.
    let within = form[..8_000].join("&");
    assert!(within.len() < 64 * 1024);
    let answer = sts_form(&emulator, within).await;
    assert_eq!(answer.status(), 400, "{}", text(&answer));
    assert!(
        text(&answer).contains("more than 256 parameters"),
        "{}",
        text(&answer)
    );
    let spent = cpu_time() - cpu_before;
    println!("hardening: two 156 KB and one 64 KB STS forms took {spent:?} of CPU");
}

/// This process's CPU time so far (user and system), from /proc; zero where there is none.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|index| fields.get(*index)?.parse::<u64>().ok())
        .sum();
    Duration::from_millis(ticks * 10)
}

/// Writes `request` on a new connection and reads what comes back within `limit`.
async fn raw(emulator: &EmulatorHandle, request: &str, limit: Duration) -> String {
    let mut stream = TcpStream::connect(address(emulator)).await.unwrap();
    let _ = stream.write_all(request.as_bytes()).await;
    let mut read = Vec::new();
    let _ = tokio::time::timeout(limit, stream.read_to_end(&mut read)).await;
    String::from_utf8_lossy(&read).into_owned()
}

fn post(path: &str, headers: &str, body: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\n{headers}content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[tokio::test]
async fn foreign_hosts_and_web_pages_are_refused_on_every_route() {
    let emulator = Emulator::builder().anonymous(true).start().await.unwrap();
    let second = Duration::from_secs(5);
    let json = "content-type: application/json\r\n";
    let rebound = format!("host: rebind.attacker.example:4566\r\n{json}");
    let answer = raw(&emulator, &post("/ListRooms", &rebound, "{}"), second).await;
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    assert!(
        answer.contains("Host `rebind.attacker.example`"),
        "{answer}"
    );
    let page = format!("host: 127.0.0.1\r\norigin: https://evil.example\r\n{json}");
    let answer = raw(&emulator, &post("/CreateRoom", &page, "{}"), second).await;
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    let simple = "host: 127.0.0.1\r\ncontent-type: text/plain\r\n";
    let answer = raw(&emulator, &post("/CreateRoom", simple, "{}"), second).await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    let sts_page = "host: 127.0.0.1\r\norigin: https://evil.example\r\ncontent-type: application/x-www-form-urlencoded\r\n";
    let answer = raw(
        &emulator,
        &post("/", sts_page, &web_identity_form("x")),
        second,
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    assert_eq!(
        emulator.room_count(),
        0,
        "no cross-site request created a room"
    );
    let allowed = Emulator::builder()
        .anonymous(true)
        .allow_host("chat.internal")
        .start()
        .await
        .unwrap();
    let named = format!("host: chat.internal:4566\r\n{json}");
    let answer = raw(&allowed, &post("/CreateRoom", &named, "{}"), second).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

fn limits(max_connections: usize, per_peer: usize) -> Limits {
    Limits {
        max_connections,
        max_connections_per_peer: per_peer,
        write_timeout: Duration::from_millis(300),
        body_timeout: Duration::from_secs(5),
        header_timeout: Duration::from_secs(5),
        ..Limits::default()
    }
}

/// A connection from `source` (a loopback address) that has started a request whose body it
/// does not send: it keeps the emulator busy reading.
async fn busy_connection(emulator: &EmulatorHandle, source: &str) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(format!("{source}:0").parse().unwrap()).unwrap();
    let mut stream = socket.connect(address(emulator)).await.unwrap();
    let head = "POST /ListRooms HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{";
    stream.write_all(head.as_bytes()).await.unwrap();
    stream
}

/// Whether the server closed `stream` within `limit`.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    let mut buffer = [0u8; 256];
    let deadline = Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline.into(), stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => {}
            Err(_) => return false,
        }
    }
}

#[tokio::test]
async fn idle_connections_make_room_and_only_busy_ones_keep_newcomers_out() {
    let emulator = Emulator::builder()
        .anonymous(true)
        .limits(limits(4, 4))
        .start()
        .await
        .unwrap();
    let mut idle = Vec::new();
    for _ in 0..4 {
        idle.push(TcpStream::connect(address(&emulator)).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let client = Client::from_builder(emulator.config().max_attempts(1)).unwrap();
    assert!(
        client.list_rooms().send().await.is_ok(),
        "an idle socket made room"
    );
    let mut evicted = 0;
    for stream in &mut idle {
        evicted += usize::from(closed_within(stream, Duration::from_millis(200)).await);
    }
    assert!(evicted >= 1, "no idle connection was closed");
    drop(idle);
    drop(client);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut busy = Vec::new();
    for _ in 0..4 {
        busy.push(busy_connection(&emulator, "127.0.0.1").await);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut newcomer = TcpStream::connect(address(&emulator)).await.unwrap();
    assert!(
        closed_within(&mut newcomer, Duration::from_secs(2)).await,
        "refused while all are busy"
    );
}

#[tokio::test]
async fn one_peer_cannot_take_every_place() {
    let emulator = Emulator::builder()
        .anonymous(true)
        .limits(limits(8, 2))
        .start()
        .await
        .unwrap();
    let _first = busy_connection(&emulator, "127.0.0.1").await;
    let _second = busy_connection(&emulator, "127.0.0.1").await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut third = busy_connection(&emulator, "127.0.0.1").await;
    assert!(
        closed_within(&mut third, Duration::from_secs(2)).await,
        "over the peer's cap"
    );
    let mut other_peer = busy_connection(&emulator, "127.0.0.2").await;
    assert!(
        !closed_within(&mut other_peer, Duration::from_millis(500)).await,
        "another address still gets a place"
    );
}

#[tokio::test]
async fn a_client_that_pipelines_and_never_reads_is_cut_off() {
    let emulator = Emulator::builder()
        .anonymous(true)
        .limits(limits(16, 16))
        .start()
        .await
        .unwrap();
    let client = Client::from_builder(emulator.config()).unwrap();
    for n in 0..50 {
        let name = format!("{n:0>100}");
        client.create_room().name(name).send().await.unwrap();
    }
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut stream = socket.connect(address(&emulator)).await.unwrap();
    let request = "POST /ListRooms HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";
    let started = Instant::now();
    let cut_off = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            if stream.write_all(request.as_bytes()).await.is_err() {
                return;
            }
        }
    })
    .await;
    assert!(
        cut_off.is_ok(),
        "the non-reading client still held its connection after 20 s"
    );
    println!(
        "hardening: a pipelining client that never reads was cut off after {:?}",
        started.elapsed()
    );
    assert_eq!(
        client.list_rooms().send().await.unwrap().rooms().len(),
        50,
        "still serving"
    );
}
