//! Behaviour of the `checksums` fixture's generated client, run by `cargo xtask
//! check-fixtures`: `@httpChecksum` request checksums (chosen, defaulted, supplied by the input,
//! over a file) and response validation, under both configuration settings.

use std::sync::Arc;

use fixture_checksums::primitives::ByteStream;
use fixture_checksums::types::{ChecksumAlgorithm, ChecksumMode};
use fixture_checksums::{Client, Config};
use ivschat_runtime::bytes::Bytes;
use ivschat_runtime::checksum::ChecksumWhen;
use ivschat_runtime::config::{ConfigBuilder, ServiceInfo};
use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::env::Env;
use ivschat_runtime::transport::{HttpRequest, ReplayClient, ReplayEvent};

fn client(replay: &ReplayClient, configure: fn(ConfigBuilder) -> ConfigBuilder) -> Client {
    let service = ServiceInfo { sdk_id: "Service", signing_name: "storage", crate_name: "fixture", crate_version: "0" };
    let builder = Config::builder()
        .region("us-west-2")
        .endpoint_url("https://example.test")
        .credentials(Credentials::new("AKID", "SECRET", None, None))
        .max_attempts(1)
        .http_client(Arc::new(replay.clone()));
    Client::new(configure(builder).build_with_env(service, &Env::from_pairs([])).unwrap())
}

fn header(request: &HttpRequest, name: &str) -> Option<String> {
    request.headers().get(name).map(|value| value.to_str().unwrap().to_owned())
}

fn ok() -> ReplayEvent {
    ReplayEvent::status(200, "")
}

#[tokio::test]
async fn the_chosen_algorithm_is_sent_and_a_required_checksum_defaults_to_crc32() {
    let replay = ReplayClient::new([ok(), ok()]);
    let client = client(&replay, |builder| builder);
    client.put_thing().id("1").data(b"hello world".as_slice()).checksum_algorithm(ChecksumAlgorithm::Sha256).send().await.unwrap();
    client.put_thing().id("2").data(b"hello world".as_slice()).send().await.unwrap();
    let requests = replay.requests();
    assert_eq!(header(&requests[0], "x-amz-checksum-sha256").as_deref(), Some("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek="));
    assert_eq!(header(&requests[0], "x-amz-sdk-checksum-algorithm").as_deref(), Some("SHA256"));
    assert_eq!(header(&requests[0], "x-amz-checksum-crc32"), None);
    assert_eq!(header(&requests[1], "x-amz-checksum-crc32").as_deref(), Some("DUoRhQ=="));
}

#[tokio::test]
async fn a_checksum_the_input_supplies_is_sent_as_it_is() {
    let replay = ReplayClient::new([ok()]);
    client(&replay, |builder| builder).put_thing().id("1").data(b"data".as_slice()).checksum_crc32("AAAAAA==").send().await.unwrap();
    let request = &replay.requests()[0];
    assert_eq!(header(request, "x-amz-checksum-crc32").as_deref(), Some("AAAAAA=="));
}

#[tokio::test]
async fn an_algorithm_the_client_does_not_know_is_an_error_naming_the_member() {
    let replay = ReplayClient::new([]);
    let error = client(&replay, |builder| builder)
        .put_thing()
        .id("1")
        .checksum_algorithm(ChecksumAlgorithm::from("XXH3"))
        .send()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("PutThingInput.checksumAlgorithm: `XXH3` is not a checksum algorithm"), "{error}");
    assert!(replay.requests().is_empty());
}

/// The data and the trailer lines of an aws-chunked body.
fn decode_aws_chunked(body: &[u8]) -> (Vec<u8>, Vec<String>) {
    let text = std::str::from_utf8(body).unwrap();
    let (mut data, mut rest) = (Vec::new(), text);
    loop {
        let (size, after) = rest.split_once("\r\n").unwrap();
        let size = usize::from_str_radix(size, 16).unwrap();
        if size == 0 {
            let trailer = after.trim_end_matches("\r\n").split("\r\n").map(str::to_owned).collect();
            return (data, trailer);
        }
        data.extend_from_slice(&after.as_bytes()[..size]);
        rest = &after[size + 2..];
    }
}

#[tokio::test]
async fn an_unsigned_file_carries_a_supported_checksum_in_a_trailer_unless_only_required_ones_are_asked_for() {
    let path = std::env::temp_dir().join(format!("fixture-checksums-{}", std::process::id()));
    std::fs::write(&path, b"hello world").unwrap();
    let replay = ReplayClient::new([ok(), ok()]);
    let body = ByteStream::from_path(&path).await.unwrap();
    client(&replay, |builder| builder).upload_part().number(1).body(body.clone()).send().await.unwrap();
    let when_required = client(&replay, |builder| builder.request_checksum_calculation(ChecksumWhen::WhenRequired));
    when_required.upload_part().number(2).body(body).send().await.unwrap();
    std::fs::remove_file(&path).unwrap();
    let requests = replay.requests();
    let (data, trailer) = decode_aws_chunked(requests[0].body());
    assert_eq!(data, b"hello world");
    assert_eq!(trailer, ["x-amz-checksum-crc32:DUoRhQ=="]);
    assert_eq!(header(&requests[0], "content-encoding").as_deref(), Some("aws-chunked"));
    assert_eq!(header(&requests[0], "x-amz-trailer").as_deref(), Some("x-amz-checksum-crc32"));
    assert_eq!(header(&requests[0], "x-amz-decoded-content-length").as_deref(), Some("11"));
    assert_eq!(header(&requests[0], "x-amz-content-sha256").as_deref(), Some("STREAMING-UNSIGNED-PAYLOAD-TRAILER"));
    assert_eq!(header(&requests[0], "content-length"), Some(requests[0].body().len().to_string()));
    assert_eq!(header(&requests[0], "x-amz-checksum-crc32"), None, "in the trailer, not a header");
    assert_eq!(requests[1].body().as_ref(), b"hello world");
    assert_eq!(header(&requests[1], "x-amz-trailer"), None);
}

fn thing(checksum: &'static str) -> ReplayEvent {
    let response = ivschat_runtime::http::Response::builder()
        .status(200)
        .header("x-amz-checksum-crc32", checksum)
        .body(Bytes::from_static(b"hello world"))
        .unwrap();
    ReplayEvent::Response(response)
}

#[tokio::test]
async fn a_response_body_is_checked_as_it_is_read() {
    let replay = ReplayClient::new([thing("DUoRhQ=="), thing("AAAAAA==")]);
    let client = client(&replay, |builder| builder);
    let mut good = client.get_thing().id("1").send().await.unwrap();
    assert_eq!(good.take_body().collect().await.unwrap().as_ref(), b"hello world");
    let mut bad = client.get_thing().id("2").checksum_mode(ChecksumMode::Enabled).send().await.unwrap();
    let error = bad.take_body().collect().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "the response's x-amz-checksum-crc32 is AAAAAA== but its body's CRC32 is DUoRhQ=="
    );
    assert_eq!(header(&replay.requests()[1], "x-amz-checksum-mode").as_deref(), Some("ENABLED"));
}

#[tokio::test]
async fn when_required_a_response_is_checked_only_when_the_input_opts_in() {
    let replay = ReplayClient::new([thing("AAAAAA=="), thing("AAAAAA==")]);
    let client = client(&replay, |builder| builder.response_checksum_validation(ChecksumWhen::WhenRequired));
    let mut unchecked = client.get_thing().id("1").send().await.unwrap();
    assert_eq!(unchecked.take_body().collect().await.unwrap().as_ref(), b"hello world");
    let mut checked = client.get_thing().id("2").checksum_mode(ChecksumMode::Enabled).send().await.unwrap();
    assert!(checked.take_body().collect().await.is_err());
}

#[tokio::test]
async fn a_stream_read_once_is_never_buffered_for_a_checksum_only_supported() {
    let replay = ReplayClient::new([ok(), ok(), ok()]);
    let client = client(&replay, |builder| builder);
    let stream = |text: &'static str, declared: bool| {
        ByteStream::from_reader(std::io::Cursor::new(text), declared.then_some(text.len() as u64))
    };
    client.upload_part().number(1).body(stream("streamed", false)).send().await.unwrap();
    client.upload_part().number(2).body(stream("hello world", false)).checksum_algorithm(ChecksumAlgorithm::Crc32).send().await.unwrap();
    client.upload_part().number(3).body(stream("hello world", true)).checksum_algorithm(ChecksumAlgorithm::Sha1).send().await.unwrap();
    let requests = replay.requests();
    assert_eq!(header(&requests[0], "x-amz-checksum-crc32"), None);
    assert_eq!(header(&requests[0], "content-length"), None, "sent as it is read");
    assert_eq!(header(&requests[1], "x-amz-checksum-crc32").as_deref(), Some("DUoRhQ=="));
    assert_eq!(header(&requests[1], "content-length").as_deref(), Some("11"), "buffered: no length, no trailer");
    let (data, trailer) = decode_aws_chunked(requests[2].body());
    assert_eq!(data, b"hello world", "a declared length goes in a trailer, unbuffered");
    assert_eq!(trailer, ["x-amz-checksum-sha1:Kq5sNclPz7QV2+lfQIuc6R7oRu0="]);
}
