//! CBOR bodies (Smithy RPC v2 CBOR): a writer on `minicbor` with the JSON writer's methods, so
//! generated serializers are the same code over another type, and readers that see a CBOR body
//! in the JSON data model the generated readers read (byte strings become base64 text, tag-1
//! timestamps epoch seconds, non-finite floats the strings restJson1 uses): item by item for
//! the pull reader, or decoded whole into a `serde_json::Value` (error codes, protocol tests).
//! The item reader needs no feature (it is small); the writer and the whole-body decoder come
//! with the `cbor` feature.

pub(crate) mod pull;
#[cfg(feature = "cbor")]
pub mod read;
#[cfg(feature = "cbor")]
mod write;

#[cfg(feature = "cbor")]
pub use write::{CborArray, CborObject, CborValue};
