//! The emulator against hostile or careless clients, end to end over its socket: the admin
//! endpoint, tampered bodies, oversized and slow requests, too many connections, slow chat
//! readers, rates, chat tokens, session tokens and state saves that fail.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use ivschat::types::ChatTokenCapability;
use ivschat::{Client, Credentials};
use ivschat_local::{Emulator, EmulatorHandle, Limits};
use ivschat_runtime::bytes::Bytes;
use ivschat_runtime::sigv4::SigningSettings;
use ivschat_runtime::transport::{HttpClient, HttpResponse, HyperClient};
use support::Target;

mod support;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn client(emulator: &EmulatorHandle) -> Client {
    Client::from_builder(emulator.config().max_attempts(1)).unwrap()
}

fn target(emulator: &EmulatorHandle) -> Target {
    Target {
        url: emulator.url(),
        region: emulator.region(),
        credentials: emulator.credentials(),
    }
}

/// Sends a POST with `headers`, signed with the emulator's key by `signed`'s settings, or
/// unsigned.
async fn send(
    emulator: &EmulatorHandle,
    path: &str,
    body: &[u8],
    headers: &[(&str, &str)],
    signed: Option<SigningSettings>,
) -> HttpResponse {
    let target = target(emulator);
    let all = target.headers(path, body, headers, signed);
    target.post(path, Bytes::copy_from_slice(body), &all).await
}

fn text(response: &HttpResponse) -> String {
    String::from_utf8_lossy(response.body()).into_owned()
}

const JSON: (&str, &str) = ("content-type", "application/json");

#[tokio::test]
async fn the_admin_endpoint_needs_a_signature_and_refuses_browsers() {
    let emulator = Emulator::builder().start().await.unwrap();
    let fault = br#"{"fault": "internal-error", "count": 5}"#;
    let signed = Some(SigningSettings::default());
    let path = "/_emulator/faults";
    let unsigned = send(&emulator, path, fault, &[JSON], None).await;
    assert_eq!(unsigned.status(), 403, "{}", text(&unsigned));
    let from_a_page = send(
        &emulator,
        path,
        fault,
        &[JSON, ("origin", "https://evil.example")],
        signed,
    )
    .await;
    assert_eq!(from_a_page.status(), 403, "{}", text(&from_a_page));
    let simple_post = send(
        &emulator,
        path,
        fault,
        &[("content-type", "text/plain")],
        signed,
    )
    .await;
    assert_eq!(simple_post.status(), 400, "{}", text(&simple_post));
    let huge_count = br#"{"fault": "throttle", "count": 10000000000}"#;
    let refused = send(&emulator, path, huge_count, &[JSON], signed).await;
    assert_eq!(refused.status(), 400, "{}", text(&refused));
    assert!(text(&refused).contains("count: must be a whole number from 0 to 10000"));
    let unknown = send(
        &emulator,
        path,
        br#"{"fault": "meltdown"}"#,
        &[JSON],
        signed,
    )
    .await;
    assert!(
        text(&unknown)
            .contains("unknown fault `meltdown`; the faults are internal-error, throttle,"),
        "{}",
        text(&unknown)
    );
    let huge_delay = br#"{"fault": "delay", "delayMs": 86400000}"#;
    assert_eq!(
        send(&emulator, path, huge_delay, &[JSON], signed)
            .await
            .status(),
        400
    );
    let queued = target(&emulator).signed_json(path, fault).await;
    assert_eq!(queued.status(), 200, "{}", text(&queued));
    let error = client(&emulator).list_rooms().send().await.unwrap_err();
    assert_eq!(error.code(), Some("InternalServerException"));
}

#[tokio::test]
async fn a_body_other_than_the_one_signed_is_refused() {
    let emulator = Emulator::builder().start().await.unwrap();
    let settings = SigningSettings {
        payload_checksum_header: true,
        ..SigningSettings::default()
    };
    let signed_body = br#"{"name":"a"}"#;
    let target = target(&emulator);
    let all = target.headers(
        "/CreateRoom",
        signed_body,
        &[("content-type", "application/json")],
        Some(settings),
    );
    let tampered = target
        .post("/CreateRoom", Bytes::from_static(br#"{"name":"b"}"#), &all)
        .await;
    assert_eq!(tampered.status(), 403, "{}", text(&tampered));
    assert!(
        text(&tampered).contains("x-amz-content-sha256"),
        "{}",
        text(&tampered)
    );
    assert_eq!(emulator.room_count(), 0);
    let honest = target
        .post("/CreateRoom", Bytes::from_static(signed_body), &all)
        .await;
    assert_eq!(honest.status(), 200, "{}", text(&honest));
    assert_eq!(emulator.room_count(), 1);
}

/// Writes `request` on a new connection and reads until the server closes it or `limit`
/// passes; returns what was read and how long it took.
async fn raw(emulator: &EmulatorHandle, request: &[u8], limit: Duration) -> (String, Duration) {
    let address = emulator.url().trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(address).await.unwrap();
    let started = Instant::now();
    let _ = stream.write_all(request).await;
    let mut read = Vec::new();
    let _ = tokio::time::timeout(limit, stream.read_to_end(&mut read)).await;
    (
        String::from_utf8_lossy(&read).into_owned(),
        started.elapsed(),
    )
}

fn quick_limits() -> Limits {
    Limits {
        header_timeout: Duration::from_millis(300),
        body_timeout: Duration::from_millis(300),
        ..Limits::default()
    }
}

#[tokio::test]
async fn oversized_bodies_are_refused_before_they_are_read() {
    let emulator = Emulator::builder().start().await.unwrap();
    let declared = b"POST /CreateRoom HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 209715200\r\n\r\n{";
    let (answer, _) = raw(&emulator, declared, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let chunked = ivschat_runtime::http::Request::post(format!("{}/CreateRoom", emulator.url()))
        .header("content-type", "application/json")
        .body(ivschat_runtime::ByteStream::from_stream(
            futures_util::stream::iter((0..64).map(|_| Ok(Bytes::from(vec![b' '; 64 * 1024])))),
            None,
        ))
        .unwrap();
    let response = HyperClient::default()
        .send_streaming(chunked)
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
}

#[tokio::test]
async fn slow_headers_slow_bodies_and_idle_connections_are_cut_off() {
    let emulator = Emulator::builder()
        .limits(quick_limits())
        .start()
        .await
        .unwrap();
    let (answer, took) = raw(
        &emulator,
        b"POST /CreateRoom HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n",
        Duration::from_secs(5),
    )
    .await;
    assert!(
        took < Duration::from_secs(3),
        "the half-sent head held the connection {took:?}"
    );
    assert!(!answer.contains("200"), "{answer}");
    let (answer, took) = raw(
        &emulator,
        b"POST /CreateRoom HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{",
        Duration::from_secs(5),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(took < Duration::from_secs(3), "{took:?}");
    let (_, took) = raw(&emulator, b"", Duration::from_secs(5)).await;
    assert!(
        took < Duration::from_secs(3),
        "an idle connection stayed open {took:?}"
    );
}

async fn room_and_token(client: &Client, capabilities: &[ChatTokenCapability]) -> (String, String) {
    let room = client.create_room().send().await.unwrap();
    let arn = room.arn().unwrap().to_owned();
    let mut request = client
        .create_chat_token()
        .room_identifier(&arn)
        .user_id("u");
    for capability in capabilities {
        request = request.capabilities(capability.clone());
    }
    let token = request.send().await.unwrap().token().unwrap().to_owned();
    (arn, token)
}

async fn open_socket(
    emulator: &EmulatorHandle,
    token: &str,
) -> Result<tokio_tungstenite::WebSocketStream<TcpStream>, u16> {
    open_socket_with(emulator, token, None).await
}

/// [`open_socket`] with a small receive buffer when `receive_buffer` is given (a slow reader
/// whose kernel buffers fill quickly).
async fn open_socket_with(
    emulator: &EmulatorHandle,
    token: &str,
    receive_buffer: Option<u32>,
) -> Result<tokio_tungstenite::WebSocketStream<TcpStream>, u16> {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut request = emulator.messaging_url().into_client_request().unwrap();
    request
        .headers_mut()
        .insert("sec-websocket-protocol", token.parse().unwrap());
    let address: std::net::SocketAddr = emulator
        .url()
        .trim_start_matches("http://")
        .parse()
        .unwrap();
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    if let Some(size) = receive_buffer {
        socket.set_recv_buffer_size(size).unwrap();
    }
    let tcp = socket.connect(address).await.unwrap();
    match tokio_tungstenite::client_async(request, tcp).await {
        Ok((socket, _)) => Ok(socket),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            Err(response.status().as_u16())
        }
        Err(error) => panic!("{error}"),
    }
}

#[tokio::test]
async fn a_chat_client_that_never_reads_is_disconnected_not_buffered() {
    let limits = Limits {
        outbox_frames: 8,
        send_timeout: Duration::from_millis(500),
        chat_actions_per_second: 100_000,
        ..Limits::default()
    };
    let emulator = Emulator::builder().limits(limits).start().await.unwrap();
    let client = client(&emulator);
    let (arn, token) = room_and_token(&client, &[]).await;
    let _never_read = open_socket_with(&emulator, &token, Some(4096))
        .await
        .unwrap();
    assert_eq!(emulator.connection_count(), 1);
    let big = "x".repeat(1000);
    for _ in 0..20_000 {
        client
            .send_event()
            .room_identifier(&arn)
            .event_name("flood")
            .attributes("a", &big)
            .send()
            .await
            .unwrap();
        if emulator.connection_count() == 0 {
            break;
        }
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while emulator.connection_count() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        emulator.connection_count(),
        0,
        "the slow reader is still connected"
    );
}

#[tokio::test]
async fn oversized_chat_frames_close_the_connection() {
    let emulator = Emulator::builder().start().await.unwrap();
    let (_, token) = room_and_token(&client(&emulator), &[ChatTokenCapability::SendMessage]).await;
    let mut socket = open_socket(&emulator, &token).await.unwrap();
    use futures_util::SinkExt;
    let huge = "x".repeat(1024 * 1024);
    let _ = socket
        .send(tokio_tungstenite::tungstenite::Message::text(huge))
        .await;
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match socket.next().await {
                None | Some(Err(_)) => return true,
                Some(Ok(tokio_tungstenite::tungstenite::Message::Close(_))) => return true,
                Some(Ok(_)) => {}
            }
        }
    })
    .await;
    assert_eq!(ended, Ok(true));
}

#[tokio::test]
async fn chat_actions_are_rate_limited_for_the_account() {
    let limits = Limits {
        chat_actions_per_second: 3,
        ..Limits::default()
    };
    let emulator = Emulator::builder().limits(limits).start().await.unwrap();
    let client = client(&emulator);
    let (arn, _) = room_and_token(&client, &[]).await;
    let mut throttled = 0;
    for _ in 0..6 {
        let sent = client
            .send_event()
            .room_identifier(&arn)
            .event_name("e")
            .send()
            .await;
        if let Err(error) = sent {
            assert_eq!(error.code(), Some("ThrottlingException"), "{error}");
            throttled += 1;
        }
    }
    assert!(throttled >= 2, "{throttled} of 6 throttled at 3 per second");
}

#[tokio::test]
async fn chat_tokens_are_random_and_bounded_in_number() {
    let limits = Limits {
        max_pending_tokens: 3,
        ..Limits::default()
    };
    let emulator = Emulator::builder().limits(limits).start().await.unwrap();
    let client = client(&emulator);
    let (arn, first) = room_and_token(&client, &[]).await;
    assert_eq!(first.len(), 43);
    let mut tokens = vec![first];
    for _ in 0..4 {
        let token = client
            .create_chat_token()
            .room_identifier(&arn)
            .user_id("u")
            .send()
            .await
            .unwrap();
        tokens.push(token.token().unwrap().to_owned());
    }
    assert_eq!(
        open_socket(&emulator, &tokens[0]).await.unwrap_err(),
        401,
        "the oldest was forgotten"
    );
    assert!(open_socket(&emulator, &tokens[4]).await.is_ok());
}

#[tokio::test]
async fn temporary_credentials_need_their_own_session_token() {
    let emulator = Emulator::builder()
        .temporary_credentials("ASIATEMP", "temp-secret", "the-session-token")
        .start()
        .await
        .unwrap();
    let with = |token: Option<&str>| {
        let credentials =
            Credentials::new("ASIATEMP", "temp-secret", token.map(str::to_owned), None);
        Client::from_builder(emulator.config().credentials(credentials).max_attempts(1)).unwrap()
    };
    assert!(with(Some("the-session-token"))
        .list_rooms()
        .send()
        .await
        .is_ok());
    for token in [None, Some("another-token")] {
        let error = with(token).list_rooms().send().await.unwrap_err();
        assert_eq!(
            error.code(),
            Some("UnrecognizedClientException"),
            "{token:?}: {error}"
        );
    }
}

#[tokio::test]
async fn a_failed_save_changes_neither_memory_nor_disk() {
    let folder = tempfile::tempdir().unwrap();
    let directory = folder.path().join("state");
    std::fs::create_dir(&directory).unwrap();
    let path = directory.join("chat.tmp");
    let emulator = Emulator::builder().state_file(&path).start().await.unwrap();
    let client = client(&emulator);
    client.create_room().name("kept").send().await.unwrap();
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(
        saved.contains("\"kept\""),
        "a state file named *.tmp is written, not truncated"
    );
    std::fs::remove_dir_all(&directory).unwrap();
    let error = client.create_room().name("lost").send().await.unwrap_err();
    assert_eq!(error.code(), Some("InternalServerException"), "{error}");
    assert_eq!(
        emulator.room_count(),
        1,
        "the room that could not be saved is not kept"
    );
    let rooms = client.list_rooms().send().await.unwrap();
    assert_eq!(rooms.rooms().len(), 1);
}

#[tokio::test]
async fn one_callers_tokens_never_evict_anothers() {
    let limits = Limits {
        max_pending_tokens: 3,
        ..Limits::default()
    };
    let emulator = Emulator::builder()
        .credentials("AKIDFIRST", "first-secret")
        .credentials("AKIDSECOND", "second-secret")
        .limits(limits)
        .start()
        .await
        .unwrap();
    let as_key = |key: &str, secret: &str| client_as(&emulator, key, secret);
    let first = as_key("AKIDFIRST", "first-secret");
    let second = as_key("AKIDSECOND", "second-secret");
    let (arn, kept) = room_and_token(&first, &[]).await;
    for _ in 0..10 {
        second
            .create_chat_token()
            .room_identifier(&arn)
            .user_id("flooder")
            .send()
            .await
            .unwrap();
    }
    assert!(
        open_socket(&emulator, &kept).await.is_ok(),
        "another caller's tokens evicted this one"
    );
}

#[tokio::test]
async fn a_token_of_a_deleted_room_is_answered_404() {
    let emulator = Emulator::builder().start().await.unwrap();
    let client = client(&emulator);
    let (arn, token) = room_and_token(&client, &[]).await;
    client.delete_room().identifier(&arn).send().await.unwrap();
    assert_eq!(open_socket(&emulator, &token).await.unwrap_err(), 404);
}

#[tokio::test]
async fn the_throttle_fault_answers_the_models_status() {
    let emulator = Emulator::builder().start().await.unwrap();
    emulator.inject(ivschat_local::Fault::Throttle, 1);
    let answer = target(&emulator).signed_json("/ListRooms", b"{}").await;
    assert_eq!(answer.status(), 429, "{}", text(&answer));
    assert_eq!(answer.headers()["x-amzn-errortype"], "ThrottlingException");
}

/// A client of `emulator` signing with this key, one attempt a call.
fn client_as(emulator: &EmulatorHandle, key: &str, secret: &str) -> Client {
    let credentials = Credentials::new(key, secret, None, None);
    Client::from_builder(emulator.config().credentials(credentials).max_attempts(1)).unwrap()
}

#[tokio::test]
async fn localstack_test_keys_are_accepted_unless_the_keys_are_strict_or_configured() {
    let as_test = |emulator: &EmulatorHandle| client_as(emulator, "test", "test");
    let relaxed = Emulator::builder().start().await.unwrap();
    assert!(as_test(&relaxed).list_rooms().send().await.is_ok());
    let strict = Emulator::builder().strict_keys().start().await.unwrap();
    let error = as_test(&strict).list_rooms().send().await.unwrap_err();
    assert!(
        error.to_string().contains("UnrecognizedClientException"),
        "{error}"
    );
    let configured = Emulator::builder()
        .credentials("AKIDMINE", "my-secret")
        .start()
        .await
        .unwrap();
    assert!(as_test(&configured).list_rooms().send().await.is_err());
    // The wrong secret for `test` is refused too.
    let wrong = client_as(&relaxed, "test", "nope");
    assert!(wrong.list_rooms().send().await.is_err());
}

#[tokio::test]
async fn accounts_see_and_count_only_their_own_resources() {
    let emulator = Emulator::builder()
        .account("210987654321", "AKIDOTHER", "other-secret")
        .room_quota(2)
        .start()
        .await
        .unwrap();
    let default = Client::from_builder(emulator.config().max_attempts(1)).unwrap();
    let other = client_as(&emulator, "AKIDOTHER", "other-secret");
    let mine = default.create_room().name("mine").send().await.unwrap();
    let theirs = other.create_room().name("theirs").send().await.unwrap();
    assert!(mine.arn().unwrap().contains(":123456789012:room/"));
    assert!(theirs.arn().unwrap().contains(":210987654321:room/"));
    // Each lists its own; the other's ARN is not found, for reads, writes and tokens alike.
    let names = |rooms: &[ivschat::types::RoomSummary]| -> Vec<String> {
        rooms
            .iter()
            .filter_map(|room| room.name().map(str::to_owned))
            .collect()
    };
    assert_eq!(
        names(default.list_rooms().send().await.unwrap().rooms()),
        ["mine"]
    );
    assert_eq!(
        names(other.list_rooms().send().await.unwrap().rooms()),
        ["theirs"]
    );
    let error = other
        .get_room()
        .identifier(mine.arn().unwrap())
        .send()
        .await
        .unwrap_err();
    assert!(error.is_resource_not_found_exception(), "{error}");
    let error = other
        .delete_room()
        .identifier(mine.arn().unwrap())
        .send()
        .await
        .unwrap_err();
    assert!(error.is_resource_not_found_exception(), "{error}");
    let error = other
        .create_chat_token()
        .room_identifier(mine.arn().unwrap())
        .user_id("u")
        .send()
        .await
        .unwrap_err();
    assert!(error.is_resource_not_found_exception(), "{error}");
    // The room quota (2) is each account's: one more each fits, a third does not.
    default.create_room().send().await.unwrap();
    other.create_room().send().await.unwrap();
    let error = other.create_room().send().await.unwrap_err();
    assert!(error.is_service_quota_exceeded_exception(), "{error}");
    assert_eq!(emulator.room_count(), 4);
    let shown = format!(
        "{:?}",
        Emulator::builder().account("210987654321", "AKIDX", "top-secret-value")
    );
    assert!(!shown.contains("top-secret-value"), "{shown}");
}

#[tokio::test]
async fn a_key_with_a_policy_may_call_only_what_it_allows() {
    let emulator = Emulator::builder()
        .credentials(
            ivschat_local::DEFAULT_ACCESS_KEY_ID,
            ivschat_local::DEFAULT_SECRET_ACCESS_KEY,
        )
        .credentials("AKIDREADER", "reader-secret")
        .policy(
            "AKIDREADER",
            ivschat_local::Policy::actions(["ivschat:GetRoom", "ivschat:List*"])
                .on_resources(["*"]),
        )
        .start()
        .await
        .unwrap();
    let admin = Client::from_builder(emulator.config().max_attempts(1)).unwrap();
    let reader = client_as(&emulator, "AKIDREADER", "reader-secret");
    let room = admin.create_room().name("kept").send().await.unwrap();
    let arn = room.arn().unwrap();
    assert_eq!(reader.list_rooms().send().await.unwrap().rooms().len(), 1);
    assert!(reader.get_room().identifier(arn).send().await.is_ok());
    let denied = reader
        .delete_room()
        .identifier(arn)
        .send()
        .await
        .unwrap_err();
    assert!(denied.is_access_denied_exception(), "{denied}");
    assert!(
        denied.to_string().contains(&format!(
            "User: AKIDREADER is not authorized to perform: ivschat:DeleteRoom on resource: {arn}"
        )),
        "{denied}"
    );
    let denied = reader.create_room().send().await.unwrap_err();
    assert!(denied.is_access_denied_exception(), "{denied}");
    assert_eq!(emulator.room_count(), 1);
}
