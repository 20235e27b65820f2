//! The client against servers that misbehave: ERROR 401 on every connection, a half-open
//! connection, ids and frames too large to keep, and a flood the application reads slowly.
// tungstenite's handshake callback returns its large error response by value.
#![allow(clippy::result_large_err)]

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use ivschat_messaging::{
    ChatEvent, ChatEvents, ChatRoom, ChatRoomBuilder, ChatToken, ConnectionState,
};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

type Socket = WebSocketStream<TcpStream>;

/// A WebSocket server on loopback that runs `script` on each connection (the connection's
/// number, from 0) for at most 20 s; returns its `ws://` URL.
async fn server<F, Fut>(script: F) -> String
where
    F: Fn(Socket, usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}", listener.local_addr().unwrap());
    let script = Arc::new(script);
    tokio::spawn(async move {
        let _ = tokio::time::timeout(Duration::from_secs(20), async {
            for number in 0.. {
                let Ok((tcp, _)) = listener.accept().await else {
                    return;
                };
                let script = script.clone();
                tokio::spawn(async move {
                    let echo = |request: &Request, mut response: Response| {
                        if let Some(protocol) = request.headers().get("sec-websocket-protocol") {
                            response
                                .headers_mut()
                                .insert("sec-websocket-protocol", protocol.clone());
                        }
                        Ok(response)
                    };
                    if let Ok(socket) = tokio_tungstenite::accept_hdr_async(tcp, echo).await {
                        script(socket, number).await;
                    }
                });
            }
        })
        .await;
    });
    url
}

/// A provider of dummy tokens that counts its calls.
fn counting_provider() -> (
    impl Fn() -> std::future::Ready<Result<ChatToken, ivschat_messaging::TokenError>>,
    Arc<AtomicUsize>,
) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let provider = move || {
        counter.fetch_add(1, Ordering::SeqCst);
        std::future::ready(Ok(ChatToken::new("dummy-token")))
    };
    (provider, calls)
}

/// A room connected to `url` with dummy tokens, set up further by `configure`.
async fn connect(
    url: &str,
    configure: impl FnOnce(ChatRoomBuilder) -> ChatRoomBuilder,
) -> (ChatRoom, ChatEvents) {
    let (provider, _) = counting_provider();
    configure(ChatRoom::builder().url(url).token_provider(provider))
        .connect()
        .await
        .unwrap()
}

fn event_frame(id: &str) -> String {
    format!(
        r#"{{"Type":"EVENT","Id":"{id}","RequestId":"","EventName":"e","Attributes":null,"SendTime":"2026-01-01T00:00:00.000Z"}}"#
    )
}

/// The next event within `limit`.
async fn next(events: &mut ChatEvents, limit: Duration) -> Option<ChatEvent> {
    tokio::time::timeout(limit, events.next())
        .await
        .ok()
        .flatten()
}

#[tokio::test]
async fn repeated_401s_renew_with_backoff_not_in_a_loop() {
    let frames = Arc::new(AtomicUsize::new(0));
    let url = server(move |mut socket, _| {
        let id = frames.fetch_add(1, Ordering::SeqCst);
        async move {
            let frame = format!(
                r#"{{"Type":"ERROR","Id":"e{id}","RequestId":"","ErrorCode":401,"ErrorMessage":"expired"}}"#
            );
            let _ = socket.send(Message::text(frame)).await;
            while let Some(Ok(_)) = socket.next().await {}
        }
    })
    .await;
    let (provider, calls) = counting_provider();
    let (_room, _events) = ChatRoom::builder()
        .url(&url)
        .token_provider(provider)
        .connect()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let made = calls.load(Ordering::SeqCst);
    // Connect, renew at once, then after 1 s and after 2 s more: four tokens in 3.5 s.
    assert!((3..=6).contains(&made), "{made} tokens in 3.5 s");
}

#[tokio::test]
async fn a_half_open_connection_is_found_and_replaced() {
    let url = server(|socket, number| async move {
        if number == 0 {
            // Never reads, so never answers a ping: half-open as seen from the client.
            tokio::time::sleep(Duration::from_secs(10)).await;
            drop(socket);
        } else {
            let mut socket = socket;
            while let Some(Ok(_)) = socket.next().await {}
        }
    })
    .await;
    let (_room, mut events) = connect(&url, |room| {
        room.keepalive(Duration::from_millis(100), Duration::from_millis(400))
    })
    .await;
    let started = Instant::now();
    assert_eq!(
        next(&mut events, Duration::from_secs(1)).await,
        Some(ChatEvent::State(ConnectionState::Connected))
    );
    match next(&mut events, Duration::from_secs(3)).await {
        Some(ChatEvent::State(ConnectionState::Reconnecting { reason })) => {
            assert!(reason.contains("half-open"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(
        next(&mut events, Duration::from_secs(3)).await,
        Some(ChatEvent::State(ConnectionState::Connected))
    );
}

#[tokio::test]
async fn long_ids_are_dropped_and_huge_frames_break_the_connection() {
    let url = server(|mut socket, number| async move {
        if number == 0 {
            let long_id = "i".repeat(10_000);
            let _ = socket.send(Message::text(event_frame(&long_id))).await;
            let _ = socket.send(Message::text(event_frame("ok-1"))).await;
            let _ = socket.send(Message::text("x".repeat(1024 * 1024))).await;
        }
        while let Some(Ok(_)) = socket.next().await {}
    })
    .await;
    let (_room, mut events) = connect(&url, |room| room).await;
    let limit = Duration::from_secs(3);
    assert_eq!(
        next(&mut events, limit).await,
        Some(ChatEvent::State(ConnectionState::Connected))
    );
    match next(&mut events, limit).await {
        Some(ChatEvent::Event(event)) => assert_eq!(event.id, "ok-1"),
        other => panic!("the long id was not dropped: {other:?}"),
    }
    match next(&mut events, limit).await {
        Some(ChatEvent::State(ConnectionState::Reconnecting { reason })) => {
            assert!(
                reason.to_lowercase().contains("too long") || reason.contains("size"),
                "{reason}"
            )
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_slow_application_loses_no_event() {
    let url = server(|mut socket, _| async move {
        for id in 0..300 {
            if socket
                .send(Message::text(event_frame(&format!("f{id}"))))
                .await
                .is_err()
            {
                return;
            }
        }
        while let Some(Ok(_)) = socket.next().await {}
    })
    .await;
    let (_room, mut events) = connect(&url, |room| room.event_buffer(4)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut ids = Vec::new();
    while ids.len() < 300 {
        match next(&mut events, Duration::from_secs(3)).await {
            Some(ChatEvent::Event(event)) => ids.push(event.id),
            Some(ChatEvent::State(ConnectionState::Connected)) => {}
            other => panic!("{other:?} after {} events", ids.len()),
        }
    }
    let expected: Vec<String> = (0..300).map(|id| format!("f{id}")).collect();
    assert_eq!(ids, expected);
}

#[tokio::test]
async fn a_server_that_drops_every_connection_at_once_is_not_retried_forever() {
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    let url = server(move |socket, _| {
        counted.fetch_add(1, Ordering::SeqCst);
        async move { drop(socket) }
    })
    .await;
    let (provider, tokens) = counting_provider();
    let (_room, mut events) = ChatRoom::builder()
        .url(&url)
        .token_provider(provider)
        .max_reconnect_attempts(3)
        .connect()
        .await
        .unwrap();
    let gave_up = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(event) = events.next().await {
            if let ChatEvent::State(ConnectionState::Disconnected { reason, .. }) = event {
                return reason;
            }
        }
        String::new()
    })
    .await
    .expect("the room kept reconnecting to a server that drops every connection");
    assert!(gave_up.contains("3 attempts in a row failed"), "{gave_up}");
    let (opened, fetched) = (
        connections.load(Ordering::SeqCst),
        tokens.load(Ordering::SeqCst),
    );
    // The first connection, then attempts until three failed in a row.
    assert!(
        opened <= 4 && fetched <= 4,
        "{opened} connections, {fetched} tokens"
    );
}

#[tokio::test]
async fn a_token_provider_that_never_answers_fails_the_attempt_in_time() {
    let url =
        server(|mut socket, _| async move { while let Some(Ok(_)) = socket.next().await {} }).await;
    let never = || std::future::pending::<Result<ChatToken, ivschat_messaging::TokenError>>();
    let attempt = ChatRoom::builder()
        .url(&url)
        .token_provider(never)
        .token_timeout(Duration::from_millis(200))
        .connect();
    let outcome = tokio::time::timeout(Duration::from_secs(5), attempt)
        .await
        .expect("connect waited on the provider for ever");
    let Err(error) = outcome else {
        panic!("connected without a token")
    };
    let error = error.to_string();
    assert!(error.contains("no token within 200ms"), "{error}");
}
