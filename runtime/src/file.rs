//! Files read with a size limit, and written whole or not at all.

use std::fs;
use std::io::{self, Read, Write};
use std::path::Path;

/// A file's text, refused when it is larger than `limit` bytes or not UTF-8 (errors of kind
/// `InvalidData` that say which); a missing file is the `NotFound` error of opening it.
pub fn read_text_limited(path: &Path, limit: u64) -> io::Result<String> {
    let mut bytes = Vec::new();
    fs::File::open(path)?
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    let invalid = |what: String| io::Error::new(io::ErrorKind::InvalidData, what);
    if bytes.len() as u64 > limit {
        return Err(invalid(format!("larger than {limit} bytes")));
    }
    String::from_utf8(bytes).map_err(|_| invalid("not UTF-8 text".to_owned()))
}

/// Who may read a file written by [`write_atomically`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Readers {
    /// As the process's umask allows.
    Default,
    /// Its owner only (mode 0600 on Unix), for files holding secrets.
    Owner,
}

/// Writes `contents` to `path` atomically: to a temporary file beside it (named after the
/// whole file name, so never the file itself), synced, then renamed over it. A failure leaves
/// the old file as it was and no temporary file behind.
pub fn write_atomically(path: &Path, contents: &[u8], readers: Readers) -> io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path has no file name"))?;
    let mut temporary_name = std::ffi::OsString::from(".");
    temporary_name.push(name);
    temporary_name.push(format!(".{}.partial", std::process::id()));
    let temporary = path.with_file_name(temporary_name);
    let written = (|| {
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        if readers == Readers::Owner {
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        }
        let mut file = options.open(&temporary)?;
        file.write_all(contents)?;
        file.sync_all()?;
        fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_contents_replace_the_old_and_nothing_else_is_left() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("state.json");
        write_atomically(&path, b"first", Readers::Default).unwrap();
        write_atomically(&path, b"second", Readers::Owner).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        assert_eq!(fs::read_dir(folder.path()).unwrap().count(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn reads_are_limited_and_text_only() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("file");
        fs::write(&path, "hello").unwrap();
        assert_eq!(read_text_limited(&path, 5).unwrap(), "hello");
        let error = read_text_limited(&path, 4).unwrap_err();
        assert_eq!(
            (error.kind(), error.to_string()),
            (io::ErrorKind::InvalidData, "larger than 4 bytes".to_owned())
        );
        fs::write(&path, [0xff, 0xfe]).unwrap();
        assert_eq!(
            read_text_limited(&path, 5).unwrap_err().to_string(),
            "not UTF-8 text"
        );
        let missing = read_text_limited(&folder.path().join("missing"), 5).unwrap_err();
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("missing-folder").join("state.json");
        assert!(write_atomically(&path, b"x", Readers::Default).is_err());
        assert_eq!(fs::read_dir(folder.path()).unwrap().count(), 0);
    }
}
