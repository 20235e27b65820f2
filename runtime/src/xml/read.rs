//! Reading typed values out of a parsed XML body, with errors that name the element path.
//! Elements the model does not name are ignored.

use std::str::FromStr;

use super::Element;
pub use crate::deserialize::{DeserializeError, Path};
use crate::json::base64;
use crate::{Blob, DateTime, DateTimeFormat};

pub use super::parse;

fn expected(path: &Path, what: &str, element: &Element) -> DeserializeError {
    let text = element.text();
    let shown: String = text.chars().take(40).collect();
    let ellipsis = if shown.len() < text.len() { "…" } else { "" };
    DeserializeError::new(
        path.to_string(),
        format!("expected {what}, found `{shown}{ellipsis}`"),
    )
}

/// The element at the root of a body, which must be named `name`.
pub fn root<'e>(element: &'e Element, name: &str) -> Result<&'e Element, DeserializeError> {
    if element.name() == name {
        return Ok(element);
    }
    Err(DeserializeError::new(
        "body",
        format!(
            "expected the root element `{name}`, found `{}`",
            element.name()
        ),
    ))
}

/// The `<OpResult>` element of an awsQuery response (`<OpResponse><OpResult>…`), or an empty
/// element when the body or the result is empty (an output without members).
pub fn query_result(
    body: &[u8],
    response: &str,
    result: &str,
) -> Result<Element, DeserializeError> {
    if body.trim_ascii().is_empty() {
        return Ok(Element::default());
    }
    let document = parse(body)?;
    root(&document, response)?;
    Ok(document.into_child(result).unwrap_or_default())
}

/// The root element of a body (restXml: its name is not checked), or an empty element when
/// the body is empty.
pub fn document_root(body: &[u8]) -> Result<Element, DeserializeError> {
    if body.trim_ascii().is_empty() {
        return Ok(Element::default());
    }
    parse(body)
}

/// The `<Error>` element of a restXml error body: inside `<ErrorResponse>`, or the root itself
/// when the service does not wrap errors (`noErrorWrapping`; a wrapped body is accepted
/// too).
pub fn rest_xml_error(body: &[u8], unwrapped: bool) -> Result<Element, DeserializeError> {
    let document = document_root(body)?;
    if document.name() == "ErrorResponse" {
        return Ok(document.into_child("Error").unwrap_or_default());
    }
    if !unwrapped && document.name() != "Error" {
        return Err(DeserializeError::new(
            "body",
            format!(
                "expected the root element `ErrorResponse`, found `{}`",
                document.name()
            ),
        ));
    }
    Ok(document)
}

/// The root element of a response whose root holds the members (`<OpResponse>` of ec2Query),
/// which must be named `response`; an empty element when the body is empty.
pub fn response_root(body: &[u8], response: &str) -> Result<Element, DeserializeError> {
    if body.trim_ascii().is_empty() {
        return Ok(Element::default());
    }
    let document = parse(body)?;
    root(&document, response)?;
    Ok(document)
}

/// The child element `name` of `parent`, which must be present.
pub fn required_child<'e>(
    parent: &'e Element,
    name: &str,
    path: &Path,
) -> Result<&'e Element, DeserializeError> {
    parent
        .child(name)
        .ok_or_else(|| DeserializeError::new(path.to_string(), format!("no `{name}` element")))
}

/// An optional child element: `None` when absent, else what `read` makes of it (errors name
/// the child's path).
pub fn optional<T>(
    parent: &Element,
    name: &str,
    path: &Path,
    read: impl FnOnce(&Element, &Path) -> Result<T, DeserializeError>,
) -> Result<Option<T>, DeserializeError> {
    match parent.child(name) {
        Some(element) => read(element, &Path::Member(path, name)).map(Some),
        None => Ok(None),
    }
}

/// An optional attribute of `element`, read from its text by `read`.
pub fn attribute<T>(
    element: &Element,
    name: &str,
    path: &Path,
    read: impl FnOnce(&Element, &Path) -> Result<T, DeserializeError>,
) -> Result<Option<T>, DeserializeError> {
    let Some(value) = element.attribute(name) else {
        return Ok(None);
    };
    let holder = Element::with_text(name, value);
    read(&holder, &Path::Member(path, name)).map(Some)
}

/// A wrapped list: the children of `element` named `member` (e.g. `member`), each read by
/// `read`.
pub fn list<T>(
    element: &Element,
    member: &str,
    path: &Path,
    read: impl Fn(&Element, &Path) -> Result<T, DeserializeError>,
) -> Result<Vec<T>, DeserializeError> {
    element
        .children_named(member)
        .enumerate()
        .map(|(index, item)| read(item, &Path::Index(path, index)))
        .collect()
}

/// A flattened list: the children of `parent` named `name`, or `None` when there are none.
pub fn flat_list<T>(
    parent: &Element,
    name: &str,
    path: &Path,
    read: impl Fn(&Element, &Path) -> Result<T, DeserializeError>,
) -> Result<Option<Vec<T>>, DeserializeError> {
    let path = Path::Member(path, name);
    let items: Vec<T> = parent
        .children_named(name)
        .enumerate()
        .map(|(index, item)| read(item, &Path::Index(&path, index)))
        .collect::<Result<_, _>>()?;
    Ok((!items.is_empty()).then_some(items))
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

/// A map's entries among the children of `holder` (the map element when wrapped, the parent
/// structure when flattened); a later entry replaces an earlier one with the same key.
pub fn map<V>(
    holder: &Element,
    names: MapNames,
    path: &Path,
    read: impl Fn(&Element, &Path) -> Result<V, DeserializeError>,
) -> Result<std::collections::HashMap<String, V>, DeserializeError> {
    let mut entries = std::collections::HashMap::new();
    for entry in holder.children_named(names.entry) {
        let key = required_child(entry, names.key, path)?.text().to_owned();
        let item_path = Path::Key(path, &key);
        let value = read(required_child(entry, names.value, &item_path)?, &item_path)?;
        entries.insert(key, value);
    }
    Ok(entries)
}

/// A flattened map of `parent`, or `None` when it has no entries.
pub fn flat_map<V>(
    parent: &Element,
    names: MapNames,
    path: &Path,
    read: impl Fn(&Element, &Path) -> Result<V, DeserializeError>,
) -> Result<Option<std::collections::HashMap<String, V>>, DeserializeError> {
    let path = Path::Member(path, names.entry);
    let entries = map(parent, names, &path, read)?;
    Ok((!entries.is_empty()).then_some(entries))
}

/// A string: the element's text.
pub fn string(element: &Element, _path: &Path) -> Result<String, DeserializeError> {
    Ok(element.text().to_owned())
}

/// A boolean, `true` or `false`.
pub fn boolean(element: &Element, path: &Path) -> Result<bool, DeserializeError> {
    match element.text().trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(expected(path, "a boolean", element)),
    }
}

/// An integer that fits `T`.
pub fn integer<T: FromStr>(element: &Element, path: &Path) -> Result<T, DeserializeError> {
    element
        .text()
        .trim()
        .parse()
        .map_err(|_| expected(path, "an integer in range", element))
}

/// A float, accepting `NaN`, `Infinity` and `-Infinity`.
pub fn float(element: &Element, path: &Path) -> Result<f64, DeserializeError> {
    match element.text().trim() {
        "NaN" => Ok(f64::NAN),
        "Infinity" => Ok(f64::INFINITY),
        "-Infinity" => Ok(f64::NEG_INFINITY),
        text => text
            .parse()
            .map_err(|_| expected(path, "a number", element)),
    }
}

/// A reader of timestamps in `format`, for [`optional`] and collections.
pub fn timestamp_in(
    format: DateTimeFormat,
) -> impl Fn(&Element, &Path) -> Result<DateTime, DeserializeError> {
    move |element, path| {
        let text = element.text().trim();
        match format {
            DateTimeFormat::EpochSeconds => text
                .parse::<f64>()
                .ok()
                .and_then(DateTime::from_secs_f64)
                .ok_or_else(|| expected(path, "epoch seconds", element)),
            _ => DateTime::parse(text, format)
                .map_err(|error| DeserializeError::new(path.to_string(), error.to_string())),
        }
    }
}

/// A base64 blob.
pub fn blob(element: &Element, path: &Path) -> Result<Blob, DeserializeError> {
    base64::decode(element.text().trim())
        .map(Blob::new)
        .ok_or_else(|| expected(path, "base64 text", element))
}

/// A string enum: any text, unknown values included (`T` keeps them).
pub fn string_enum<T: for<'a> From<&'a str>>(
    element: &Element,
    _path: &Path,
) -> Result<T, DeserializeError> {
    Ok(T::from(element.text()))
}

/// An int enum: any 32-bit integer, unknown values included (`T` keeps them).
pub fn int_enum<T: From<i32>>(element: &Element, path: &Path) -> Result<T, DeserializeError> {
    integer::<i32>(element, path).map(T::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> Element {
        parse(text.as_bytes()).unwrap()
    }

    #[test]
    fn scalars_are_read_and_errors_name_the_element_path() {
        let root =
            body("<R><N> 42 </N><F>NaN</F><B>true</B><T>2024-01-02T03:04:05Z</T><Bad>x</Bad></R>");
        let path = Path::Root("Out");
        assert_eq!(
            optional(&root, "N", &path, integer::<i32>).unwrap(),
            Some(42)
        );
        assert!(optional(&root, "F", &path, float)
            .unwrap()
            .unwrap()
            .is_nan());
        assert_eq!(optional(&root, "B", &path, boolean).unwrap(), Some(true));
        let time = optional(&root, "T", &path, timestamp_in(DateTimeFormat::DateTime)).unwrap();
        assert_eq!(time.unwrap().secs(), 1_704_164_645);
        assert_eq!(optional(&root, "Missing", &path, string).unwrap(), None);
        let error = optional(&root, "Bad", &path, integer::<i8>).unwrap_err();
        assert_eq!(
            error.to_string(),
            "Out.Bad: expected an integer in range, found `x`"
        );
    }

    #[test]
    fn wrapped_and_flattened_lists_and_maps() {
        let root = body(
            "<R><L><member>a</member><member>b</member></L><Flat>1</Flat><Flat>2</Flat>\
             <M><entry><key>k</key><value>v</value></entry></M>\
             <FM><k>x</k><v>y</v></FM></R>",
        );
        let path = Path::Root("Out");
        let wrapped = optional(&root, "L", &path, |element, path| {
            list(element, "member", path, string)
        });
        assert_eq!(wrapped.unwrap(), Some(vec!["a".to_owned(), "b".to_owned()]));
        let flat = flat_list(&root, "Flat", &path, integer::<u8>).unwrap();
        assert_eq!(flat, Some(vec![1, 2]));
        assert_eq!(flat_list(&root, "None", &path, string).unwrap(), None);
        let names = MapNames {
            entry: "entry",
            key: "key",
            value: "value",
        };
        let wrapped = optional(&root, "M", &path, |element, path| {
            map(element, names, path, string)
        });
        assert_eq!(wrapped.unwrap().unwrap()["k"], "v");
        let names = MapNames {
            entry: "FM",
            key: "k",
            value: "v",
        };
        assert_eq!(
            flat_map(&root, names, &path, string).unwrap().unwrap()["x"],
            "y"
        );
        let broken = body("<M><entry><key>k</key></entry></M>");
        let names = MapNames {
            entry: "entry",
            key: "key",
            value: "value",
        };
        let error = map(&broken, names, &path, string).unwrap_err();
        assert_eq!(error.to_string(), "Out[k]: no `value` element");
    }

    #[test]
    fn query_results_are_unwrapped_and_may_be_empty() {
        let body = b"<OpResponse><OpResult><A>1</A></OpResult><ResponseMetadata/></OpResponse>";
        let result = query_result(body, "OpResponse", "OpResult").unwrap();
        assert_eq!(result.child("A").unwrap().text(), "1");
        assert_eq!(
            query_result(b" ", "OpResponse", "OpResult").unwrap(),
            Element::default()
        );
        let other = query_result(b"<Other/>", "OpResponse", "OpResult").unwrap_err();
        assert!(other
            .to_string()
            .contains("expected the root element `OpResponse`"));
    }

    #[test]
    fn the_root_element_is_checked() {
        let root = body("<Other/>");
        let error = super::root(&root, "Expected").unwrap_err();
        assert_eq!(
            error.to_string(),
            "body: expected the root element `Expected`, found `Other`"
        );
    }
}
