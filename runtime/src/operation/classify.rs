//! Which failures are worth retrying, and the error code of an AWS JSON error response.

use crate::transport::{HttpErrorKind, HttpResponse};

/// Error codes AWS services use for throttling.
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes of transient service faults.
const TRANSIENT_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException", "InternalError"];

/// Why an attempt may be retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryKind {
    /// The service asked us to slow down.
    Throttling,
    /// A fault that may not happen again (5xx, connection trouble).
    Transient,
    /// The attempt timed out.
    Timeout,
}

/// The error code of an error response: the awsQuery code of `x-amzn-query-error` (which
/// `awsQueryCompatible` services send, as `Code;Fault`), else `X-Amzn-ErrorType`, else the
/// JSON body's `code` or `__type`, else the XML body's first `<Code>` element (awsQuery,
/// ec2Query and restXml errors), with `:...` suffixes and `namespace#` prefixes removed.
pub fn error_code(response: &HttpResponse) -> Option<String> {
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
    };
    let query_code = header("x-amzn-query-error")
        .and_then(|value| value.split(';').next())
        .map(str::trim)
        .filter(|code| !code.is_empty());
    if let Some(code) = query_code {
        return Some(code.to_owned());
    }
    let from_header = header("x-amzn-errortype").map(str::to_owned);
    let raw = from_header.or_else(|| {
        let body = response.body();
        if body.trim_ascii_start().starts_with(b"<") {
            return xml_code(body);
        }
        let body: serde_json::Value = if is_cbor(response) {
            cbor_body(body)?
        } else {
            serde_json::from_slice(body).ok()?
        };
        ["code", "__type"].iter().find_map(|field| {
            body.get(field)
                .and_then(|value| value.as_str())
                .map(str::to_owned)
        })
    })?;
    let without_suffix = raw.split(':').next().unwrap_or(&raw);
    let code = without_suffix
        .rsplit('#')
        .next()
        .unwrap_or(without_suffix)
        .trim();
    (!code.is_empty()).then(|| code.to_owned())
}

/// True for an RPC v2 CBOR response (by its `smithy-protocol` or content type).
fn is_cbor(response: &HttpResponse) -> bool {
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
    };
    header("smithy-protocol") == Some("rpc-v2-cbor")
        || header("content-type").is_some_and(|value| value.starts_with("application/cbor"))
}

/// A CBOR error body in the JSON data model (`None` without the `cbor` feature).
fn cbor_body(body: &[u8]) -> Option<serde_json::Value> {
    #[cfg(feature = "cbor")]
    return crate::cbor::read::parse(body).ok();
    #[cfg(not(feature = "cbor"))]
    {
        let _ = body;
        None
    }
}

/// The text of the first `<Code>` element of an XML body (enough to classify and dispatch an
/// error; the error's members are read by the protocol's reader).
fn xml_code(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let start = text.find("<Code>")? + "<Code>".len();
    let length = text[start..].find("</Code>")?;
    Some(text[start..start + length].trim().to_owned())
}

/// The retry kind of a response, `None` when it is a success or not retryable (e.g. a 4xx
/// validation error).
pub fn classify_response(response: &HttpResponse) -> Option<RetryKind> {
    let status = response.status().as_u16();
    if status < 400 {
        return None;
    }
    if let Some(code) = error_code(response) {
        if THROTTLING_CODES.contains(&code.as_str()) {
            return Some(RetryKind::Throttling);
        }
        if TRANSIENT_CODES.contains(&code.as_str()) {
            return Some(RetryKind::Transient);
        }
    }
    match status {
        429 => Some(RetryKind::Throttling),
        500 | 502 | 503 | 504 => Some(RetryKind::Transient),
        _ => None,
    }
}

/// The retry kind of a transport failure. A connection that could not be made is retried: the
/// request never left. A failure after the request may have reached the service (the connection
/// broke while sending or receiving, a response cut off) is retried only for an `idempotent`
/// operation, so that a CreateRoom is never carried out twice.
pub fn classify_transport(kind: HttpErrorKind, idempotent: bool) -> Option<RetryKind> {
    match kind {
        HttpErrorKind::Connect => Some(RetryKind::Transient),
        HttpErrorKind::Io => idempotent.then_some(RetryKind::Transient),
        HttpErrorKind::Request | HttpErrorKind::BodyTooLarge => None,
    }
}

/// `response`, its status made 500 when it is a success whose body is an XML `<Error>`
/// document (S3's copy and multipart-completion answers): the error is then read and retried
/// as the fault it is.
pub(crate) fn error_in_success(mut response: HttpResponse) -> HttpResponse {
    if response.status().is_success() && is_xml_error(response.body()) {
        *response.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
    }
    response
}

/// True when the body's root element is `<Error>` (after white space and an XML declaration).
fn is_xml_error(body: &[u8]) -> bool {
    let text = body.trim_ascii_start();
    let text = match text.strip_prefix(b"<?xml") {
        Some(rest) => match rest.windows(2).position(|pair| pair == b"?>") {
            Some(end) => rest[end + 2..].trim_ascii_start(),
            None => return false,
        },
        None => text,
    };
    text.starts_with(b"<Error>") || text.starts_with(b"<Error ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, header: Option<&str>, body: &str) -> HttpResponse {
        let mut builder = http::Response::builder().status(status);
        if let Some(header) = header {
            builder = builder.header("x-amzn-errortype", header);
        }
        builder.body(bytes::Bytes::from(body.to_owned())).unwrap()
    }

    #[test]
    fn error_codes_are_sanitised() {
        let header = response(
            400,
            Some("ValidationException:http://internal.amazon.com/"),
            "",
        );
        assert_eq!(error_code(&header).as_deref(), Some("ValidationException"));
        let body = response(
            400,
            None,
            r#"{"__type": "com.amazonaws.ivschat#ConflictException"}"#,
        );
        assert_eq!(error_code(&body).as_deref(), Some("ConflictException"));
        assert_eq!(error_code(&response(500, None, "not json")), None);
        let xml = "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code></Error></ErrorResponse>";
        assert_eq!(
            error_code(&response(400, None, xml)).as_deref(),
            Some("Throttling")
        );
        assert_eq!(error_code(&response(400, None, "<Error><Code>")), None);
    }

    #[test]
    fn the_query_error_header_names_the_awsquery_code() {
        let body = r#"{"__type": "aws.protocoltests.json10#CustomCodeError"}"#;
        let with = |value: &str| {
            let response = http::Response::builder()
                .status(400)
                .header("x-amzn-query-error", value)
                .body(bytes::Bytes::from(body))
                .unwrap();
            error_code(&response)
        };
        assert_eq!(with("Customized;Sender").as_deref(), Some("Customized"));
        assert_eq!(
            with("AWS.SimpleQueueService.NonExistentQueue;Sender").as_deref(),
            Some("AWS.SimpleQueueService.NonExistentQueue")
        );
        assert_eq!(with(";Sender").as_deref(), Some("CustomCodeError"));
    }

    #[test]
    fn classification_follows_standard_mode() {
        assert_eq!(
            classify_response(&response(503, None, "")),
            Some(RetryKind::Transient)
        );
        assert_eq!(
            classify_response(&response(400, Some("ThrottlingException"), "")),
            Some(RetryKind::Throttling)
        );
        assert_eq!(
            classify_response(&response(400, Some("ValidationException"), "")),
            None
        );
        assert_eq!(classify_response(&response(200, None, "")), None);
    }

    #[test]
    fn failures_after_sending_are_retried_only_when_idempotent() {
        let transient = Some(RetryKind::Transient);
        assert_eq!(classify_transport(HttpErrorKind::Connect, false), transient);
        assert_eq!(classify_transport(HttpErrorKind::Io, true), transient);
        assert_eq!(classify_transport(HttpErrorKind::Io, false), None);
        assert_eq!(classify_transport(HttpErrorKind::BodyTooLarge, true), None);
    }

    #[test]
    fn a_success_holding_an_error_document_becomes_a_500() {
        let answer = |status: u16, body: &'static str| {
            http::Response::builder()
                .status(status)
                .body(bytes::Bytes::from_static(body.as_bytes()))
                .expect("a response")
        };
        let error =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code></Error>";
        assert_eq!(super::error_in_success(answer(200, error)).status(), 500);
        assert_eq!(
            super::error_in_success(answer(200, "  <Error><Code>SlowDown</Code></Error>")).status(),
            500
        );
        let result = "<?xml version=\"1.0\"?><CopyObjectResult><ETag>e</ETag></CopyObjectResult>";
        assert_eq!(super::error_in_success(answer(200, result)).status(), 200);
        assert_eq!(super::error_in_success(answer(200, "")).status(), 200);
        assert_eq!(
            super::error_in_success(answer(200, "<?xml unterminated")).status(),
            200
        );
        assert_eq!(super::error_in_success(answer(404, error)).status(), 404);
    }
}
