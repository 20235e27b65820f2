//! The emulator's control plane on mutated request bodies over its socket: every request gets
//! an answer with a status (a panic in its handler would drop the connection instead), and the
//! emulator keeps serving. The seeds are the requests the generated client sends.

use std::sync::{Arc, Mutex};

use ivschat::types::ChatTokenCapability;
use ivschat::{Client, Config};
use ivschat_fuzz::Campaign;
use ivschat_runtime::bytes::Bytes;
use ivschat_runtime::credentials::BoxFuture;
use ivschat_runtime::transport::{HttpClient, HttpError, HttpRequest, HttpResponse, HyperClient};

/// Sends through hyper and keeps each request's path and body.
#[derive(Debug, Default)]
struct Recorder {
    requests: Mutex<Vec<(String, Vec<u8>)>>,
}

impl HttpClient for Recorder {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        Box::pin(async move {
            let path = request.uri().path().to_owned();
            self.requests
                .lock()
                .unwrap()
                .push((path, request.body().to_vec()));
            HyperClient::default().send(request).await
        })
    }
}

/// A runtime and an emulator on it that takes unsigned requests (the fuzzed bodies are not
/// signed).
fn anonymous_emulator() -> (tokio::runtime::Runtime, ivschat_local::EmulatorHandle) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let emulator = runtime
        .block_on(ivschat_local::Emulator::builder().anonymous(true).start())
        .unwrap();
    (runtime, emulator)
}

/// POSTs `body` to `url` and returns the answer's status (a connection the emulator dropped
/// instead of answering fails the test).
fn post(
    runtime: &tokio::runtime::Runtime,
    transport: &HyperClient,
    url: &str,
    content_type: &str,
    body: &[u8],
) -> u16 {
    let request = ivschat_runtime::http::Request::post(url)
        .header("content-type", content_type)
        .body(Bytes::copy_from_slice(body))
        .unwrap();
    runtime
        .block_on(transport.send(request))
        .expect("the emulator answered with a status")
        .status()
        .as_u16()
}

#[test]
fn the_emulator_answers_every_mutated_request() {
    let (runtime, emulator) = anonymous_emulator();
    let recorder = Arc::new(Recorder::default());
    let config = Config::builder()
        .region(emulator.region())
        .endpoint_url(emulator.url())
        .credentials(emulator.credentials())
        .max_attempts(1)
        .http_client(recorder.clone());
    let client = Client::from_builder(config).unwrap();
    runtime.block_on(async {
        let room = client
            .create_room()
            .name("seed")
            .tags("team", "video")
            .maximum_message_length(100)
            .send()
            .await
            .unwrap();
        let arn = room.arn().unwrap();
        let _ = client
            .update_room()
            .identifier(arn)
            .name("renamed")
            .send()
            .await;
        let _ = client
            .create_chat_token()
            .room_identifier(arn)
            .user_id("u")
            .capabilities(ChatTokenCapability::SendMessage)
            .attributes("a", "b")
            .session_duration_in_minutes(30)
            .send()
            .await;
        let _ = client
            .send_event()
            .room_identifier(arn)
            .event_name("e")
            .attributes("k", "v")
            .send()
            .await;
        let _ = client
            .delete_message()
            .room_identifier(arn)
            .id("AbCdEfGhIjKl")
            .reason("spam")
            .send()
            .await;
        let _ = client
            .disconnect_user()
            .room_identifier(arn)
            .user_id("u")
            .reason("bye")
            .send()
            .await;
        let _ = client.list_rooms().name("seed").max_results(5).send().await;
        let _ = client.get_room().identifier(arn).send().await;
        let _ = client
            .tag_resource()
            .resource_arn(arn)
            .tags("k", "v")
            .send()
            .await;
    });
    let recorded = recorder.requests.lock().unwrap().clone();
    let paths: Vec<String> = recorded.iter().map(|(path, _)| path.clone()).collect();
    let corpus: Vec<Vec<u8>> = recorded
        .into_iter()
        .map(|(_, body)| body)
        .filter(|body| !body.is_empty())
        .collect();
    assert!(
        corpus.len() >= 8,
        "{} request bodies recorded",
        corpus.len()
    );
    let transport = HyperClient::default();
    let mut index = 0;
    let mut statuses = std::collections::BTreeMap::new();
    Campaign::new("emulator-requests").run_json(&corpus, |input| {
        index += 1;
        let path = &paths[index % paths.len()];
        let url = format!("{}{path}", emulator.url());
        let status = post(&runtime, &transport, &url, "application/json", input);
        *statuses.entry(status).or_insert(0) += 1;
    });
    println!("emulator-requests: answers by status {statuses:?}");
    assert!(
        statuses.contains_key(&200) && statuses.contains_key(&400),
        "{statuses:?}"
    );
}

#[test]
fn the_emulator_answers_every_mutated_sts_form() {
    let (runtime, emulator) = anonymous_emulator();
    let corpus: Vec<Vec<u8>> = [
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fchat&RoleSessionName=seed",
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr&RoleSessionName=s-1&DurationSeconds=900&ExternalId=x",
        "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr&RoleSessionName=web&WebIdentityToken=eyJ0eXAi.eyJpc3Mi.sig",
    ]
    .map(|seed| seed.as_bytes().to_vec())
    .to_vec();
    let transport = HyperClient::default();
    let mut statuses = std::collections::BTreeMap::new();
    Campaign::new("emulator-sts").run(&corpus, |input| {
        let url = format!("{}/", emulator.url());
        let form = "application/x-www-form-urlencoded";
        let status = post(&runtime, &transport, &url, form, input);
        *statuses.entry(status).or_insert(0) += 1;
    });
    println!("emulator-sts: answers by status {statuses:?}");
    assert!(
        statuses.contains_key(&200) && statuses.contains_key(&400),
        "{statuses:?}"
    );
}
