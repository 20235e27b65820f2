// Each missing member is named.
async fn call(client: ivschat::Client) {
    let _ = client.delete_message().reason("spam").send().await;
}

fn main() {
    let _ = call;
}
