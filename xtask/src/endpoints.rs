//! `cargo xtask check-endpoints DIR`: for every model in DIR, generate its endpoint resolver
//! with its test cases into a scratch crate and run them; one line per model and a total.

use std::fs;
use std::path::Path;
use std::process::Command;

use ivschat_codegen::{generate_endpoint_crate, Options};

use crate::{atomic, codegen, model_source};

/// The outcome for one model.
pub struct ModelResult {
    /// The model file stem.
    pub name: String,
    /// Passed and total test cases, or why the model could not be checked.
    pub outcome: Result<(usize, usize), String>,
}

/// Checks every `*.json` model of `models`, building the crates under `scratch`.
pub fn check(root: &Path, models: &Path, scratch: &Path) -> Result<Vec<ModelResult>, String> {
    let (partitions_path, _) = model_source::ensure_model(&root.join("model/partitions.lock"))?;
    let partitions = fs::read_to_string(&partitions_path)
        .map_err(|error| format!("cannot read {}: {error}", partitions_path.display()))?;
    let mut paths: Vec<_> = fs::read_dir(models)
        .map_err(|error| format!("cannot list {}: {error}", models.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "json")
        })
        .collect();
    paths.sort();
    let mut results = Vec::new();
    let mut members = Vec::new();
    for path in &paths {
        let name = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        match write_crate(root, path, &name, &partitions, &scratch.join(&name)) {
            Ok(()) => members.push(name.clone()),
            Err(reason) => results.push(ModelResult {
                name,
                outcome: Err(reason),
            }),
        }
    }
    let listed: Vec<String> = members.iter().map(|name| format!("\"{name}\"")).collect();
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        listed.join(", ")
    );
    atomic::write(&scratch.join("Cargo.toml"), manifest.as_bytes())?;
    for name in members {
        results.push(ModelResult {
            outcome: run_tests(scratch, &name),
            name,
        });
    }
    results.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(results)
}

fn write_crate(
    root: &Path,
    model: &Path,
    name: &str,
    partitions: &str,
    out: &Path,
) -> Result<(), String> {
    let json = fs::read_to_string(model)
        .map_err(|error| format!("cannot read {}: {error}", model.display()))?;
    let options = Options {
        crate_name: format!("endpoints-{name}"),
        crate_version: "0.0.0".to_owned(),
        runtime_dependency: format!("path = {:?}", root.join("runtime").display().to_string()),
        source: format!("{name}.json"),
        regenerate_command: "cargo xtask check-endpoints".to_owned(),
        partitions: Some(partitions.to_owned()),
    };
    let generated = generate_endpoint_crate(&json, &format!("{name}.json"), None, &options)
        .map_err(|error| error.to_string())?;
    codegen::write(out, &generated).map(|_| ())
}

/// Runs a crate's tests; `(passed, total)` from cargo's summary line.
fn run_tests(scratch: &Path, name: &str) -> Result<(usize, usize), String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args([
            "test",
            "--quiet",
            "-p",
            &format!("endpoints-{name}"),
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
    match (count(" passed"), count(" failed")) {
        (Some(passed), Some(failed)) if failed == 0 && output.status.success() => {
            Ok((passed, passed))
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
