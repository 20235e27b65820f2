//! The messaging client against the emulator's Messaging API: two users chatting,
//! capabilities, limits, review, control-plane calls reaching connected clients, tokens,
//! reconnection, and a load of 10 clients x 100 messages.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ivschat::types::ChatTokenCapability;
use ivschat::Client;
use ivschat_local::{Emulator, EmulatorBuilder, EmulatorHandle, ReviewRule};
use ivschat_messaging::{
    Attributes, ChatError, ChatEvent, ChatEvents, ChatRoom, ChatToken, ConnectError,
    ConnectionState, DisconnectCause, ErrorKind, TokenProvider,
};
use ivschat_runtime::StreamExt;

const EVERY_CAPABILITY: &[ChatTokenCapability] = &[
    ChatTokenCapability::SendMessage,
    ChatTokenCapability::DeleteMessage,
    ChatTokenCapability::DisconnectUser,
];

/// An emulator and a control-plane client of it.
struct World {
    emulator: EmulatorHandle,
    client: Client,
}

impl World {
    async fn start(builder: EmulatorBuilder) -> Self {
        let emulator = builder.start().await.unwrap();
        let client = Client::from_builder(emulator.config()).unwrap();
        Self { emulator, client }
    }

    /// A room with the given message rate and length limits.
    async fn room(&self, rate: i32, length: i32) -> String {
        let room = self
            .client
            .create_room()
            .maximum_message_rate_per_second(rate)
            .maximum_message_length(length)
            .send()
            .await
            .unwrap();
        room.arn().unwrap().to_owned()
    }

    /// A token provider calling CreateChatToken for `user`.
    fn provider(
        &self,
        room: &str,
        user: &str,
        capabilities: &[ChatTokenCapability],
    ) -> impl TokenProvider {
        let (client, room, user) = (self.client.clone(), room.to_owned(), user.to_owned());
        let capabilities = capabilities.to_vec();
        move || {
            let request = client
                .create_chat_token()
                .room_identifier(&room)
                .user_id(&user)
                .set_capabilities(Some(capabilities.clone()))
                .attributes("displayName", user.to_uppercase());
            async move {
                let output = request.send().await?;
                Ok(ChatToken::from_output(
                    output.token().unwrap_or_default(),
                    output.token_expiration_time(),
                ))
            }
        }
    }

    async fn join(
        &self,
        room: &str,
        user: &str,
        capabilities: &[ChatTokenCapability],
    ) -> (ChatRoom, ChatEvents) {
        ChatRoom::builder()
            .url(&self.emulator.messaging_url())
            .token_provider(self.provider(room, user, capabilities))
            .connect()
            .await
            .unwrap()
    }

    /// A token for one connection attempt, for a one-minute session.
    async fn token(&self, room: &str, user: &str) -> String {
        let output = self
            .client
            .create_chat_token()
            .room_identifier(room)
            .user_id(user)
            .session_duration_in_minutes(1)
            .send()
            .await
            .unwrap();
        output.token().unwrap().to_owned()
    }
}

/// The next event other than a connection-state change, within five seconds.
async fn next_event(events: &mut ChatEvents) -> ChatEvent {
    loop {
        let event = tokio::time::timeout(Duration::from_secs(5), events.next())
            .await
            .expect("an event within five seconds")
            .expect("the stream is open");
        if !matches!(event, ChatEvent::State(ConnectionState::Connected)) {
            return event;
        }
    }
}

async fn next_message(events: &mut ChatEvents) -> ivschat_messaging::ChatMessage {
    match next_event(events).await {
        ChatEvent::Message(message) => message,
        other => panic!("expected a message, got {other:?}"),
    }
}

fn server_error_kind(outcome: Result<impl std::fmt::Debug, ChatError>) -> ErrorKind {
    match outcome {
        Err(error) => error
            .kind()
            .unwrap_or_else(|| panic!("a server error, got {error:?}")),
        Ok(value) => panic!("expected an error, got {value:?}"),
    }
}

#[tokio::test]
async fn two_users_exchange_messages() {
    let world = World::start(Emulator::builder()).await;
    let room = world.room(10, 500).await;
    let (alice, mut alice_events) = world.join(&room, "alice", EVERY_CAPABILITY).await;
    let (bob, mut bob_events) = world.join(&room, "bob", EVERY_CAPABILITY).await;

    let attributes = Attributes::from([("mood".to_owned(), "cheerful".to_owned())]);
    let sent = alice
        .send_message("hello bob", attributes.clone())
        .await
        .unwrap();
    assert_eq!(sent.id.len(), 12);
    assert_eq!(sent.content, "hello bob");
    assert_eq!(sent.attributes, attributes);
    assert_eq!(sent.sender.user_id, "alice");
    assert_eq!(sent.sender.attributes["displayName"], "ALICE");

    let received = next_message(&mut bob_events).await;
    assert_eq!(received, sent);
    assert_eq!(next_message(&mut alice_events).await, sent);

    let reply = bob
        .send_message("hi alice", Attributes::new())
        .await
        .unwrap();
    assert_eq!(next_message(&mut alice_events).await.content, "hi alice");
    assert!(reply.send_time >= sent.send_time);
    assert!(reply.attributes.is_empty());
}

#[tokio::test]
async fn capabilities_are_enforced() {
    let world = World::start(Emulator::builder()).await;
    let room = world.room(10, 500).await;
    let (viewer, mut viewer_events) = world.join(&room, "viewer", &[]).await;
    let (moderator, mut moderator_events) = world.join(&room, "mod", EVERY_CAPABILITY).await;

    let outcome = viewer.send_message("may I?", Attributes::new()).await;
    assert_eq!(server_error_kind(outcome), ErrorKind::Forbidden);
    let outcome = viewer.delete_message("M2YcHkgffEvU", None).await;
    assert_eq!(server_error_kind(outcome), ErrorKind::Forbidden);
    let outcome = viewer.disconnect_user("mod", Some("coup")).await;
    assert_eq!(server_error_kind(outcome), ErrorKind::Forbidden);

    let message = moderator
        .send_message("rules", Attributes::new())
        .await
        .unwrap();
    assert_eq!(next_message(&mut viewer_events).await.id, message.id);
    let deleted = moderator
        .delete_message(&message.id, Some("outdated"))
        .await
        .unwrap();
    assert_eq!(deleted.message_id, message.id);
    assert_eq!(deleted.reason.as_deref(), Some("outdated"));
    match next_event(&mut viewer_events).await {
        ChatEvent::MessageDeleted(seen) => assert_eq!(seen, deleted),
        other => panic!("expected a deletion, got {other:?}"),
    }

    let kicked = moderator
        .disconnect_user("viewer", Some("bye"))
        .await
        .unwrap();
    assert_eq!(kicked.user_id, "viewer");
    match next_event(&mut viewer_events).await {
        ChatEvent::UserDisconnected(seen) => assert_eq!(seen.user_id, "viewer"),
        other => panic!("expected a disconnection, got {other:?}"),
    }
    assert_eq!(
        next_event(&mut viewer_events).await,
        ChatEvent::State(ConnectionState::Disconnected {
            cause: DisconnectCause::Server,
            code: Some(1000),
            reason: "bye".to_owned()
        })
    );
    assert!(
        viewer_events.next().await.is_none(),
        "a kick ends the stream"
    );
    assert_eq!(next_message(&mut moderator_events).await.id, message.id);
}

#[tokio::test]
async fn rate_length_and_review_limits() {
    let rule = ReviewRule::deny_matching("(?i)forbidden").unwrap();
    let world = World::start(Emulator::builder().review_rule(rule)).await;
    let room = world.room(2, 10).await;
    let (user, _events) = world.join(&room, "user", EVERY_CAPABILITY).await;

    let outcome = user.send_message("far too long", Attributes::new()).await;
    assert_eq!(server_error_kind(outcome), ErrorKind::BadRequest);
    let outcome = user.send_message("x".repeat(501), Attributes::new()).await;
    assert!(matches!(
        outcome,
        Err(ChatError::InvalidRequest {
            field: "Content",
            ..
        })
    ));
    let heavy = Attributes::from([("k".to_owned(), "v".repeat(2000))]);
    let outcome = user.send_message("hi", heavy).await;
    assert!(matches!(
        outcome,
        Err(ChatError::InvalidRequest {
            field: "Attributes",
            ..
        })
    ));

    let mut throttled = 0;
    for _ in 0..4 {
        if let Err(error) = user.send_message("spam", Attributes::new()).await {
            assert_eq!(error.kind(), Some(ErrorKind::Throttled));
            throttled += 1;
        }
    }
    assert!(
        throttled >= 2,
        "a room of 2 messages per second throttles 4 in a row"
    );

    let reviewed = world
        .client
        .update_room()
        .identifier(&room)
        .maximum_message_rate_per_second(100)
        .message_review_handler(
            ivschat::types::MessageReviewHandler::builder()
                .uri("arn:aws:lambda:us-west-2:123456789012:function:review")
                .build(),
        )
        .send()
        .await;
    reviewed.unwrap();
    let outcome = user.send_message("forbidden", Attributes::new()).await;
    match outcome {
        Err(ChatError::Server(error)) => {
            assert_eq!(error.kind(), ErrorKind::Rejected);
            assert_eq!(error.message, "the content matches the room's review rule");
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
    assert!(user.send_message("fine", Attributes::new()).await.is_ok());
}

#[tokio::test]
async fn control_plane_calls_reach_connected_clients() {
    let world = World::start(Emulator::builder()).await;
    let room = world.room(10, 500).await;
    let (_listener, mut events) = world.join(&room, "listener", &[]).await;
    let (_guest, mut guest_events) = world.join(&room, "guest", &[]).await;

    let sent = world
        .client
        .send_event()
        .room_identifier(&room)
        .event_name("app:poll")
        .attributes("question", "tea?")
        .send()
        .await
        .unwrap();
    match next_event(&mut events).await {
        ChatEvent::Event(event) => {
            assert_eq!(Some(event.id.as_str()), sent.id());
            assert_eq!(event.name, "app:poll");
            assert_eq!(event.attributes["question"], "tea?");
            assert_eq!(event.request_id, "");
        }
        other => panic!("expected an event, got {other:?}"),
    }

    let deleted = world
        .client
        .delete_message()
        .room_identifier(&room)
        .id("M2YcHkgffEvU")
        .send()
        .await
        .unwrap();
    match next_event(&mut events).await {
        ChatEvent::MessageDeleted(event) => {
            assert_eq!(Some(event.id.as_str()), deleted.id());
            assert_eq!(event.message_id, "M2YcHkgffEvU");
            assert_eq!(event.reason, None);
        }
        other => panic!("expected a deletion, got {other:?}"),
    }

    world
        .client
        .disconnect_user()
        .room_identifier(&room)
        .user_id("guest")
        .reason("quiet please")
        .send()
        .await
        .unwrap();
    assert!(matches!(
        next_event(&mut guest_events).await,
        ChatEvent::Event(_)
    ));
    assert!(matches!(
        next_event(&mut guest_events).await,
        ChatEvent::MessageDeleted(_)
    ));
    for stream in [&mut events, &mut guest_events] {
        match next_event(stream).await {
            ChatEvent::UserDisconnected(event) => {
                assert_eq!(event.user_id, "guest");
                assert_eq!(event.reason.as_deref(), Some("quiet please"));
            }
            other => panic!("expected a disconnection, got {other:?}"),
        }
    }
    assert!(matches!(
        next_event(&mut guest_events).await,
        ChatEvent::State(ConnectionState::Disconnected {
            cause: DisconnectCause::Server,
            code: Some(1000),
            ..
        })
    ));

    world
        .client
        .delete_room()
        .identifier(&room)
        .send()
        .await
        .unwrap();
    assert!(matches!(
        next_event(&mut events).await,
        ChatEvent::State(ConnectionState::Disconnected {
            cause: DisconnectCause::Server,
            code: Some(1000),
            ..
        })
    ));
    for _ in 0..50 {
        if world.emulator.connection_count() == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the deleted room's connections are gone within a second");
}

#[tokio::test]
async fn tokens_are_single_use_and_expire() {
    let world = World::start(Emulator::builder().session_minute(Duration::from_secs(1))).await;
    let room = world.room(10, 500).await;
    let token = world.token(&room, "once").await;
    let fixed = move || {
        let token = token.clone();
        async move { Ok(ChatToken::new(token)) }
    };
    let url = world.emulator.messaging_url();
    let first = ChatRoom::builder()
        .url(&url)
        .token_provider(fixed.clone())
        .connect()
        .await;
    assert!(first.is_ok(), "a fresh token connects");
    let second = ChatRoom::builder()
        .url(&url)
        .token_provider(fixed)
        .connect()
        .await;
    match second {
        Err(ConnectError::Refused { status, message }) => {
            assert_eq!(status, 401);
            assert_eq!(message, "the chat token was already used");
        }
        other => panic!("a reused token must be refused, got {other:?}"),
    }

    let stale = world.token(&room, "late").await;
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let late = ChatRoom::builder()
        .url(&url)
        .token_provider(move || {
            let stale = stale.clone();
            async move { Ok(ChatToken::new(stale)) }
        })
        .connect()
        .await;
    assert!(matches!(
        late,
        Err(ConnectError::Refused { status: 401, .. })
    ));

    let missing = ChatRoom::builder()
        .url(&url)
        .token_provider(|| async { Ok(ChatToken::new("not-a-token")) })
        .connect()
        .await;
    assert!(matches!(
        missing,
        Err(ConnectError::Refused { status: 401, .. })
    ));
}

/// A provider of tokens for one-minute sessions that counts its calls; `with_expiry` says
/// whether it tells the room when tokens expire.
fn counting_provider(
    world: &World,
    room: &str,
    with_expiry: bool,
) -> (impl TokenProvider, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let (client, room, counter) = (world.client.clone(), room.to_owned(), calls.clone());
    let provider = move || {
        counter.fetch_add(1, Ordering::SeqCst);
        let request = client
            .create_chat_token()
            .room_identifier(&room)
            .user_id("renewing")
            .capabilities(ChatTokenCapability::SendMessage)
            .session_duration_in_minutes(1);
        async move {
            let output = request.send().await?;
            let expiry = output.token_expiration_time().filter(|_| with_expiry);
            Ok(ChatToken::from_output(
                output.token().unwrap_or_default(),
                expiry,
            ))
        }
    };
    (provider, calls)
}

#[tokio::test]
async fn the_room_renews_its_token_when_the_session_ends() {
    let world = World::start(Emulator::builder().session_minute(Duration::from_millis(500))).await;
    let room = world.room(10, 500).await;
    let (provider, calls) = counting_provider(&world, &room, false);
    let (user, mut events) = ChatRoom::builder()
        .url(&world.emulator.messaging_url())
        .token_provider(provider)
        .connect()
        .await
        .unwrap();
    match next_event(&mut events).await {
        ChatEvent::Error(error) => {
            assert_eq!(error.kind(), ErrorKind::Unauthorized);
            assert_eq!(error.request_id, "");
        }
        other => panic!("expected the session's end, got {other:?}"),
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        calls.load(Ordering::SeqCst),
        2,
        "a fresh token after the 401"
    );
    let sent = user
        .send_message("still here", Attributes::new())
        .await
        .unwrap();
    assert_eq!(next_message(&mut events).await.id, sent.id);
}

#[tokio::test]
async fn the_room_renews_its_token_before_it_expires() {
    let world = World::start(Emulator::builder().session_minute(Duration::from_secs(3))).await;
    let room = world.room(10, 500).await;
    let (provider, calls) = counting_provider(&world, &room, true);
    let (user, mut events) = ChatRoom::builder()
        .url(&world.emulator.messaging_url())
        .token_provider(provider)
        .refresh_before_expiry(Duration::from_secs(2))
        .connect()
        .await
        .unwrap();
    assert_eq!(
        events.next().await,
        Some(ChatEvent::State(ConnectionState::Connected))
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        calls.load(Ordering::SeqCst),
        2,
        "renewed a second before expiry"
    );
    let sent = user
        .send_message("seamless", Attributes::new())
        .await
        .unwrap();
    assert_eq!(
        next_event(&mut events).await,
        ChatEvent::Message(sent),
        "no error and no reconnection in between"
    );
    assert_eq!(
        world.emulator.connection_count(),
        1,
        "the old connection is closed"
    );
}

#[tokio::test]
async fn an_unclean_close_reconnects() {
    let world = World::start(Emulator::builder()).await;
    let room = world.room(10, 500).await;
    let (user, mut events) = world.join(&room, "user", EVERY_CAPABILITY).await;
    assert_eq!(
        events.next().await,
        Some(ChatEvent::State(ConnectionState::Connected))
    );
    world.emulator.break_connections();
    assert!(matches!(
        events.next().await,
        Some(ChatEvent::State(ConnectionState::Reconnecting { .. }))
    ));
    assert_eq!(
        events.next().await,
        Some(ChatEvent::State(ConnectionState::Connected))
    );
    let sent = user.send_message("back", Attributes::new()).await.unwrap();
    assert_eq!(next_message(&mut events).await.id, sent.id);
    user.disconnect();
    assert!(matches!(
        events.next().await,
        Some(ChatEvent::State(ConnectionState::Disconnected {
            cause: DisconnectCause::Client,
            code: Some(1000),
            ..
        }))
    ));
    assert_eq!(events.next().await, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_clients_send_a_hundred_messages_each_and_all_arrive_in_order() {
    const CLIENTS: usize = 10;
    const MESSAGES: usize = 100;
    let world = World::start(Emulator::builder().message_rate_limits(false)).await;
    let room = world.room(100, 500).await;
    let mut members = Vec::new();
    for client in 0..CLIENTS {
        members.push(
            world
                .join(&room, &format!("user{client}"), EVERY_CAPABILITY)
                .await,
        );
    }
    let mut tasks = Vec::new();
    for (client, (room, mut events)) in members.into_iter().enumerate() {
        tasks.push(tokio::spawn(async move {
            let sending = async {
                for number in 0..MESSAGES {
                    room.send_message(format!("{client}:{number}"), Attributes::new())
                        .await
                        .unwrap();
                }
            };
            let receiving = async {
                let mut last = [None::<usize>; CLIENTS];
                let mut received = 0;
                while received < CLIENTS * MESSAGES {
                    let message = next_message(&mut events).await;
                    let (sender, number) = message.content.split_once(':').unwrap();
                    let (sender, number): (usize, usize) =
                        (sender.parse().unwrap(), number.parse().unwrap());
                    assert_eq!(
                        last[sender].map_or(0, |n| n + 1),
                        number,
                        "order of {sender}"
                    );
                    last[sender] = Some(number);
                    received += 1;
                }
                received
            };
            let ((), received) = tokio::join!(sending, receiving);
            received
        }));
    }
    let all = tokio::time::timeout(Duration::from_secs(60), async {
        let mut total = 0;
        for task in tasks {
            total += task.await.unwrap();
        }
        total
    })
    .await
    .expect("the load finishes within a minute");
    assert_eq!(all, CLIENTS * CLIENTS * MESSAGES);
}

#[tokio::test]
async fn the_websocket_goes_through_the_proxy_in_a_connect_tunnel() {
    let world = World::start(Emulator::builder()).await;
    let room = world.room(10, 500).await;
    let recording = ivschat_runtime::protocol_test::RecordingProxy::start()
        .await
        .unwrap();
    let proxy = ivschat_runtime::transport::ProxySettings {
        http: Some(format!("http://chat:secret@{}", recording.address())),
        ..Default::default()
    };
    let (alice, mut events) = ChatRoom::builder()
        .url(&world.emulator.messaging_url())
        .proxy(proxy)
        .token_provider(world.provider(&room, "alice", EVERY_CAPABILITY))
        .connect()
        .await
        .unwrap();
    let sent = alice
        .send_message("via the proxy", Attributes::new())
        .await
        .unwrap();
    assert_eq!(next_message(&mut events).await, sent);
    let asked = recording.asked();
    let authority = world
        .emulator
        .messaging_url()
        .trim_start_matches("ws://")
        .to_owned();
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert!(
        asked[0].starts_with(&format!("CONNECT {authority} HTTP/1.1\r\n")),
        "{asked:?}"
    );
    // Basic base64("chat:secret").
    assert!(
        asked[0].contains("Proxy-Authorization: Basic Y2hhdDpzZWNyZXQ=\r\n"),
        "{asked:?}"
    );
}

#[tokio::test]
async fn an_unusable_ca_bundle_is_named_before_connecting() {
    let outcome = ChatRoom::builder()
        .url("wss://chat.example.invalid")
        .ca_bundle("/nonexistent/ca.pem")
        .token_provider(|| async { Ok(ChatToken::new("unused")) })
        .connect()
        .await;
    match outcome {
        Err(ConnectError::InvalidEndpoint(why)) => {
            assert!(
                why.contains("cannot read the CA bundle /nonexistent/ca.pem"),
                "{why}"
            )
        }
        Err(other) => panic!("expected the bundle's error, got {other}"),
        Ok(_) => panic!("connected without a usable bundle"),
    }
}

/// Connects to `room` with a provider whose first token is real and whose later ones come
/// from `later`, breaks the connection, and answers how the room ended (its cause and reason)
/// and how many tokens were asked for.
async fn ends_after_a_break(
    world: &World,
    room: &str,
    later: fn() -> Result<ChatToken, ivschat_messaging::TokenError>,
) -> (DisconnectCause, String, usize) {
    let calls = Arc::new(AtomicUsize::new(0));
    let (client, arn, counter) = (world.client.clone(), room.to_owned(), calls.clone());
    let provider = move || {
        let first = counter.fetch_add(1, Ordering::SeqCst) == 0;
        let request = client
            .create_chat_token()
            .room_identifier(&arn)
            .user_id("u");
        async move {
            if !first {
                return later();
            }
            let output = request.send().await?;
            Ok(ChatToken::from_output(
                output.token().unwrap_or_default(),
                None,
            ))
        }
    };
    let (_user, mut events) = ChatRoom::builder()
        .url(&world.emulator.messaging_url())
        .token_provider(provider)
        .connect()
        .await
        .unwrap();
    assert_eq!(
        events.next().await,
        Some(ChatEvent::State(ConnectionState::Connected))
    );
    world.emulator.break_connections();
    loop {
        match events.next().await {
            Some(ChatEvent::State(ConnectionState::Disconnected { cause, reason, .. })) => {
                return (cause, reason, calls.load(Ordering::SeqCst))
            }
            Some(_) => {}
            None => panic!("the events ended without a disconnection"),
        }
    }
}

#[tokio::test]
async fn a_room_that_cannot_get_a_token_to_reconnect_ends_saying_so() {
    let world = World::start(Emulator::builder()).await;
    let room = world.room(10, 500).await;
    // Every token after the first fails, as a token service that went down.
    let (cause, reason, calls) = ends_after_a_break(&world, &room, || {
        Err(ivschat_messaging::TokenError::from(
            "the token service is down",
        ))
    })
    .await;
    assert_eq!(cause, DisconnectCause::FetchTokenError, "{reason}");
    assert!(reason.contains("the token service is down"), "{reason}");
    // The default: 3 failures in a row, as the official clients allow; the broken connection,
    // which had not heard a frame yet, is the first, and each reconnection asks for a token.
    assert!(reason.contains("3 attempts"), "{reason}");
    assert_eq!(calls, 3);
}

#[tokio::test]
async fn a_room_the_server_keeps_refusing_ends_with_a_socket_error() {
    let world = World::start(Emulator::builder()).await;
    let room = world.room(10, 500).await;
    // Later tokens are ones the service never issued: every reconnection's handshake is
    // refused (401) although the provider answers.
    let (cause, reason, _) =
        ends_after_a_break(&world, &room, || Ok(ChatToken::new("AQICAHgnot-issued"))).await;
    assert_eq!(cause, DisconnectCause::SocketError, "{reason}");
    assert!(reason.contains("401"), "{reason}");
}

#[tokio::test]
async fn a_request_id_of_ones_own_comes_back_and_a_duplicate_is_refused_unsent() {
    let world = World::start(Emulator::builder()).await;
    let room = world.room(10, 500).await;
    let (user, mut events) = world.join(&room, "user", EVERY_CAPABILITY).await;
    assert_eq!(
        events.next().await,
        Some(ChatEvent::State(ConnectionState::Connected))
    );
    let sent = user
        .send_message_with_id("my-id-1", "hello", Attributes::new())
        .await
        .unwrap();
    assert_eq!(sent.request_id, "my-id-1");
    // Two sends with one id at once: the second is refused before it is sent.
    let (first, second) = tokio::join!(
        user.send_message_with_id("same", "one", Attributes::new()),
        user.send_message_with_id("same", "two", Attributes::new()),
    );
    assert!(first.is_ok(), "{first:?}");
    assert!(
        matches!(
            second,
            Err(ChatError::InvalidRequest {
                field: "RequestId",
                ..
            })
        ),
        "{second:?}"
    );
    assert!(matches!(
        user.send_message_with_id("", "x", Attributes::new()).await,
        Err(ChatError::InvalidRequest {
            field: "RequestId",
            ..
        })
    ));
}

#[tokio::test]
async fn fault_rules_naming_a_chat_action_answer_its_frames() {
    use ivschat_local::{Fault, FaultRule};
    let world = World::start(Emulator::builder()).await;
    let room = world.room(10, 500).await;
    let (user, mut events) = world.join(&room, "user", EVERY_CAPABILITY).await;
    assert_eq!(
        events.next().await,
        Some(ChatEvent::State(ConnectionState::Connected))
    );
    // A rule for any request leaves chat actions alone; one naming SEND_MESSAGE answers it.
    world.emulator.inject(Fault::InternalError, 1);
    world
        .emulator
        .inject_rule(FaultRule::new(Fault::Throttle, 1).operation("SEND_MESSAGE"));
    let throttled = user
        .send_message("one", Attributes::new())
        .await
        .unwrap_err();
    assert_eq!(
        throttled.kind(),
        Some(ErrorKind::Throttled),
        "{throttled:?}"
    );
    let sent = user.send_message("two", Attributes::new()).await.unwrap();
    assert_eq!(sent.content, "two");
    assert_eq!(
        world.emulator.faults().len(),
        1,
        "the untargeted rule is still queued"
    );
    world.emulator.clear_faults();
    // A dropped connection is reconnected.
    world
        .emulator
        .inject_rule(FaultRule::new(Fault::DropBeforeResponse, 1).operation("SEND_MESSAGE"));
    assert!(user.send_message("three", Attributes::new()).await.is_err());
    let mut reconnected = false;
    while let Some(event) = events.next().await {
        if event == ChatEvent::State(ConnectionState::Connected) {
            reconnected = true;
            break;
        }
    }
    assert!(reconnected);
    user.send_message("four", Attributes::new()).await.unwrap();
}
