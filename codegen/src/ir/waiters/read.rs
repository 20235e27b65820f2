//! Reads the `smithy.waiters#waitable` trait of an operation into its waiters, paths parsed.

use serde_json::Value;

use super::jmespath;
use super::{Acceptor, Comparator, Matcher, ParsedPath, State, Waiter};

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
