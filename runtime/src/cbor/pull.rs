//! CBOR items read one at a time from the body bytes, as the JSON data model sees them (the
//! same mapping as [`parse`](super::read::parse)): the pull [`Reader`](crate::json::read::Reader)
//! reads RPC v2 CBOR bodies through these, with no decoded tree in between. Definite text
//! strings are borrowed from the body; every malformed item is an error naming its offset.

use std::borrow::Cow;

use crate::deserialize::DeserializeError;
use crate::deserialize::JsonNumber as Number;
use crate::json::base64;

/// A malformed body's error, naming the byte offset.
pub(crate) fn invalid(at: usize, message: impl std::fmt::Display) -> DeserializeError {
    DeserializeError::new("body", format!("invalid CBOR at byte {at}: {message}"))
}

/// An IEEE 754 half-precision float, widened.
pub(crate) fn half(bits: u16) -> f64 {
    let sign = if bits & 0x8000 == 0 { 1.0 } else { -1.0 };
    let exponent = i32::from((bits >> 10) & 0x1f);
    let fraction = f64::from(bits & 0x3ff);
    sign * match exponent {
        0 => fraction * 2f64.powi(-24),
        31 if fraction == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        _ => (1.0 + fraction / 1024.0) * 2f64.powi(exponent - 15),
    }
}

/// The next item, with the head of an array or a map only (its content follows).
#[derive(Debug, PartialEq)]
pub(crate) enum Item<'b> {
    /// `null` or `undefined`.
    Null,
    /// `true` or `false`.
    Boolean(bool),
    /// An integer, a finite float or a bignum.
    Number(Number),
    /// A text string; a byte string as base64; a non-finite float as `NaN`, `Infinity` or
    /// `-Infinity`.
    Text(Cow<'b, str>),
    /// An array of this many items, or of items up to a break.
    Array(Option<u64>),
    /// A map of this many entries, or of entries up to a break.
    Map(Option<u64>),
}

/// The break that ends an indefinite-length item.
const BREAK: u8 = 0xff;

/// The major type and argument of the head at `*at` (moved past it); `None` as argument for
/// an indefinite length.
fn head(bytes: &[u8], at: &mut usize) -> Result<(u8, Option<u64>), DeserializeError> {
    let start = *at;
    let initial = *bytes
        .get(start)
        .ok_or_else(|| invalid(start, "unexpected end"))?;
    let (major, info) = (initial >> 5, initial & 0x1f);
    let width = match info {
        0..=23 => {
            *at = start + 1;
            return Ok((major, Some(u64::from(info))));
        }
        24 => 1,
        25 => 2,
        26 => 4,
        27 => 8,
        31 if matches!(major, 2..=5 | 7) => {
            *at = start + 1;
            return Ok((major, None));
        }
        _ => {
            return Err(invalid(
                start,
                format!("the reserved head byte {initial:#04x}"),
            ))
        }
    };
    let argument = bytes
        .get(start + 1..start + 1 + width)
        .ok_or_else(|| invalid(start, "a head cut short"))?;
    *at = start + 1 + width;
    Ok((
        major,
        Some(
            argument
                .iter()
                .fold(0, |acc, byte| (acc << 8) | u64::from(*byte)),
        ),
    ))
}

/// The `length` bytes at `*at` (moved past them).
fn content<'b>(bytes: &'b [u8], at: &mut usize, length: u64) -> Result<&'b [u8], DeserializeError> {
    let start = *at;
    let end = usize::try_from(length)
        .ok()
        .and_then(|length| start.checked_add(length))
        .filter(|end| *end <= bytes.len())
        .ok_or_else(|| invalid(start, format!("a string of {length} bytes past the end")))?;
    *at = end;
    Ok(&bytes[start..end])
}

/// True (and the break read) when an indefinite item ends at `*at`.
pub(crate) fn at_break(bytes: &[u8], at: &mut usize) -> Result<bool, DeserializeError> {
    match bytes.get(*at) {
        Some(&BREAK) => {
            *at += 1;
            Ok(true)
        }
        Some(_) => Ok(false),
        None => Err(invalid(*at, "unexpected end")),
    }
}

/// The bytes of a byte string (major type 2) or the text of a text string (3), whose head
/// gave `length`; an indefinite one is joined from its chunks, each of the same major type.
fn chunks<'b>(
    bytes: &'b [u8],
    at: &mut usize,
    major: u8,
    length: Option<u64>,
) -> Result<Cow<'b, [u8]>, DeserializeError> {
    if let Some(length) = length {
        return Ok(Cow::Borrowed(content(bytes, at, length)?));
    }
    let mut joined = Vec::new();
    while !at_break(bytes, at)? {
        let start = *at;
        match head(bytes, at)? {
            (found, Some(length)) if found == major => {
                joined.extend_from_slice(content(bytes, at, length)?)
            }
            _ => {
                return Err(invalid(
                    start,
                    "a chunk of another type in an indefinite string",
                ))
            }
        }
    }
    Ok(Cow::Owned(joined))
}

fn utf8(chunk: Cow<'_, [u8]>, at: usize) -> Result<Cow<'_, str>, DeserializeError> {
    let not_utf8 = |_| invalid(at, "a text string that is not UTF-8");
    match chunk {
        Cow::Borrowed(bytes) => std::str::from_utf8(bytes)
            .map(Cow::Borrowed)
            .map_err(not_utf8),
        Cow::Owned(bytes) => String::from_utf8(bytes)
            .map(Cow::Owned)
            .map_err(|error| not_utf8(error.utf8_error())),
    }
}

/// A float as the JSON data model holds it.
fn float<'b>(value: f64) -> Item<'b> {
    match value {
        value if value.is_finite() => Item::Number(Number::Float(value)),
        value if value.is_nan() => Item::Text(Cow::Borrowed("NaN")),
        value if value > 0.0 => Item::Text(Cow::Borrowed("Infinity")),
        _ => Item::Text(Cow::Borrowed("-Infinity")),
    }
}

/// A negative integer `-1 - magnitude`: an `i64` when it fits, else a float.
fn negative<'b>(magnitude: u128) -> Item<'b> {
    match i64::try_from(magnitude) {
        Ok(small) => Item::Number(Number::Negative(-1 - small)),
        Err(_) => float(-1.0 - magnitude as f64),
    }
}

/// A bignum (tags 2 and 3) whose tag head was read: its byte string as a number.
fn bignum<'b>(
    bytes: &'b [u8],
    at: &mut usize,
    positive: bool,
) -> Result<Item<'b>, DeserializeError> {
    let start = *at;
    let magnitude = match head(bytes, at)? {
        (2, length) => chunks(bytes, at, 2, length)?,
        _ => return Err(invalid(start, "a bignum that is not a byte string")),
    };
    if magnitude.len() > 16 {
        return Err(invalid(start, "a bignum wider than 128 bits"));
    }
    let value = magnitude
        .iter()
        .fold(0u128, |acc, byte| (acc << 8) | u128::from(*byte));
    Ok(match (positive, u64::try_from(value)) {
        (true, Ok(small)) => Item::Number(Number::Positive(small)),
        (true, Err(_)) => float(value as f64),
        (false, _) => negative(value),
    })
}

/// The simple value or float (major type 7) whose head byte `initial` is at `start`.
fn simple<'b>(initial: u8, argument: u64, start: usize) -> Result<Item<'b>, DeserializeError> {
    Ok(match initial & 0x1f {
        20 => Item::Boolean(false),
        21 => Item::Boolean(true),
        22 | 23 => Item::Null,
        25 => float(half(argument as u16)),
        26 => float(f64::from(f32::from_bits(argument as u32))),
        27 => float(f64::from_bits(argument)),
        _ => {
            return Err(invalid(
                start,
                format!("the unsupported simple value {argument}"),
            ))
        }
    })
}

/// Reads the next item at `*at` (moved past it, or past the head of an array or a map). Tags
/// 2 and 3 are bignums; any other tag is read through to its item.
pub(crate) fn next<'b>(bytes: &'b [u8], at: &mut usize) -> Result<Item<'b>, DeserializeError> {
    loop {
        let start = *at;
        let (major, argument) = head(bytes, at)?;
        return Ok(match (major, argument) {
            (0, Some(value)) => Item::Number(Number::Positive(value)),
            (1, Some(value)) => negative(u128::from(value)),
            (2, length) => Item::Text(Cow::Owned(base64::encode(&chunks(bytes, at, 2, length)?))),
            (3, length) => Item::Text(utf8(chunks(bytes, at, 3, length)?, start)?),
            (4, length) => Item::Array(length),
            (5, length) => Item::Map(length),
            (6, Some(tag @ (2 | 3))) => bignum(bytes, at, tag == 2)?,
            (6, Some(_)) => continue,
            (_, Some(argument)) => simple(bytes[start], argument, start)?,
            (_, None) => return Err(invalid(start, "a break outside an indefinite item")),
        });
    }
}

/// A map key at `*at`: a text string only.
pub(crate) fn key<'b>(bytes: &'b [u8], at: &mut usize) -> Result<Cow<'b, str>, DeserializeError> {
    let start = *at;
    match head(bytes, at)? {
        (3, length) => utf8(chunks(bytes, at, 3, length)?, start),
        (major, _) => Err(invalid(
            start,
            format!("a map key must be text, found major type {major}"),
        )),
    }
}

/// Skips what is left of `item` (the content of an array or a map whose head was read),
/// allowing `depth` more levels of nesting.
pub(crate) fn skip_rest(
    bytes: &[u8],
    at: &mut usize,
    item: Item<'_>,
    depth: usize,
) -> Result<(), DeserializeError> {
    let mut left = match item {
        Item::Array(length) => length,
        // A map's entries are a key and a value each.
        Item::Map(length) => length.map(|entries| entries.saturating_mul(2)),
        _ => return Ok(()),
    };
    let Some(depth) = depth.checked_sub(1) else {
        return Err(invalid(*at, "nested too deeply"));
    };
    loop {
        match &mut left {
            Some(0) => return Ok(()),
            Some(count) => *count -= 1,
            None if at_break(bytes, at)? => return Ok(()),
            None => {}
        }
        let item = next(bytes, at)?;
        skip_rest(bytes, at, item, depth)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(bytes: &[u8]) -> Result<Vec<Item<'_>>, DeserializeError> {
        let mut at = 0;
        let mut items = Vec::new();
        while at < bytes.len() {
            items.push(next(bytes, &mut at)?);
        }
        Ok(items)
    }

    #[test]
    fn items_read_as_the_json_data_model() {
        let body = [
            0x17, 0x38, 0x63, 0x3b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xf9, 0x3e,
            0x00, 0xf9, 0x7e, 0x00, 0xfa, 0xff, 0x80, 0x00, 0x00, 0x62, b'h', b'i', 0x7f, 0x61,
            b'a', 0x61, b'b', 0xff, 0x42, 0x01, 0x02, 0xc1, 0x0a, 0xc2, 0x42, 0x01, 0x00, 0xc3,
            0x41, 0x00, 0xf4, 0xf6, 0xf7, 0x9f, 0xa2,
        ];
        assert_eq!(
            all(&body).unwrap(),
            [
                Item::Number(Number::Positive(23)),
                Item::Number(Number::Negative(-100)),
                Item::Number(Number::Float(-18446744073709551616.0)),
                Item::Number(Number::Float(1.5)),
                Item::Text(Cow::Borrowed("NaN")),
                Item::Text(Cow::Borrowed("-Infinity")),
                Item::Text(Cow::Borrowed("hi")),
                Item::Text(Cow::Owned("ab".to_owned())),
                Item::Text(Cow::Owned("AQI=".to_owned())),
                Item::Number(Number::Positive(10)),
                Item::Number(Number::Positive(256)),
                Item::Number(Number::Negative(-1)),
                Item::Boolean(false),
                Item::Null,
                Item::Null,
                Item::Array(None),
                Item::Map(Some(2)),
            ]
        );
    }

    #[test]
    fn malformed_items_name_their_offset() {
        let error = |bytes: &[u8]| all(bytes).unwrap_err().to_string();
        assert_eq!(
            error(&[0x1c]),
            "body: invalid CBOR at byte 0: the reserved head byte 0x1c"
        );
        assert_eq!(
            error(&[0x01, 0x19, 0x01]),
            "body: invalid CBOR at byte 1: a head cut short"
        );
        assert_eq!(
            error(&[0x7b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
            "body: invalid CBOR at byte 9: a string of 18446744073709551615 bytes past the end"
        );
        assert_eq!(
            error(&[0x7f, 0x41, b'a', 0xff]),
            "body: invalid CBOR at byte 1: a chunk of another type in an indefinite string"
        );
        assert_eq!(
            error(&[0x62, 0xc3, 0x28]),
            "body: invalid CBOR at byte 0: a text string that is not UTF-8"
        );
        assert_eq!(
            error(&[0xff]),
            "body: invalid CBOR at byte 0: a break outside an indefinite item"
        );
        assert_eq!(
            error(&[0xf0]),
            "body: invalid CBOR at byte 0: the unsupported simple value 16"
        );
        assert_eq!(
            error(&[0xc2, 0x01]),
            "body: invalid CBOR at byte 1: a bignum that is not a byte string"
        );
        let mut wide = vec![0xc2, 0x51];
        wide.extend([1; 17]);
        assert_eq!(
            error(&wide),
            "body: invalid CBOR at byte 1: a bignum wider than 128 bits"
        );
        let mut at = 0;
        assert_eq!(
            key(&[0x01], &mut at).unwrap_err().to_string(),
            "body: invalid CBOR at byte 0: a map key must be text, found major type 0"
        );
    }

    fn skip(bytes: &[u8], at: &mut usize, depth: usize) -> Result<(), DeserializeError> {
        let item = next(bytes, at)?;
        skip_rest(bytes, at, item, depth)
    }

    #[test]
    fn skipping_is_bounded_in_depth_and_by_the_body() {
        let mut at = 0;
        let deep = [0x81; 200];
        let error = skip(&deep, &mut at, 100).unwrap_err().to_string();
        assert_eq!(error, "body: invalid CBOR at byte 101: nested too deeply");
        let mut at = 0;
        let huge = [0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        assert!(skip(&huge, &mut at, 100).is_err());
        let mut at = 0;
        let map = [0xbf, 0x61, b'k', 0x82, 0x01, 0x02, 0xff, 0x07];
        skip(&map, &mut at, 100).unwrap();
        assert_eq!(at, 7);
    }
}
