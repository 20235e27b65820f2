//! A minimal program: a client from configuration, one GetRoom.
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = aws_sdk_ivschat::Client::new(&config);
    let result = client
        .get_room()
        .identifier("arn:aws:ivschat:us-west-2:123456789012:room/abcdABCD1234")
        .send()
        .await;
    println!("{result:?}");
}
