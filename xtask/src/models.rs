//! `cargo xtask check-models DIR [--report]`: generate a whole client crate from every model in
//! DIR into one scratch workspace, check each with warnings denied and run its generated
//! endpoint tests; one line per model and a total.

use std::fs;
use std::path::Path;
use std::process::Command;

use ivschat_codegen::{generate, Options};

use crate::{atomic, codegen, model_source};

/// The outcome for one model: `Ok` or why it failed.
pub struct ModelCheck {
    /// The model file stem.
    pub name: String,
    /// What went wrong, if anything.
    pub outcome: Result<(), String>,
}

/// Checks every `*.json` model of `models`, building the crates under `scratch`.
pub fn check(root: &Path, models: &Path, scratch: &Path) -> Result<Vec<ModelCheck>, String> {
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
    let mut checks = Vec::new();
    let mut members = Vec::new();
    for path in &paths {
        let name = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        match write_crate(root, path, &name, &partitions, &scratch.join(&name)) {
            Ok(()) => members.push(name),
            Err(reason) => checks.push(ModelCheck {
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
        let package = format!("model-{name}");
        let outcome = cargo(
            scratch,
            &[
                "clippy", "--quiet", "--lib", "-p", &package, "--", "-D", "warnings",
            ],
        )
        .and_then(|()| cargo(scratch, &["test", "--quiet", "--lib", "-p", &package]));
        checks.push(ModelCheck { name, outcome });
    }
    checks.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(checks)
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
        crate_name: format!("model-{name}"),
        crate_version: "0.0.0".to_owned(),
        runtime_dependency: format!("path = {:?}", root.join("runtime").display().to_string()),
        source: format!("{name}.json"),
        regenerate_command: "cargo xtask check-models".to_owned(),
        partitions: Some(partitions.to_owned()),
    };
    let generated = generate(&json, &format!("{name}.json"), None, &options)
        .map_err(|error| error.to_string())?;
    codegen::write(out, &generated).map(|_| ())
}

/// Runs cargo in the scratch workspace; the error quotes cargo's first error line.
fn cargo(scratch: &Path, arguments: &[&str]) -> Result<(), String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(arguments)
        .current_dir(scratch)
        .output()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first = stderr
        .lines()
        .find(|line| line.starts_with("error"))
        .unwrap_or("cargo failed");
    Err(format!("cargo {}: {first}", arguments[0]))
}
