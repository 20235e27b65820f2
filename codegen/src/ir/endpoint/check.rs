//! Checks the endpoint rule set and compiles it to a [`Resolver`]: each expression typed in
//! the scope of the conditions before it, each condition decided, each test case's parameters
//! checked. Everything the generator cannot compile is an error naming the rule set.

use std::collections::BTreeMap;

use serde_json::Value;

use super::resolver::{
    CheckedRule, ExpectedEndpoint, Library, Node, Piece, Property, Resolution, Resolver,
    ResolverTest, Step, TestParam, Ty, Typed,
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
    fn error(&self, message: impl Into<String>) -> Error {
        self.at.error(message)
    }

    fn value(&self, expr: &Expr, scope: &Scope) -> Result<Typed, Error> {
        Ok(match expr {
            Expr::Bool(flag) => plain(Node::Bool(*flag), Ty::Bool),
            Expr::Int(number) => plain(Node::Int(*number), Ty::Int),
            Expr::Template(parts) => self.template(parts, scope)?,
            Expr::Ref(name) => {
                let var = scope
                    .get(name)
                    .ok_or_else(|| self.error(format!("`{name}` is used before it is defined")))?;
                Typed {
                    ty: var.ty,
                    optional: var.optional,
                    owned: false,
                    node: Node::Var {
                        name: name.clone(),
                        owned: var.owned,
                    },
                }
            }
            Expr::GetAttr(target, path) => self.get_attr(target, path, scope)?,
            Expr::Call(function, args) => self.call(function, args, scope)?,
            Expr::Array(_) | Expr::Object(_) => {
                return Err(self.error("arrays and objects may only appear in endpoint properties"))
            }
        })
    }

    /// A value that must be set and of type `ty` (`what` needs it).
    fn required(&self, expr: &Expr, scope: &Scope, ty: Ty, what: &str) -> Result<Typed, Error> {
        let value = self.value(expr, scope)?;
        if value.ty != ty || value.optional {
            return Err(self.error(format!("{what} needs a set {ty:?} value, found {expr:?}")));
        }
        Ok(value)
    }

    fn template(&self, parts: &[TemplatePart], scope: &Scope) -> Result<Typed, Error> {
        match parts {
            [TemplatePart::Literal(text)] => return Ok(plain(Node::Text(text.clone()), Ty::Str)),
            [TemplatePart::Value(expr)] => {
                return self.required(expr, scope, Ty::Str, "a template")
            }
            _ => {}
        }
        let pieces = parts
            .iter()
            .map(|part| match part {
                TemplatePart::Literal(text) => Ok(Piece::Text(text.clone())),
                TemplatePart::Value(expr) => self
                    .required(expr, scope, Ty::Str, "a template")
                    .map(Piece::Value),
            })
            .collect::<Result<_, _>>()?;
        Ok(plain(Node::Format(pieces), Ty::Str))
    }

    fn get_attr(&self, target: &Expr, path: &str, scope: &Scope) -> Result<Typed, Error> {
        let value = self.value(target, scope)?;
        if value.optional {
            return Err(self.error(format!("getAttr on a value that may be unset: {target:?}")));
        }
        let (field, ty, borrow) = match (value.ty, path) {
            (Ty::Partition, "name") => ("name", Ty::Str, false),
            (Ty::Partition, "dnsSuffix") => ("dns_suffix", Ty::Str, false),
            (Ty::Partition, "dualStackDnsSuffix") => ("dual_stack_dns_suffix", Ty::Str, false),
            (Ty::Partition, "implicitGlobalRegion") => ("implicit_global_region", Ty::Str, false),
            (Ty::Partition, "supportsFIPS") => ("supports_fips", Ty::Bool, false),
            (Ty::Partition, "supportsDualStack") => ("supports_dual_stack", Ty::Bool, false),
            (Ty::Arn, "partition") => ("partition", Ty::Str, true),
            (Ty::Arn, "service") => ("service", Ty::Str, true),
            (Ty::Arn, "region") => ("region", Ty::Str, true),
            (Ty::Arn, "accountId") => ("account_id", Ty::Str, true),
            (Ty::Arn, "resourceId") => ("resource_id", Ty::StrList, false),
            (Ty::Url, "scheme") => ("scheme", Ty::Str, true),
            (Ty::Url, "authority") => ("authority", Ty::Str, true),
            (Ty::Url, "path") => ("path", Ty::Str, true),
            (Ty::Url, "normalizedPath") => ("normalized_path", Ty::Str, true),
            (Ty::Url, "isIp") => ("is_ip", Ty::Bool, false),
            (ty, path) => return self.indexed_attr(value, ty, path),
        };
        let base = Box::new(value);
        Ok(plain(
            Node::Field {
                base,
                field,
                borrow,
            },
            ty,
        ))
    }

    /// `getAttr` with an index: `[n]` of a list, `resourceId[n]` of an ARN.
    fn indexed_attr(&self, value: Typed, ty: Ty, path: &str) -> Result<Typed, Error> {
        let bracketed = |rest: &str| {
            rest.strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .map(str::to_owned)
        };
        let list_index = bracketed(path).and_then(|index| index.parse::<i64>().ok());
        let resource_index = path
            .strip_prefix("resourceId")
            .and_then(bracketed)
            .and_then(|index| index.parse::<usize>().ok());
        let base = Box::new(value);
        let node = match (ty, list_index, resource_index) {
            (Ty::StrList, Some(index), _) => Node::Item { base, index },
            (Ty::Arn, _, Some(index)) => Node::ResourceId { base, index },
            _ => {
                return Err(self.error(format!("getAttr path `{path}` is not supported on {ty:?}")))
            }
        };
        Ok(Typed {
            ty: Ty::Str,
            optional: true,
            owned: false,
            node,
        })
    }

    fn call(&self, function: &str, args: &[Expr], scope: &Scope) -> Result<Typed, Error> {
        let only = |what: &str| match args {
            [arg] => Ok(arg),
            _ => Err(self.error(format!("{what} takes one argument"))),
        };
        Ok(match function {
            "isSet" => {
                let value = Box::new(self.value(only("isSet")?, scope)?);
                plain(
                    Node::IsSet {
                        value,
                        negate: false,
                    },
                    Ty::Bool,
                )
            }
            "not" => self.negation(only("not")?, scope)?,
            "booleanEquals" | "stringEquals" => self.equals(function, args, scope, false)?,
            "coalesce" => self.coalesce(args, scope)?,
            "ite" => self.if_then_else(args, scope)?,
            _ => self.library_call(function, args, scope)?,
        })
    }

    /// A function of the rules' library, its arguments set and of their types.
    fn library_call(&self, function: &str, args: &[Expr], scope: &Scope) -> Result<Typed, Error> {
        let Some((library, parameters, ty)) = Library::named(function) else {
            return Err(self.error(format!(
                "the rules function `{function}` is not supported by this generator"
            )));
        };
        if args.len() != parameters.len() {
            return Err(self.error(format!(
                "`{function}` takes {} arguments, given {}",
                parameters.len(),
                args.len()
            )));
        }
        let args = args
            .iter()
            .zip(parameters)
            .map(|(arg, ty)| self.required(arg, scope, *ty, function))
            .collect::<Result<_, _>>()?;
        Ok(Typed {
            ty,
            optional: library.may_be_unset(),
            owned: library.computes(),
            node: Node::Library(library, args),
        })
    }

    /// `coalesce(a, b, ...)`: the first set value, set when one of the values always is.
    fn coalesce(&self, args: &[Expr], scope: &Scope) -> Result<Typed, Error> {
        let values = args
            .iter()
            .map(|arg| self.value(arg, scope))
            .collect::<Result<Vec<_>, _>>()?;
        let Some(first) = values.first() else {
            return Err(self.error("coalesce takes at least one argument"));
        };
        let (ty, mut optional) = (first.ty, true);
        let mut used = Vec::new();
        for value in values {
            if value.ty != ty || value.owned {
                return Err(self.error("coalesce needs values of one type, none computed"));
            }
            if !optional {
                break;
            }
            optional = value.optional;
            used.push(value);
        }
        Ok(Typed {
            ty,
            optional,
            owned: false,
            node: Node::Coalesce(used),
        })
    }

    /// `ite(condition, then, else)`: one of two values of one type, set when both are.
    fn if_then_else(&self, args: &[Expr], scope: &Scope) -> Result<Typed, Error> {
        let [condition, then, otherwise] = args else {
            return Err(self.error("ite takes three arguments"));
        };
        let condition = self.required(condition, scope, Ty::Bool, "ite")?;
        let (then, otherwise) = (self.value(then, scope)?, self.value(otherwise, scope)?);
        if then.ty != otherwise.ty || then.owned || otherwise.owned {
            return Err(self.error("ite needs two values of one type, none computed"));
        }
        Ok(Typed {
            ty: then.ty,
            optional: then.optional || otherwise.optional,
            owned: false,
            node: Node::Ite(Box::new(condition), Box::new(then), Box::new(otherwise)),
        })
    }

    /// `not(...)`: of an equality or `isSet` folded into it, else of a set boolean.
    fn negation(&self, inner: &Expr, scope: &Scope) -> Result<Typed, Error> {
        match inner {
            Expr::Call(function, args)
                if function == "booleanEquals" || function == "stringEquals" =>
            {
                self.equals(function, args, scope, true)
            }
            Expr::Call(function, args) if function == "isSet" => {
                let [arg] = args.as_slice() else {
                    return Err(self.error("isSet takes one argument"));
                };
                let value = Box::new(self.value(arg, scope)?);
                Ok(plain(
                    Node::IsSet {
                        value,
                        negate: true,
                    },
                    Ty::Bool,
                ))
            }
            other => {
                let value = self.required(other, scope, Ty::Bool, "not")?;
                Ok(plain(Node::Not(Box::new(value)), Ty::Bool))
            }
        }
    }

    /// `booleanEquals` / `stringEquals` (negated when `negate`): a comparison with `""` or a
    /// boolean literal is folded (clippy wants `is_empty` and no `== true`).
    fn equals(
        &self,
        function: &str,
        args: &[Expr],
        scope: &Scope,
        negate: bool,
    ) -> Result<Typed, Error> {
        let [left, right] = args else {
            return Err(self.error(format!("`{function}` takes two arguments")));
        };
        let is_empty_text = |expr: &Expr| matches!(expr, Expr::Template(parts) if matches!(parts.as_slice(), [TemplatePart::Literal(text)] if text.is_empty()));
        let node = match (left, right) {
            (empty, other) | (other, empty) if is_empty_text(empty) && !is_empty_text(other) => {
                let value = Box::new(self.value(other, scope)?);
                Node::IsEmpty { value, negate }
            }
            (Expr::Bool(flag), other) | (other, Expr::Bool(flag)) => {
                let value = Box::new(self.value(other, scope)?);
                Node::IsBool {
                    value,
                    expected: *flag != negate,
                }
            }
            _ => Node::Equals {
                left: Box::new(self.value(left, scope)?),
                right: Box::new(self.value(right, scope)?),
                negate,
            },
        };
        Ok(plain(node, Ty::Bool))
    }

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
        // isSet(x) on an unset-able variable that is used later: unwrap it in place.
        if let (Expr::Call(function, args), None) = (&condition.call, &condition.assign) {
            if let (true, [Expr::Ref(name)]) = (function == "isSet", args.as_slice()) {
                if let Some(var) = inner
                    .get_mut(name)
                    .filter(|var| var.optional && used_later(name))
                {
                    var.optional = false;
                    steps.push(Step::Unwrap {
                        variable: name.clone(),
                    });
                    return self.rule(rest, outcome, &inner, steps);
                }
            }
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
