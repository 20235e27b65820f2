// `send()` without `roomIdentifier` must not compile, and the error must name the member.
async fn call(client: ivschat::Client) {
    let _ = client.create_chat_token().user_id("viewer-1").send().await;
}

fn main() {
    let _ = call;
}
