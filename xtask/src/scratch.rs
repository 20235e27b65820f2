//! What the scratch-crate commands (check-fixtures, check-endpoints, check-models) share: the
//! models of a folder (JSON AST or IDL files), the options of a scratch crate, the scratch workspace and cargo runs.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use ivschat_codegen::{Error, Generated, Options, Source};

use crate::{atomic, codegen};

/// The largest model file read, in bytes.
const MAX_MODEL_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The models of a folder, as (name, path), sorted: each `*.json` or `*.smithy` file is a
/// model, and so is each subfolder that holds `.smithy` files (all its files together).
pub fn model_files(folder: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let mut models: Vec<(String, PathBuf)> = fs::read_dir(folder)
        .map_err(|error| format!("cannot list {}: {error}", folder.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            if path.is_dir() {
                return files_of(path).is_ok_and(|files| {
                    files
                        .iter()
                        .any(|file| file.extension().is_some_and(|e| e == "smithy"))
                });
            }
            path.extension()
                .is_some_and(|extension| extension == "json" || extension == "smithy")
        })
        .map(|path| {
            let name = path.file_stem().unwrap_or_default().to_string_lossy();
            (name.into_owned(), path)
        })
        .collect();
    models.sort();
    if let Some(pair) = models.windows(2).find(|pair| pair[0].0 == pair[1].0) {
        return Err(format!(
            "{} and {} would both be the model `{}`: rename one",
            pair[0].1.display(),
            pair[1].1.display(),
            pair[0].0
        ));
    }
    Ok(models)
}

/// The `.json` and `.smithy` files under `folder`, at any depth, sorted.
fn files_of(folder: &Path) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(directory) = pending.pop() {
        let entries = fs::read_dir(&directory)
            .map_err(|error| format!("cannot list {}: {error}", directory.display()))?;
        for path in entries.filter_map(|entry| entry.ok().map(|entry| entry.path())) {
            if path.is_dir() {
                pending.push(path);
            } else if path
                .extension()
                .is_some_and(|extension| extension == "json" || extension == "smithy")
            {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// The files of a model (a file, or a folder of files) as (name, text); names are relative
/// to the folder's parent, so errors say where a file is.
pub fn read_model(model: &Path) -> Result<Vec<(String, String)>, String> {
    let (files, base) = if model.is_dir() {
        (files_of(model)?, model.parent().unwrap_or(model))
    } else {
        (vec![model.to_path_buf()], model.parent().unwrap_or(model))
    };
    if files.is_empty() {
        return Err(format!(
            "{} holds no .json or .smithy file",
            model.display()
        ));
    }
    files
        .iter()
        .map(|path| {
            let size = fs::metadata(path)
                .map_err(|error| format!("cannot read {}: {error}", path.display()))?
                .len();
            if size > MAX_MODEL_FILE_BYTES {
                return Err(format!(
                    "{} is larger than {MAX_MODEL_FILE_BYTES} bytes",
                    path.display()
                ));
            }
            let text = fs::read_to_string(path)
                .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
            let name = path
                .strip_prefix(base)
                .unwrap_or(path)
                .display()
                .to_string();
            Ok((name, text))
        })
        .collect()
}

/// A generator of a whole crate from model files.
pub type Generator = fn(&[Source], Option<&str>, &Options) -> Result<Generated, Error>;

/// Generates the crate of `model` (a file or a folder) with `generator` into `out`, named
/// `prefix-NAME`; returns the generator's warnings.
pub fn generate_crate(
    root: &Path,
    model: &Path,
    prefix: &str,
    command: &str,
    out: &Path,
    generator: Generator,
) -> Result<Vec<String>, String> {
    let name = model
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let files = read_model(model)?;
    let sources: Vec<Source> = files
        .iter()
        .map(|(name, text)| Source { name, text })
        .collect();
    let source = model
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let options = Options {
        crate_name: format!("{prefix}-{}", name.replace('_', "-")),
        crate_version: "0.0.0".to_owned(),
        runtime_dependency: format!("path = {:?}", root.join("runtime").display().to_string()),
        source,
        regenerate_command: command.to_owned(),
        ..Options::default()
    };
    let generated = generate_catching_panics(generator, &sources, &options)?;
    codegen::write(out, &generated.files, true)?;
    Ok(generated.warnings)
}

/// Runs `generator`, turning an error or a panic (a generator bug) into the reason the model
/// failed, so a sweep goes on with the other models.
fn generate_catching_panics(
    generator: Generator,
    sources: &[Source],
    options: &Options,
) -> Result<Generated, String> {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        generator(sources, None, options)
    }));
    match outcome {
        Ok(generated) => generated.map_err(|error| error.to_string()),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("no message");
            Err(format!("the generator panicked: {message}"))
        }
    }
}

/// Writes the scratch workspace's manifest listing `members`. Its crates are built once and
/// never edited, so the dev profile keeps no incremental state and only line tables: a sweep
/// over big models then fits in a few gigabytes of disk.
pub fn write_workspace(scratch: &Path, members: &[String]) -> Result<(), String> {
    let listed: Vec<String> = members.iter().map(|name| format!("\"{name}\"")).collect();
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[profile.dev]\nincremental = false\ndebug = \"line-tables-only\"\n",
        listed.join(", ")
    );
    atomic::write(&scratch.join("Cargo.toml"), manifest.as_bytes())
}

/// The cargo of this build.
pub fn cargo_command() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

/// Runs a command and returns its standard output; a failure quotes standard error's end.
pub fn run(command: &mut Command, what: &str) -> Result<String, String> {
    let output = command
        .output()
        .map_err(|error| format!("cannot run {what}: {error}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "{what} failed: {}",
            stderr.lines().rev().take(5).collect::<Vec<_>>().join(" | ")
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn panics(_: &[Source], _: Option<&str>, _: &Options) -> Result<Generated, Error> {
        panic!("list_element is only asked of lists")
    }

    #[test]
    fn a_panicking_generator_fails_its_model_only() {
        let source = Source {
            name: "m.json",
            text: "{}",
        };
        let outcome = generate_catching_panics(panics, &[source], &Options::default());
        assert_eq!(
            outcome.unwrap_err(),
            "the generator panicked: list_element is only asked of lists"
        );
    }
}
