//! The blocking client from plain threads (no async in the test): the same fluent builders,
//! typed outputs and errors, and one client shared by several threads calling at once.

use std::sync::mpsc;

use ivschat_local::Emulator;

/// An emulator on a thread with its own runtime, serving until the test process ends.
fn emulator() -> ivschat::ConfigBuilder {
    let (started, ready) = mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let emulator = Emulator::builder().start().await.unwrap();
            started.send(emulator.config()).unwrap();
            std::future::pending::<()>().await;
        });
    });
    ready.recv().unwrap()
}

#[test]
fn threads_share_a_blocking_client_and_get_typed_answers() {
    let client = ivschat::blocking::Client::from_builder(emulator()).unwrap();
    let error = client
        .get_room()
        .identifier("arn:aws:ivschat:us-west-2:123456789012:room/nope")
        .send()
        .unwrap_err();
    assert!(error.is_resource_not_found_exception(), "{error}");
    std::thread::scope(|scope| {
        for worker in 0..4 {
            let client = client.clone();
            scope.spawn(move || {
                for call in 0..5 {
                    let name = format!("room-{worker}-{call}");
                    let room = client.create_room().name(&name).send().unwrap();
                    assert_eq!(room.name(), Some(name.as_str()));
                }
            });
        }
    });
    assert_eq!(
        client
            .list_rooms()
            .max_results(50)
            .send()
            .unwrap()
            .rooms()
            .len(),
        20
    );
}

#[test]
fn a_blocking_paginator_is_an_iterator_of_pages_and_items() {
    let client = ivschat::blocking::Client::from_builder(emulator()).unwrap();
    for index in 0..7 {
        client
            .create_room()
            .name(format!("paged-{index}"))
            .send()
            .unwrap();
    }
    // Pages of 3: 3 + 3 + 1, each requested as the iterator asks for it.
    let pages: Vec<usize> = client
        .list_rooms()
        .into_paginator()
        .page_size(3)
        .send()
        .map(|page| page.unwrap().rooms().len())
        .collect();
    assert_eq!(pages, [3, 3, 1]);
    let mut names: Vec<String> = client
        .list_rooms()
        .into_paginator()
        .page_size(2)
        .items()
        .map(|room| room.unwrap().name().unwrap().to_owned())
        .collect();
    names.sort();
    let expected: Vec<String> = (0..7).map(|index| format!("paged-{index}")).collect();
    assert_eq!(names, expected);
    // An error ends the iteration after it is yielded.
    let mut failing = client
        .list_rooms()
        .next_token("not-a-token")
        .into_paginator()
        .send();
    assert!(failing.next().unwrap().is_err());
    assert!(failing.next().is_none());
}
