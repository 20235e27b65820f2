//! Pinned inputs: `model/ivschat.lock` (the service model) and `model/partitions.lock` (the AWS
//! partitions data) say where each comes from and its sha256; [`ensure_model`] fetches a file
//! (or copies it from its mirror folder) when it is missing or stale.

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::atomic;

/// The environment variable naming a folder that holds the model files (offline runs, CI),
/// unless a lock names another.
pub const MIRROR_VARIABLE: &str = "SMITHY_MODEL_MIRROR";

/// The contents of a model lock file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lock {
    /// The model's file name, in `model/` and in a mirror folder.
    pub file: String,
    /// The pinned download URL.
    pub url: String,
    /// The expected sha256, lowercase hex.
    pub sha256: String,
    /// The service shape to generate (model locks only).
    pub service: Option<String>,
    /// The environment variable naming the mirror folder.
    pub mirror_env: String,
    /// The file's folder inside the mirror.
    pub mirror_subdir: String,
}

impl Lock {
    /// Reads a lock file; the error names the file and the missing or malformed field.
    pub fn read(path: &Path) -> Result<Self, String> {
        let text = fs::read_to_string(path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|error| format!("{}: invalid JSON: {error}", path.display()))?;
        let field = |name: &str| {
            value
                .get(name)
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("{}: `{name}` is missing or not a string", path.display()))
        };
        Ok(Self {
            file: field("file")?,
            url: field("url")?,
            sha256: field("sha256")?.to_ascii_lowercase(),
            service: field("service").ok(),
            mirror_env: field("mirror_env").unwrap_or_else(|_| MIRROR_VARIABLE.to_owned()),
            mirror_subdir: field("mirror_subdir").unwrap_or_default(),
        })
    }
}

/// The lowercase hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Where the model bytes come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A mirror folder.
    Mirror(PathBuf),
    /// The pinned URL.
    Download,
}

impl Source {
    /// The lock's mirror folder when its variable is set, else the download.
    pub fn for_lock(lock: &Lock) -> Self {
        match std::env::var_os(&lock.mirror_env) {
            Some(folder) if !folder.is_empty() => {
                Source::Mirror(PathBuf::from(folder).join(&lock.mirror_subdir))
            }
            _ => Source::Download,
        }
    }
}

/// Fetches the model the lock pins, checks its sha256 and writes it to `destination`
/// atomically. On any failure nothing is written.
pub fn fetch(lock: &Lock, source: &Source, destination: &Path) -> Result<(), String> {
    let (origin, bytes) = match source {
        Source::Mirror(folder) => {
            let path = folder.join(&lock.file);
            let bytes = fs::read(&path).map_err(|error| {
                format!(
                    "cannot read the model from the mirror {}: {error}",
                    path.display()
                )
            })?;
            (path.display().to_string(), bytes)
        }
        Source::Download => (lock.url.clone(), download(&lock.url)?),
    };
    let actual = sha256_hex(&bytes);
    if actual != lock.sha256 {
        return Err(format!(
            "sha256 mismatch for {origin}: the lock expects {}, the file has {actual}; nothing was written",
            lock.sha256
        ));
    }
    atomic::write(destination, &bytes)
}

/// The bytes at `url` (at most 64 MiB).
pub fn download(url: &str) -> Result<Vec<u8>, String> {
    let failed = |error: ureq::Error| {
        format!("cannot download {url}: {error} (offline? set the lock's mirror variable to a folder holding the file)")
    };
    let mut response = ureq::get(url).call().map_err(failed)?;
    response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_vec()
        .map_err(failed)
}

/// The model next to `lock_path`, fetched first when it is missing or does not match the lock.
/// Returns the model's path and the lock.
pub fn ensure_model(lock_path: &Path) -> Result<(PathBuf, Lock), String> {
    let lock = Lock::read(lock_path)?;
    let directory = lock_path.parent().unwrap_or(Path::new("."));
    let model = directory.join(&lock.file);
    let current = fs::read(&model).ok().map(|bytes| sha256_hex(&bytes));
    if current.as_deref() != Some(lock.sha256.as_str()) {
        fetch(&lock, &Source::for_lock(&lock), &model)?;
    }
    Ok((model, lock))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lock_for(bytes: &[u8]) -> Lock {
        Lock {
            file: "m.json".to_owned(),
            url: "http://127.0.0.1:9/unreachable".to_owned(),
            sha256: sha256_hex(bytes),
            service: None,
            mirror_env: MIRROR_VARIABLE.to_owned(),
            mirror_subdir: String::new(),
        }
    }

    #[test]
    fn copies_from_the_mirror_when_the_hash_matches() {
        let mirror = tempfile::tempdir().unwrap();
        fs::write(mirror.path().join("m.json"), b"{}").unwrap();
        let out = tempfile::tempdir().unwrap();
        let destination = out.path().join("m.json");
        fetch(
            &lock_for(b"{}"),
            &Source::Mirror(mirror.path().into()),
            &destination,
        )
        .unwrap();
        assert_eq!(fs::read(&destination).unwrap(), b"{}");
    }

    #[test]
    fn a_hash_mismatch_is_an_error_and_writes_nothing() {
        let mirror = tempfile::tempdir().unwrap();
        fs::write(mirror.path().join("m.json"), b"tampered").unwrap();
        let out = tempfile::tempdir().unwrap();
        let destination = out.path().join("m.json");
        let error = fetch(
            &lock_for(b"{}"),
            &Source::Mirror(mirror.path().into()),
            &destination,
        )
        .unwrap_err();
        assert!(error.starts_with("sha256 mismatch for "), "{error}");
        assert!(error.contains(&sha256_hex(b"tampered")), "{error}");
        assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_network_failure_is_an_error_and_writes_nothing() {
        let out = tempfile::tempdir().unwrap();
        let destination = out.path().join("m.json");
        let error = fetch(&lock_for(b"{}"), &Source::Download, &destination).unwrap_err();
        assert!(
            error.starts_with("cannot download http://127.0.0.1:9/unreachable"),
            "{error}"
        );
        assert!(!destination.exists());
    }

    #[test]
    fn lock_errors_name_the_field() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("x.lock");
        fs::write(&path, r#"{"file": "m.json", "url": "u", "service": "a#S"}"#).unwrap();
        let error = Lock::read(&path).unwrap_err();
        assert!(
            error.ends_with("`sha256` is missing or not a string"),
            "{error}"
        );
    }
}
