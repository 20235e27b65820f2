//! `cargo xtask check-models DIR [--report]`: generate a whole client crate from every model in
//! DIR into one scratch workspace, check each with warnings denied and run its generated
//! endpoint tests; one line per model and a total. A model's build is removed once it passes,
//! so a folder of big models needs the disk of one at a time.

use std::path::Path;

use crate::scratch::{cargo, generate_crate, model_files, write_workspace};

/// The outcome for one model: `Ok` or why it failed.
pub struct ModelCheck {
    /// The model file stem.
    pub name: String,
    /// What went wrong, if anything.
    pub outcome: Result<(), String>,
    /// The generator's warnings (what the client leaves out).
    pub warnings: Vec<String>,
}

/// Checks every model of `models` (see [`model_files`]), building the crates under `scratch`.
pub fn check(root: &Path, models: &Path, scratch: &Path) -> Result<Vec<ModelCheck>, String> {
    let mut checks = Vec::new();
    let mut members = Vec::new();
    let mut warnings = std::collections::BTreeMap::new();
    for (name, path) in model_files(models)? {
        let out = scratch.join(&name);
        match generate_crate(
            root,
            &path,
            "model",
            "cargo xtask check-models",
            &out,
            ivschat_codegen::generate_sources,
        ) {
            Ok(found) => {
                warnings.insert(name.clone(), found);
                members.push(name);
            }
            Err(reason) => checks.push(ModelCheck {
                name,
                outcome: Err(reason),
                warnings: Vec::new(),
            }),
        }
    }
    write_workspace(scratch, &members)?;
    for name in members {
        let package = format!("model-{}", name.replace('_', "-"));
        let outcome = cargo(
            scratch,
            &[
                "clippy", "--quiet", "--lib", "-p", &package, "--", "-D", "warnings",
            ],
        )
        .and_then(|()| cargo(scratch, &["test", "--quiet", "--lib", "-p", &package]))
        .and_then(|()| cargo(scratch, &["clean", "--quiet", "-p", &package]));
        let warnings = warnings.remove(&name).unwrap_or_default();
        checks.push(ModelCheck {
            name,
            outcome,
            warnings,
        });
    }
    checks.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(checks)
}
