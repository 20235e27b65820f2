//! Checking a SigV4 `Authorization` header, as a server does (the local emulator uses this).

use std::fmt;
use std::time::Duration;

use super::canonical;
use super::key::SigningKeyCache;
use super::{SignableRequest, SigningSettings, ALGORITHM};
use crate::credentials::Credentials;
use crate::{DateTime, DateTimeFormat};

/// Who signed a request that verified, and for which scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// The access key that signed.
    pub access_key_id: String,
    /// The region of the credential scope.
    pub region: String,
    /// The service of the credential scope.
    pub service: String,
}

/// Why a request's signature was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VerifyError {
    /// No `Authorization` header.
    MissingAuthorization,
    /// The header or a required part of the request is malformed.
    Malformed(String),
    /// No credentials for this access key.
    UnknownAccessKey(String),
    /// The session token is missing or not the one issued with the key.
    InvalidSessionToken,
    /// The signature does not match the request.
    SignatureMismatch,
    /// `x-amz-content-sha256` is not the hash of the body received.
    PayloadMismatch,
    /// The request time is too far from the server's clock.
    ClockSkew {
        /// `x-amz-date` of the request.
        request_time: DateTime,
        /// The server's time.
        server_time: DateTime,
    },
    /// A presigned request's time (`X-Amz-Date` plus `X-Amz-Expires`) ran out.
    Expired {
        /// When it stopped being valid.
        expired_at: DateTime,
    },
}

impl VerifyError {
    /// The error code AWS services answer with.
    pub fn code(&self) -> &'static str {
        match self {
            VerifyError::MissingAuthorization => "MissingAuthenticationTokenException",
            VerifyError::Malformed(_) => "IncompleteSignatureException",
            VerifyError::UnknownAccessKey(_) | VerifyError::InvalidSessionToken => {
                "UnrecognizedClientException"
            }
            VerifyError::SignatureMismatch
            | VerifyError::PayloadMismatch
            | VerifyError::ClockSkew { .. }
            | VerifyError::Expired { .. } => "InvalidSignatureException",
        }
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::MissingAuthorization => f.write_str("Missing Authentication Token"),
            VerifyError::Malformed(reason) => write!(f, "Malformed SigV4 authorization: {reason}"),
            VerifyError::UnknownAccessKey(key) => {
                write!(f, "The security token included in the request is invalid (unknown access key {key})")
            }
            VerifyError::InvalidSessionToken => {
                f.write_str("The security token included in the request is invalid")
            }
            VerifyError::SignatureMismatch => f.write_str(
                "The request signature we calculated does not match the signature you provided",
            ),
            VerifyError::PayloadMismatch => f.write_str(
                "The provided 'x-amz-content-sha256' header does not match what was computed",
            ),
            VerifyError::ClockSkew {
                request_time,
                server_time,
            } => write!(
                f,
                "Signature expired: {request_time} is too far from the server time {server_time}"
            ),
            VerifyError::Expired { expired_at } => {
                write!(
                    f,
                    "Signature expired: the presigned request expired at {expired_at}"
                )
            }
        }
    }
}

impl std::error::Error for VerifyError {}

pub(super) struct Authorization<'a> {
    pub(super) access_key_id: &'a str,
    pub(super) date: &'a str,
    pub(super) region: &'a str,
    pub(super) service: &'a str,
    pub(super) signed_headers: Vec<&'a str>,
    pub(super) signature: &'a str,
}

pub(super) fn parse_authorization(value: &str) -> Result<Authorization<'_>, VerifyError> {
    let malformed = |reason: &str| VerifyError::Malformed(reason.to_owned());
    let rest = value
        .strip_prefix(ALGORITHM)
        .ok_or_else(|| malformed("the algorithm must be AWS4-HMAC-SHA256"))?;
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',').map(str::trim) {
        match part.split_once('=') {
            Some(("Credential", value)) => credential = Some(value),
            Some(("SignedHeaders", value)) => signed_headers = Some(value),
            Some(("Signature", value)) => signature = Some(value),
            _ => {
                return Err(malformed(
                    "expected Credential=, SignedHeaders= and Signature=",
                ))
            }
        }
    }
    let credential = credential.ok_or_else(|| malformed("Credential= is missing"))?;
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key_id, date, region, service, "aws4_request"] = scope.as_slice() else {
        return Err(malformed(
            "Credential= must be KEY/DATE/REGION/SERVICE/aws4_request",
        ));
    };
    if [access_key_id, region, service]
        .iter()
        .any(|part| part.is_empty())
    {
        return Err(malformed(
            "Credential= has an empty access key, region or service",
        ));
    }
    if date.len() != 8 || !date.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(malformed("the credential scope date must be YYYYMMDD"));
    }
    Ok(Authorization {
        access_key_id,
        date,
        region,
        service,
        signed_headers: signed_headers
            .ok_or_else(|| malformed("SignedHeaders= is missing"))?
            .split(';')
            .collect(),
        signature: signature.ok_or_else(|| malformed("Signature= is missing"))?,
    })
}

pub(super) fn header<'a>(request: &'a SignableRequest, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .find(|(candidate, _)| candidate.eq_ignore_ascii_case(name))
        .map(|(_, value)| *value)
}

/// `YYYYMMDDTHHMMSSZ` as a time; anything else (non-digits, non-ASCII text) is `None`.
pub(super) fn parse_amz_date(text: &str) -> Option<DateTime> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 16
        && bytes[8] == b'T'
        && bytes[15] == b'Z'
        && bytes[..8]
            .iter()
            .chain(&bytes[9..15])
            .all(u8::is_ascii_digit);
    if !shaped {
        return None;
    }
    let rfc3339 = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &text[0..4],
        &text[4..6],
        &text[6..8],
        &text[9..11],
        &text[11..13],
        &text[13..15]
    );
    DateTime::parse(&rfc3339, DateTimeFormat::DateTime).ok()
}

/// Checks that `SignedHeaders=` is a sorted, lowercase list without repeats, that every name
/// in it is a header of the request, and that it covers `host` and `x-amz-date` (and
/// `x-amz-security-token` when one is sent). Returns the headers it covers.
pub(super) fn covered_headers<'a>(
    request: &SignableRequest<'a>,
    claimed: &[&str],
    mut required: Vec<&'static str>,
) -> Result<Vec<canonical::CanonicalHeader<'a>>, VerifyError> {
    let malformed = |reason: String| Err(VerifyError::Malformed(reason));
    if claimed.windows(2).any(|pair| pair[0] >= pair[1])
        || claimed
            .iter()
            .any(|name| name.is_empty() || name.bytes().any(|b| b.is_ascii_uppercase()))
    {
        return malformed("SignedHeaders must be lowercase names, sorted, each once".to_owned());
    }
    let covered = canonical::named_headers(request, claimed);
    if let Some(absent) = claimed
        .iter()
        .find(|name| !covered.iter().any(|(present, _)| present == *name))
    {
        return malformed(format!("the signed header {absent} is not in the request"));
    }
    if header(request, "x-amz-security-token").is_some() {
        required.push("x-amz-security-token");
    }
    if let Some(missing) = required.iter().find(|name| !claimed.contains(name)) {
        return malformed(format!("SignedHeaders must include {missing}"));
    }
    Ok(covered)
}

/// The payload hash the signature must cover: the SHA-256 of the body actually received. An
/// `x-amz-content-sha256` header that says otherwise is refused, never trusted.
fn received_payload_hash<'a>(
    request: &SignableRequest<'a>,
) -> Result<std::borrow::Cow<'a, str>, VerifyError> {
    let actual = canonical::payload_hash(&request.body);
    match header(request, "x-amz-content-sha256") {
        Some(claimed) if !constant_time_eq(claimed.as_bytes(), actual.as_bytes()) => {
            Err(VerifyError::PayloadMismatch)
        }
        _ => Ok(actual),
    }
}

/// Checks the session token: required and equal for temporary credentials, refused for
/// long-term ones.
pub(super) fn check_session_token(
    sent: Option<&str>,
    credentials: &Credentials,
) -> Result<(), VerifyError> {
    match (credentials.session_token(), sent) {
        (None, None) => Ok(()),
        (Some(expected), Some(sent)) if constant_time_eq(sent.as_bytes(), expected.as_bytes()) => {
            Ok(())
        }
        _ => Err(VerifyError::InvalidSessionToken),
    }
}

pub(super) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Verifies a header-signed request for a service other than S3: the scope, the clock (within
/// `allowed_skew` of `now`), the access key and session token (from `lookup`), the headers the
/// signature covers, the hash of the body received and the signature. Give the body as
/// [`SignableBody::Bytes`](super::SignableBody::Bytes) so that its hash is computed here.
pub fn verify(
    request: &SignableRequest,
    lookup: impl Fn(&str) -> Option<Credentials>,
    now: DateTime,
    allowed_skew: Duration,
) -> Result<Verified, VerifyError> {
    let authorization =
        header(request, "authorization").ok_or(VerifyError::MissingAuthorization)?;
    let authorization = parse_authorization(authorization)?;
    let amz_date = header(request, "x-amz-date")
        .ok_or_else(|| VerifyError::Malformed("x-amz-date is missing".to_owned()))?;
    let request_time = parse_amz_date(amz_date).ok_or_else(|| {
        VerifyError::Malformed(format!("x-amz-date `{amz_date}` is not YYYYMMDDTHHMMSSZ"))
    })?;
    if amz_date.get(..8) != Some(authorization.date) {
        return Err(VerifyError::Malformed(
            "the credential date is not the date of x-amz-date".to_owned(),
        ));
    }
    if request_time.secs().abs_diff(now.secs()) > allowed_skew.as_secs() {
        return Err(VerifyError::ClockSkew {
            request_time,
            server_time: now,
        });
    }
    let headers = covered_headers(
        request,
        &authorization.signed_headers,
        vec!["host", "x-amz-date"],
    )?;
    let credentials = lookup(authorization.access_key_id)
        .ok_or_else(|| VerifyError::UnknownAccessKey(authorization.access_key_id.to_owned()))?;
    check_session_token(header(request, "x-amz-security-token"), &credentials)?;
    let payload_hash = received_payload_hash(request)?;
    let signed_names = canonical::signed_header_names(&headers);
    let canonical_request = canonical::canonical_request_of(
        request,
        &SigningSettings::default(),
        &[],
        &headers,
        &signed_names,
        &payload_hash,
    );
    check_signature(&authorization, &credentials, amz_date, &canonical_request)
}

/// Compares the signature `authorization` claims with the one `credentials` make of
/// `canonical_request` at `amz_date` in its scope.
pub(super) fn check_signature(
    authorization: &Authorization,
    credentials: &Credentials,
    amz_date: &str,
    canonical_request: &str,
) -> Result<Verified, VerifyError> {
    let scope = format!(
        "{}/{}/{}/aws4_request",
        authorization.date, authorization.region, authorization.service
    );
    let string_to_sign =
        canonical::string_to_sign(super::ALGORITHM, amz_date, &scope, canonical_request);
    let expected = SigningKeyCache::default().sign(
        credentials,
        authorization.date,
        authorization.region,
        authorization.service,
        &string_to_sign,
    );
    if !constant_time_eq(expected.as_bytes(), authorization.signature.as_bytes()) {
        return Err(VerifyError::SignatureMismatch);
    }
    Ok(Verified {
        access_key_id: authorization.access_key_id.to_owned(),
        region: authorization.region.to_owned(),
        service: authorization.service.to_owned(),
    })
}
