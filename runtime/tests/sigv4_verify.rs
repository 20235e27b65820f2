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
    signed_with(
        body,
        signed_at,
        SigningSettings::default(),
        Some(credentials()),
    )
}

/// [`signed_headers`] with other settings or credentials (`None`: long-term keys).
fn signed_with(
    body: &[u8],
    signed_at: i64,
    settings: SigningSettings,
    temporary: Option<Credentials>,
) -> Vec<(String, String)> {
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
    let credentials =
        temporary.unwrap_or_else(|| Credentials::new("AKIDLONG", "local-secret", None, None));
    let params = SigningParams {
        credentials: &credentials,
        region: "us-west-2",
        service: "ivschat",
        time: DateTime::from_secs(signed_at),
        settings,
    };
    let signature = sign_headers(&request, &params, &SigningKeyCache::default());
    let additions = signature
        .additions
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value));
    headers.into_iter().chain(additions).collect()
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
    let lookup = |key: &str| match key {
        "AKIDLOCAL" => Some(credentials()),
        "AKIDLONG" => Some(Credentials::new("AKIDLONG", "local-secret", None, None)),
        _ => None,
    };
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
        .map(|(name, value)| (name, value.replace(";x-amz-security-token", "")))
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

/// Replaces the value of header `name` (lowercase) in `headers`.
fn with_header(
    mut headers: Vec<(String, String)>,
    name: &str,
    value: &str,
) -> Vec<(String, String)> {
    for (existing, old) in &mut headers {
        if existing == name {
            *old = value.to_owned();
        }
    }
    headers
}

fn authorization(headers: &[(String, String)]) -> String {
    headers
        .iter()
        .find(|(name, _)| name == "authorization")
        .map(|(_, value)| value.clone())
        .unwrap()
}

#[test]
fn a_claimed_payload_hash_must_be_the_hash_of_the_body_received() {
    let settings = SigningSettings {
        payload_checksum_header: true,
        ..SigningSettings::default()
    };
    let signed_body = br#"{"name":"a"}"#;
    let headers = signed_with(signed_body, NOW, settings, Some(credentials()));
    assert!(check(&headers, signed_body, NOW).is_ok());
    let error = check(&headers, br#"{"name":"b"}"#, NOW).unwrap_err();
    assert_eq!(error, VerifyError::PayloadMismatch);
    assert_eq!(error.code(), "InvalidSignatureException");
    let capabilities = br#"{"roomIdentifier":"r","userId":"u","capabilities":["DISCONNECT_USER"]}"#;
    assert_eq!(
        check(&headers, capabilities, NOW).unwrap_err(),
        VerifyError::PayloadMismatch
    );
}

#[test]
fn signed_headers_must_be_present_and_cover_host_date_and_token() {
    let body = b"{}";
    let headers = signed_headers(body, NOW);
    let claim = authorization(&headers);
    let absent = claim.replace("SignedHeaders=", "SignedHeaders=accept;");
    let error = check(
        &with_header(headers.clone(), "authorization", &absent),
        body,
        NOW,
    )
    .unwrap_err();
    assert_eq!(
        error,
        VerifyError::Malformed("the signed header accept is not in the request".to_owned())
    );
    let without_host = claim.replace(
        "SignedHeaders=content-type;host;",
        "SignedHeaders=content-type;",
    );
    assert_ne!(without_host, claim);
    let error = check(
        &with_header(headers.clone(), "authorization", &without_host),
        body,
        NOW,
    )
    .unwrap_err();
    assert_eq!(
        error,
        VerifyError::Malformed("SignedHeaders must include host".to_owned())
    );
    let unsorted = claim.replace("content-type;host", "host;content-type");
    let error = check(
        &with_header(headers.clone(), "authorization", &unsorted),
        body,
        NOW,
    )
    .unwrap_err();
    assert_eq!(error.code(), "IncompleteSignatureException");
    let without_token = claim.replace(";x-amz-security-token", "");
    let error = check(
        &with_header(headers, "authorization", &without_token),
        body,
        NOW,
    )
    .unwrap_err();
    assert_eq!(
        error,
        VerifyError::Malformed("SignedHeaders must include x-amz-security-token".to_owned())
    );
}

#[test]
fn the_scope_date_must_be_the_request_date() {
    let body = b"{}";
    let headers = signed_headers(body, NOW);
    let claim = authorization(&headers);
    for scope_date in ["", "2023111", "20231115"] {
        let changed = claim.replace("/20231114/", &format!("/{scope_date}/"));
        let error = check(
            &with_header(headers.clone(), "authorization", &changed),
            body,
            NOW,
        )
        .unwrap_err();
        assert_eq!(
            error.code(),
            "IncompleteSignatureException",
            "{scope_date}: {error}"
        );
    }
}

#[test]
fn a_session_token_is_refused_for_long_term_keys() {
    let body = b"{}";
    let long_term = signed_with(body, NOW, SigningSettings::default(), None);
    assert!(check(&long_term, body, NOW).is_ok());
    let token = Credentials::new("AKIDLONG", "local-secret", Some("stolen".to_owned()), None);
    let with_token = signed_with(body, NOW, SigningSettings::default(), Some(token));
    assert_eq!(
        check(&with_token, body, NOW).unwrap_err(),
        VerifyError::InvalidSessionToken
    );
    let wrong = with_header(
        signed_headers(body, NOW),
        "x-amz-security-token",
        "other-token",
    );
    assert_eq!(
        check(&wrong, body, NOW).unwrap_err(),
        VerifyError::InvalidSessionToken
    );
}

#[test]
fn a_non_ascii_date_is_malformed_not_a_panic() {
    let body = b"{}";
    for date in [
        "2023111\u{e9}T221320Z",
        "20231114T22132\u{e9}",
        "\u{1F600}\u{1F600}\u{1F600}\u{1F600}",
        "2023-11-14T22:13",
    ] {
        let headers = with_header(signed_headers(body, NOW), "x-amz-date", date);
        let error = check(&headers, body, NOW).unwrap_err();
        assert_eq!(error.code(), "IncompleteSignatureException", "{date}");
    }
}
