//! Hand-written, service-agnostic runtime that generated Smithy clients stand on.
//!
//! This crate holds the primitive types that Smithy shapes map to ([`DateTime`], [`Blob`],
//! [`Document`], [`BigInteger`], [`BigDecimal`]) and the errors raised by generated builders
//! ([`BuildError`]) and client-side constraint checks ([`constraint`]), [`credentials`] and
//! request signing ([`sigv4`]).

mod big_number;
mod blob;
pub mod blocking;
mod build_error;
mod byte_stream;
pub mod cbor;
pub mod checksum;
pub mod config;
pub mod constraint;
pub mod credentials;
mod datetime;
pub mod deserialize;
mod document;
pub mod endpoint;
pub mod env;
#[cfg(feature = "event-stream")]
pub mod event_stream;
pub mod file;
pub mod glacier;
pub mod json;
#[cfg(feature = "test-util")]
pub mod mock;
pub mod operation;
pub mod paginator;
pub mod profile;
#[cfg(feature = "protocol-test")]
pub mod protocol_test;
pub mod query;
#[cfg(feature = "serde")]
mod serde_impls;
pub mod sigv4;
#[cfg(any(test, feature = "protocol-test", feature = "test-util"))]
mod test_runtime;
pub mod transport;
pub mod typestate;
mod unknown;
mod uuid;
pub mod waiter;
#[cfg(feature = "xml")]
pub mod xml;

pub use big_number::{BigDecimal, BigInteger, BigNumberError};
pub use blob::Blob;
pub use build_error::BuildError;
pub use byte_stream::ByteStream;
pub use datetime::{DateTime, DateTimeFormat, DateTimeParseError};
pub use document::{Document, Number};
pub use unknown::UnknownValue;
pub use uuid::uuid_v4;

pub use bytes;
pub use futures_util::stream::{Stream, StreamExt};
pub use http;

/// The text that `Debug` prints in place of a `@sensitive` value.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";
