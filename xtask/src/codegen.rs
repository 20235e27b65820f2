//! `cargo xtask codegen [--check]`: generate the client crate from the pinned model into
//! `generated/` and the credential chain's clients into `credentials/src/generated/`, or check that
//! they are what the generator would write.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use ivschat_codegen::{generate, Generated, Options};

use crate::clients::{self, ClientEntry};
use crate::{atomic, model_source};

/// The workspace root (the parent of the xtask crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits inside the workspace")
        .to_path_buf()
}

/// The folder of the ivschat crate, as `xtask/clients.json` names it.
const IVSCHAT_FOLDER: &str = "generated";

/// The entry of the ivschat crate in `xtask/clients.json`.
pub fn ivschat_entry(root: &Path) -> Result<ClientEntry, String> {
    clients::read(root)?
        .into_iter()
        .find(|entry| entry.folder == IVSCHAT_FOLDER)
        .ok_or_else(|| format!("{} has no client in `{IVSCHAT_FOLDER}`", clients::CONFIG))
}

/// The options the ivschat crate is generated with (its entry in `xtask/clients.json`).
pub fn options(root: &Path) -> Result<Options, String> {
    Ok(ivschat_entry(root)?.options("model/ivschat.json"))
}

/// Every lock `fetch-model` and `codegen` read: the partitions data's and each client's.
pub fn locks(root: &Path) -> Result<Vec<String>, String> {
    let mut locks = vec!["partitions.lock".to_owned()];
    locks.extend(clients::read(root)?.into_iter().map(|entry| entry.lock));
    Ok(locks)
}

/// What codegen writes: each generated file set with its folder (relative to the workspace
/// root).
pub struct Output {
    /// The folder, e.g. `generated` or `credentials/src/generated/sso`.
    pub folder: String,
    /// The files, by path in the folder.
    pub generated: Generated,
    /// True when codegen owns the whole folder, so files it no longer makes are removed; false
    /// for a generated file among hand-written ones (the runtime's partitions table).
    pub owns_folder: bool,
}

/// Reads a pinned input (fetched when missing): its text and lock.
fn read_pinned(root: &Path, lock: &str) -> Result<(String, model_source::Lock), String> {
    let (path, lock) = model_source::ensure_model(&root.join("model").join(lock))?;
    let text = fs::read_to_string(&path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    Ok((text, lock))
}

/// Generates the ivschat crate in memory from the pinned model (fetched when missing).
pub fn generate_ivschat(root: &Path) -> Result<Generated, String> {
    generate_client(root, &ivschat_entry(root)?)
}

/// Generates one client of `xtask/clients.json` in memory from its pinned model.
fn generate_client(root: &Path, entry: &ClientEntry) -> Result<Generated, String> {
    let (json, lock) = read_pinned(root, &entry.lock)?;
    let source = format!("model/{}", lock.file);
    generate(
        &json,
        &source,
        lock.service.as_deref(),
        &entry.options(&source),
    )
    .map_err(|error| format!("{}: {error}", entry.folder))
}

/// The runtime's partitions table from the pinned partitions data.
fn generate_partitions(root: &Path) -> Result<Generated, String> {
    let (json, _) = read_pinned(root, "partitions.lock")?;
    let options = Options {
        source: "model/partitions.json".to_owned(),
        regenerate_command: crate::REGENERATE.to_owned(),
        ..Options::default()
    };
    let text =
        ivschat_codegen::generate_partitions(&json, &options).map_err(|error| error.to_string())?;
    Ok(Generated {
        files: BTreeMap::from([("partitions.rs".to_owned(), text)]),
        shape_count: 0,
        operation_count: 0,
        warnings: Vec::new(),
        customizations: Vec::new(),
    })
}

/// Generates everything codegen owns: the clients of `xtask/clients.json` (the ivschat crate
/// and the credential chain's clients) and the runtime's partitions table.
pub fn generate_all(root: &Path) -> Result<Vec<Output>, String> {
    let mut outputs = vec![Output {
        folder: "runtime/src/endpoint".to_owned(),
        generated: generate_partitions(root)?,
        owns_folder: false,
    }];
    for entry in clients::read(root)? {
        outputs.push(Output {
            generated: generate_client(root, &entry)?,
            folder: entry.folder,
            owns_folder: true,
        });
    }
    Ok(outputs)
}

/// What writing the crate did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteSummary {
    /// Files whose contents changed or that were new.
    pub written: usize,
    /// Files already up to date.
    pub unchanged: usize,
    /// Files on disk that the generator no longer produces, now deleted.
    pub removed: usize,
}

/// Writes the generated files under `out` (each atomically) and, when `prune`, deletes files it
/// no longer makes.
pub fn write(
    out: &Path,
    files: &BTreeMap<String, String>,
    prune: bool,
) -> Result<WriteSummary, String> {
    let mut summary = WriteSummary::default();
    for (path, contents) in files {
        let target = out.join(path);
        if fs::read(&target).is_ok_and(|current| current == contents.as_bytes()) {
            summary.unchanged += 1;
        } else {
            atomic::write(&target, contents.as_bytes())?;
            summary.written += 1;
        }
    }
    for extra in extra_files(out, files, prune)? {
        fs::remove_file(out.join(&extra))
            .map_err(|error| format!("cannot remove {extra}: {error}"))?;
        summary.removed += 1;
    }
    Ok(summary)
}

/// Every difference between `out` and the generated files (and, when `prune`, files there it
/// does not make), one line each; empty when fresh.
pub fn check(
    out: &Path,
    files: &BTreeMap<String, String>,
    prune: bool,
) -> Result<Vec<String>, String> {
    let mut problems = Vec::new();
    for (path, contents) in files {
        match fs::read(out.join(path)) {
            Ok(current) if current == contents.as_bytes() => {}
            Ok(_) => problems.push(format!("stale: {path}")),
            Err(_) => problems.push(format!("missing: {path}")),
        }
    }
    for extra in extra_files(out, files, prune)? {
        problems.push(format!("extra: {extra}"));
    }
    Ok(problems)
}

/// Files under `out` that the generator does not produce, as relative `/`-separated paths;
/// none unless `prune`.
fn extra_files(
    out: &Path,
    files: &BTreeMap<String, String>,
    prune: bool,
) -> Result<Vec<String>, String> {
    if !prune {
        return Ok(Vec::new());
    }
    let mut found = BTreeSet::new();
    collect_files(out, out, &mut found)?;
    Ok(found
        .into_iter()
        .filter(|path| !files.contains_key(path))
        .collect())
}

fn collect_files(
    root: &Path,
    directory: &Path,
    found: &mut BTreeSet<String>,
) -> Result<(), String> {
    let Ok(entries) = fs::read_dir(directory) else {
        return Ok(());
    };
    for entry in entries {
        let entry =
            entry.map_err(|error| format!("cannot list {}: {error}", directory.display()))?;
        let path = entry.path();
        // A link is an entry of its own, never followed: cleaning up never reaches outside `root`.
        let is_real_directory = entry.file_type().is_ok_and(|kind| kind.is_dir());
        if is_real_directory {
            collect_files(root, &path, found)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            let parts: Vec<_> = relative
                .components()
                .map(|part| part.as_os_str().to_string_lossy())
                .collect();
            found.insert(parts.join("/"));
        }
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn cleanup_removes_links_without_following_them() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("precious.rs"), "keep me").unwrap();
        let out = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), out.path().join("linked")).unwrap();
        let files = BTreeMap::from([("src/lib.rs".to_owned(), "// generated\n".to_owned())]);
        assert_eq!(
            check(out.path(), &files, true).unwrap(),
            ["missing: src/lib.rs", "extra: linked"]
        );
        let summary = write(out.path(), &files, true).unwrap();
        assert_eq!(summary.removed, 1);
        assert!(outside.path().join("precious.rs").exists());
        assert!(!out.path().join("linked").exists());
        assert!(check(out.path(), &files, true).unwrap().is_empty());
    }
}
