//! A model written in the IDL generates the same crate as its JSON AST twin.

use std::path::Path;

use ivschat_codegen::{generate, Options};

fn generate_fixture(file: &str) -> std::collections::BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let options = Options {
        crate_name: "twin".to_owned(),
        crate_version: "0.0.0".to_owned(),
        runtime_dependency: r#"path = "../runtime""#.to_owned(),
        source: "mixins".to_owned(),
        regenerate_command: "none".to_owned(),
        ..Options::default()
    };
    generate(&text, file, None, &options)
        .unwrap_or_else(|error| panic!("{error}"))
        .files
}

#[test]
fn the_idl_twin_of_a_json_fixture_generates_the_same_crate() {
    let json = generate_fixture("mixins.json");
    let idl = generate_fixture("mixins_idl.smithy");
    assert_eq!(
        json.keys().collect::<Vec<_>>(),
        idl.keys().collect::<Vec<_>>()
    );
    for (path, text) in &json {
        assert_eq!(text, &idl[path], "{path} differs");
    }
}
