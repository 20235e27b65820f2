//! Behaviour of the `streaming` fixture's generated client, run by `cargo xtask check-fixtures`:
//! `@streaming` blob payloads sent from memory, a file or a one-shot stream (signed or
//! `@unsignedPayload`), retried when they can be resent, and received unread.

use std::sync::Arc;
use std::time::Duration;

use fixture_streaming::primitives::ByteStream;
use fixture_streaming::{Client, Config};
use ivschat_runtime::bytes::Bytes;
use ivschat_runtime::config::ServiceInfo;
use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::env::Env;
use ivschat_runtime::transport::{HttpResponse, ReplayClient, ReplayEvent};

fn client(replay: &ReplayClient, attempts: u32) -> Client {
    let service = ServiceInfo { sdk_id: "Service", signing_name: "storage", crate_name: "fixture", crate_version: "0" };
    let config = Config::builder()
        .region("us-west-2")
        .endpoint_url("https://example.test")
        .credentials(Credentials::new("AKID", "SECRET", None, None))
        .max_attempts(attempts)
        .initial_backoff(Duration::from_millis(1))
        .http_client(Arc::new(replay.clone()))
        .build_with_env(service, &Env::from_pairs([]))
        .unwrap();
    Client::new(config)
}

/// Checks the request's signature against its body as sent.
fn verify_signature(request: &ivschat_runtime::transport::HttpRequest) -> Result<(), String> {
    use ivschat_runtime::sigv4::{verify, SignableBody, SignableRequest};
    let headers = request.headers().iter().map(|(name, value)| (name.as_str(), value.to_str().unwrap())).collect();
    let signable = SignableRequest {
        method: request.method().as_str(),
        path: request.uri().path(),
        query: request.uri().query().unwrap_or(""),
        headers,
        body: SignableBody::Bytes(request.body()),
    };
    let lookup = |_: &str| Some(Credentials::new("AKID", "SECRET", None, None));
    verify(&signable, lookup, ivschat_runtime::DateTime::now(), Duration::from_secs(300))
        .map(drop)
        .map_err(|error| error.to_string())
}

fn header(request: &ivschat_runtime::transport::HttpRequest, name: &str) -> Option<String> {
    request.headers().get(name).map(|value| value.to_str().unwrap().to_owned())
}

/// A one-shot body read from `text`, with its length declared or not.
fn one_shot(text: &'static str, declared: bool) -> ByteStream {
    ByteStream::from_reader(std::io::Cursor::new(text), declared.then_some(text.len() as u64))
}

#[tokio::test]
async fn unsigned_payloads_stream_from_memory_and_from_one_shot_streams() {
    let replay = ReplayClient::new([ReplayEvent::status(200, ""), ReplayEvent::status(200, "")]);
    let client = client(&replay, 3);
    client.upload().key("a b").body("in memory").content_type("text/plain").send().await.unwrap();
    client.upload().key("streamed").body(one_shot("one two three", false)).send().await.unwrap();
    let requests = replay.requests();
    assert_eq!(requests[0].uri().path(), "/objects/a%20b");
    assert_eq!(requests[0].body().as_ref(), b"in memory");
    assert_eq!(header(&requests[0], "content-length").as_deref(), Some("9"));
    assert_eq!(header(&requests[0], "content-type").as_deref(), Some("text/plain"));
    assert_eq!(header(&requests[0], "x-amz-content-sha256").as_deref(), Some("UNSIGNED-PAYLOAD"));
    assert_eq!(requests[1].body().as_ref(), b"one two three");
    assert_eq!(header(&requests[1], "content-type").as_deref(), Some("application/octet-stream"));
    assert_eq!(header(&requests[1], "content-length"), None, "an unknown length goes chunked");
}

#[tokio::test]
async fn a_one_shot_stream_is_not_retried() {
    let replay = ReplayClient::new([ReplayEvent::status(503, ""), ReplayEvent::status(200, "")]);
    let error = client(&replay, 3)
        .upload()
        .key("k")
        .body(one_shot("once", true))
        .send()
        .await
        .unwrap_err();
    assert_eq!(replay.requests().len(), 1, "the body cannot be read again");
    assert!(error.to_string().contains("503"), "{error}");
}

#[tokio::test]
async fn a_file_is_hashed_for_the_signature_and_resent_whole_on_retry() {
    let file = std::env::temp_dir().join(format!("fixture-streaming-{}.bin", std::process::id()));
    let contents: Vec<u8> = (0..200_000u32).map(|index| (index % 251) as u8).collect();
    std::fs::write(&file, &contents).unwrap();
    let replay = ReplayClient::new([
        ReplayEvent::status(500, ""),
        ReplayEvent::status(200, r#"{"archiveId":"a-1"}"#),
    ]);
    let body = ByteStream::from_path(&file).await.unwrap();
    assert_eq!(body.length(), Some(200_000));
    let output = client(&replay, 2).archive().body(body).description("backup").send().await.unwrap();
    std::fs::remove_file(&file).unwrap();
    assert_eq!(output.archive_id(), Some("a-1"));
    let requests = replay.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.body().as_ref(), &contents[..]);
        assert_eq!(header(request, "content-length").as_deref(), Some("200000"));
        let authorization = header(request, "authorization").unwrap();
        assert!(authorization.starts_with("AWS4-HMAC-SHA256 "), "{authorization}");
    }
    assert_eq!(header(&requests[0], "x-amz-content-sha256"), None);
    for request in &requests {
        verify_signature(request).expect("the signature covers the file's SHA-256");
    }
}

#[tokio::test]
async fn a_signed_one_shot_stream_is_read_into_memory_to_be_hashed() {
    let replay = ReplayClient::new([ReplayEvent::status(200, "{}")]);
    client(&replay, 1).archive().body(one_shot("abcd", true)).send().await.unwrap();
    let request = &replay.requests()[0];
    assert_eq!(request.body().as_ref(), b"abcd");
    assert_eq!(header(request, "content-length").as_deref(), Some("4"));
    verify_signature(request).expect("the signature covers the stream's SHA-256");
}

#[tokio::test]
async fn a_missing_file_is_an_error_naming_it() {
    let error = ByteStream::from_path("/nonexistent/fixture-streaming.bin").await.unwrap_err();
    assert!(error.to_string().contains("/nonexistent/fixture-streaming.bin"), "{error}");
}

#[tokio::test]
async fn a_known_length_over_the_limit_fails_before_sending() {
    let replay = ReplayClient::new([]);
    let too_long = ByteStream::from(vec![0u8; 1_048_577]);
    let error = client(&replay, 1).archive().body(too_long).send().await.unwrap_err();
    assert!(error.to_string().contains("body"), "{error}");
    assert!(replay.requests().is_empty());
}

fn download_response(status: u16, body: &'static str) -> HttpResponse {
    let mut response = ivschat_runtime::http::Response::builder().status(status);
    if status == 404 {
        response = response.header("x-amzn-errortype", "NotFound");
    }
    response
        .header("content-length", body.len())
        .body(Bytes::from_static(body.as_bytes()))
        .unwrap()
}

#[tokio::test]
async fn downloads_hand_the_body_over_to_be_read() {
    let replay = ReplayClient::new([ReplayEvent::Response(download_response(200, "the object data"))]);
    let mut output = client(&replay, 1).download().key("k").send().await.unwrap();
    assert_eq!(output.size(), Some(15));
    let body = output.take_body();
    assert_eq!(output.body().length(), Some(0), "an empty body is left behind");
    assert_eq!(body.collect().await.unwrap().as_ref(), b"the object data");
}

#[tokio::test]
async fn download_errors_are_read_whole_and_typed() {
    let replay = ReplayClient::new([ReplayEvent::Response(download_response(404, r#"{"message":"no such key"}"#))]);
    let error = client(&replay, 1).download().key("gone").send().await.unwrap_err();
    match error {
        fixture_streaming::operation::download::DownloadError::NotFound(not_found) => {
            assert_eq!(not_found.message(), Some("no such key"));
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_that_requires_its_length_must_declare_it() {
    let replay = ReplayClient::new([ReplayEvent::status(200, "{}")]);
    let client = client(&replay, 1);
    let error = client.append().key("k").records(one_shot("record", false)).send().await.unwrap_err();
    assert!(error.to_string().contains("AppendInput.records: the service needs the body's length"), "{error}");
    assert!(replay.requests().is_empty());
    client.append().key("k").records(one_shot("record", true)).send().await.unwrap();
    assert_eq!(replay.requests()[0].body().as_ref(), b"record");
}
