//! `cargo xtask update-model --commit SHA | --url URL`: fetches a new version of the model,
//! checks it generates, rewrites `model/ivschat.lock` (URL and sha256) and the model, then
//! regenerates and prints the API change with the version bump it implies. A model that does
//! not download, parse or generate changes nothing.

use std::fs;
use std::path::Path;

use crate::{api_diff, atomic, codegen, model_source};

/// The largest model read, in bytes.
const MAX_MODEL_BYTES: u64 = 64 * 1024 * 1024;

/// Where the new model comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The lock's URL with this commit in place of the pinned one.
    Commit(String),
    /// Any URL (`https://...`), or a local file (`file://...` or a path).
    Url(String),
}

/// The URL of `target`: a commit replaces the 40-hex-digit commit in the lock's URL.
pub fn url_for(lock_url: &str, target: &Target) -> Result<String, String> {
    match target {
        Target::Url(url) => Ok(url.clone()),
        Target::Commit(sha) => {
            if sha.len() != 40 || !sha.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(format!("`{sha}` is not a 40-digit commit sha"));
            }
            let pinned = lock_url
                .split('/')
                .find(|part| part.len() == 40 && part.chars().all(|c| c.is_ascii_hexdigit()))
                .ok_or_else(|| format!("the lock's URL {lock_url} names no commit to replace"))?;
            Ok(lock_url.replacen(pinned, sha, 1))
        }
    }
}

/// The bytes at `url`: downloaded, or read from a local file.
fn fetch(url: &str) -> Result<Vec<u8>, String> {
    if url.starts_with("http://") || url.starts_with("https://") {
        return model_source::download(url);
    }
    let path = Path::new(url.strip_prefix("file://").unwrap_or(url));
    let size = fs::metadata(path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?
        .len();
    if size > MAX_MODEL_BYTES {
        return Err(format!(
            "{} is larger than {MAX_MODEL_BYTES} bytes",
            path.display()
        ));
    }
    fs::read(path).map_err(|error| format!("cannot read {}: {error}", path.display()))
}

/// The lock's JSON with a new URL and sha256: its text, with only those two values replaced
/// (the other fields and the layout kept, so the lock's diff is those two lines).
pub fn relock(lock_json: &str, url: &str, sha256: &str) -> Result<String, String> {
    let value: serde_json::Value = serde_json::from_str(lock_json)
        .map_err(|error| format!("the lock is not JSON: {error}"))?;
    let quoted = |text: &str| serde_json::Value::from(text).to_string();
    let mut text = lock_json.to_owned();
    for (field, new) in [("url", url), ("sha256", sha256)] {
        let old = value[field]
            .as_str()
            .ok_or_else(|| format!("the lock's `{field}` is missing"))?;
        let (from, to) = (
            format!("\"{field}\": {}", quoted(old)),
            format!("\"{field}\": {}", quoted(new)),
        );
        if !text.contains(&from) {
            return Err(format!("the lock's `{field}` is not written as `{from}`"));
        }
        text = text.replacen(&from, &to, 1);
    }
    Ok(text)
}

/// Updates the model to `target`; returns the API change report.
pub fn run(root: &Path, target: &Target) -> Result<String, String> {
    let lock_path = root.join("model/ivschat.lock");
    let lock_json = fs::read_to_string(&lock_path)
        .map_err(|error| format!("cannot read {}: {error}", lock_path.display()))?;
    let lock = model_source::Lock::read(&lock_path)?;
    let url = url_for(&lock.url, target)?;
    let bytes = fetch(&url)?;
    let text = std::str::from_utf8(&bytes).map_err(|_| format!("{url} is not UTF-8 text"))?;
    // The new model must generate before anything is written.
    ivschat_codegen::generate(
        text,
        &lock.file,
        lock.service.as_deref(),
        &codegen::options(root)?,
    )
    .map_err(|error| format!("the new model does not generate, nothing was changed: {error}"))?;
    let sha256 = model_source::sha256_hex(&bytes);
    let api_path = root.join("generated/API.md");
    let old_api = fs::read_to_string(&api_path).unwrap_or_default();
    atomic::write(&root.join("model").join(&lock.file), &bytes)?;
    atomic::write(&lock_path, relock(&lock_json, &url, &sha256)?.as_bytes())?;
    for output in codegen::generate_all(root)? {
        codegen::write(
            &root.join(&output.folder),
            &output.generated.files,
            output.owns_folder,
        )?;
    }
    let new_api = fs::read_to_string(&api_path)
        .map_err(|error| format!("cannot read {}: {error}", api_path.display()))?;
    let version = codegen::options(root)?.crate_version;
    Ok(format!(
        "update-model: {url} (sha256 {sha256})\n{}",
        api_diff::diff(&old_api, &new_api).report(&version)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commit_replaces_the_pinned_one_and_the_lock_keeps_its_fields() {
        let lock = "https://raw.githubusercontent.com/aws/api-models-aws/56c8953e87aeead95ae5e66a3ca6a355731db6ad/ivschat/service/2020-07-14/ivschat-2020-07-14.json";
        let sha = "0123456789abcdef0123456789abcdef01234567";
        let url = url_for(lock, &Target::Commit(sha.to_owned())).unwrap();
        assert_eq!(
            url,
            lock.replace("56c8953e87aeead95ae5e66a3ca6a355731db6ad", sha)
        );
        assert!(url_for(lock, &Target::Commit("main".to_owned())).is_err());
        let relocked = relock(
            r#"{"file": "m.json", "url": "old", "sha256": "aa", "service": "s#S"}"#,
            "new",
            "bb",
        )
        .unwrap();
        let value: serde_json::Value = serde_json::from_str(&relocked).unwrap();
        assert_eq!(value["url"], "new");
        assert_eq!(value["sha256"], "bb");
        assert_eq!(value["service"], "s#S");
    }
}
