//! Reading typed values straight out of an XML body with the pull [`Reader`], with errors that
//! name the element path. Elements the model does not name are skipped.
//!
//! Two kinds of readers compose: text readers (`fn(&str, &Path) -> Result<T, _>`: [`string`],
//! [`boolean`], [`integer`], …) read an element's text or an attribute's value; element readers
//! (`fn(&mut Reader, &Start, &Path) -> Result<T, _>`: [`element`] of a text reader, [`list`],
//! [`map`] and the generated `read_xml`) consume a whole element.

use std::collections::HashMap;
use std::hash::Hash;
use std::str::FromStr;

pub use super::pull::{Reader, Start};
pub use crate::deserialize::{DeserializeError, Path};
use crate::json::base64;
use crate::{Blob, DateTime, DateTimeFormat};

fn expected(path: &Path, what: &str, text: &str) -> DeserializeError {
    let shown: String = text.chars().take(40).collect();
    let ellipsis = if shown.len() < text.len() { "…" } else { "" };
    DeserializeError::new(
        path.to_string(),
        format!("expected {what}, found `{shown}{ellipsis}`"),
    )
}

fn wrong_root(expected: &str, found: &Start) -> DeserializeError {
    DeserializeError::new(
        "body",
        format!(
            "expected the root element `{expected}`, found `{}`",
            found.name()
        ),
    )
}

/// Reads `body` with `read`, given its root element, which must be named `expected` when
/// that is given; an empty body reads as an empty element (of any name).
fn with_root<T>(
    body: &[u8],
    expected: Option<&str>,
    read: impl for<'a> FnOnce(&mut Reader<'a>, Start<'a>) -> Result<T, DeserializeError>,
) -> Result<T, DeserializeError> {
    if body.trim_ascii().is_empty() {
        return read(&mut Reader::empty(), Start::empty());
    }
    let mut reader = Reader::new(body)?;
    let root = reader.root()?;
    match expected {
        Some(name) if root.name() != name => Err(wrong_root(name, &root)),
        _ => read(&mut reader, root),
    }
}

/// Reads the first child of `parent` named `name` with `read` (an empty element when there is
/// none), skipping the other children.
fn first_child<'a, T, F>(
    reader: &mut Reader<'a>,
    parent: &Start<'a>,
    name: &str,
    read: F,
) -> Result<T, DeserializeError>
where
    F: FnOnce(&mut Reader<'a>, &Start<'a>) -> Result<T, DeserializeError>,
{
    let mut outcome: Result<T, F> = Err(read);
    while let Some(child) = reader.child(parent)? {
        outcome = read_if_named(reader, &child, name, outcome)?;
    }
    match outcome {
        Ok(value) => Ok(value),
        Err(read) => read(&mut Reader::empty(), &Start::empty()),
    }
}

/// Reads `element` with the reader still pending in `outcome` when it is named `name`, else
/// skips it.
fn read_if_named<'a, T, F>(
    reader: &mut Reader<'a>,
    element: &Start<'a>,
    name: &str,
    outcome: Result<T, F>,
) -> Result<Result<T, F>, DeserializeError>
where
    F: FnOnce(&mut Reader<'a>, &Start<'a>) -> Result<T, DeserializeError>,
{
    match outcome {
        Err(read) if element.name() == name => read(reader, element).map(Ok),
        other => {
            reader.skip(element)?;
            Ok(other)
        }
    }
}

/// The output of an awsQuery response, read by `read` from the `<OpResult>` element of
/// `<OpResponse>` (an empty element when the body or the result is empty).
pub fn query_result<T>(
    body: &[u8],
    response: &str,
    result: &str,
    read: impl for<'a> FnOnce(&mut Reader<'a>, &Start<'a>) -> Result<T, DeserializeError>,
) -> Result<T, DeserializeError> {
    with_root(body, Some(response), |reader, root| {
        first_child(reader, &root, result, read)
    })
}

/// A value read by `read` from the root element of a body (restXml: its name is not checked),
/// or from an empty element when the body is empty.
pub fn document_root<T>(
    body: &[u8],
    read: impl for<'a> FnOnce(&mut Reader<'a>, &Start<'a>) -> Result<T, DeserializeError>,
) -> Result<T, DeserializeError> {
    with_root(body, None, |reader, root| read(reader, &root))
}

/// The output of an ec2Query response, read by `read` from the root (which must be named
/// `response`), or from an empty element when the body is empty.
pub fn response_root<T>(
    body: &[u8],
    response: &str,
    read: impl for<'a> FnOnce(&mut Reader<'a>, &Start<'a>) -> Result<T, DeserializeError>,
) -> Result<T, DeserializeError> {
    with_root(body, Some(response), |reader, root| read(reader, &root))
}

/// A restXml error read by `read` from its `<Error>` element: inside `<ErrorResponse>`, or the
/// root itself when the service does not wrap errors (`noErrorWrapping`; a wrapped body is
/// accepted too).
pub fn rest_xml_error<T>(
    body: &[u8],
    unwrapped: bool,
    read: impl for<'a> FnOnce(&mut Reader<'a>, &Start<'a>) -> Result<T, DeserializeError>,
) -> Result<T, DeserializeError> {
    with_root(body, None, |reader, root| {
        if root.name() == "ErrorResponse" {
            return first_child(reader, &root, "Error", read);
        }
        if !unwrapped && root.name() != "Error" {
            return Err(wrong_root("ErrorResponse", &root));
        }
        read(reader, &root)
    })
}

/// Where the error of a query-protocol error body sits and where its request id does.
#[derive(Clone, Copy, Debug)]
pub struct ErrorEnvelope<'n> {
    /// The root element: `ErrorResponse` (awsQuery) or `Response` (ec2Query).
    pub root: &'n str,
    /// The element between the root and `<Error>`, if any (`Errors` of ec2Query).
    pub list: Option<&'n str>,
    /// The element of the root holding the request id (`RequestId`, `RequestID`).
    pub request_id: &'n str,
}

/// A query-protocol error read by `read` from the `<Error>` element of `envelope`, with the
/// request id the body names.
pub fn query_error<T>(
    body: &[u8],
    envelope: ErrorEnvelope,
    read: impl for<'a> FnOnce(&mut Reader<'a>, &Start<'a>) -> Result<T, DeserializeError>,
) -> Result<(T, Option<String>), DeserializeError> {
    let mut reader = Reader::new(body)?;
    let root = reader.root()?;
    if root.name() != envelope.root {
        return Err(wrong_root(envelope.root, &root));
    }
    let mut outcome = Err(read);
    let mut request_id = None;
    while let Some(child) = reader.child(&root)? {
        let name = child.name();
        if name == envelope.request_id && request_id.is_none() {
            request_id = Some(reader.text(&child)?.into_owned());
        } else if envelope.list == Some(name) {
            while let Some(item) = reader.child(&child)? {
                outcome = read_if_named(&mut reader, &item, "Error", outcome)?;
            }
        } else if envelope.list.is_none() {
            outcome = read_if_named(&mut reader, &child, "Error", outcome)?;
        } else {
            reader.skip(&child)?;
        }
    }
    match outcome {
        Ok(error) => Ok((error, request_id)),
        Err(_) => Err(missing(&Path::Root(envelope.root), "Error")),
    }
}

fn missing(path: &Path, name: &str) -> DeserializeError {
    DeserializeError::new(path.to_string(), format!("no `{name}` element"))
}

/// An element reader of the element's text, read by the text reader `parse`.
pub fn element<'a, T>(
    parse: impl Fn(&str, &Path) -> Result<T, DeserializeError>,
) -> impl Fn(&mut Reader<'a>, &Start<'a>, &Path) -> Result<T, DeserializeError> {
    move |reader, start, path| parse(&reader.text(start)?, path)
}

/// A string element, its text moved into the `String` without a second copy when it came
/// in one piece.
pub fn string_element<'a>(
    reader: &mut Reader<'a>,
    start: &Start<'a>,
    _path: &Path,
) -> Result<String, DeserializeError> {
    Ok(reader.text(start)?.into_owned())
}

/// An optional attribute of `start`, read from its value by the text reader `parse`.
pub fn attribute<T>(
    start: &Start,
    name: &str,
    path: &Path,
    parse: impl FnOnce(&str, &Path) -> Result<T, DeserializeError>,
) -> Result<Option<T>, DeserializeError> {
    match start.attribute(name)? {
        Some(value) => parse(&value, &Path::Member(path, name)).map(Some),
        None => Ok(None),
    }
}

/// A wrapped list: the children of `start` named `member` (e.g. `member`), each read by
/// `read`; other children are skipped.
pub fn list<'a, T>(
    reader: &mut Reader<'a>,
    start: &Start<'a>,
    member: &str,
    path: &Path,
    read: impl Fn(&mut Reader<'a>, &Start<'a>, &Path) -> Result<T, DeserializeError>,
) -> Result<Vec<T>, DeserializeError> {
    let mut items = Vec::new();
    while let Some(child) = reader.child(start)? {
        if child.name() == member {
            items.push(read(reader, &child, &Path::Index(path, items.len()))?);
        } else {
            reader.skip(&child)?;
        }
    }
    Ok(items)
}

/// One item of a flattened list (an element of the structure named like the list member),
/// appended to the list read so far; `path` names the member.
pub fn push_item<'a, T>(
    items: &mut Option<Vec<T>>,
    reader: &mut Reader<'a>,
    start: &Start<'a>,
    path: &Path,
    read: impl Fn(&mut Reader<'a>, &Start<'a>, &Path) -> Result<T, DeserializeError>,
) -> Result<(), DeserializeError> {
    let items = items.get_or_insert_with(Vec::new);
    let item = read(reader, start, &Path::Index(path, items.len()))?;
    items.push(item);
    Ok(())
}

/// The element names of a map's entries: the entry (`entry` when wrapped, the member's own name
/// when flattened), its key and its value.
#[derive(Clone, Copy, Debug)]
pub struct MapNames<'n> {
    /// The entry element.
    pub entry: &'n str,
    /// The key element inside an entry.
    pub key: &'n str,
    /// The value element inside an entry.
    pub value: &'n str,
}

/// One entry element of a map: its key and its value read by `read` (errors name the entry
/// by its key once the key is read).
fn entry<'a, V>(
    reader: &mut Reader<'a>,
    start: &Start<'a>,
    names: MapNames,
    path: &Path,
    read: impl Fn(&mut Reader<'a>, &Start<'a>, &Path) -> Result<V, DeserializeError>,
) -> Result<(String, V), DeserializeError> {
    let (mut key, mut value) = (None::<String>, None);
    while let Some(child) = reader.child(start)? {
        let name = child.name();
        if name == names.key && key.is_none() {
            key = Some(reader.text(&child)?.into_owned());
        } else if name == names.value && value.is_none() {
            let item_path = match &key {
                Some(key) => Path::Key(path, key),
                None => Path::Member(path, names.value),
            };
            value = Some(read(reader, &child, &item_path)?);
        } else {
            reader.skip(&child)?;
        }
    }
    let key = key.ok_or_else(|| missing(path, names.key))?;
    match value {
        Some(value) => Ok((key, value)),
        None => Err(missing(&Path::Key(path, &key), names.value)),
    }
}

/// A wrapped map: the entries among the children of `start`; a later entry replaces an
/// earlier one with the same key. Keys are strings or string enums (`K` made from the text).
pub fn map<'a, K, V>(
    reader: &mut Reader<'a>,
    start: &Start<'a>,
    names: MapNames,
    path: &Path,
    read: impl Fn(&mut Reader<'a>, &Start<'a>, &Path) -> Result<V, DeserializeError>,
) -> Result<HashMap<K, V>, DeserializeError>
where
    K: for<'t> From<&'t str> + Eq + Hash,
{
    let mut entries = HashMap::new();
    while let Some(child) = reader.child(start)? {
        if child.name() == names.entry {
            let (key, value) = entry(reader, &child, names, path, &read)?;
            entries.insert(K::from(key.as_str()), value);
        } else {
            reader.skip(&child)?;
        }
    }
    Ok(entries)
}

/// One entry of a flattened map (an element of the structure named like the map member),
/// added to the map read so far; `path` names the member.
pub fn insert_entry<'a, K, V>(
    entries: &mut Option<HashMap<K, V>>,
    reader: &mut Reader<'a>,
    start: &Start<'a>,
    names: MapNames,
    path: &Path,
    read: impl Fn(&mut Reader<'a>, &Start<'a>, &Path) -> Result<V, DeserializeError>,
) -> Result<(), DeserializeError>
where
    K: for<'t> From<&'t str> + Eq + Hash,
{
    let (key, value) = entry(reader, start, names, path, read)?;
    entries
        .get_or_insert_with(HashMap::new)
        .insert(K::from(key.as_str()), value);
    Ok(())
}

/// A string: the text as is.
pub fn string(text: &str, _path: &Path) -> Result<String, DeserializeError> {
    Ok(text.to_owned())
}

/// A boolean, `true` or `false`.
pub fn boolean(text: &str, path: &Path) -> Result<bool, DeserializeError> {
    match text.trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(expected(path, "a boolean", text)),
    }
}

/// An integer that fits `T`.
pub fn integer<T: FromStr>(text: &str, path: &Path) -> Result<T, DeserializeError> {
    text.trim()
        .parse()
        .map_err(|_| expected(path, "an integer in range", text))
}

/// A float, accepting `NaN`, `Infinity` and `-Infinity`.
pub fn float(text: &str, path: &Path) -> Result<f64, DeserializeError> {
    match text.trim() {
        "NaN" => Ok(f64::NAN),
        "Infinity" => Ok(f64::INFINITY),
        "-Infinity" => Ok(f64::NEG_INFINITY),
        trimmed => trimmed
            .parse()
            .map_err(|_| expected(path, "a number", text)),
    }
}

/// A single-precision float, read like [`float`].
pub fn float32(text: &str, path: &Path) -> Result<f32, DeserializeError> {
    float(text, path).map(|value| value as f32)
}

/// A text reader of timestamps in `format`.
pub fn timestamp_in(
    format: DateTimeFormat,
) -> impl Fn(&str, &Path) -> Result<DateTime, DeserializeError> {
    move |text, path| {
        let trimmed = text.trim();
        match format {
            DateTimeFormat::EpochSeconds => trimmed
                .parse::<f64>()
                .ok()
                .and_then(DateTime::from_secs_f64)
                .ok_or_else(|| expected(path, "epoch seconds", text)),
            _ => DateTime::parse(trimmed, format)
                .map_err(|error| DeserializeError::new(path.to_string(), error.to_string())),
        }
    }
}

/// A base64 blob.
pub fn blob(text: &str, path: &Path) -> Result<Blob, DeserializeError> {
    base64::decode(text.trim())
        .map(Blob::new)
        .ok_or_else(|| expected(path, "base64 text", text))
}

/// A string enum: any text, unknown values included (`T` keeps them).
pub fn string_enum<T: for<'t> From<&'t str>>(
    text: &str,
    _path: &Path,
) -> Result<T, DeserializeError> {
    Ok(T::from(text))
}

/// An int enum: any 32-bit integer, unknown values included (`T` keeps them).
pub fn int_enum<T: From<i32>>(text: &str, path: &Path) -> Result<T, DeserializeError> {
    integer::<i32>(text, path).map(T::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads the children of `<R>` named in `read`'s match, as the generated readers do.
    fn each_child<'a>(
        reader: &mut Reader<'a>,
        root: &Start<'a>,
        mut read: impl FnMut(&mut Reader<'a>, &Start<'a>) -> Result<bool, DeserializeError>,
    ) -> Result<(), DeserializeError> {
        while let Some(child) = reader.child(root)? {
            if !read(reader, &child)? {
                reader.skip(&child)?;
            }
        }
        Ok(())
    }

    #[test]
    fn text_readers_parse_and_name_the_path_in_errors() {
        let path = Path::Root("Out");
        assert_eq!(integer::<i32>(" 42 ", &path).unwrap(), 42);
        assert!(float("NaN", &path).unwrap().is_nan());
        assert_eq!(float32("1.5", &path).unwrap(), 1.5);
        assert!(boolean("true", &path).unwrap());
        let time = timestamp_in(DateTimeFormat::DateTime)("2024-01-02T03:04:05Z", &path);
        assert_eq!(time.unwrap().secs(), 1_704_164_645);
        let epoch = timestamp_in(DateTimeFormat::EpochSeconds)("1.5", &path);
        assert_eq!(epoch.unwrap().secs(), 1);
        assert_eq!(blob("aGk=", &path).unwrap(), Blob::new(b"hi".to_vec()));
        let member = Path::Member(&path, "Bad");
        let error = integer::<i8>("x", &member).unwrap_err();
        assert_eq!(
            error.to_string(),
            "Out.Bad: expected an integer in range, found `x`"
        );
        let error = boolean(&"y".repeat(50), &member).unwrap_err();
        assert!(error
            .to_string()
            .ends_with(&format!("`{}…`", "y".repeat(40))));
    }

    #[test]
    fn wrapped_and_flattened_lists_and_maps_in_any_order() {
        let body = "<R><Flat>1</Flat><L><member>a</member><x/><member>b</member></L>\
                    <FM><k>x</k><v>y</v></FM><Flat>2</Flat>\
                    <M><entry><value>v</value><key>k</key></entry></M><FM><v>z</v><k>w</k></FM></R>";
        let mut reader = Reader::new(body.as_bytes()).unwrap();
        let root = reader.root().unwrap();
        let path = Path::Root("Out");
        let (mut wrapped, mut flat) = (None, None);
        let mut map_read: Option<HashMap<String, String>> = None;
        let mut flat_map: Option<HashMap<String, String>> = None;
        let flat_names = MapNames {
            entry: "FM",
            key: "k",
            value: "v",
        };
        let names = MapNames {
            entry: "entry",
            key: "key",
            value: "value",
        };
        each_child(&mut reader, &root, |reader, child| {
            let member = Path::Member(&path, "x");
            match child.name() {
                "L" => wrapped = Some(list(reader, child, "member", &member, string_element)?),
                "Flat" => push_item(&mut flat, reader, child, &member, element(integer::<u8>))?,
                "M" => map_read = Some(map(reader, child, names, &member, string_element)?),
                "FM" => insert_entry(
                    &mut flat_map,
                    reader,
                    child,
                    flat_names,
                    &member,
                    element(string),
                )?,
                _ => return Ok(false),
            }
            Ok(true)
        })
        .unwrap();
        assert_eq!(wrapped, Some(vec!["a".to_owned(), "b".to_owned()]));
        assert_eq!(flat, Some(vec![1, 2]));
        assert_eq!(map_read.unwrap()["k"], "v");
        let flat_map = flat_map.unwrap();
        assert_eq!((flat_map["x"].as_str(), flat_map["w"].as_str()), ("y", "z"));
    }

    #[test]
    fn map_entries_without_a_key_or_value_are_errors_naming_the_entry() {
        let names = MapNames {
            entry: "entry",
            key: "key",
            value: "value",
        };
        let read_map = |body: &str| {
            document_root(body.as_bytes(), |reader, start| {
                map::<String, _>(reader, start, names, &Path::Root("Out"), string_element)
            })
        };
        let error = read_map("<M><entry><key>k</key></entry></M>").unwrap_err();
        assert_eq!(error.to_string(), "Out[k]: no `value` element");
        let error = read_map("<M><entry><value>v</value></entry></M>").unwrap_err();
        assert_eq!(error.to_string(), "Out: no `key` element");
        let error = document_root(
            b"<M><entry><key>k</key><value>x</value></entry></M>",
            |reader, start| {
                map::<String, _>(
                    reader,
                    start,
                    names,
                    &Path::Root("Out"),
                    element(integer::<u8>),
                )
            },
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "Out[k]: expected an integer in range, found `x`"
        );
    }

    #[test]
    fn attributes_are_read_by_text_readers() {
        let value = document_root(b"<R n='7' bad='x'/>", |_, start| {
            let path = Path::Root("Out");
            let n = attribute(start, "n", &path, integer::<u8>)?;
            let none = attribute(start, "none", &path, integer::<u8>)?;
            let bad = attribute(start, "bad", &path, integer::<u8>).unwrap_err();
            Ok((n, none, bad.to_string()))
        })
        .unwrap();
        let bad = "Out.bad: expected an integer in range, found `x`".to_owned();
        assert_eq!(value, (Some(7), None, bad));
    }

    /// Reads `<A>`'s text out of the element given, as a generated `read_xml` would.
    fn member_a<'a>(
        reader: &mut Reader<'a>,
        start: &Start<'a>,
    ) -> Result<String, DeserializeError> {
        let mut a = String::new();
        each_child(reader, start, |reader, child| {
            let found = child.name() == "A";
            if found {
                a = reader.text(child)?.into_owned();
            }
            Ok(found)
        })?;
        Ok(a)
    }

    #[test]
    fn query_results_are_unwrapped_and_may_be_empty() {
        let body = b"<OpResponse><ResponseMetadata/><OpResult><A>1</A></OpResult></OpResponse>";
        let read = |body: &[u8]| query_result(body, "OpResponse", "OpResult", member_a);
        assert_eq!(read(body).unwrap(), "1");
        assert_eq!(read(b" ").unwrap(), "");
        assert_eq!(read(b"<OpResponse/>").unwrap(), "");
        let other = read(b"<Other/>").unwrap_err();
        assert_eq!(
            other.to_string(),
            "body: expected the root element `OpResponse`, found `Other`"
        );
        let ec2 = response_root(b"<OpResponse><A>2</A></OpResponse>", "OpResponse", member_a);
        assert_eq!(ec2.unwrap(), "2");
    }

    #[test]
    fn error_envelopes_give_the_error_and_the_request_id() {
        let query = ErrorEnvelope {
            root: "ErrorResponse",
            list: None,
            request_id: "RequestId",
        };
        let body =
            b"<ErrorResponse><RequestId>r1</RequestId><Error><A>x</A></Error></ErrorResponse>";
        let read = query_error(body, query, member_a).unwrap();
        assert_eq!(read, ("x".to_owned(), Some("r1".to_owned())));
        let ec2 = ErrorEnvelope {
            root: "Response",
            list: Some("Errors"),
            request_id: "RequestID",
        };
        let body = b"<Response><Errors><Error><A>y</A></Error></Errors><RequestID>r2</RequestID></Response>";
        let read = query_error(body, ec2, member_a).unwrap();
        assert_eq!(read, ("y".to_owned(), Some("r2".to_owned())));
        let missing = query_error(b"<Response><Errors/></Response>", ec2, member_a).unwrap_err();
        assert_eq!(missing.to_string(), "Response: no `Error` element");
        let wrapped = rest_xml_error(
            b"<ErrorResponse><Error><A>z</A></Error></ErrorResponse>",
            false,
            member_a,
        );
        assert_eq!(wrapped.unwrap(), "z");
        let bare = rest_xml_error(b"<Error><A>w</A></Error>", true, member_a);
        assert_eq!(bare.unwrap(), "w");
        let refused = rest_xml_error(b"<Other/>", false, member_a).unwrap_err();
        assert!(refused
            .to_string()
            .contains("expected the root element `ErrorResponse`"));
    }
}
