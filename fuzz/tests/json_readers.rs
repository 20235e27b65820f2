//! The generated client's response readers (bodies and error bodies of every operation with an
//! output) on mutated responses. The seeds are real answers of the emulator, recorded on the
//! way; every input is an output or an error, never a panic.

use std::sync::{Arc, Mutex};

use ivschat::types::ChatTokenCapability;
use ivschat::{Client, Config};
use ivschat_fuzz::Campaign;
use ivschat_runtime::bytes::Bytes;
use ivschat_runtime::credentials::BoxFuture;
use ivschat_runtime::transport::{HttpClient, HttpError, HttpRequest, HttpResponse, HyperClient};

/// Sends through hyper and keeps every response body, or answers every request with the
/// canned status and body (for the fuzzed calls).
#[derive(Debug, Default)]
struct Transport {
    recorded: Mutex<Vec<Vec<u8>>>,
    canned: Mutex<Option<(u16, Bytes)>>,
}

impl HttpClient for Transport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        Box::pin(async move {
            let canned = self.canned.lock().unwrap().clone();
            if let Some((status, body)) = canned {
                let response = ivschat_runtime::http::Response::builder()
                    .status(status)
                    .header("content-type", "application/json")
                    .body(body)
                    .unwrap();
                return Ok(response);
            }
            let response = HyperClient::default().send(request).await?;
            self.recorded.lock().unwrap().push(response.body().to_vec());
            Ok(response)
        })
    }
}

/// Every operation with a response body, called with a minimal input; `Ok(true)` when it
/// succeeded.
async fn call(client: &Client, operation: usize, arn: &str) -> bool {
    match operation {
        0 => client.create_room().name("r").send().await.is_ok(),
        1 => client.get_room().identifier(arn).send().await.is_ok(),
        2 => client.update_room().identifier(arn).send().await.is_ok(),
        3 => client.list_rooms().send().await.is_ok(),
        4 => client
            .create_chat_token()
            .room_identifier(arn)
            .user_id("u")
            .capabilities(ChatTokenCapability::SendMessage)
            .attributes("a", "b")
            .send()
            .await
            .is_ok(),
        5 => client
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .is_ok(),
        6 => client
            .send_event()
            .room_identifier(arn)
            .event_name("e")
            .send()
            .await
            .is_ok(),
        7 => client.list_logging_configurations().send().await.is_ok(),
        _ => client
            .get_logging_configuration()
            .identifier(arn)
            .send()
            .await
            .is_ok(),
    }
}

const OPERATIONS: usize = 9;

#[test]
fn the_response_readers_never_panic() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let transport = Arc::new(Transport::default());
    let (client, arn) = runtime.block_on(async {
        let emulator = ivschat_local::Emulator::builder().start().await.unwrap();
        let config = Config::builder()
            .region(emulator.region())
            .endpoint_url(emulator.url())
            .credentials(emulator.credentials())
            .max_attempts(1)
            .http_client(transport.clone());
        let client = Client::from_builder(config).unwrap();
        let room = client
            .create_room()
            .name("seed")
            .tags("team", "video")
            .send()
            .await
            .unwrap();
        let arn = room.arn().unwrap().to_owned();
        for operation in 0..OPERATIONS {
            call(&client, operation, &arn).await;
        }
        let _ = client
            .get_room()
            .identifier("arn:aws:ivschat:us-west-2:123456789012:room/none")
            .send()
            .await;
        (client, arn)
    });
    let corpus: Vec<Vec<u8>> = transport.recorded.lock().unwrap().clone();
    assert!(
        corpus.len() >= OPERATIONS,
        "{} responses recorded",
        corpus.len()
    );
    let mut index = 0;
    let mut succeeded = 0;
    Campaign::new("json-readers").run_json(&corpus, |input| {
        index += 1;
        // Most inputs as a success, some as an error of each kind the operations model.
        let status = [200, 200, 200, 400, 404, 409, 429, 500][index % 8];
        *transport.canned.lock().unwrap() = Some((status, Bytes::copy_from_slice(input)));
        succeeded += usize::from(runtime.block_on(call(&client, index % OPERATIONS, &arn)));
    });
    println!("json-readers: {succeeded} inputs read as outputs");
    assert!(
        succeeded > 0,
        "no input was read as an output: the readers were not reached"
    );
}
