//! Helpers the generated request serializers call for HTTP bindings.

use std::fmt;

use http::{HeaderMap, HeaderName, HeaderValue};

use crate::sigv4::uri_encode;
use crate::BuildError;

/// A float as it goes in a URI, query string or header: `NaN`, `Infinity` and `-Infinity`
/// spelled as Smithy's protocols spell them, other values as Rust displays them.
pub fn float_text<F: Copy + Into<f64> + fmt::Display>(value: F) -> String {
    let wide: f64 = value.into();
    if wide.is_nan() {
        "NaN".to_owned()
    } else if wide.is_infinite() {
        if wide > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else {
        value.to_string()
    }
}

/// A URI label: percent-encoded (a greedy label keeps its `/`); an empty value is an error.
pub fn label(
    shape: &'static str,
    member: &'static str,
    value: &str,
    greedy: bool,
) -> Result<String, BuildError> {
    if value.is_empty() {
        return Err(BuildError::empty_label(shape, member));
    }
    Ok(uri_encode(value, greedy))
}

/// A query string from name/value pairs (names and values percent-encoded), without `?`.
pub fn query_string(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| format!("{}={}", uri_encode(name, false), uri_encode(value, false)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Sets a member's header, replacing an `@httpPrefixHeaders` entry of the same name (the
/// specific member wins); a name or value that cannot be in a header is an error naming the
/// member.
pub fn header(
    headers: &mut HeaderMap,
    name: &str,
    value: impl fmt::Display,
    shape: &'static str,
    member: &'static str,
) -> Result<(), InvalidHeader> {
    let (name, value) = header_pair(name, value, shape, member)?;
    headers.insert(name, value);
    Ok(())
}

/// Adds one header of an `@httpPrefixHeaders` map; errors as [`header`] does.
pub fn prefix_header(
    headers: &mut HeaderMap,
    name: &str,
    value: impl fmt::Display,
    shape: &'static str,
    member: &'static str,
) -> Result<(), InvalidHeader> {
    let (name, value) = header_pair(name, value, shape, member)?;
    headers.append(name, value);
    Ok(())
}

fn header_pair(
    name: &str,
    value: impl fmt::Display,
    shape: &'static str,
    member: &'static str,
) -> Result<(HeaderName, HeaderValue), InvalidHeader> {
    let invalid = || InvalidHeader { shape, member };
    let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
    let value = HeaderValue::from_str(&value.to_string()).map_err(|_| invalid())?;
    Ok((name, value))
}

/// A string item of a list header, double-quoted (with `"` and `\` escaped) when it holds a
/// comma or a double quote, so the list splits back into the same items.
pub fn list_item(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains([',', '"']) {
        return std::borrow::Cow::Borrowed(text);
    }
    let escaped = text.replace('\\', "\\\\").replace('"', "\\\"");
    std::borrow::Cow::Owned(format!("\"{escaped}\""))
}

/// A member bound to a header holds characters a header cannot carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidHeader {
    shape: &'static str,
    member: &'static str,
}

impl std::fmt::Display for InvalidHeader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}.{} goes in an HTTP header and holds characters a header cannot carry",
            self.shape, self.member
        )
    }
}

impl std::error::Error for InvalidHeader {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_are_spelled_as_the_protocols_spell_them() {
        assert_eq!(float_text(f64::NAN), "NaN");
        assert_eq!(float_text(f32::INFINITY), "Infinity");
        assert_eq!(float_text(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(float_text(1.1f32), "1.1");
    }

    #[test]
    fn list_items_with_commas_or_quotes_are_quoted() {
        assert_eq!(list_item("plain"), "plain");
        assert_eq!(list_item("b,c"), "\"b,c\"");
        assert_eq!(list_item("say \"hi\""), "\"say \\\"hi\\\"\"");
    }

    #[test]
    fn labels_are_encoded_and_must_not_be_empty() {
        assert_eq!(
            label("In", "arn", "arn:aws:ivschat:us-west-2:1:room/a b", false).unwrap(),
            "arn%3Aaws%3Aivschat%3Aus-west-2%3A1%3Aroom%2Fa%20b"
        );
        assert_eq!(label("In", "path", "a/b", true).unwrap(), "a/b");
        assert_eq!(
            label("In", "arn", "", false).unwrap_err().to_string(),
            "cannot build In: member `arn` goes in the URI path and must not be empty"
        );
    }

    #[test]
    fn query_strings_repeat_list_keys() {
        let pairs = [("tagKeys", "a b".to_owned()), ("tagKeys", "c".to_owned())];
        assert_eq!(query_string(&pairs), "tagKeys=a%20b&tagKeys=c");
    }
}
