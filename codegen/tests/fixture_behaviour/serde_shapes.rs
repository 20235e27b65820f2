//! Behaviour of the `serde_shapes` fixture's generated types under the `serde` feature (built
//! with every feature by `cargo xtask check-fixtures`, so `serde-sensitive` is on too): every
//! kind of shape written with the model's names and read back equal.

use fixture_serde_shapes::types::{Choice, Color, Everything, Level};

const EVERYTHING: &str = r#"{"id":"a","flag":true,"tiny":-1,"small":300,"count":7,"large":9007199254740993,"ratio":0.5,"precise":2.25,"at":"2024-02-29T12:00:00.25Z","bytes":"aGkh","free":{"list":[1,-2,null],"on":true},"names":["x","y"],"sparse":{"gone":null,"one":1},"byColor":{"red":2},"color":"red","level":2,"choice":{"nested":{"id":"b","choice":{"text":"deep"},"retries":3}},"child":{"id":"c","color":"green","level":9,"retries":0},"secret":"hunter2","retries":3}"#;

fn normalized(json: &str) -> serde_json::Value {
    serde_json::from_str(json).unwrap()
}

#[test]
fn every_kind_of_shape_reads_and_writes_back_the_same_json() {
    let value: Everything = serde_json::from_str(EVERYTHING).unwrap();
    assert_eq!(value.color(), Some(&Color::Red));
    assert_eq!(value.level(), Some(&Level::High));
    assert_eq!(value.bytes().map(|blob| blob.as_bytes()), Some(&b"hi!"[..]));
    assert_eq!(value.at().map(|at| at.subsec_nanos()), Some(250_000_000));
    assert!(matches!(value.choice(), Some(Choice::Nested(_))));
    // Unknown enum and intEnum values are kept as received.
    let child = value.child().unwrap();
    assert_eq!(child.color().map(Color::as_str), Some("green"));
    assert_eq!(child.level().map(Level::as_i32), Some(9));
    let written = serde_json::to_string(&value).unwrap();
    assert_eq!(normalized(&written), normalized(EVERYTHING));
    let again: Everything = serde_json::from_str(&written).unwrap();
    assert_eq!(again, value);
}

#[test]
fn unknown_union_members_are_kept_and_malformed_values_are_refused() {
    let choice: Choice = serde_json::from_str(r#"{"shape":{"sides":3}}"#).unwrap();
    assert!(choice.is_unknown());
    assert_eq!(serde_json::to_string(&choice).unwrap(), r#"{"shape":{"sides":3}}"#);
    assert!(serde_json::from_str::<Choice>("{}").is_err());
    // A missing member with a model default reads as it; a required member the type keeps
    // optional (as the wire may omit it) reads as unset; a malformed one says what is wrong.
    let defaulted: Everything = serde_json::from_str(r#"{"flag":true}"#).unwrap();
    assert_eq!((defaulted.retries(), defaulted.id()), (3, None));
    let error = serde_json::from_str::<Everything>(r#"{"id":7}"#).unwrap_err();
    assert!(error.to_string().contains("expected a string"), "{error}");
    let error = serde_json::from_str::<Everything>(r#"{"id":"a","bytes":"%%"}"#).unwrap_err();
    assert!(error.to_string().contains("base64"), "{error}");
}
