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

/// An answer with the health checks, groups and instances given as JSON fragments.
fn status(health: &str, groups: &str, instances: &str) -> ReplayEvent {
    answer(format!(r#"{{"Name": "f", "Health": {health}, "Groups": {groups}, "Instances": {instances}}}"#))
}

#[test]
fn object_projections_read_every_member_of_a_structure_and_every_value_of_a_hash() {
    let replay = ReplayClient::new([
        status(r#"{"Network": "running", "Disk": "pending"}"#, "{}", "[]"),
        // An unset member is skipped by `.*`, as JMESPath's projections skip nulls.
        status(r#"{"Network": "running"}"#, "{}", "[]"),
    ]);
    block_on(new_client(&replay).describe_fleet().name("f").wait_until_health_ok_with(quick(5_000))).unwrap();
    assert_eq!(replay.requests().len(), 2);
    let replay = ReplayClient::new([status(r#"{"Network": "running", "Disk": "failed"}"#, "{}", "[]")]);
    let error = block_on(new_client(&replay).describe_fleet().name("f").wait_until_health_ok_with(quick(5_000))).unwrap_err();
    assert!(matches!(error, WaitError::Failed(Ok(_))), "{error}");
    // No health at all: `.*` of nothing has no values, so neither acceptor matches.
    let replay = ReplayClient::new((0..1_000).map(|_| answer(r#"{"Name": "f"}"#.to_owned())));
    let error = block_on(new_client(&replay).describe_fleet().name("f").wait_until_health_ok_with(quick(50))).unwrap_err();
    assert!(matches!(error, WaitError::TimedOut { .. }), "{error}");
}

#[test]
fn flattened_multi_select_lists_and_map_values_decide_the_wait() {
    let replay = ReplayClient::new([
        status("{}", r#"{"a": {"State": "running"}}"#, r#"[{"State": "running", "Previous": "pending"}]"#),
        status("{}", r#"{"a": {"State": "running"}}"#, r#"[{"State": "running", "Previous": "running"}, {"State": "running"}]"#),
    ]);
    block_on(new_client(&replay).describe_fleet().name("f").wait_until_settled_with(quick(5_000))).unwrap();
    assert_eq!(replay.requests().len(), 2);
    let replay = ReplayClient::new([status("{}", r#"{"a": {"State": "running"}, "b": {"State": "failed"}}"#, "[]")]);
    let error = block_on(new_client(&replay).describe_fleet().name("f").wait_until_settled_with(quick(5_000))).unwrap_err();
    assert!(matches!(error, WaitError::Failed(Ok(_))), "{error}");
}

#[test]
fn multi_select_lengths_count_lists_and_indexes_pick_an_item() {
    let replay = ReplayClient::new([
        // Two instances (two lists) but one group.
        status("{}", r#"{"a": {}}"#, r#"[{"State": "running"}, {}]"#),
        status("{}", r#"{"a": {}, "b": {}}"#, r#"[{"State": "running"}, {}]"#),
    ]);
    block_on(new_client(&replay).describe_fleet().name("f").wait_until_counted_with(quick(5_000))).unwrap();
    assert_eq!(replay.requests().len(), 2);
}

#[test]
fn the_blocking_client_waits_on_the_calling_thread() {
    let replay = ReplayClient::new([answer(fleet(&["pending"])), answer(fleet(&["running"]))]);
    let builder = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new("AKID", "SECRET", None, None))
        .max_attempts(1)
        .http_client(Arc::new(replay.clone()));
    let client = fixture_waiters::blocking::Client::from_builder(builder).unwrap();
    let output = client.describe_fleet().name("f").wait_until_fleet_running_with(quick(5_000)).unwrap();
    assert_eq!(output.instances().map(<[_]>::len), Some(1));
    assert_eq!(replay.requests().len(), 2);
}
