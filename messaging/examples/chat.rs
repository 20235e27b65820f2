//! Two users chatting: a room and chat tokens from the control plane, then messages, a
//! deletion and a custom event over the Messaging API, printed as a transcript.
//!
//! `cargo run --example chat` runs against an emulator started in this process (no AWS account
//! needed); `-- --aws` uses the real service with your usual AWS configuration instead (an
//! `AWS_ENDPOINT_URL` there, such as a running `ivschat-local`, is used for the chat
//! WebSocket too).

use std::time::Duration;

use ivschat::types::ChatTokenCapability;
use ivschat::Client;
use ivschat_local::Emulator;
use ivschat_messaging::{Attributes, ChatEvent, ChatEvents, ChatRoom, ChatToken, TokenProvider};
use ivschat_runtime::StreamExt;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// Tokens for `user`, from CreateChatToken (your backend's job in a real application).
fn tokens(client: &Client, room: &str, user: &str, moderator: bool) -> impl TokenProvider {
    let (client, room, user) = (client.clone(), room.to_owned(), user.to_owned());
    move || {
        let mut request = client
            .create_chat_token()
            .room_identifier(&room)
            .user_id(&user)
            .capabilities(ChatTokenCapability::SendMessage)
            .attributes("displayName", capitalized(&user));
        if moderator {
            request = request.capabilities(ChatTokenCapability::DeleteMessage);
        }
        async move {
            let output = request.send().await?;
            Ok(ChatToken::from_output(
                output.token().unwrap_or_default(),
                output.token_expiration_time(),
            ))
        }
    }
}

fn capitalized(name: &str) -> String {
    let mut characters = name.chars();
    characters
        .next()
        .map(|first| first.to_uppercase().chain(characters).collect())
        .unwrap_or_default()
}

/// Prints what one user sees until the transcript's end marker arrives.
async fn transcript(mut events: ChatEvents) {
    while let Some(event) = events.next().await {
        match event {
            ChatEvent::Message(message) => {
                let name = message.sender.attributes.get("displayName");
                println!(
                    "  [{}] {}: {}",
                    message.send_time,
                    name.map_or(message.sender.user_id.as_str(), String::as_str),
                    message.content
                );
            }
            ChatEvent::MessageDeleted(deleted) => println!(
                "  * message {} deleted ({})",
                deleted.message_id,
                deleted.reason.as_deref().unwrap_or("no reason")
            ),
            ChatEvent::Event(event) if event.name == "app:end" => return,
            ChatEvent::Event(event) => println!("  * event {} {:?}", event.name, event.attributes),
            ChatEvent::Error(error) => println!("  ! {error}"),
            ChatEvent::State(state) => println!("  ~ connection {state:?}"),
            ChatEvent::UserDisconnected(left) => println!("  * {} was disconnected", left.user_id),
        }
    }
}

async fn connect(
    client: &Client,
    url: Option<&str>,
    room: &str,
    user: &str,
    moderator: bool,
) -> Result<(ChatRoom, ChatEvents), Error> {
    let builder = match url {
        Some(url) => ChatRoom::builder().url(url),
        None => {
            ChatRoom::builder().region(client.config().region.as_deref().unwrap_or("us-east-1"))
        }
    };
    Ok(builder
        .token_provider(tokens(client, room, user, moderator))
        .connect()
        .await?)
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // An error is shown as a person reads it (`Display`, which carries its causes).
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The WebSocket URL of an HTTP endpoint: `http` becomes `ws`, `https` becomes `wss`.
fn websocket_url(endpoint: &str) -> String {
    match endpoint.split_once("://") {
        Some(("http", rest)) => format!("ws://{rest}"),
        Some(("https", rest)) => format!("wss://{rest}"),
        _ => endpoint.to_owned(),
    }
}

async fn run() -> Result<(), Error> {
    let use_aws = std::env::args().any(|argument| argument == "--aws");
    let (client, emulator) = if use_aws {
        println!("Using Amazon IVS Chat with your AWS configuration.");
        (Client::from_env().await?, None)
    } else {
        let emulator = Emulator::builder().start().await?;
        println!(
            "Started ivschat-local at {} (pass --aws to use the real service).",
            emulator.url()
        );
        (Client::from_builder(emulator.config())?, Some(emulator))
    };
    // The emulator's WebSocket; with --aws, the endpoint AWS_ENDPOINT_URL(_IVSCHAT) or a
    // profile's `endpoint_url` names (a local emulator too), else the region's edge.
    let url = match &emulator {
        Some(emulator) => Some(emulator.messaging_url()),
        None => client.config().endpoint_url.as_deref().map(websocket_url),
    };

    let room = client.create_room().name("chat-example").send().await?;
    let arn = room.arn().unwrap_or_default().to_owned();
    println!("Room {arn}");

    let (alice, alice_events) = connect(&client, url.as_deref(), &arn, "alice", true).await?;
    let (bob, bob_events) = connect(&client, url.as_deref(), &arn, "bob", false).await?;
    drop(alice_events);
    let printer = tokio::spawn(transcript(bob_events));

    alice.send_message("Hi Bob!", Attributes::new()).await?;
    bob.send_message("Hello Alice. Tea later?", Attributes::new())
        .await?;
    let typo = alice.send_message("Yse, at 5", Attributes::new()).await?;
    alice.delete_message(&typo.id, Some("typo")).await?;
    alice
        .send_message(
            "Yes, at 5",
            Attributes::from([("replyTo".to_owned(), "tea".to_owned())]),
        )
        .await?;
    client
        .send_event()
        .room_identifier(&arn)
        .event_name("app:reminder")
        .attributes("at", "17:00")
        .send()
        .await?;
    client
        .send_event()
        .room_identifier(&arn)
        .event_name("app:end")
        .send()
        .await?;
    tokio::time::timeout(Duration::from_secs(10), printer).await??;

    alice.disconnect();
    bob.disconnect();
    client.delete_room().identifier(&arn).send().await?;
    println!("Deleted the room; done.");
    Ok(())
}
