//! `cargo xtask check-endpoints DIR`: for every model in DIR, generate its endpoint resolver
//! with its test cases into a scratch crate and run them; one line per model and a total.

use std::path::Path;

use ivschat_codegen::generate_endpoint_crate;

use crate::scratch::{cargo_command, generate_crate, model_files, write_workspace};

/// The outcome for one model.
pub struct ModelResult {
    /// The model file stem.
    pub name: String,
    /// Passed and total test cases, or why the model could not be checked.
    pub outcome: Result<(usize, usize), String>,
}

/// Checks every model of `models` (see [`model_files`]), building the crates under `scratch`.
pub fn check(root: &Path, models: &Path, scratch: &Path) -> Result<Vec<ModelResult>, String> {
    let mut results = Vec::new();
    let mut members = Vec::new();
    for (name, path) in model_files(models)? {
        let out = scratch.join(&name);
        let command = "cargo xtask check-endpoints";
        match generate_crate(
            root,
            &path,
            "endpoints",
            command,
            &out,
            generate_endpoint_crate,
        ) {
            Ok(_) => members.push(name),
            Err(reason) => results.push(ModelResult {
                name,
                outcome: Err(reason),
            }),
        }
    }
    write_workspace(scratch, &members)?;
    for name in members {
        results.push(ModelResult {
            outcome: run_tests(scratch, &name),
            name,
        });
    }
    results.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(results)
}

/// Runs a crate's tests; `(passed, total)` from cargo's summary line, where the total counts
/// ignored and filtered-out tests too, so a test that did not run shows.
fn run_tests(scratch: &Path, name: &str) -> Result<(usize, usize), String> {
    let output = cargo_command()
        .args([
            "test",
            "--quiet",
            "-p",
            &format!("endpoints-{}", name.replace('_', "-")),
            "--lib",
        ])
        .current_dir(scratch)
        .output()
        .map_err(|error| format!("cannot run cargo test: {error}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let summary = stdout.lines().find(|line| line.starts_with("test result:"));
    let count = |label: &str| -> Option<usize> {
        let line = summary?;
        let before = line.split(label).next()?;
        before.split_whitespace().last()?.parse().ok()
    };
    let not_run = count(" ignored").unwrap_or(0) + count(" filtered out").unwrap_or(0);
    match (count(" passed"), count(" failed")) {
        (Some(passed), Some(failed)) if failed == 0 && output.status.success() => {
            Ok((passed, passed + not_run))
        }
        (Some(passed), Some(failed)) => Err(format!(
            "{failed} of {} endpoint tests failed",
            passed + failed
        )),
        _ => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first_error = stderr
                .lines()
                .find(|line| line.starts_with("error"))
                .unwrap_or("no test summary");
            Err(format!("the crate did not build or run: {first_error}"))
        }
    }
}
