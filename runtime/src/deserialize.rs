//! What every protocol's response readers share: the error that names where a body went
//! wrong, and the lazily formatted path it names.

use std::fmt;

/// A response body that does not have the shape the model says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeserializeError {
    path: String,
    message: String,
}

impl DeserializeError {
    /// An error at `path` (e.g. `GetRoomOutput.createTime`).
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for DeserializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for DeserializeError {}

/// Where a value sits in a response; formatted only when an error names it, so reading does
/// not build a path string for every field.
#[derive(Clone, Copy, Debug)]
pub enum Path<'a> {
    /// The shape being read, e.g. `GetRoomOutput`.
    Root(&'a str),
    /// A member of the value at the parent path.
    Member(&'a Path<'a>, &'a str),
    /// An element of a list.
    Index(&'a Path<'a>, usize),
    /// An entry of a map.
    Key(&'a Path<'a>, &'a str),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root(name) => f.write_str(name),
            Path::Member(parent, member) => write!(f, "{parent}.{member}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
            Path::Key(parent, key) => write!(f, "{parent}[{key}]"),
        }
    }
}

/// A number as written (in JSON, or in CBOR read in the JSON data model): an integer when it has no fraction or exponent and fits, else a float.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum JsonNumber {
    /// A non-negative integer.
    Positive(u64),
    /// A negative integer.
    Negative(i64),
    /// Any other number.
    Float(f64),
}
