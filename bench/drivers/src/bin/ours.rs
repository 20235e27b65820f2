//! The driver of our generated client.

use std::time::Instant;

use bench_drivers::{Args, Measure, ACCESS_KEY_ID, IN_FLIGHT, REGION, SECRET_ACCESS_KEY};
use ivschat::{Client, Config, Credentials};
use ivschat_runtime::StreamExt;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args = Args::parse();
    let config = Config::builder()
        .region(REGION)
        .endpoint_url(args.endpoint.clone())
        .credentials(Credentials::new(
            ACCESS_KEY_ID,
            SECRET_ACCESS_KEY,
            None,
            None,
        ));
    let client = Client::from_builder(config).expect("configuration");
    let room = || async {
        client
            .create_room()
            .name("bench")
            .send()
            .await
            .expect("CreateRoom")
            .arn()
            .unwrap_or_default()
            .to_owned()
    };
    match args.scenario.as_str() {
        "populate" => {
            for index in 0..args.requests {
                client
                    .create_room()
                    .name(format!("bench-{index}"))
                    .send()
                    .await
                    .expect("CreateRoom");
            }
        }
        "populate-tagged" => {
            // Rooms with 50 tags of the longest key and value each: a page of 50 is ~1 MB.
            for index in 0..args.requests {
                let mut create = client.create_room().name(format!("tagged-{index}"));
                for tag in 0..50 {
                    create = create.tags(
                        format!("key-{tag:02}-{}", "k".repeat(121)),
                        format!("value-{index:04}-{tag:02}-{}", "v".repeat(242)),
                    );
                }
                create.send().await.expect("CreateRoom");
            }
        }
        "create" => {
            let mut measure = Measure::start();
            for _ in 0..args.requests {
                let started = Instant::now();
                client
                    .create_room()
                    .name("bench")
                    .send()
                    .await
                    .expect("CreateRoom");
                measure.record(started.elapsed());
            }
            measure.report("ours", "create", args.requests);
        }
        "get" => {
            let arn = room().await;
            for _ in 0..20 {
                client
                    .get_room()
                    .identifier(&arn)
                    .send()
                    .await
                    .expect("GetRoom");
            }
            let mut measure = Measure::start();
            for _ in 0..args.requests {
                let started = Instant::now();
                client
                    .get_room()
                    .identifier(&arn)
                    .send()
                    .await
                    .expect("GetRoom");
                measure.record(started.elapsed());
            }
            measure.report("ours", "get", args.requests);
        }
        "concurrent" => {
            let arn = room().await;
            let measure = Measure::start();
            let mut tasks = Vec::new();
            for _ in 0..IN_FLIGHT {
                let (client, arn) = (client.clone(), arn.clone());
                let share = args.requests / IN_FLIGHT;
                tasks.push(tokio::spawn(async move {
                    for _ in 0..share {
                        client
                            .get_room()
                            .identifier(&arn)
                            .send()
                            .await
                            .expect("GetRoom");
                    }
                }));
            }
            for task in tasks {
                task.await.expect("a task");
            }
            measure.report("ours", "concurrent", args.requests / IN_FLIGHT * IN_FLIGHT);
        }
        "paginate" => {
            let measure = Measure::start();
            let mut pages = 0;
            for _ in 0..args.requests {
                let mut stream = client.list_rooms().into_paginator().page_size(50).send();
                while let Some(page) = stream.next().await {
                    page.expect("ListRooms");
                    pages += 1;
                }
            }
            measure.report("ours", "paginate", pages);
        }
        other => panic!("unknown scenario {other}"),
    }
}
