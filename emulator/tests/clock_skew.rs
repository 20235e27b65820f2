//! Clock-skew correction end to end: the emulator's clock runs 20 minutes ahead (as a
//! machine's clock 20 minutes behind would look to the service); the client's first call is
//! refused for its time, learns the offset from the answer's `Date`, is sent again and
//! succeeds, and later calls are signed with the service's time at once.

use ivschat::Client;
use ivschat_local::Emulator;

const AHEAD_SECS: i64 = 20 * 60;

#[tokio::test]
async fn a_client_whose_clock_is_off_corrects_it_once_and_keeps_it() {
    let emulator = Emulator::builder()
        .clock_offset(AHEAD_SECS)
        .start()
        .await
        .unwrap();
    let client = Client::from_builder(emulator.config()).unwrap();
    assert_eq!(client.clock_offset(), 0);
    let room = client.create_room().name("skewed").send().await.unwrap();
    assert_eq!(emulator.request_count(), 2, "refused once, then accepted");
    assert!(
        (client.clock_offset() - AHEAD_SECS).abs() <= 2,
        "{}",
        client.clock_offset()
    );
    client
        .get_room()
        .identifier(room.arn().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        emulator.request_count(),
        3,
        "signed with the service's time at once"
    );
}

#[tokio::test]
async fn a_clock_within_the_allowed_skew_is_left_alone() {
    let emulator = Emulator::builder().clock_offset(120).start().await.unwrap();
    let client = Client::from_builder(emulator.config()).unwrap();
    client.list_rooms().send().await.unwrap();
    assert_eq!(emulator.request_count(), 1);
    assert_eq!(client.clock_offset(), 0);
}

#[tokio::test]
async fn a_real_signature_error_is_not_retried_for_time() {
    let emulator = Emulator::builder().start().await.unwrap();
    let wrong_key = emulator
        .config()
        .credentials(ivschat_runtime::credentials::Credentials::new(
            emulator.credentials().access_key_id(),
            "not the secret",
            None,
            None,
        ));
    let client = Client::from_builder(wrong_key).unwrap();
    let error = client.list_rooms().send().await.unwrap_err();
    assert!(error.to_string().contains("signature"), "{error}");
    assert_eq!(emulator.request_count(), 1, "refused once, not sent again");
    assert_eq!(client.clock_offset(), 0);
}
