//! The web console's page and API over HTTP (the browser test is `messaging/tests/
//! console_browser.rs`): the page is served with a strict content policy and no secret, the
//! API needs the console token and refuses other sites, and it calls the service's operations.

use ivschat_local::Emulator;
use ivschat_runtime::bytes::Bytes;
use ivschat_runtime::http::Request;
use ivschat_runtime::transport::{HttpClient, HttpResponse, HyperClient};
use serde_json::Value;

async fn send(request: Request<Bytes>) -> HttpResponse {
    HyperClient::new(Default::default())
        .send(request)
        .await
        .unwrap()
}

fn api(url: &str, path: &str, token: &str, origin: Option<&str>, body: &str) -> Request<Bytes> {
    let mut request = Request::builder()
        .method("POST")
        .uri(format!("{url}/_emulator/console/{path}"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json");
    if let Some(origin) = origin {
        request = request.header("origin", origin);
    }
    request.body(Bytes::from(body.to_owned())).unwrap()
}

#[tokio::test]
async fn the_page_is_served_with_a_strict_policy_and_the_api_needs_the_token() {
    let emulator = Emulator::builder().start().await.unwrap();
    let url = emulator.url();
    let console = emulator.console_url();
    let token = console.split_once('#').unwrap().1.to_owned();
    assert_eq!(token.len(), 43);
    let page = send(
        Request::get(format!("{url}/_emulator/ui"))
            .body(Bytes::new())
            .unwrap(),
    )
    .await;
    assert_eq!(page.status(), 200);
    let policy = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(policy.contains("default-src 'self'") && policy.contains("frame-ancestors 'none'"));
    let html = String::from_utf8_lossy(page.body());
    assert!(!html.contains(&token), "the page holds no secret");

    // With the token, from the console's own page (its origin), an operation runs.
    let own = format!("http://{}", url.trim_start_matches("http://"));
    let created = send(api(
        &url,
        "api/CreateRoom",
        &token,
        Some(&own),
        r#"{"name": "lobby"}"#,
    ))
    .await;
    assert_eq!(created.status(), 200, "{:?}", created.body());
    let room: Value = serde_json::from_slice(created.body()).unwrap();
    assert_eq!(room["name"], "lobby");
    assert_eq!(emulator.room_count(), 1);
    // Without it, or from another site, nothing runs.
    for (token, origin) in [
        ("wrong", Some(own.as_str())),
        (token.as_str(), Some("http://evil.test")),
    ] {
        let refused = send(api(&url, "api/CreateRoom", token, origin, "{}")).await;
        assert_eq!(refused.status(), 403);
    }
    assert_eq!(emulator.room_count(), 1);
    // Only the service's POST operations are called through it.
    let refused = send(api(&url, "api/TagResource", &token, None, "{}")).await;
    assert_eq!(refused.status(), 400);
    // The request log holds the service's requests, not the console's own.
    let signed = ivschat::Client::from_builder(emulator.config()).unwrap();
    signed.list_rooms().send().await.unwrap();
    let log = send(
        Request::get(format!("{url}/_emulator/console/requests"))
            .header("authorization", format!("Bearer {token}"))
            .body(Bytes::new())
            .unwrap(),
    )
    .await;
    let log: Value = serde_json::from_slice(log.body()).unwrap();
    let operations: Vec<&str> = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["operation"].as_str().unwrap())
        .collect();
    assert_eq!(operations, ["ListRooms"]);
}
