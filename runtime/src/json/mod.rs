//! JSON for the restJson1 protocol: a writer the generated serializers call, typed readers the
//! generated deserializers call, and base64 for blobs.

pub mod base64;
mod pull;
pub mod read;
pub mod write;

pub use read::DeserializeError;
pub use serde_json::Value;
pub use write::{object_body, JsonArray, JsonObject, JsonValue};
