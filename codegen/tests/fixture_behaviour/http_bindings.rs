//! Behaviour of the `http_bindings` fixture's generated client, run by `cargo xtask
//! check-fixtures`: every HTTP binding ivschat does not use, both ways, over a replay transport,
//! and the operation traits around them (host prefix, checksum, idempotency token, media types,
//! unsigned operations and payloads).

use std::sync::Arc;

use fixture_http_bindings::types::{Settings, StorageClass};
use fixture_http_bindings::{Client, Config};
use ivschat_runtime::config::ServiceInfo;
use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::env::Env;
use ivschat_runtime::protocol_test::block_on;
use ivschat_runtime::transport::{ReplayClient, ReplayEvent};

fn client(replay: &ReplayClient) -> Client {
    let service = ServiceInfo { sdk_id: "Service", signing_name: "service", crate_name: "fixture", crate_version: "0" };
    let config = Config::builder()
        .region("us-west-2")
        .endpoint_url("https://example.test")
        .credentials(Credentials::new("AKID", "SECRET", None, None))
        .max_attempts(1)
        .http_client(Arc::new(replay.clone()))
        .build_with_env(service, &Env::from_pairs([]))
        .unwrap();
    Client::new(config)
}

#[test]
fn request_bindings() {
    let replay = ReplayClient::new([ReplayEvent::status(200, "{}")]);
    let since = ivschat_runtime::DateTime::from_secs(1_576_540_098);
    block_on(
        client(&replay)
            .put_object()
            .bucket("my bucket")
            .key("a/b c")
            .limit(5)
            .tags("x")
            .tags("y")
            .extra("limit", vec!["shadowed".to_owned()])
            .extra("z", vec!["1".to_owned(), "2".to_owned()])
            .checksum("abc")
            .since(since)
            .labels("l1")
            .labels("l2, with a comma")
            .ratio(f64::NEG_INFINITY)
            .metadata("owner", "me")
            .settings(Settings::builder().mode("fast").build())
            .send(),
    )
    .unwrap();
    let request = &replay.requests()[0];
    assert_eq!(request.method(), "PUT");
    assert_eq!(
        request.uri().path_and_query().unwrap().as_str(),
        "/buckets/my%20bucket/objects/a/b%20c?versioning=&limit=5&tag=x&tag=y&z=1&z=2"
    );
    let header = |name: &str| request.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(header("x-checksum"), "abc");
    assert_eq!(header("x-since"), "Mon, 16 Dec 2019 23:48:18 GMT");
    assert_eq!(header("x-labels"), "l1, \"l2, with a comma\"");
    assert_eq!(header("x-ratio"), "-Infinity");
    assert_eq!(header("x-meta-owner"), "me");
    assert_eq!(header("content-type"), "application/json");
    assert_eq!(request.body().as_ref(), br#"{"mode":"fast"}"#);
}

#[test]
fn response_bindings() {
    let response = ivschat_runtime::http::Response::builder()
        .status(201)
        .header("etag", "\"e1\"")
        .header("x-size", "42")
        .header("x-stored", "true")
        .header("last-modified", "Mon, 16 Dec 2019 23:48:18 GMT")
        .header("x-class", "COLD")
        .header("x-labels", "a, \"b,c\"")
        .header("x-counts", "1, 2")
        .header("x-expiries", "Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT")
        .header("x-meta-owner", "me")
        .body(ivschat_runtime::bytes::Bytes::from_static(br#"{"note":"kept"}"#))
        .unwrap();
    let replay = ReplayClient::new([ReplayEvent::Response(response)]);
    let output = block_on(client(&replay).put_object().bucket("b").key("k").send()).unwrap();
    assert_eq!(output.etag(), Some("\"e1\""));
    assert_eq!(output.size(), Some(42));
    assert_eq!(output.stored(), Some(true));
    assert_eq!(output.modified().unwrap().secs(), 1_576_540_098);
    assert_eq!(output.class(), Some(&StorageClass::Cold));
    assert_eq!(output.labels().unwrap(), ["a", "b,c"]);
    assert_eq!(output.counts().unwrap(), [1, 2]);
    let expiries: Vec<i64> = output.expiries().unwrap().iter().map(|time| time.secs()).collect();
    assert_eq!(expiries, [1_576_540_098, 1_576_626_498]);
    assert_eq!(output.metadata().unwrap()["owner"], "me");
    assert_eq!(output.status(), Some(201));
    assert_eq!(output.note(), Some("kept"));
}

#[test]
fn payloads_of_text_and_bytes() {
    let replay = ReplayClient::new([ReplayEvent::status(200, "raw bytes")]);
    let output = block_on(client(&replay).get_object().text("hello").send()).unwrap();
    let request = &replay.requests()[0];
    assert_eq!(request.body().as_ref(), b"hello");
    assert_eq!(request.headers()["content-type"], "text/plain");
    assert!(request.headers().get("authorization").is_none(), "@auth([]) sends unsigned");
    assert_eq!(output.data().unwrap().as_bytes(), b"raw bytes");
}

#[test]
fn host_prefix_checksum_idempotency_token_and_media_types() {
    let replay = ReplayClient::new([ReplayEvent::status(200, "{}"), ReplayEvent::status(200, "{}")]);
    let client = client(&replay);
    block_on(
        client
            .put_note()
            .shelf("fiction")
            .meta("{\"a\":1}")
            .text(ivschat_runtime::Blob::new(b"# Title".to_vec()))
            .send(),
    )
    .unwrap();
    block_on(client.put_note().shelf("poems").token("mine").send()).unwrap();
    let requests = replay.requests();
    let first = &requests[0];
    assert_eq!(first.uri().host(), Some("fiction.notes.example.test"));
    let header = |name: &str| first.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(header("x-meta"), "eyJhIjoxfQ==", "a JSON string header is base64");
    assert_eq!(header("content-type"), "text/markdown");
    assert_eq!(header("content-md5"), "OM3WeYevtnpK+J6gIESgDg==");
    assert_eq!(header("x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
    assert!(header("authorization").starts_with("AWS4-HMAC-SHA256 "));
    let query = first.uri().query().unwrap();
    let token = query.strip_prefix("token=").unwrap();
    assert_eq!((token.len(), &token[14..15]), (36, "4"), "a UUID v4 fills the token");
    assert_eq!(requests[1].uri().query(), Some("token=mine"));
    assert_eq!(requests[1].uri().host(), Some("poems.notes.example.test"));

    let outcome = block_on(client.put_note().shelf("not a label").send());
    let message = outcome.unwrap_err().to_string();
    assert!(message.contains("`not a label.notes.` is not a valid host prefix"), "{message}");
}
