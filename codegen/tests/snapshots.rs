//! Each fixture model (one feature each) renders to checked-in output: `cargo insta review`
//! shows what a generator change does to it.

use std::path::Path;

use ivschat_codegen::{generate, Options};

/// Files every crate gets unchanged; they are snapshotted once, by the `docs` fixture.
const BOILERPLATE: &[&str] = &["src/primitives.rs", "src/error.rs"];

fn options() -> Options {
    Options {
        crate_name: "fixture".to_owned(),
        crate_version: "0.0.0".to_owned(),
        runtime_dependency: r#"path = "../runtime""#.to_owned(),
        source: "fixture.json".to_owned(),
        regenerate_command: "cargo test -p ivschat-codegen".to_owned(),
        ..Options::default()
    }
}

/// All generated files of a fixture, each under a `=== path ===` line.
fn render_fixture(name: &str, keep_boilerplate: bool) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{name}.json"));
    let json = std::fs::read_to_string(&path).unwrap();
    let generated = generate(&json, &format!("{name}.json"), None, &options())
        .unwrap_or_else(|error| panic!("{error}"));
    generated
        .files
        .iter()
        .filter(|(path, _)| keep_boilerplate || !BOILERPLATE.contains(&path.as_str()))
        .map(|(path, text)| format!("=== {path} ===\n{text}"))
        .collect()
}

macro_rules! fixture_snapshot {
    ($name:ident) => {
        fixture_snapshot!($name, false);
    };
    ($name:ident, $boilerplate:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(render_fixture(stringify!($name), $boilerplate));
        }
    };
}

fixture_snapshot!(enum_trait_vs_shape);
fixture_snapshot!(int_enum);
fixture_snapshot!(union);
fixture_snapshot!(recursion);
fixture_snapshot!(keywords);
fixture_snapshot!(sensitive);
fixture_snapshot!(constraints);
fixture_snapshot!(docs, true);
fixture_snapshot!(timestamps);
fixture_snapshot!(defaults);
fixture_snapshot!(http_bindings);
fixture_snapshot!(event_stream);
fixture_snapshot!(mixins);
fixture_snapshot!(streaming);
fixture_snapshot!(checksums);
fixture_snapshot!(pagination);
fixture_snapshot!(generated_names);
fixture_snapshot!(aws_query);
fixture_snapshot!(rest_xml);
