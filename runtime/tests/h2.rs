//! A bidirectional event stream over HTTP/2 (feature `h2`) against a TLS server on loopback
//! that echoes each event as it arrives: the client negotiates h2 by ALPN, and receives the
//! echo of one event before it sends the next, so both directions are open at once.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::stream;
use http::{HeaderMap, Method};
use http_body_util::{BodyExt, StreamBody};
use hyper::body::Frame;
use hyper_util::rt::{TokioExecutor, TokioIo};
use ivschat_runtime::config::{Config, ServiceInfo};
use ivschat_runtime::deserialize::DeserializeError;
use ivschat_runtime::env::Env;
use ivschat_runtime::event_stream::{
    Decoder, EventStream, EventStreamError, HeaderValue, Message, ReadEvent, WriteEvent,
};
use ivschat_runtime::operation::{
    Auth, Endpoint, EventSigning, Handle, OperationRequest, SdkError,
};
use ivschat_runtime::transport::{HttpResponse, HttpSettings, HyperClient, StreamingResponse};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

const SERVICE: ServiceInfo = ServiceInfo {
    sdk_id: "Echo",
    signing_name: "echo",
    crate_name: "echo",
    crate_version: "0",
};

const CA: &[u8] = include_bytes!("data/test-ca.pem");
const CERTIFICATE: &[u8] = include_bytes!("data/localhost.pem");
const KEY: &[u8] = include_bytes!("data/localhost.key");

/// The events of the test: text notes.
#[derive(Debug, PartialEq)]
struct Note(String);

impl ReadEvent for Note {
    fn read_event(_: &str, message: &Message) -> Result<Self, DeserializeError> {
        Ok(Note(String::from_utf8_lossy(&message.payload).into_owned()))
    }

    fn read_exception(_: &str, _: &Message) -> Result<Option<Self>, DeserializeError> {
        Ok(None)
    }
}

impl WriteEvent for Note {
    fn write_event(&self) -> Result<Message, EventStreamError> {
        Ok(note(&self.0))
    }
}

fn note(text: &str) -> Message {
    Message::new(Bytes::from(text.to_owned()))
        .with_header(":message-type", HeaderValue::String("event".to_owned()))
        .with_header(":event-type", HeaderValue::String("note".to_owned()))
}

/// A TLS server offering only h2 that answers one request at once with a body echoing each
/// event of the request's body as it arrives; it checks the request is HTTP/2.
async fn echo_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let certificates = CertificateDer::pem_slice_iter(CERTIFICATE)
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_slice(KEY).unwrap();
    let mut tls = rustls::ServerConfig::builder_with_provider(
        rustls::crypto::ring::default_provider().into(),
    )
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certificates, key)
    .unwrap();
    tls.alpn_protocols = vec![b"h2".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
    tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let stream = acceptor.accept(socket).await.unwrap();
        let service = hyper::service::service_fn(
            |request: http::Request<hyper::body::Incoming>| async move {
                assert_eq!(
                    request.version(),
                    http::Version::HTTP_2,
                    "the client speaks h2"
                );
                let (sender, receiver) = mpsc::channel::<Result<Frame<Bytes>, std::io::Error>>(4);
                let mut body = request.into_body();
                tokio::spawn(async move {
                    let mut decoder = Decoder::new();
                    while let Some(Ok(frame)) = body.frame().await {
                        let Ok(data) = frame.into_data() else {
                            continue;
                        };
                        decoder.push(&data);
                        while let Some(message) = decoder.next_message().unwrap() {
                            let echo = note(&format!(
                                "echo {}",
                                String::from_utf8_lossy(&message.payload)
                            ));
                            let frame = Frame::data(Bytes::from(echo.encode().unwrap()));
                            if sender.send(Ok(frame)).await.is_err() {
                                return;
                            }
                        }
                    }
                });
                let frames = stream::unfold(receiver, |mut receiver| async move {
                    receiver.recv().await.map(|frame| (frame, receiver))
                });
                Ok::<_, std::convert::Infallible>(http::Response::new(StreamBody::new(frames)))
            },
        );
        let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
            .serve_connection(TokioIo::new(stream), service)
            .await;
    });
    format!("https://localhost:{port}")
}

fn handle() -> Handle {
    let mut roots = rustls::RootCertStore::empty();
    for certificate in CertificateDer::pem_slice_iter(CA) {
        roots.add(certificate.unwrap()).unwrap();
    }
    let tls = rustls::ClientConfig::builder_with_provider(
        rustls::crypto::ring::default_provider().into(),
    )
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let config = Config::builder()
        .region("us-west-2")
        .max_attempts(1)
        .http_client(Arc::new(HyperClient::with_tls(
            HttpSettings::default(),
            tls,
        )))
        .build_with_env(SERVICE, &Env::from_pairs([]))
        .unwrap();
    Handle::new(config)
}

fn events_of(
    response: StreamingResponse,
) -> Result<EventStream<Note>, ivschat_runtime::json::DeserializeError> {
    Ok(EventStream::from_body(response.into_body()))
}

fn refused(response: HttpResponse, _: Option<String>) -> SdkError {
    SdkError::Construction(format!("status {}", response.status()).into())
}

/// Opens a duplex stream to the echo server: the sender of its events and its output.
async fn open_duplex(handle: &Handle, url: &str) -> (mpsc::Sender<Note>, EventStream<Note>) {
    let (sender, receiver) = mpsc::channel::<Note>(1);
    let input = EventStream::from_stream(stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|note| (note, receiver))
    }));
    let signing = EventSigning::new();
    let request = OperationRequest {
        operation: "Echo",
        method: Method::POST,
        path_and_query: "/echo".to_owned(),
        headers: HeaderMap::new(),
        body: input.into_body(signing.clone()),
        auth: Auth::None,
        checksums: None,
        idempotent: false,
        event_signing: Some(signing),
        error_in_success: false,
    };
    let endpoint = Ok(Endpoint::url(url.to_owned()));
    let call = handle.call_streaming(endpoint, Ok(request), events_of, refused);
    let output = tokio::time::timeout(Duration::from_secs(10), call)
        .await
        .unwrap()
        .unwrap();
    (sender, output)
}

/// Sends `text` on a duplex stream and returns the next event received.
async fn echo(sender: &mpsc::Sender<Note>, output: &mut EventStream<Note>, text: &str) -> Note {
    sender.send(Note(text.to_owned())).await.unwrap();
    let received = tokio::time::timeout(Duration::from_secs(10), output.recv())
        .await
        .unwrap();
    received.unwrap().expect("an echo")
}

#[tokio::test]
async fn a_duplex_stream_receives_each_echo_before_sending_the_next_event() {
    let url = echo_server().await;
    let handle = handle();
    let (sender, mut output) = open_duplex(&handle, &url).await;
    assert_eq!(
        echo(&sender, &mut output, "one").await,
        Note("echo one".to_owned())
    );
    // The input is still open: the next event goes after its echo was received.
    assert_eq!(
        echo(&sender, &mut output, "two").await,
        Note("echo two".to_owned())
    );
}

#[tokio::test]
async fn two_streams_at_once_share_one_http2_connection() {
    // The server accepts one connection: a second one would never finish its TLS handshake.
    let url = echo_server().await;
    let handle = handle();
    let (first, mut first_output) = open_duplex(&handle, &url).await;
    assert_eq!(
        echo(&first, &mut first_output, "a").await,
        Note("echo a".to_owned())
    );
    let (second, mut second_output) = open_duplex(&handle, &url).await;
    assert_eq!(
        echo(&second, &mut second_output, "b").await,
        Note("echo b".to_owned())
    );
    assert_eq!(
        echo(&first, &mut first_output, "c").await,
        Note("echo c".to_owned())
    );
}
