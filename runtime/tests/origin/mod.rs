//! An origin server on loopback for the transport tests: HTTP/1.1 over TLS for `localhost`
//! (its certificate signed by the test CA of `tests/data`) or in plain text; every request is
//! answered `200 {}` and its request line kept. It stops after a bounded time.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;

/// A file of `tests/data`.
pub fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// The TLS settings of a server for `localhost` with the test CA's certificate.
pub fn server_config() -> rustls::ServerConfig {
    let certificates = CertificateDer::pem_file_iter(data("localhost.pem"))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(data("localhost.key")).unwrap();
    rustls::ServerConfig::builder_with_provider(rustls::crypto::ring::default_provider().into())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certificates, key)
        .unwrap()
}

fn acceptor() -> tokio_rustls::TlsAcceptor {
    tokio_rustls::TlsAcceptor::from(Arc::new(server_config()))
}

/// The service the transport tests call.
pub const SERVICE: ivschat_runtime::config::ServiceInfo = ivschat_runtime::config::ServiceInfo {
    sdk_id: "ivschat",
    signing_name: "ivschat",
    crate_name: "ivschat",
    crate_version: "0.1.0",
};

/// A signed `POST /ListRooms` with an empty JSON body.
pub fn request() -> ivschat_runtime::operation::OperationRequest {
    ivschat_runtime::operation::OperationRequest {
        operation: "ListRooms",
        method: http::Method::POST,
        path_and_query: "/ListRooms".to_owned(),
        headers: http::HeaderMap::new(),
        body: bytes::Bytes::from_static(b"{}").into(),
        auth: ivschat_runtime::operation::Auth::SigV4,
        checksums: None,
        idempotent: false,
        event_signing: None,
        error_in_success: false,
    }
}

/// Starts the origin (`tls` or plain); its URL (`https://localhost:PORT` or
/// `http://127.0.0.1:PORT`) and the request lines it received.
pub async fn start(tls: bool) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let acceptor = tls.then(acceptor);
    let lines = Arc::new(Mutex::new(Vec::new()));
    let seen = lines.clone();
    tokio::spawn(async move {
        let serve = async {
            loop {
                let (socket, _) = listener.accept().await.unwrap();
                let (acceptor, seen) = (acceptor.clone(), seen.clone());
                tokio::spawn(async move {
                    match acceptor {
                        // A client that refuses the certificate ends the handshake here.
                        Some(acceptor) => {
                            if let Ok(stream) = acceptor.accept(socket).await {
                                answer(stream, seen).await;
                            }
                        }
                        None => answer(socket, seen).await,
                    }
                });
            }
        };
        let _ = tokio::time::timeout(Duration::from_secs(20), serve).await;
    });
    let url = match tls {
        true => format!("https://localhost:{port}"),
        false => format!("http://127.0.0.1:{port}"),
    };
    (url, lines)
}

/// Reads one request head, keeps its first line, answers `200 {}` and closes.
async fn answer(mut stream: impl AsyncRead + AsyncWrite + Unpin, seen: Arc<Mutex<Vec<String>>>) {
    let mut request = Vec::new();
    let mut buffer = [0u8; 4096];
    while !request.windows(4).any(|window| window == b"\r\n\r\n") {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(read) => request.extend_from_slice(&buffer[..read]),
        }
    }
    let text = String::from_utf8_lossy(&request);
    seen.lock()
        .unwrap()
        .push(text.lines().next().unwrap_or_default().to_owned());
    let reply = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";
    let _ = stream.write_all(reply).await;
    let _ = stream.shutdown().await;
}
