//! Quickstart: create a room, list rooms, issue a chat token, tag, untag, update and delete.
//!
//! `cargo run -p ivschat-local --example quickstart` runs against an emulator started in this
//! process (no AWS account needed); `-- --aws` uses the real service with your usual AWS
//! configuration (region, credentials) instead.

use ivschat::types::ChatTokenCapability;
use ivschat::Client;
use ivschat_local::Emulator;
use ivschat_runtime::StreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let use_aws = std::env::args().any(|argument| argument == "--aws");
    let (client, _emulator) = if use_aws {
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

    let room = client
        .create_room()
        .name("quickstart-lobby")
        .tags("app", "quickstart")
        .send()
        .await?;
    let arn = room.arn().unwrap_or_default().to_owned();
    println!("Created room {} ({arn})", room.name().unwrap_or_default());

    let mut rooms = client.list_rooms().into_paginator().items();
    while let Some(summary) = rooms.next().await {
        let summary = summary?;
        println!(
            "  room {:<20} id {}",
            summary.name().unwrap_or_default(),
            summary.id().unwrap_or_default()
        );
    }

    let token = client
        .create_chat_token()
        .room_identifier(&arn)
        .user_id("viewer-1")
        .capabilities(ChatTokenCapability::SendMessage)
        .send()
        .await?;
    let expires = token
        .token_expiration_time()
        .map(|time| time.to_string())
        .unwrap_or_default();
    println!("Issued a chat token for viewer-1 (expires {expires})");

    client
        .tag_resource()
        .resource_arn(&arn)
        .tags("team", "video")
        .send()
        .await?;
    client
        .untag_resource()
        .resource_arn(&arn)
        .tag_keys("app")
        .send()
        .await?;
    let tags = client
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await?;
    println!("Tags now: {:?}", tags.tags());

    let updated = client
        .update_room()
        .identifier(&arn)
        .maximum_message_length(200)
        .send()
        .await?;
    println!(
        "Updated the room: messages up to {} characters",
        updated.maximum_message_length().unwrap_or_default()
    );

    client.delete_room().identifier(&arn).send().await?;
    println!("Deleted the room. Done.");
    Ok(())
}
