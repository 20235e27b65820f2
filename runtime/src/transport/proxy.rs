//! Proxies: which requests go through one (the curl conventions of `ALL_PROXY`, `HTTPS_PROXY`,
//! `HTTP_PROXY` and `NO_PROXY`, in either case, or set in code), and the connector that reaches
//! a destination directly, through a CONNECT tunnel (https, with Basic auth from the proxy URL),
//! or by sending the request to the proxy itself (plain http). Matching and tunnelling are
//! hyper-util's (`client-proxy`).

use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::Uri;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tower_service::Service;

use crate::env::Env;

/// The proxies of a client, as URLs (`http://[user:password@]host:port`) and a `NO_PROXY`
/// list (domains and their subdomains, IPs, CIDRs, `*`). `Debug` hides credentials.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ProxySettings {
    /// The proxy of every destination (`ALL_PROXY`).
    pub all: Option<String>,
    /// The proxy of `http://` destinations (`HTTP_PROXY`).
    pub http: Option<String>,
    /// The proxy of `https://` destinations (`HTTPS_PROXY`).
    pub https: Option<String>,
    /// The destinations reached directly (`NO_PROXY`).
    pub no_proxy: Option<String>,
}

impl ProxySettings {
    /// The settings of the environment: each variable in upper or lower case (upper first),
    /// empty values unset; `HTTP_PROXY` in upper case is ignored when `REQUEST_METHOD` is set
    /// (a CGI request could set it: "httpoxy"), as curl does.
    pub fn from_env(env: &Env) -> Self {
        let first = |names: &[&str]| {
            names
                .iter()
                .find_map(|name| env.get(name).filter(|value| !value.trim().is_empty()))
        };
        let cgi = env.get("REQUEST_METHOD").is_some();
        let http = if cgi {
            first(&["http_proxy"])
        } else {
            first(&["HTTP_PROXY", "http_proxy"])
        };
        Self {
            all: first(&["ALL_PROXY", "all_proxy"]),
            http,
            https: first(&["HTTPS_PROXY", "https_proxy"]),
            no_proxy: first(&["NO_PROXY", "no_proxy"]),
        }
    }

    /// Checks each proxy URL: `http://[user:password@]host[:port]` (a bare `host:port` is
    /// http, as in curl); other schemes (https or SOCKS proxies) are not supported. The error
    /// names the setting (`HTTPS_PROXY`, ...).
    pub fn check(&self) -> Result<(), String> {
        let urls = [
            ("ALL_PROXY", &self.all),
            ("HTTP_PROXY", &self.http),
            ("HTTPS_PROXY", &self.https),
        ];
        for (name, url) in urls {
            let Some(url) = url else { continue };
            let with_scheme = if url.contains("://") {
                url.clone()
            } else {
                format!("http://{url}")
            };
            let shown = without_credentials(url);
            let uri: Uri = with_scheme
                .parse()
                .map_err(|_| format!("{name}: `{shown}` is not a proxy URL"))?;
            if uri.scheme_str() != Some("http") || uri.host().is_none() {
                return Err(format!(
                    "{name}: `{shown}` is not supported: give an http:// proxy (https and SOCKS proxies are not supported)"
                ));
            }
        }
        Ok(())
    }

    /// True when no proxy is set.
    pub fn is_empty(&self) -> bool {
        self.all.is_none() && self.http.is_none() && self.https.is_none()
    }

    /// A TCP connection to `host:port` for a client that speaks its own protocol over it (the
    /// chat WebSocket; `secure` for TLS destinations): through a CONNECT tunnel when a proxy
    /// takes the destination (link-local ones never), else direct.
    pub async fn connect(&self, host: &str, port: u16, secure: bool) -> io::Result<TcpStream> {
        let scheme = if secure { "https" } else { "http" };
        let destination: Uri = format!("{scheme}://{host}:{port}")
            .parse()
            .map_err(|_| io::Error::other(format!("`{host}:{port}` is not a destination")))?;
        let matcher = self.matcher();
        let intercept = match link_local(&destination) {
            true => None,
            false => matcher.intercept(&destination),
        };
        let Some(intercept) = intercept else {
            return TcpStream::connect((host, port)).await;
        };
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        let mut tunnel = Tunnel::new(intercept.uri().clone(), http);
        if let Some(auth) = intercept.basic_auth() {
            tunnel = tunnel.with_auth(auth.clone());
        }
        let io = tunnel.call(destination).await.map_err(|error| {
            io::Error::other(format!("the proxy did not open a tunnel: {error}"))
        })?;
        Ok(io.into_inner())
    }

    /// The matcher of these settings.
    pub(crate) fn matcher(&self) -> Matcher {
        let mut builder = Matcher::builder();
        if let Some(all) = &self.all {
            builder = builder.all(all.clone());
        }
        if let Some(http) = &self.http {
            builder = builder.http(http.clone());
        }
        if let Some(https) = &self.https {
            builder = builder.https(https.clone());
        }
        if let Some(no_proxy) = &self.no_proxy {
            builder = builder.no(no_proxy.clone());
        }
        builder.build()
    }
}

/// A proxy URL without its credentials, for `Debug` and logs.
fn without_credentials(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
            format!("{scheme}://{host}")
        }
        None => url
            .rsplit_once('@')
            .map_or(url, |(_, host)| host)
            .to_owned(),
    }
}

impl fmt::Debug for ProxySettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |url: &Option<String>| url.as_deref().map(without_credentials);
        f.debug_struct("ProxySettings")
            .field("all", &shown(&self.all))
            .field("http", &shown(&self.http))
            .field("https", &shown(&self.https))
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

/// Connects to a destination directly or through the proxy the matcher gives it.
#[derive(Clone)]
pub(crate) struct ProxyConnector {
    http: HttpConnector,
    matcher: Arc<Matcher>,
}

impl fmt::Debug for ProxyConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyConnector").finish_non_exhaustive()
    }
}

impl ProxyConnector {
    pub(crate) fn new(http: HttpConnector, settings: &ProxySettings) -> Self {
        Self {
            http,
            matcher: Arc::new(settings.matcher()),
        }
    }

    /// The `Proxy-Authorization` a plain-http request to `uri` carries: its proxy's Basic
    /// credentials (a tunnelled request sends them in its CONNECT instead).
    pub(crate) fn proxy_authorization(&self, uri: &Uri) -> Option<http::HeaderValue> {
        if uri.scheme_str() != Some("http") {
            return None;
        }
        self.matcher.intercept(uri)?.basic_auth().cloned()
    }
}

type Connecting = Pin<Box<dyn Future<Output = Result<Proxied, BoxError>> + Send>>;
type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl Service<Uri> for ProxyConnector {
    type Response = Proxied;
    type Error = BoxError;
    type Future = Connecting;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.http.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, destination: Uri) -> Self::Future {
        let mut http = self.http.clone();
        let intercept = match link_local(&destination) {
            true => None,
            false => self.matcher.intercept(&destination),
        };
        let Some(intercept) = intercept else {
            return Box::pin(async move {
                let io = http.call(destination).await?;
                Ok(Proxied {
                    io,
                    to_proxy: false,
                })
            });
        };
        let proxy = intercept.uri().clone();
        if destination.scheme_str() == Some("https") {
            let mut tunnel = Tunnel::new(proxy, http);
            if let Some(auth) = intercept.basic_auth() {
                tunnel = tunnel.with_auth(auth.clone());
            }
            return Box::pin(async move {
                tracing::debug!(host = destination.host(), "tunnelling through the proxy");
                let io = tunnel.call(destination).await.map_err(|error| {
                    io::Error::other(format!("the proxy did not open a tunnel: {error}"))
                })?;
                Ok(Proxied {
                    io,
                    to_proxy: false,
                })
            });
        }
        // A plain-http request goes to the proxy, which forwards it (absolute-form URI).
        Box::pin(async move {
            let io = http.call(proxy).await?;
            Ok(Proxied { io, to_proxy: true })
        })
    }
}

/// True for a link-local destination or the instance metadata service's IPv6 address (the
/// metadata service at 169.254.169.254 or `fd00:ec2::254`, the ECS credentials endpoint at
/// 169.254.170.2): reached directly
/// whatever the proxy settings, as no proxy can reach it.
fn link_local(destination: &Uri) -> bool {
    let host = destination.host().unwrap_or_default();
    match host.trim_matches(['[', ']']).parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(address)) => address.is_link_local(),
        Ok(std::net::IpAddr::V6(address)) => {
            (address.segments()[0] & 0xffc0) == 0xfe80 || address == IMDS_IPV6
        }
        Err(_) => false,
    }
}

/// The IPv6 address of the EC2 instance metadata service.
const IMDS_IPV6: std::net::Ipv6Addr = std::net::Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254);

/// A connection, direct or through a proxy; `to_proxy` when requests are sent to the proxy
/// itself (hyper then writes their URI in absolute form).
pub(crate) struct Proxied {
    io: TokioIo<TcpStream>,
    to_proxy: bool,
}

impl Connection for Proxied {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.to_proxy)
    }
}

impl hyper::rt::Read for Proxied {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for Proxied {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_come_from_either_case_and_hide_credentials() {
        let env = Env::from_pairs([
            ("https_proxy", "http://user:secret@proxy.corp:3128"),
            ("NO_PROXY", "169.254.169.254,.internal"),
            ("HTTP_PROXY", " "),
        ]);
        let settings = ProxySettings::from_env(&env);
        assert_eq!(
            settings.https.as_deref(),
            Some("http://user:secret@proxy.corp:3128")
        );
        assert_eq!(settings.http, None, "an empty value is unset");
        let shown = format!("{settings:?}");
        assert!(
            shown.contains("http://proxy.corp:3128") && !shown.contains("secret"),
            "{shown}"
        );
        let matcher = settings.matcher();
        let aws = Uri::from_static("https://ivschat.us-west-2.amazonaws.com/");
        let intercepted = matcher.intercept(&aws).expect("AWS goes through the proxy");
        assert_eq!(intercepted.uri().host(), Some("proxy.corp"));
        assert!(intercepted.basic_auth().is_some());
        for direct in [
            "https://169.254.169.254/",
            "https://db.internal/",
            "http://example.com/",
        ] {
            assert!(
                matcher.intercept(&Uri::from_static(direct)).is_none(),
                "{direct}"
            );
        }
    }

    #[test]
    fn instance_metadata_is_always_reached_directly() {
        for uri in [
            "http://169.254.169.254/latest",
            "http://[fd00:ec2::254]/",
            "http://169.254.170.2/v2",
        ] {
            assert!(link_local(&Uri::from_static(uri)), "{uri}");
        }
        for uri in [
            "https://ivschat.us-west-2.amazonaws.com/",
            "http://127.0.0.1:4566/",
            "http://10.0.0.1/",
        ] {
            assert!(!link_local(&Uri::from_static(uri)), "{uri}");
        }
    }

    #[test]
    fn only_http_proxies_are_accepted() {
        let settings = |https: &str| ProxySettings {
            https: Some(https.to_owned()),
            ..ProxySettings::default()
        };
        assert_eq!(settings("http://proxy:3128").check(), Ok(()));
        assert_eq!(settings("proxy.corp:3128").check(), Ok(()));
        let error = settings("socks5://user:pw@proxy:1080").check().unwrap_err();
        assert_eq!(
            error,
            "HTTPS_PROXY: `socks5://proxy:1080` is not supported: give an http:// proxy (https and SOCKS proxies are not supported)"
        );
    }

    #[test]
    fn a_cgi_request_cannot_set_the_http_proxy() {
        let env = Env::from_pairs([("HTTP_PROXY", "http://evil:1"), ("REQUEST_METHOD", "GET")]);
        assert!(ProxySettings::from_env(&env).is_empty());
    }
}
