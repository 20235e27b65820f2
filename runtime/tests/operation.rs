//! The call loop against scripted transports: retries, the retry quota, timeouts, signing on
//! every attempt, request ids, and no secret in logs.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method};
use ivschat_runtime::config::{Config, ConfigBuilder, ServiceInfo};
use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::env::Env;
use ivschat_runtime::operation::{
    Auth, Endpoint, Handle, OperationRequest, SdkError, TimeoutScope,
};
use ivschat_runtime::transport::{HttpError, HttpErrorKind, ReplayClient, ReplayEvent};

const SERVICE: ServiceInfo = ServiceInfo {
    sdk_id: "ivschat",
    signing_name: "ivschat",
    crate_name: "ivschat",
    crate_version: "0.1.0",
};
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "SESSIONTOKENVALUE";

fn builder(client: &ReplayClient) -> ConfigBuilder {
    Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new(
            "AKIDEXAMPLE",
            SECRET,
            Some(TOKEN.to_owned()),
            None,
        ))
        .initial_backoff(Duration::from_millis(1))
        .http_client(Arc::new(client.clone()))
}

fn handle(builder: ConfigBuilder) -> Handle {
    Handle::new(
        builder
            .build_with_env(SERVICE, &Env::from_pairs([]))
            .unwrap(),
    )
}

fn create_room() -> OperationRequest {
    let mut headers = HeaderMap::new();
    headers.insert("content-type", "application/json".parse().unwrap());
    OperationRequest {
        operation: "CreateRoom",
        method: Method::POST,
        path_and_query: "/CreateRoom".to_owned(),
        headers,
        body: Bytes::from_static(br#"{"name":"lobby"}"#).into(),
        auth: Auth::SigV4,
        checksums: None,
        idempotent: false,
        event_signing: None,
        error_in_success: false,
    }
}

fn endpoint() -> Endpoint {
    Endpoint::url("https://ivschat.us-west-2.amazonaws.com")
}

fn ok_with_request_id() -> ReplayEvent {
    let response = http::Response::builder()
        .status(200)
        .header("x-amzn-RequestId", "req-123")
        .body(Bytes::from_static(b"{}"))
        .unwrap();
    ReplayEvent::Response(response)
}

#[tokio::test]
async fn two_503s_then_success_takes_three_signed_attempts() {
    let client = ReplayClient::new([
        ReplayEvent::status(503, ""),
        ReplayEvent::status(503, ""),
        ok_with_request_id(),
    ]);
    let handle = handle(builder(&client));
    let done = handle.invoke(&endpoint(), create_room()).await.unwrap();
    assert_eq!(done.response.status(), 200);
    assert_eq!(done.attempts, 3);
    assert_eq!(done.request_id.as_deref(), Some("req-123"));
    let requests = client.requests();
    assert_eq!(requests.len(), 3);
    for (index, request) in requests.iter().enumerate() {
        let header = |name: &str| request.headers()[name].to_str().unwrap().to_owned();
        assert!(header("authorization").starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
        assert_eq!(
            header("amz-sdk-request"),
            format!("attempt={}; max=3", index + 1)
        );
        assert_eq!(header("host"), "ivschat.us-west-2.amazonaws.com");
        assert!(header("user-agent").starts_with("ivschat/0.1.0 ivschat-runtime/"));
    }
    // Both retries were paid for and the success refunded the last one.
    assert_eq!(handle.retry_quota(), 495);
}

#[tokio::test]
async fn a_validation_error_is_not_retried() {
    let response = http::Response::builder()
        .status(400)
        .header("x-amzn-errortype", "ValidationException")
        .body(Bytes::from_static(br#"{"message":"bad"}"#))
        .unwrap();
    let client = ReplayClient::new([ReplayEvent::Response(response)]);
    let done = handle(builder(&client))
        .invoke(&endpoint(), create_room())
        .await
        .unwrap();
    assert_eq!(done.response.status(), 400);
    assert_eq!(client.requests().len(), 1);
}

#[tokio::test]
async fn an_empty_quota_stops_retrying() {
    let client = ReplayClient::new([
        ReplayEvent::status(503, ""),
        ReplayEvent::status(503, ""),
        ReplayEvent::status(200, "{}"),
    ]);
    let handle = handle(builder(&client).retry_quota_capacity(5));
    let done = handle.invoke(&endpoint(), create_room()).await.unwrap();
    assert_eq!(
        done.response.status(),
        503,
        "the second failure is final: no quota for a second retry"
    );
    assert_eq!(client.requests().len(), 2);
    assert_eq!(handle.retry_quota(), 0);
}

#[tokio::test]
async fn an_attempt_timeout_fires_and_is_retried() {
    let slow = http::Response::builder()
        .status(200)
        .body(Bytes::new())
        .unwrap();
    let client = ReplayClient::new([
        ReplayEvent::Delayed(Duration::from_secs(5), slow),
        ok_with_request_id(),
    ]);
    let handle = handle(builder(&client).attempt_timeout(Duration::from_millis(50)));
    let idempotent = OperationRequest {
        idempotent: true,
        ..create_room()
    };
    let done = handle.invoke(&endpoint(), idempotent).await.unwrap();
    assert_eq!(done.attempts, 2);
    assert_eq!(
        handle.retry_quota(),
        500,
        "the timeout retry cost 10 and was refunded on success"
    );
}

#[tokio::test]
async fn the_operation_timeout_ends_the_call() {
    let slow = || {
        ReplayEvent::Delayed(
            Duration::from_secs(5),
            http::Response::builder()
                .status(200)
                .body(Bytes::new())
                .unwrap(),
        )
    };
    let client = ReplayClient::new([slow(), slow(), slow()]);
    let handle = handle(builder(&client).operation_timeout(Duration::from_millis(100)));
    let error = handle.invoke(&endpoint(), create_room()).await.unwrap_err();
    assert!(
        matches!(
            error,
            SdkError::Timeout {
                scope: TimeoutScope::Operation,
                ..
            }
        ),
        "{error}"
    );
    assert!(error
        .to_string()
        .starts_with("the operation timed out after 100ms"));
}

#[tokio::test]
async fn connection_failures_are_retried_and_reported() {
    let refused =
        || ReplayEvent::Error(HttpError::new(HttpErrorKind::Connect, "connection refused"));
    let client = ReplayClient::new([refused(), refused(), refused()]);
    let error = handle(builder(&client))
        .invoke(&endpoint(), create_room())
        .await
        .unwrap_err();
    assert_eq!(client.requests().len(), 3);
    assert_eq!(
        error.to_string(),
        "could not connect: ivschat.us-west-2.amazonaws.com, 3 attempts: connection refused; \
         nothing was sent: check the endpoint and the network"
    );
}

#[tokio::test]
async fn anonymous_requests_are_not_signed() {
    let client = ReplayClient::new([ok_with_request_id()]);
    handle(builder(&client).anonymous())
        .invoke(&endpoint(), create_room())
        .await
        .unwrap();
    let request = &client.requests()[0];
    assert!(request.headers().get("authorization").is_none());
    assert!(request.headers().get("x-amz-security-token").is_none());
}

#[tokio::test]
async fn operations_without_auth_are_never_signed() {
    let client = ReplayClient::new([ok_with_request_id()]);
    let request = OperationRequest {
        auth: Auth::None,
        checksums: None,
        idempotent: false,
        event_signing: None,
        ..create_room()
    };
    handle(builder(&client))
        .invoke(&endpoint(), request)
        .await
        .unwrap();
    let request = &client.requests()[0];
    assert!(request.headers().get("authorization").is_none());
    assert!(request.headers().get("x-amz-date").is_none());
}

#[tokio::test]
async fn optional_auth_signs_with_credentials_and_goes_unsigned_without() {
    let failing_provider = Env::from_pairs([
        ("AWS_CONFIG_FILE", "/nonexistent"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    let client = ReplayClient::new([ok_with_request_id(), ok_with_request_id()]);
    let optional = || OperationRequest {
        auth: Auth::Optional,
        checksums: None,
        idempotent: false,
        event_signing: None,
        ..create_room()
    };
    handle(builder(&client))
        .invoke(&endpoint(), optional())
        .await
        .unwrap();
    let no_credentials = Config::builder()
        .region("us-west-2")
        .http_client(Arc::new(client.clone()))
        .build_with_env(SERVICE, &failing_provider)
        .unwrap();
    Handle::new(no_credentials)
        .invoke(&endpoint(), optional())
        .await
        .unwrap();
    let requests = client.requests();
    assert!(requests[0].headers().get("authorization").is_some());
    assert!(requests[1].headers().get("authorization").is_none());
}

#[tokio::test]
async fn an_unsigned_payload_is_declared_and_signed_as_such() {
    let client = ReplayClient::new([ok_with_request_id()]);
    let request = OperationRequest {
        auth: Auth::SigV4UnsignedPayload,
        checksums: None,
        idempotent: false,
        event_signing: None,
        ..create_room()
    };
    handle(builder(&client))
        .invoke(&endpoint(), request)
        .await
        .unwrap();
    let request = &client.requests()[0];
    assert_eq!(
        request.headers()["x-amz-content-sha256"],
        "UNSIGNED-PAYLOAD"
    );
    let authorization = request.headers()["authorization"].to_str().unwrap();
    assert!(
        authorization.contains("x-amz-content-sha256"),
        "{authorization}"
    );
}

#[cfg(feature = "sigv4a")]
#[tokio::test]
async fn an_endpoint_asking_for_sigv4a_gets_an_ecdsa_signature_over_its_region_set() {
    let client = ReplayClient::new([ok_with_request_id()]);
    let resolved = ivschat_runtime::endpoint::ResolvedEndpoint {
        url: "https://example.com".to_owned(),
        headers: Default::default(),
        properties: [(
            "authSchemes".to_owned(),
            ivschat_runtime::Document::Array(vec![ivschat_runtime::Document::Object(
                [
                    ("name".to_owned(), "sigv4a".into()),
                    ("signingName".to_owned(), "kvs".into()),
                    (
                        "signingRegionSet".to_owned(),
                        ivschat_runtime::Document::Array(vec!["*".into()]),
                    ),
                ]
                .into_iter()
                .collect(),
            )]),
        )]
        .into_iter()
        .collect(),
    };
    let endpoint = resolved.into_operation_endpoint();
    handle(builder(&client))
        .invoke(&endpoint, create_room())
        .await
        .unwrap();
    let request = &client.requests()[0];
    assert_eq!(request.headers()["x-amz-region-set"], "*");
    let authorization = request.headers()["authorization"].to_str().unwrap();
    assert!(
        authorization.starts_with("AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/"),
        "{authorization}"
    );
    assert!(
        authorization.contains("/kvs/aws4_request"),
        "{authorization}"
    );
}

/// Collects everything tracing writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_and_debug_output_hold_no_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let client = ReplayClient::new([ReplayEvent::status(503, ""), ok_with_request_id()]);
    let handle = handle(builder(&client));
    // Global, not per thread: a thread-local subscriber misses callsites that tests on other
    // threads cached as disabled first. The logs of every test count: none may hold a secret.
    tracing::subscriber::set_global_default(subscriber).expect("only this test sets one");
    handle.invoke(&endpoint(), create_room()).await.unwrap();
    let signature = client.requests()[1].headers()["authorization"]
        .to_str()
        .unwrap()
        .rsplit('=')
        .next()
        .unwrap()
        .to_owned();
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("operation=\"CreateRoom\"") || logs.contains("operation=CreateRoom"),
        "{logs}"
    );
    assert!(logs.contains("retrying"), "{logs}");
    let debug = format!("{handle:?}");
    for secret in [SECRET, TOKEN, signature.as_str()] {
        assert!(!logs.contains(secret), "a secret is in the logs:\n{logs}");
        assert!(
            !debug.contains(secret),
            "a secret is in Debug output:\n{debug}"
        );
    }
}

#[tokio::test]
async fn a_request_that_may_have_been_processed_is_not_sent_twice_unless_idempotent() {
    let cut_off = || ReplayEvent::Error(HttpError::new(HttpErrorKind::Io, "the body was cut off"));
    let slow = http::Response::builder()
        .status(200)
        .body(Bytes::new())
        .unwrap();
    let client = ReplayClient::new([
        cut_off(),
        ReplayEvent::Delayed(Duration::from_secs(5), slow),
        cut_off(),
        ok_with_request_id(),
    ]);
    let handle = handle(builder(&client).attempt_timeout(Duration::from_millis(50)));
    let error = handle.invoke(&endpoint(), create_room()).await.unwrap_err();
    assert!(matches!(error, SdkError::Dispatch(_)), "{error:?}");
    let error = handle.invoke(&endpoint(), create_room()).await.unwrap_err();
    assert!(matches!(error, SdkError::Timeout { .. }), "{error:?}");
    assert_eq!(client.requests().len(), 2, "each CreateRoom was sent once");
    let idempotent = OperationRequest {
        idempotent: true,
        ..create_room()
    };
    let done = handle.invoke(&endpoint(), idempotent).await.unwrap();
    assert_eq!(done.attempts, 2, "an idempotent request is sent again");
}

#[tokio::test]
async fn a_connection_that_was_never_made_is_retried_for_any_operation() {
    let client = ReplayClient::new([
        ReplayEvent::Error(HttpError::new(HttpErrorKind::Connect, "refused")),
        ok_with_request_id(),
    ]);
    let handle = handle(builder(&client));
    let done = handle.invoke(&endpoint(), create_room()).await.unwrap();
    assert_eq!(done.attempts, 2);
}

#[tokio::test]
async fn a_response_over_the_body_limit_fails_without_retrying() {
    let big = http::Response::builder()
        .status(200)
        .body(Bytes::from(vec![b' '; 2048]))
        .unwrap();
    let client = ReplayClient::new([ReplayEvent::Response(big), ok_with_request_id()]);
    let handle = handle(builder(&client).response_body_limit(1024));
    let error = handle.invoke(&endpoint(), create_room()).await.unwrap_err();
    let SdkError::Dispatch(error) = error else {
        panic!("{error:?}")
    };
    assert_eq!(error.kind(), HttpErrorKind::BodyTooLarge);
    assert_eq!(client.requests().len(), 1);
}

#[test]
fn default_timeouts_bound_every_call() {
    let config = ConfigBuilder::default()
        .build_with_env(SERVICE, &Env::from_pairs([]))
        .unwrap();
    assert_eq!(config.timeouts.connect, Duration::from_millis(3100));
    assert_eq!(config.timeouts.attempt, Duration::from_secs(60));
    assert_eq!(config.timeouts.read, Duration::from_secs(60));
    assert_eq!(config.timeouts.operation, None);
    assert_eq!(config.response_body_limit, 64 * 1024 * 1024);
}

#[tokio::test]
async fn an_error_document_in_a_success_is_retried_where_the_operation_says_so() {
    let error = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code><Message>copy failed</Message></Error>";
    let done = "<CopyObjectResult><ETag>\"e\"</ETag></CopyObjectResult>";
    let copy = || OperationRequest {
        error_in_success: true,
        ..create_room()
    };
    let client = ReplayClient::new([
        ReplayEvent::status(200, error),
        ReplayEvent::status(200, done),
    ]);
    let response = handle(builder(&client))
        .invoke(&endpoint(), copy())
        .await
        .unwrap();
    assert_eq!(client.requests().len(), 2);
    assert_eq!(response.response.body(), done.as_bytes());

    let client = ReplayClient::new([ReplayEvent::status(200, error)]);
    let once = handle(builder(&client).max_attempts(1))
        .invoke(&endpoint(), copy())
        .await
        .unwrap();
    assert_eq!(once.response.status(), 500, "the error is read as one");

    let client = ReplayClient::new([ReplayEvent::status(200, error)]);
    let other = handle(builder(&client))
        .invoke(&endpoint(), create_room())
        .await
        .unwrap();
    assert_eq!(
        other.response.status(),
        200,
        "other operations keep the status"
    );
}
