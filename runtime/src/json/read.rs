//! Reading typed values from JSON with the pull [`Reader`], with errors that name the path.
//! Each function reads the next value (the generated readers call them member by member).

use std::collections::BTreeMap;

use super::base64;
pub use super::pull::{Kind, Number as JsonNumber, Reader};
pub use crate::deserialize::{DeserializeError, Path};
use crate::{Blob, DateTime, DateTimeFormat, Document, Number};

fn expected(path: &Path, what: &str, found: Kind) -> DeserializeError {
    DeserializeError::new(
        path.to_string(),
        format!("expected {what}, found {}", found.described()),
    )
}

/// Reads a whole JSON body with `read` (an empty body is an empty object); text after the
/// value is an error.
pub fn from_body<T>(
    body: &[u8],
    path: &Path,
    read: impl FnOnce(&mut Reader<'_>, &Path) -> Result<T, DeserializeError>,
) -> Result<T, DeserializeError> {
    let mut reader = Reader::new(body);
    let value = read(&mut reader, path)?;
    reader.finish()?;
    Ok(value)
}

/// Reads a whole RPC v2 CBOR body with `read`, item by item in the JSON data model (an empty
/// body is an empty map); bytes after the value are an error.
pub fn from_cbor<T>(
    body: &[u8],
    path: &Path,
    read: impl FnOnce(&mut Reader<'_>, &Path) -> Result<T, DeserializeError>,
) -> Result<T, DeserializeError> {
    let mut reader = Reader::cbor(body);
    let value = read(&mut reader, path)?;
    reader.finish()?;
    Ok(value)
}

/// Reads an object: `each` gets the reader on each member's value and the member's name, and
/// must read or [`skip`] the value.
pub fn object<'b>(
    reader: &mut Reader<'b>,
    path: &Path,
    each: impl FnMut(&mut Reader<'b>, &str) -> Result<(), DeserializeError>,
) -> Result<(), DeserializeError> {
    reader
        .object(path, each)?
        .map_err(|found| expected(path, "an object", found))
}

/// Reads an array: `each` gets the reader on each element and its index, and must read or
/// [`skip`] it.
pub fn array<'b>(
    reader: &mut Reader<'b>,
    path: &Path,
    each: impl FnMut(&mut Reader<'b>, usize) -> Result<(), DeserializeError>,
) -> Result<(), DeserializeError> {
    reader
        .array(path, each)?
        .map_err(|found| expected(path, "an array", found))
}

/// Skips a value (an unknown member).
pub fn skip(reader: &mut Reader<'_>) -> Result<(), DeserializeError> {
    reader.skip()
}

/// Reads a `null` if one is next (true); else leaves the value to read (false).
pub fn null(reader: &mut Reader<'_>) -> Result<bool, DeserializeError> {
    reader.null()
}

/// An optional value: `None` for `null`, else what `read` makes of it.
pub fn optional<'b, T>(
    reader: &mut Reader<'b>,
    path: &Path,
    read: impl FnOnce(&mut Reader<'b>, &Path) -> Result<T, DeserializeError>,
) -> Result<Option<T>, DeserializeError> {
    if reader.null()? {
        return Ok(None);
    }
    read(reader, path).map(Some)
}

/// A reader of timestamps in `format`, for [`optional`] and collections.
pub fn timestamp_in(
    format: DateTimeFormat,
) -> impl Fn(&mut Reader<'_>, &Path) -> Result<DateTime, DeserializeError> {
    move |reader, path| timestamp(reader, format, path)
}

/// A string enum: any string, unknown values included (`T` keeps them).
pub fn string_enum<T: for<'a> From<&'a str>>(
    reader: &mut Reader<'_>,
    path: &Path,
) -> Result<T, DeserializeError> {
    match reader.string()? {
        Ok(text) => Ok(T::from(&text)),
        Err(found) => Err(expected(path, "a string", found)),
    }
}

/// An int enum: any 32-bit integer, unknown values included (`T` keeps them).
pub fn int_enum<T: From<i32>>(reader: &mut Reader<'_>, path: &Path) -> Result<T, DeserializeError> {
    integer::<i32>(reader, path).map(T::from)
}

/// A string.
pub fn string(reader: &mut Reader<'_>, path: &Path) -> Result<String, DeserializeError> {
    match reader.string()? {
        Ok(text) => Ok(text.into_owned()),
        Err(found) => Err(expected(path, "a string", found)),
    }
}

/// A boolean.
pub fn boolean(reader: &mut Reader<'_>, path: &Path) -> Result<bool, DeserializeError> {
    reader
        .boolean()?
        .map_err(|found| expected(path, "a boolean", found))
}

/// An integer that fits `T`.
pub fn integer<T: TryFrom<i64>>(
    reader: &mut Reader<'_>,
    path: &Path,
) -> Result<T, DeserializeError> {
    let number = reader
        .number()?
        .map_err(|found| expected(path, "an integer in range", found))?;
    let fits = match number {
        JsonNumber::Positive(value) => i64::try_from(value).ok(),
        JsonNumber::Negative(value) => Some(value),
        JsonNumber::Float(_) => None,
    };
    fits.and_then(|value| T::try_from(value).ok())
        .ok_or_else(|| expected(path, "an integer in range", Kind::Number))
}

/// A float, accepting `"NaN"`, `"Infinity"` and `"-Infinity"`.
pub fn float(reader: &mut Reader<'_>, path: &Path) -> Result<f64, DeserializeError> {
    if let Ok(text) = reader.string()? {
        return match text.as_ref() {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => Err(expected(path, "a number", Kind::String)),
        };
    }
    match reader.number()? {
        Ok(JsonNumber::Positive(value)) => Ok(value as f64),
        Ok(JsonNumber::Negative(value)) => Ok(value as f64),
        Ok(JsonNumber::Float(value)) => Ok(value),
        Err(found) => Err(expected(path, "a number", found)),
    }
}

/// A timestamp in `format` (epoch seconds may be a number).
pub fn timestamp(
    reader: &mut Reader<'_>,
    format: DateTimeFormat,
    path: &Path,
) -> Result<DateTime, DeserializeError> {
    match reader.peek()? {
        Kind::Number if format == DateTimeFormat::EpochSeconds => {
            let seconds = float(reader, path)?;
            DateTime::from_secs_f64(seconds)
                .ok_or_else(|| expected(path, "epoch seconds", Kind::Number))
        }
        Kind::String => {
            let text = reader.string()?.unwrap_or_default();
            DateTime::parse(&text, format)
                .map_err(|error| DeserializeError::new(path.to_string(), error.to_string()))
        }
        found => Err(expected(path, "a timestamp", found)),
    }
}

/// A base64 blob.
pub fn blob(reader: &mut Reader<'_>, path: &Path) -> Result<Blob, DeserializeError> {
    let text = match reader.string()? {
        Ok(text) => text,
        Err(found) => return Err(expected(path, "a base64 string", found)),
    };
    base64::decode(&text).map(Blob::new).ok_or_else(|| {
        DeserializeError::new(
            path.to_string(),
            "expected a base64 string, found other text",
        )
    })
}

/// Any JSON value as a document.
pub fn document(reader: &mut Reader<'_>, path: &Path) -> Result<Document, DeserializeError> {
    Ok(match reader.peek()? {
        Kind::Null => {
            reader.null()?;
            Document::Null
        }
        Kind::Boolean => Document::Bool(boolean(reader, path)?),
        Kind::Number => {
            Document::Number(match reader.number()?.unwrap_or(JsonNumber::Float(0.0)) {
                JsonNumber::Positive(value) => Number::PosInt(value),
                JsonNumber::Negative(value) => Number::NegInt(value),
                JsonNumber::Float(value) => Number::Float(value),
            })
        }
        Kind::String => Document::String(string(reader, path)?),
        Kind::Array => {
            let mut items = Vec::new();
            array(reader, path, |reader, index| {
                items.push(document(reader, &Path::Index(path, index))?);
                Ok(())
            })?;
            Document::Array(items)
        }
        Kind::Object => {
            let mut entries = BTreeMap::new();
            object(reader, path, |reader, key| {
                let value = document(reader, &Path::Key(path, key))?;
                entries.insert(key.to_owned(), value);
                Ok(())
            })?;
            Document::Object(entries)
        }
    })
}

/// A document, as a reader for [`optional`] and collections.
pub fn document_of(reader: &mut Reader<'_>, path: &Path) -> Result<Document, DeserializeError> {
    document(reader, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read<T>(
        json: &str,
        read: impl FnOnce(&mut Reader<'_>, &Path) -> Result<T, DeserializeError>,
    ) -> Result<T, String> {
        from_body(json.as_bytes(), &Path::Root("Shape"), read).map_err(|error| error.to_string())
    }

    /// Reads `{"a": .., "b": ..}` members into (name, text of what was read) pairs, the
    /// way generated readers do: by name, skipping the others.
    fn members(json: &str) -> Result<Vec<(String, String)>, String> {
        read(json, |reader, path| {
            let mut found = Vec::new();
            object(reader, path, |reader, key| {
                let at = Path::Member(path, key);
                let value = match key {
                    "s" => format!("{:?}", optional(reader, &at, string)?),
                    "i" => format!("{:?}", optional(reader, &at, integer::<i32>)?),
                    "f" => format!("{:?}", optional(reader, &at, float)?),
                    "t" => format!(
                        "{:?}",
                        optional(reader, &at, timestamp_in(DateTimeFormat::EpochSeconds))?
                            .map(|t| t.as_secs_f64())
                    ),
                    "d" => format!("{:?}", document(reader, &at)?),
                    _ => return skip(reader),
                };
                found.push((key.to_owned(), value));
                Ok(())
            })?;
            Ok(found)
        })
    }

    #[test]
    fn members_are_read_by_name_and_unknown_ones_skipped() {
        let found = members(
            r#" {"x": {"deep": [1, {"y": "\u00e9\""}], "z": null}, "s": "caf\u00e9 \ud83d\ude00", "i": -5,
                "f": "NaN", "t": 1.5, "n": [true, false, 1e5, -0.5], "s2": "plain", "d": {"k": [1, -2, 0.5, null]}} "#,
        )
        .expect("the body reads");
        let expected = [
            ("s", "Some(\"café 😀\")"),
            ("i", "Some(-5)"),
            ("f", "Some(NaN)"),
            ("t", "Some(1.5)"),
            ("d", "Object({\"k\": Array([Number(PosInt(1)), Number(NegInt(-2)), Number(Float(0.5)), Null])})"),
        ];
        let found: Vec<(&str, &str)> = found
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(found, expected);
        assert_eq!(
            members("").expect("an empty body is an empty object"),
            vec![]
        );
        assert_eq!(
            members(r#"{"s": null}"#).expect("null is absent"),
            [("s".to_owned(), "None".to_owned())]
        );
    }

    #[test]
    fn errors_name_the_path_and_the_mismatch() {
        assert_eq!(
            members(r#"{"s": 5}"#).unwrap_err(),
            "Shape.s: expected a string, found a number"
        );
        assert_eq!(
            members(r#"{"i": 1.5}"#).unwrap_err(),
            "Shape.i: expected an integer in range, found a number"
        );
        assert_eq!(
            members(r#"{"i": 3000000000}"#).unwrap_err(),
            "Shape.i: expected an integer in range, found a number"
        );
        assert_eq!(
            members(r#"{"f": "many"}"#).unwrap_err(),
            "Shape.f: expected a number, found a string"
        );
        assert_eq!(
            members("[1]").unwrap_err(),
            "Shape: expected an object, found an array"
        );
        let time = read(r#""2019-12-16T23:48:18Z""#, |reader, path| {
            timestamp(reader, DateTimeFormat::DateTime, path)
        });
        assert_eq!(time.expect("a date-time").secs(), 1_576_540_098);
        let blob_error = read(r#""%%%""#, blob).unwrap_err();
        assert_eq!(
            blob_error,
            "Shape: expected a base64 string, found other text"
        );
    }

    #[test]
    fn broken_json_is_refused_with_where() {
        for (json, message) in [
            (
                r#"{"s": "x""#,
                "body: invalid JSON: expected `,` or `}` at byte 9",
            ),
            (
                r#"{"s": "x"} x"#,
                "body: invalid JSON: trailing characters at byte 11",
            ),
            (
                r#"{"x": [1 2]}"#,
                "body: invalid JSON: expected `,` or the container's end at byte 9",
            ),
            (
                r#"{"x": 01}"#,
                "body: invalid JSON: invalid number at byte 6",
            ),
            (
                r#"{"s": "\ud83d"}"#,
                "body: invalid JSON: an invalid \\u escape at byte 7",
            ),
            (
                "{\"s\": \"a\u{1}\"}",
                "body: invalid JSON: a control character in a string at byte 8",
            ),
            (
                r#"{"x": tru}"#,
                "body: invalid JSON: expected a literal (true, false or null) at byte 6",
            ),
            (r#"{"s" 1}"#, "body: invalid JSON: expected `:` at byte 5"),
        ] {
            assert_eq!(members(json).unwrap_err(), message, "{json}");
        }
        let invalid_utf8 = from_body(b"\"\xff\"", &Path::Root("S"), string).unwrap_err();
        assert_eq!(
            invalid_utf8.to_string(),
            "body: invalid JSON: a string that is not UTF-8 at byte 1"
        );
    }

    #[test]
    fn nesting_is_bounded_when_read_and_when_skipped() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let read_deep = read(&deep, document).unwrap_err();
        assert!(
            read_deep.ends_with("nested deeper than 128 levels"),
            "{read_deep}"
        );
        let skipped = members(&format!(r#"{{"x": {deep}}}"#)).unwrap_err();
        assert_eq!(skipped, "body: nested deeper than 128 levels");
        let fine = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(members(&format!(r#"{{"x": {fine}}}"#)).is_ok());
    }

    #[test]
    fn cbor_reads_like_text() {
        // {"s": "x", "i": 7, "zz": [1, {"q": null}], "d": [true], "b": h'0102'}
        let body = [
            0xa5, 0x61, b's', 0x61, b'x', 0x61, b'i', 0x07, 0x62, b'z', b'z', 0x82, 0x01, 0xa1,
            0x61, b'q', 0xf6, 0x61, b'd', 0x9f, 0xf5, 0xff, 0x61, b'b', 0x42, 0x01, 0x02,
        ];
        let root = Path::Root("Cbor");
        let mut found = Vec::new();
        let read = |reader: &mut Reader<'_>, root: &Path| {
            object(reader, root, |reader, key| {
                match key {
                    "s" => found.push(string(reader, root)?),
                    "i" => found.push(integer::<i64>(reader, root)?.to_string()),
                    "d" => found.push(format!("{:?}", document(reader, root)?)),
                    "b" => found.push(format!("{:?}", blob(reader, root)?.as_ref())),
                    _ => skip(reader)?,
                }
                Ok(())
            })
        };
        from_cbor(&body, &root, read).expect("the body reads");
        assert_eq!(found, ["x", "7", "Array([Bool(true)])", "[1, 2]"]);
        let error = from_cbor(&body, &root, string).unwrap_err();
        assert_eq!(
            error.to_string(),
            "Cbor: expected a string, found an object"
        );
        let trailing = from_cbor(&[0xa0, 0x01], &root, |reader, root| {
            object(reader, root, |_, _| Ok(()))
        });
        assert_eq!(
            trailing.unwrap_err().to_string(),
            "body: invalid CBOR at byte 1: bytes after the body's value"
        );
        let empty = from_cbor(&[], &root, |reader, root| {
            object(reader, root, |_, _| Ok(()))
        });
        assert!(empty.is_ok());
        let deep = [0x81; 200];
        let error = from_cbor(&deep, &root, document).unwrap_err().to_string();
        assert!(error.ends_with("nested deeper than 128 levels"), "{error}");
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
