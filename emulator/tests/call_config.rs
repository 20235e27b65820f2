//! Per-call settings (`.customize(CallConfig)`): one call's timeout, attempts, endpoint and
//! interceptors change that call only; the client's configuration and its other calls keep
//! their own.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ivschat::Client;
use ivschat_local::{Emulator, Fault};
use ivschat_runtime::operation::{CallConfig, Interceptor, SdkError};
use ivschat_runtime::transport::StreamingRequest;

/// Counts the attempts it sees.
#[derive(Debug, Default)]
struct Attempts(Arc<AtomicUsize>);

impl Interceptor for Attempts {
    fn before_transmit(&self, _: &'static str, _: u32, _: &StreamingRequest) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[tokio::test]
async fn one_call_times_out_at_its_own_limit_while_the_others_keep_the_clients() {
    let emulator = Emulator::builder().start().await.unwrap();
    let client = Client::from_builder(emulator.config()).unwrap();
    let default_limit = client.config().timeouts.attempt;
    // A silent server for the next request: it answers after 2 s.
    emulator.inject(Fault::Delay(Duration::from_secs(2)), 1);
    let started = Instant::now();
    let error = client
        .list_rooms()
        .customize(
            CallConfig::new()
                .attempt_timeout(Duration::from_millis(100))
                .max_attempts(1),
        )
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            ivschat::operation::list_rooms::ListRoomsError::Sdk(SdkError::Timeout { .. })
        ),
        "{error:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(client.config().timeouts.attempt, default_limit);
    // The next call, with the client's limit, waits out a slow answer.
    emulator.inject(Fault::Delay(Duration::from_millis(300)), 1);
    client.list_rooms().send().await.unwrap();
}

#[tokio::test]
async fn a_calls_interceptor_and_endpoint_are_its_own() {
    let first = Emulator::builder().start().await.unwrap();
    let second = Emulator::builder().start().await.unwrap();
    let client = Client::from_builder(first.config()).unwrap();
    let seen = Arc::new(AtomicUsize::new(0));
    client
        .create_room()
        .name("elsewhere")
        .customize(
            CallConfig::new()
                .endpoint_url(second.url())
                .interceptor(Attempts(seen.clone())),
        )
        .send()
        .await
        .unwrap();
    assert_eq!((first.room_count(), second.room_count()), (0, 1));
    assert_eq!(seen.load(Ordering::SeqCst), 1);
    client.create_room().name("here").send().await.unwrap();
    assert_eq!((first.room_count(), second.room_count()), (1, 1));
    assert_eq!(
        seen.load(Ordering::SeqCst),
        1,
        "the interceptor saw its call only"
    );
}
