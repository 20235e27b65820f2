//! Hand-written, service-agnostic runtime that generated Smithy clients stand on. Its modules,
//! by concern:
//!
//! | concern | modules |
//! |---|---|
//! | the types shapes map to | [`DateTime`], [`Blob`], [`Document`], [`BigInteger`], [`BigDecimal`], [`ByteStream`], [`UnknownValue`], [`BuildError`] (re-exported here), [`constraint`] (client-side checks), [`typestate`] (builders' required members) |
//! | body formats | [`json`], [`cbor`], `xml` (feature `xml`), [`query`], [`deserialize`] (what their readers share), `event_stream` (feature `event-stream`) |
//! | configuration and identity | [`config`], [`env`](mod@env), [`profile`], [`credentials`], [`file`](mod@file) |
//! | signing and integrity | [`sigv4`], [`checksum`], [`glacier`] (tree hashes) |
//! | endpoints | [`endpoint`] (the rules' standard library, partitions) |
//! | the call | [`operation`] (endpoint, signing, retries, timeouts, checksums, compression, streaming, presigning, metrics), [`transport`] (HTTP client, TLS, proxies), [`paginator`], [`waiter`], [`blocking`] |
//! | test doubles | `mock` (feature `test-util`), `protocol_test` (feature `protocol-test`) |

pub mod blocking;
pub mod cbor;
pub mod checksum;
pub mod config;
pub mod constraint;
pub mod credentials;
pub mod deserialize;
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
mod primitives;
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
pub mod waiter;
#[cfg(feature = "xml")]
pub mod xml;

pub use primitives::{
    uuid_v4, BigDecimal, BigInteger, BigNumberError, Blob, BuildError, ByteStream, DateTime,
    DateTimeFormat, DateTimeParseError, Document, Number, UnknownValue,
};

pub use bytes;
pub use futures_util::stream::{Stream, StreamExt};
pub use http;

/// The text that `Debug` prints in place of a `@sensitive` value.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";
