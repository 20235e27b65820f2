//! The types Smithy's shapes map to ([`DateTime`], [`Blob`], [`Document`], the big numbers,
//! [`ByteStream`]), the unknown value of open enums and unions, the error of builders and the
//! UUIDs of idempotency tokens; the crate root re-exports each.

mod big_number;
mod blob;
mod build_error;
mod byte_stream;
mod datetime;
mod document;
mod unknown;
mod uuid;

pub use big_number::{BigDecimal, BigInteger, BigNumberError};
pub use blob::Blob;
pub use build_error::BuildError;
pub use byte_stream::ByteStream;
pub use datetime::{DateTime, DateTimeFormat, DateTimeParseError};
pub use document::{Document, Number};
pub use unknown::UnknownValue;
pub use uuid::uuid_v4;
