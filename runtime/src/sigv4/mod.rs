//! AWS Signature Version 4: header signing, query-string presigning and verification, on
//! RustCrypto `hmac` and `sha2`.

mod canonical;
mod encode;
mod key;
#[cfg(feature = "sigv4a")]
pub mod v4a;
mod verify;

use std::fmt;
use std::time::Duration;

pub use canonical::EMPTY_SHA256;
pub use encode::{hex, percent_decode, sha256_hex, uri_encode};
pub use key::SigningKeyCache;
pub use verify::{verify, Verified, VerifyError};

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
    /// Headers (header signing) or query parameters (presigning) to add to the request.
    pub additions: Vec<(String, String)>,
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
                    name.as_str(),
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

/// `20150830T123600Z` and `20150830` for a signing time.
pub(crate) fn amz_date(time: DateTime) -> (String, String) {
    let text = DateTime::from_secs(time.secs()).fmt(crate::DateTimeFormat::DateTime);
    let compact: String = text.chars().filter(|c| *c != '-' && *c != ':').collect();
    let date = compact[..8].to_owned();
    (compact, date)
}

/// The credential scope: SigV4a's names no region (the region set is a signed header).
fn scope(date: &str, params: &SigningParams) -> String {
    match params.settings.algorithm {
        Algorithm::V4 => format!("{date}/{}/{}/aws4_request", params.region, params.service),
        Algorithm::V4a => format!("{date}/{}/aws4_request", params.service),
    }
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
    let (amz_date, date) = amz_date(params.time);
    let payload_hash = canonical::payload_hash(&request.body);
    let token = params.credentials.session_token();
    let mut signed_extra: Vec<(&str, String)> = vec![("x-amz-date", amz_date.clone())];
    if params.settings.algorithm == Algorithm::V4a {
        signed_extra.push(("x-amz-region-set", params.region.to_owned()));
    }
    if params.settings.payload_checksum_header {
        signed_extra.push(("x-amz-content-sha256", payload_hash.clone()));
    }
    if let (Some(token), SessionTokenMode::Signed) = (token, params.settings.session_token) {
        signed_extra.push(("x-amz-security-token", token.to_owned()));
    }
    let headers = canonical::canonical_headers(request, &signed_extra);
    let path = canonical::canonical_path(
        request.path,
        params.settings.normalize_path,
        params.settings.path_encoding,
    );
    let query = canonical::canonical_query(request.query, &[]);
    let canonical_request =
        canonical::canonical_request(request.method, &path, &query, &headers, &payload_hash);
    let scope = scope(&date, params);
    let algorithm = params.settings.algorithm.name();
    let string_to_sign =
        canonical::string_to_sign(algorithm, &amz_date, &scope, &canonical_request);
    let signature = signature_of(params, keys, &date, &string_to_sign);
    let mut additions: Vec<(String, String)> = signed_extra
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect();
    if let (Some(token), SessionTokenMode::AddedAfterSigning) =
        (token, params.settings.session_token)
    {
        additions.push(("x-amz-security-token".to_owned(), token.to_owned()));
    }
    additions.push((
        "authorization".to_owned(),
        format!(
            "{algorithm} Credential={}/{scope}, SignedHeaders={}, Signature={signature}",
            params.credentials.access_key_id(),
            canonical::signed_header_names(&headers)
        ),
    ));
    Signature {
        additions,
        signature,
        canonical_request,
        string_to_sign,
    }
}

/// Presigns in the query string, valid for `expires_in`. Returns the query parameters to add.
pub fn presign_query(
    request: &SignableRequest,
    params: &SigningParams,
    keys: &SigningKeyCache,
    expires_in: Duration,
) -> Signature {
    let (amz_date, date) = amz_date(params.time);
    let payload_hash = canonical::payload_hash(&request.body);
    let headers = canonical::canonical_headers(request, &[]);
    let scope = scope(&date, params);
    let token = params.credentials.session_token();
    let algorithm = params.settings.algorithm.name();
    let mut signed_parameters = vec![
        ("X-Amz-Algorithm".to_owned(), algorithm.to_owned()),
        (
            "X-Amz-Credential".to_owned(),
            format!("{}/{scope}", params.credentials.access_key_id()),
        ),
        ("X-Amz-Date".to_owned(), amz_date.clone()),
        ("X-Amz-Expires".to_owned(), expires_in.as_secs().to_string()),
        (
            "X-Amz-SignedHeaders".to_owned(),
            canonical::signed_header_names(&headers),
        ),
    ];
    if params.settings.algorithm == Algorithm::V4a {
        signed_parameters.push(("X-Amz-Region-Set".to_owned(), params.region.to_owned()));
    }
    if let (Some(token), SessionTokenMode::Signed) = (token, params.settings.session_token) {
        signed_parameters.push(("X-Amz-Security-Token".to_owned(), token.to_owned()));
    }
    let path = canonical::canonical_path(
        request.path,
        params.settings.normalize_path,
        params.settings.path_encoding,
    );
    let query = canonical::canonical_query(request.query, &signed_parameters);
    let canonical_request =
        canonical::canonical_request(request.method, &path, &query, &headers, &payload_hash);
    let string_to_sign =
        canonical::string_to_sign(algorithm, &amz_date, &scope, &canonical_request);
    let signature = signature_of(params, keys, &date, &string_to_sign);
    let mut additions = signed_parameters;
    if let (Some(token), SessionTokenMode::AddedAfterSigning) =
        (token, params.settings.session_token)
    {
        additions.push(("X-Amz-Security-Token".to_owned(), token.to_owned()));
    }
    additions.push(("X-Amz-Signature".to_owned(), signature.clone()));
    Signature {
        additions,
        signature,
        canonical_request,
        string_to_sign,
    }
}
