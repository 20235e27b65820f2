//! What generated event-stream compliance tests (`smithy.test#eventStreamTests`) call: a
//! transport answering with the case's frames, the events a request sent (their signed
//! envelopes checked and opened), and comparisons of one event's headers and payload.

use std::sync::Arc;

use super::capturing_config;
use crate::config::{Config, ServiceInfo};
use crate::event_stream::{Decoder, EventStream, HeaderValue, Message, ReadEvent, ReceiveError};
use crate::transport::{HttpRequest, ReplayClient, ReplayEvent};

/// [`capturing_config`] answering `status` with `headers` and the body made of the frames
/// given in base64 (a case's events' `bytes`).
pub fn event_stream_config(
    service: ServiceInfo,
    status: u16,
    headers: &[(&str, &str)],
    frames: &[&str],
) -> (ReplayClient, Config) {
    let mut body = Vec::new();
    for frame in frames {
        body.extend(crate::json::base64::decode(frame).expect("the case's bytes are base64"));
    }
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let response = builder
        .body(bytes::Bytes::from(body))
        .expect("a valid test response");
    let (_, config) = capturing_config(service, "example.com");
    let replay = ReplayClient::new([ReplayEvent::Response(response)]);
    let config = Config {
        http_client: Arc::new(replay.clone()),
        ..config
    };
    (replay, config)
}

/// The events a request sent, from its body: each frame must be signed (`:date` and a
/// 32-byte `:chunk-signature`) around an event message; the last is the empty end frame.
pub fn sent_events(request: &HttpRequest) -> Vec<Message> {
    let mut decoder = Decoder::new();
    decoder.push(request.body());
    let mut frames = Vec::new();
    while let Some(frame) = decoder
        .next_message()
        .expect("the body is event-stream framing")
    {
        frames.push(frame);
    }
    assert!(!decoder.has_partial(), "the body ends within a frame");
    for frame in &frames {
        assert!(
            matches!(frame.header(":date"), Some(HeaderValue::Timestamp(_))),
            "a frame without a `:date` timestamp: {frame:?}"
        );
        assert!(
            matches!(frame.header(":chunk-signature"), Some(HeaderValue::Bytes(signature)) if signature.len() == 32),
            "a frame without a 32-byte `:chunk-signature`: {frame:?}"
        );
    }
    let end = frames.pop().expect("the stream has its end frame");
    assert!(
        end.payload.is_empty(),
        "the last frame is not the empty end frame"
    );
    frames
        .iter()
        .map(|frame| {
            let mut inner = Decoder::new();
            inner.push(&frame.payload);
            let message = inner
                .next_message()
                .expect("a frame holds one event message")
                .expect("a frame holds a whole message");
            assert!(!inner.has_partial(), "a frame holds more than one message");
            message
        })
        .collect()
}

/// Checks one sent event: the expected headers with their types and values, headers that
/// must be absent or present, and the payload (compared as [`assert_payload`] does).
///
/// [`assert_payload`]: super::assert_payload
pub fn assert_event(
    message: &Message,
    headers: &[(&str, HeaderValue)],
    forbidden: &[&str],
    required: &[&str],
    body: Option<(&str, &str)>,
) {
    for (name, expected) in headers {
        assert_eq!(
            message.header(name),
            Some(expected),
            "event header `{name}`"
        );
    }
    for name in forbidden {
        assert!(
            message.header(name).is_none(),
            "the event has the forbidden header `{name}`"
        );
    }
    for name in required {
        assert!(
            message.header(name).is_some(),
            "the event lacks the header `{name}`"
        );
    }
    if let Some((expected, media_type)) = body {
        super::assert_payload(&message.payload, expected, media_type);
    }
}

/// Every event of a stream, or the error that ended it.
pub async fn receive_all<T: ReadEvent>(
    mut stream: EventStream<T>,
) -> Result<Vec<T>, ReceiveError<T>> {
    let mut events = Vec::new();
    while let Some(event) = stream.recv().await? {
        events.push(event);
    }
    Ok(events)
}
