//! The floor: one HTTPS POST with a JSON body and an HMAC, on the same stack as ours.
use hmac::{KeyInit, Mac};
use http_body_util::{BodyExt, Full};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_webpki_roots()
        .https_or_http()
        .enable_http1()
        .build();
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build(connector);
    let body = serde_json::json!({ "identifier": "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCD1234" }).to_string();
    let mut mac =
        <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(b"key").expect("any key length");
    mac.update(body.as_bytes());
    tracing::debug!("signed");
    let request = hyper::Request::post("https://ivschat.us-west-2.amazonaws.com/GetRoom")
        .header(
            "x-signature",
            format!("{:x?}", mac.finalize().into_bytes().as_slice()),
        )
        .body(Full::new(hyper::body::Bytes::from(body)))
        .expect("a request");
    match client.request(request).await {
        Ok(response) => println!(
            "{:?}",
            response
                .into_body()
                .collect()
                .await
                .map(|body| body.to_bytes().len())
        ),
        Err(error) => println!("{error}"),
    }
}
