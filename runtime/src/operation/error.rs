use std::fmt;
use std::time::Duration;

use crate::credentials::CredentialsError;
use crate::transport::{HttpError, HttpErrorKind, HttpResponse, RedactedResponse};

/// Which time limit ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeoutScope {
    /// One attempt (retried while attempts and retry quota remain).
    Attempt,
    /// The whole operation.
    Operation,
}

/// Everything that can go wrong in a call besides an error the service models. `Debug` shows
/// a kept response's status, header names and size, never its body.
#[non_exhaustive]
pub enum SdkError {
    /// The request could not be built or broke a constraint of the model.
    Construction(Box<dyn std::error::Error + Send + Sync>),
    /// No usable credentials.
    Credentials(CredentialsError),
    /// No endpoint could be determined.
    Endpoint(String),
    /// A time limit ran out.
    Timeout {
        /// Which limit.
        scope: TimeoutScope,
        /// Its length.
        after: Duration,
    },
    /// The request could not be sent or the response not received.
    Dispatch(HttpError),
    /// The operation uses a feature this client's generator does not support (e.g. event
    /// streams); nothing was sent.
    Unsupported {
        /// The operation.
        operation: &'static str,
        /// The feature.
        feature: &'static str,
    },
    /// A response arrived but could not be understood; it is kept whole.
    Response {
        /// What could not be understood.
        message: String,
        /// The response as received.
        raw: Box<HttpResponse>,
    },
}

impl fmt::Debug for SdkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Construction(error) => f.debug_tuple("Construction").field(error).finish(),
            SdkError::Credentials(error) => f.debug_tuple("Credentials").field(error).finish(),
            SdkError::Endpoint(message) => f.debug_tuple("Endpoint").field(message).finish(),
            SdkError::Timeout { scope, after } => f
                .debug_struct("Timeout")
                .field("scope", scope)
                .field("after", after)
                .finish(),
            SdkError::Dispatch(error) => f.debug_tuple("Dispatch").field(error).finish(),
            SdkError::Unsupported { operation, feature } => f
                .debug_struct("Unsupported")
                .field("operation", operation)
                .field("feature", feature)
                .finish(),
            SdkError::Response { message, raw } => f
                .debug_struct("Response")
                .field("message", message)
                .field("raw", &RedactedResponse(raw))
                .finish(),
        }
    }
}

impl fmt::Display for SdkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Construction(error) => write!(f, "the request is invalid: {error}; fix the input"),
            SdkError::Credentials(error) => write!(f, "{error}"),
            SdkError::Endpoint(message) => write!(f, "no endpoint: {message}"),
            SdkError::Unsupported { operation, feature } => write!(
                f,
                "{operation} uses {feature}, which is not supported by this generator; nothing was sent"
            ),
            SdkError::Timeout { scope: TimeoutScope::Attempt, after } => write!(
                f,
                "every attempt timed out after {after:?}; raise the attempt timeout or check the network"
            ),
            SdkError::Timeout { scope: TimeoutScope::Operation, after } => write!(
                f,
                "the operation timed out after {after:?}; raise the operation timeout or check the network"
            ),
            SdkError::Dispatch(error) => match error.kind() {
                HttpErrorKind::Connect => write!(
                    f,
                    "could not connect: {}; nothing was sent: check the endpoint and the network",
                    error.message()
                ),
                HttpErrorKind::Io => write!(
                    f,
                    "the connection broke: {}; the request may have reached the service, so \
                     whether it was carried out is unknown",
                    error.message()
                ),
                HttpErrorKind::Request => {
                    write!(f, "the request could not be sent: {}", error.message())
                }
                HttpErrorKind::BodyTooLarge => {
                    write!(f, "the response was not read: {}", error.message())
                }
            },
            SdkError::Response { message, raw } => write!(
                f,
                "the response (HTTP {}) could not be read: {message}",
                raw.status().as_u16()
            ),
        }
    }
}

/// The cause is part of the message (a sentence that says what failed, why and what to do),
/// so `source()` is `None`: a report that walks the chain prints it once. Match the variant to
/// reach the cause as a value.
impl std::error::Error for SdkError {}

#[cfg(test)]
mod chain_tests {
    use super::*;

    /// The messages a report walking `source()` prints, as anyhow's `{:#}` does.
    fn report(error: &dyn std::error::Error) -> Vec<String> {
        let mut messages = vec![error.to_string()];
        let mut next = error.source();
        while let Some(cause) = next {
            messages.push(cause.to_string());
            next = cause.source();
        }
        messages
    }

    #[test]
    fn a_chain_report_prints_each_cause_once() {
        let error = SdkError::Credentials(crate::credentials::CredentialsError::Invalid(
            "profile `dev` is missing aws_secret_access_key".to_owned(),
        ));
        let messages = report(&error);
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].contains("missing aws_secret_access_key"));
    }
}
