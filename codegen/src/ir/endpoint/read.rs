//! Reads the endpoint rule set and its tests from the service's trait values into typed
//! [`super::rules`].

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::rules::{
    BuiltIn, Condition, Expr, Outcome, ParamValue, Parameter, ParameterKind, Rule, RuleSet,
    TemplatePart, TestCase,
};
use crate::error::{json_type, Error, Location};

/// Reads the rule set and tests from the service's trait values.
pub(crate) fn read(
    rule_set: &Value,
    tests: Option<&Value>,
    at: &Location,
) -> Result<RuleSet, Error> {
    let at = at.field("traits").key("smithy.rules#endpointRuleSet");
    let object = as_object(rule_set, &at)?;
    let mut parameters = Vec::new();
    if let Some(entries) = object.get("parameters") {
        let params_at = at.field("parameters");
        for (name, body) in as_object(entries, &params_at)? {
            parameters.push(parameter(name, body, &params_at.field(name))?);
        }
    }
    let rules_at = at.field("rules");
    let rules = rules(object.get("rules").unwrap_or(&Value::Null), &rules_at)?;
    let tests = match tests {
        Some(tests) => test_cases(tests, &at)?,
        None => Vec::new(),
    };
    Ok(RuleSet {
        parameters,
        rules,
        tests,
    })
}

fn as_object<'v>(value: &'v Value, at: &Location) -> Result<&'v Map<String, Value>, Error> {
    value
        .as_object()
        .ok_or_else(|| at.error(format!("expected an object, found {}", json_type(value))))
}

fn as_array<'v>(value: &'v Value, at: &Location) -> Result<&'v [Value], Error> {
    value
        .as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| at.error(format!("expected an array, found {}", json_type(value))))
}

fn parameter(name: &str, body: &Value, at: &Location) -> Result<Parameter, Error> {
    let fields = as_object(body, at)?;
    let kind = match fields
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("string") => ParameterKind::String,
        Some("boolean") => ParameterKind::Boolean,
        Some("stringarray") => ParameterKind::StringArray,
        other => {
            return Err(at.field("type").error(format!(
            "parameter type {other:?} is not supported by this generator (String, Boolean and stringArray are)"
        )))
        }
    };
    Ok(Parameter {
        name: name.to_owned(),
        kind,
        built_in: fields
            .get("builtIn")
            .and_then(Value::as_str)
            .map(BuiltIn::named),
        required: fields
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        default: fields
            .get("default")
            .map(|value| {
                ParamValue::read(value, kind).ok_or_else(|| {
                    at.field("default").error(format!(
                        "parameter `{name}` has a default {value} that is not a {kind:?}"
                    ))
                })
            })
            .transpose()?,
        documentation: fields
            .get("documentation")
            .and_then(Value::as_str)
            .map(str::to_owned),
        used: false,
    })
}

fn rules(value: &Value, at: &Location) -> Result<Vec<Rule>, Error> {
    as_array(value, at)?
        .iter()
        .enumerate()
        .map(|(index, rule)| self::rule(rule, &at.index(index)))
        .collect()
}

fn rule(value: &Value, at: &Location) -> Result<Rule, Error> {
    let fields = as_object(value, at)?;
    let conditions_at = at.field("conditions");
    let conditions = match fields.get("conditions") {
        Some(list) => as_array(list, &conditions_at)?
            .iter()
            .enumerate()
            .map(|(index, condition)| self::condition(condition, &conditions_at.index(index)))
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let outcome = match fields.get("type").and_then(Value::as_str) {
        Some("endpoint") => endpoint(
            fields.get("endpoint").unwrap_or(&Value::Null),
            &at.field("endpoint"),
        )?,
        Some("error") => Outcome::Error(expr(
            fields.get("error").unwrap_or(&Value::Null),
            &at.field("error"),
        )?),
        Some("tree") => Outcome::Tree(rules(
            fields.get("rules").unwrap_or(&Value::Null),
            &at.field("rules"),
        )?),
        other => {
            return Err(at
                .field("type")
                .error(format!("unknown rule type {other:?}")))
        }
    };
    Ok(Rule {
        conditions,
        outcome,
    })
}

fn condition(value: &Value, at: &Location) -> Result<Condition, Error> {
    let call = expr(value, at)?;
    if !matches!(call, Expr::Call(..) | Expr::GetAttr(..)) {
        return Err(at.error("a condition must be a function call"));
    }
    Ok(Condition {
        call,
        assign: value
            .get("assign")
            .and_then(Value::as_str)
            .map(str::to_owned),
    })
}

fn endpoint(value: &Value, at: &Location) -> Result<Outcome, Error> {
    let fields = as_object(value, at)?;
    let url = expr(fields.get("url").unwrap_or(&Value::Null), &at.field("url"))?;
    let mut headers = BTreeMap::new();
    if let Some(entries) = fields.get("headers") {
        let headers_at = at.field("headers");
        for (name, values) in as_object(entries, &headers_at)? {
            let values_at = headers_at.field(name);
            let values = as_array(values, &values_at)?
                .iter()
                .enumerate()
                .map(|(index, value)| expr(value, &values_at.index(index)))
                .collect::<Result<_, _>>()?;
            headers.insert(name.clone(), values);
        }
    }
    let properties = match fields.get("properties") {
        Some(value) => match expr(value, &at.field("properties"))? {
            Expr::Object(entries) => entries,
            _ => {
                return Err(at
                    .field("properties")
                    .error("endpoint properties must be an object"))
            }
        },
        None => BTreeMap::new(),
    };
    Ok(Outcome::Endpoint {
        url,
        headers,
        properties,
    })
}

/// Reads an expression: literals, `{"ref": ...}`, `{"fn": ..., "argv": [...]}`, templates.
fn expr(value: &Value, at: &Location) -> Result<Expr, Error> {
    match value {
        Value::String(text) => template(text, at),
        Value::Bool(flag) => Ok(Expr::Bool(*flag)),
        Value::Number(number) => number
            .as_i64()
            .map(Expr::Int)
            .ok_or_else(|| at.error("only integer numbers are supported in rules")),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(index, item)| expr(item, &at.index(index)))
            .collect::<Result<_, _>>()
            .map(Expr::Array),
        Value::Object(fields) => {
            if let Some(name) = fields.get("ref").and_then(Value::as_str) {
                return Ok(Expr::Ref(name.to_owned()));
            }
            if let Some(function) = fields.get("fn").and_then(Value::as_str) {
                let argv_at = at.field("argv");
                let argv = as_array(fields.get("argv").unwrap_or(&Value::Null), &argv_at)?;
                if function == "getAttr" {
                    let [target, Value::String(path)] = argv else {
                        return Err(argv_at.error("getAttr takes a value and a path string"));
                    };
                    return Ok(Expr::GetAttr(
                        Box::new(expr(target, &argv_at.index(0))?),
                        path.clone(),
                    ));
                }
                let args = argv
                    .iter()
                    .enumerate()
                    .map(|(index, arg)| expr(arg, &argv_at.index(index)))
                    .collect::<Result<_, _>>()?;
                return Ok(Expr::Call(function.to_owned(), args));
            }
            fields
                .iter()
                .map(|(key, item)| Ok((key.clone(), expr(item, &at.field(key))?)))
                .collect::<Result<_, _>>()
                .map(Expr::Object)
        }
        Value::Null => Err(at.error("expected an expression, found null")),
    }
}

/// A string with `{Name}` / `{Name#path}` references (`{{` and `}}` escape braces).
fn template(text: &str, at: &Location) -> Result<Expr, Error> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let reference: String = chars.by_ref().take_while(|&c| c != '}').collect();
                if !literal.is_empty() {
                    parts.push(TemplatePart::Literal(std::mem::take(&mut literal)));
                }
                let value = match reference.split_once('#') {
                    Some((name, path)) => {
                        Expr::GetAttr(Box::new(Expr::Ref(name.to_owned())), path.to_owned())
                    }
                    None if reference.is_empty() => {
                        return Err(at.error(format!("empty reference in template `{text}`")))
                    }
                    None => Expr::Ref(reference),
                };
                parts.push(TemplatePart::Value(value));
            }
            other => literal.push(other),
        }
    }
    if !literal.is_empty() || parts.is_empty() {
        parts.push(TemplatePart::Literal(literal));
    }
    Ok(Expr::Template(parts))
}

fn test_cases(value: &Value, at: &Location) -> Result<Vec<TestCase>, Error> {
    let at = at.field("smithy.rules#endpointTests").field("testCases");
    let cases = value.get("testCases").unwrap_or(&Value::Null);
    as_array(cases, &at)?
        .iter()
        .enumerate()
        .map(|(index, case)| {
            let case_at = at.index(index);
            let fields = as_object(case, &case_at)?;
            let expect = fields
                .get("expect")
                .and_then(Value::as_object)
                .ok_or_else(|| case_at.error("`expect` is missing"))?;
            let expect = match (
                expect.get("endpoint"),
                expect.get("error").and_then(Value::as_str),
            ) {
                (Some(endpoint), _) => Ok(endpoint.clone()),
                (None, Some(message)) => Err(message.to_owned()),
                (None, None) => {
                    return Err(case_at.error("`expect` has neither endpoint nor error"))
                }
            };
            let params = fields
                .get("params")
                .and_then(Value::as_object)
                .map(|entries| {
                    entries
                        .iter()
                        .map(|(key, value)| (key.clone(), value.clone()))
                        .collect()
                })
                .unwrap_or_default();
            Ok(TestCase {
                documentation: fields
                    .get("documentation")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned(),
                params,
                expect,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_split_into_literals_and_references() {
        let at = Location::root("t");
        let parsed =
            template("https://svc.{Region}.{PartitionResult#dnsSuffix}{{x}}", &at).unwrap();
        assert_eq!(
            parsed,
            Expr::Template(vec![
                TemplatePart::Literal("https://svc.".to_owned()),
                TemplatePart::Value(Expr::Ref("Region".to_owned())),
                TemplatePart::Literal(".".to_owned()),
                TemplatePart::Value(Expr::GetAttr(
                    Box::new(Expr::Ref("PartitionResult".to_owned())),
                    "dnsSuffix".to_owned()
                )),
                TemplatePart::Literal("{x}".to_owned()),
            ])
        );
    }
}
