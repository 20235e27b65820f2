//! The CBOR reader: a body decoded into the JSON data model (`serde_json::Value`), bounded in
//! nesting, with every malformed or unsupported item an error that names its byte offset.

use minicbor::data::Type;
use minicbor::Decoder;
use serde_json::{Map, Number, Value};

use super::pull::{half, invalid};
use crate::deserialize::DeserializeError;
use crate::json::base64;

/// How deeply maps and arrays may nest.
pub const MAX_DEPTH: usize = 100;

/// Decodes a CBOR body (an empty body is an empty map); trailing bytes are an error.
pub fn parse(body: &[u8]) -> Result<Value, DeserializeError> {
    if body.is_empty() {
        return Ok(Value::Object(Map::new()));
    }
    let mut decoder = Decoder::new(body);
    let value = item(&mut decoder, 0)?;
    if decoder.position() != body.len() {
        return Err(invalid(decoder.position(), "bytes after the body's value"));
    }
    Ok(value)
}

fn decode_error(decoder: &Decoder, error: minicbor::decode::Error) -> DeserializeError {
    invalid(decoder.position(), error)
}

/// A float as the JSON model holds it: a number, or `"NaN"`, `"Infinity"`, `"-Infinity"`.
fn float(value: f64) -> Value {
    match Number::from_f64(value) {
        Some(number) => Value::Number(number),
        None if value.is_nan() => Value::String("NaN".to_owned()),
        None if value > 0.0 => Value::String("Infinity".to_owned()),
        None => Value::String("-Infinity".to_owned()),
    }
}

fn item(decoder: &mut Decoder, depth: usize) -> Result<Value, DeserializeError> {
    if depth > MAX_DEPTH {
        return Err(invalid(
            decoder.position(),
            format!("nested deeper than {MAX_DEPTH} levels"),
        ));
    }
    let at = decoder.position();
    let kind = decoder.datatype().map_err(|e| decode_error(decoder, e))?;
    let wrap = |decoder: &Decoder, e| decode_error(decoder, e);
    Ok(match kind {
        Type::Bool => Value::Bool(decoder.bool().map_err(|e| wrap(decoder, e))?),
        Type::Null | Type::Undefined => {
            decoder.skip().map_err(|e| wrap(decoder, e))?;
            Value::Null
        }
        Type::U8 | Type::U16 | Type::U32 | Type::U64 => {
            Value::from(decoder.u64().map_err(|e| wrap(decoder, e))?)
        }
        Type::I8 | Type::I16 | Type::I32 | Type::I64 | Type::Int => {
            let number = i128::from(decoder.int().map_err(|e| wrap(decoder, e))?);
            match i64::try_from(number) {
                Ok(number) => Value::from(number),
                Err(_) => float(number as f64),
            }
        }
        Type::F16 => {
            let bytes = decoder
                .input()
                .get(at + 1..at + 3)
                .ok_or_else(|| invalid(at, "a cut half float"))?;
            decoder.set_position(at + 3);
            float(half(u16::from_be_bytes([bytes[0], bytes[1]])))
        }
        Type::F32 => float(f64::from(decoder.f32().map_err(|e| wrap(decoder, e))?)),
        Type::F64 => float(decoder.f64().map_err(|e| wrap(decoder, e))?),
        Type::Bytes | Type::BytesIndef => Value::String(base64::encode(&bytes(decoder)?)),
        Type::String | Type::StringIndef => Value::String(text(decoder)?),
        Type::Array | Type::ArrayIndef => array(decoder, depth)?,
        Type::Map | Type::MapIndef => map(decoder, depth)?,
        Type::Tag => tagged(decoder, depth)?,
        other => return Err(invalid(at, format!("unexpected {other}"))),
    })
}

fn bytes(decoder: &mut Decoder) -> Result<Vec<u8>, DeserializeError> {
    let at = decoder.position();
    let mut joined = Vec::new();
    let chunks = decoder.bytes_iter().map_err(|e| invalid(at, e))?;
    for chunk in chunks {
        joined.extend_from_slice(chunk.map_err(|e| invalid(at, e))?);
    }
    Ok(joined)
}

fn text(decoder: &mut Decoder) -> Result<String, DeserializeError> {
    let at = decoder.position();
    let mut joined = String::new();
    let chunks = decoder.str_iter().map_err(|e| invalid(at, e))?;
    for chunk in chunks {
        joined.push_str(chunk.map_err(|e| invalid(at, e))?);
    }
    Ok(joined)
}

/// True (and the break consumed) when an indefinite container ends here.
fn at_break(decoder: &mut Decoder) -> Result<bool, DeserializeError> {
    let at = decoder.position();
    match decoder.datatype() {
        Ok(Type::Break) => {
            decoder.set_position(at + 1);
            Ok(true)
        }
        Ok(_) => Ok(false),
        Err(error) => Err(decode_error(decoder, error)),
    }
}

fn array(decoder: &mut Decoder, depth: usize) -> Result<Value, DeserializeError> {
    let length = decoder.array().map_err(|e| decode_error(decoder, e))?;
    let mut items = Vec::new();
    match length {
        Some(length) => {
            for _ in 0..length {
                items.push(item(decoder, depth + 1)?);
            }
        }
        None => {
            while !at_break(decoder)? {
                items.push(item(decoder, depth + 1)?);
            }
        }
    }
    Ok(Value::Array(items))
}

fn map(decoder: &mut Decoder, depth: usize) -> Result<Value, DeserializeError> {
    let length = decoder.map().map_err(|e| decode_error(decoder, e))?;
    let mut entries = Map::new();
    let mut entry = |decoder: &mut Decoder| -> Result<(), DeserializeError> {
        let at = decoder.position();
        let key = match decoder.datatype().map_err(|e| decode_error(decoder, e))? {
            Type::String | Type::StringIndef => text(decoder)?,
            other => {
                return Err(invalid(
                    at,
                    format!("a map key must be text, found {other}"),
                ))
            }
        };
        let value = item(decoder, depth + 1)?;
        entries.insert(key, value);
        Ok(())
    };
    match length {
        Some(length) => {
            for _ in 0..length {
                entry(decoder)?;
            }
        }
        None => {
            while !at_break(decoder)? {
                entry(decoder)?;
            }
        }
    }
    Ok(Value::Object(entries))
}

/// Tag 1 (epoch seconds) and the bignum tags 2 and 3 read as numbers; other tags are read
/// through to their value.
fn tagged(decoder: &mut Decoder, depth: usize) -> Result<Value, DeserializeError> {
    let at = decoder.position();
    let tag = decoder
        .tag()
        .map_err(|e| decode_error(decoder, e))?
        .as_u64();
    match tag {
        2 | 3 => {
            let magnitude = bytes(decoder)?;
            if magnitude.len() > 16 {
                return Err(invalid(at, "a bignum wider than 128 bits"));
            }
            let value = magnitude
                .iter()
                .fold(0u128, |acc, byte| (acc << 8) | u128::from(*byte));
            Ok(match (tag, u64::try_from(value), i64::try_from(value)) {
                (2, Ok(small), _) => Value::from(small),
                (3, _, Ok(small)) => Value::from(-1 - small),
                (2, _, _) => float(value as f64),
                _ => float(-1.0 - value as f64),
            })
        }
        _ => item(decoder, depth + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_arrays_and_scalars_read_as_json() {
        // {"a": -2, "t": 1(1), "l": [_ true, h'78'], "h": 1.5 as f16, "n": NaN}
        let body = [
            0xbf, 0x61, b'a', 0x21, 0x61, b't', 0xc1, 0x01, 0x61, b'l', 0x9f, 0xf5, 0x41, b'x',
            0xff, 0x61, b'h', 0xf9, 0x3e, 0x00, 0x61, b'n', 0xf9, 0x7e, 0x00, 0xff,
        ];
        let value = parse(&body).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"a": -2, "t": 1, "l": [true, "eA=="], "h": 1.5, "n": "NaN"})
        );
    }

    #[test]
    fn hostile_bodies_are_errors() {
        assert!(parse(&[0x9f; 1000])
            .unwrap_err()
            .to_string()
            .contains("nested deeper"));
        assert!(parse(&[0xa1, 0x01, 0x02])
            .unwrap_err()
            .to_string()
            .contains("map key must be text"));
        assert!(parse(&[0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).is_err());
        assert!(parse(&[0x01, 0x02])
            .unwrap_err()
            .to_string()
            .contains("after the body"));
        assert!(parse(&[0x7f, 0x61]).is_err());
        assert!(parse(&[0xf9, 0x3e]).is_err());
        assert_eq!(parse(&[]).unwrap(), serde_json::json!({}));
    }
}
