//! What the scratch-crate commands (check-fixtures, check-endpoints, check-models) share: the
//! models of a folder, the options of a scratch crate, the scratch workspace and cargo runs.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use ivschat_codegen::{Error, Generated, Options};

use crate::{atomic, codegen};

/// The `*.json` models of a folder, as (file stem, path), sorted.
pub fn model_files(folder: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let mut models: Vec<(String, PathBuf)> = fs::read_dir(folder)
        .map_err(|error| format!("cannot list {}: {error}", folder.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "json")
        })
        .map(|path| {
            (
                path.file_stem()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
                path,
            )
        })
        .collect();
    models.sort();
    Ok(models)
}

/// Generates the crate of `model` with `generator` into `out`, named `prefix-NAME`; returns
/// the generator's warnings.
pub fn generate_crate(
    root: &Path,
    model: &Path,
    prefix: &str,
    command: &str,
    out: &Path,
    generator: fn(&str, &str, Option<&str>, &Options) -> Result<Generated, Error>,
) -> Result<Vec<String>, String> {
    let name = model
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let json = fs::read_to_string(model)
        .map_err(|error| format!("cannot read {}: {error}", model.display()))?;
    let options = Options {
        crate_name: format!("{prefix}-{}", name.replace('_', "-")),
        crate_version: "0.0.0".to_owned(),
        runtime_dependency: format!("path = {:?}", root.join("runtime").display().to_string()),
        source: format!("{name}.json"),
        regenerate_command: command.to_owned(),
        ..Options::default()
    };
    let generated = generator(&json, &format!("{name}.json"), None, &options)
        .map_err(|error| error.to_string())?;
    codegen::write(out, &generated.files, true)?;
    Ok(generated.warnings)
}

/// Writes the scratch workspace's manifest listing `members`.
pub fn write_workspace(scratch: &Path, members: &[String]) -> Result<(), String> {
    let listed: Vec<String> = members.iter().map(|name| format!("\"{name}\"")).collect();
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        listed.join(", ")
    );
    atomic::write(&scratch.join("Cargo.toml"), manifest.as_bytes())
}

/// The cargo of this build.
pub fn cargo_command() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

/// Runs cargo in `directory`, with rustdoc warnings denied; the error quotes cargo's first
/// error line.
pub fn cargo(directory: &Path, arguments: &[&str]) -> Result<(), String> {
    let output = cargo_command()
        .args(arguments)
        .env("RUSTDOCFLAGS", "-D warnings")
        .current_dir(directory)
        .output()
        .map_err(|error| format!("cannot run cargo {}: {error}", arguments[0]))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first = stderr
        .lines()
        .find(|line| line.starts_with("error"))
        .unwrap_or("cargo failed");
    Err(format!(
        "cargo {} in {}: {first}",
        arguments[0],
        directory.display()
    ))
}
