//! `cargo xtask check-fixtures`: generates a crate from every fixture model of the codegen
//! tests into one scratch workspace, runs clippy and rustdoc on it with warnings denied, and runs
//! the hand-written behaviour tests of `codegen/tests/fixture_behaviour/`, so features the
//! ivschat model does not use (intEnum, recursion, keywords, HTTP bindings, ...) are proven to
//! compile and work.

use std::fs;
use std::path::Path;

use crate::atomic;
use crate::scratch::{cargo, generate_crate, model_files, write_workspace};

/// Generates every fixture under `fixtures` into `scratch` and checks and tests the crates.
pub fn check(root: &Path, fixtures: &Path, scratch: &Path) -> Result<usize, String> {
    let mut names = Vec::new();
    for (name, path) in model_files(fixtures)? {
        let out = scratch.join(&name);
        generate_crate(
            root,
            &path,
            "fixture",
            "cargo xtask check-fixtures",
            &out,
            ivschat_codegen::generate_sources,
        )?;
        add_behaviour_tests(root, fixtures, &name, &out)?;
        names.push(name);
    }
    write_workspace(scratch, &names)?;
    // Every feature of the generated crates (their test doubles) is checked and tested too.
    cargo(
        scratch,
        &[
            "clippy",
            "--quiet",
            "--workspace",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    cargo(
        scratch,
        &[
            "doc",
            "--quiet",
            "--workspace",
            "--no-deps",
            "--all-features",
        ],
    )?;
    cargo(
        scratch,
        &[
            "test",
            "--quiet",
            "--workspace",
            "--tests",
            "--all-features",
        ],
    )?;
    Ok(names.len())
}

/// Copies `fixture_behaviour/NAME.rs`, when there is one, as the crate's integration test,
/// with the runtime's test helpers (`protocol-test` feature), Tokio's test macro and
/// serde_json (for the `serde` feature's tests) as dev-dependencies.
fn add_behaviour_tests(root: &Path, fixtures: &Path, name: &str, out: &Path) -> Result<(), String> {
    let source = fixtures
        .join("../fixture_behaviour")
        .join(format!("{name}.rs"));
    let Ok(text) = fs::read(&source) else {
        return Ok(());
    };
    atomic::write(&out.join("tests/behaviour.rs"), &text)?;
    let manifest_path = out.join("Cargo.toml");
    let mut manifest = fs::read_to_string(&manifest_path)
        .map_err(|error| format!("cannot read {}: {error}", manifest_path.display()))?;
    manifest.push_str(&format!(
        "\n[dev-dependencies]\nivschat-runtime = {{ path = {:?}, features = [\"protocol-test\"] }}\ntokio = {{ version = \"1\", default-features = false, features = [\"rt\", \"macros\"] }}\nserde_json = \"1\"\n",
        root.join("runtime").display().to_string()
    ));
    atomic::write(&manifest_path, manifest.as_bytes())
}
