//! XML for the awsQuery, ec2Query and restXml protocols: a bounded parser into a small element
//! tree ([`parse`]) and typed readers over it that name the element path in errors ([`read`]).
//! Built with the `xml` feature.

pub mod read;
mod tree;

pub use tree::{parse, Element, MAX_DEPTH};
