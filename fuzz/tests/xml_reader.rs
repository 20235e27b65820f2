//! The XML parser and readers (awsQuery, ec2Query and restXml responses) on mutated response
//! bodies (the XML ones) of the official protocol tests: every body reads or is an error, never
//! a panic, and nesting stays bounded.

use ivschat_fuzz::{suite_folder, Campaign};
use ivschat_runtime::deserialize::Path;
use ivschat_runtime::xml::read;

/// The protocols whose responses are XML.
const XML_PROTOCOLS: &[&str] = &[
    "aws.protocols#awsQuery",
    "aws.protocols#ec2Query",
    "aws.protocols#restXml",
];

/// The response bodies of the XML protocols' cases in the suite's models.
fn corpus(models: &serde_json::Value) -> Vec<Vec<u8>> {
    let mut bodies = Vec::new();
    for shape in models["shapes"].as_object().unwrap().values() {
        let cases = shape["traits"]["smithy.test#httpResponseTests"].as_array();
        for case in cases.into_iter().flatten() {
            let protocol = case["protocol"].as_str().unwrap_or_default();
            if XML_PROTOCOLS.contains(&protocol) {
                if let Some(body) = case["body"]
                    .as_str()
                    .filter(|body| body.trim_start().starts_with('<'))
                {
                    bodies.push(body.as_bytes().to_vec());
                }
            }
        }
    }
    bodies
}

/// Walks every element the way generated readers do: scalars, lists, maps.
fn walk(element: &ivschat_runtime::xml::Element, path: &Path, depth: usize) {
    let _ = read::integer::<i32>(element, path);
    let _ = read::float(element, path);
    let _ = read::boolean(element, path);
    let _ = read::blob(element, path);
    let _ = read::timestamp_in(ivschat_runtime::DateTimeFormat::DateTime)(element, path);
    let _ = read::list(element, "member", path, read::string);
    let names = read::MapNames {
        entry: "entry",
        key: "key",
        value: "value",
    };
    let _ = read::map(element, names, path, read::string);
    assert!(
        depth <= ivschat_runtime::xml::MAX_DEPTH,
        "nesting is bounded"
    );
    for child in element.children() {
        walk(child, &Path::Member(path, child.name()), depth + 1);
    }
}

#[test]
fn the_xml_readers_never_panic() {
    let Some(folder) = suite_folder("protocol-tests/json-ast") else {
        return;
    };
    let text = std::fs::read_to_string(folder.join("aws-protocol-tests.json")).unwrap();
    let models: serde_json::Value = serde_json::from_str(&text).unwrap();
    let corpus = corpus(&models);
    assert!(corpus.len() >= 100, "{} XML response bodies", corpus.len());
    let parsed = corpus
        .iter()
        .filter(|body| read::parse(body).is_ok())
        .count();
    assert_eq!(parsed, corpus.len(), "every seed body parses");
    Campaign::new("xml-reader").run(&corpus, |input| {
        if let Ok(root) = read::parse(input) {
            walk(&root, &Path::Root("Fuzzed"), 1);
        }
        let _ = read::query_result(input, "OpResponse", "OpResult");
    });
}
