//! An interceptor that times each attempt of every call and reports it with `tracing`:
//! `cargo run -p ivschat-local --example timed_attempts` runs calls against an emulator started
//! in this process, the first one throttled once so it takes two attempts.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ivschat::Client;
use ivschat_local::{Emulator, Fault};
use ivschat_runtime::operation::Interceptor;
use ivschat_runtime::transport::{HttpError, StreamingRequest};

/// When each attempt in flight was sent, by operation and attempt.
#[derive(Debug, Default)]
struct AttemptTimer {
    sent: Mutex<HashMap<(&'static str, u32), Instant>>,
}

impl Interceptor for AttemptTimer {
    fn before_transmit(&self, operation: &'static str, attempt: u32, _: &StreamingRequest) {
        let mut sent = self
            .sent
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        sent.insert((operation, attempt), Instant::now());
    }

    fn after_response(
        &self,
        operation: &'static str,
        attempt: u32,
        outcome: Result<u16, &HttpError>,
    ) {
        let mut sent = self
            .sent
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let Some(started) = sent.remove(&(operation, attempt)) else {
            return;
        };
        let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        match outcome {
            Ok(status) => tracing::info!(operation, attempt, status, elapsed_ms, "attempt"),
            Err(error) => tracing::warn!(operation, attempt, %error, elapsed_ms, "attempt failed"),
        }
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt().with_target(false).init();
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::builder().start().await?;
    let builder = emulator
        .config()
        .initial_backoff(Duration::from_millis(20))
        .interceptor(AttemptTimer::default());
    let client = Client::from_builder(builder)?;
    emulator.inject(Fault::Throttle, 1);
    let room = client.create_room().name("timed").send().await?;
    client.list_rooms().send().await?;
    println!(
        "created {} in two attempts; every attempt above was timed",
        room.arn().unwrap_or_default()
    );
    Ok(())
}
