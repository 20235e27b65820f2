//! CBOR bodies (Smithy RPC v2 CBOR) on `minicbor`: a writer with the JSON writer's methods, so
//! generated serializers are the same code over another type, and a reader that converts a
//! CBOR body to the JSON data model the generated readers already read (byte strings become
//! base64 text, tag-1 timestamps epoch seconds, non-finite floats the strings restJson1 uses).

pub mod read;
mod write;

pub use write::{CborArray, CborObject, CborValue};
