//! The CBOR writer: maps and arrays of indefinite length (closed by `finish`), definite
//! strings and byte strings, integers in their shortest form, floats as doubles, timestamps as
//! tag 1 over epoch seconds.

use minicbor::Encoder;

use crate::{Blob, DateTime, DateTimeFormat, Document, Number};

/// The CBOR "break" byte that closes an indefinite-length map or array.
const BREAK: u8 = 0xff;

/// Where one CBOR value goes.
pub struct CborValue<'a> {
    out: &'a mut Vec<u8>,
}

/// A map being written; call [`CborObject::finish`] at the end.
pub struct CborObject<'a> {
    out: &'a mut Vec<u8>,
}

/// An array being written; call [`CborArray::finish`] at the end.
pub struct CborArray<'a> {
    out: &'a mut Vec<u8>,
}

/// Runs `write` on an encoder over `out`; writing to a `Vec` cannot fail.
fn encode(
    out: &mut Vec<u8>,
    write: impl FnOnce(
        &mut Encoder<&mut Vec<u8>>,
    ) -> Result<(), minicbor::encode::Error<std::convert::Infallible>>,
) {
    let mut encoder = Encoder::new(out);
    let _ = write(&mut encoder);
}

impl<'a> CborValue<'a> {
    /// The value at the start of `out` (a whole body).
    pub fn new(out: &'a mut Vec<u8>) -> Self {
        Self { out }
    }

    /// A text string.
    pub fn string(self, text: &str) {
        encode(self.out, |e| e.str(text).map(drop));
    }

    /// `true` or `false`.
    pub fn boolean(self, value: bool) {
        encode(self.out, |e| e.bool(value).map(drop));
    }

    /// An integer.
    pub fn integer(self, value: i64) {
        encode(self.out, |e| e.i64(value).map(drop));
    }

    /// A float, as a double (NaN and infinities included).
    pub fn float(self, value: f64) {
        encode(self.out, |e| e.f64(value).map(drop));
    }

    /// A timestamp: tag 1 over epoch seconds (the format is JSON's; CBOR has one).
    pub fn timestamp(self, value: &DateTime, _format: DateTimeFormat) {
        encode(self.out, |e| {
            e.tag(minicbor::data::Tag::new(1))?;
            if value.subsec_nanos() == 0 {
                e.i64(value.secs()).map(drop)
            } else {
                e.f64(value.as_secs_f64()).map(drop)
            }
        });
    }

    /// A blob, as a byte string.
    pub fn blob(self, value: &Blob) {
        encode(self.out, |e| e.bytes(value.as_bytes()).map(drop));
    }

    /// A document, as the CBOR of its values.
    pub fn document(self, value: &Document) {
        match value {
            Document::Null => self.null(),
            Document::Bool(flag) => self.boolean(*flag),
            Document::Number(Number::PosInt(number)) => {
                encode(self.out, |e| e.u64(*number).map(drop))
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

    /// A number given as its decimal text (big integers and decimals): an integer when it
    /// fits 64 bits, else a double (CBOR's bignum tags are not written).
    pub fn raw_number(self, text: &str) {
        if let Ok(number) = text.parse::<i64>() {
            return self.integer(number);
        }
        if let Ok(number) = text.parse::<u64>() {
            return encode(self.out, |e| e.u64(number).map(drop));
        }
        self.float(text.parse::<f64>().unwrap_or(f64::NAN));
    }

    /// `null`.
    pub fn null(self) {
        encode(self.out, |e| e.null().map(drop));
    }

    /// Starts a map.
    pub fn object(self) -> CborObject<'a> {
        encode(self.out, |e| e.begin_map().map(drop));
        CborObject { out: self.out }
    }

    /// Starts an array.
    pub fn array(self) -> CborArray<'a> {
        encode(self.out, |e| e.begin_array().map(drop));
        CborArray { out: self.out }
    }
}

impl CborObject<'_> {
    /// The value of `key`, written next.
    pub fn key(&mut self, key: &str) -> CborValue<'_> {
        encode(self.out, |e| e.str(key).map(drop));
        CborValue { out: self.out }
    }

    /// Closes the map.
    pub fn finish(self) {
        self.out.push(BREAK);
    }
}

impl CborArray<'_> {
    /// The next element.
    pub fn value(&mut self) -> CborValue<'_> {
        CborValue { out: self.out }
    }

    /// Closes the array.
    pub fn finish(self) {
        self.out.push(BREAK);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_indefinite_maps_and_tagged_timestamps() {
        let mut out = Vec::new();
        let mut object = CborValue::new(&mut out).object();
        object.key("a").integer(-2);
        object
            .key("t")
            .timestamp(&DateTime::from_secs(1), DateTimeFormat::EpochSeconds);
        let mut list = object.key("l").array();
        list.value().boolean(true);
        list.value().blob(&Blob::new(b"x".to_vec()));
        list.finish();
        object.finish();
        assert_eq!(
            out,
            [
                0xbf, 0x61, b'a', 0x21, 0x61, b't', 0xc1, 0x01, 0x61, b'l', 0x9f, 0xf5, 0x41, b'x',
                0xff, 0xff
            ]
        );
    }
}
