//! A client rendered as a module of a hand-written crate, trimmed to chosen operations: what
//! `ivschat-credentials` holds its SSO and SSO-OIDC clients as.

use std::path::Path;

use ivschat_codegen::{generate, Options};

fn fixture() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/http_bindings.json");
    std::fs::read_to_string(path).unwrap()
}

fn options(operations: &[&str]) -> Options {
    Options {
        crate_name: "host".to_owned(),
        crate_version: "0.0.0".to_owned(),
        source: "http_bindings.json".to_owned(),
        regenerate_command: "cargo test -p ivschat-codegen".to_owned(),
        operations: Some(operations.iter().map(|name| (*name).to_owned()).collect()),
        module_root: Some("objects".to_owned()),
        ..Options::default()
    }
}

#[test]
fn the_module_holds_only_the_chosen_operations_with_paths_rebased() {
    let generated = generate(
        &fixture(),
        "http_bindings.json",
        None,
        &options(&["GetObject"]),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(generated.operation_count, 1);
    let paths: Vec<&str> = generated.files.keys().map(String::as_str).collect();
    assert!(
        paths.contains(&"mod.rs") && paths.contains(&"operation/get_object/mod.rs"),
        "{paths:?}"
    );
    assert!(
        paths.iter().all(|path| !path.starts_with("src/")
            && !path.ends_with(".toml")
            && !path.ends_with(".md")),
        "{paths:?}"
    );
    assert!(
        !paths.iter().any(|path| path.contains("put_object")),
        "{paths:?}"
    );
    let client = &generated.files["client.rs"];
    assert!(
        client.contains("crate::objects::operation::get_object::"),
        "{client}"
    );
    assert!(
        client.contains("host::objects::Client"),
        "doc examples name the module: {client}"
    );
    for (path, text) in &generated.files {
        let stray = text
            .match_indices("crate::")
            .any(|(at, _)| !text[at..].starts_with("crate::objects::"));
        assert!(
            !stray,
            "{path} has a path that does not start at the module"
        );
    }
}

#[test]
fn an_operation_the_service_lacks_is_named() {
    let error = generate(
        &fixture(),
        "http_bindings.json",
        None,
        &options(&["GetObject", "Nope"]),
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.contains(
            "the operation `Nope` chosen for generation is not an operation of the service"
        ),
        "{error}"
    );
}
