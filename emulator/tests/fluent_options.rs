//! `set_<member>(Option)` on required members: the value may come from an `Option`; `None`
//! compiles and fails at `send()`, naming the member, before anything is sent.

use ivschat::Client;
use ivschat_local::Emulator;

#[tokio::test]
async fn a_required_member_set_from_an_option_is_checked_at_send() {
    let emulator = Emulator::builder().start().await.unwrap();
    let client = Client::from_builder(emulator.config()).unwrap();
    let room = client.create_room().name("optional").send().await.unwrap();
    let arn: Option<String> = room.arn().map(str::to_owned);
    let got = client.get_room().set_identifier(arn).send().await.unwrap();
    assert_eq!(got.name(), Some("optional"));
    let sent_before = emulator.request_count();
    let error = client
        .get_room()
        .set_identifier(None)
        .send()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("identifier"), "{error}");
    assert_eq!(emulator.request_count(), sent_before, "nothing was sent");
}
