//! Waiters (`smithy.waiters#waitable` on operations): acceptors with their matchers, paths
//! parsed as JMESPath (then checked against the shapes by [`super::waiter_paths`]), delays in
//! seconds with the spec's defaults.

use serde_json::Value;

use super::jmespath::{self, Expr};
use super::waiter_paths::Test;

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

/// The waiters the operation's `smithy.waiters#waitable` trait declares; a waiter the
/// generator cannot compile is an error naming it and its expression.
pub fn read(trait_value: Option<&Value>) -> Result<Vec<Waiter<ParsedPath>>, String> {
    let Some(waiters) = trait_value.and_then(Value::as_object) else {
        return Ok(Vec::new());
    };
    waiters
        .iter()
        .map(|(name, body)| waiter(name, body).map_err(|why| format!("waiter `{name}`: {why}")))
        .collect()
}

fn waiter(name: &str, body: &Value) -> Result<Waiter<ParsedPath>, String> {
    let seconds = |field: &str, default: u64| match body.get(field) {
        None => Ok(default),
        Some(value) => value
            .as_u64()
            .filter(|seconds| *seconds >= 1)
            .ok_or_else(|| format!("`{field}` must be a whole number of seconds, at least 1")),
    };
    let (min_delay, max_delay) = (seconds("minDelay", 2)?, seconds("maxDelay", 120)?);
    if min_delay > max_delay {
        return Err(format!("minDelay {min_delay} exceeds maxDelay {max_delay}"));
    }
    let acceptors = body
        .get("acceptors")
        .and_then(Value::as_array)
        .filter(|acceptors| !acceptors.is_empty())
        .ok_or("it has no acceptors")?
        .iter()
        .map(acceptor)
        .collect::<Result<_, _>>()?;
    Ok(Waiter {
        name: name.to_owned(),
        docs: body
            .get("documentation")
            .and_then(Value::as_str)
            .map(str::to_owned),
        min_delay,
        max_delay,
        deprecated: body
            .get("deprecated")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        acceptors,
    })
}

fn acceptor(body: &Value) -> Result<Acceptor<ParsedPath>, String> {
    let state = match body.get("state").and_then(Value::as_str) {
        Some("success") => State::Success,
        Some("failure") => State::Failure,
        Some("retry") => State::Retry,
        other => return Err(format!("unknown acceptor state {other:?}")),
    };
    let matcher = body
        .get("matcher")
        .and_then(Value::as_object)
        .ok_or("an acceptor has no matcher")?;
    let matcher = match matcher.iter().next() {
        Some((kind, value)) if kind == "output" || kind == "inputOutput" => {
            let text = value
                .get("path")
                .and_then(Value::as_str)
                .ok_or("a path matcher has no path")?;
            let path = jmespath::parse(text).map_err(|why| format!("path `{text}`: {why}"))?;
            let expected = value
                .get("expected")
                .and_then(Value::as_str)
                .ok_or("a path matcher has no expected value")?;
            let comparator = match value.get("comparator").and_then(Value::as_str) {
                Some("stringEquals") => Comparator::StringEquals,
                Some("booleanEquals") => Comparator::BooleanEquals,
                Some("allStringEquals") => Comparator::AllStringEquals,
                Some("anyStringEquals") => Comparator::AnyStringEquals,
                other => return Err(format!("unknown comparator {other:?}")),
            };
            Matcher::Path(ParsedPath {
                with_input: kind == "inputOutput",
                path,
                text: text.to_owned(),
                expected: expected.to_owned(),
                comparator,
            })
        }
        Some((kind, value)) if kind == "success" => {
            Matcher::Success(value.as_bool().ok_or("`success` must be a boolean")?)
        }
        Some((kind, value)) if kind == "errorType" => {
            let code = value.as_str().ok_or("`errorType` must be a string")?;
            Matcher::ErrorType(
                code.rsplit_once('#')
                    .map_or(code, |(_, name)| name)
                    .to_owned(),
            )
        }
        other => return Err(format!("unknown matcher {:?}", other.map(|(kind, _)| kind))),
    };
    Ok(Acceptor { state, matcher })
}
