//! The verifier accepts what the signer produces and refuses every kind of tampering with the
//! AWS error code a service would answer.

use std::time::Duration;

use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::sigv4::{
    sign_headers, verify, SignableBody, SignableRequest, SigningKeyCache, SigningParams,
    SigningSettings, VerifyError,
};
use ivschat_runtime::DateTime;

const NOW: i64 = 1_700_000_000;
const SKEW: Duration = Duration::from_secs(300);

fn credentials() -> Credentials {
    Credentials::new(
        "AKIDLOCAL",
        "local-secret",
        Some("session-token".to_owned()),
        None,
    )
}

/// A signed CreateRoom request: headers as sent, with the signer's additions.
fn signed_headers(body: &[u8], signed_at: i64) -> Vec<(String, String)> {
    let headers = vec![
        ("host".to_owned(), "127.0.0.1:4566".to_owned()),
        ("content-type".to_owned(), "application/json".to_owned()),
    ];
    let request = SignableRequest {
        method: "POST",
        path: "/CreateRoom",
        query: "",
        headers: headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect(),
        body: SignableBody::Bytes(body),
    };
    let credentials = credentials();
    let params = SigningParams {
        credentials: &credentials,
        region: "us-west-2",
        service: "ivschat",
        time: DateTime::from_secs(signed_at),
        settings: SigningSettings::default(),
    };
    let signature = sign_headers(&request, &params, &SigningKeyCache::default());
    headers.into_iter().chain(signature.additions).collect()
}

fn check(headers: &[(String, String)], body: &[u8], now: i64) -> Result<String, VerifyError> {
    let request = SignableRequest {
        method: "POST",
        path: "/CreateRoom",
        query: "",
        headers: headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect(),
        body: SignableBody::Bytes(body),
    };
    let lookup = |key: &str| (key == "AKIDLOCAL").then(credentials);
    verify(&request, lookup, DateTime::from_secs(now), SKEW).map(|verified| {
        format!(
            "{} {} {}",
            verified.access_key_id, verified.region, verified.service
        )
    })
}

#[test]
fn accepts_a_signed_request() {
    let body = br#"{"name":"lobby"}"#;
    let headers = signed_headers(body, NOW);
    assert_eq!(
        check(&headers, body, NOW + 60).unwrap(),
        "AKIDLOCAL us-west-2 ivschat"
    );
}

#[test]
fn refuses_a_changed_body() {
    let headers = signed_headers(br#"{"name":"lobby"}"#, NOW);
    let error = check(&headers, br#"{"name":"other"}"#, NOW).unwrap_err();
    assert_eq!(error, VerifyError::SignatureMismatch);
    assert_eq!(error.code(), "InvalidSignatureException");
}

#[test]
fn refuses_an_unknown_key() {
    let body = b"{}";
    let headers: Vec<_> = signed_headers(body, NOW)
        .into_iter()
        .map(|(name, value)| (name, value.replace("AKIDLOCAL", "AKIDOTHER")))
        .collect();
    let error = check(&headers, body, NOW).unwrap_err();
    assert_eq!(error.code(), "UnrecognizedClientException");
    assert!(error.to_string().contains("AKIDOTHER"));
}

#[test]
fn refuses_clock_skew_beyond_five_minutes() {
    let body = b"{}";
    let headers = signed_headers(body, NOW);
    assert!(check(&headers, body, NOW + 300).is_ok());
    let error = check(&headers, body, NOW + 301).unwrap_err();
    assert!(matches!(error, VerifyError::ClockSkew { .. }));
    assert_eq!(error.code(), "InvalidSignatureException");
}

#[test]
fn refuses_a_missing_or_wrong_session_token() {
    let body = b"{}";
    let headers: Vec<_> = signed_headers(body, NOW)
        .into_iter()
        .filter(|(name, _)| name != "x-amz-security-token")
        .collect();
    assert_eq!(
        check(&headers, body, NOW).unwrap_err(),
        VerifyError::InvalidSessionToken
    );
}

#[test]
fn refuses_unsigned_and_malformed_requests() {
    let body = b"{}";
    let unsigned = vec![("host".to_owned(), "h".to_owned())];
    let error = check(&unsigned, body, NOW).unwrap_err();
    assert_eq!(error.code(), "MissingAuthenticationTokenException");
    let mut malformed = signed_headers(body, NOW);
    for (name, value) in &mut malformed {
        if name == "authorization" {
            *value =
                "AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20231114, SignedHeaders=host, Signature=00"
                    .to_owned();
        }
    }
    let error = check(&malformed, body, NOW).unwrap_err();
    assert_eq!(error.code(), "IncompleteSignatureException");
}
