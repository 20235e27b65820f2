//! Behaviour of the `waiters` fixture's generated client, run by `cargo xtask check-fixtures`:
//! acceptors over scripted responses decide retry, success, failure and timeout.

use std::sync::Arc;
use std::time::Duration;

use fixture_waiters::{Client, Config};
use ivschat_runtime::config::ServiceInfo;
use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::env::Env;
use ivschat_runtime::protocol_test::block_on;
use ivschat_runtime::transport::{ReplayClient, ReplayEvent};
use fixture_waiters::{WaitError, WaitSettings};

fn new_client(replay: &ReplayClient) -> Client {
    let service = ServiceInfo { sdk_id: "Service", signing_name: "fleet", crate_name: "fixture", crate_version: "0" };
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new("AKID", "SECRET", None, None))
        .max_attempts(1)
        .http_client(Arc::new(replay.clone()))
        .build_with_env(service, &Env::from_pairs([]))
        .unwrap();
    Client::new(config)
}

fn quick(max_wait_ms: u64) -> WaitSettings {
    WaitSettings { min_delay: Duration::from_millis(1), max_delay: Duration::from_millis(2), max_wait: Duration::from_millis(max_wait_ms) }
}

fn fleet(states: &[&str]) -> String {
    let instances: Vec<String> = states.iter().map(|state| format!(r#"{{"State": "{state}"}}"#)).collect();
    format!(r#"{{"Name": "f", "Instances": [{}]}}"#, instances.join(","))
}

fn answer(body: String) -> ReplayEvent {
    ReplayEvent::status(200, Box::leak(body.into_boxed_str()))
}

#[test]
fn retries_until_every_instance_runs() {
    let replay = ReplayClient::new([
        ReplayEvent::status(400, r#"{"__type": "NotReady"}"#),
        answer(fleet(&[])),
        answer(fleet(&["running", "pending"])),
        answer(fleet(&["running", "running"])),
    ]);
    let client = new_client(&replay);
    let output = block_on(client.describe_fleet().name("f").wait_until_fleet_running_with(quick(5_000))).unwrap();
    assert_eq!(output.instances().map(<[_]>::len), Some(2));
    // The error retried; an empty list is not "all running"; a pending instance retried.
    assert_eq!(replay.requests().len(), 4);
}

#[test]
fn a_failed_instance_fails_the_wait_and_other_errors_stop_it() {
    let replay = ReplayClient::new([answer(fleet(&["pending", "failed"]))]);
    let error = block_on(new_client(&replay).describe_fleet().name("f").wait_until_fleet_running_with(quick(5_000))).unwrap_err();
    assert!(matches!(error, WaitError::Failed(Ok(_))), "{error}");
    let replay = ReplayClient::new([ReplayEvent::status(400, r#"{"__type": "Throttled"}"#)]);
    let error = block_on(new_client(&replay).describe_fleet().name("f").wait_until_fleet_running_with(quick(5_000))).unwrap_err();
    assert!(matches!(error, WaitError::Operation(_)), "{error}");
}

#[test]
fn a_wait_that_never_succeeds_times_out() {
    let replay = ReplayClient::new((0..1_000).map(|_| answer(fleet(&["pending"]))));
    let error = block_on(new_client(&replay).describe_fleet().name("f").wait_until_fleet_running_with(quick(50))).unwrap_err();
    assert!(matches!(error, WaitError::TimedOut { attempts } if attempts > 1), "{error}");
}

#[test]
fn filters_lengths_and_input_output_paths() {
    let replay = ReplayClient::new([answer(fleet(&["running", "pending"])), answer(fleet(&["running", "pending", "running"]))]);
    block_on(new_client(&replay).describe_fleet().name("f").wait_until_two_running_with(quick(5_000))).unwrap();
    assert_eq!(replay.requests().len(), 2);
    let replay = ReplayClient::new([
        ReplayEvent::status(200, r#"{"Name": "old"}"#),
        ReplayEvent::status(200, r#"{"Name": "f"}"#),
    ]);
    block_on(new_client(&replay).describe_fleet().name("f").wait_until_renamed_with(quick(5_000))).unwrap();
    assert_eq!(replay.requests().len(), 2);
}
