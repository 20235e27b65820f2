//! The official profile-file suites: the parser (`profile-parser-tests.json`) and file
//! locations (`file-location-tests.json`), from `$IVSCHAT_TESTSUITES/profile`.

use std::collections::BTreeMap;

use ivschat_runtime::env::Env;
use ivschat_runtime::profile::{Platform, ProfileFiles, ProfileSet, Properties};
use serde_json::Value;

fn suite(file: &str) -> Option<Vec<Value>> {
    // Unset, the test says so and skips; under `CI=true` it fails.
    let path = ivschat_fuzz::suite_folder("profile")?.join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let document: Value = serde_json::from_str(&text).unwrap();
    Some(document["tests"].as_array().unwrap().clone())
}

fn plain(sections: &BTreeMap<String, Properties>) -> Value {
    sections
        .iter()
        .map(|(name, properties)| {
            let properties: serde_json::Map<String, Value> = properties
                .iter()
                .map(|(key, property)| (key.clone(), Value::String(property.value.clone())))
                .collect();
            (name.clone(), Value::Object(properties))
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// Runs one parser case; `None` when it passes, else why not.
fn parser_case(case: &Value) -> Option<String> {
    let input = &case["input"];
    let config = input["configFile"].as_str().map(|text| ("config", text));
    let credentials = input["credentialsFile"]
        .as_str()
        .map(|text| ("credentials", text));
    let result = ProfileSet::from_texts(config, credentials);
    let output = &case["output"];
    match (result, output["errorContaining"].as_str()) {
        (Err(error), Some(expected)) if error.message.contains(expected) => None,
        (Err(error), Some(expected)) => {
            Some(format!("error `{error}` does not contain `{expected}`"))
        }
        (Err(error), None) => Some(format!("unexpected error `{error}`")),
        (Ok(_), Some(expected)) => Some(format!(
            "parsed, but expected an error containing `{expected}`"
        )),
        (Ok(set), None) => {
            let expected = &output["config"];
            let profiles_ok = plain(&set.profiles) == expected["profiles"];
            let sessions_ok = expected
                .get("sso_sessions")
                .is_none_or(|sessions| plain(&set.sso_sessions) == *sessions);
            (!(profiles_ok && sessions_ok)).then(|| {
                format!(
                    "got profiles {} and sso_sessions {}",
                    plain(&set.profiles),
                    plain(&set.sso_sessions)
                )
            })
        }
    }
}

#[test]
fn profile_parser_suite() {
    let Some(cases) = suite("profile-parser-tests.json") else {
        return;
    };
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| parser_case(case).map(|why| format!("{}: {why}", case["name"])))
        .collect();
    println!(
        "profile parser suite: {}/{} cases passed",
        cases.len() - failures.len(),
        cases.len()
    );
    // The suite's size is pinned: a suite that lost cases (a truncated copy) must not pass.
    assert_eq!(
        cases.len(),
        65,
        "the parser suite has {} cases",
        cases.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn profile_file_location_suite() {
    let Some(cases) = suite("file-location-tests.json") else {
        return;
    };
    let mut failures = Vec::new();
    for case in &cases {
        let variables: Vec<(String, String)> = case["environment"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(name, value)| (name.clone(), value.as_str().unwrap().to_owned()))
            .collect();
        let env = Env::from_pairs(
            variables
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str())),
        );
        let platform = if case["platform"] == "windows" {
            Platform::Windows
        } else {
            Platform::Unix
        };
        let files = ProfileFiles::locate(&env, platform);
        let expected_profile = case["profile"].as_str().unwrap_or("default");
        if files.config != case["configLocation"]
            || files.credentials != case["credentialsLocation"]
            || files.profile != expected_profile
        {
            failures.push(format!("{}: got {files:?}", case["name"]));
        }
    }
    println!(
        "profile file location suite: {}/{} cases passed",
        cases.len() - failures.len(),
        cases.len()
    );
    assert_eq!(
        cases.len(),
        9,
        "the location suite has {} cases",
        cases.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
