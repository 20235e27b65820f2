//! Behaviour of the `endpoint_discovery` fixture's generated client, run by `cargo xtask
//! check-fixtures`: operations that need a discovered endpoint call `DescribeEndpoints` once,
//! go to the address it gives while its cache period lasts, discover again after an invalid
//! endpoint error, and leave discovery alone when an endpoint URL is set or it is disabled.

use std::sync::Arc;

use fixture_endpoint_discovery::{Client, Config};
use ivschat_runtime::config::ServiceInfo;
use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::env::Env;
use ivschat_runtime::protocol_test::block_on;
use ivschat_runtime::transport::{ReplayClient, ReplayEvent};

const DISCOVERED: &str = r#"{"Endpoints": [{"Address": "cell1.example.test", "CachePeriodInMinutes": 10}]}"#;

fn new_client(replay: &ReplayClient, configure: impl FnOnce(fixture_endpoint_discovery::ConfigBuilder) -> fixture_endpoint_discovery::ConfigBuilder) -> Client {
    let service = ServiceInfo { sdk_id: "Service", signing_name: "discovery", crate_name: "fixture", crate_version: "0" };
    let builder = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new("AKID", "SECRET", None, None))
        .max_attempts(1)
        .http_client(Arc::new(replay.clone()));
    Client::new(configure(builder).build_with_env(service, &Env::from_pairs([])).unwrap())
}

/// Each request as `host target`.
fn sent(replay: &ReplayClient) -> Vec<String> {
    replay
        .requests()
        .iter()
        .map(|request| {
            let host = request.uri().host().unwrap_or_default().to_owned();
            let target = request.headers()["x-amz-target"].to_str().unwrap().to_owned();
            format!("{host} {target}")
        })
        .collect()
}

#[test]
fn a_required_discovery_happens_once_and_is_cached() {
    let replay = ReplayClient::new([
        ReplayEvent::status(200, DISCOVERED),
        ReplayEvent::status(200, r#"{"value": "a"}"#),
        ReplayEvent::status(200, r#"{"value": "b"}"#),
    ]);
    let client = new_client(&replay, |builder| builder);
    let first = block_on(client.get_thing().name("x").send()).unwrap();
    let second = block_on(client.get_thing().name("y").send()).unwrap();
    assert_eq!((first.value(), second.value()), (Some("a"), Some("b")));
    assert_eq!(
        sent(&replay),
        [
            "discovery.us-west-2.amazonaws.com Service.DescribeEndpoints",
            "cell1.example.test Service.GetThing",
            "cell1.example.test Service.GetThing",
        ]
    );
}

#[test]
fn an_invalid_endpoint_error_discovers_again() {
    let replay = ReplayClient::new([
        ReplayEvent::status(200, DISCOVERED),
        ReplayEvent::status(421, r#"{"__type": "InvalidEndpointException", "Message": "moved"}"#),
        ReplayEvent::status(200, r#"{"Endpoints": [{"Address": "cell2.example.test", "CachePeriodInMinutes": 10}]}"#),
        ReplayEvent::status(200, "{}"),
    ]);
    let client = new_client(&replay, |builder| builder);
    let error = block_on(client.get_thing().send()).unwrap_err();
    assert!(error.is_invalid_endpoint_exception(), "{error:?}");
    block_on(client.get_thing().send()).unwrap();
    let hosts: Vec<String> = sent(&replay).iter().map(|line| line.split(' ').next().unwrap().to_owned()).collect();
    assert_eq!(hosts[1..], ["cell1.example.test", "discovery.us-west-2.amazonaws.com", "cell2.example.test"]);
}

#[test]
fn a_failed_required_discovery_fails_the_call() {
    let replay = ReplayClient::new([ReplayEvent::status(200, r#"{"Endpoints": []}"#)]);
    let client = new_client(&replay, |builder| builder);
    let error = block_on(client.get_thing().send()).unwrap_err();
    assert!(error.to_string().contains("DescribeEndpoints gave no endpoint"), "{error}");
    let replay = ReplayClient::new([ReplayEvent::status(200, r#"{"Endpoints": [{"Address": "bad/host", "CachePeriodInMinutes": 1}]}"#)]);
    let error = block_on(new_client(&replay, |builder| builder).get_thing().send()).unwrap_err();
    assert!(error.to_string().contains("is not a host name"), "{error}");
}

#[test]
fn optional_discovery_follows_the_setting_and_an_endpoint_url_turns_it_off() {
    let replay = ReplayClient::new([ReplayEvent::status(200, "{}")]);
    block_on(new_client(&replay, |builder| builder).list_things().send()).unwrap();
    assert_eq!(sent(&replay), ["discovery.us-west-2.amazonaws.com Service.ListThings"]);

    let replay = ReplayClient::new([ReplayEvent::status(200, DISCOVERED), ReplayEvent::status(200, "{}")]);
    block_on(new_client(&replay, |builder| builder.endpoint_discovery(true)).list_things().send()).unwrap();
    assert_eq!(sent(&replay)[1], "cell1.example.test Service.ListThings");

    let replay = ReplayClient::new([ReplayEvent::status(200, "{}")]);
    let custom = new_client(&replay, |builder| builder.endpoint_url("https://local.test"));
    block_on(custom.get_thing().send()).unwrap();
    assert_eq!(sent(&replay), ["local.test Service.GetThing"]);
}
