//! Behaviour of the `mock` fixture's test doubles (feature test-util), as a user's tests use
//! them: rules matched by typed input, answers in sequence (outputs, modelled errors, HTTP
//! statuses), the inputs seen, concurrent callers, and a call no rule answers.

use fixture_mock::mock::{block_on, Mock};
use fixture_mock::operation::create_room::CreateRoomOutput;
use fixture_mock::operation::get_room::{GetRoomError, GetRoomOutput};
use fixture_mock::types::error::RoomNotFound;

/// Code under test: the name of a room, or `None` when there is no such room.
async fn room_name(client: &fixture_mock::Client, id: &str) -> Result<Option<String>, GetRoomError> {
    match client.get_room().id(id).send().await {
        Ok(room) => Ok(room.name().map(str::to_owned)),
        Err(error) if error.is_room_not_found() => Ok(None),
        Err(error) => Err(error),
    }
}

#[test]
fn rules_answer_by_typed_input_in_sequence() {
    let mock = Mock::new();
    let lobby = mock
        .on_get_room()
        .matching(|input| input.id() == Some("lobby"))
        .answer(GetRoomOutput::builder().id("lobby").name("The lobby").build());
    let others = mock
        .on_get_room()
        .answer_error(RoomNotFound::builder().message("gone").build())
        .answer_status(500, r#"{"message": "try again"}"#)
        .then_unmatched();
    let client = mock.client();
    assert_eq!(block_on(room_name(&client, "lobby")).unwrap().as_deref(), Some("The lobby"));
    assert_eq!(block_on(room_name(&client, "attic")).unwrap(), None);
    let error = block_on(room_name(&client, "cellar")).unwrap_err();
    assert!(error.to_string().contains("try again"), "{error}");
    // The second rule is used up: nothing answers now, and the error says what was asked.
    let error = block_on(room_name(&client, "roof")).unwrap_err().to_string();
    assert!(error.contains("no rule that answers GetRoom") && error.contains("roof"), "{error}");
    assert_eq!(lobby.seen().iter().map(|input| input.id().unwrap().to_owned()).collect::<Vec<_>>(), ["lobby"]);
    assert_eq!(others.count(), 2);
    assert_eq!(mock.calls(), ["GetRoom", "GetRoom", "GetRoom", "GetRoom"]);
}

#[test]
fn a_mocked_client_is_shared_by_concurrent_callers() {
    let mock = Mock::new();
    let create = mock.on_create_room().answer(CreateRoomOutput::builder().id("r-1").build());
    let client = mock.client();
    std::thread::scope(|scope| {
        for worker in 0..4 {
            let client = client.clone();
            scope.spawn(move || {
                for call in 0..10 {
                    let name = format!("room-{worker}-{call}");
                    let output = block_on(client.create_room().name(name).send()).unwrap();
                    assert_eq!(output.id(), Some("r-1"));
                }
            });
        }
    });
    assert_eq!(create.count(), 40);
    let mut names: Vec<String> = create.seen().iter().filter_map(|input| input.name().map(str::to_owned)).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 40, "every input is kept");
}
