//! The presigned-request verifier (`sigv4::verify_presigned`, the emulator's) against the
//! signer's own query signatures and hostile variants of them.

use std::time::Duration;

use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::sigv4::{
    is_presigned, presign_query, uri_encode, verify_presigned, SignableBody, SignableRequest,
    SigningKeyCache, SigningParams, SigningSettings, VerifyError,
};
use ivschat_runtime::DateTime;

const NOW: i64 = 1_800_000_000;
const SKEW: Duration = Duration::from_secs(300);

fn credentials() -> Credentials {
    Credentials::new("AKIDEXAMPLE", "secret", None, None)
}

/// The query of a GET of `/rooms` presigned at `NOW` for `expires` seconds.
fn presigned_query(expires: u64) -> String {
    let credentials = credentials();
    let request = SignableRequest {
        method: "GET",
        path: "/rooms",
        query: "a=1",
        headers: vec![("host", "example.com")],
        body: SignableBody::Bytes(b""),
    };
    let params = SigningParams {
        credentials: &credentials,
        region: "us-west-2",
        service: "ivschat",
        time: DateTime::from_secs(NOW),
        settings: SigningSettings::default(),
    };
    let signature = presign_query(
        &request,
        &params,
        &SigningKeyCache::default(),
        Duration::from_secs(expires),
    );
    let mut query = "a=1".to_owned();
    for (name, value) in signature.additions {
        query.push_str(&format!("&{name}={}", uri_encode(&value, false)));
    }
    query
}

fn verify_at(query: &str, now: i64) -> Result<(), VerifyError> {
    let request = SignableRequest {
        method: "GET",
        path: "/rooms",
        query,
        headers: vec![("host", "example.com")],
        body: SignableBody::Bytes(b""),
    };
    assert!(is_presigned(&request));
    verify_presigned(
        &request,
        |_| Some(credentials()),
        DateTime::from_secs(now),
        SKEW,
    )
    .map(|_| ())
}

#[test]
fn a_presigned_request_verifies_within_its_time_only() {
    let query = presigned_query(600);
    assert_eq!(verify_at(&query, NOW), Ok(()));
    assert_eq!(verify_at(&query, NOW + 600), Ok(()));
    assert!(matches!(
        verify_at(&query, NOW + 601),
        Err(VerifyError::Expired { .. })
    ));
    // Signed in the future (beyond the allowed skew).
    assert!(matches!(
        verify_at(&query, NOW - 301),
        Err(VerifyError::ClockSkew { .. })
    ));
}

#[test]
fn changed_or_malformed_parameters_are_refused() {
    let query = presigned_query(600);
    let cases = [
        (query.replace("a=1", "a=2"), "SignatureMismatch"),
        (
            query.replace("X-Amz-Expires=600", "X-Amz-Expires=60"),
            "SignatureMismatch",
        ),
        (
            query.replace("X-Amz-Expires=600", "X-Amz-Expires=604801"),
            "Malformed",
        ),
        (
            query.replace("X-Amz-Expires=600", "X-Amz-Expires=-1"),
            "Malformed",
        ),
        (format!("{query}&X-Amz-Date=20270115T080000Z"), "Malformed"),
        (
            query.replace(
                "X-Amz-Algorithm=AWS4-HMAC-SHA256",
                "X-Amz-Algorithm=AWS4-HMAC-SHA1",
            ),
            "Malformed",
        ),
        (
            query.replace(
                "X-Amz-SignedHeaders=host",
                "X-Amz-SignedHeaders=host%3Bx-missing",
            ),
            "Malformed",
        ),
    ];
    for (changed, expected) in cases {
        let error = verify_at(&changed, NOW).expect_err(&changed);
        assert!(
            format!("{error:?}").starts_with(expected),
            "{changed}: {error:?}"
        );
    }
    let without_credential: String = query
        .split('&')
        .filter(|pair| !pair.starts_with("X-Amz-Credential="))
        .collect::<Vec<_>>()
        .join("&");
    assert!(matches!(
        verify_at(&without_credential, NOW),
        Err(VerifyError::Malformed(_))
    ));
}
