//! The Rust sources of a crate folder, read for the checks over hand-written code
//! ([`crate::module_graph`], [`crate::function_length`]).

use std::fs;
use std::path::Path;

/// The largest source file read, in bytes.
const MAX_SOURCE_BYTES: u64 = 4 * 1024 * 1024;

/// Every `.rs` file under `src` as (path relative to `src` with `/` separators, text), in path
/// order; files and folders named in `skip` are left out. A file over 4 MiB is an error.
pub fn read_rust_files(src: &Path, skip: &[&str]) -> Result<Vec<(String, String)>, String> {
    let mut files = Vec::new();
    let mut pending = vec![src.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let entries = fs::read_dir(&folder)
            .map_err(|error| format!("cannot list {}: {error}", folder.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if skip.iter().any(|name| entry.file_name() == *name) {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                let size = entry.metadata().map(|meta| meta.len()).unwrap_or(0);
                if size > MAX_SOURCE_BYTES {
                    return Err(format!("{}: over {MAX_SOURCE_BYTES} bytes", path.display()));
                }
                let text = fs::read_to_string(&path)
                    .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
                let relative = path.strip_prefix(src).unwrap_or(&path);
                files.push((relative.to_string_lossy().replace('\\', "/"), text));
            }
        }
    }
    files.sort();
    Ok(files)
}
