//! Opening a WebSocket to the Messaging API: TCP, TLS for `wss` (the runtime's rustls settings,
//! so one TLS stack serves both APIs), and the handshake with the token as the subprotocol.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use ivschat_runtime::http::header::{HeaderValue, SEC_WEBSOCKET_PROTOCOL};
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Error as WsError;
use tokio_tungstenite::WebSocketStream;

use crate::endpoint::Endpoint;
use crate::error::ConnectError;
use crate::settings::Settings;
use ivschat_runtime::transport::ProxySettings;

/// An open connection.
pub type Socket = WebSocketStream<Transport>;

/// Plain TCP (`ws`) or TLS over TCP (`wss`).
pub enum Transport {
    /// `ws://`.
    Plain(TcpStream),
    /// `wss://`.
    Tls(Box<TlsStream<TcpStream>>),
}

/// Opens a connection with `token`, within the settings' connect timeout and through their
/// proxy.
pub async fn open(
    endpoint: &Endpoint,
    token: &str,
    settings: &Settings,
) -> Result<Socket, ConnectError> {
    tokio::time::timeout(
        settings.connect_timeout,
        handshake(endpoint, token, &settings.proxy, &settings.tls),
    )
    .await
    .map_err(|_| ConnectError::Timeout)?
}

async fn handshake(
    endpoint: &Endpoint,
    token: &str,
    proxy: &ProxySettings,
    tls: &Arc<rustls::ClientConfig>,
) -> Result<Socket, ConnectError> {
    let mut request = endpoint
        .uri
        .to_string()
        .into_client_request()
        .map_err(|error| ConnectError::InvalidEndpoint(error.to_string()))?;
    let protocol = HeaderValue::from_str(token).map_err(|_| ConnectError::Refused {
        status: 401,
        message: "the chat token holds characters a WebSocket subprotocol cannot".to_owned(),
    })?;
    request
        .headers_mut()
        .insert(SEC_WEBSOCKET_PROTOCOL, protocol);
    let tcp = proxy
        .connect(&endpoint.host, endpoint.port, endpoint.tls)
        .await
        .map_err(|error| {
            ConnectError::Transport(format!("{}:{}: {error}", endpoint.host, endpoint.port))
        })?;
    let _ = tcp.set_nodelay(true);
    let transport = if endpoint.tls {
        let name = ServerName::try_from(endpoint.host.clone()).map_err(|_| {
            ConnectError::InvalidEndpoint(format!("`{}` is not a TLS server name", endpoint.host))
        })?;
        let connector = TlsConnector::from(tls.clone());
        let tls = connector.connect(name, tcp).await.map_err(|error| {
            ConnectError::Transport(format!("TLS with {}: {error}", endpoint.host))
        })?;
        Transport::Tls(Box::new(tls))
    } else {
        Transport::Plain(tcp)
    };
    match tokio_tungstenite::client_async_with_config(request, transport, Some(socket_config()))
        .await
    {
        Ok((socket, _response)) => Ok(socket),
        Err(WsError::Http(response)) => Err(ConnectError::Refused {
            status: response.status().as_u16(),
            message: response
                .body()
                .as_deref()
                .map(|body| String::from_utf8_lossy(body).trim().to_owned())
                .unwrap_or_default(),
        }),
        Err(error) => Err(ConnectError::Transport(error.to_string())),
    }
}

/// The largest message or frame read from the server: the service's frames are a few
/// kilobytes (content of 500 characters, attributes of 1 KB each), so a larger one fails the
/// connection before it is buffered.
const MAX_MESSAGE_BYTES: usize = 64 * 1024;

fn socket_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE_BYTES))
        .max_frame_size(Some(MAX_MESSAGE_BYTES))
}

impl AsyncRead for Transport {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Plain(stream) => Pin::new(stream).poll_read(cx, buf),
            Self::Tls(stream) => Pin::new(stream.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Transport {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Self::Plain(stream) => Pin::new(stream).poll_write(cx, buf),
            Self::Tls(stream) => Pin::new(stream.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Plain(stream) => Pin::new(stream).poll_flush(cx),
            Self::Tls(stream) => Pin::new(stream.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Plain(stream) => Pin::new(stream).poll_shutdown(cx),
            Self::Tls(stream) => Pin::new(stream.as_mut()).poll_shutdown(cx),
        }
    }
}
