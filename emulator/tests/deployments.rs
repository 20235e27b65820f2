//! Deployment shapes end to end on loopback: a fake container credentials endpoint (as ECS and
//! EKS Pod Identity run one) hands out temporary credentials, and the client signs with them
//! requests that the emulator verifies, session token included.

use std::convert::Infallible;
use std::sync::Arc;

use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use ivschat::Client;
use ivschat_local::Emulator;
use ivschat_runtime::bytes::Bytes;
use ivschat_runtime::credentials::ContainerProvider;
use ivschat_runtime::env::Env;
use ivschat_runtime::transport::HyperClient;

/// A container credentials endpoint on loopback answering `document` to every request that
/// carries `authorization`; returns its URL.
async fn container_endpoint(document: String, authorization: &'static str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v1/credentials", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let document = document.clone();
            let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                let authorized = request
                    .headers()
                    .get("authorization")
                    .is_some_and(|value| value == authorization);
                let (status, body) = match authorized {
                    true => (200, document.clone()),
                    false => (401, r#"{"message": "bad token"}"#.to_owned()),
                };
                let response = hyper::Response::builder()
                    .status(status)
                    .body(Full::new(Bytes::from(body)))
                    .unwrap();
                async move { Ok::<_, Infallible>(response) }
            });
            tokio::spawn(
                hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service),
            );
        }
    });
    url
}

#[tokio::test]
async fn container_credentials_reach_the_emulator_with_their_session_token() {
    let emulator = Emulator::builder()
        .temporary_credentials("ASIAPODIDENTITY", "pod-secret", "pod-session-token")
        .start()
        .await
        .unwrap();
    let document = r#"{"AccessKeyId": "ASIAPODIDENTITY", "SecretAccessKey": "pod-secret", "Token": "pod-session-token", "Expiration": "2099-01-01T00:00:00Z"}"#;
    let url = container_endpoint(document.to_owned(), "pod-identity-token").await;
    let env = Env::from_pairs([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", url.as_str()),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "pod-identity-token"),
    ]);
    let provider = ContainerProvider::new(env, Arc::new(HyperClient::default()));
    let config = ivschat::Config::builder()
        .region(emulator.region())
        .endpoint_url(emulator.url())
        .credentials_provider(Arc::new(provider))
        .max_attempts(1);
    let client = Client::from_builder(config).unwrap();
    let room = client
        .create_room()
        .name("from-a-pod")
        .send()
        .await
        .unwrap();
    assert_eq!(room.name(), Some("from-a-pod"));
    assert_eq!(emulator.room_count(), 1);
}
