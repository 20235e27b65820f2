//! Waiters (`smithy.waiters#waitable` on operations): acceptors with their matchers, paths
//! parsed as JMESPath ([`jmespath`], read by [`read()`]), then checked against the shapes
//! ([`check()`]) into typed [`paths`]; delays in seconds with the spec's defaults.

mod check;
pub mod jmespath;
pub mod paths;
mod read;
mod values;

pub use check::check;
pub use read::read;

use jmespath::Expr;
use paths::Test;

/// One waiter of an operation; its path matchers are `P`: parsed, then checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiter<P = PathTest> {
    /// The waiter name, e.g. `TableExists`.
    pub name: String,
    /// Documentation.
    pub docs: Option<String>,
    /// Seconds before the first retry (2 unless the model says).
    pub min_delay: u64,
    /// The longest wait between attempts, in seconds (120 unless the model says).
    pub max_delay: u64,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// The acceptors, in order: the first that matches decides.
    pub acceptors: Vec<Acceptor<P>>,
}

/// What an acceptor decides when it matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// The wait is over.
    Success,
    /// The wait failed.
    Failure,
    /// Try again.
    Retry,
}

/// An acceptor: a state and when it applies.
#[derive(Clone, Debug, PartialEq)]
pub struct Acceptor<P = PathTest> {
    /// What it decides.
    pub state: State,
    /// When it matches.
    pub matcher: Matcher<P>,
}

/// When an acceptor matches.
#[derive(Clone, Debug, PartialEq)]
pub enum Matcher<P = PathTest> {
    /// A path into the output (`output`) or into `{input, output}` (`inputOutput`).
    Path(P),
    /// `success: true` (any output) or `false` (any error).
    Success(bool),
    /// An error with this code.
    ErrorType(String),
}

/// A path matcher as the model writes it.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedPath {
    /// True for `inputOutput`.
    pub with_input: bool,
    /// The parsed path.
    pub path: Expr,
    /// The path as written (for errors).
    pub text: String,
    /// The value compared with.
    pub expected: String,
    /// How it is compared.
    pub comparator: Comparator,
}

/// A path matcher checked against the shapes.
#[derive(Clone, Debug, PartialEq)]
pub struct PathTest {
    /// True for `inputOutput`: the input is read too.
    pub with_input: bool,
    /// The test, every step typed.
    pub test: Test,
}

impl Waiter<ParsedPath> {
    /// The waiter with each path matcher checked by `check`; the error names the path.
    pub fn check(
        self,
        mut check: impl FnMut(&ParsedPath) -> Result<PathTest, String>,
    ) -> Result<Waiter, String> {
        let acceptors = self
            .acceptors
            .into_iter()
            .map(|acceptor| {
                let matcher = match acceptor.matcher {
                    Matcher::Path(path) => Matcher::Path(
                        check(&path).map_err(|why| format!("path `{}`: {why}", path.text))?,
                    ),
                    Matcher::Success(success) => Matcher::Success(success),
                    Matcher::ErrorType(code) => Matcher::ErrorType(code),
                };
                Ok(Acceptor {
                    state: acceptor.state,
                    matcher,
                })
            })
            .collect::<Result<_, String>>()
            .map_err(|why| format!("waiter `{}`: {why}", self.name))?;
        Ok(Waiter {
            name: self.name,
            docs: self.docs,
            min_delay: self.min_delay,
            max_delay: self.max_delay,
            deprecated: self.deprecated,
            acceptors,
        })
    }
}

/// How a path's result is compared with the expected value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparator {
    /// The result is this string.
    StringEquals,
    /// The result is this boolean.
    BooleanEquals,
    /// Every element of the (non-empty) result is this string.
    AllStringEquals,
    /// Some element of the result is this string.
    AnyStringEquals,
}
