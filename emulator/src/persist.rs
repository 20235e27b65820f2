//! `--state-file`: the state saved as JSON after every change (through a temporary file and a
//! rename, so a crash never leaves half a file) and loaded on start; a lock file beside it
//! keeps a second emulator off the same file.

use std::sync::Arc;

use std::fs::{File, OpenOptions, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

use ivschat_runtime::file::{read_text_limited, write_atomically, Readers};
use ivschat_runtime::{DateTime, DateTimeFormat};
use serde_json::{json, Map, Value};

use crate::state::{Kept, LoggingConfiguration, Room, State};

fn time_text(value: DateTime) -> String {
    value.fmt(DateTimeFormat::DateTime)
}

fn room_record(room: &Room) -> Value {
    json!({
        "arn": room.arn, "id": room.id, "name": room.name,
        "createTime": time_text(room.create_time), "updateTime": time_text(room.update_time),
        "maximumMessageRatePerSecond": room.maximum_message_rate_per_second,
        "maximumMessageLength": room.maximum_message_length,
        "reviewHandler": room.review_handler.as_ref().map(|(uri, fallback)| json!([uri, fallback])),
        "loggingConfigurationIdentifiers": room.logging_configuration_identifiers,
    })
}

fn logging_record(configuration: &LoggingConfiguration) -> Value {
    json!({
        "arn": configuration.arn, "id": configuration.id, "name": configuration.name,
        "createTime": time_text(configuration.create_time), "updateTime": time_text(configuration.update_time),
        "destination": configuration.destination,
    })
}

/// The state file's text for what it keeps.
pub fn document(kept: &Kept) -> String {
    json!({
        "version": 1,
        "rooms": kept.rooms.values().map(room_record).collect::<Vec<_>>(),
        "loggingConfigurations": kept.logging.values().map(logging_record).collect::<Vec<_>>(),
        "tags": *kept.tags,
    })
    .to_string()
}

/// Writes `text` to `path` atomically ([`write_atomically`]).
pub fn write(path: &Path, text: &str) -> io::Result<()> {
    write_atomically(path, text.as_bytes(), Readers::Default)
}

/// The largest state file read back (64 MiB), and the largest snapshot loaded over the
/// admin API.
pub const MAX_STATE_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The lock file of a state file: `.NAME.lock` beside it.
fn lock_path(path: &Path) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(".lock");
    path.with_file_name(name)
}

/// Takes the lock of the state file at `path` for as long as the returned file is open; an
/// error names the file when another emulator holds it or its folder cannot hold the lock.
pub fn lock(path: &Path) -> io::Result<File> {
    let lock = lock_path(path);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock)
        .map_err(|error| {
            io::Error::new(
                error.kind(),
                format!(
                    "cannot create the lock {} of the state file: {error}",
                    lock.display()
                ),
            )
        })?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(io::Error::new(
            io::ErrorKind::AddrInUse,
            format!(
                "another ivschat-local is using the state file {} (it holds {})",
                path.display(),
                lock.display()
            ),
        )),
        Err(TryLockError::Error(error)) => Err(error),
    }
}

/// Reads a state file into `state`; a file that cannot be read back is an error naming it and
/// what is wrong, never a silent reset.
pub fn load(state: &mut State, path: &Path) -> io::Result<()> {
    let corrupt = |what: String| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: {what}", path.display()),
        )
    };
    let text =
        read_text_limited(path, MAX_STATE_FILE_BYTES).map_err(|error| match error.kind() {
            io::ErrorKind::InvalidData => corrupt(error.to_string()),
            _ => error,
        })?;
    read_document(state, &text).map_err(corrupt)
}

/// The rooms, logging configurations and tags of a state document (a snapshot), read apart
/// from the live state; the error says what is wrong.
pub fn parse(text: &str) -> Result<Kept, String> {
    let mut scratch = State::default();
    read_document(&mut scratch, text)?;
    Ok(scratch.kept())
}

/// Replaces the live state's rooms, logging configurations and tags with `kept`.
pub fn replace(state: &mut State, kept: Kept) {
    state.rooms = kept.rooms;
    state.logging = kept.logging;
    state.tags = kept.tags;
}

/// Puts the state back to `document`, the last one saved (a change that could not be saved).
pub fn restore(state: &mut State, document: &str) {
    Arc::make_mut(&mut state.rooms).clear();
    Arc::make_mut(&mut state.logging).clear();
    Arc::make_mut(&mut state.tags).clear();
    read_document(state, document).expect("a document this emulator wrote reads back");
}

/// Reads a state document's rooms, logging configurations and tags into `state`; the error
/// says what is wrong.
fn read_document(state: &mut State, text: &str) -> Result<(), String> {
    let document: Value =
        serde_json::from_str(text).map_err(|error| format!("not JSON: {error}"))?;
    if document.get("version") != Some(&json!(1)) {
        return Err("not an ivschat-local state file of version 1".to_owned());
    }
    let records = |key: &str| -> Result<Vec<Map<String, Value>>, String> {
        document
            .get(key)
            .and_then(Value::as_array)
            .ok_or_else(|| format!("`{key}` is missing"))?
            .iter()
            .map(|record| {
                record
                    .as_object()
                    .cloned()
                    .ok_or_else(|| format!("`{key}` holds a non-object"))
            })
            .collect()
    };
    for record in records("rooms")? {
        let room = read_room(&record).ok_or_else(|| "a room record is incomplete".to_owned())?;
        Arc::make_mut(&mut state.rooms).insert(room.arn.clone(), room);
    }
    for record in records("loggingConfigurations")? {
        let configuration = read_logging(&record)
            .ok_or_else(|| "a logging configuration record is incomplete".to_owned())?;
        Arc::make_mut(&mut state.logging).insert(configuration.arn.clone(), configuration);
    }
    let tags = document
        .get("tags")
        .and_then(Value::as_object)
        .ok_or_else(|| "`tags` is missing".to_owned())?;
    for (arn, entries) in tags {
        let entries = entries
            .as_object()
            .ok_or_else(|| format!("the tags of {arn} are not an object"))?;
        let map = entries
            .iter()
            .map(|(key, value)| value.as_str().map(|value| (key.clone(), value.to_owned())))
            .collect::<Option<_>>()
            .ok_or_else(|| format!("a tag of {arn} is not a string"))?;
        Arc::make_mut(&mut state.tags).insert(arn.clone(), map);
    }
    Ok(())
}

fn text(record: &Map<String, Value>, key: &str) -> Option<String> {
    record.get(key)?.as_str().map(str::to_owned)
}

fn time(record: &Map<String, Value>, key: &str) -> Option<DateTime> {
    DateTime::parse(record.get(key)?.as_str()?, DateTimeFormat::DateTime).ok()
}

fn read_room(record: &Map<String, Value>) -> Option<Room> {
    let review_handler = match record.get("reviewHandler")? {
        Value::Null => None,
        Value::Array(pair) => Some((
            pair.first()?.as_str()?.to_owned(),
            pair.get(1)?.as_str()?.to_owned(),
        )),
        _ => return None,
    };
    let logging = record.get("loggingConfigurationIdentifiers")?.as_array()?;
    Some(Room {
        arn: text(record, "arn")?,
        id: text(record, "id")?,
        name: text(record, "name")?,
        create_time: time(record, "createTime")?,
        update_time: time(record, "updateTime")?,
        maximum_message_rate_per_second: record.get("maximumMessageRatePerSecond")?.as_i64()?,
        maximum_message_length: record.get("maximumMessageLength")?.as_i64()?,
        review_handler,
        logging_configuration_identifiers: logging
            .iter()
            .map(|arn| arn.as_str().map(str::to_owned))
            .collect::<Option<_>>()?,
    })
}

fn read_logging(record: &Map<String, Value>) -> Option<LoggingConfiguration> {
    Some(LoggingConfiguration {
        arn: text(record, "arn")?,
        id: text(record, "id")?,
        name: text(record, "name")?,
        create_time: time(record, "createTime")?,
        update_time: time(record, "updateTime")?,
        destination: record.get("destination")?.clone(),
        state: "ACTIVE",
    })
}
