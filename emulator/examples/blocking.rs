//! The blocking client from a plain `fn main`, no async anywhere in the caller:
//! `cargo run -p ivschat-local --example blocking` creates, lists and deletes a room on an
//! emulator that runs on a thread of its own.

use std::sync::mpsc;

use ivschat_local::Emulator;

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let config = emulator_thread()?;
    let client = ivschat::blocking::Client::from_builder(config)?;
    let room = client.create_room().name("blocking").send()?;
    let arn = room.arn().unwrap_or_default().to_owned();
    let rooms = client.list_rooms().send()?;
    println!("created {arn}; {} room(s) listed", rooms.rooms().len());
    client.delete_room().identifier(&arn).send()?;
    println!("deleted it: every call blocked this thread until its answer");
    Ok(())
}

/// Starts the emulator on a thread with its own runtime (it serves until the process ends);
/// the client settings that reach it.
fn emulator_thread() -> Result<ivschat::ConfigBuilder, Box<dyn std::error::Error + Send + Sync>> {
    let (started, ready) = mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let emulator = Emulator::builder()
                .start()
                .await
                .expect("the emulator starts");
            started.send(emulator.config()).expect("main waits");
            std::future::pending::<()>().await;
        });
    });
    Ok(ready.recv()?)
}
