//! Requests to an endpoint signed by S3's rules (`Endpoint::signed_as_s3`, what S3's
//! generated client asks for): the path is signed as sent, neither normalized nor encoded a
//! second time, and `x-amz-content-sha256` carries the payload hash.

use bytes::Bytes;
use http::{HeaderMap, Method};
use ivschat_runtime::config::{Config, ServiceInfo};
use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::env::Env;
use ivschat_runtime::operation::{Auth, Endpoint, Handle, OperationRequest};
use ivschat_runtime::sigv4::{
    sha256_hex, sign_headers, PathEncoding, SignableBody, SignableRequest, SigningKeyCache,
    SigningParams, SigningSettings,
};
use ivschat_runtime::transport::{ReplayClient, ReplayEvent};
use ivschat_runtime::{DateTime, DateTimeFormat};

const SERVICE: ServiceInfo = ServiceInfo {
    sdk_id: "S3",
    signing_name: "s3",
    crate_name: "s3",
    crate_version: "0.0.0",
};

/// The headers a signer adds itself, left out when signing the sent request again.
const ADDED_BY_SIGNING: [&str; 3] = ["authorization", "x-amz-date", "x-amz-content-sha256"];

fn credentials() -> Credentials {
    Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
        None,
    )
}

/// Sends a PUT of `path` with `body` to `endpoint` and returns the request as sent.
async fn send(endpoint: Endpoint, path: &str, body: &'static [u8]) -> http::Request<Bytes> {
    let replay = ReplayClient::new([ReplayEvent::status(200, "")]);
    let config = Config::builder()
        .region("us-west-2")
        .credentials(credentials())
        .http_client(std::sync::Arc::new(replay.clone()))
        .build_with_env(SERVICE, &Env::from_pairs([]))
        .expect("the configuration resolves");
    let request = OperationRequest {
        operation: "PutObject",
        method: Method::PUT,
        path_and_query: path.to_owned(),
        headers: HeaderMap::new(),
        body: Bytes::from_static(body).into(),
        auth: Auth::SigV4,
        checksums: None,
        idempotent: true,
        event_signing: None,
        error_in_success: false,
    };
    Handle::new(config)
        .invoke(&endpoint, request)
        .await
        .expect("the call succeeds");
    replay.requests().remove(0)
}

/// The signature of `sent` made again with `settings`, at the time of its `x-amz-date`.
fn signature_with(sent: &http::Request<Bytes>, settings: SigningSettings) -> String {
    let amz_date = sent.headers()["x-amz-date"].to_str().expect("ASCII");
    let rfc3339 = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &amz_date[0..4],
        &amz_date[4..6],
        &amz_date[6..8],
        &amz_date[9..11],
        &amz_date[11..13],
        &amz_date[13..15]
    );
    let time = DateTime::parse(&rfc3339, DateTimeFormat::DateTime).expect("a date");
    let headers = sent
        .headers()
        .iter()
        .filter(|(name, _)| !ADDED_BY_SIGNING.contains(&name.as_str()))
        .map(|(name, value)| (name.as_str(), value.to_str().expect("ASCII")))
        .collect();
    let request = SignableRequest {
        method: sent.method().as_str(),
        path: sent.uri().path(),
        query: sent.uri().query().unwrap_or(""),
        headers,
        body: SignableBody::Bytes(sent.body()),
    };
    let credentials = credentials();
    let params = SigningParams {
        credentials: &credentials,
        region: "us-west-2",
        service: "s3",
        time,
        settings,
    };
    sign_headers(&request, &params, &SigningKeyCache::default()).signature
}

fn signature_sent(sent: &http::Request<Bytes>) -> String {
    let authorization = sent.headers()["authorization"].to_str().expect("ASCII");
    let (_, signature) = authorization
        .rsplit_once("Signature=")
        .expect("a signature");
    signature.to_owned()
}

#[tokio::test]
async fn s3_endpoints_sign_the_path_as_sent_with_the_payload_hash() {
    let endpoint = Endpoint::url("https://bucket.s3.us-west-2.amazonaws.com").signed_as_s3();
    let sent = send(endpoint, "/a%20key/../b+c.txt", b"object bytes").await;
    assert_eq!(sent.uri().path(), "/a%20key/../b+c.txt");
    assert_eq!(
        sent.headers()["x-amz-content-sha256"],
        sha256_hex(b"object bytes").as_str()
    );
    let s3 = SigningSettings {
        path_encoding: PathEncoding::Single,
        normalize_path: false,
        payload_checksum_header: true,
        ..SigningSettings::default()
    };
    assert_eq!(signature_sent(&sent), signature_with(&sent, s3));
    let other_services = SigningSettings::default();
    assert_ne!(signature_sent(&sent), signature_with(&sent, other_services));
}

#[tokio::test]
async fn other_endpoints_normalize_and_encode_twice_without_the_hash_header() {
    let sent = send(
        Endpoint::url("https://service.us-west-2.amazonaws.com"),
        "/a%20key/../b.txt",
        b"{}",
    )
    .await;
    assert!(sent.headers().get("x-amz-content-sha256").is_none());
    assert_eq!(
        signature_sent(&sent),
        signature_with(&sent, SigningSettings::default())
    );
}

#[test]
fn an_auth_scheme_that_disables_double_encoding_is_followed() {
    let resolved = |disable: bool| ivschat_runtime::endpoint::ResolvedEndpoint {
        url: "https://example.com".to_owned(),
        headers: Default::default(),
        properties: [(
            "authSchemes".to_owned(),
            ivschat_runtime::Document::Array(vec![ivschat_runtime::Document::Object(
                [
                    ("name".to_owned(), "sigv4".into()),
                    ("signingName".to_owned(), "s3".into()),
                    (
                        "disableDoubleEncoding".to_owned(),
                        ivschat_runtime::Document::Bool(disable),
                    ),
                ]
                .into_iter()
                .collect(),
            )]),
        )]
        .into_iter()
        .collect(),
    };
    assert!(!resolved(true).into_operation_endpoint().double_encode_path);
    assert!(resolved(false).into_operation_endpoint().double_encode_path);
    assert!(Endpoint::url("https://example.com").double_encode_path);
}
