//! What the pull reader and the element tree share: the nesting bound, the error of a body that
//! is not XML, and the text of entity references.

use quick_xml::events::BytesRef;

use crate::deserialize::DeserializeError;

/// How deeply elements may nest before the body is refused (a hostile body cannot exhaust the
/// stack of the readers, which recurse).
pub const MAX_DEPTH: usize = 100;

/// A body that is not well-formed XML (or is refused, e.g. a document type), named `body`.
pub(super) fn invalid(message: impl std::fmt::Display) -> DeserializeError {
    DeserializeError::new("body", format!("invalid XML: {message}"))
}

/// The text an entity reference stands for: a character reference or one of the five
/// predefined entities (a document type could declare others; they are refused).
pub(super) fn entity(reference: &BytesRef) -> Result<String, DeserializeError> {
    if let Some(character) = reference.resolve_char_ref().map_err(invalid)? {
        return Ok(character.to_string());
    }
    let text = match &**reference {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        other => return Err(invalid(format!("unknown entity `&{other};`"))),
    };
    Ok(text.to_owned())
}
