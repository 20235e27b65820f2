//! The CBOR readers (RPC v2 CBOR bodies) on mutated bodies of the Smithy RPC v2 CBOR protocol
//! tests: every body decodes or is an error naming its byte offset, never a panic, nesting
//! stays bounded, and the pull reader (what generated readers use) reads the same document as
//! the whole-body decoder wherever both accept the body.

mod support;

use ivschat_codegen::smithy::{load_sources, Source};
use ivschat_fuzz::{suite_folder, text_files, Campaign};
use ivschat_runtime::cbor::read;
use ivschat_runtime::json::read::{document, from_cbor, Path};
use support::same;

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
    let (mut agreed, mut both_refused) = (0usize, 0usize);
    Campaign::new("cbor-reader").run(&corpus, |input| {
        let pulled = from_cbor(input, &Path::Root("Fuzz"), document);
        match (read::parse(input), pulled) {
            (Ok(value), Ok(pulled)) => {
                assert!(depth(&value) <= read::MAX_DEPTH + 1, "nesting is bounded");
                assert!(same(&pulled, &value), "{pulled:?} != {value:?}");
                agreed += 1;
            }
            (Err(error), Err(pulled)) => {
                assert!(error.to_string().contains("at byte"), "{error}");
                let pulled = pulled.to_string();
                assert!(
                    pulled.contains("at byte") || pulled.contains("nested deeper"),
                    "{pulled}"
                );
                both_refused += 1;
            }
            // The pull reader allows 128 levels of nesting, the decoder 100.
            (Err(error), Ok(_)) => assert!(error.to_string().contains("nested deeper"), "{error}"),
            (Ok(value), Err(error)) => panic!("only the pull reader refused {value}: {error}"),
        }
    });
    println!("cbor-reader: {agreed} read alike, {both_refused} refused by both");
    assert!(
        agreed > 100 && both_refused > 100,
        "the campaign reached both outcomes"
    );
}
