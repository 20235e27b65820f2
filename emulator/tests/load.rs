//! 64 concurrent clients create, list and delete rooms (bounded: 3 rooms each, one deleted);
//! afterwards the emulator holds exactly the rooms the operations imply.

use std::collections::BTreeSet;
use std::time::Duration;

use ivschat::{Client, Config};
use ivschat_local::Emulator;
use ivschat_runtime::StreamExt;

const CLIENTS: usize = 64;
const ROOMS_EACH: usize = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_clients_leave_a_consistent_state() {
    let emulator = Emulator::builder().start().await.unwrap();
    let config = || {
        Config::builder()
            .region(emulator.region())
            .endpoint_url(emulator.url())
            .credentials(emulator.credentials())
            .initial_backoff(Duration::from_millis(1))
            .operation_timeout(Duration::from_secs(20))
    };
    let mut tasks = Vec::new();
    for index in 0..CLIENTS {
        let client = Client::from_builder(config()).unwrap();
        tasks.push(tokio::spawn(async move {
            let mut kept = Vec::new();
            for room in 0..ROOMS_EACH {
                let created = client
                    .create_room()
                    .name(format!("c{index}-r{room}"))
                    .send()
                    .await
                    .unwrap();
                kept.push(created.arn().unwrap().to_owned());
            }
            let listed = client
                .list_rooms()
                .name(format!("c{index}-r0"))
                .send()
                .await
                .unwrap();
            assert_eq!(listed.rooms().len(), 1);
            let deleted = kept.remove(0);
            client
                .delete_room()
                .identifier(&deleted)
                .send()
                .await
                .unwrap();
            kept
        }));
    }
    let mut expected = BTreeSet::new();
    let finished = tokio::time::timeout(Duration::from_secs(60), async {
        for task in tasks {
            expected.extend(task.await.unwrap());
        }
    })
    .await;
    assert!(finished.is_ok(), "the load run must finish within a minute");
    let client = Client::from_builder(config()).unwrap();
    let listed: BTreeSet<String> = client
        .list_rooms()
        .into_paginator()
        .items()
        .map(|room| room.unwrap().arn().unwrap().to_owned())
        .collect()
        .await;
    assert_eq!(listed.len(), CLIENTS * (ROOMS_EACH - 1));
    assert_eq!(listed, expected);
    assert_eq!(emulator.room_count(), CLIENTS * (ROOMS_EACH - 1));
}
