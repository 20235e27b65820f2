//! XML for the awsQuery, ec2Query and restXml protocols: a bounded pull [`read::Reader`] that
//! response readers walk straight into typed values ([`read`]), a writer of request bodies
//! ([`XmlWriter`]), and a parsed element tree ([`parse`]) for comparing bodies in protocol
//! tests. Built with the `xml` feature.

mod pull;
pub mod read;
mod syntax;
mod tree;
mod write;

pub use syntax::MAX_DEPTH;
pub use tree::{parse, Element};
pub use write::{ElementWriter, XmlWriter};
