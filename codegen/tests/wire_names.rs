//! What each protocol calls things on the wire, apart from their Rust names: error codes
//! (`@awsQueryError` is the query protocols' alone) and JSON keys (`@jsonName` is restJson1's
//! alone).

use ivschat_codegen::{generate, Options};

fn options() -> Options {
    Options {
        crate_name: "wire".to_owned(),
        crate_version: "0.0.0".to_owned(),
        source: "wire.json".to_owned(),
        regenerate_command: "none".to_owned(),
        ..Options::default()
    }
}

/// A one-operation service of `protocol` whose error has an `@awsQueryError` code and whose
/// input member has a `@jsonName`.
fn model(protocol: &str) -> String {
    r#"{"smithy": "2.0", "shapes": {
        "a.b#Svc": {"type": "service", "version": "2020-01-01", "operations": [{"target": "a.b#Op"}],
            "traits": {"PROTOCOL": {}}},
        "a.b#Op": {"type": "operation", "input": {"target": "a.b#OpInput"},
            "errors": [{"target": "a.b#QueueMissing"}]},
        "a.b#OpInput": {"type": "structure", "members": {
            "queueName": {"target": "smithy.api#String", "traits": {"smithy.api#jsonName": "QueueName"}}}},
        "a.b#QueueMissing": {"type": "structure", "members": {},
            "traits": {"smithy.api#error": "client",
                "aws.protocols#awsQueryError": {"code": "AWS.Queue.NonExistent", "httpResponseCode": 400}}}
    }}"#
    .replace("PROTOCOL", protocol)
}

fn error_file(protocol: &str) -> String {
    let generated = generate(&model(protocol), "wire.json", None, &options()).unwrap();
    generated.files["src/operation/op/error.rs"].clone()
        + &generated.files["src/operation/op/input.rs"]
}

#[test]
fn query_protocols_match_errors_by_their_query_code() {
    let text = error_file("aws.protocols#awsQuery");
    assert!(text.contains(r#"Some("AWS.Queue.NonExistent")"#), "{text}");
    assert!(
        text.contains(r#""queueName""#),
        "awsQuery keys are member names"
    );
}

#[test]
fn json_protocols_match_errors_by_shape_name_and_ignore_json_name() {
    let text = error_file("aws.protocols#awsJson1_0");
    assert!(text.contains(r#"Some("QueueMissing")"#), "{text}");
    assert!(!text.contains("AWS.Queue.NonExistent"), "{text}");
    assert!(text.contains(r#"object.key("queueName")"#), "{text}");
    assert!(
        text.contains(r#"from_static("Svc.Op")"#),
        "X-Amz-Target names service and operation: {text}"
    );
}
