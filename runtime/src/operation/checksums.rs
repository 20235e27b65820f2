//! The payload checksums of a call: which checksum the request sends, the digests of one read of
//! its body (the SHA-256 its signature covers, the checksum header), and the validation of a
//! success's checksum header.

use bytes::Bytes;
use http::HeaderMap;

use super::{unreadable, OperationRequest, Received, SdkError};
use crate::checksum::{ChecksumAlgorithm, ChecksumWhen, Checksummer};
use crate::config::Config;
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

/// The checksum the request sends, if any: none when the input set a checksum header itself;
/// a default one (for an operation that only supports checksums) only when `default_allowed`
/// and the configuration says `when_supported`.
pub(super) fn request_checksum(
    request: &OperationRequest,
    config: &Config,
    default_allowed: bool,
) -> Option<ChecksumAlgorithm> {
    let when_supported = config.request_checksum_calculation == ChecksumWhen::WhenSupported;
    request
        .checksums?
        .request(default_allowed && when_supported)
        .filter(|algorithm| !has_checksum_header(&request.headers, *algorithm))
}

/// Names `algorithm` in the input's algorithm header when the input left it unset (a checksum
/// sent by default), so that the service knows which one the request carries.
pub(super) fn name_default_algorithm(
    request: &mut OperationRequest,
    algorithm: Option<ChecksumAlgorithm>,
) {
    let header = request
        .checksums
        .and_then(|checksums| checksums.algorithm_header);
    if let (Some(algorithm), Some(header)) = (algorithm, header) {
        if algorithm != ChecksumAlgorithm::Md5 && !request.headers.contains_key(header) {
            request.headers.insert(
                http::HeaderName::from_static(header),
                http::HeaderValue::from_static(algorithm.name()),
            );
        }
    }
}

/// The response checksums a call validates a success with (none when it validates none).
pub(super) fn validated_algorithms(
    request: &OperationRequest,
    config: &Config,
) -> &'static [ChecksumAlgorithm] {
    let when_supported = config.response_checksum_validation == ChecksumWhen::WhenSupported;
    request
        .checksums
        .filter(|checksums| checksums.validates_response(when_supported))
        .map_or(&[], |checksums| checksums.response_algorithms)
}

/// True when the input already set a checksum header (then the client computes none).
fn has_checksum_header(headers: &HeaderMap, algorithm: ChecksumAlgorithm) -> bool {
    headers.contains_key(algorithm.header_name())
        || headers
            .keys()
            .any(|name| name.as_str().starts_with("x-amz-checksum-"))
}

/// Checks a success against the first of `algorithms` whose checksum header it carries; a
/// streaming body is checked as it is read.
pub(super) fn check_response(
    algorithms: &[ChecksumAlgorithm],
    received: Received,
) -> Result<Received, SdkError> {
    let headers = match &received {
        Received::Whole(response) if response.status().is_success() => response.headers(),
        Received::Streaming(response) => response.headers(),
        Received::Whole(_) => return Ok(received),
    };
    let Some((algorithm, expected)) = response_checksum(headers, algorithms) else {
        return Ok(received);
    };
    let expected = expected.to_owned();
    tracing::debug!(%algorithm, "validating the response checksum");
    match received {
        Received::Whole(response) => match check_whole(algorithm, &expected, response.body()) {
            Ok(()) => Ok(Received::Whole(response)),
            Err(message) => Err(SdkError::Response {
                message,
                raw: Box::new(response),
            }),
        },
        Received::Streaming(response) => {
            let (parts, body) = response.into_parts();
            let checked = check_streaming(algorithm, expected, body)
                .map_err(|message| SdkError::Construction(message.into()))?;
            Ok(Received::Streaming(http::Response::from_parts(
                parts, checked,
            )))
        }
    }
}

/// The first of `algorithms` whose header the response carries, with the header's value;
/// composite checksums of multipart objects (`...-N`) are not of the body and are skipped.
fn response_checksum<'a>(
    headers: &'a HeaderMap,
    algorithms: &[ChecksumAlgorithm],
) -> Option<(ChecksumAlgorithm, &'a str)> {
    algorithms.iter().find_map(|algorithm| {
        let value = headers.get(algorithm.header_name())?.to_str().ok()?;
        (!value.contains('-')).then_some((*algorithm, value))
    })
}

/// Checks a whole body against the checksum its response carries.
fn check_whole(algorithm: ChecksumAlgorithm, expected: &str, body: &Bytes) -> Result<(), String> {
    let actual = Checksummer::header_value(algorithm, body).map_err(|error| error.to_string())?;
    mismatch(algorithm, expected, &actual).map_or(Ok(()), Err)
}

/// The body, checked as it is read: its end is an error when the checksum differs.
fn check_streaming(
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
