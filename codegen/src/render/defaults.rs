//! Rust expressions for `@default` values, used when a builder leaves a plain member unset.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::Context;
use crate::error::Error;
use crate::ir::{DataKind, DataShape, Member, Primitive, Target};
use crate::rust::types;

/// How to fill an unset member from its default.
pub enum Fill {
    /// The default is the type's `Default` value.
    TypeDefault,
    /// A cheap `Copy` expression (`unwrap_or`).
    Copy(TokenStream),
    /// An expression that allocates (`unwrap_or_else`).
    Computed(TokenStream),
}

/// The fill for `member` of `owner`, whose `@default` is `value`.
pub fn fill(
    context: &Context,
    owner: &DataShape,
    member: &Member,
    value: &Value,
) -> Result<Fill, Error> {
    let unsupported = || {
        context.member_error(
            owner,
            member,
            format!("@default value {value} is not supported for this member's type"),
        )
    };
    if let Target::Shape(shape) = member.target {
        let data = context.service.shape(shape);
        let path = types::shape_path(context.service, shape);
        return match (&data.kind, value) {
            (DataKind::Enum(_), Value::String(text)) => {
                Ok(Fill::Computed(quote!(#path::from(#text))))
            }
            (DataKind::IntEnum(_), Value::Number(number)) => {
                let number = number
                    .as_i64()
                    .and_then(|n| i32::try_from(n).ok())
                    .ok_or_else(unsupported)?;
                Ok(Fill::Copy(quote!(#path::from(#number))))
            }
            (DataKind::List { .. }, Value::Array(items)) if items.is_empty() => {
                Ok(Fill::TypeDefault)
            }
            (DataKind::Map { .. }, Value::Object(entries)) if entries.is_empty() => {
                Ok(Fill::TypeDefault)
            }
            (DataKind::Alias { primitive, .. }, _) => {
                primitive_fill(*primitive, value).ok_or_else(unsupported)
            }
            _ => Err(unsupported()),
        };
    }
    let primitive = types::primitive_of(context.service, member.target).ok_or_else(unsupported)?;
    primitive_fill(primitive, value).ok_or_else(unsupported)
}

fn primitive_fill(primitive: Primitive, value: &Value) -> Option<Fill> {
    Some(match (primitive, value) {
        (Primitive::Boolean, Value::Bool(false)) => Fill::TypeDefault,
        (Primitive::Boolean, Value::Bool(true)) => Fill::Copy(quote!(true)),
        (
            Primitive::Byte | Primitive::Short | Primitive::Integer | Primitive::Long,
            Value::Number(number),
        ) => {
            let number = number.as_i64()?;
            if number == 0 {
                Fill::TypeDefault
            } else {
                let literal = Literal::i64_unsuffixed(number);
                Fill::Copy(quote!(#literal))
            }
        }
        (Primitive::Float | Primitive::Double, Value::Number(number)) => {
            let number = number.as_f64()?;
            if number == 0.0 {
                Fill::TypeDefault
            } else {
                let literal = Literal::f64_unsuffixed(number);
                Fill::Copy(quote!(#literal))
            }
        }
        (Primitive::String, Value::String(text)) if text.is_empty() => Fill::TypeDefault,
        (Primitive::String, Value::String(text)) => Fill::Computed(quote!(String::from(#text))),
        (Primitive::Blob, Value::String(text)) if text.is_empty() => Fill::TypeDefault,
        // A blob default is base64 text; models built before Smithy said so wrote the bytes
        // as text, which is what a string that is not strict base64 is taken for.
        (Primitive::Blob, Value::String(text)) => {
            let bytes = decode_base64(text).unwrap_or_else(|| text.as_bytes().to_vec());
            Fill::Computed(quote!(crate::primitives::Blob::new(vec![#(#bytes),*])))
        }
        (Primitive::Timestamp, Value::Number(number)) => {
            let seconds = number.as_i64()?;
            Fill::Copy(quote!(crate::primitives::DateTime::from_secs(#seconds)))
        }
        (Primitive::Document, Value::Object(entries)) if entries.is_empty() => Fill::Computed(
            quote!(crate::primitives::Document::Object(Default::default())),
        ),
        (Primitive::Document, Value::Array(items)) if items.is_empty() => {
            Fill::Computed(quote!(crate::primitives::Document::Array(Vec::new())))
        }
        (Primitive::Document, Value::Bool(flag)) => {
            Fill::Computed(quote!(crate::primitives::Document::from(#flag)))
        }
        (Primitive::Document, Value::String(text)) => {
            Fill::Computed(quote!(crate::primitives::Document::from(#text)))
        }
        _ => return None,
    })
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
