//! One request on one connection: the HTTP/1.1 or HTTP/2 handshake that opens a connection,
//! the request's URI in the form the connection wants and its `Host`, and a request handed
//! back when the connection closed before taking it.

use http::uri::{PathAndQuery, Uri};
use hyper::body::Incoming;

use super::describe;
use super::pool::{Body, Connection, Origin, Sender};
use super::{HttpError, HttpErrorKind};

/// Starts HTTP/2 (when TLS agreed on it) or HTTP/1.1 over `io`, the connection's own task
/// spawned on Tokio.
pub(super) async fn handshake<T>(io: T, negotiated_h2: bool) -> hyper::Result<Sender>
where
    T: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    #[cfg(feature = "h2")]
    if negotiated_h2 {
        let executor = hyper_util::rt::TokioExecutor::new();
        let (sender, connection) = hyper::client::conn::http2::handshake(executor, io).await?;
        tokio::spawn(watch(connection));
        return Ok(Sender::Http2(sender));
    }
    #[cfg(not(feature = "h2"))]
    let _ = negotiated_h2;
    let (sender, connection) = hyper::client::conn::http1::handshake(io).await?;
    tokio::spawn(watch(connection));
    Ok(Sender::Http1(sender))
}

/// Drives a connection until it closes, logging how it ended when not cleanly.
async fn watch(connection: impl std::future::Future<Output = hyper::Result<()>>) {
    if let Err(error) = connection.await {
        tracing::debug!(error = %describe(&error), "connection closed");
    }
}

/// Why a request got no response.
pub(super) enum Unsent {
    /// The connection closed before anything of the request was written: it can go on
    /// another.
    Closed(Box<http::Request<Body>>),
    /// Sending or receiving failed.
    Failed(HttpError),
}

/// Sends `request` on `connection`, its URI in the form the connection wants: origin-form
/// direct, absolute-form to a proxy or over HTTP/2. On HTTP/1.1 `Host` is set when missing,
/// and `Connection: close` when the connection is not to be kept (`close`; HTTP/2 forbids
/// the header).
pub(super) async fn send(
    connection: &mut Connection,
    mut request: http::Request<Body>,
    close: bool,
) -> Result<http::Response<Incoming>, Unsent> {
    let absolute = connection.to_proxy || connection.sender.is_http2();
    let uri = std::mem::take(request.uri_mut());
    *request.uri_mut() = addressed(uri, &connection.origin, absolute).map_err(Unsent::Failed)?;
    if !connection.sender.is_http2() {
        if let http::header::Entry::Vacant(host) = request.headers_mut().entry(http::header::HOST) {
            host.insert(host_value(&connection.origin).map_err(Unsent::Failed)?);
        }
        if close {
            let close = http::HeaderValue::from_static("close");
            request
                .headers_mut()
                .insert(http::header::CONNECTION, close);
        }
    }
    match connection.sender.send(request).await {
        Ok(response) => Ok(response),
        Err(mut error) => match error.take_message() {
            Some(unsent) => {
                let mut unsent = Box::new(unsent);
                let uri = std::mem::take(unsent.uri_mut());
                *unsent.uri_mut() =
                    addressed(uri, &connection.origin, true).map_err(Unsent::Failed)?;
                Err(Unsent::Closed(unsent))
            }
            None => Err(Unsent::Failed(HttpError::new(
                HttpErrorKind::Io,
                describe(&error.into_error()),
            ))),
        },
    }
}

/// `uri` in absolute form (scheme and authority of `origin`) or origin form (path and query
/// only, `/` when empty).
fn addressed(uri: Uri, origin: &Origin, absolute: bool) -> Result<Uri, HttpError> {
    let mut parts = uri.into_parts();
    if absolute {
        parts.scheme = Some(origin.scheme.clone());
        parts.authority = Some(origin.authority.clone());
    } else {
        parts.scheme = None;
        parts.authority = None;
    }
    if parts.path_and_query.is_none() {
        parts.path_and_query = Some(PathAndQuery::from_static("/"));
    }
    Uri::from_parts(parts).map_err(|error| {
        HttpError::new(
            HttpErrorKind::Request,
            format!(
                "cannot address the request to {}: {error}",
                origin.authority
            ),
        )
    })
}

/// The `Host` header of requests to `origin`: its host, and its port unless the scheme's own.
fn host_value(origin: &Origin) -> Result<http::HeaderValue, HttpError> {
    let host = origin.authority.host();
    let default_port = match origin.scheme.as_str() {
        "https" => 443,
        _ => 80,
    };
    let value = match origin.authority.port_u16() {
        Some(port) if port != default_port => http::HeaderValue::try_from(format!("{host}:{port}")),
        _ => http::HeaderValue::try_from(host),
    };
    value.map_err(|_| {
        HttpError::new(
            HttpErrorKind::Request,
            format!("`{host}` cannot be a Host header"),
        )
    })
}
