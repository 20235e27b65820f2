//! AWS Signature Version 4: header signing, query-string presigning and verification, on
//! RustCrypto `hmac` and `sha2`.

mod canonical;
mod encode;
mod key;
#[cfg(feature = "sigv4a")]
pub mod v4a;
mod verify;
mod verify_query;

use std::fmt;
use std::time::Duration;

pub use canonical::{is_normalized_path, EMPTY_SHA256};
pub use encode::{hex, percent_decode, sha256_hex, uri_encode};
pub use key::SigningKeyCache;
pub use verify::{verify, Verified, VerifyError};
pub use verify_query::{is_presigned, verify_presigned};

use crate::credentials::Credentials;
use crate::DateTime;

/// The algorithm name in headers, query parameters and strings to sign.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// A request as the signer sees it: the parts that go into the signature.
#[derive(Clone, Debug)]
pub struct SignableRequest<'a> {
    /// HTTP method.
    pub method: &'a str,
    /// The path as sent on the wire (percent-encoded).
    pub path: &'a str,
    /// The query string as sent, without `?`.
    pub query: &'a str,
    /// Header names and values as sent.
    pub headers: Vec<(&'a str, &'a str)>,
    /// The body, or its hash.
    pub body: SignableBody<'a>,
}

/// The payload, as far as the signature is concerned.
#[derive(Clone, Debug)]
pub enum SignableBody<'a> {
    /// The body bytes, hashed by the signer.
    Bytes(&'a [u8]),
    /// A hex sha256 computed elsewhere.
    Precomputed(&'a str),
    /// `UNSIGNED-PAYLOAD`.
    Unsigned,
}

/// How the canonical URI is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathEncoding {
    /// The wire path is encoded once more (every AWS service but S3).
    Double,
    /// The wire path is used as it is (S3).
    Single,
}

/// Where the session token goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionTokenMode {
    /// Part of the signature.
    Signed,
    /// Added after signing, outside the signature (some services require this).
    AddedAfterSigning,
}

/// Which signature: SigV4 (HMAC, one region) or SigV4a (ECDSA P-256, a region set).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Algorithm {
    /// `AWS4-HMAC-SHA256`.
    #[default]
    V4,
    /// `AWS4-ECDSA-P256-SHA256`: [`SigningParams::region`] is the region set (e.g. `*`).
    V4a,
}

impl Algorithm {
    /// The name in headers, query parameters and strings to sign.
    pub const fn name(self) -> &'static str {
        match self {
            Self::V4 => ALGORITHM,
            Self::V4a => "AWS4-ECDSA-P256-SHA256",
        }
    }
}

/// Signing choices; [`SigningSettings::default`] is what AWS services other than S3 expect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SigningSettings {
    /// Canonical URI encoding.
    pub path_encoding: PathEncoding,
    /// Remove `.`/`..` and empty segments from the path first.
    pub normalize_path: bool,
    /// Send and sign `x-amz-content-sha256`.
    pub payload_checksum_header: bool,
    /// Where the session token goes.
    pub session_token: SessionTokenMode,
    /// SigV4 or SigV4a.
    pub algorithm: Algorithm,
}

impl Default for SigningSettings {
    fn default() -> Self {
        Self {
            path_encoding: PathEncoding::Double,
            normalize_path: true,
            payload_checksum_header: false,
            session_token: SessionTokenMode::Signed,
            algorithm: Algorithm::V4,
        }
    }
}

/// Who signs, for which scope, when.
#[derive(Clone, Debug)]
pub struct SigningParams<'a> {
    /// The credentials.
    pub credentials: &'a Credentials,
    /// Signing region, e.g. `us-west-2`.
    pub region: &'a str,
    /// Signing name of the service, e.g. `ivschat`.
    pub service: &'a str,
    /// Signing time.
    pub time: DateTime,
    /// Signing choices.
    pub settings: SigningSettings,
}

/// The result of signing: what to add to the request, and the intermediate texts (for tests
/// and debugging). `Debug` redacts the session token wherever it appears and the signature.
#[derive(Clone, PartialEq, Eq)]
pub struct Signature {
    /// Headers (header signing, lowercase names) or query parameters (presigning) to add to
    /// the request.
    pub additions: Vec<(&'static str, String)>,
    /// The hex signature.
    pub signature: String,
    /// The canonical request that was signed.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let token = self
            .additions
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("x-amz-security-token"))
            .map(|(_, value)| value.as_str());
        let redact = |text: &str| match token {
            Some(token) if !token.is_empty() => text.replace(token, crate::REDACTED),
            _ => text.to_owned(),
        };
        let additions: Vec<(&str, String)> = self
            .additions
            .iter()
            .map(|(name, value)| {
                (
                    *name,
                    redact(&value.replace(&self.signature, crate::REDACTED)),
                )
            })
            .collect();
        f.debug_struct("Signature")
            .field("additions", &additions)
            .field("signature", &crate::REDACTED)
            .field("canonical_request", &redact(&self.canonical_request))
            .field("string_to_sign", &self.string_to_sign)
            .finish()
    }
}

/// `20150830T123600Z` for a signing time; its first 8 characters are the scope's date.
pub(crate) fn amz_date(time: DateTime) -> String {
    let ((year, month, day), [hour, minute, second]) = time.civil();
    let mut out = String::with_capacity(16);
    match year {
        0..=9999 => push_digits(&mut out, year as u32, 4),
        // Outside four digits (never a signing time in practice): as many digits as it takes.
        _ => out.push_str(&format!("{year:04}")),
    }
    push_digits(&mut out, month, 2);
    push_digits(&mut out, day, 2);
    out.push('T');
    for part in [hour, minute, second] {
        push_digits(&mut out, part as u32, 2);
    }
    out.push('Z');
    out
}

/// Appends `value` as `width` decimal digits (zero-padded; `value` fits in them).
fn push_digits(out: &mut String, value: u32, width: u32) {
    for power in (0..width).rev() {
        let digit = value / 10u32.pow(power) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// The scope's date: an `amz_date` without its `THHMMSSZ`.
fn scope_date(amz_date: &str) -> &str {
    amz_date.get(..amz_date.len() - 8).unwrap_or(amz_date)
}

/// The credential scope: SigV4a's names no region (the region set is a signed header).
fn scope(date: &str, params: &SigningParams) -> String {
    let mut out = String::with_capacity(scope_length(date, params));
    push_scope(&mut out, date, params);
    out
}

/// The length of the credential scope, at most (the region's part is left out by SigV4a).
fn scope_length(date: &str, params: &SigningParams) -> usize {
    date.len() + params.region.len() + params.service.len() + 16
}

/// Appends the credential scope (see [`scope`]) to `out`.
fn push_scope(out: &mut String, date: &str, params: &SigningParams) {
    out.push_str(date);
    out.push('/');
    if params.settings.algorithm == Algorithm::V4 {
        out.push_str(params.region);
        out.push('/');
    }
    out.push_str(params.service);
    out.push_str("/aws4_request");
}

/// The string to sign over `canonical_request` and where the credential scope sits in it
/// (the `Authorization` header names it too; one text serves both).
fn signing_string(
    algorithm: &str,
    amz_date: &str,
    params: &SigningParams,
    canonical_request: &str,
) -> (String, std::ops::Range<usize>) {
    let date = scope_date(amz_date);
    canonical::string_to_sign_with(
        algorithm,
        amz_date,
        scope_length(date, params),
        |out| push_scope(out, date, params),
        canonical_request,
    )
}

/// The signature of a string to sign, by the settings' algorithm.
fn signature_of(
    params: &SigningParams,
    keys: &SigningKeyCache,
    date: &str,
    string_to_sign: &str,
) -> String {
    match params.settings.algorithm {
        Algorithm::V4 => keys.sign(
            params.credentials,
            date,
            params.region,
            params.service,
            string_to_sign,
        ),
        Algorithm::V4a => v4a_signature(params, string_to_sign),
    }
}

#[cfg(feature = "sigv4a")]
fn v4a_signature(params: &SigningParams, string_to_sign: &str) -> String {
    v4a::sign(&v4a::signing_key(params.credentials), string_to_sign)
}

#[cfg(not(feature = "sigv4a"))]
fn v4a_signature(_: &SigningParams, _: &str) -> String {
    panic!("SigV4a signing needs the `sigv4a` feature of ivschat-runtime")
}

/// Signs with an `Authorization` header (SigV4a needs the `sigv4a` feature: without it,
/// asking for it panics; the call loop checks first and fails the call instead). Returns the
/// headers to add: `x-amz-date`,
/// `x-amz-security-token` and `x-amz-content-sha256` when they apply, and `authorization`.
pub fn sign_headers(
    request: &SignableRequest,
    params: &SigningParams,
    keys: &SigningKeyCache,
) -> Signature {
    let amz_date = amz_date(params.time);
    let payload_hash = canonical::payload_hash(&request.body);
    let (extra, count) = signer_headers(params, &amz_date, &payload_hash);
    let signed_extra = &extra[..count];
    let headers = canonical::canonical_headers(request, signed_extra);
    let signed_names = canonical::signed_header_names(&headers);
    let canonical_request = canonical::canonical_request_of(
        request,
        &params.settings,
        &[],
        &headers,
        &signed_names,
        &payload_hash,
    );
    let algorithm = params.settings.algorithm.name();
    let (string_to_sign, scope) = signing_string(algorithm, &amz_date, params, &canonical_request);
    let signature = signature_of(params, keys, scope_date(&amz_date), &string_to_sign);
    let authorization = authorization(
        algorithm,
        params,
        &string_to_sign[scope],
        &signed_names,
        &signature,
    );
    let mut additions: Vec<(&'static str, String)> = Vec::with_capacity(count + 2);
    // `x-amz-date` takes the date text itself once nothing borrows it any more.
    additions.push(("x-amz-date", String::new()));
    additions.extend(
        signed_extra[1..]
            .iter()
            .map(|(name, value)| (*name, (*value).to_owned())),
    );
    additions[0].1 = amz_date;
    if let (Some(token), SessionTokenMode::AddedAfterSigning) = (
        params.credentials.session_token(),
        params.settings.session_token,
    ) {
        additions.push(("x-amz-security-token", token.to_owned()));
    }
    additions.push(("authorization", authorization));
    Signature {
        additions,
        signature,
        canonical_request,
        string_to_sign,
    }
}

/// The signer's own signed headers, `x-amz-date` first, and how many of the four apply (kept
/// on the stack).
fn signer_headers<'a>(
    params: &SigningParams<'a>,
    amz_date: &'a str,
    payload_hash: &'a str,
) -> ([(&'static str, &'a str); 4], usize) {
    let token = params.credentials.session_token();
    let signs_token = params.settings.session_token == SessionTokenMode::Signed;
    let mut extra = [("", ""); 4];
    let mut count = 0;
    for (name, value, applies) in [
        ("x-amz-date", amz_date, true),
        (
            "x-amz-region-set",
            params.region,
            params.settings.algorithm == Algorithm::V4a,
        ),
        (
            "x-amz-content-sha256",
            payload_hash,
            params.settings.payload_checksum_header,
        ),
        (
            "x-amz-security-token",
            token.unwrap_or(""),
            token.is_some() && signs_token,
        ),
    ] {
        if applies {
            extra[count] = (name, value);
            count += 1;
        }
    }
    (extra, count)
}

/// The `Authorization` header's value.
fn authorization(
    algorithm: &str,
    params: &SigningParams,
    scope: &str,
    signed_names: &str,
    signature: &str,
) -> String {
    let access_key_id = params.credentials.access_key_id();
    let parts = [
        algorithm,
        " Credential=",
        access_key_id,
        "/",
        scope,
        ", SignedHeaders=",
        signed_names,
        ", Signature=",
        signature,
    ];
    let mut out = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// Presigns in the query string, valid for `expires_in`. Returns the query parameters to add.
pub fn presign_query(
    request: &SignableRequest,
    params: &SigningParams,
    keys: &SigningKeyCache,
    expires_in: Duration,
) -> Signature {
    let amz_date = amz_date(params.time);
    let date = scope_date(&amz_date);
    let payload_hash = canonical::payload_hash(&request.body);
    let headers = canonical::canonical_headers(request, &[]);
    let signed_names = canonical::signed_header_names(&headers);
    let scope = scope(date, params);
    let token = params.credentials.session_token();
    let algorithm = params.settings.algorithm.name();
    let mut signed_parameters = vec![
        ("X-Amz-Algorithm", algorithm.to_owned()),
        (
            "X-Amz-Credential",
            format!("{}/{scope}", params.credentials.access_key_id()),
        ),
        ("X-Amz-Date", amz_date.clone()),
        ("X-Amz-Expires", expires_in.as_secs().to_string()),
        ("X-Amz-SignedHeaders", signed_names.clone()),
    ];
    if params.settings.algorithm == Algorithm::V4a {
        signed_parameters.push(("X-Amz-Region-Set", params.region.to_owned()));
    }
    if let (Some(token), SessionTokenMode::Signed) = (token, params.settings.session_token) {
        signed_parameters.push(("X-Amz-Security-Token", token.to_owned()));
    }
    let canonical_request = canonical::canonical_request_of(
        request,
        &params.settings,
        &signed_parameters,
        &headers,
        &signed_names,
        &payload_hash,
    );
    let string_to_sign =
        canonical::string_to_sign(algorithm, &amz_date, &scope, &canonical_request);
    let signature = signature_of(params, keys, date, &string_to_sign);
    let mut additions = signed_parameters;
    if let (Some(token), SessionTokenMode::AddedAfterSigning) =
        (token, params.settings.session_token)
    {
        additions.push(("X-Amz-Security-Token", token.to_owned()));
    }
    additions.push(("X-Amz-Signature", signature.clone()));
    Signature {
        additions,
        signature,
        canonical_request,
        string_to_sign,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amz_dates_have_four_digit_years_and_a_scope_date() {
        let text = amz_date(DateTime::from_secs(1_440_938_160));
        assert_eq!(text, "20150830T123600Z");
        assert_eq!(scope_date(&text), "20150830");
        assert_eq!(
            amz_date(DateTime::from_secs(-62_135_596_800)),
            "00010101T000000Z"
        );
        let far = amz_date(DateTime::from_secs(253_402_300_800));
        assert_eq!(far, "100000101T000000Z");
        assert_eq!(scope_date(&far), "100000101");
    }
}
