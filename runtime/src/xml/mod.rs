//! XML for the awsQuery, ec2Query and restXml protocols: a bounded parser into a small element
//! tree ([`parse`]), typed readers over it that name the element path in errors ([`read`]), and
//! a writer of request bodies ([`XmlWriter`]). Built with the `xml` feature.

pub mod read;
mod tree;
mod write;

pub use tree::{parse, Element, MAX_DEPTH};
pub use write::{ElementWriter, XmlWriter};
