//! Interoperation with the official client: `amazon-ivs-chat-messaging` (JS, run by Node with
//! the `ws` package) and this crate chat in one room of the emulator. Needs
//! `npm ci --prefix messaging/interop` first (CI does it); says so and skips otherwise, and
//! fails under `CI=true`.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use ivschat::types::ChatTokenCapability;
use ivschat::Client;
use ivschat_local::Emulator;
use ivschat_messaging::{Attributes, ChatEvent, ChatRoom, ChatToken};
use ivschat_runtime::StreamExt;
use serde_json::Value;

async fn token(client: &Client, room: &str, user: &str) -> String {
    let output = client
        .create_chat_token()
        .room_identifier(room)
        .user_id(user)
        .capabilities(ChatTokenCapability::SendMessage)
        .capabilities(ChatTokenCapability::DeleteMessage)
        .send()
        .await
        .unwrap();
    output.token().unwrap().to_owned()
}

/// The next message or deletion the Rust user sees, within ten seconds.
async fn next_chat_event(events: &mut ivschat_messaging::ChatEvents) -> ChatEvent {
    loop {
        let event = tokio::time::timeout(Duration::from_secs(10), events.next())
            .await
            .expect("an event within ten seconds")
            .expect("the stream is open");
        if matches!(event, ChatEvent::Message(_) | ChatEvent::MessageDeleted(_)) {
            return event;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_js_client_and_this_crate_chat_in_one_room() {
    let interop = Path::new(env!("CARGO_MANIFEST_DIR")).join("interop");
    if !interop
        .join("node_modules/amazon-ivs-chat-messaging")
        .exists()
    {
        assert!(
            !ivschat_fuzz::in_ci(),
            "CI=true, but messaging/interop/node_modules is missing: `npm ci --prefix messaging/interop` must run first"
        );
        println!("skipping: run `npm ci --prefix messaging/interop` to test against the official JS client");
        return;
    }
    let emulator = Emulator::builder().start().await.unwrap();
    let client = Client::from_builder(emulator.config()).unwrap();
    let room = client.create_room().send().await.unwrap();
    let room = room.arn().unwrap().to_owned();
    let tokens = vec![
        token(&client, &room, "js-user").await,
        token(&client, &room, "js-user").await,
    ];
    let rust_token = token(&client, &room, "rust-user").await;
    let (chat, mut events) = ChatRoom::builder()
        .url(&emulator.messaging_url())
        .token_provider(move || {
            let token = rust_token.clone();
            async move { Ok(ChatToken::new(token)) }
        })
        .connect()
        .await
        .unwrap();

    let mut node = Command::new("node")
        .arg(interop.join("official-client.cjs"))
        .env("CHAT_URL", emulator.messaging_url())
        .env("CHAT_TOKENS", serde_json::to_string(&tokens).unwrap())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node runs (it comes with the machine)");
    let stdout = node.stdout.take().unwrap();
    let lines = std::thread::spawn(move || {
        // Our script's JSON lines (the SDK may log lines of its own).
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .filter_map(|line| serde_json::from_str::<Value>(&line).ok())
            .collect::<Vec<Value>>()
    });

    let ChatEvent::Message(hello) = next_chat_event(&mut events).await else {
        panic!("the JS user's message comes first");
    };
    assert_eq!(
        (hello.content.as_str(), hello.sender.user_id.as_str()),
        ("hello from js", "js-user")
    );
    assert_eq!(hello.attributes["lang"], "js");
    let reply = chat
        .send_message("hello from rust", Attributes::new())
        .await
        .unwrap();
    let ChatEvent::Message(echo) = next_chat_event(&mut events).await else {
        panic!("our own message comes back");
    };
    assert_eq!(echo.id, reply.id);
    let ChatEvent::MessageDeleted(deleted) = next_chat_event(&mut events).await else {
        panic!("the JS user deletes our message");
    };
    assert_eq!(deleted.message_id, reply.id);
    assert_eq!(deleted.reason.as_deref(), Some("tidy up"));

    let status = node.wait().unwrap();
    let lines = lines.join().unwrap();
    assert!(status.success(), "node failed: {lines:?}");
    let kinds: Vec<&str> = lines
        .iter()
        .filter_map(|line| line["kind"].as_str())
        .collect();
    assert_eq!(kinds.first(), Some(&"connect"), "{lines:?}");
    assert!(kinds.contains(&"sent"), "{lines:?}");
    let seen_reply = lines.iter().any(|line| {
        line["kind"] == "message"
            && line["content"] == "hello from rust"
            && line["user"] == "rust-user"
    });
    assert!(seen_reply, "the JS client reads our message: {lines:?}");
    let deleted_line = lines
        .iter()
        .find(|line| line["kind"] == "deleted")
        .expect("a deletion");
    assert_eq!(deleted_line["id"], reply.id.as_str());
    assert_eq!(kinds.last(), Some(&"disconnect"), "{lines:?}");
}
