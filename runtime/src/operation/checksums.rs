//! The payload digests of a call: the SHA-256 its signature covers and the checksum header it
//! sends, from one read of the body; and the validation of a response's checksum header.

use bytes::Bytes;
use http::HeaderMap;

use super::{unreadable, SdkError};
use crate::checksum::{ChecksumAlgorithm, Checksummer};
use crate::ByteStream;

/// What one read of a request body gives.
pub(super) struct Digests {
    /// Hex SHA-256, for the signature.
    pub sha256: Option<String>,
    /// The checksum header's value (base64).
    pub checksum: Option<String>,
}

/// Reads the body once (a clone: it stays unread) for its SHA-256 when `sha256`, and the
/// checksum of `checksum` when given.
pub(super) async fn request_digests(
    body: &ByteStream,
    sha256: bool,
    checksum: Option<ChecksumAlgorithm>,
) -> Result<Digests, SdkError> {
    let unavailable = |error| SdkError::Construction(Box::new(error));
    let mut signing = sha256
        .then(|| Checksummer::new(ChecksumAlgorithm::Sha256))
        .transpose()
        .map_err(unavailable)?;
    let mut header = checksum
        .map(Checksummer::new)
        .transpose()
        .map_err(unavailable)?;
    if signing.is_some() || header.is_some() {
        let mut feed = |bytes: &[u8]| {
            for checksummer in [&mut signing, &mut header].into_iter().flatten() {
                checksummer.update(bytes);
            }
        };
        match body.in_memory() {
            Some(bytes) => feed(bytes),
            None => {
                let mut reading = body.clone();
                while let Some(chunk) = reading.next().await {
                    feed(&chunk.map_err(unreadable)?);
                }
            }
        }
    }
    Ok(Digests {
        sha256: signing.map(|checksummer| crate::sigv4::hex(&checksummer.finish())),
        checksum: header.map(|checksummer| crate::json::base64::encode(&checksummer.finish())),
    })
}

/// True when the input already set a checksum header (then the client computes none).
pub(super) fn has_checksum_header(headers: &HeaderMap, algorithm: ChecksumAlgorithm) -> bool {
    headers.contains_key(algorithm.header_name())
        || headers
            .keys()
            .any(|name| name.as_str().starts_with("x-amz-checksum-"))
}

/// The first of `algorithms` whose header the response carries, with the header's value;
/// composite checksums of multipart objects (`...-N`) are not of the body and are skipped.
pub(super) fn response_checksum<'a>(
    headers: &'a HeaderMap,
    algorithms: &[ChecksumAlgorithm],
) -> Option<(ChecksumAlgorithm, &'a str)> {
    algorithms.iter().find_map(|algorithm| {
        let value = headers.get(algorithm.header_name())?.to_str().ok()?;
        (!value.contains('-')).then_some((*algorithm, value))
    })
}

/// Checks a whole body against the checksum its response carries.
pub(super) fn check_whole(
    algorithm: ChecksumAlgorithm,
    expected: &str,
    body: &Bytes,
) -> Result<(), String> {
    let actual = Checksummer::header_value(algorithm, body).map_err(|error| error.to_string())?;
    mismatch(algorithm, expected, &actual).map_or(Ok(()), Err)
}

/// The body, checked as it is read: its end is an error when the checksum differs.
pub(super) fn check_streaming(
    algorithm: ChecksumAlgorithm,
    expected: String,
    body: ByteStream,
) -> Result<ByteStream, String> {
    let checksummer = Checksummer::new(algorithm).map_err(|error| error.to_string())?;
    let length = body.length();
    let checked = futures_util::stream::unfold(
        Some((body, checksummer, expected)),
        move |state| async move {
            let (mut body, mut checksummer, expected) = state?;
            match body.next().await {
                Some(Ok(chunk)) => {
                    checksummer.update(&chunk);
                    Some((Ok(chunk), Some((body, checksummer, expected))))
                }
                Some(Err(error)) => Some((Err(error), None)),
                None => {
                    let actual = crate::json::base64::encode(&checksummer.finish());
                    let error = mismatch(algorithm, &expected, &actual)?;
                    Some((
                        Err(std::io::Error::new(std::io::ErrorKind::InvalidData, error)),
                        None,
                    ))
                }
            }
        },
    );
    Ok(ByteStream::from_stream(checked, length))
}

/// The error for a checksum that differs from the one sent, or `None` when they agree.
fn mismatch(algorithm: ChecksumAlgorithm, expected: &str, actual: &str) -> Option<String> {
    (expected != actual).then(|| {
        format!(
            "the response's {} is {expected} but its body's {algorithm} is {actual}",
            algorithm.header_name()
        )
    })
}
