//! Checks the endpoint rule set and compiles it to a [`Resolver`]: each expression typed in
//! the scope of the conditions before it, each condition decided, each test case's parameters
//! checked. Everything the generator cannot compile is an error naming the rule set.

mod expressions;

use std::collections::BTreeMap;

use serde_json::Value;

use super::resolver::{
    CheckedRule, ExpectedEndpoint, Node, Property, Resolution, Resolver, ResolverTest, Step,
    TestParam, Ty, Typed,
};
use super::rules::{
    Condition, Expr, Outcome, ParamValue, Parameter, Rule, RuleSet, TemplatePart, TestCase,
};
use crate::error::{Error, Location};

/// A variable in scope.
#[derive(Clone, Debug)]
struct Var {
    ty: Ty,
    optional: bool,
    /// It holds a computed value of its own.
    owned: bool,
}

type Scope = BTreeMap<String, Var>;

/// Compiles `rules`; errors are located at `at`, the rule set trait.
pub(crate) fn check(rules: RuleSet, at: &Location) -> Result<Resolver, Error> {
    let checker = Checker { at };
    let mut scope = Scope::new();
    let parameters: Vec<Parameter> = rules
        .parameters
        .into_iter()
        .map(|parameter| {
            let plain = parameter.default.is_some();
            let must_be_set = parameter.must_be_set();
            scope.insert(
                parameter.name.clone(),
                Var {
                    ty: Ty::of_parameter(parameter.kind),
                    optional: !plain && !must_be_set,
                    owned: false,
                },
            );
            let used = rules
                .rules
                .iter()
                .any(|rule| mentions_in(&rule.conditions, &rule.outcome, &parameter.name));
            Parameter { used, ..parameter }
        })
        .collect();
    let checked = checker.rules(&rules.rules, &scope)?;
    let tests = rules
        .tests
        .iter()
        .enumerate()
        .map(|(index, case)| checker.test(index, case, &parameters))
        .collect::<Result<_, _>>()?;
    Ok(Resolver {
        parameters,
        rules: checked,
        tests,
    })
}

struct Checker<'a> {
    at: &'a Location<'a>,
}

/// A typed value that is set and not computed.
fn plain(node: Node, ty: Ty) -> Typed {
    Typed {
        ty,
        optional: false,
        owned: false,
        node,
    }
}

impl Checker<'_> {
    fn rules(&self, rules: &[Rule], scope: &Scope) -> Result<Vec<CheckedRule>, Error> {
        rules
            .iter()
            .map(|rule| {
                let mut steps = Vec::new();
                let outcome = self.rule(&rule.conditions, &rule.outcome, scope, &mut steps)?;
                Ok(CheckedRule { steps, outcome })
            })
            .collect()
    }

    /// A rule's conditions, each in the scope the ones before it make, then its outcome.
    fn rule(
        &self,
        conditions: &[Condition],
        outcome: &Outcome,
        scope: &Scope,
        steps: &mut Vec<Step>,
    ) -> Result<Resolution, Error> {
        let Some((condition, rest)) = conditions.split_first() else {
            return self.outcome(outcome, scope);
        };
        let used_later = |name: &str| mentions_in(rest, outcome, name);
        let mut inner = scope.clone();
        if let Some(name) = unwrapped_in_place(condition, scope, &used_later) {
            if let Some(var) = inner.get_mut(name) {
                var.optional = false;
            }
            let variable = name.clone();
            steps.push(Step::Unwrap { variable });
            return self.rule(rest, outcome, &inner, steps);
        }
        let value = self.value(&condition.call, scope)?;
        let assigned = condition.assign.clone().filter(|name| used_later(name));
        let bound = |ty, owned| Var {
            ty,
            optional: false,
            owned,
        };
        let step = match (assigned, value.optional, value.ty) {
            // An optional boolean holds only when it is set and true.
            (bind, true, Ty::Bool) => {
                if let Some(name) = &bind {
                    inner.insert(name.clone(), bound(Ty::Bool, false));
                }
                Step::SomeTrue { value, bind }
            }
            (Some(name), true, ty) => {
                inner.insert(name.clone(), bound(ty, value.owned));
                Step::BindSome { value, name }
            }
            (None, true, _) => Step::IsSome { value },
            (bind, false, Ty::Bool) => {
                if let Some(name) = &bind {
                    inner.insert(name.clone(), bound(Ty::Bool, false));
                }
                Step::True { value, bind }
            }
            (Some(name), false, ty) => {
                inner.insert(name.clone(), bound(ty, true));
                Step::Bind { value, name }
            }
            (None, false, _) => Step::Holds,
        };
        steps.push(step);
        self.rule(rest, outcome, &inner, steps)
    }

    fn outcome(&self, outcome: &Outcome, scope: &Scope) -> Result<Resolution, Error> {
        Ok(match outcome {
            Outcome::Error(message) => {
                Resolution::Error(self.required(message, scope, Ty::Str, "an error message")?)
            }
            Outcome::Tree(rules) => Resolution::Tree(self.rules(rules, scope)?),
            Outcome::Endpoint {
                url,
                headers,
                properties,
            } => Resolution::Endpoint {
                url: self.required(url, scope, Ty::Str, "an endpoint URL")?,
                headers: headers
                    .iter()
                    .map(|(name, values)| {
                        let values = values
                            .iter()
                            .map(|value| self.required(value, scope, Ty::Str, "a header value"))
                            .collect::<Result<_, _>>()?;
                        Ok((name.clone(), values))
                    })
                    .collect::<Result<_, Error>>()?,
                properties: properties
                    .iter()
                    .map(|(name, value)| Ok((name.clone(), self.property(value, scope)?)))
                    .collect::<Result<_, Error>>()?,
            },
        })
    }

    fn property(&self, expr: &Expr, scope: &Scope) -> Result<Property, Error> {
        Ok(match expr {
            Expr::Array(items) => Property::Array(
                items
                    .iter()
                    .map(|item| self.property(item, scope))
                    .collect::<Result<_, _>>()?,
            ),
            Expr::Object(entries) => Property::Object(
                entries
                    .iter()
                    .map(|(key, value)| Ok((key.clone(), self.property(value, scope)?)))
                    .collect::<Result<_, Error>>()?,
            ),
            other => {
                let value = self.value(other, scope)?;
                if value.optional || !matches!(value.ty, Ty::Str | Ty::Bool | Ty::Int) {
                    return Err(self.error(format!("{other:?} cannot be an endpoint property")));
                }
                Property::Value(value)
            }
        })
    }

    /// A test case whose parameters exist and have their types.
    fn test(
        &self,
        index: usize,
        case: &TestCase,
        parameters: &[Parameter],
    ) -> Result<ResolverTest, Error> {
        let params = case
            .params
            .iter()
            .map(|(name, value)| {
                let parameter = parameters
                    .iter()
                    .find(|candidate| candidate.name == *name)
                    .ok_or_else(|| {
                        self.error(format!(
                            "test case {index} sets the unknown parameter `{name}`"
                        ))
                    })?;
                let value = ParamValue::read(value, parameter.kind).ok_or_else(|| {
                    self.error(format!(
                        "test case {index}: parameter `{name}` is given {value}, not a {:?}",
                        parameter.kind
                    ))
                })?;
                Ok(TestParam {
                    name: name.clone(),
                    value,
                    optional: parameter.default.is_none(),
                })
            })
            .collect::<Result<_, Error>>()?;
        let expect = case.expect.as_ref().map_err(Clone::clone).map(|endpoint| {
            let json = |field: &str| {
                endpoint
                    .get(field)
                    .map_or_else(|| "{}".to_owned(), Value::to_string)
            };
            ExpectedEndpoint {
                url: endpoint
                    .get("url")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                headers: json("headers"),
                properties: json("properties"),
            }
        });
        Ok(ResolverTest {
            documentation: case.documentation.clone(),
            params,
            expect,
        })
    }
}

/// The variable an `isSet(x)` condition tests when `x` may be unset and is used later: such a
/// variable is unwrapped in place rather than tested.
fn unwrapped_in_place<'a>(
    condition: &'a Condition,
    scope: &Scope,
    used_later: &dyn Fn(&str) -> bool,
) -> Option<&'a String> {
    let (Expr::Call(function, args), None) = (&condition.call, &condition.assign) else {
        return None;
    };
    match (function.as_str(), args.as_slice()) {
        ("isSet", [Expr::Ref(name)])
            if scope.get(name).is_some_and(|var| var.optional) && used_later(name) =>
        {
            Some(name)
        }
        _ => None,
    }
}

/// True when some expression in these conditions or outcome, or inside one, satisfies `test`.
fn any_in(conditions: &[Condition], outcome: &Outcome, test: &dyn Fn(&Expr) -> bool) -> bool {
    let found = |expr: &Expr| any(expr, test);
    conditions.iter().any(|condition| found(&condition.call))
        || match outcome {
            Outcome::Endpoint {
                url,
                headers,
                properties,
            } => {
                found(url)
                    || headers.values().flatten().any(found)
                    || properties.values().any(found)
            }
            Outcome::Error(message) => found(message),
            Outcome::Tree(rules) => rules
                .iter()
                .any(|rule| any_in(&rule.conditions, &rule.outcome, test)),
        }
}

/// True when `expr` or an expression inside it satisfies `test`.
fn any(expr: &Expr, test: &dyn Fn(&Expr) -> bool) -> bool {
    test(expr)
        || match expr {
            Expr::Template(parts) => parts
                .iter()
                .any(|part| matches!(part, TemplatePart::Value(value) if any(value, test))),
            Expr::Call(_, args) | Expr::Array(args) => args.iter().any(|arg| any(arg, test)),
            Expr::GetAttr(target, _) => any(target, test),
            Expr::Object(entries) => entries.values().any(|value| any(value, test)),
            Expr::Ref(_) | Expr::Bool(_) | Expr::Int(_) => false,
        }
}

/// True when the variable `name` is used in these conditions or outcome.
fn mentions_in(conditions: &[Condition], outcome: &Outcome, name: &str) -> bool {
    any_in(
        conditions,
        outcome,
        &|expr| matches!(expr, Expr::Ref(reference) if reference == name),
    )
}
