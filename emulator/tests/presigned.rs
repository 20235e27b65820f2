//! Presigned requests (`presigned(PresigningConfig)` on every fluent builder) sent to the
//! emulator by a plain HTTP client, without the SDK: answered while valid, refused once
//! expired or when anything signed was changed.

use std::time::{Duration, SystemTime};

use ivschat::Client;
use ivschat_local::Emulator;
use ivschat_runtime::bytes::Bytes;
use ivschat_runtime::operation::{PresignedRequest, PresigningConfig};
use ivschat_runtime::transport::{HttpClient, HttpResponse, HyperClient};

/// Sends `uri` with the presigned request's method and headers and `body`.
async fn send_as(presigned: &PresignedRequest, uri: &str, body: Bytes) -> HttpResponse {
    let mut request = ivschat_runtime::http::Request::builder()
        .method(presigned.method().clone())
        .uri(uri);
    for (name, value) in presigned.headers() {
        request = request.header(name, value);
    }
    HyperClient::default()
        .send(request.body(body).expect("a request"))
        .await
        .expect("the emulator answers")
}

async fn send(presigned: &PresignedRequest) -> HttpResponse {
    send_as(presigned, presigned.uri(), presigned.body().clone()).await
}

fn text(response: &HttpResponse) -> String {
    String::from_utf8_lossy(response.body()).into_owned()
}

fn valid_for(seconds: u64) -> PresigningConfig {
    PresigningConfig::expires_in(Duration::from_secs(seconds)).expect("a valid duration")
}

#[tokio::test]
async fn a_presigned_request_is_answered_until_it_expires() {
    let emulator = Emulator::builder().start().await.unwrap();
    let client = Client::from_builder(emulator.config()).unwrap();
    let room = client.create_room().name("presigned").send().await.unwrap();
    let arn = room.arn().unwrap();

    let presigned = client
        .get_room()
        .identifier(arn)
        .presigned(valid_for(60))
        .await
        .unwrap();
    assert!(
        presigned.uri().contains("X-Amz-Expires=60"),
        "{}",
        presigned.uri()
    );
    assert!(presigned.uri().contains("X-Amz-Signature="));
    assert!(presigned.headers().get("authorization").is_none());
    let answer = send(&presigned).await;
    assert_eq!(answer.status(), 200, "{}", text(&answer));
    assert!(
        text(&answer).contains("\"name\":\"presigned\""),
        "{}",
        text(&answer)
    );

    // Signed two minutes ago for one: expired.
    let expired = client
        .get_room()
        .identifier(arn)
        .presigned(valid_for(60).start_time(SystemTime::now() - Duration::from_secs(120)))
        .await
        .unwrap();
    let answer = send(&expired).await;
    assert_eq!(answer.status(), 403);
    assert!(text(&answer).contains("expired"), "{}", text(&answer));
}

#[tokio::test]
async fn a_presigned_request_changed_in_any_signed_part_is_refused() {
    let emulator = Emulator::builder().start().await.unwrap();
    let client = Client::from_builder(emulator.config()).unwrap();
    let room = client.create_room().name("kept").send().await.unwrap();
    let presigned = client
        .delete_room()
        .identifier(room.arn().unwrap())
        .presigned(valid_for(300))
        .await
        .unwrap();

    // Another body: another room.
    let other_body = Bytes::from_static(
        br#"{"identifier":"arn:aws:ivschat:us-west-2:123456789012:room/other"}"#,
    );
    let answer = send_as(&presigned, presigned.uri(), other_body).await;
    assert_eq!(answer.status(), 403, "{}", text(&answer));
    // A longer validity than signed.
    let longer = presigned
        .uri()
        .replace("X-Amz-Expires=300", "X-Amz-Expires=600000");
    let answer = send_as(&presigned, &longer, presigned.body().clone()).await;
    assert_eq!(answer.status(), 403, "{}", text(&answer));
    // Another signature.
    let (unsigned, _) = presigned.uri().split_once("X-Amz-Signature=").unwrap();
    let forged = format!("{unsigned}X-Amz-Signature={}", "0".repeat(64));
    let answer = send_as(&presigned, &forged, presigned.body().clone()).await;
    assert_eq!(answer.status(), 403, "{}", text(&answer));
    assert_eq!(emulator.room_count(), 1, "nothing was deleted");

    // As signed, it is carried out.
    let answer = send(&presigned).await;
    assert_eq!(answer.status(), 204, "{}", text(&answer));
    assert_eq!(emulator.room_count(), 0);
}

#[tokio::test]
async fn presigning_needs_credentials_and_a_valid_duration() {
    let emulator = Emulator::builder().start().await.unwrap();
    let anonymous = Client::from_builder(emulator.config().anonymous()).unwrap();
    let error = anonymous
        .get_room()
        .identifier("room")
        .presigned(valid_for(60))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("needs credentials"), "{error}");
    let too_long = PresigningConfig::expires_in(Duration::from_secs(8 * 24 * 60 * 60)).unwrap_err();
    assert!(
        too_long.to_string().contains("1 second to 7 days"),
        "{too_long}"
    );
}
