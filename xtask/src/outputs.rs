//! `cargo xtask outputs DIR`: every crate the generator writes, to one folder, so two revisions
//! of the generator can be compared byte for byte (`diff -r`) before a refactor lands: the
//! practice models of `$SMITHY_MODEL_MIRROR` (one folder per protocol set), the codegen
//! fixtures and the protocol-test suites (`$IVSCHAT_TESTSUITES`). The repository's own crates
//! (`generated/`, the credential clients) are what `cargo xtask codegen --check` compares.

use std::path::Path;

use crate::codegen;
use crate::protocol_tests::{generate_suite, read_suite_model, SUITES};
use crate::scratch::{generate_crate, model_files};

/// The practice folders of the models mirror whose every model is generated.
pub const PRACTICE_FOLDERS: &[&str] = &[
    "restjson1",
    "restjson1-broad",
    "restjson1-streaming",
    "awsjson1_0",
    "awsjson1_1",
    "awsquery",
    "restxml",
    "s3",
    "credentials",
];

/// How many crates of each kind were written.
#[derive(Debug, Default)]
pub struct Written {
    /// Crates of practice models.
    pub models: usize,
    /// Crates of codegen fixtures.
    pub fixtures: usize,
    /// Crates of protocol-test suites.
    pub suites: usize,
}

/// Writes every generated crate under `out` (`models/FOLDER/NAME`, `fixtures/NAME`,
/// `protocol-tests/SUITE`); `models` and `testsuites` are the two data folders.
pub fn write_all(
    root: &Path,
    models: &Path,
    testsuites: &Path,
    out: &Path,
) -> Result<Written, String> {
    let mut written = Written::default();
    for folder in PRACTICE_FOLDERS {
        for (name, path) in model_files(&models.join(folder))? {
            let crate_out = out.join("models").join(folder).join(&name);
            generate_crate(
                root,
                &path,
                "model",
                "cargo xtask outputs",
                &crate_out,
                ivschat_codegen::generate_sources,
            )
            .map_err(|error| format!("{folder}/{name}: {error}"))?;
            written.models += 1;
        }
    }
    for (name, path) in model_files(&root.join("codegen/tests/fixtures"))? {
        let crate_out = out.join("fixtures").join(&name);
        generate_crate(
            root,
            &path,
            "fixture",
            "cargo xtask outputs",
            &crate_out,
            ivschat_codegen::generate_sources,
        )
        .map_err(|error| format!("fixture {name}: {error}"))?;
        written.fixtures += 1;
    }
    let suite_model = read_suite_model(&testsuites.join("protocol-tests"))?;
    for suite in SUITES {
        let generated = generate_suite(root, *suite, &suite_model)?;
        let crate_out = out.join("protocol-tests").join(&generated.folder);
        codegen::write(&crate_out, &generated.generated.files, true)?;
        written.suites += 1;
    }
    Ok(written)
}
