//! Reading typed values out of a parsed JSON document, with errors that name the path.

use serde_json::{Map, Value};

use super::base64;
pub use crate::deserialize::{DeserializeError, Path};
use crate::{Blob, DateTime, DateTimeFormat, Document, Number};

fn expected(path: &Path, what: &str, value: &Value) -> DeserializeError {
    let found = match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    DeserializeError::new(path.to_string(), format!("expected {what}, found {found}"))
}

/// Parses a body; an empty body reads as an empty object.
pub fn parse(body: &[u8]) -> Result<Value, DeserializeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Map::new()));
    }
    serde_json::from_slice(body)
        .map_err(|error| DeserializeError::new("body", format!("invalid JSON: {error}")))
}

/// The object's entries.
pub fn object<'v>(
    value: &'v Value,
    path: &Path,
) -> Result<&'v Map<String, Value>, DeserializeError> {
    value
        .as_object()
        .ok_or_else(|| expected(path, "an object", value))
}

/// A member of an object; `null` counts as absent.
pub fn field<'v>(object: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    object.get(name).filter(|value| !value.is_null())
}

/// An optional member of an object: `None` when absent or `null`, else what `read` makes of
/// its value (errors name the member's path).
pub fn optional<T>(
    object: &Map<String, Value>,
    name: &str,
    path: &Path,
    read: impl FnOnce(&Value, &Path) -> Result<T, DeserializeError>,
) -> Result<Option<T>, DeserializeError> {
    match field(object, name) {
        Some(value) => read(value, &Path::Member(path, name)).map(Some),
        None => Ok(None),
    }
}

/// A document, as a reader for [`optional`] and collections (it never fails).
pub fn document_of(value: &Value, _path: &Path) -> Result<Document, DeserializeError> {
    Ok(document(value))
}

/// A reader of timestamps in `format`, for [`optional`].
pub fn timestamp_in(
    format: DateTimeFormat,
) -> impl Fn(&Value, &Path) -> Result<DateTime, DeserializeError> {
    move |value, path| timestamp(value, format, path)
}

/// A string enum: any string, unknown values included (`T` keeps them).
pub fn string_enum<T: for<'a> From<&'a str>>(
    value: &Value,
    path: &Path,
) -> Result<T, DeserializeError> {
    Ok(T::from(string(value, path)?.as_str()))
}

/// An int enum: any 32-bit integer, unknown values included (`T` keeps them).
pub fn int_enum<T: From<i32>>(value: &Value, path: &Path) -> Result<T, DeserializeError> {
    integer::<i32>(value, path).map(T::from)
}

/// The array's elements.
pub fn array<'v>(value: &'v Value, path: &Path) -> Result<&'v [Value], DeserializeError> {
    value
        .as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| expected(path, "an array", value))
}

/// A string.
pub fn string(value: &Value, path: &Path) -> Result<String, DeserializeError> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| expected(path, "a string", value))
}

/// A boolean.
pub fn boolean(value: &Value, path: &Path) -> Result<bool, DeserializeError> {
    value
        .as_bool()
        .ok_or_else(|| expected(path, "a boolean", value))
}

/// An integer that fits `T`.
pub fn integer<T: TryFrom<i64>>(value: &Value, path: &Path) -> Result<T, DeserializeError> {
    value
        .as_i64()
        .and_then(|number| T::try_from(number).ok())
        .ok_or_else(|| expected(path, "an integer in range", value))
}

/// A float, accepting `"NaN"`, `"Infinity"` and `"-Infinity"`.
pub fn float(value: &Value, path: &Path) -> Result<f64, DeserializeError> {
    match value {
        Value::Number(number) => number
            .as_f64()
            .ok_or_else(|| expected(path, "a number", value)),
        Value::String(text) => match text.as_str() {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => Err(expected(path, "a number", value)),
        },
        _ => Err(expected(path, "a number", value)),
    }
}

/// A timestamp in `format` (epoch seconds may be a number).
pub fn timestamp(
    value: &Value,
    format: DateTimeFormat,
    path: &Path,
) -> Result<DateTime, DeserializeError> {
    match (value, format) {
        (Value::Number(number), DateTimeFormat::EpochSeconds) => number
            .as_f64()
            .and_then(DateTime::from_secs_f64)
            .ok_or_else(|| expected(path, "epoch seconds", value)),
        (Value::String(text), _) => DateTime::parse(text, format)
            .map_err(|error| DeserializeError::new(path.to_string(), error.to_string())),
        _ => Err(expected(path, "a timestamp", value)),
    }
}

/// A base64 blob.
pub fn blob(value: &Value, path: &Path) -> Result<Blob, DeserializeError> {
    let text = value
        .as_str()
        .ok_or_else(|| expected(path, "a base64 string", value))?;
    base64::decode(text).map(Blob::new).ok_or_else(|| {
        DeserializeError::new(
            path.to_string(),
            "expected a base64 string, found other text",
        )
    })
}

/// Any JSON as a document.
pub fn document(value: &Value) -> Document {
    match value {
        Value::Null => Document::Null,
        Value::Bool(flag) => Document::Bool(*flag),
        Value::Number(number) => Document::Number(match (number.as_u64(), number.as_i64()) {
            (Some(positive), _) => Number::PosInt(positive),
            (None, Some(negative)) => Number::NegInt(negative),
            _ => Number::Float(number.as_f64().unwrap_or(f64::NAN)),
        }),
        Value::String(text) => Document::String(text.clone()),
        Value::Array(items) => Document::Array(items.iter().map(document).collect()),
        Value::Object(entries) => Document::Object(
            entries
                .iter()
                .map(|(key, item)| (key.clone(), document(item)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_members_are_absent_null_or_read_with_their_path() {
        let value: Value =
            serde_json::from_str(r#"{"a": "x", "b": null, "c": 5, "t": 1.5}"#).unwrap();
        let object = object(&value, &Path::Root("Shape")).unwrap();
        let root = Path::Root("Shape");
        assert_eq!(
            optional(object, "a", &root, string).unwrap().as_deref(),
            Some("x")
        );
        assert_eq!(optional(object, "b", &root, string).unwrap(), None);
        assert_eq!(optional(object, "z", &root, string).unwrap(), None);
        let error = optional(object, "c", &root, string).unwrap_err();
        assert_eq!(
            error.to_string(),
            "Shape.c: expected a string, found a number"
        );
        let read_time = timestamp_in(DateTimeFormat::EpochSeconds);
        let time = optional(object, "t", &root, read_time).unwrap().unwrap();
        assert_eq!(time.as_secs_f64(), 1.5);
        let number: Option<i32> = optional(object, "c", &root, int_enum).unwrap();
        assert_eq!(number, Some(5));
        let text: Option<String> = optional(object, "a", &root, string_enum).unwrap();
        assert_eq!(text.as_deref(), Some("x"));
        assert!(optional(object, "a", &root, document_of).unwrap().is_some());
    }

    #[test]
    fn errors_name_the_path_and_the_mismatch() {
        let value: Value =
            serde_json::from_str(r#"{"n": "x", "t": "2019-12-16T23:48:18Z"}"#).unwrap();
        let root = Path::Root("Out");
        let entries = object(&value, &root).unwrap();
        let error =
            integer::<i32>(field(entries, "n").unwrap(), &Path::Member(&root, "n")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "Out.n: expected an integer in range, found a string"
        );
        let time = timestamp(
            field(entries, "t").unwrap(),
            DateTimeFormat::DateTime,
            &Path::Member(&root, "t"),
        )
        .unwrap();
        assert_eq!(time.secs(), 1_576_540_098);
        assert_eq!(parse(b"").unwrap(), Value::Object(Map::new()));
        assert!(parse(b"{")
            .unwrap_err()
            .to_string()
            .starts_with("body: invalid JSON"));
    }

    #[test]
    fn paths_print_members_elements_and_entries() {
        let root = Path::Root("ListRoomsOutput");
        let rooms = Path::Member(&root, "rooms");
        let third = Path::Index(&rooms, 2);
        let tags = Path::Member(&third, "tags");
        assert_eq!(
            Path::Key(&tags, "team").to_string(),
            "ListRoomsOutput.rooms[2].tags[team]"
        );
    }
}
