//! State snapshots: `GET /_emulator/state` saves the rooms, logging configurations and tags,
//! `PUT /_emulator/state` loads them into another emulator (or back), all or nothing.

use ivschat::Client;
use ivschat_local::{Emulator, EmulatorHandle};
use serde_json::Value;

mod support;
use support::Target;

fn target(emulator: &EmulatorHandle) -> Target {
    Target {
        url: emulator.url(),
        region: emulator.region(),
        credentials: emulator.credentials(),
    }
}

fn client(emulator: &EmulatorHandle) -> Client {
    Client::from_builder(emulator.config().max_attempts(1)).unwrap()
}

#[tokio::test]
async fn a_snapshot_saved_from_one_emulator_loads_into_another() {
    let first = Emulator::builder().start().await.unwrap();
    let room = client(&first)
        .create_room()
        .name("lobby")
        .tags("team", "chat")
        .send()
        .await
        .unwrap();
    let saved = target(&first).signed("GET", "/_emulator/state", b"").await;
    assert_eq!(saved.status(), 200);
    let snapshot: Value = serde_json::from_slice(saved.body()).unwrap();
    assert_eq!(snapshot["rooms"][0]["name"], "lobby");
    // Loaded over HTTP into a second emulator: the room, with its ARN and tags, is there.
    let second = Emulator::builder().start().await.unwrap();
    let loaded = target(&second)
        .signed("PUT", "/_emulator/state", saved.body())
        .await;
    assert_eq!(loaded.status(), 200, "{:?}", loaded.body());
    let counts: Value = serde_json::from_slice(loaded.body()).unwrap();
    assert_eq!(counts["rooms"], 1);
    let copy = client(&second)
        .get_room()
        .identifier(room.arn().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(copy.name(), Some("lobby"));
    assert_eq!(copy.tags().unwrap()["team"], "chat");
    // In code, too: the handle's snapshot is the same document.
    assert_eq!(
        serde_json::from_str::<Value>(&second.snapshot()).unwrap(),
        snapshot
    );
}

#[tokio::test]
async fn a_wrong_snapshot_changes_nothing_and_says_why() {
    let emulator = Emulator::builder().start().await.unwrap();
    client(&emulator)
        .create_room()
        .name("kept")
        .send()
        .await
        .unwrap();
    let before = emulator.snapshot();
    for (snapshot, complaint) in [
        (&b"not json"[..], "not JSON"),
        (br#"{"version": 2}"#, "version 1"),
        (
            br#"{"version": 1, "rooms": [{"arn": "x"}], "loggingConfigurations": [], "tags": {}}"#,
            "room record is incomplete",
        ),
    ] {
        let answer = target(&emulator)
            .signed("PUT", "/_emulator/state", snapshot)
            .await;
        assert_eq!(answer.status(), 400);
        let body = String::from_utf8_lossy(answer.body()).into_owned();
        assert!(body.contains(complaint), "{body}");
    }
    assert_eq!(emulator.snapshot(), before);
    let error = emulator.load_snapshot("{}").await.unwrap_err();
    assert!(error.contains("version 1"), "{error}");
    // Unsigned, the state is neither shown nor changed.
    let stranger = Target {
        credentials: ivschat::Credentials::new("AKIDNOBODY", "wrong", None, None),
        ..target(&emulator)
    };
    assert_eq!(
        stranger
            .signed("GET", "/_emulator/state", b"")
            .await
            .status(),
        403
    );
    let empty = br#"{"version": 1, "rooms": [], "loggingConfigurations": [], "tags": {}}"#;
    assert_eq!(
        stranger
            .signed("PUT", "/_emulator/state", empty)
            .await
            .status(),
        403
    );
    assert_eq!(emulator.room_count(), 1);
    // Loading an empty snapshot empties it.
    emulator
        .load_snapshot(std::str::from_utf8(empty).unwrap())
        .await
        .unwrap();
    assert_eq!(emulator.room_count(), 0);
}

#[tokio::test]
async fn a_loaded_snapshot_is_saved_to_the_state_file_and_survives_a_restart() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("state.json");
    let source = Emulator::builder().start().await.unwrap();
    client(&source)
        .create_room()
        .name("moved")
        .send()
        .await
        .unwrap();
    let snapshot = source.snapshot();
    let kept = Emulator::builder().state_file(&path).start().await.unwrap();
    kept.load_snapshot(&snapshot).await.unwrap();
    drop(kept);
    let restarted = Emulator::builder().state_file(&path).start().await.unwrap();
    assert_eq!(restarted.room_count(), 1);
    assert_eq!(
        serde_json::from_str::<Value>(&restarted.snapshot()).unwrap(),
        serde_json::from_str::<Value>(&snapshot).unwrap()
    );
}
