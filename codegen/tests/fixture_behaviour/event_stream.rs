//! Behaviour of the `event_stream` fixture's generated client, run by `cargo xtask
//! check-fixtures`: output events (payload, headers, unknown types, a modelled exception, an
//! error message) are received as they arrive and never read ahead; input events are framed
//! and signed in a chain from the request's signature, which a verifier re-derives.

use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use fixture_event_stream::primitives::{DateTime, EventStream, ReceiveError};
use fixture_event_stream::types::{Chunk, Events, Post, Posts};
use fixture_event_stream::Client;
use ivschat_runtime::bytes::Bytes;
use ivschat_runtime::config::ServiceInfo;
use ivschat_runtime::credentials::{BoxFuture, Credentials};
use ivschat_runtime::event_stream::{Decoder, HeaderValue, Message};
use ivschat_runtime::protocol_test::{block_on, capturing_config, event_stream_config};
use ivschat_runtime::sigv4::{hex, sha256_hex, SigningKeyCache};
use ivschat_runtime::transport::{HttpClient, HttpError, HttpRequest, HttpResponse, StreamingRequest, StreamingResponse};
use ivschat_runtime::{ByteStream, Stream};

const SERVICE: ServiceInfo = ServiceInfo {
    sdk_id: "Service",
    signing_name: "events",
    crate_name: "fixture",
    crate_version: "0",
};

fn event(kind: &str, payload: &str) -> Message {
    Message::new(Bytes::from(payload.to_owned()))
        .with_header(":message-type", HeaderValue::String("event".to_owned()))
        .with_header(":event-type", HeaderValue::String(kind.to_owned()))
}

fn base64_frames(messages: &[Message]) -> Vec<String> {
    messages
        .iter()
        .map(|message| ivschat_runtime::json::base64::encode(&message.encode().unwrap()))
        .collect()
}

fn subscribe(messages: &[Message]) -> (fixture_event_stream::operation::subscribe::SubscribeOutput, Client) {
    let frames = base64_frames(messages);
    let frames: Vec<&str> = frames.iter().map(String::as_str).collect();
    let (_, config) = event_stream_config(SERVICE, 200, &[("x-session", "s-1")], &frames);
    let client = Client::new(config);
    let output = block_on(client.subscribe().topic("news").send()).unwrap();
    (output, client)
}

#[test]
fn output_events_arrive_typed_with_their_headers_and_unknown_types_kept() {
    let sent_at = DateTime::from_secs(1_700_000_000);
    let messages = [
        event("message", "hello")
            .with_header("sender", HeaderValue::String("ana".to_owned()))
            .with_header("sentAt", HeaderValue::from(sent_at)),
        event("goodbye", ""),
        event("somethingNew", "{}"),
    ];
    let (mut output, _) = subscribe(&messages);
    assert_eq!(output.session(), Some("s-1"));
    let mut events = output.take_events().expect("the output has its events");
    let first = block_on(events.recv()).unwrap().unwrap();
    let message = first.as_message().expect("a message event");
    assert_eq!(message.text(), Some("hello"));
    assert_eq!(message.sender(), Some("ana"));
    assert_eq!(message.sent_at(), Some(sent_at));
    assert!(block_on(events.recv()).unwrap().unwrap().is_goodbye());
    assert!(block_on(events.recv()).unwrap().unwrap().is_unknown());
    assert!(block_on(events.recv()).unwrap().is_none(), "the stream ends with the body");
}

#[test]
fn a_modelled_exception_and_an_error_message_end_the_stream_as_errors() {
    let closed = Message::new(Bytes::from_static(br#"{"reason":"maintenance"}"#))
        .with_header(":message-type", HeaderValue::String("exception".to_owned()))
        .with_header(":exception-type", HeaderValue::String("closed".to_owned()));
    let (mut output, _) = subscribe(&[event("goodbye", ""), closed, event("goodbye", "")]);
    let mut events = output.take_events().unwrap();
    assert!(block_on(events.recv()).unwrap().is_some());
    match block_on(events.recv()) {
        Err(ReceiveError::Exception(Events::Closed(closed))) => {
            assert_eq!(closed.reason(), Some("maintenance"))
        }
        other => panic!("expected the modelled exception, got {other:?}"),
    }
    assert!(block_on(events.recv()).unwrap().is_none(), "nothing is read after an error");

    let error = Message::new(Bytes::new())
        .with_header(":message-type", HeaderValue::String("error".to_owned()))
        .with_header(":error-code", HeaderValue::String("InternalError".to_owned()))
        .with_header(":error-message", HeaderValue::String("try later".to_owned()));
    let (mut output, _) = subscribe(&[error]);
    let outcome = block_on(output.take_events().unwrap().recv());
    assert!(
        matches!(&outcome, Err(ReceiveError::Service { code, message }) if code == "InternalError" && message == "try later"),
        "{outcome:?}"
    );
}

#[test]
fn a_cut_or_corrupt_stream_is_an_error_not_a_panic() {
    let mut frame = event("goodbye", "").encode().unwrap();
    let cut = ivschat_runtime::json::base64::encode(&frame[..frame.len() - 3]);
    let (_, config) = event_stream_config(SERVICE, 200, &[], &[&cut]);
    let mut output = block_on(Client::new(config).subscribe().send()).unwrap();
    let outcome = block_on(output.take_events().unwrap().recv());
    assert!(matches!(outcome, Err(ReceiveError::Malformed(ref why)) if why.contains("ended within")), "{outcome:?}");
    let last = frame.len() - 1;
    frame[last] ^= 1;
    let corrupt = ivschat_runtime::json::base64::encode(&frame);
    let (_, config) = event_stream_config(SERVICE, 200, &[], &[&corrupt]);
    let mut output = block_on(Client::new(config).subscribe().send()).unwrap();
    let outcome = block_on(output.take_events().unwrap().recv());
    assert!(matches!(outcome, Err(ReceiveError::Malformed(ref why)) if why.contains("CRC")), "{outcome:?}");
}

/// A body of `total` bytes of 1 MiB message events, made only as it is read; counts what it
/// has made.
struct LazyFrames {
    left: usize,
    made: Arc<AtomicUsize>,
}

impl Stream for LazyFrames {
    type Item = std::io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.left == 0 {
            return Poll::Ready(None);
        }
        self.left -= 1;
        self.made.fetch_add(1, Ordering::SeqCst);
        let text = "x".repeat(1024 * 1024 - 100);
        Poll::Ready(Some(Ok(Bytes::from(event("message", &text).encode().unwrap()))))
    }
}

/// A transport answering with a [`LazyFrames`] body.
#[derive(Debug)]
struct LazyTransport {
    frames: usize,
    made: Arc<AtomicUsize>,
}

impl HttpClient for LazyTransport {
    fn send(&self, _: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        unreachable!("the client streams this operation's output")
    }

    fn send_streaming(&self, _: StreamingRequest) -> BoxFuture<'_, Result<StreamingResponse, HttpError>> {
        let body = ByteStream::from_stream(LazyFrames { left: self.frames, made: self.made.clone() }, None);
        Box::pin(async move { Ok(ivschat_runtime::http::Response::builder().status(200).body(body).unwrap()) })
    }
}

#[test]
fn a_64_mib_output_is_read_one_message_at_a_time() {
    let made = Arc::new(AtomicUsize::new(0));
    let (_, config) = capturing_config(SERVICE, "example.test");
    let config = ivschat_runtime::config::Config {
        http_client: Arc::new(LazyTransport { frames: 64, made: made.clone() }),
        ..config
    };
    let mut output = block_on(Client::new(config).subscribe().send()).unwrap();
    let mut events = output.take_events().unwrap();
    let mut received = 0;
    let mut bytes = 0;
    while let Some(event) = block_on(events.recv()).unwrap() {
        received += 1;
        bytes += event.as_message().and_then(|message| message.text()).map_or(0, str::len);
        // Nothing is read ahead: the body has made exactly the messages received so far.
        assert_eq!(made.load(Ordering::SeqCst), received);
    }
    assert_eq!(received, 64);
    assert_eq!(bytes, 64 * (1024 * 1024 - 100));
}

#[test]
fn input_events_are_signed_in_a_chain_from_the_request_signature() {
    let (replay, config) = capturing_config(SERVICE, "example.test");
    let client = Client::new(config);
    let posts = EventStream::from(vec![
        Posts::Post(Post::builder().priority(2).text("hi").build()),
        Posts::Chunk(Chunk::builder().data(fixture_event_stream::primitives::Blob::new(b"\x00\x01".to_vec())).build()),
    ]);
    block_on(client.publish().topic("news").posts(posts).send()).unwrap();
    let request = &replay.requests()[0];
    assert_eq!(request.uri().path(), "/publish/news");
    assert_eq!(request.headers()["x-amz-content-sha256"], "STREAMING-AWS4-HMAC-SHA256-EVENTS");
    assert_eq!(request.headers()["content-type"], "application/vnd.amazon.eventstream");
    let authorization = request.headers()["authorization"].to_str().unwrap();
    let mut prior = authorization.rsplit("Signature=").next().unwrap().to_owned();
    let mut decoder = Decoder::new();
    decoder.push(request.body());
    let mut frames = Vec::new();
    while let Some(frame) = decoder.next_message().unwrap() {
        frames.push(frame);
    }
    assert_eq!(frames.len(), 3, "two events and the end frame");
    let keys = SigningKeyCache::default();
    let credentials = Credentials::new("AKID", "SECRET", None, None);
    for frame in &frames {
        let Some(HeaderValue::Timestamp(millis)) = frame.header(":date") else { panic!("no :date") };
        let time = DateTime::from_secs(millis / 1000).fmt(fixture_event_stream::primitives::DateTimeFormat::DateTime);
        let amz_date: String = time.chars().filter(|c| *c != '-' && *c != ':').collect();
        let day = &amz_date[..8];
        let date_header = Message { headers: vec![frame.headers[0].clone()], payload: Bytes::new() }.encode().unwrap();
        // The headers section of a one-header message: past the 12-byte prelude, before the CRC.
        let date_bytes = &date_header[12..date_header.len() - 4];
        let text = format!(
            "AWS4-HMAC-SHA256-PAYLOAD\n{amz_date}\n{day}/us-east-1/events/aws4_request\n{prior}\n{}\n{}",
            sha256_hex(date_bytes),
            sha256_hex(&frame.payload)
        );
        let expected = keys.sign(&credentials, day, "us-east-1", "events", &text);
        let Some(HeaderValue::Bytes(signature)) = frame.header(":chunk-signature") else { panic!("no signature") };
        assert_eq!(hex(signature), expected, "the frame's signature chains from the one before");
        prior = expected;
    }
    assert!(frames[2].payload.is_empty(), "the end frame is empty");
    let mut inner = Decoder::new();
    inner.push(&frames[0].payload);
    let post = inner.next_message().unwrap().unwrap();
    assert_eq!(post.header_str(":event-type"), Some("post"));
    assert_eq!(post.header("priority"), Some(&HeaderValue::Int(2)));
    assert_eq!(post.payload.as_ref(), br#"{"text":"hi"}"#);
    let mut inner = Decoder::new();
    inner.push(&frames[1].payload);
    let chunk = inner.next_message().unwrap().unwrap();
    assert_eq!(chunk.header_str(":content-type"), Some("application/octet-stream"));
    assert_eq!(chunk.payload.as_ref(), b"\x00\x01");
}
