//! Reading messages from bytes that arrive in pieces: the decoder buffers at most one message
//! (bounded by the size limit) and checks both CRCs before handing it over.

use bytes::{Buf, Bytes, BytesMut};

use super::{
    crc32, Header, HeaderValue, Message, FRAME_OVERHEAD, MAX_HEADERS_BYTES, MAX_MESSAGE_BYTES,
};

/// A stream that is not valid event-stream framing, or a message that cannot be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventStreamError {
    message: String,
}

impl EventStreamError {
    /// An error saying `message` (generated event writers use it too).
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl std::fmt::Display for EventStreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "event stream: {}", self.message)
    }
}

impl std::error::Error for EventStreamError {}

/// Turns the bytes of a stream, split anywhere, into messages.
#[derive(Debug, Default)]
pub struct Decoder {
    buffer: BytesMut,
}

impl Decoder {
    /// A decoder with nothing buffered.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds bytes as they arrive.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// True when bytes of an unfinished message are buffered (the stream ended mid-message
    /// if it ends now).
    pub fn has_partial(&self) -> bool {
        !self.buffer.is_empty()
    }

    /// The next whole message, `None` until enough bytes have arrived; a bad prelude or CRC is
    /// an error (the stream cannot be resynchronised after one).
    pub fn next_message(&mut self) -> Result<Option<Message>, EventStreamError> {
        if self.buffer.len() < 12 {
            return Ok(None);
        }
        let total = u32::from_be_bytes(self.buffer[0..4].try_into().expect("four bytes")) as usize;
        let headers_length =
            u32::from_be_bytes(self.buffer[4..8].try_into().expect("four bytes")) as usize;
        let prelude_crc = u32::from_be_bytes(self.buffer[8..12].try_into().expect("four bytes"));
        if crc32(&self.buffer[0..8]) != prelude_crc {
            return Err(EventStreamError::new("the prelude CRC does not match"));
        }
        if !(FRAME_OVERHEAD..=MAX_MESSAGE_BYTES).contains(&total) {
            return Err(EventStreamError::new(format!(
                "a message of {total} bytes (at least 16, at most {MAX_MESSAGE_BYTES})"
            )));
        }
        if headers_length > MAX_HEADERS_BYTES || headers_length > total - FRAME_OVERHEAD {
            return Err(EventStreamError::new(format!(
                "{headers_length} bytes of headers in a message of {total}"
            )));
        }
        if self.buffer.len() < total {
            return Ok(None);
        }
        let frame = self.buffer.split_to(total).freeze();
        let message_crc = u32::from_be_bytes(frame[total - 4..].try_into().expect("four bytes"));
        if crc32(&frame[..total - 4]) != message_crc {
            return Err(EventStreamError::new("the message CRC does not match"));
        }
        let headers = read_headers(frame.slice(12..12 + headers_length))?;
        let payload = frame.slice(12 + headers_length..total - 4);
        Ok(Some(Message { headers, payload }))
    }
}

/// A message's headers: each a name (1 to 255 bytes of UTF-8), a type byte and a value.
fn read_headers(mut bytes: Bytes) -> Result<Vec<Header>, EventStreamError> {
    let mut headers = Vec::new();
    while bytes.has_remaining() {
        let name_length = usize::from(bytes.get_u8());
        if name_length == 0 {
            return Err(EventStreamError::new("a header has an empty name"));
        }
        if bytes.remaining() < name_length + 1 {
            return Err(cut_short());
        }
        let name = String::from_utf8(bytes.split_to(name_length).to_vec())
            .map_err(|_| EventStreamError::new("a header name is not UTF-8"))?;
        let kind = bytes.get_u8();
        let value = read_value(&mut bytes, kind, &name)?;
        headers.push(Header { name, value });
    }
    Ok(headers)
}

fn cut_short() -> EventStreamError {
    EventStreamError::new("a header is cut short")
}

/// Fails unless `bytes` holds at least `size` more bytes.
fn need(bytes: &Bytes, size: usize) -> Result<(), EventStreamError> {
    match bytes.remaining() < size {
        true => Err(cut_short()),
        false => Ok(()),
    }
}

/// The value of type `kind` of the header `name`, read from `bytes`.
fn read_value(bytes: &mut Bytes, kind: u8, name: &str) -> Result<HeaderValue, EventStreamError> {
    Ok(match kind {
        0 => HeaderValue::Bool(true),
        1 => HeaderValue::Bool(false),
        2 => {
            need(bytes, 1)?;
            HeaderValue::Byte(bytes.get_i8())
        }
        3 => {
            need(bytes, 2)?;
            HeaderValue::Short(bytes.get_i16())
        }
        4 => {
            need(bytes, 4)?;
            HeaderValue::Int(bytes.get_i32())
        }
        5 | 8 => {
            need(bytes, 8)?;
            let value = bytes.get_i64();
            match kind {
                5 => HeaderValue::Long(value),
                _ => HeaderValue::Timestamp(value),
            }
        }
        6 | 7 => {
            need(bytes, 2)?;
            let length = usize::from(bytes.get_u16());
            need(bytes, length)?;
            let value = bytes.split_to(length);
            if kind == 6 {
                return Ok(HeaderValue::Bytes(value));
            }
            HeaderValue::String(String::from_utf8(value.to_vec()).map_err(|_| {
                EventStreamError::new(format!("the value of header `{name}` is not UTF-8"))
            })?)
        }
        9 => {
            need(bytes, 16)?;
            let mut uuid = [0; 16];
            bytes.copy_to_slice(&mut uuid);
            HeaderValue::Uuid(uuid)
        }
        other => {
            return Err(EventStreamError::new(format!(
                "header `{name}` has the unknown type {other}"
            )))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The empty message of the AWS event-stream test vectors: no headers, no payload.
    const EMPTY: [u8; 16] = [
        0, 0, 0, 0x10, 0, 0, 0, 0, 0x05, 0xc2, 0x48, 0xeb, 0x7d, 0x98, 0xc8, 0xff,
    ];

    fn sample() -> Message {
        Message::new(&b"{\"foo\":\"bar\"}"[..])
            .with_header(":message-type", HeaderValue::String("event".into()))
            .with_header(":event-type", HeaderValue::String("chunk".into()))
            .with_header("flag", HeaderValue::Bool(false))
            .with_header("b", HeaderValue::Byte(-3))
            .with_header("s", HeaderValue::Short(-300))
            .with_header("i", HeaderValue::Int(70_000))
            .with_header("l", HeaderValue::Long(-5_000_000_000))
            .with_header("bytes", HeaderValue::Bytes(Bytes::from_static(b"\x00\xff")))
            .with_header(":date", HeaderValue::Timestamp(1_700_000_000_000))
            .with_header("id", HeaderValue::Uuid([7; 16]))
    }

    #[test]
    fn the_empty_message_matches_the_reference_bytes() {
        assert_eq!(Message::default().encode().unwrap(), EMPTY);
        let mut decoder = Decoder::new();
        decoder.push(&EMPTY);
        assert_eq!(decoder.next_message().unwrap(), Some(Message::default()));
        assert!(!decoder.has_partial());
    }

    #[test]
    fn messages_split_anywhere_decode_alike() {
        let mut stream = sample().encode().unwrap();
        stream.extend(Message::new(&b"second"[..]).encode().unwrap());
        for chunk in [1, 3, 7, 64] {
            let mut decoder = Decoder::new();
            let mut messages = Vec::new();
            for piece in stream.chunks(chunk) {
                decoder.push(piece);
                while let Some(message) = decoder.next_message().unwrap() {
                    messages.push(message);
                }
            }
            assert_eq!(
                messages,
                [sample(), Message::new(&b"second"[..])],
                "chunks of {chunk}"
            );
            assert_eq!(messages[0].header_str(":event-type"), Some("chunk"));
        }
    }

    #[test]
    fn corrupt_or_oversized_frames_are_errors() {
        let good = sample().encode().unwrap();
        let decode = |bytes: &[u8]| {
            let mut decoder = Decoder::new();
            decoder.push(bytes);
            decoder.next_message()
        };
        let mut payload_flip = good.clone();
        let last_payload = good.len() - 5;
        payload_flip[last_payload] ^= 1;
        assert_eq!(
            decode(&payload_flip).unwrap_err().to_string(),
            "event stream: the message CRC does not match"
        );
        let mut prelude_flip = good.clone();
        prelude_flip[3] ^= 1;
        assert_eq!(
            decode(&prelude_flip).unwrap_err().to_string(),
            "event stream: the prelude CRC does not match"
        );
        let mut huge = Vec::new();
        huge.extend_from_slice(&(u32::MAX).to_be_bytes());
        huge.extend_from_slice(&0u32.to_be_bytes());
        let crc = crc32(&huge);
        huge.extend_from_slice(&crc.to_be_bytes());
        assert!(decode(&huge).unwrap_err().to_string().contains("at most"));
        assert_eq!(decode(&good[..20]).unwrap(), None);
        let long_name = Message::default().with_header("n".repeat(256), HeaderValue::Bool(true));
        assert!(long_name
            .encode()
            .unwrap_err()
            .to_string()
            .contains("longer than 255 bytes"));
    }
}
