//! The default transport: hyper 1's connections (`hyper::client::conn`) in a pool of our own
//! (`pool.rs`: keep-alive, idle expiry, HTTP/2 shared), hyper-util's connector with our proxy
//! layer, and rustls on the ring provider, trusting the Mozilla roots compiled in by
//! `webpki-roots` (the same on every machine, no system store to read;
//! [`HyperClient::with_tls`] takes other trust). With the `h2` feature (turned on by generated
//! crates with bidirectional event streams) it offers HTTP/2 too, by ALPN, and uses it where
//! the server agrees.

use std::sync::Arc;
use std::time::Duration;

use futures_util::stream::{StreamExt, TryStreamExt};
use http::Uri;
use http_body_util::{Either, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::connect::{Connection as _, HttpConnector};
use tower_service::Service;

use super::pool::{Body, Connection, Origin, Pool, PooledBody};
use super::proxy::{ProxyConnector, ProxySettings};
use super::sending::{handshake, send, Unsent};
use super::{
    describe, HttpClient, HttpError, HttpErrorKind, HttpRequest, HttpResponse, StreamingRequest,
    StreamingResponse,
};
use crate::credentials::BoxFuture;
use crate::ByteStream;

/// Transport settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpSettings {
    /// Limit on establishing a connection (TCP and TLS).
    pub connect_timeout: Duration,
    /// Open a new connection for every request instead of reusing idle ones.
    pub close_connection: bool,
    /// How long a connection may stay unused in the pool before it is closed.
    pub pool_idle_timeout: Duration,
    /// The proxies requests go through.
    pub proxy: ProxySettings,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_millis(3100),
            close_connection: false,
            pool_idle_timeout: Duration::from_secs(90),
            proxy: ProxySettings::default(),
        }
    }
}

/// The default [`HttpClient`]: keep-alive pool, HTTPS through rustls, plain HTTP for local
/// endpoints such as the emulator.
#[derive(Clone, Debug)]
pub struct HyperClient {
    connector: HttpsConnector<ProxyConnector>,
    proxies: ProxyConnector,
    pool: Arc<Pool>,
    connect_timeout: Duration,
    close_connection: bool,
}

/// The TLS settings of every connection this project makes: rustls on the ring provider (on
/// aws-lc-rs with the `aws-lc-rs` feature), the safe default protocol versions, the roots of
/// the trust store (Mozilla's, and the platform's with
/// `native-roots`), no client certificate.
pub fn tls_client_config() -> rustls::ClientConfig {
    tls_client_config_with(&[])
}

/// [`tls_client_config`] trusting `extra` certificates too (a CA bundle).
pub fn tls_client_config_with(
    extra: &[rustls::pki_types::CertificateDer<'static>],
) -> rustls::ClientConfig {
    tls_client_config_trusting(super::trust::root_store(extra))
}

/// [`tls_client_config`] trusting `extra` trust anchors too (a CA bundle's, made as it was
/// read).
pub(crate) fn tls_client_config_with_anchors(
    extra: Vec<rustls::pki_types::TrustAnchor<'static>>,
) -> rustls::ClientConfig {
    tls_client_config_trusting(super::trust::root_store_with(extra))
}

/// The TLS settings of [`tls_client_config`] over the roots of `roots`.
fn tls_client_config_trusting(roots: rustls::RootCertStore) -> rustls::ClientConfig {
    rustls::ClientConfig::builder_with_provider(crypto_provider().into())
        .with_safe_default_protocol_versions()
        .expect("the crypto provider supports the default protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth()
}

/// The crypto provider the `aws-lc-rs` feature chooses: aws-lc-rs, whose key exchange
/// offers X25519MLKEM768 (post-quantum) first.
#[cfg(feature = "aws-lc-rs")]
pub fn crypto_provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::aws_lc_rs::default_provider()
}

/// The default crypto provider: ring, which builds with no more than a C compiler.
#[cfg(not(feature = "aws-lc-rs"))]
#[allow(
    deprecated,
    reason = "rustls 0.23.48 deprecates ring's provider for lacking post-quantum key exchange; ring stays the default (it builds without cmake or a C toolchain beyond cc), and the `aws-lc-rs` feature, which has it, is the option"
)]
pub fn crypto_provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::ring::default_provider()
}

impl HyperClient {
    /// A client with the given settings. Needs a Tokio runtime when sending.
    pub fn new(settings: HttpSettings) -> Self {
        Self::with_tls(settings, tls_client_config())
    }

    /// A client with the given settings and TLS configuration (e.g. other trusted roots);
    /// the protocols it offers by ALPN are set here.
    pub fn with_tls(settings: HttpSettings, tls: rustls::ClientConfig) -> Self {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(Some(settings.connect_timeout));
        http.set_nodelay(true);
        let proxies = ProxyConnector::new(http, &settings.proxy);
        let http = proxies.clone();
        let connector = HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http();
        #[cfg(feature = "h2")]
        let connector = connector.enable_all_versions().wrap_connector(http);
        #[cfg(not(feature = "h2"))]
        let connector = connector.enable_http1().wrap_connector(http);
        Self {
            connector,
            proxies,
            pool: Arc::new(Pool::new(
                !settings.close_connection,
                settings.pool_idle_timeout,
            )),
            connect_timeout: settings.connect_timeout,
            close_connection: settings.close_connection,
        }
    }
}

impl Default for HyperClient {
    fn default() -> Self {
        Self::new(HttpSettings::default())
    }
}

impl HyperClient {
    /// Sends `request` on a pooled connection to its origin, or on a new one when the pool has
    /// none or every pooled one closed before taking the request.
    async fn dispatch(
        &self,
        mut request: http::Request<Body>,
    ) -> Result<(http::Response<Incoming>, Connection), HttpError> {
        while let Some(mut connection) = self.pool.checkout(request.uri()) {
            if connection.sender.ready().await.is_err() {
                continue;
            }
            match send(&mut connection, request, self.close_connection).await {
                Ok(response) => return Ok((response, connection)),
                Err(Unsent::Closed(unsent)) => request = *unsent,
                Err(Unsent::Failed(error)) => return Err(error),
            }
        }
        // Boxed: opening a connection is rare and its future large, kept out of every request's.
        let mut connection = Box::pin(self.connect(request.uri())).await?;
        match send(&mut connection, request, self.close_connection).await {
            Ok(response) => Ok((response, connection)),
            Err(Unsent::Failed(error)) => Err(error),
            Err(Unsent::Closed(_)) => Err(HttpError::new(
                HttpErrorKind::Connect,
                "the new connection closed before taking the request",
            )),
        }
    }

    /// Opens a connection to the origin of `uri` (through its proxy, if any), with the
    /// HTTP version TLS agreed on, within the connect timeout.
    async fn connect(&self, uri: &Uri) -> Result<Connection, HttpError> {
        let origin = Origin::of(uri).ok_or_else(|| not_absolute(uri))?;
        let mut connector = self.connector.clone();
        let connecting = async {
            std::future::poll_fn(|cx| connector.poll_ready(cx)).await?;
            let io = connector.call(uri.clone()).await?;
            let connected = io.connected();
            let sender = handshake(io, connected.is_negotiated_h2()).await?;
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>((sender, connected.is_proxied()))
        };
        let (mut sender, to_proxy) = tokio::time::timeout(self.connect_timeout, connecting)
            .await
            .map_err(|_| {
                HttpError::new(
                    HttpErrorKind::Connect,
                    format!("no connection within {:?}", self.connect_timeout),
                )
            })?
            .map_err(|error| HttpError::new(HttpErrorKind::Connect, describe(&*error)))?;
        sender
            .ready()
            .await
            .map_err(|error| HttpError::new(HttpErrorKind::Connect, describe(&error)))?;
        let connection = Connection::new(origin, sender, to_proxy);
        self.pool.share(&connection);
        Ok(connection)
    }
}

/// The error of a request whose URI names no scheme or host.
fn not_absolute(uri: &Uri) -> HttpError {
    HttpError::new(
        HttpErrorKind::Request,
        format!("`{uri}` is not an absolute URI (scheme and host)"),
    )
}

impl HttpClient for HyperClient {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        Box::pin(async move {
            let response = self.send_streaming(request.map(ByteStream::from)).await?;
            let (parts, body) = response.into_parts();
            let body = body
                .collect()
                .await
                .map_err(|error| HttpError::new(HttpErrorKind::Io, error.to_string()))?;
            Ok(http::Response::from_parts(parts, body))
        })
    }

    fn send_streaming(
        &self,
        request: StreamingRequest,
    ) -> BoxFuture<'_, Result<StreamingResponse, HttpError>> {
        Box::pin(async move {
            let (mut parts, body) = request.into_parts();
            if parts.uri.scheme().is_none() || parts.uri.authority().is_none() {
                return Err(not_absolute(&parts.uri));
            }
            if let Some(authorization) = self.proxies.proxy_authorization(&parts.uri) {
                parts
                    .headers
                    .insert(http::header::PROXY_AUTHORIZATION, authorization);
            }
            let body = match body.in_memory() {
                Some(bytes) => Either::Left(Full::new(bytes.clone())),
                None => Either::Right(StreamBody::new(body.map_ok(Frame::data).boxed())),
            };
            let (response, connection) = self
                .dispatch(http::Request::from_parts(parts, body))
                .await?;
            let length = response
                .headers()
                .get(http::header::CONTENT_LENGTH)
                .and_then(|value| value.to_str().ok()?.parse().ok());
            Ok(response.map(|incoming| {
                let body = PooledBody::new(incoming, self.pool.clone(), connection);
                ByteStream::from_stream(body, length)
            }))
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_crypto_provider_is_the_one_the_features_choose() {
        let config = super::tls_client_config();
        let groups: Vec<rustls::NamedGroup> = config
            .crypto_provider()
            .kx_groups
            .iter()
            .map(|group| group.name())
            .collect();
        let post_quantum = rustls::NamedGroup::X25519MLKEM768;
        if cfg!(feature = "aws-lc-rs") {
            assert_eq!(groups.first(), Some(&post_quantum), "{groups:?}");
        } else {
            assert!(!groups.contains(&post_quantum), "{groups:?}");
        }
    }
}
