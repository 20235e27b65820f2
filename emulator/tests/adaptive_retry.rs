//! Adaptive retry mode against the emulator's throttling fault: no client-side limit until the
//! service throttles, then a limit below the rate the client was sending at, which slows the
//! client down, and which grows back while calls succeed.

use std::time::{Duration, Instant};

use ivschat::{Client, RetryMode};
use ivschat_local::{Emulator, Fault, FaultRule};

/// Sends ListRooms for `seconds`; how many were sent.
async fn send_for(client: &Client, seconds: f64) -> usize {
    let started = Instant::now();
    let mut sent = 0;
    while started.elapsed().as_secs_f64() < seconds {
        client.list_rooms().send().await.unwrap();
        sent += 1;
    }
    sent
}

#[tokio::test]
async fn the_send_rate_drops_when_throttled_and_recovers() {
    let emulator = Emulator::builder().start().await.unwrap();
    let config = emulator
        .config()
        .retry_mode(RetryMode::Adaptive)
        .max_attempts(1);
    let client = Client::from_builder(config).unwrap();
    let unthrottled = send_for(&client, 1.5).await as f64 / 1.5;
    assert_eq!(client.rate_limit(), None, "no limit before any throttling");
    emulator.inject_rule(FaultRule::new(Fault::Throttle, 3).operation("ListRooms"));
    for _ in 0..3 {
        let error = client.list_rooms().send().await.unwrap_err();
        assert_eq!(error.code(), Some("ThrottlingException"), "{error}");
    }
    let cut = client.rate_limit().expect("throttling turns the limit on");
    assert!(
        cut < unthrottled * 0.8,
        "the limit ({cut:.0}/s) is below the rate sent before ({unthrottled:.0}/s)"
    );
    // Twenty calls at the limit take at least as long as the limit allows.
    let started = Instant::now();
    for _ in 0..20 {
        client.list_rooms().send().await.unwrap();
    }
    let limited = started.elapsed();
    let least = Duration::from_secs_f64(15.0 / cut);
    assert!(
        limited >= least,
        "20 calls in {limited:?}, under the limit's {least:?}"
    );
    send_for(&client, 6.0).await;
    let recovered = client.rate_limit().unwrap();
    assert!(
        recovered > cut,
        "the limit grew back while calls succeeded: {cut:.1} -> {recovered:.1}"
    );
}
