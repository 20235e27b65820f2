//! `cargo xtask protocol-tests`: generate the client of each Smithy protocol-test service with
//! its client test cases as tests, run them, and hold the result against the suite's
//! checked-in skip list (`xtask/protocol-tests/<protocol>.skip`), which may only shrink.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use ivschat_codegen::{Options, Source};

use crate::scratch::{cargo_command, read_model, write_workspace};
use crate::{atomic, codegen};

/// One protocol's suite: the test service and the protocol its cases name.
#[derive(Clone, Copy, Debug)]
pub struct Suite {
    /// The suite's name: the protocol's (e.g. `restJson1`), followed by `-<service>` for the
    /// service-specific suites (names the skip list and the summary).
    pub name: &'static str,
    /// The service under test.
    pub service: &'static str,
    /// The protocol trait, as the test cases name it.
    pub protocol: &'static str,
}

/// Every suite, in the order they run.
pub const SUITES: &[Suite] = &[
    Suite {
        name: "restJson1",
        service: "aws.protocoltests.restjson#RestJson",
        protocol: "aws.protocols#restJson1",
    },
    Suite {
        name: "restJson1-validation",
        service: "aws.protocoltests.restjson.validation#RestJsonValidation",
        protocol: "aws.protocols#restJson1",
    },
    Suite {
        name: "restJson1-glacier",
        service: "com.amazonaws.glacier#Glacier",
        protocol: "aws.protocols#restJson1",
    },
    Suite {
        name: "restJson1-apigateway",
        service: "com.amazonaws.apigateway#BackplaneControlService",
        protocol: "aws.protocols#restJson1",
    },
    Suite {
        name: "awsJson1_0",
        service: "aws.protocoltests.json10#JsonRpc10",
        protocol: "aws.protocols#awsJson1_0",
    },
    Suite {
        name: "awsJson1_0-query-compatible",
        service: "aws.protocoltests.json10#QueryCompatibleJsonRpc10",
        protocol: "aws.protocols#awsJson1_0",
    },
    Suite {
        name: "awsJson1_1",
        service: "aws.protocoltests.json#JsonProtocol",
        protocol: "aws.protocols#awsJson1_1",
    },
    Suite {
        name: "awsJson1_1-machinelearning",
        service: "com.amazonaws.machinelearning#AmazonML_20141212",
        protocol: "aws.protocols#awsJson1_1",
    },
    Suite {
        name: "rpcv2Cbor",
        service: "smithy.protocoltests.rpcv2Cbor#RpcV2Protocol",
        protocol: "smithy.protocols#rpcv2Cbor",
    },
    Suite {
        name: "rpcv2Cbor-query-compatible",
        service: "aws.protocoltests.rpcv2cbor#QueryCompatibleRpcV2Protocol",
        protocol: "smithy.protocols#rpcv2Cbor",
    },
    Suite {
        name: "rpcv2Cbor-non-query-compatible",
        service: "aws.protocoltests.rpcv2cbor#NonQueryCompatibleRpcV2Protocol",
        protocol: "smithy.protocols#rpcv2Cbor",
    },
    Suite {
        name: "awsQuery",
        service: "aws.protocoltests.query#AwsQuery",
        protocol: "aws.protocols#awsQuery",
    },
    Suite {
        name: "restXml",
        service: "aws.protocoltests.restxml#RestXml",
        protocol: "aws.protocols#restXml",
    },
    Suite {
        name: "restXml-s3",
        service: "com.amazonaws.s3#AmazonS3",
        protocol: "aws.protocols#restXml",
    },
    Suite {
        name: "restXmlWithNamespace",
        service: "aws.protocoltests.restxml.xmlns#RestXmlWithNamespace",
        protocol: "aws.protocols#restXml",
    },
    Suite {
        name: "ec2Query",
        service: "aws.protocoltests.ec2#AwsEc2",
        protocol: "aws.protocols#ec2Query",
    },
];

impl Suite {
    /// The skip list, from the repository root.
    pub fn skip_list(&self) -> String {
        format!("xtask/protocol-tests/{}.skip", self.name)
    }

    /// The suites named `name` (case-insensitive), or all suites of the protocol `name`
    /// (`restJson1` is `restJson1` and each `restJson1-<service>`).
    pub fn named(name: &str) -> Vec<Suite> {
        SUITES
            .iter()
            .filter(|suite| {
                let protocol = suite.name.split('-').next().unwrap_or(suite.name);
                suite.name.eq_ignore_ascii_case(name) || protocol.eq_ignore_ascii_case(name)
            })
            .copied()
            .collect()
    }
}

/// The folders under `$IVSCHAT_TESTSUITES/protocol-tests` whose `.smithy` files make one model
/// for every suite: the AWS protocol tests, Smithy's core ones (RPC v2) and the trait
/// definitions they import.
pub const MODEL_FOLDERS: &[&str] = &[
    "model",
    "smithy-protocol-tests/model",
    "smithy-aws-traits",
    "smithy-protocol-test-traits",
    "smithy-protocol-traits",
    "smithy-rules-engine",
    "smithy-validation-model",
    "smithy-waiters",
];

/// Reads the suites' model files, as (name, text).
pub fn read_suite_model(protocol_tests: &Path) -> Result<Vec<(String, String)>, String> {
    let mut files = Vec::new();
    for folder in MODEL_FOLDERS {
        files.extend(read_model(&protocol_tests.join(folder))?);
    }
    Ok(files)
}

/// How the cases went.
#[derive(Debug, Default)]
pub struct Summary {
    /// Cases that passed.
    pub passed: usize,
    /// Case ids that failed without being in the skip list.
    pub failed: Vec<String>,
    /// Cases skipped (in the skip list), with why.
    pub skipped: Vec<(String, String)>,
    /// Case ids in the skip list that pass now (the list must shrink).
    pub passing_skips: Vec<String>,
}

/// Reads the skip list: `CaseId: reason` lines; `#` starts a comment.
pub fn read_skip_list(path: &Path) -> Result<BTreeMap<String, String>, String> {
    let text = fs::read_to_string(path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    let mut skips = BTreeMap::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (id, reason) = line
            .split_once(':')
            .map(|(id, reason)| (id.trim(), reason.trim()))
            .filter(|(id, reason)| !id.is_empty() && !reason.is_empty())
            .ok_or_else(|| {
                format!(
                    "{}:{}: expected `CaseId: reason`, found `{line}`",
                    path.display(),
                    index + 1
                )
            })?;
        skips.insert(id.to_owned(), reason.to_owned());
    }
    Ok(skips)
}

/// A suite's generated crate: its files and its client test cases.
pub struct SuiteCrate {
    /// The crate's folder name (the suite's name in lower case).
    pub folder: String,
    /// The generator's output.
    pub generated: ivschat_codegen::ProtocolTestCrate,
    /// The suite's skip list (case id, reason).
    pub skips: BTreeMap<String, String>,
}

/// Generates the suite's crate in memory; `model` holds the suites' model files (see
/// [`read_suite_model`]).
pub fn generate_suite(
    root: &Path,
    suite: Suite,
    model: &[(String, String)],
) -> Result<SuiteCrate, String> {
    let skip_list = suite.skip_list();
    let skips = read_skip_list(&root.join(&skip_list))?;
    let mut sources: Vec<Source> = model
        .iter()
        .map(|(name, text)| Source { name, text })
        .collect();
    let lent = match crate::lent_rules::model_of(suite.name) {
        Some(file) => {
            let models = std::env::var_os("SMITHY_MODEL_MIRROR").ok_or_else(|| {
                format!("{}: the suite runs with the rules of {file}: set SMITHY_MODEL_MIRROR to the models folder (CI: ../shared/models)", suite.name)
            })?;
            let models = Path::new(&models).join(file);
            Some(crate::lent_rules::lend(&sources, suite.service, &models)?)
        }
        None => None,
    };
    if let Some(text) = &lent {
        sources.push(Source {
            name: "lent-endpoint-rules.json",
            text,
        });
    }
    let folder = suite.name.to_ascii_lowercase();
    let options = Options {
        crate_name: format!("protocol-tests-{folder}"),
        crate_version: "0.0.0".to_owned(),
        runtime_dependency: format!("path = {:?}", root.join("runtime").display().to_string()),
        source: "the Smithy protocol tests".to_owned(),
        regenerate_command: "cargo xtask protocol-tests".to_owned(),
        ..Options::default()
    };
    let generated = ivschat_codegen::generate_protocol_tests(
        &sources,
        suite.service,
        suite.protocol,
        &options,
        &skips,
    )
    .map_err(|error| error.to_string())?;
    if let Some(unknown) = skips
        .keys()
        .find(|id| !generated.tests.iter().any(|(_, case)| case == *id))
    {
        return Err(format!(
            "{skip_list} names `{unknown}`, which is no client test case"
        ));
    }
    Ok(SuiteCrate {
        folder,
        generated,
        skips,
    })
}

/// Generates the suite's crate under `scratch`, runs its tests (ignored ones too) and sums
/// up; `model` holds the suites' model files (see [`read_suite_model`]).
pub fn run(
    root: &Path,
    suite: Suite,
    model: &[(String, String)],
    scratch: &Path,
) -> Result<Summary, String> {
    let SuiteCrate {
        folder,
        generated,
        skips,
    } = generate_suite(root, suite, model)?;
    let scratch = scratch.join(&folder);
    codegen::write(&scratch.join(&folder), &generated.files, true)?;
    write_workspace(&scratch, &[folder])?;
    let lock = fs::read(root.join("Cargo.lock")).map_err(|error| format!("Cargo.lock: {error}"))?;
    atomic::write(&scratch.join("Cargo.lock"), &lock)?;
    let outcomes = test_outcomes(root, &scratch)?;
    let mut summary = Summary::default();
    // An id can name a request case and a response case; a listed id must still fail in one.
    let mut listed_failing: BTreeMap<&str, bool> = BTreeMap::new();
    for (function, id) in &generated.tests {
        let passed = *outcomes.get(function).ok_or_else(|| {
            format!("the test run did not report protocol_tests::{function} ({id})")
        })?;
        match (skips.get(id), passed) {
            (_, true) => summary.passed += 1,
            (Some(reason), false) => summary.skipped.push((id.clone(), reason.clone())),
            (None, false) => summary.failed.push(id.clone()),
        }
        if skips.contains_key(id) {
            *listed_failing.entry(id).or_default() |= !passed;
        }
    }
    summary.passing_skips = listed_failing
        .into_iter()
        .filter(|(_, failing)| !failing)
        .map(|(id, _)| id.to_owned())
        .collect();
    Ok(summary)
}

/// Runs the crate's tests, ignored ones included, sharing the repository's target dir;
/// returns pass or fail by test function name.
fn test_outcomes(root: &Path, scratch: &Path) -> Result<BTreeMap<String, bool>, String> {
    let output = cargo_command()
        .args(["test", "--lib", "--", "--include-ignored"])
        .env("CARGO_TARGET_DIR", root.join("target"))
        .current_dir(scratch)
        .output()
        .map_err(|error| format!("cannot run cargo test: {error}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let outcomes: BTreeMap<String, bool> = stdout
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("test protocol_tests::")?;
            let (name, result) = rest.split_once(" ... ")?;
            Some((name.to_owned(), result.trim() == "ok"))
        })
        .collect();
    if outcomes.is_empty() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr
            .lines()
            .find(|line| line.starts_with("error"))
            .unwrap_or("no test ran");
        return Err(format!("the protocol tests did not run: {first}"));
    }
    Ok(outcomes)
}

/// The start of README.md's protocol-tests row.
pub const README_ROW_KEY: &str = "| Smithy protocol tests (`cargo xtask protocol-tests`";

/// README.md's protocol-tests row for the suites' (name, passed, cases) of a whole run.
pub fn readme_row(results: &[(&str, usize, usize)]) -> String {
    let suites: Vec<String> = results
        .iter()
        .map(|(name, passed, cases)| format!("{name} {passed} of {cases}"))
        .collect();
    format!(
        "{README_ROW_KEY}, the current IDL suites; this row is checked against the run) | client \
         cases passed: {}; every other case is listed with its reason in \
         `xtask/protocol-tests/SUITE.skip`, and fails the run once it passes |",
        suites.join(", ")
    )
}

#[cfg(test)]
mod readme_tests {
    use super::*;

    #[test]
    fn the_row_names_each_suite_with_its_counts() {
        let row = readme_row(&[("restJson1", 326, 328), ("restXml-s3", 2, 13)]);
        assert!(row.starts_with(README_ROW_KEY));
        assert!(row.contains("client cases passed: restJson1 326 of 328, restXml-s3 2 of 13;"));
    }
}
