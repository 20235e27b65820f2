//! The official assume-role cases (`$IVSCHAT_TESTSUITES/profile/aws-config/assume-role-tests.json`):
//! each case's profiles are written as a config file, the selected profile's chain is resolved,
//! and the chain (base, then roles) must equal the case's, or the resolution must fail where
//! the case expects an error: one that holds the suite's words or, where ours differ, the
//! case's own cause (`ERROR_CAUSES`); our wording is printed beside the suite's.

use ivschat_credentials::role_chain::{self, Base, CredentialSource, ProfileChain};
use ivschat_runtime::profile::{ProfileSet, Properties};
use serde_json::{json, Map, Value};

/// The case's profiles and sso-sessions as a config file.
fn config_text(input: &Value) -> String {
    let mut text = String::new();
    let sections = [("profiles", "profile"), ("sso_sessions", "sso-session")];
    for (field, kind) in sections {
        for (name, properties) in input[field].as_object().into_iter().flatten() {
            text.push_str(&format!("[{kind} {name}]\n"));
            for (key, value) in properties.as_object().into_iter().flatten() {
                text.push_str(&format!("{key} = {}\n", value.as_str().unwrap_or_default()));
            }
        }
    }
    text
}

fn value(profile: &Properties, key: &str) -> Option<Value> {
    profile
        .get(key)
        .map(|property| Value::String(property.value.clone()))
}

/// Selected keys of a profile as a JSON object (absent keys left out).
fn keys(profile: &Properties, names: &[&str]) -> Value {
    let object: Map<String, Value> = names
        .iter()
        .filter_map(|name| value(profile, name).map(|value| ((*name).to_owned(), value)))
        .collect();
    Value::Object(object)
}

/// A profile's own source, as the suite names it.
fn own_source(set: &ProfileSet, name: &str) -> Value {
    let profile = &set.profiles[name];
    if profile.contains_key("aws_access_key_id") {
        return json!({ "AccessKey": keys_with_prefix(profile) });
    }
    let mut sso = keys(
        profile,
        &[
            "sso_session",
            "sso_account_id",
            "sso_region",
            "sso_role_name",
            "sso_start_url",
        ],
    );
    if let Some(session) = profile.get("sso_session") {
        let section = &set.sso_sessions[&session.value];
        let extra = keys(section, &["sso_region", "sso_start_url"]);
        sso.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
    }
    json!({ "Sso": sso })
}

/// Static keys named as the suite names them (without the `aws_` prefix).
fn keys_with_prefix(profile: &Properties) -> Value {
    let mut object = Map::new();
    for key in ["access_key_id", "secret_access_key", "account_id"] {
        if let Some(value) = value(profile, &format!("aws_{key}")) {
            object.insert(key.to_owned(), value);
        }
    }
    Value::Object(object)
}

/// Our chain in the suite's form.
fn as_suite_chain(set: &ProfileSet, chain: &ProfileChain) -> Value {
    let mut links = vec![match &chain.base {
        Base::StaticKeys(name) => json!({"AccessKey": keys_with_prefix(&set.profiles[name])}),
        Base::Profile(name) => own_source(set, name),
        Base::Source(source) => json!({"NamedSource": match source {
            CredentialSource::Environment => "Environment",
            CredentialSource::Ec2InstanceMetadata => "Ec2InstanceMetadata",
            CredentialSource::EcsContainer => "EcsContainer",
        }}),
        Base::WebIdentity(link) => {
            let mut object =
                json!({"role_arn": link.role_arn, "web_identity_token_file": link.token_file});
            if let Some(session) = &link.session_name {
                object["role_session_name"] = json!(session);
            }
            json!({ "WebIdentityToken": object })
        }
    }];
    for role in &chain.roles {
        let mut object = json!({"role_arn": role.role_arn});
        if let Some(session) = &role.session_name {
            object["role_session_name"] = json!(session);
        }
        if let Some(external_id) = &role.external_id {
            object["external_id"] = json!(external_id);
        }
        links.push(json!({ "AssumeRole": object }));
    }
    json!({ "ProfileChain": links })
}

/// For error cases whose words differ from ours: what our error must say instead (the case's
/// own cause), so that an error of another cause fails the case.
const ERROR_CAUSES: &[(&str, &str)] = &[
    (
        "source profile and credential source both present",
        "contained both source_profile and credential_source",
    ),
    (
        "partial credentials error (missing secret)",
        "is missing aws_secret_access_key",
    ),
    (
        "partial credentials error (missing access key)",
        "is missing aws_access_key_id",
    ),
    (
        "invalid SSO credentials configuration: missing account ID",
        "sets only one of sso_account_id and sso_role_name",
    ),
    (
        "invalid SSO credentials configuration: missing role name",
        "sets only one of sso_account_id and sso_role_name",
    ),
    (
        "invalid SSO token configuration: sso_region must be in sso-session",
        "[sso-session A] has no sso_region",
    ),
    (
        "invalid SSO token configuration: sso-session not found",
        "there is no [sso-session oops] section",
    ),
];

/// Whether our error `ours` is the one the case expects: it holds the suite's words, or the
/// cause [`ERROR_CAUSES`] lists for the case.
fn same_error(docs: &str, ours: &str, theirs: &Value) -> Result<(), String> {
    let theirs = theirs.as_str().unwrap_or_default();
    if ours.contains(theirs) {
        return Ok(());
    }
    match ERROR_CAUSES.iter().find(|(case, _)| *case == docs) {
        Some((_, cause)) if ours.contains(cause) => Ok(()),
        Some((_, cause)) => Err(format!("expected an error saying `{cause}`, got `{ours}`")),
        None => Err(format!(
            "our error `{ours}` does not say the suite's `{theirs}`: name the case's cause in ERROR_CAUSES"
        )),
    }
}

#[test]
fn official_assume_role_cases() {
    let Some(folder) = ivschat_fuzz::suite_folder("profile/aws-config") else {
        return;
    };
    let text = std::fs::read_to_string(folder.join("assume-role-tests.json")).unwrap();
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
    let mut failures = Vec::new();
    for case in &cases {
        let docs = case["docs"].as_str().unwrap_or_default();
        let config = config_text(&case["input"]);
        let set = ProfileSet::from_texts(Some(("config", &config)), None).unwrap();
        let selected = case["input"]["selected_profile"].as_str().unwrap();
        let expected = &case["output"];
        match (role_chain::resolve(&set, selected), expected.get("Error")) {
            (Ok(chain), None) => {
                let ours = as_suite_chain(&set, &chain);
                if &ours != expected {
                    failures.push(format!("{docs}: got {ours}, expected {expected}"));
                }
            }
            (Ok(chain), Some(error)) => {
                failures.push(format!("{docs}: expected the error {error}, got {chain:?}"))
            }
            (Err(ours), Some(theirs)) => match same_error(docs, &ours.to_string(), theirs) {
                Ok(()) => println!("  {docs}: ours `{ours}`; suite's {theirs}"),
                Err(problem) => failures.push(format!("{docs}: {problem}")),
            },
            (Err(ours), None) => failures.push(format!("{docs}: {ours}, expected {expected}")),
        }
    }
    println!(
        "assume-role-tests: {} cases, {} failed",
        cases.len(),
        failures.len()
    );
    assert_eq!(cases.len(), 28, "the suite has {} cases", cases.len());
    assert!(failures.is_empty(), "{failures:#?}");
}
