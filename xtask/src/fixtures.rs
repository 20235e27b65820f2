//! `cargo xtask check-fixtures`: generates a crate from every fixture model of the codegen
//! tests into one scratch workspace, runs clippy and rustdoc on it with warnings denied, and runs
//! the hand-written behaviour tests of `codegen/tests/fixture_behaviour/`, so features the
//! ivschat model does not use (intEnum, recursion, keywords, HTTP bindings, ...) are proven to
//! compile and work.

use std::fs;
use std::path::Path;
use std::process::Command;

use ivschat_codegen::{generate, Options};

use crate::atomic;

/// Generates every fixture under `fixtures` into `scratch` and runs clippy there.
pub fn check(root: &Path, fixtures: &Path, scratch: &Path) -> Result<usize, String> {
    let mut names = Vec::new();
    let entries = fs::read_dir(fixtures)
        .map_err(|error| format!("cannot list {}: {error}", fixtures.display()))?;
    for entry in entries {
        let path = entry.map_err(|error| error.to_string())?.path();
        if path
            .extension()
            .is_some_and(|extension| extension == "json")
        {
            let name = path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            write_fixture_crate(root, &path, &name, &scratch.join(&name))?;
            add_behaviour_tests(fixtures, &name, &scratch.join(&name))?;
            names.push(name);
        }
    }
    names.sort();
    let members: Vec<String> = names.iter().map(|name| format!("\"{name}\"")).collect();
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.join(", ")
    );
    atomic::write(&scratch.join("Cargo.toml"), manifest.as_bytes())?;
    cargo(
        scratch,
        &["clippy", "--quiet", "--workspace", "--", "-D", "warnings"],
    )?;
    cargo(scratch, &["doc", "--quiet", "--workspace", "--no-deps"])?;
    cargo(scratch, &["test", "--quiet", "--workspace", "--tests"])?;
    Ok(names.len())
}

/// Copies `fixture_behaviour/NAME.rs`, when there is one, as the crate's integration test.
fn add_behaviour_tests(fixtures: &Path, name: &str, out: &Path) -> Result<(), String> {
    let source = fixtures
        .join("../fixture_behaviour")
        .join(format!("{name}.rs"));
    match fs::read(&source) {
        Ok(text) => atomic::write(&out.join("tests/behaviour.rs"), &text),
        Err(_) => Ok(()),
    }
}

/// Runs a cargo command in `directory` with warnings denied for rustdoc too.
fn cargo(directory: &Path, arguments: &[&str]) -> Result<(), String> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(arguments)
        .env("RUSTDOCFLAGS", "-D warnings")
        .current_dir(directory)
        .status()
        .map_err(|error| format!("cannot run cargo {}: {error}", arguments[0]))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "cargo {} failed on the fixture crates in {}",
            arguments[0],
            directory.display()
        ))
    }
}

fn write_fixture_crate(root: &Path, model: &Path, name: &str, out: &Path) -> Result<(), String> {
    let json = fs::read_to_string(model)
        .map_err(|error| format!("cannot read {}: {error}", model.display()))?;
    let runtime = root.join("runtime");
    let options = Options {
        crate_name: format!("fixture-{}", name.replace('_', "-")),
        crate_version: "0.0.0".to_owned(),
        runtime_dependency: format!("path = {:?}", runtime.display().to_string()),
        source: format!("{name}.json"),
        regenerate_command: "cargo xtask check-fixtures".to_owned(),
        partitions: None,
    };
    let generated = generate(&json, &format!("{name}.json"), None, &options)
        .map_err(|error| error.to_string())?;
    crate::codegen::write(out, &generated)?;
    Ok(())
}
