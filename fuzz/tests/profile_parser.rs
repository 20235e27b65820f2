//! The shared config and credentials file parser on mutated inputs of the official
//! profile-parser suite: every input parses or is an error, never a panic.

use ivschat_fuzz::{suite_folder, Campaign};
use ivschat_runtime::profile::ProfileSet;

#[test]
fn the_profile_parser_never_panics() {
    let Some(folder) = suite_folder("profile") else {
        return;
    };
    let text = std::fs::read_to_string(folder.join("profile-parser-tests.json")).unwrap();
    let suite: serde_json::Value = serde_json::from_str(&text).unwrap();
    let corpus: Vec<Vec<u8>> = suite["tests"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|case| ["configFile", "credentialsFile"].map(|file| case["input"][file].as_str()))
        .flatten()
        .map(|text| text.as_bytes().to_vec())
        .collect();
    assert!(corpus.len() >= 50, "{} files in the suite", corpus.len());
    let parsed = corpus
        .iter()
        .filter(|seed| {
            ProfileSet::from_texts(Some(("config", &String::from_utf8_lossy(seed))), None).is_ok()
        })
        .count();
    assert!(parsed >= corpus.len() / 2, "only {parsed} seeds parse");
    Campaign::new("profile-parser").run(&corpus, |input| {
        let text = String::from_utf8_lossy(input);
        let _ = ProfileSet::from_texts(Some(("config", &text)), None);
        let _ = ProfileSet::from_texts(None, Some(("credentials", &text)));
    });
}
