//! Endpoint rules lent to a protocol-test service from the real model of its service. The
//! suites' S3 service has no endpoint rules, yet its addressing cases expect the bucket in the
//! host, which the AWS SDKs (and our `s3-bucket-addressing` customization) leave to the
//! rules: the suite is run with S3's rule set, client context parameters and `contextParam`
//! members applied to the test service (`apply` shapes of one more JSON AST source).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use ivschat_codegen::smithy::{load_sources, ShapeKind};
use ivschat_codegen::Source;
use serde_json::{json, Map, Value};

/// The suites run with the rules of a real model: (suite, model file in the models folder).
const LENT: &[(&str, &str)] = &[("restXml-s3", "s3/s3.json")];

/// The service traits lent.
const SERVICE_TRAITS: [&str; 2] = [
    "smithy.rules#endpointRuleSet",
    "smithy.rules#clientContextParams",
];

/// The model file whose rules `suite` borrows, if it borrows any.
pub fn model_of(suite: &str) -> Option<&'static str> {
    LENT.iter()
        .find(|(name, _)| *name == suite)
        .map(|(_, model)| *model)
}

/// Adds to `applied` what the real model's shape `id` lends: a service its rules (to
/// `service`), an operation its static context parameters and a structure its members'
/// context parameters, where the suite has a shape of the same id (in `present`).
fn lend_shape(
    id: &str,
    shape: &Value,
    service: &str,
    present: &BTreeSet<String>,
    applied: &mut Map<String, Value>,
) {
    let traits = |shape: &Value| shape.get("traits").and_then(Value::as_object).cloned();
    let apply = |traits: Value| json!({ "type": "apply", "traits": traits });
    match shape.get("type").and_then(Value::as_str) {
        Some("service") => {
            let traits = traits(shape).unwrap_or_default();
            let lent: Map<String, Value> = SERVICE_TRAITS
                .iter()
                .filter_map(|name| Some(((*name).to_owned(), traits.get(*name)?.clone())))
                .collect();
            applied.insert(service.to_owned(), apply(json!(lent)));
        }
        Some("operation") if present.contains(id) => {
            if let Some(statics) = traits(shape)
                .and_then(|traits| traits.get("smithy.rules#staticContextParams").cloned())
            {
                let traits = json!({ "smithy.rules#staticContextParams": statics });
                applied.insert(id.to_owned(), apply(traits));
            }
        }
        Some("structure") => {
            let members = shape.get("members").and_then(Value::as_object);
            for (name, member) in members.into_iter().flatten() {
                let member_id = format!("{id}${name}");
                let param = traits(member)
                    .and_then(|traits| traits.get("smithy.rules#contextParam").cloned());
                if let (Some(param), true) = (param, present.contains(&member_id)) {
                    let traits = json!({ "smithy.rules#contextParam": param });
                    applied.insert(member_id, apply(traits));
                }
            }
        }
        _ => {}
    }
}

/// A JSON AST source applying the rules of the `model` file's service to `service` (an id of
/// the suite's model in `sources`), and its endpoint traits to the suite's members and
/// operations of the same ids.
pub fn lend(sources: &[Source], service: &str, model: &Path) -> Result<String, String> {
    let suite = load_sources(sources).map_err(|error| error.to_string())?;
    let mut present = BTreeSet::new();
    for (id, shape) in &suite.shapes {
        present.insert(id.to_string());
        if let ShapeKind::Structure(members) = &shape.kind {
            present.extend(members.iter().map(|member| format!("{id}${}", member.name)));
        }
    }
    let text = fs::read_to_string(model)
        .map_err(|error| format!("cannot read {}: {error}", model.display()))?;
    let real: Value = serde_json::from_str(&text)
        .map_err(|error| format!("{}: not JSON: {error}", model.display()))?;
    let shapes = real
        .get("shapes")
        .and_then(Value::as_object)
        .ok_or_else(|| format!("{}: no `shapes`", model.display()))?;
    let mut applied = Map::new();
    for (id, shape) in shapes {
        lend_shape(id, shape, service, &present, &mut applied);
    }
    if !applied.contains_key(service) {
        return Err(format!(
            "{}: no service to lend rules from",
            model.display()
        ));
    }
    Ok(json!({ "smithy": "2.0", "shapes": applied }).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUITE: &str = r#"$version: "2"
namespace com.example
service Storage { version: "1", operations: [Get] }
operation Get { input := { Bucket: String } }
"#;

    #[test]
    fn rules_and_the_context_params_of_present_members_are_applied() {
        let real = json!({
            "smithy": "2.0",
            "shapes": {
                "com.example#Real": { "type": "service", "traits": {
                    "smithy.rules#endpointRuleSet": { "version": "1.0" },
                    "smithy.api#documentation": "not lent"
                } },
                "com.example#GetInput": { "type": "structure", "members": {
                    "Bucket": { "target": "smithy.api#String",
                        "traits": { "smithy.rules#contextParam": { "name": "Bucket" } } }
                } },
                "com.example#Absent": { "type": "structure", "members": {
                    "Bucket": { "target": "smithy.api#String",
                        "traits": { "smithy.rules#contextParam": { "name": "Bucket" } } }
                } }
            }
        });
        let folder = tempfile::tempdir().expect("a folder");
        let model = folder.path().join("real.json");
        fs::write(&model, real.to_string()).expect("written");
        let sources = [Source {
            name: "suite.smithy",
            text: SUITE,
        }];
        let lent = lend(&sources, "com.example#Storage", &model).expect("lent");
        let lent: Value = serde_json::from_str(&lent).expect("JSON");
        let shapes = lent["shapes"].as_object().expect("shapes");
        let mut names: Vec<&str> = shapes.keys().map(String::as_str).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            ["com.example#GetInput$Bucket", "com.example#Storage"]
        );
        let service_traits = shapes["com.example#Storage"]["traits"]
            .as_object()
            .expect("traits");
        assert!(service_traits.contains_key("smithy.rules#endpointRuleSet"));
        assert!(!service_traits.contains_key("smithy.api#documentation"));
        let with_lent = [
            Source {
                name: "suite.smithy",
                text: SUITE,
            },
            Source {
                name: "lent.json",
                text: &lent.to_string(),
            },
        ];
        assert!(load_sources(&with_lent).is_ok(), "the applied traits load");
    }

    #[test]
    fn a_model_without_a_service_is_an_error() {
        let folder = tempfile::tempdir().expect("a folder");
        let model = folder.path().join("real.json");
        fs::write(&model, r#"{"smithy": "2.0", "shapes": {}}"#).expect("written");
        let sources = [Source {
            name: "suite.smithy",
            text: SUITE,
        }];
        let error = lend(&sources, "com.example#Storage", &model).expect_err("no service");
        assert!(error.contains("no service to lend rules from"), "{error}");
    }
}
