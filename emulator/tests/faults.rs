//! The fault matrix: for each way the emulator can answer badly, what the client does —
//! retried the right number of times, a typed error, a timeout, never a panic.

use std::time::Duration;

use ivschat::operation::get_room::GetRoomError;
use ivschat::operation::send_event::SendEventError;
use ivschat::{Client, Config};
use ivschat_local::{Emulator, EmulatorHandle, Fault};
use ivschat_runtime::operation::{SdkError, TimeoutScope};

async fn setup() -> (EmulatorHandle, Client, String) {
    let emulator = Emulator::builder().start().await.unwrap();
    let config = Config::builder()
        .region(emulator.region())
        .endpoint_url(emulator.url())
        .credentials(emulator.credentials())
        .initial_backoff(Duration::from_millis(1))
        .attempt_timeout(Duration::from_millis(300));
    let client = Client::from_builder(config).unwrap();
    let arn = client
        .create_room()
        .send()
        .await
        .unwrap()
        .arn()
        .unwrap()
        .to_owned();
    (emulator, client, arn)
}

/// Requests the emulator saw for one GetRoom after `fault` was queued `count` times.
async fn get_room_with(fault: Fault, count: usize) -> (Result<(), GetRoomError>, usize) {
    let (emulator, client, arn) = setup().await;
    let before = emulator.request_count();
    emulator.inject(fault, count);
    let outcome = client.get_room().identifier(&arn).send().await.map(|_| ());
    (outcome, emulator.request_count() - before)
}

#[tokio::test]
async fn transient_faults_are_retried_until_success() {
    for fault in [
        Fault::InternalError,
        Fault::DropBeforeResponse,
        Fault::DropDuringResponse,
        Fault::TruncateBody,
    ] {
        let (outcome, requests) = get_room_with(fault, 2).await;
        assert!(outcome.is_ok(), "{fault:?}: {outcome:?}");
        assert_eq!(requests, 3, "{fault:?}: two failures, then success");
    }
}

#[tokio::test]
async fn persistent_faults_end_after_three_attempts_with_a_typed_error() {
    let (outcome, requests) = get_room_with(Fault::InternalError, 5).await;
    assert_eq!(requests, 3);
    match outcome.unwrap_err() {
        GetRoomError::Unhandled(error) => assert_eq!(
            (error.code(), error.status()),
            (Some("InternalServerException"), 500)
        ),
        other => panic!("{other:?}"),
    }
    let (outcome, requests) = get_room_with(Fault::DropBeforeResponse, 5).await;
    assert_eq!(requests, 3);
    assert!(matches!(
        outcome.unwrap_err(),
        GetRoomError::Sdk(SdkError::Dispatch(_))
    ));
}

#[tokio::test]
async fn throttling_is_retried_and_typed_where_the_operation_models_it() {
    let (emulator, client, arn) = setup().await;
    emulator.inject(Fault::Throttle, 3);
    let before = emulator.request_count();
    let error = client
        .send_event()
        .room_identifier(&arn)
        .event_name("e")
        .send()
        .await
        .unwrap_err();
    assert_eq!(emulator.request_count() - before, 3);
    assert!(
        matches!(error, SendEventError::ThrottlingException(_)),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_slow_answer_times_out_and_is_retried() {
    let (outcome, requests) = get_room_with(Fault::Delay(Duration::from_secs(2)), 1).await;
    assert!(outcome.is_ok(), "{outcome:?}");
    assert_eq!(requests, 2);
    let (outcome, _) = get_room_with(Fault::Delay(Duration::from_secs(2)), 3).await;
    assert!(
        matches!(
            outcome.unwrap_err(),
            GetRoomError::Sdk(SdkError::Timeout {
                scope: TimeoutScope::Attempt,
                ..
            })
        ),
        "three slow answers end in an attempt timeout"
    );
}

#[tokio::test]
async fn invalid_json_is_an_unreadable_response_not_a_retry() {
    let (outcome, requests) = get_room_with(Fault::InvalidJson, 1).await;
    assert_eq!(requests, 1);
    let error = outcome.unwrap_err();
    assert!(
        matches!(error, GetRoomError::Sdk(SdkError::Response { .. })),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("the response (HTTP 200) could not be read: body: invalid JSON"),
        "{error}"
    );
}

/// The messages a report walking `source()` prints, as anyhow's `{:#}` does.
fn chain(error: &dyn std::error::Error) -> Vec<String> {
    let mut messages = vec![error.to_string()];
    let mut next = error.source();
    while let Some(cause) = next {
        messages.push(cause.to_string());
        next = cause.source();
    }
    messages
}

#[tokio::test]
async fn an_error_report_prints_each_cause_once() {
    let (emulator, client, _) = setup().await;
    let missing = client
        .get_room()
        .identifier("AbCdEfGhIjKl")
        .send()
        .await
        .unwrap_err();
    emulator.inject(Fault::DropBeforeResponse, 5);
    let dropped = client
        .get_room()
        .identifier("AbCdEfGhIjKl")
        .send()
        .await
        .unwrap_err();
    for error in [&missing, &dropped] {
        let messages = chain(error);
        let distinct: std::collections::BTreeSet<&String> = messages.iter().collect();
        assert_eq!(
            distinct.len(),
            messages.len(),
            "a cause printed twice: {messages:?}"
        );
    }
}

#[tokio::test]
async fn transport_failures_name_the_host_the_attempts_and_what_is_known() {
    let (emulator, client, _) = setup().await;
    let host = emulator.url().trim_start_matches("http://").to_owned();
    emulator.inject(Fault::DropBeforeResponse, 1);
    let broken = client.create_room().send().await.unwrap_err().to_string();
    assert!(
        broken.contains(&format!("the connection broke: {host}, 1 attempt:"))
            && broken.contains("whether it was carried out is unknown"),
        "{broken}"
    );
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = closed.local_addr().unwrap();
    drop(closed);
    let config = emulator
        .config()
        .endpoint_url(format!("http://{address}"))
        .no_proxy(address.ip().to_string())
        .initial_backoff(Duration::from_millis(1));
    let nowhere = Client::from_builder(config).unwrap();
    let refused = nowhere.list_rooms().send().await.unwrap_err().to_string();
    assert!(
        refused.contains(&format!("could not connect: {address}, 3 attempts:"))
            && refused.contains("nothing was sent"),
        "{refused}"
    );
}
