//! Seed corpora from the official suites in `$IVSCHAT_TESTSUITES`.

use std::path::{Path, PathBuf};

/// `$IVSCHAT_TESTSUITES/relative`, or `None` (with a note) when the variable is unset. Under
/// `CI=true` an unset variable or a missing folder fails: a suite that was not read never
/// passes there.
pub fn suite_folder(relative: &str) -> Option<PathBuf> {
    let Some(root) = std::env::var_os("IVSCHAT_TESTSUITES") else {
        assert!(
            !in_ci(),
            "IVSCHAT_TESTSUITES is unset under CI=true: {relative} cannot be read"
        );
        println!("IVSCHAT_TESTSUITES is unset: skipping the seeds of {relative} (CI sets it to ../shared/testsuites)");
        return None;
    };
    let folder = PathBuf::from(root).join(relative);
    assert!(folder.exists(), "{} is missing", folder.display());
    Some(folder)
}

/// True under `CI=true`, where nothing may skip for a missing suite, folder or package.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| value == "true")
}

/// The files under `folder` (at any depth) whose names end with `suffix`, in path order.
pub fn text_files(folder: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(directory) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&directory) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
                pending.push(path);
            } else if path.to_string_lossy().ends_with(suffix) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}
