//! The `application/vnd.amazon.eventstream` message framing (event-stream operations such as
//! Bedrock's `ConverseStream`): messages of typed headers and a payload, each with a prelude
//! CRC and a message CRC; an incremental decoder that takes the bytes as they arrive, split
//! anywhere, and an encoder; [`EventStream`], the typed events of an operation's input or
//! output, received as they arrive or sent signed in a chain.

mod decode;
mod encode;
pub mod headers;
mod message;
mod signing;
mod stream;

pub use decode::{Decoder, EventStreamError};
pub use message::{Header, HeaderValue, Message};
pub use stream::{EventStream, ReadEvent, ReceiveError, WriteEvent};

/// The largest message accepted or written (the service limit: 16 MiB).
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;

/// The largest headers section of a message (128 KiB).
pub const MAX_HEADERS_BYTES: usize = 128 * 1024;

/// Prelude (total length, headers length, prelude CRC) plus the message CRC.
const FRAME_OVERHEAD: usize = 16;

/// CRC-32 (ISO-HDLC), the checksum of preludes and messages.
fn crc32(bytes: &[u8]) -> u32 {
    crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC).checksum(bytes)
}
