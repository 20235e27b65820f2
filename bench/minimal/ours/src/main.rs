//! A minimal program: a client from configuration, one GetRoom.
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let client = ivschat::Client::from_env().await.expect("configuration");
    let result = client
        .get_room()
        .identifier("arn:aws:ivschat:us-west-2:123456789012:room/abcdABCD1234")
        .send()
        .await;
    println!("{result:?}");
}
