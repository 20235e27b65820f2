//! The XML pull reader and readers (awsQuery, ec2Query and restXml responses) on mutated
//! response bodies (the XML ones) of the official protocol tests, against the tree parser: both
//! read the same elements and texts and refuse the same bodies, never with a panic, nesting
//! bounded.

use ivschat_fuzz::{suite_folder, Campaign};
use ivschat_runtime::deserialize::{DeserializeError, Path};
use ivschat_runtime::xml::{self, read, Element};

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

/// Follows `expected` (the element as the tree parser read it) with the pull reader: the same
/// child names in order, and for an element without children the same text. Scalars are read
/// from each text the way generated readers do.
fn follow<'a>(
    reader: &mut read::Reader<'a>,
    start: &read::Start<'a>,
    expected: &Element,
    path: &Path,
) -> Result<(), DeserializeError> {
    assert_eq!(start.name(), expected.name(), "{path}");
    if expected.children().is_empty() {
        let text = reader.text(start)?;
        assert_eq!(text, expected.text(), "{path}");
        let _ = read::integer::<i32>(&text, path);
        let _ = read::float(&text, path);
        let _ = read::boolean(&text, path);
        let _ = read::blob(&text, path);
        let _ = read::timestamp_in(ivschat_runtime::DateTimeFormat::DateTime)(&text, path);
        return Ok(());
    }
    for child in expected.children() {
        let pulled = reader.child(start)?;
        let pulled = pulled.unwrap_or_else(|| panic!("{path}: `{}` is missing", child.name()));
        follow(reader, &pulled, child, &Path::Member(path, child.name()))?;
    }
    assert!(reader.child(start)?.is_none(), "{path}: no more children");
    Ok(())
}

/// Reads every element with the pull reader alone: some as structures (child by child), the
/// others by their text (which skips their children). Either way every byte is read.
fn read_all<'a>(
    reader: &mut read::Reader<'a>,
    start: &read::Start<'a>,
) -> Result<(), DeserializeError> {
    while let Some(child) = reader.child(start)? {
        if child.name().len() % 2 == 0 {
            read_all(reader, &child)?;
        } else {
            reader.text(&child)?;
        }
    }
    Ok(())
}

/// Reads the children of `start` as the generated readers read collections: wrapped lists
/// and maps of strings.
fn read_collections<'a>(
    reader: &mut read::Reader<'a>,
    start: &read::Start<'a>,
    path: &Path,
) -> Result<(), DeserializeError> {
    let names = read::MapNames {
        entry: "entry",
        key: "key",
        value: "value",
    };
    while let Some(child) = reader.child(start)? {
        if child.name().len() % 2 == 0 {
            read::list(reader, &child, "member", path, read::string_element)?;
        } else {
            read::map::<String, _>(reader, &child, names, path, read::string_element)?;
        }
    }
    Ok(())
}

#[test]
fn the_pull_reader_reads_what_the_tree_parser_reads_and_never_panics() {
    let Some(folder) = suite_folder("protocol-tests/json-ast") else {
        return;
    };
    let text = std::fs::read_to_string(folder.join("aws-protocol-tests.json")).unwrap();
    let models: serde_json::Value = serde_json::from_str(&text).unwrap();
    let corpus = corpus(&models);
    assert!(corpus.len() >= 100, "{} XML response bodies", corpus.len());
    let parsed = corpus
        .iter()
        .filter(|body| xml::parse(body).is_ok())
        .count();
    assert_eq!(parsed, corpus.len(), "every seed body parses");
    Campaign::new("xml-reader").run(&corpus, |input| {
        let path = Path::Root("Fuzzed");
        let tree = xml::parse(input);
        let pulled = read::Reader::new(input).and_then(|mut reader| {
            let root = reader.root()?;
            match &tree {
                Ok(tree) => follow(&mut reader, &root, tree, &path),
                Err(_) => read_all(&mut reader, &root),
            }
        });
        assert_eq!(
            pulled.is_ok(),
            tree.is_ok(),
            "the pull reader and the tree parser agree on what is well-formed: {pulled:?}"
        );
        let _ = read::document_root(input, |reader, start| {
            read_collections(reader, start, &path)
        });
    });
}
