//! The Smithy IDL 2.0 (and 1.0) reader: text to tokens ([`lexer`]), tokens to a file's
//! statements ([`parser`]), statements to JSON AST shapes ([`resolve`]) once every file of the
//! model is known, so that relative ids resolve across files.

mod ast;
mod lexer;
mod parser;
mod resolve;
mod text;

pub(crate) use ast::IdlFile;
pub(crate) use resolve::{resolve, Elided};

use crate::error::Error;

/// A line and column (both from 1) in an IDL file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Position {
    /// The line.
    pub line: usize,
    /// The column, in characters.
    pub column: usize,
}

/// The IDL versions this reader accepts.
const SUPPORTED_VERSIONS: &[&str] = &["1", "1.0", "2", "2.0"];

/// The largest IDL file read, in bytes.
pub(crate) const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// An error at `at` in `file`.
pub(crate) fn error_at(file: &str, at: Position, message: impl Into<String>) -> Error {
    Error {
        file: file.to_owned(),
        json_path: format!("line {}, column {}", at.line, at.column),
        shape: None,
        message: message.into(),
    }
}

/// Parses one IDL file.
pub(crate) fn parse(file: &str, text: &str) -> Result<IdlFile, Error> {
    if text.len() > MAX_FILE_BYTES {
        return Err(error_at(
            file,
            Position::default(),
            format!("the file is larger than {MAX_FILE_BYTES} bytes"),
        ));
    }
    let tokens = lexer::tokenize(text).map_err(|(at, message)| error_at(file, at, message))?;
    let end = end_of(text);
    let idl = parser::parse(tokens, end).map_err(|(at, message)| error_at(file, at, message))?;
    if let Some(version) = &idl.version {
        if !SUPPORTED_VERSIONS.contains(&version.as_str()) {
            return Err(error_at(
                file,
                Position { line: 1, column: 1 },
                format!("unsupported IDL version `{version}` (this reader takes 1.0 and 2.0)"),
            ));
        }
    }
    Ok(idl)
}

/// The absolute ids of the shapes a parsed file defines.
pub(crate) fn defined_ids(idl: &IdlFile) -> Vec<String> {
    let Some(namespace) = &idl.namespace else {
        return Vec::new();
    };
    idl.statements
        .iter()
        .filter_map(|statement| match statement {
            ast::Statement::Shape(shape) => Some(format!("{namespace}#{}", shape.name)),
            ast::Statement::Apply { .. } => None,
        })
        .collect()
}

fn end_of(text: &str) -> Position {
    let line = text.matches('\n').count() + 1;
    let column = text
        .rsplit('\n')
        .next()
        .map_or(0, |last| last.chars().count())
        + 1;
    Position { line, column }
}

/// The error for an elided member whose target no resource or mixin gives.
pub(crate) fn error_at_member(file: &str, member: &Elided) -> Error {
    let mut error = error_at(
        file,
        member.at,
        format!(
            "`${}` names no identifier or property of the shape's resource and no member of its mixins",
            member.member
        ),
    );
    error.shape = Some(member.shape.clone());
    error
}
