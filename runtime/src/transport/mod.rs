//! HTTP transport: a small [`HttpClient`] trait (bring your own), the default client on hyper
//! with rustls, and a replaying client for tests.

mod hyper_client;
mod limited;
mod pool;
mod proxy;
mod replay;
mod sending;
mod trust;

use std::fmt;

use bytes::Bytes;

pub(crate) use hyper_client::tls_client_config_with_anchors;
pub use hyper_client::{
    crypto_provider, tls_client_config, tls_client_config_with, HttpSettings, HyperClient,
};
pub use limited::{collect_limited, send_limited};
pub use proxy::ProxySettings;
pub use replay::{ReplayClient, ReplayEvent};
pub use trust::read_ca_bundle;
pub(crate) use trust::read_ca_bundle_anchors;

use crate::credentials::BoxFuture;
use crate::ByteStream;

/// A request with its whole body.
pub type HttpRequest = http::Request<Bytes>;
/// A response with its whole body.
pub type HttpResponse = http::Response<Bytes>;
/// A request whose body may stream.
pub type StreamingRequest = http::Request<ByteStream>;
/// A response whose body is read as it arrives.
pub type StreamingResponse = http::Response<ByteStream>;

/// A response as `Debug` shows it where an error holds one: status, header names and the body's
/// size, never the header values or the body (they can hold chat tokens or credentials).
pub struct RedactedResponse<'a>(pub &'a HttpResponse);

impl fmt::Debug for RedactedResponse<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.0.headers().keys().map(|name| name.as_str()).collect();
        f.debug_struct("Response")
            .field("status", &self.0.status().as_u16())
            .field("headers", &names)
            .field("body_bytes", &self.0.body().len())
            .finish_non_exhaustive()
    }
}

/// What kind of transport failure happened; decides whether a retry may help.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HttpErrorKind {
    /// The connection could not be made.
    Connect,
    /// The connection failed while sending or receiving.
    Io,
    /// The request itself was unusable (bad URI, ...).
    Request,
    /// The response body is larger than the client reads
    /// ([`Config::response_body_limit`](crate::config::Config::response_body_limit)).
    BodyTooLarge,
}

/// A transport failure: no response was received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpError {
    kind: HttpErrorKind,
    message: String,
}

impl HttpError {
    /// A failure of the given kind.
    pub fn new(kind: HttpErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// The kind of failure.
    pub fn kind(&self) -> HttpErrorKind {
        self.kind
    }

    /// What failed, without the kind's words.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            HttpErrorKind::Connect => "cannot connect",
            HttpErrorKind::Io => "connection failed",
            HttpErrorKind::Request => "invalid request",
            HttpErrorKind::BodyTooLarge => "response too large",
        };
        write!(f, "{kind}: {}", self.message)
    }
}

impl std::error::Error for HttpError {}

/// The error and its causes, outermost first.
fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// Sends one request and returns the response. Implement it to use another HTTP stack:
/// `send` is enough; implement `send_streaming` too to stream bodies instead of buffering them.
pub trait HttpClient: Send + Sync + fmt::Debug {
    /// Sends the request and returns the whole response.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, HttpError>>;

    /// Sends a request whose body may stream and returns the response before its body is read.
    /// The default reads the request body into memory, calls [`send`](Self::send), and hands
    /// back the whole response body.
    fn send_streaming(
        &self,
        request: StreamingRequest,
    ) -> BoxFuture<'_, Result<StreamingResponse, HttpError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = body.collect().await.map_err(|error| {
                HttpError::new(
                    HttpErrorKind::Request,
                    format!("cannot read the request body: {error}"),
                )
            })?;
            let response = self.send(http::Request::from_parts(parts, body)).await?;
            Ok(response.map(ByteStream::from))
        })
    }
}
