//! The JSON-lines request log (`--request-log`): one line a request, with the operation,
//! status and a refusal's reason, never a key, a token or a body.

use ivschat::Client;
use ivschat_local::Emulator;
use serde_json::Value;

#[tokio::test]
async fn every_request_is_a_json_line_without_secrets() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("requests.jsonl");
    let emulator = Emulator::builder()
        .request_log(&path)
        .start()
        .await
        .unwrap();
    let client = Client::from_builder(emulator.config().max_attempts(1)).unwrap();
    let room = client.create_room().name("logged").send().await.unwrap();
    let token = client
        .create_chat_token()
        .room_identifier(room.arn().unwrap())
        .user_id("u")
        .send()
        .await
        .unwrap();
    let missing = "arn:aws:ivschat:us-west-2:123456789012:room/nope";
    assert!(client.get_room().identifier(missing).send().await.is_err());
    drop(emulator);
    let text = std::fs::read_to_string(&path).unwrap();
    let entries: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let operations: Vec<&str> = entries
        .iter()
        .map(|entry| entry["operation"].as_str().unwrap())
        .collect();
    assert_eq!(operations, ["CreateRoom", "CreateChatToken", "GetRoom"]);
    assert_eq!(entries[2]["status"], 404);
    assert!(entries[2]["reason"]
        .as_str()
        .unwrap()
        .contains("ResourceNotFoundException"));
    for secret in [
        token.token().unwrap(),
        ivschat_local::DEFAULT_SECRET_ACCESS_KEY,
        ivschat_local::DEFAULT_ACCESS_KEY_ID,
    ] {
        assert!(!text.contains(secret), "the log holds a secret: {text}");
    }
}

#[tokio::test]
async fn a_request_log_that_cannot_be_opened_stops_the_start_naming_it() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("missing-folder/requests.jsonl");
    let error = Emulator::builder()
        .request_log(&path)
        .start()
        .await
        .err()
        .unwrap();
    assert!(
        error.to_string().contains("cannot open the request log"),
        "{error}"
    );
    assert!(error.to_string().contains("missing-folder"), "{error}");
}
