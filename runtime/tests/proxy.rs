//! Proxies through a loopback proxy that records what it is asked (`RecordingProxy`): an https destination is
//! reached through a CONNECT tunnel carrying the proxy URL's Basic credentials, a plain-http
//! one by sending the request (absolute URI, `Proxy-Authorization`) to the proxy; `NO_PROXY`
//! and a proxy set in code are obeyed; an unsupported proxy URL is a configuration error.

mod origin;

use ivschat_runtime::config::Config;
use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::env::Env;
use ivschat_runtime::operation::{Endpoint, Handle};
use ivschat_runtime::protocol_test::RecordingProxy;
use origin::{request, SERVICE};

fn handle(
    env: &[(&str, &str)],
    configure: impl FnOnce(
        ivschat_runtime::config::ConfigBuilder,
    ) -> ivschat_runtime::config::ConfigBuilder,
) -> Handle {
    let builder = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new("AKID", "SECRET", None, None))
        .ca_bundle(origin::data("test-ca.pem"))
        .max_attempts(1);
    let config = configure(builder)
        .build_with_env(SERVICE, &Env::from_pairs(env.iter().copied()))
        .unwrap();
    Handle::new(config)
}

async fn status(handle: &Handle, url: &str) -> u16 {
    let done = handle.invoke(&Endpoint::url(url), request()).await.unwrap();
    done.response.status().as_u16()
}

#[tokio::test]
async fn https_goes_through_a_connect_tunnel_with_the_proxy_credentials() {
    let recording = RecordingProxy::start().await.unwrap();
    let proxy = recording.address().to_owned();
    let (origin, seen) = origin::start(true).await;
    let url = format!("http://user:secret@{proxy}");
    let handle = handle(&[("HTTPS_PROXY", &url)], |builder| builder);
    assert_eq!(status(&handle, &origin).await, 200);
    let asked = recording.asked();
    assert_eq!(asked.len(), 1, "{asked:?}");
    let port = origin.rsplit(':').next().unwrap();
    assert!(
        asked[0].starts_with(&format!("CONNECT localhost:{port} HTTP/1.1\r\n")),
        "{asked:?}"
    );
    // Basic base64("user:secret").
    assert!(
        asked[0].contains("Proxy-Authorization: Basic dXNlcjpzZWNyZXQ=\r\n"),
        "{asked:?}"
    );
    // Inside the tunnel the request is the usual origin-form one.
    assert_eq!(
        seen.lock().unwrap().as_slice(),
        ["POST /ListRooms HTTP/1.1"]
    );
}

#[tokio::test]
async fn plain_http_is_sent_to_the_proxy_and_no_proxy_is_obeyed() {
    let recording = RecordingProxy::start().await.unwrap();
    let proxy = recording.address().to_owned();
    let (origin, seen) = origin::start(false).await;
    let url = format!("http://user:secret@{proxy}");
    let handle = handle(&[("http_proxy", &url)], |builder| builder);
    assert_eq!(status(&handle, &origin).await, 200);
    let asked = recording.asked();
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert!(
        asked[0].starts_with(&format!("POST {origin}/ListRooms HTTP/1.1\r\n")),
        "{asked:?}"
    );
    assert!(
        asked[0]
            .to_ascii_lowercase()
            .contains("proxy-authorization: basic dxnlcjpzzwnyzxq="),
        "{asked:?}"
    );
    // NO_PROXY: the same origin is reached directly.
    let handle = self::handle(
        &[("HTTP_PROXY", &url), ("NO_PROXY", "127.0.0.1")],
        |builder| builder,
    );
    assert_eq!(status(&handle, &origin).await, 200);
    assert_eq!(
        recording.asked().len(),
        1,
        "no second request went to the proxy"
    );
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_proxy_set_in_code_wins_over_the_environment() {
    let recording = RecordingProxy::start().await.unwrap();
    let proxy = recording.address().to_owned();
    let (origin, _) = origin::start(true).await;
    let handle = handle(&[("HTTPS_PROXY", "http://127.0.0.1:9")], |builder| {
        builder.proxy(format!("http://{proxy}"))
    });
    assert_eq!(status(&handle, &origin).await, 200);
    assert_eq!(recording.asked().len(), 1);
    let handle = self::handle(&[], |builder| {
        builder
            .proxy(format!("http://{proxy}"))
            .no_proxy("localhost")
    });
    assert_eq!(status(&handle, &origin).await, 200);
    assert_eq!(recording.asked().len(), 1, "no_proxy in code is obeyed");
}

#[test]
fn an_unsupported_proxy_is_a_configuration_error_naming_the_variable() {
    let error = Config::builder()
        .region("us-west-2")
        .build_with_env(
            SERVICE,
            &Env::from_pairs([("HTTPS_PROXY", "socks5://user:pw@10.0.0.1:1080")]),
        )
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "environment variable HTTPS_PROXY: `socks5://10.0.0.1:1080` is not supported: give an http:// proxy (https and SOCKS proxies are not supported)"
    );
}
