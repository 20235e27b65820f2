//! A CA bundle (set in code, `AWS_CA_BUNDLE` or a profile's `ca_bundle`) is trusted by the
//! default transport, against a TLS server on loopback whose certificate a test CA signed;
//! without it the same server is refused, and an unusable bundle is a configuration error
//! that says where it was set.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method};
use ivschat_runtime::config::{Config, ServiceInfo};
use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::env::Env;
use ivschat_runtime::operation::{Auth, Endpoint, Handle, OperationRequest, SdkError};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const SERVICE: ServiceInfo = ServiceInfo {
    sdk_id: "ivschat",
    signing_name: "ivschat",
    crate_name: "ivschat",
    crate_version: "0.1.0",
};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// A TLS server for `localhost` answering every request `200 {}` over HTTP/1.1.
async fn tls_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let certificates = CertificateDer::pem_file_iter(data("localhost.pem"))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(data("localhost.key")).unwrap();
    let tls = rustls::ServerConfig::builder_with_provider(
        rustls::crypto::ring::default_provider().into(),
    )
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certificates, key)
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
    tokio::spawn(async move {
        let serve = async {
            loop {
                let (socket, _) = listener.accept().await.unwrap();
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    // A client that refuses the certificate ends the handshake here.
                    let Ok(mut stream) = acceptor.accept(socket).await else {
                        return;
                    };
                    let mut request = Vec::new();
                    let mut buffer = [0u8; 4096];
                    while !request.windows(4).any(|window| window == b"\r\n\r\n") {
                        match stream.read(&mut buffer).await {
                            Ok(0) | Err(_) => return,
                            Ok(read) => request.extend_from_slice(&buffer[..read]),
                        }
                    }
                    let reply =
                        b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";
                    let _ = stream.write_all(reply).await;
                    let _ = stream.shutdown().await;
                });
            }
        };
        let _ = tokio::time::timeout(Duration::from_secs(20), serve).await;
    });
    format!("https://localhost:{port}")
}

fn request() -> OperationRequest {
    OperationRequest {
        operation: "GetRoom",
        method: Method::GET,
        path_and_query: "/".to_owned(),
        headers: HeaderMap::new(),
        body: Bytes::new().into(),
        auth: Auth::SigV4,
        checksums: None,
        idempotent: false,
        event_signing: None,
    }
}

fn config(env: &[(&str, String)], bundle: Option<PathBuf>) -> Result<Config, String> {
    let mut builder = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new("AKID", "SECRET", None, None))
        .max_attempts(1);
    if let Some(path) = bundle {
        builder = builder.ca_bundle(path);
    }
    let pairs: Vec<(&str, &str)> = env
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect();
    builder
        .build_with_env(SERVICE, &Env::from_pairs(pairs))
        .map_err(|error| error.to_string())
}

async fn call(config: Config, url: &str) -> Result<u16, SdkError> {
    let done = Handle::new(config)
        .invoke(&Endpoint::url(url), request())
        .await?;
    Ok(done.response.status().as_u16())
}

#[tokio::test]
async fn a_bundle_set_in_code_or_by_variable_or_profile_is_trusted_and_nothing_else_is() {
    let url = tls_server().await;
    let refused = call(config(&[], None).unwrap(), &url).await.unwrap_err();
    assert!(
        refused.to_string().to_lowercase().contains("certificate"),
        "the test CA is not trusted by default: {refused}"
    );
    let in_code = config(&[], Some(data("test-ca.pem"))).unwrap();
    assert_eq!(call(in_code, &url).await.unwrap(), 200);
    let bundle = data("test-ca.pem").display().to_string();
    let by_variable = config(&[("AWS_CA_BUNDLE", bundle.clone())], None).unwrap();
    assert_eq!(call(by_variable, &url).await.unwrap(), 200);
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("config");
    std::fs::write(&profile, format!("[default]\nca_bundle = {bundle}\n")).unwrap();
    let from_profile = config(&[("AWS_CONFIG_FILE", profile.display().to_string())], None).unwrap();
    assert_eq!(call(from_profile, &url).await.unwrap(), 200);
}

#[test]
fn an_unusable_bundle_names_where_it_was_set() {
    let error = config(&[("AWS_CA_BUNDLE", "/nonexistent/ca.pem".to_owned())], None).unwrap_err();
    assert!(
        error.starts_with(
            "environment variable AWS_CA_BUNDLE: cannot read the CA bundle /nonexistent/ca.pem"
        ),
        "{error}"
    );
    let error = config(&[], Some(data("localhost.key"))).unwrap_err();
    assert_eq!(
        error,
        format!(
            "ca_bundle set in code: the CA bundle {} holds no PEM certificate",
            data("localhost.key").display()
        )
    );
}
