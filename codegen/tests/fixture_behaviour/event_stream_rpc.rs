//! Behaviour of the `event_stream_rpc` fixture's generated client (awsJson1_1), run by `cargo
//! xtask check-fixtures`: the output's members come from the stream's `initial-response`,
//! which is not an event; a stream that starts with an event loses nothing.

use fixture_event_stream_rpc::primitives::ReceiveError;
use fixture_event_stream_rpc::types::FeedEvents;
use fixture_event_stream_rpc::Client;
use ivschat_runtime::bytes::Bytes;
use ivschat_runtime::config::ServiceInfo;
use ivschat_runtime::event_stream::{HeaderValue, Message};
use ivschat_runtime::protocol_test::{block_on, event_stream_config};

const SERVICE: ServiceInfo = ServiceInfo {
    sdk_id: "Feeds",
    signing_name: "feeds",
    crate_name: "fixture",
    crate_version: "0",
};

fn frame(kind: &str, name: &str, payload: &str) -> String {
    let type_header = if kind == "exception" { ":exception-type" } else { ":event-type" };
    let message = Message::new(Bytes::from(payload.to_owned()))
        .with_header(":message-type", HeaderValue::String(kind.to_owned()))
        .with_header(type_header, HeaderValue::String(name.to_owned()));
    ivschat_runtime::json::base64::encode(&message.encode().unwrap())
}

fn follow(frames: &[String]) -> (fixture_event_stream_rpc::operation::follow::FollowOutput, ivschat_runtime::transport::ReplayClient) {
    let frames: Vec<&str> = frames.iter().map(String::as_str).collect();
    let (replay, config) = event_stream_config(SERVICE, 200, &[], &frames);
    let output = block_on(Client::new(config).follow().feed("news").send()).unwrap();
    (output, replay)
}

#[test]
fn the_initial_response_fills_the_output_and_events_follow() {
    let (mut output, replay) = follow(&[
        frame("event", "initial-response", r#"{"feedId":"f-1"}"#),
        frame("event", "item", r#"{"title":"first"}"#),
    ]);
    let request = &replay.requests()[0];
    assert_eq!(request.headers()["x-amz-target"], "Feeds.Follow");
    assert_eq!(request.body().as_ref(), br#"{"feed":"news"}"#);
    assert_eq!(output.feed_id(), Some("f-1"));
    let mut events = output.take_events();
    let item = block_on(events.recv()).unwrap().unwrap();
    assert_eq!(item.as_item().and_then(|item| item.title()), Some("first"));
    assert!(block_on(events.recv()).unwrap().is_none());
}

#[test]
fn a_stream_without_initial_response_keeps_its_first_event() {
    let (mut output, _) = follow(&[
        frame("event", "item", r#"{"title":"only"}"#),
        frame("exception", "failed", r#"{"message":"gone"}"#),
    ]);
    assert_eq!(output.feed_id(), None);
    let mut events = output.take_events();
    let item = block_on(events.recv()).unwrap().unwrap();
    assert_eq!(item.as_item().and_then(|item| item.title()), Some("only"));
    match block_on(events.recv()) {
        Err(ReceiveError::Exception(FeedEvents::Failed(failed))) => assert_eq!(failed.message(), Some("gone")),
        other => panic!("expected the modelled exception, got {other:?}"),
    }
}
