//! The Rust view of the IR: names, types and doc comments.

pub mod collisions;
pub mod docs;
pub mod names;
pub mod types;
