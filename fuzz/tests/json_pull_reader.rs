//! The runtime's JSON pull reader on mutated JSON, against serde_json: never a panic, bounded
//! nesting, and wherever both accept an input, the same document (numbers compared as
//! numbers: the pull reader parses floats exactly, serde_json by default within an ULP).

mod support;

use ivschat_fuzz::Campaign;
use ivschat_runtime::json::read::{self, Path};
use support::same;

#[test]
fn the_pull_reader_never_panics_and_agrees_with_serde_json() {
    let corpus: Vec<Vec<u8>> = [
        r#"{"rooms": [{"arn": "arn:aws:ivschat:us-east-1:123:room/a", "tags": {"k": "v"}, "maximumMessageLength": 500}], "nextToken": "page-2"}"#,
        r#"{"s": "caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \b\f\n\r\t", "n": [0, -0, 1.5e3, -2E-2, 18446744073709551615, -9223372036854775808]}"#,
        r#"[true, false, null, {"a": {"b": {"c": []}}}, "", 123456789.12345679]"#,
        r#"  {"message": "x", "__type": "ValidationException", "fieldList": [{"name": "n", "message": "m"}]}  "#,
    ]
    .iter()
    .map(|text| text.as_bytes().to_vec())
    .collect();
    let (mut agreed, mut both_refused) = (0usize, 0usize);
    Campaign::new("json-pull-reader").run_json(&corpus, |input| {
        let ours = read::from_body(input, &Path::Root("Fuzz"), read::document);
        let blank = input.iter().all(u8::is_ascii_whitespace);
        let theirs = serde_json::from_slice::<serde_json::Value>(input);
        match (&ours, &theirs) {
            (Ok(document), Ok(value)) => {
                assert!(same(document, value), "{document:?} != {value:?}");
                agreed += 1;
            }
            (Err(error), Err(_)) => {
                let text = error.to_string();
                assert!(
                    text.contains("at byte") || text.contains("nested deeper"),
                    "{text}"
                );
                both_refused += 1;
            }
            // A number out of f64's range is infinite to us, an error to serde_json.
            (Ok(_), Err(error)) => assert!(
                blank || error.to_string().contains("out of range"),
                "{error}"
            ),
            (Err(error), Ok(_)) => panic!(
                "only the pull reader refused {:?}: {error}",
                String::from_utf8_lossy(input)
            ),
        }
    });
    println!("json-pull-reader: {agreed} read alike, {both_refused} refused by both");
    assert!(
        agreed > 100 && both_refused > 100,
        "the campaign reached both outcomes"
    );
}
