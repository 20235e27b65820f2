//! Behaviour of the `event_stream` fixture's generated client, run by `cargo xtask
//! check-fixtures`: an event-stream operation fails without sending anything, saying why; the
//! other operations of the service work.

use fixture_event_stream::Client;
use ivschat_runtime::config::ServiceInfo;
use ivschat_runtime::protocol_test::{block_on, capturing_config};

const SERVICE: ServiceInfo = ServiceInfo {
    sdk_id: "Service",
    signing_name: "service",
    crate_name: "fixture",
    crate_version: "0",
};

#[test]
fn an_event_stream_operation_says_it_is_unsupported_and_sends_nothing() {
    let (replay, config) = capturing_config(SERVICE, "example.test");
    let client = Client::new(config);
    let error = block_on(client.subscribe().topic("news").send()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Subscribe uses event streams, which is not supported by this generator; nothing was sent"
    );
    assert!(replay.requests().is_empty());
    block_on(client.ping().send()).unwrap();
    assert_eq!(replay.requests()[0].uri().path(), "/ping");
}
