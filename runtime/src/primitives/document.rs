use std::collections::BTreeMap;

/// A number inside a [`Document`], kept in the widest form that holds it exactly.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// A non-negative integer.
    PosInt(u64),
    /// A negative integer.
    NegInt(i64),
    /// A floating-point number.
    Float(f64),
}

/// Free-form, protocol-agnostic data (a Smithy `document`): JSON's data model.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Document {
    /// No value.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An ordered list of documents.
    Array(Vec<Document>),
    /// Documents by key.
    Object(BTreeMap<String, Document>),
}

impl Document {
    /// The string, when this document is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Document::String(text) => Some(text),
            _ => None,
        }
    }

    /// The object's entries, when this document is one.
    pub fn as_object(&self) -> Option<&BTreeMap<String, Document>> {
        match self {
            Document::Object(entries) => Some(entries),
            _ => None,
        }
    }
}

impl From<&str> for Document {
    fn from(text: &str) -> Self {
        Document::String(text.to_owned())
    }
}

impl From<String> for Document {
    fn from(text: String) -> Self {
        Document::String(text)
    }
}

impl From<bool> for Document {
    fn from(value: bool) -> Self {
        Document::Bool(value)
    }
}

impl From<i64> for Document {
    fn from(value: i64) -> Self {
        match u64::try_from(value) {
            Ok(positive) => Document::Number(Number::PosInt(positive)),
            Err(_) => Document::Number(Number::NegInt(value)),
        }
    }
}

impl From<f64> for Document {
    fn from(value: f64) -> Self {
        Document::Number(Number::Float(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_pick_their_sign_variant() {
        assert_eq!(Document::from(5), Document::Number(Number::PosInt(5)));
        assert_eq!(Document::from(-5), Document::Number(Number::NegInt(-5)));
    }

    #[test]
    fn accessors_match_only_their_variant() {
        assert_eq!(Document::from("a").as_str(), Some("a"));
        assert_eq!(Document::Null.as_str(), None);
        assert!(Document::Object(BTreeMap::new()).as_object().is_some());
        assert!(Document::from(true).as_object().is_none());
    }
}
