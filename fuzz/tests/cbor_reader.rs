//! The CBOR reader (RPC v2 CBOR bodies) on mutated bodies of the Smithy RPC v2 CBOR protocol
//! tests: every body decodes or is an error naming its byte offset, never a panic, and
//! nesting stays bounded.

use ivschat_codegen::smithy::{load_sources, Source};
use ivschat_fuzz::{suite_folder, text_files, Campaign};
use ivschat_runtime::cbor::read;

/// The CBOR bodies (base64 in the cases) of every request and response case.
fn corpus(model: &ivschat_codegen::smithy::Model) -> Vec<Vec<u8>> {
    let mut bodies = Vec::new();
    for shape in model.shapes.values() {
        for test_trait in [
            "smithy.test#httpRequestTests",
            "smithy.test#httpResponseTests",
        ] {
            let cases = shape
                .traits
                .raw(test_trait)
                .and_then(|cases| cases.as_array());
            for case in cases.into_iter().flatten() {
                if case["bodyMediaType"] != "application/cbor" {
                    continue;
                }
                let body = case["body"].as_str().unwrap_or_default();
                if let Some(bytes) = ivschat_runtime::json::base64::decode(body) {
                    bodies.push(bytes);
                }
            }
        }
    }
    bodies
}

/// The nesting of a decoded value.
fn depth(value: &serde_json::Value) -> usize {
    match value {
        serde_json::Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        serde_json::Value::Object(entries) => 1 + entries.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

#[test]
fn the_cbor_reader_never_panics() {
    let Some(folder) = suite_folder("protocol-tests") else {
        return;
    };
    let mut paths = text_files(&folder.join("smithy-protocol-tests/model"), ".smithy");
    paths.extend(text_files(
        &folder.join("smithy-validation-model"),
        ".smithy",
    ));
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|path| {
            (
                path.display().to_string(),
                std::fs::read_to_string(path).unwrap(),
            )
        })
        .collect();
    let sources: Vec<Source> = files
        .iter()
        .map(|(name, text)| Source { name, text })
        .collect();
    let model = load_sources(&sources).unwrap();
    let corpus: Vec<Vec<u8>> = corpus(&model)
        .into_iter()
        .filter(|body| !body.is_empty())
        .collect();
    assert!(corpus.len() >= 40, "{} CBOR bodies", corpus.len());
    let decoded = corpus
        .iter()
        .filter(|body| read::parse(body).is_ok())
        .count();
    assert_eq!(decoded, corpus.len(), "every seed body decodes");
    Campaign::new("cbor-reader").run(&corpus, |input| match read::parse(input) {
        Ok(value) => assert!(depth(&value) <= read::MAX_DEPTH + 1, "nesting is bounded"),
        Err(error) => assert!(error.to_string().contains("at byte"), "{error}"),
    });
}
