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

/// The Rust names the rename warnings give (`... it is `name2` in Rust`).
fn rust_names(warnings: &[String]) -> Vec<&str> {
    warnings
        .iter()
        .filter_map(|warning| warning.rsplit_once("it is `"))
        .map(|(_, rest)| rest.trim_end_matches("` in Rust"))
        .collect()
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
        ["a.b#RoomId: its Rust name `RoomId` is taken by another shape or a generated variant; it is `RoomId2` in Rust"]
    );
    assert!(generated.files.contains_key("src/types/room_id.rs"));
    assert!(generated.files["src/types/room_id2.rs"].contains("pub struct RoomId2 "));
}

#[test]
fn operations_named_like_client_methods_or_each_other_get_distinct_names() {
    let json = r#"{"smithy": "2.0", "shapes": {
        "a.b#Svc": {"type": "service", "operations": [
            {"target": "a.b#Config"}, {"target": "a.b#GetFoo"}, {"target": "a.b#Get_Foo"}],
            "traits": {"aws.protocols#restJson1": {}}},
        "a.b#Config": {"type": "operation", "traits": {"smithy.api#http": {"method": "GET", "uri": "/c"}}},
        "a.b#GetFoo": {"type": "operation", "traits": {"smithy.api#http": {"method": "GET", "uri": "/f"}}},
        "a.b#Get_Foo": {"type": "operation", "traits": {"smithy.api#http": {"method": "GET", "uri": "/g"}}}
    }}"#;
    let generated = generate(json, "renames.json", None, &options()).unwrap();
    assert_eq!(
        generated.warnings,
        [
            "a.b#Config: its Rust name `config` is taken by another operation or a client method; it is `config2` in Rust",
            "a.b#Get_Foo: its Rust name `get_foo` is taken by another operation or a client method; it is `get_foo2` in Rust",
        ]
    );
    let client = &generated.files["src/client.rs"];
    assert!(client.contains("pub fn config2(&self)"));
    assert!(client.contains("pub fn get_foo2(&self)"));
    assert!(generated
        .files
        .contains_key("src/operation/get_foo2/mod.rs"));
    // Its other items follow the Rust name.
    assert!(generated.files["src/operation/get_foo2/error.rs"].contains("pub enum GetFoo2Error"));
}

#[test]
fn an_error_named_like_an_error_enum_variant_is_renamed() {
    let json = r#"{"smithy": "2.0", "shapes": {
        "a.b#Svc": {"type": "service", "operations": [{"target": "a.b#Op"}],
            "traits": {"aws.protocols#restJson1": {}}},
        "a.b#Op": {"type": "operation", "errors": [{"target": "a.b#Unhandled"}],
            "traits": {"smithy.api#http": {"method": "POST", "uri": "/op"}}},
        "a.b#Unhandled": {"type": "structure", "members": {},
            "traits": {"smithy.api#error": "client"}}
    }}"#;
    let generated = generate(json, "renames.json", None, &options()).unwrap();
    assert_eq!(
        generated.warnings,
        ["a.b#Unhandled: its Rust name `Unhandled` is taken by another shape or a generated variant; it is `Unhandled2` in Rust"]
    );
    let errors = &generated.files["src/operation/op/error.rs"];
    assert!(errors.contains("Unhandled2(crate::types::error::Unhandled2)"));
    // The wire code stays the model's name.
    assert!(errors.contains("Some(\"Unhandled\")"));
}

#[test]
fn members_named_like_default_or_a_std_trait_method_are_renamed() {
    let model = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/std_method_names.smithy"),
    )
    .unwrap();
    let generated = generate(&model, "std_method_names.smithy", None, &options()).unwrap();
    let renamed = rust_names(&generated.warnings);
    for name in [
        "default2",
        "add2",
        "next2",
        "neg2",
        "from_str2",
        "clone2",
        "hash2",
        "sub2",
        "eq2",
        "not2",
        "into_iter2",
    ] {
        assert!(renamed.contains(&name), "{name} in {renamed:?}");
    }
    let input = &generated.files["src/operation/add/input.rs"];
    assert!(input.contains("pub fn default2("), "the setter is renamed");
    assert!(
        input.contains("AddInputBuilder::default()"),
        "Default::default stays callable"
    );
    assert!(
        input.contains("pub fn plain("),
        "other members keep their names"
    );
}

#[test]
fn references_to_a_renamed_member_follow_it() {
    // `Build`, `Validate` and `Default` take names of generated methods, so they are renamed;
    // the label, the endpoint parameter and the pagination tokens that name them must use
    // the new names.
    let json = r#"{"smithy": "2.0", "shapes": {
        "a.b#Svc": {"type": "service", "version": "1", "operations": [{"target": "a.b#ListThings"}],
            "traits": {"aws.protocols#restJson1": {}, "smithy.rules#endpointRuleSet": {
                "version": "1.0",
                "parameters": {"Bucket": {"type": "String", "required": false, "documentation": "b"}},
                "rules": [{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://example.com"}}]}}},
        "a.b#ListThings": {"type": "operation",
            "input": {"target": "a.b#ListThingsInput"}, "output": {"target": "a.b#ListThingsOutput"},
            "traits": {"smithy.api#http": {"method": "GET", "uri": "/things/{Build}"},
                "smithy.api#readonly": {},
                "smithy.api#paginated": {"inputToken": "Validate", "outputToken": "Page.Default",
                    "items": "Things"}}},
        "a.b#ListThingsInput": {"type": "structure", "members": {
            "Build": {"target": "smithy.api#String", "traits": {"smithy.api#required": {},
                "smithy.api#httpLabel": {}, "smithy.rules#contextParam": {"name": "Bucket"}}},
            "Validate": {"target": "smithy.api#String", "traits": {"smithy.api#httpQuery": "token"}}}},
        "a.b#ListThingsOutput": {"type": "structure", "members": {
            "Page": {"target": "a.b#Page"},
            "Things": {"target": "a.b#Things"}}},
        "a.b#Page": {"type": "structure", "members": {"Default": {"target": "smithy.api#String"}}},
        "a.b#Things": {"type": "list", "member": {"target": "smithy.api#String"}}
    }}"#;
    let generated = generate(json, "renames.json", None, &options()).unwrap();
    let renamed = rust_names(&generated.warnings);
    assert_eq!(renamed, ["build2", "validate2", "default2"]);
    let input = &generated.files["src/operation/list_things/input.rs"];
    assert!(
        input.contains("self.build2.as_ref()"),
        "the URI label: {input}"
    );
    let fluent = &generated.files["src/operation/list_things/fluent.rs"];
    assert!(
        fluent.contains("params.bucket = input.build2.clone();"),
        "the endpoint parameter: {fluent}"
    );
    let paginator = &generated.files["src/operation/list_things/paginator.rs"];
    assert!(
        paginator.contains("input.set_validate2(Some(token))"),
        "{paginator}"
    );
    assert!(
        paginator.contains("value.default2"),
        "the next token: {paginator}"
    );
}
