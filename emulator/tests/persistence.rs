//! `--state-file`: rooms, logging configurations and tags survive a restart; a corrupt file
//! stops the start with an error naming it.

use std::fs;

use ivschat::types::{DestinationConfiguration, S3DestinationConfiguration};
use ivschat::{Client, Config};
use ivschat_local::{Emulator, EmulatorHandle};

fn client(emulator: &EmulatorHandle) -> Client {
    let config = Config::builder()
        .region(emulator.region())
        .endpoint_url(emulator.url())
        .credentials(emulator.credentials());
    Client::from_builder(config).unwrap()
}

#[tokio::test]
async fn state_survives_a_restart() {
    let folder = std::env::temp_dir().join(format!("ivschat-local-state-{}", std::process::id()));
    fs::create_dir_all(&folder).unwrap();
    let path = folder.join("state.json");
    let _ = fs::remove_file(&path);
    let arn = {
        let emulator = Emulator::builder().state_file(&path).start().await.unwrap();
        let client = client(&emulator);
        let s3 = S3DestinationConfiguration::builder()
            .bucket_name("logs-bucket")
            .build()
            .unwrap();
        let logging = client
            .create_logging_configuration()
            .destination_configuration(DestinationConfiguration::S3(s3))
            .send()
            .await
            .unwrap();
        let room = client
            .create_room()
            .name("kept")
            .tags("team", "video")
            .logging_configuration_identifiers(logging.arn().unwrap())
            .send()
            .await
            .unwrap();
        room.arn().unwrap().to_owned()
    };
    let emulator = Emulator::builder().state_file(&path).start().await.unwrap();
    let room = client(&emulator)
        .get_room()
        .identifier(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(room.name(), Some("kept"));
    assert_eq!(room.tags().unwrap()["team"], "video");
    assert_eq!(room.logging_configuration_identifiers().unwrap().len(), 1);
    drop(emulator);
    fs::write(&path, "{ not json").unwrap();
    let error = Emulator::builder()
        .state_file(&path)
        .start()
        .await
        .err()
        .expect("a corrupt file is an error");
    assert!(
        error.to_string().contains("state.json: not JSON"),
        "{error}"
    );
    fs::remove_dir_all(&folder).unwrap();
}

#[tokio::test]
async fn a_second_emulator_refuses_a_state_file_in_use() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("state.json");
    let first = Emulator::builder().state_file(&path).start().await.unwrap();
    let error = match Emulator::builder().state_file(&path).start().await {
        Ok(_) => panic!("two emulators run on one state file"),
        Err(error) => error.to_string(),
    };
    assert!(
        error.contains("another ivschat-local is using the state file"),
        "{error}"
    );
    assert!(error.contains("state.json"), "{error}");
    drop(first);
    assert!(
        Emulator::builder().state_file(&path).start().await.is_ok(),
        "the lock went with it"
    );
    let missing = folder.path().join("no-such-folder").join("state.json");
    let error = match Emulator::builder().state_file(&missing).start().await {
        Ok(_) => panic!("a state file in a missing folder was accepted"),
        Err(error) => error.to_string(),
    };
    assert!(error.contains("no-such-folder"), "{error}");
}
