//! `@default` values resolved against their members' targets once every shape is built: a
//! typed value the renderer writes as it is, or an error naming the member where a default
//! would be written (plain members) but is of a kind this generator cannot write.

use serde_json::Value;

use super::{DataKind, Primitive, Service};
use crate::error::{Error, Location};
use crate::smithy::{self, ShapeKind};

/// A member's default, typed by its target.
#[derive(Clone, Debug, PartialEq)]
pub enum DefaultValue {
    /// The target's zero or empty value (`false`, `0`, `""`, an empty blob, list or map): its
    /// Rust `Default`.
    Zero,
    /// `true`.
    True,
    /// A non-zero integer.
    Integer(i64),
    /// A non-zero float.
    Float(f64),
    /// A non-empty string.
    Text(String),
    /// The bytes of a non-empty blob.
    Bytes(Vec<u8>),
    /// A timestamp, in epoch seconds.
    Timestamp(i64),
    /// An enum value.
    Enum(String),
    /// An intEnum value.
    IntEnum(i32),
    /// A document.
    Document(DocumentDefault),
    /// A value (its JSON text) of a kind the generator cannot write (a number in a document, a
    /// big number, ...): allowed only where no default is written (operation inputs, whose
    /// unset members are not sent).
    Unwritten(String),
}

/// The documents a default can be.
#[derive(Clone, Debug, PartialEq)]
pub enum DocumentDefault {
    /// `{}`.
    EmptyObject,
    /// `[]`.
    EmptyArray,
    /// A boolean.
    Bool(bool),
    /// A string.
    Text(String),
}

/// The default `value` of a member whose target is the model's shape `target`.
pub(crate) fn resolve(target: &smithy::Shape, value: &Value) -> DefaultValue {
    let unwritten = || DefaultValue::Unwritten(value.to_string());
    match (&target.kind, value) {
        (ShapeKind::Simple(Primitive::String), Value::String(text))
            if target.traits.enum_definitions.is_some() =>
        {
            DefaultValue::Enum(text.clone())
        }
        (ShapeKind::Simple(primitive), _) => {
            primitive_default(*primitive, value).unwrap_or_else(unwritten)
        }
        (ShapeKind::Enum(_), Value::String(text)) => DefaultValue::Enum(text.clone()),
        (ShapeKind::IntEnum(_), Value::Number(number)) => number
            .as_i64()
            .and_then(|number| i32::try_from(number).ok())
            .map_or_else(unwritten, DefaultValue::IntEnum),
        (ShapeKind::List { .. }, Value::Array(items)) if items.is_empty() => DefaultValue::Zero,
        (ShapeKind::Map { .. }, Value::Object(entries)) if entries.is_empty() => DefaultValue::Zero,
        _ => unwritten(),
    }
}

fn primitive_default(primitive: Primitive, value: &Value) -> Option<DefaultValue> {
    let zero_or = |zero: bool, value: DefaultValue| if zero { DefaultValue::Zero } else { value };
    Some(match (primitive, value) {
        (Primitive::Boolean, Value::Bool(flag)) => zero_or(!flag, DefaultValue::True),
        (
            Primitive::Byte | Primitive::Short | Primitive::Integer | Primitive::Long,
            Value::Number(number),
        ) => {
            let number = number.as_i64()?;
            zero_or(number == 0, DefaultValue::Integer(number))
        }
        (Primitive::Float | Primitive::Double, Value::Number(number)) => {
            let number = number.as_f64()?;
            zero_or(number == 0.0, DefaultValue::Float(number))
        }
        (Primitive::String, Value::String(text)) => {
            zero_or(text.is_empty(), DefaultValue::Text(text.clone()))
        }
        // A blob default is base64 text; models built before Smithy said so wrote the bytes
        // as text, which is what a string that is not strict base64 is taken for.
        (Primitive::Blob, Value::String(text)) => zero_or(
            text.is_empty(),
            DefaultValue::Bytes(decode_base64(text).unwrap_or_else(|| text.as_bytes().to_vec())),
        ),
        (Primitive::Timestamp, Value::Number(number)) => DefaultValue::Timestamp(number.as_i64()?),
        (Primitive::Document, Value::Object(entries)) if entries.is_empty() => {
            DefaultValue::Document(DocumentDefault::EmptyObject)
        }
        (Primitive::Document, Value::Array(items)) if items.is_empty() => {
            DefaultValue::Document(DocumentDefault::EmptyArray)
        }
        (Primitive::Document, Value::Bool(flag)) => {
            DefaultValue::Document(DocumentDefault::Bool(*flag))
        }
        (Primitive::Document, Value::String(text)) => {
            DefaultValue::Document(DocumentDefault::Text(text.clone()))
        }
        _ => return None,
    })
}

/// Fails on the first plain structure member (one whose default is written: see
/// [`super::DataShape::is_plain`]) whose default cannot be written.
pub(crate) fn check_written(service: &Service, file: &str) -> Result<(), Error> {
    for shape in &service.shapes {
        let DataKind::Structure(members) = &shape.kind else {
            continue;
        };
        for member in members {
            if let Some(DefaultValue::Unwritten(value)) = &member.default {
                if shape.is_plain(member) {
                    return Err(Location::shape(file, &shape.id.to_string())
                        .field("members")
                        .field(&member.name)
                        .error(format!(
                            "@default value {value} is not supported for this member's type"
                        )));
                }
            }
        }
    }
    Ok(())
}

/// Decodes padded standard base64; `None` when `text` is not exactly that.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if text.is_empty() || text.len() % 4 != 0 {
        return None;
    }
    let data = text.trim_end_matches('=');
    if text.len() - data.len() > 2 {
        return None;
    }
    let mut bits: u32 = 0;
    let mut count = 0;
    let mut bytes = Vec::with_capacity(text.len() / 4 * 3);
    for byte in data.bytes() {
        let value = ALPHABET.iter().position(|&letter| letter == byte)? as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    (bits == 0).then_some(bytes)
}

#[cfg(test)]
mod tests {
    use super::decode_base64;

    #[test]
    fn blob_defaults_are_strict_base64() {
        assert_eq!(decode_base64("YWJj").as_deref(), Some(&b"abc"[..]));
        assert_eq!(decode_base64("aGk=").as_deref(), Some(&b"hi"[..]));
        assert_eq!(decode_base64("YmxvYg==").as_deref(), Some(&b"blob"[..]));
        assert_eq!(decode_base64("abc"), None);
        assert_eq!(decode_base64("a==="), None);
        assert_eq!(decode_base64("ab$="), None);
    }
}
