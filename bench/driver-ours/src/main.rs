//! The driver of our generated client.

use bench_drivers::{Args, Counting, Driver, ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY};
use ivschat::{Client, Config, Credentials};
use ivschat_runtime::StreamExt;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Our client and the room it reads.
struct Ours {
    client: Client,
    room: String,
}

impl Driver for Ours {
    const NAME: &'static str = "ours";

    async fn create_room(&mut self, name: &str) {
        self.client
            .create_room()
            .name(name)
            .send()
            .await
            .expect("CreateRoom");
    }

    async fn use_new_room(&mut self) {
        let created = self
            .client
            .create_room()
            .name("bench")
            .send()
            .await
            .expect("CreateRoom");
        self.room = created.arn().unwrap_or_default().to_owned();
    }

    async fn get_room(&mut self) {
        self.client
            .get_room()
            .identifier(&self.room)
            .send()
            .await
            .expect("GetRoom");
    }

    async fn list_rooms(&mut self) -> usize {
        let mut pages = 0;
        let mut stream = self
            .client
            .list_rooms()
            .into_paginator()
            .page_size(50)
            .send();
        while let Some(page) = stream.next().await {
            page.expect("ListRooms");
            pages += 1;
        }
        pages
    }

    fn for_task(&self) -> impl std::future::Future<Output = Self> + Send + 'static {
        let (client, room) = (self.client.clone(), self.room.clone());
        async move { Self { client, room } }
    }
}

/// Creates `rooms` rooms with 50 tags of the longest key and value each: a page of 50 is
/// about 1 MB.
async fn populate_tagged(client: &Client, rooms: usize) {
    for index in 0..rooms {
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
    if args.scenario == "populate-tagged" {
        populate_tagged(&client, args.requests).await;
        return;
    }
    let driver = Ours {
        client,
        room: String::new(),
    };
    bench_drivers::run(driver, &args).await;
}
