//! The IDL reader: what each construct becomes in the model, and the errors bad IDL gets
//! (file, line, column and what was expected), word for word.

use ivschat_codegen::smithy::{load_sources, Model, ShapeId, ShapeKind, Source};

fn load(files: &[(&str, &str)]) -> Result<Model, String> {
    let sources: Vec<Source> = files
        .iter()
        .map(|(name, text)| Source { name, text })
        .collect();
    load_sources(&sources).map_err(|error| error.to_string())
}

fn error_for(text: &str) -> String {
    match load(&[("bad.smithy", text)]) {
        Ok(_) => panic!("the model was accepted"),
        Err(error) => error,
    }
}

fn id(text: &str) -> ShapeId {
    ShapeId::parse(text).unwrap()
}

const HEADER: &str = "$version: \"2\"\nnamespace a.b\n";

#[test]
fn errors_name_the_line_column_and_what_was_expected() {
    assert_eq!(
        error_for(&format!("{HEADER}structure A {{ x String }}")),
        "bad.smithy: line 3, column 17: expected `:`, found `String`"
    );
    assert_eq!(
        error_for(&format!("{HEADER}widget A")),
        "bad.smithy: line 3, column 1: unknown shape type `widget`"
    );
    assert_eq!(
        error_for(&format!("{HEADER}@length(min: 1\nstring A")),
        "bad.smithy: line 4, column 8: expected `:`, found `A`"
    );
    assert_eq!(
        error_for("$version: \"3\"\nnamespace a.b\n"),
        "bad.smithy: line 1, column 1: unsupported IDL version `3` (this reader takes 1.0 and 2.0)"
    );
    assert_eq!(
        error_for(&format!("{HEADER}string A\n@documentation(\"x\"")),
        "bad.smithy: line 4, column 19: expected `)`, found the end of the file"
    );
    assert_eq!(
        error_for(&format!("{HEADER}string \"A\"")),
        "bad.smithy: line 3, column 8: expected a shape name, found a quoted string"
    );
    assert_eq!(
        error_for(&format!("{HEADER}string A ~")),
        "bad.smithy: line 3, column 10: unexpected character '~'"
    );
    assert_eq!(
        error_for(&format!("{HEADER}string A @documentation(\"\\q\")")),
        "bad.smithy: line 3, column 25: unknown escape `\\q` in a string"
    );
}

#[test]
fn resolution_and_merging_errors_name_the_shape() {
    assert_eq!(
        error_for(&format!("{HEADER}structure A {{ x: Missing }}")),
        "bad.smithy: $.shapes[\"a.b#A\"].members.x.target: shape `a.b#A`: target `a.b#Missing` does not resolve to a shape in the model or the prelude"
    );
    assert_eq!(
        error_for(&format!("{HEADER}structure A {{ $x }}")),
        "bad.smithy: line 3, column 16: shape `a.b#A`: `$x` names no identifier or property of the shape's resource and no member of its mixins"
    );
    assert_eq!(
        error_for(&format!("{HEADER}string A\n@pattern(\"a\")\n@pattern(\"b\")\nstring B")),
        "bad.smithy: line 5, column 2: the trait `smithy.api#pattern` is applied twice with different values"
    );
    let two = load(&[
        ("one.smithy", &format!("{HEADER}string A")),
        ("two.smithy", &format!("{HEADER}integer A")),
    ]);
    assert_eq!(
        two.unwrap_err(),
        "two.smithy: $: shape `a.b#A`: the shape is defined differently in one.smithy and here"
    );
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let deep = format!(
        "{HEADER}@tags({}{})\nstring A",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert_eq!(
        error_for(&deep),
        "bad.smithy: line 3, column 72: node values nest deeper than 64 levels"
    );
}

#[test]
fn ids_resolve_through_use_then_namespace_then_prelude_across_files() {
    let model = load(&[
        (
            "main.smithy",
            "$version: \"2\"\nnamespace a.b\nuse c.d#Imported\n\
             structure S {\n  local: Local\n  imported: Imported\n  prelude: String\n  \
             @references([{resource: R}]) ref: String\n}\nresource R { identifiers: { id: String } }",
        ),
        ("other.smithy", "$version: \"2\"\nnamespace a.b\nstring Local"),
        ("third.json", r#"{"smithy": "2.0", "shapes": {"c.d#Imported": {"type": "long"}}}"#),
    ])
    .unwrap();
    let ShapeKind::Structure(members) = &model.shapes[&id("a.b#S")].kind else {
        panic!("S is a structure");
    };
    let targets: Vec<String> = members.iter().map(|m| m.target.to_string()).collect();
    assert_eq!(
        targets,
        [
            "a.b#Local",
            "c.d#Imported",
            "smithy.api#String",
            "smithy.api#String"
        ]
    );
    let references = members[3].traits.raw("smithy.api#references").unwrap();
    assert_eq!(references[0]["resource"], "a.b#R");
}

#[test]
fn operations_take_inline_structures_and_enums_their_values() {
    let model = load(&[(
        "ops.smithy",
        "$version: \"2\"\n$operationOutputSuffix: \"Response\"\nnamespace a.b\n\
         operation Get {\n  input := @documentation(\"in\") {\n    @required name: String = \"x\"\n  }\n  \
         output := {}\n  errors: [Oops]\n}\n@error(\"client\") structure Oops {}\n\
         enum Color { RED\n GREEN = \"green\" }\nintEnum Level { LOW = 1\n HIGH = 2 }\n\
         string Text\napply Text @documentation(\"\"\"\n    Two\n      lines\n    \"\"\")",
    )])
    .unwrap();
    let ShapeKind::Operation(operation) = &model.shapes[&id("a.b#Get")].kind else {
        panic!("Get is an operation");
    };
    assert_eq!(operation.input, id("a.b#GetInput"));
    assert_eq!(operation.output, id("a.b#GetResponse"));
    let input = &model.shapes[&id("a.b#GetInput")];
    assert!(input.traits.raw("smithy.api#input").is_some());
    assert_eq!(input.traits.documentation.as_deref(), Some("in"));
    let ShapeKind::Structure(members) = &input.kind else {
        panic!("GetInput is a structure");
    };
    assert!(members[0].traits.required);
    assert_eq!(members[0].traits.default, Some("x".into()));
    let ShapeKind::Enum(colors) = &model.shapes[&id("a.b#Color")].kind else {
        panic!("Color is an enum");
    };
    let values: Vec<_> = colors
        .iter()
        .map(|m| m.traits.raw("smithy.api#enumValue").cloned())
        .collect();
    assert_eq!(values, [Some("RED".into()), Some("green".into())]);
    let text = &model.shapes[&id("a.b#Text")];
    assert_eq!(text.traits.documentation.as_deref(), Some("Two\n  lines\n"));
}
