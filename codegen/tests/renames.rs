//! Model names that would clash in Rust are told apart, with a warning, instead of failing:
//! two shapes with one Rust type name, members named like generated methods.

use ivschat_codegen::{generate, Options};

fn options() -> Options {
    Options {
        crate_name: "renames".to_owned(),
        crate_version: "0.0.0".to_owned(),
        source: "renames.json".to_owned(),
        regenerate_command: "none".to_owned(),
        ..Options::default()
    }
}

#[test]
fn two_shapes_with_one_rust_name_get_distinct_names() {
    let json = r#"{"smithy": "2.0", "shapes": {
        "a.b#Svc": {"type": "service", "operations": [{"target": "a.b#Op"}],
            "traits": {"aws.protocols#restJson1": {}}},
        "a.b#Op": {"type": "operation", "input": {"target": "a.b#OpInput"},
            "traits": {"smithy.api#http": {"method": "POST", "uri": "/op"}}},
        "a.b#OpInput": {"type": "structure", "members": {
            "a": {"target": "a.b#RoomID"}, "b": {"target": "a.b#RoomId"}}},
        "a.b#RoomID": {"type": "structure", "members": {}},
        "a.b#RoomId": {"type": "structure", "members": {}}
    }}"#;
    let generated = generate(json, "renames.json", None, &options()).unwrap();
    assert_eq!(
        generated.warnings,
        ["a.b#RoomId: its Rust name `RoomId` is taken by another shape; it is `RoomId2` in Rust"]
    );
    assert!(generated.files.contains_key("src/types/room_id.rs"));
    assert!(generated.files["src/types/room_id2.rs"].contains("pub struct RoomId2 "));
}
