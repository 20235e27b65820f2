//! Checking a presigned request (SigV4 in the query string), as a server does: the same
//! scope, key, header and signature checks as an `Authorization` header, and a validity that
//! runs from `X-Amz-Date` for `X-Amz-Expires` seconds (at most 7 days).

use std::time::Duration;

use super::canonical;
use super::verify::{
    check_session_token, check_signature, covered_headers, parse_amz_date, parse_authorization,
    Verified, VerifyError,
};
use super::{percent_decode, SignableRequest, SigningSettings, ALGORITHM};
use crate::credentials::Credentials;
use crate::DateTime;

/// The longest validity a presigned request may claim, in seconds (7 days).
const MAX_EXPIRES_SECS: u64 = 7 * 24 * 60 * 60;

/// True when the request carries its signature in the query string.
pub fn is_presigned(request: &SignableRequest) -> bool {
    request
        .query
        .split('&')
        .any(|pair| pair.split('=').next() == Some("X-Amz-Signature"))
}

/// The `X-Amz-*` parameters of the query, decoded; a repeated one is refused.
fn signing_parameters(query: &str) -> Result<Vec<(String, String)>, VerifyError> {
    let mut found: Vec<(String, String)> = Vec::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = percent_decode(name);
        if !name.starts_with("X-Amz-") {
            continue;
        }
        if found.iter().any(|(seen, _)| *seen == name) {
            return Err(VerifyError::Malformed(format!("{name} is given twice")));
        }
        found.push((name, percent_decode(value)));
    }
    Ok(found)
}

/// Verifies a presigned request for a service other than S3 (the body's hash signed): the
/// algorithm, the scope, the validity (from `X-Amz-Date`, within `allowed_skew` of `now`, until
/// `X-Amz-Expires` runs out), the access key and session token (from `lookup`), the headers
/// the signature covers (`host` at least) and the signature over the query without it.
pub fn verify_presigned(
    request: &SignableRequest,
    lookup: impl Fn(&str) -> Option<Credentials>,
    now: DateTime,
    allowed_skew: Duration,
) -> Result<Verified, VerifyError> {
    let parameters = signing_parameters(request.query)?;
    let get = |name: &str| {
        parameters
            .iter()
            .find(|(candidate, _)| candidate == name)
            .map(|(_, value)| value.as_str())
            .ok_or_else(|| VerifyError::Malformed(format!("{name} is missing")))
    };
    if get("X-Amz-Algorithm")? != ALGORITHM {
        return Err(VerifyError::Malformed(
            "X-Amz-Algorithm must be AWS4-HMAC-SHA256".to_owned(),
        ));
    }
    let header_form = format!(
        "{ALGORITHM} Credential={}, SignedHeaders={}, Signature={}",
        get("X-Amz-Credential")?,
        get("X-Amz-SignedHeaders")?,
        get("X-Amz-Signature")?
    );
    let authorization = parse_authorization(&header_form)?;
    let amz_date = get("X-Amz-Date")?;
    check_validity(
        amz_date,
        authorization.date,
        get("X-Amz-Expires")?,
        now,
        allowed_skew,
    )?;
    let headers = covered_headers(request, &authorization.signed_headers, vec!["host"])?;
    let credentials = lookup(authorization.access_key_id)
        .ok_or_else(|| VerifyError::UnknownAccessKey(authorization.access_key_id.to_owned()))?;
    let token = parameters
        .iter()
        .find(|(name, _)| name == "X-Amz-Security-Token")
        .map(|(_, value)| value.as_str());
    check_session_token(token, &credentials)?;
    let canonical_request = canonical_without_signature(request, &headers);
    check_signature(&authorization, &credentials, amz_date, &canonical_request)
}

/// Checks the validity of a presigned request at `now`: `X-Amz-Date` (`amz_date`) well formed,
/// on the credential's date, not ahead of `now` by more than `allowed_skew`, and not past
/// `X-Amz-Expires` (`expires`, at most 7 days).
fn check_validity(
    amz_date: &str,
    credential_date: &str,
    expires: &str,
    now: DateTime,
    allowed_skew: Duration,
) -> Result<(), VerifyError> {
    let request_time = parse_amz_date(amz_date).ok_or_else(|| {
        VerifyError::Malformed(format!("X-Amz-Date `{amz_date}` is not YYYYMMDDTHHMMSSZ"))
    })?;
    if amz_date.get(..8) != Some(credential_date) {
        return Err(VerifyError::Malformed(
            "the credential date is not the date of X-Amz-Date".to_owned(),
        ));
    }
    let expires = expires
        .parse::<u64>()
        .ok()
        .filter(|seconds| (1..=MAX_EXPIRES_SECS).contains(seconds))
        .ok_or_else(|| {
            VerifyError::Malformed("X-Amz-Expires must be 1 to 604800 seconds".to_owned())
        })?;
    if request_time.secs() > now.secs().saturating_add_unsigned(allowed_skew.as_secs()) {
        return Err(VerifyError::ClockSkew {
            request_time,
            server_time: now,
        });
    }
    let expired_at = DateTime::from_secs(request_time.secs().saturating_add_unsigned(expires));
    if now.secs() > expired_at.secs() {
        return Err(VerifyError::Expired { expired_at });
    }
    Ok(())
}

/// The canonical request the signature covers: the request with its query without
/// `X-Amz-Signature`, its body's hash signed.
fn canonical_without_signature(
    request: &SignableRequest,
    headers: &[(std::borrow::Cow<'_, str>, std::borrow::Cow<'_, str>)],
) -> String {
    let unsigned_query: Vec<&str> = request
        .query
        .split('&')
        .filter(|pair| pair.split('=').next() != Some("X-Amz-Signature"))
        .collect();
    let unsigned_query = unsigned_query.join("&");
    let signed = SignableRequest {
        query: &unsigned_query,
        ..request.clone()
    };
    let payload_hash = canonical::payload_hash(&request.body);
    let signed_names = canonical::signed_header_names(headers);
    canonical::canonical_request_of(
        &signed,
        &SigningSettings::default(),
        &[],
        headers,
        &signed_names,
        &payload_hash,
    )
}
