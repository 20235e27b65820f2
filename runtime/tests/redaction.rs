//! `Debug` of everything that can hold a secret shows where it is, never what it is.

use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::operation::{SdkError, UnhandledError};
use ivschat_runtime::sigv4::{
    sign_headers, SignableBody, SignableRequest, SigningKeyCache, SigningParams, SigningSettings,
};
use ivschat_runtime::DateTime;

const CHAT_TOKEN: &str = "AQICAHgSECRETCHATTOKEN";

fn response_with_token(status: u16) -> http::Response<bytes::Bytes> {
    http::Response::builder()
        .status(status)
        .header("x-amzn-requestid", "request-1")
        .body(bytes::Bytes::from(format!(r#"{{"token":"{CHAT_TOKEN}""#)))
        .unwrap()
}

#[test]
fn an_unreadable_response_does_not_print_its_body() {
    let error = SdkError::Response {
        message: "unexpected end of JSON".to_owned(),
        raw: Box::new(response_with_token(200)),
    };
    let printed = format!("{error:?}");
    assert!(!printed.contains(CHAT_TOKEN), "{printed}");
    assert!(printed.contains("status: 200"), "{printed}");
    assert!(printed.contains("x-amzn-requestid"), "{printed}");
    assert!(printed.contains("body_bytes: 33"), "{printed}");
}

#[test]
fn an_unhandled_error_does_not_print_its_body() {
    let error = UnhandledError::from_response(response_with_token(500), Some("request-1".into()));
    let printed = format!("{error:?}");
    assert!(!printed.contains(CHAT_TOKEN), "{printed}");
    assert!(printed.contains("request-1"), "{printed}");
}

#[test]
fn a_signature_does_not_print_the_session_token() {
    let credentials = Credentials::new("AKID", "SECRET", Some("SESSIONTOKEN".to_owned()), None);
    let request = SignableRequest {
        method: "POST",
        path: "/CreateRoom",
        query: "",
        headers: vec![("host", "example.com")],
        body: SignableBody::Bytes(b"{}"),
    };
    let params = SigningParams {
        credentials: &credentials,
        region: "us-west-2",
        service: "ivschat",
        time: DateTime::from_secs(1_700_000_000),
        settings: SigningSettings::default(),
    };
    let signature = sign_headers(&request, &params, &SigningKeyCache::default());
    assert!(signature.canonical_request.contains("SESSIONTOKEN"));
    let printed = format!("{signature:?}");
    assert!(!printed.contains("SESSIONTOKEN"), "{printed}");
    assert!(!printed.contains(&signature.signature), "{printed}");
    assert!(!printed.contains("SECRET\""), "{printed}");
}

#[test]
fn an_operation_response_does_not_print_its_body() {
    let done = ivschat_runtime::operation::OperationResponse {
        response: response_with_token(200),
        request_id: Some("request-1".to_owned()),
        attempts: 1,
    };
    let printed = format!("{done:?}");
    assert!(!printed.contains(CHAT_TOKEN), "{printed}");
    assert!(printed.contains("request-1"), "{printed}");
}
