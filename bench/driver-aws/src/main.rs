//! The driver of aws-sdk-ivschat.

use aws_sdk_ivschat::config::Credentials;
use aws_sdk_ivschat::Client;
use bench_drivers::{Args, Counting, Driver, ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The official client and the room it reads.
struct Aws {
    client: Client,
    room: String,
}

impl Driver for Aws {
    const NAME: &'static str = "aws-sdk";

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
            .max_results(50)
            .into_paginator()
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

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args = Args::parse();
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(REGION))
        .endpoint_url(args.endpoint.clone())
        .credentials_provider(Credentials::new(
            ACCESS_KEY_ID,
            SECRET_ACCESS_KEY,
            None,
            None,
            "bench",
        ))
        .load()
        .await;
    let driver = Aws {
        client: Client::new(&config),
        room: String::new(),
    };
    bench_drivers::run(driver, &args).await;
}
