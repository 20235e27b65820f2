//! Quickstart: create a room, list rooms, issue a chat token, tag, untag, update and delete.
//!
//! `cargo run -p ivschat-local --example quickstart` runs against an emulator started in this
//! process (no AWS account needed); `-- --aws` uses the real service with your usual AWS
//! configuration (region, credentials) instead; `-- --profile NAME` runs against the emulator
//! with the credentials of profile `NAME` of your shared files, e.g. a role profile whose
//! `source_profile` holds the emulator's keys: the emulator's STS assumes the role.

use ivschat::primitives::StreamExt;
use ivschat::types::ChatTokenCapability;
use ivschat::Client;
use ivschat_local::Emulator;
use ivschat_runtime::env::Env;

/// The value after `--profile`, if given.
fn profile_argument() -> Option<String> {
    let arguments: Vec<String> = std::env::args().collect();
    let at = arguments
        .iter()
        .position(|argument| argument == "--profile")?;
    arguments.get(at + 1).cloned()
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

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let use_aws = std::env::args().any(|argument| argument == "--aws");
    let (client, _emulator) = if use_aws {
        println!("Using Amazon IVS Chat with your AWS configuration.");
        (Client::from_env().await?, None)
    } else if let Some(profile) = profile_argument() {
        let emulator = Emulator::builder().start().await?;
        println!(
            "Started ivschat-local at {}; using profile `{profile}` (its STS calls go to the emulator too).",
            emulator.url()
        );
        let url = emulator.url();
        let region = emulator.region().to_owned();
        // The profile is the source: credentials and endpoints of the environment step aside.
        let overridden = |name: &str| {
            name.starts_with("AWS_ENDPOINT_URL")
                || [
                    "AWS_ACCESS_KEY_ID",
                    "AWS_SECRET_ACCESS_KEY",
                    "AWS_SESSION_TOKEN",
                ]
                .contains(&name)
                || name.starts_with("AWS_WEB_IDENTITY")
        };
        let mut pairs: Vec<(String, String)> = std::env::vars()
            .filter(|(name, _)| !overridden(name))
            .collect();
        pairs.extend([
            ("AWS_PROFILE".to_owned(), profile),
            ("AWS_ENDPOINT_URL".to_owned(), url),
            ("AWS_REGION".to_owned(), region),
            ("AWS_EC2_METADATA_DISABLED".to_owned(), "true".to_owned()),
        ]);
        let env = Env::from_pairs(
            pairs
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str())),
        );
        (Client::from_env_with(&env).await?, Some(emulator))
    } else {
        let emulator = Emulator::builder().start().await?;
        println!(
            "Started ivschat-local at {} (pass --aws to use the real service, --profile NAME to use a profile).",
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
