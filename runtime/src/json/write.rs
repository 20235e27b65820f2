//! A small JSON writer: generated serializers call it directly, with no serde derive.

use std::fmt::Write;

use super::base64;
use crate::{Blob, DateTime, DateTimeFormat, Document, Number};

/// Where one JSON value goes.
pub struct JsonValue<'a> {
    out: &'a mut String,
}

/// An object being written; call [`JsonObject::finish`] at the end.
pub struct JsonObject<'a> {
    out: &'a mut String,
    empty: bool,
}

/// An array being written; call [`JsonArray::finish`] at the end.
pub struct JsonArray<'a> {
    out: &'a mut String,
    empty: bool,
}

/// What a body's buffer starts with: most request bodies fit, so the buffer grows at most
/// rarely (every growth is an allocation and a copy).
const BODY_CAPACITY: usize = 256;

/// The JSON object `write` writes into it, as a request body.
pub fn object_body(write: impl FnOnce(&mut JsonObject<'_>)) -> bytes::Bytes {
    let mut out = String::with_capacity(BODY_CAPACITY);
    let mut object = JsonValue::new(&mut out).object();
    write(&mut object);
    object.finish();
    bytes::Bytes::from(out)
}

fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

impl<'a> JsonValue<'a> {
    /// The value at the start of `out` (a whole document).
    pub fn new(out: &'a mut String) -> Self {
        Self { out }
    }

    /// A string.
    pub fn string(self, text: &str) {
        write_string(self.out, text);
    }

    /// `true` or `false`.
    pub fn boolean(self, value: bool) {
        self.out.push_str(if value { "true" } else { "false" });
    }

    /// An integer.
    pub fn integer(self, value: i64) {
        let _ = write!(self.out, "{value}");
    }

    /// A float; NaN and infinities are written as the strings restJson1 uses.
    pub fn float(self, value: f64) {
        if value.is_nan() {
            self.out.push_str("\"NaN\"");
        } else if value.is_infinite() {
            self.out.push_str(if value > 0.0 {
                "\"Infinity\""
            } else {
                "\"-Infinity\""
            });
        } else {
            let _ = write!(self.out, "{value:?}");
        }
    }

    /// A timestamp: a number for epoch seconds, else a string.
    pub fn timestamp(self, value: &DateTime, format: DateTimeFormat) {
        match format {
            DateTimeFormat::EpochSeconds => self.out.push_str(&value.fmt(format)),
            _ => write_string(self.out, &value.fmt(format)),
        }
    }

    /// A blob, base64-encoded.
    pub fn blob(self, value: &Blob) {
        write_string(self.out, &base64::encode(value.as_bytes()));
    }

    /// A document, as the JSON it is.
    pub fn document(self, value: &Document) {
        match value {
            Document::Null => self.null(),
            Document::Bool(flag) => self.boolean(*flag),
            Document::Number(Number::PosInt(number)) => {
                let _ = write!(self.out, "{number}");
            }
            Document::Number(Number::NegInt(number)) => self.integer(*number),
            Document::Number(Number::Float(number)) => self.float(*number),
            Document::String(text) => self.string(text),
            Document::Array(items) => {
                let mut array = self.array();
                for item in items {
                    array.value().document(item);
                }
                array.finish();
            }
            Document::Object(entries) => {
                let mut object = self.object();
                for (key, item) in entries {
                    object.key(key).document(item);
                }
                object.finish();
            }
        }
    }

    /// A number given as its decimal text (big integers and decimals).
    pub fn raw_number(self, text: &str) {
        self.out.push_str(text);
    }

    /// `null`.
    pub fn null(self) {
        self.out.push_str("null");
    }

    /// Starts an object.
    pub fn object(self) -> JsonObject<'a> {
        self.out.push('{');
        JsonObject {
            out: self.out,
            empty: true,
        }
    }

    /// Starts an array.
    pub fn array(self) -> JsonArray<'a> {
        self.out.push('[');
        JsonArray {
            out: self.out,
            empty: true,
        }
    }
}

impl JsonObject<'_> {
    /// The value of `key`, written next.
    pub fn key(&mut self, key: &str) -> JsonValue<'_> {
        if !std::mem::replace(&mut self.empty, false) {
            self.out.push(',');
        }
        write_string(self.out, key);
        self.out.push(':');
        JsonValue { out: self.out }
    }

    /// Closes the object.
    pub fn finish(self) {
        self.out.push('}');
    }
}

impl JsonArray<'_> {
    /// The next element.
    pub fn value(&mut self) -> JsonValue<'_> {
        if !std::mem::replace(&mut self.empty, false) {
            self.out.push(',');
        }
        JsonValue { out: self.out }
    }

    /// Closes the array.
    pub fn finish(self) {
        self.out.push(']');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_nested_values() {
        let mut out = String::new();
        let mut object = JsonValue::new(&mut out).object();
        object.key("name").string("a \"quoted\"\nline");
        object.key("count").integer(-3);
        object.key("ratio").float(0.5);
        object.key("nan").float(f64::NAN);
        let mut list = object.key("list").array();
        list.value().boolean(true);
        list.value().null();
        list.finish();
        object
            .key("when")
            .timestamp(&DateTime::from_secs(1), DateTimeFormat::EpochSeconds);
        object.key("blob").blob(&Blob::new(b"foo".to_vec()));
        object.finish();
        assert_eq!(
            out,
            r#"{"name":"a \"quoted\"\nline","count":-3,"ratio":0.5,"nan":"NaN","list":[true,null],"when":1,"blob":"Zm9v"}"#
        );
    }
}
