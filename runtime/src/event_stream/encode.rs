//! Writing a message: prelude, headers, payload, CRCs.

use super::{
    crc32, EventStreamError, HeaderValue, Message, FRAME_OVERHEAD, MAX_HEADERS_BYTES,
    MAX_MESSAGE_BYTES,
};

impl Message {
    /// The message's bytes; a header name over 255 bytes, a string or byte-array value over
    /// 65,535 bytes, or a message over the size limits is an error naming it.
    pub fn encode(&self) -> Result<Vec<u8>, EventStreamError> {
        let headers = self.encode_headers()?;
        let total = FRAME_OVERHEAD + headers.len() + self.payload.len();
        if total > MAX_MESSAGE_BYTES {
            return Err(EventStreamError::new(format!(
                "the message takes {total} bytes, more than {MAX_MESSAGE_BYTES}"
            )));
        }
        let mut out = Vec::with_capacity(total);
        out.extend_from_slice(&(total as u32).to_be_bytes());
        out.extend_from_slice(&(headers.len() as u32).to_be_bytes());
        let prelude_crc = crc32(&out);
        out.extend_from_slice(&prelude_crc.to_be_bytes());
        out.extend_from_slice(&headers);
        out.extend_from_slice(&self.payload);
        let message_crc = crc32(&out);
        out.extend_from_slice(&message_crc.to_be_bytes());
        Ok(out)
    }

    /// The headers section's bytes (what an event signature covers of a signed message).
    pub(super) fn encode_headers(&self) -> Result<Vec<u8>, EventStreamError> {
        let mut headers = Vec::new();
        for header in &self.headers {
            let name = header.name.as_bytes();
            let length = u8::try_from(name.len()).map_err(|_| {
                EventStreamError::new(format!(
                    "the header name `{}` is longer than 255 bytes",
                    header.name
                ))
            })?;
            headers.push(length);
            headers.extend_from_slice(name);
            write_value(&mut headers, &header.name, &header.value)?;
        }
        if headers.len() > MAX_HEADERS_BYTES {
            return Err(EventStreamError::new(format!(
                "the headers take {} bytes, more than {MAX_HEADERS_BYTES}",
                headers.len()
            )));
        }
        Ok(headers)
    }
}

fn write_value(out: &mut Vec<u8>, name: &str, value: &HeaderValue) -> Result<(), EventStreamError> {
    let with_length = |out: &mut Vec<u8>, kind: u8, bytes: &[u8]| {
        let length = u16::try_from(bytes.len()).map_err(|_| {
            EventStreamError::new(format!(
                "the value of header `{name}` is longer than 65,535 bytes"
            ))
        })?;
        out.push(kind);
        out.extend_from_slice(&length.to_be_bytes());
        out.extend_from_slice(bytes);
        Ok(())
    };
    match value {
        HeaderValue::Bool(true) => out.push(0),
        HeaderValue::Bool(false) => out.push(1),
        HeaderValue::Byte(value) => {
            out.push(2);
            out.extend_from_slice(&value.to_be_bytes());
        }
        HeaderValue::Short(value) => {
            out.push(3);
            out.extend_from_slice(&value.to_be_bytes());
        }
        HeaderValue::Int(value) => {
            out.push(4);
            out.extend_from_slice(&value.to_be_bytes());
        }
        HeaderValue::Long(value) => {
            out.push(5);
            out.extend_from_slice(&value.to_be_bytes());
        }
        HeaderValue::Bytes(bytes) => with_length(out, 6, bytes)?,
        HeaderValue::String(text) => with_length(out, 7, text.as_bytes())?,
        HeaderValue::Timestamp(millis) => {
            out.push(8);
            out.extend_from_slice(&millis.to_be_bytes());
        }
        HeaderValue::Uuid(bytes) => {
            out.push(9);
            out.extend_from_slice(bytes);
        }
    }
    Ok(())
}
