//! Files read with a size limit, and written whole or not at all.

use std::fs;
use std::io::{self, Read, Write};
use std::path::Path;

/// A file's text, refused when it is larger than `limit` bytes or not UTF-8 (errors of kind
/// `InvalidData` that say which); a missing file is the `NotFound` error of opening it.
pub fn read_text_limited(path: &Path, limit: u64) -> io::Result<String> {
    let bytes = read_limited(path, limit)?;
    String::from_utf8(bytes)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text"))
}

/// A file's bytes, refused when it is larger than `limit` bytes (an error of kind
/// `InvalidData` that says so): never more than `limit + 1` bytes are read, whatever the
/// file grows to meanwhile.
pub fn read_limited(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    fs::File::open(path)?
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("larger than {limit} bytes"),
        ));
    }
    Ok(bytes)
}

/// Who may read a file written by [`write_atomically`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Readers {
    /// As the process's umask allows.
    Default,
    /// Its owner only (mode 0600 on Unix), for files holding secrets.
    Owner,
}

/// How many random temporary names are tried before giving up (another process creating the
/// same names every time).
const TEMPORARY_NAME_TRIES: usize = 16;

/// Writes `contents` to `path` atomically: to a new temporary file beside it (a random name
/// after the whole file name, created exclusively, so never the file itself and never through
/// a link planted in the folder), synced, renamed over it, and the folder synced so the rename
/// survives a crash. A failure leaves the old file as it was and no temporary file behind.
pub fn write_atomically(path: &Path, contents: &[u8], readers: Readers) -> io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path has no file name"))?;
    let (mut file, temporary) = create_temporary(path, name, readers)?;
    let written = (|| {
        file.write_all(contents)?;
        file.sync_all()?;
        fs::rename(&temporary, path)?;
        sync_folder(path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}

/// Creates `.NAME.RANDOM.partial` beside `path` exclusively (`O_CREAT | O_EXCL`, which never
/// follows a symbolic link), with its mode set on the open descriptor.
fn create_temporary(
    path: &Path,
    name: &std::ffi::OsStr,
    readers: Readers,
) -> io::Result<(fs::File, std::path::PathBuf)> {
    for _ in 0..TEMPORARY_NAME_TRIES {
        let mut temporary_name = std::ffi::OsString::from(".");
        temporary_name.push(name);
        temporary_name.push(format!(".{:016x}.partial", fastrand::u64(..)));
        let temporary = path.with_file_name(temporary_name);
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if readers == Readers::Owner {
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        }
        match options.open(&temporary) {
            Ok(file) => {
                #[cfg(unix)]
                if readers == Readers::Owner {
                    use std::os::unix::fs::PermissionsExt;
                    file.set_permissions(fs::Permissions::from_mode(0o600))?;
                }
                return Ok((file, temporary));
            }
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(error),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!(
            "no free temporary name beside {} after {TEMPORARY_NAME_TRIES} tries",
            path.display()
        ),
    ))
}

/// Syncs the folder holding `path`, so that a rename into it is durable (a no-op where folders
/// cannot be opened, as on Windows).
fn sync_folder(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        let folder = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        fs::File::open(folder)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
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

    #[cfg(unix)]
    #[test]
    fn links_planted_at_temporary_names_are_never_followed() {
        let folder = tempfile::tempdir().unwrap();
        let victim = folder.path().join("victim");
        fs::write(&victim, "precious").unwrap();
        let path = folder.path().join("state.json");
        // The name the writer used to take, and a spread of others, all links to the victim.
        let planted = format!(".state.json.{}.partial", std::process::id());
        std::os::unix::fs::symlink(&victim, folder.path().join(planted)).unwrap();
        write_atomically(&path, b"new", Readers::Owner).unwrap();
        assert_eq!(fs::read(&victim).unwrap(), b"precious");
        assert_eq!(fs::read(&path).unwrap(), b"new");
        let (file, temporary) =
            create_temporary(&path, std::ffi::OsStr::new("state.json"), Readers::Default).unwrap();
        drop(file);
        let again = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary);
        assert_eq!(again.unwrap_err().kind(), io::ErrorKind::AlreadyExists);
    }

    #[test]
    fn concurrent_writers_never_share_a_temporary_file() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("state.json");
        let writers: Vec<_> = (0..8)
            .map(|n| {
                let path = path.clone();
                std::thread::spawn(move || {
                    (0..50).try_for_each(|_| write_atomically(&path, &[n; 4096], Readers::Default))
                })
            })
            .collect();
        for writer in writers {
            writer.join().unwrap().unwrap();
        }
        let contents = fs::read(&path).unwrap();
        assert!(contents.len() == 4096 && contents.iter().all(|byte| *byte == contents[0]));
        assert_eq!(fs::read_dir(folder.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("missing-folder").join("state.json");
        assert!(write_atomically(&path, b"x", Readers::Default).is_err());
        assert_eq!(fs::read_dir(folder.path()).unwrap().count(), 0);
    }
}
