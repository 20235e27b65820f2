//! The endpoint resolver as plain Rust: `Params`, `resolve(&Params)` rendered from the rule set
//! (conditions become `if` / `if let`, templates `format!`) and the tests from `endpointTests`;
//! `aws.partition` looks in the runtime's partitions table.

use std::collections::BTreeMap;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use super::Context;
use crate::error::{Error, Location};
use crate::ir::endpoint::{
    Condition, Expr, Outcome, Parameter, ParameterKind, Rule, RuleSet, TemplatePart,
};
use crate::rust::names;

/// The type of a rules value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
    Str,
    Bool,
    Int,
    Partition,
    Arn,
    Url,
    StrList,
}

/// A variable in scope: how to refer to it.
#[derive(Clone, Debug)]
struct Var {
    ident: Ident,
    ty: Ty,
    optional: bool,
    /// A `String` (not a `&str`): refer to it with `.as_str()`.
    owned: bool,
}

/// A rendered expression: tokens evaluating to `&str` / `bool` / ... (wrapped in `Option` when
/// `optional`); `owned` strings are `String`s (only bound to variables, never used directly).
struct Value {
    tokens: TokenStream,
    ty: Ty,
    optional: bool,
    owned: bool,
}

impl Value {
    fn owned(self) -> Self {
        Self {
            owned: true,
            ..self
        }
    }
}

struct Renderer<'a> {
    context: &'a Context<'a>,
    service_id: String,
}

type Scope = BTreeMap<String, Var>;

fn ident(name: &str) -> Ident {
    names::field_ident(name)
}

impl Renderer<'_> {
    fn error(&self, message: impl Into<String>) -> Error {
        Location::shape(self.context.file, &self.service_id)
            .field("traits")
            .key("smithy.rules#endpointRuleSet")
            .error(message)
    }

    fn value(&self, expr: &Expr, scope: &Scope) -> Result<Value, Error> {
        Ok(match expr {
            Expr::Bool(flag) => Value {
                tokens: quote!(#flag),
                ty: Ty::Bool,
                optional: false,
                owned: false,
            },
            Expr::Int(number) => {
                let literal = Literal::i64_unsuffixed(*number);
                Value {
                    tokens: quote!(#literal),
                    ty: Ty::Int,
                    optional: false,
                    owned: false,
                }
            }
            Expr::Template(parts) => self.template(parts, scope)?,
            Expr::Ref(name) => {
                let var = scope
                    .get(name)
                    .ok_or_else(|| self.error(format!("`{name}` is used before it is defined")))?;
                let ident = &var.ident;
                let tokens = match (var.owned, var.ty) {
                    (true, Ty::StrList) => quote!(#ident.as_slice()),
                    (true, _) => quote!(#ident.as_str()),
                    (false, _) => quote!(#ident),
                };
                Value {
                    tokens,
                    ty: var.ty,
                    optional: var.optional,
                    owned: false,
                }
            }
            Expr::GetAttr(target, path) => self.get_attr(target, path, scope)?,
            Expr::Call(function, args) => self.call(function, args, scope)?,
            Expr::Array(_) | Expr::Object(_) => {
                return Err(self.error("arrays and objects may only appear in endpoint properties"))
            }
        })
    }

    fn required(
        &self,
        expr: &Expr,
        scope: &Scope,
        ty: Ty,
        what: &str,
    ) -> Result<TokenStream, Error> {
        let value = self.value(expr, scope)?;
        if value.ty != ty || value.optional {
            return Err(self.error(format!("{what} needs a set {ty:?} value, found {expr:?}")));
        }
        Ok(value.tokens)
    }

    fn template(&self, parts: &[TemplatePart], scope: &Scope) -> Result<Value, Error> {
        match parts {
            [TemplatePart::Literal(text)] => {
                return Ok(Value {
                    tokens: quote!(#text),
                    ty: Ty::Str,
                    optional: false,
                    owned: false,
                })
            }
            [TemplatePart::Value(expr)] => {
                let tokens = self.required(expr, scope, Ty::Str, "a template")?;
                return Ok(Value {
                    tokens,
                    ty: Ty::Str,
                    optional: false,
                    owned: false,
                });
            }
            _ => {}
        }
        let mut format = String::new();
        let mut args = Vec::new();
        for part in parts {
            match part {
                TemplatePart::Literal(text) => {
                    format.push_str(&text.replace('{', "{{").replace('}', "}}"))
                }
                TemplatePart::Value(expr) => {
                    format.push_str("{}");
                    args.push(self.required(expr, scope, Ty::Str, "a template")?);
                }
            }
        }
        Ok(Value {
            tokens: quote!(format!(#format, #(#args),*).as_str()),
            ty: Ty::Str,
            optional: false,
            owned: false,
        })
    }

    fn get_attr(&self, target: &Expr, path: &str, scope: &Scope) -> Result<Value, Error> {
        let value = self.value(target, scope)?;
        if value.optional {
            return Err(self.error(format!("getAttr on a value that may be unset: {target:?}")));
        }
        let base = value.tokens;
        let string = |field: &str| {
            let field = Ident::new(field, Span::call_site());
            Value {
                tokens: quote!(#base.#field.as_str()),
                ty: Ty::Str,
                optional: false,
                owned: false,
            }
        };
        let plain = |field: &str, ty| {
            let field = Ident::new(field, Span::call_site());
            Value {
                tokens: quote!(#base.#field),
                ty,
                optional: false,
                owned: false,
            }
        };
        Ok(match (value.ty, path) {
            (Ty::Partition, "name") => plain("name", Ty::Str),
            (Ty::Partition, "dnsSuffix") => plain("dns_suffix", Ty::Str),
            (Ty::Partition, "dualStackDnsSuffix") => plain("dual_stack_dns_suffix", Ty::Str),
            (Ty::Partition, "implicitGlobalRegion") => plain("implicit_global_region", Ty::Str),
            (Ty::Partition, "supportsFIPS") => plain("supports_fips", Ty::Bool),
            (Ty::Partition, "supportsDualStack") => plain("supports_dual_stack", Ty::Bool),
            (Ty::Arn, "partition") => string("partition"),
            (Ty::Arn, "service") => string("service"),
            (Ty::Arn, "region") => string("region"),
            (Ty::Arn, "accountId") => string("account_id"),
            (Ty::Arn, "resourceId") => plain("resource_id", Ty::StrList),
            (Ty::Url, "scheme") => string("scheme"),
            (Ty::Url, "authority") => string("authority"),
            (Ty::Url, "path") => string("path"),
            (Ty::Url, "normalizedPath") => string("normalized_path"),
            (Ty::Url, "isIp") => plain("is_ip", Ty::Bool),
            (ty, path) => self.indexed_attr(base, ty, path)?,
        })
    }

    /// `getAttr` with an index: `[n]` of a list (negative from the end), `resourceId[n]` of
    /// an ARN; unset when the index is out of range.
    fn indexed_attr(&self, base: TokenStream, ty: Ty, path: &str) -> Result<Value, Error> {
        let index = path
            .strip_prefix("resourceId[")
            .and_then(|rest| rest.strip_suffix(']'))
            .and_then(|index| index.parse::<usize>().ok());
        let list_index = path
            .strip_prefix('[')
            .and_then(|rest| rest.strip_suffix(']'))
            .and_then(|index| index.parse::<i64>().ok());
        if let (Ty::StrList, Some(index)) = (ty, list_index) {
            // A negative index counts from the end: `[-1]` is the last item.
            let item = match usize::try_from(index) {
                Ok(0) => quote!(#base.first()),
                Ok(index) => quote!(#base.get(#index)),
                Err(_) if index == -1 => quote!(#base.last()),
                Err(_) => {
                    let back = index.unsigned_abs() as usize;
                    quote!(#base.len().checked_sub(#back).and_then(|index| #base.get(index)))
                }
            };
            return Ok(Value {
                tokens: quote!(#item.map(String::as_str)),
                ty: Ty::Str,
                optional: true,
                owned: false,
            });
        }
        match (ty, index) {
            (Ty::Arn, Some(index)) => Ok(Value {
                tokens: if index == 0 {
                    quote!(#base.resource_id.first().map(String::as_str))
                } else {
                    quote!(#base.resource_id.get(#index).map(String::as_str))
                },
                ty: Ty::Str,
                optional: true,
                owned: false,
            }),
            _ => Err(self.error(format!("getAttr path `{path}` is not supported on {ty:?}"))),
        }
    }

    fn call(&self, function: &str, args: &[Expr], scope: &Scope) -> Result<Value, Error> {
        let plain = |tokens, ty| Value {
            tokens,
            ty,
            optional: false,
            owned: false,
        };
        Ok(match function {
            "isSet" => {
                let value = self.value(
                    args.first()
                        .ok_or_else(|| self.error("isSet takes one argument"))?,
                    scope,
                )?;
                let tokens = value.tokens;
                plain(
                    if value.optional {
                        quote!(#tokens.is_some())
                    } else {
                        quote!(true)
                    },
                    Ty::Bool,
                )
            }
            "not" => self.negation(
                args.first()
                    .ok_or_else(|| self.error("not takes one argument"))?,
                scope,
            )?,
            "booleanEquals" | "stringEquals" => self.equals(function, args, scope, false)?,
            "coalesce" => self.coalesce(args, scope)?,
            "ite" => self.if_then_else(args, scope)?,
            _ => self.library_call(function, args, scope)?,
        })
    }

    /// A call of the rules' library (`aws.partition`, `parseURL`, `substring`, ...): a function
    /// of the runtime's `endpoint` module.
    fn library_call(&self, function: &str, args: &[Expr], scope: &Scope) -> Result<Value, Error> {
        let endpoint = quote!(ivschat_runtime::endpoint);
        let arg = |index: usize, ty: Ty| -> Result<TokenStream, Error> {
            let expr = args
                .get(index)
                .ok_or_else(|| self.error(format!("`{function}` is missing argument {index}")))?;
            self.required(expr, scope, ty, function)
        };
        let optional = |tokens, ty| Value {
            tokens,
            ty,
            optional: true,
            owned: false,
        };
        let plain = |tokens, ty| Value {
            tokens,
            ty,
            optional: false,
            owned: false,
        };
        Ok(match function {
            "aws.partition" => {
                let region = arg(0, Ty::Str)?;
                optional(quote!(#endpoint::aws_partition(#region)), Ty::Partition)
            }
            "aws.parseArn" => {
                let value = arg(0, Ty::Str)?;
                optional(quote!(#endpoint::parse_arn(#value)), Ty::Arn)
            }
            "parseURL" => {
                let value = arg(0, Ty::Str)?;
                optional(quote!(#endpoint::parse_url(#value)), Ty::Url)
            }
            "substring" => {
                let (input, start, stop, reverse) = (
                    arg(0, Ty::Str)?,
                    arg(1, Ty::Int)?,
                    arg(2, Ty::Int)?,
                    arg(3, Ty::Bool)?,
                );
                optional(
                    quote!(#endpoint::substring(#input, #start, #stop, #reverse)),
                    Ty::Str,
                )
                .owned()
            }
            "split" => {
                let (value, delimiter, limit) =
                    (arg(0, Ty::Str)?, arg(1, Ty::Str)?, arg(2, Ty::Int)?);
                plain(
                    quote!(#endpoint::split(#value, #delimiter, #limit)),
                    Ty::StrList,
                )
                .owned()
            }
            "uriEncode" => {
                let value = arg(0, Ty::Str)?;
                plain(quote!(#endpoint::uri_encode(#value).as_str()), Ty::Str)
            }
            "isValidHostLabel" => {
                let (value, dots) = (arg(0, Ty::Str)?, arg(1, Ty::Bool)?);
                plain(
                    quote!(#endpoint::is_valid_host_label(#value, #dots)),
                    Ty::Bool,
                )
            }
            "aws.isVirtualHostableS3Bucket" => {
                let (value, dots) = (arg(0, Ty::Str)?, arg(1, Ty::Bool)?);
                plain(
                    quote!(#endpoint::is_virtual_hostable_s3_bucket(#value, #dots)),
                    Ty::Bool,
                )
            }
            other => {
                return Err(self.error(format!(
                    "the rules function `{other}` is not supported by this generator"
                )))
            }
        })
    }

    /// `coalesce(a, b, ...)`: the first set value, set when one of the values always is.
    fn coalesce(&self, args: &[Expr], scope: &Scope) -> Result<Value, Error> {
        let mut values = args.iter().map(|arg| self.value(arg, scope));
        let first = values
            .next()
            .ok_or_else(|| self.error("coalesce takes at least one argument"))??;
        let mut result = first;
        for value in values {
            let value = value?;
            if value.ty != result.ty || value.owned || result.owned {
                return Err(self.error("coalesce needs values of one type, none computed"));
            }
            if !result.optional {
                break;
            }
            let (current, next) = (&result.tokens, &value.tokens);
            result = if value.optional {
                Value {
                    tokens: quote!(#current.or(#next)),
                    ..result
                }
            } else {
                Value {
                    tokens: quote!(#current.unwrap_or(#next)),
                    optional: false,
                    ..result
                }
            };
        }
        Ok(result)
    }

    /// `ite(condition, then, else)`: one of two values of one type, set when both are.
    fn if_then_else(&self, args: &[Expr], scope: &Scope) -> Result<Value, Error> {
        let [condition, then, otherwise] = args else {
            return Err(self.error("ite takes three arguments"));
        };
        let condition = self.required(condition, scope, Ty::Bool, "ite")?;
        let (then, otherwise) = (self.value(then, scope)?, self.value(otherwise, scope)?);
        if then.ty != otherwise.ty || then.owned || otherwise.owned {
            return Err(self.error("ite needs two values of one type, none computed"));
        }
        let optional = then.optional || otherwise.optional;
        let wrap = |value: &Value| {
            let tokens = &value.tokens;
            if optional && !value.optional {
                quote!(Some(#tokens))
            } else {
                quote!(#tokens)
            }
        };
        let (then_tokens, else_tokens) = (wrap(&then), wrap(&otherwise));
        Ok(Value {
            tokens: quote!(if #condition { #then_tokens } else { #else_tokens }),
            ty: then.ty,
            optional,
            owned: false,
        })
    }

    /// `not(...)`, written the way clippy wants: `is_none()`, `!=`, or `!(...)`.
    fn negation(&self, inner: &Expr, scope: &Scope) -> Result<Value, Error> {
        match inner {
            Expr::Call(function, args)
                if function == "booleanEquals" || function == "stringEquals" =>
            {
                self.equals(function, args, scope, true)
            }
            Expr::Call(function, args) if function == "isSet" => {
                let value = self.value(
                    args.first()
                        .ok_or_else(|| self.error("isSet takes one argument"))?,
                    scope,
                )?;
                let tokens = value.tokens;
                let test = if value.optional {
                    quote!(#tokens.is_none())
                } else {
                    quote!(false)
                };
                Ok(Value {
                    tokens: test,
                    ty: Ty::Bool,
                    optional: false,
                    owned: false,
                })
            }
            other => {
                let tokens = self.required(other, scope, Ty::Bool, "not")?;
                Ok(Value {
                    tokens: quote!(!(#tokens)),
                    ty: Ty::Bool,
                    optional: false,
                    owned: false,
                })
            }
        }
    }

    /// `booleanEquals` / `stringEquals` (negated when `negate`), with a literal `true`/`false`
    /// operand folded away (clippy) and unset operands never equal.
    fn equals(
        &self,
        function: &str,
        args: &[Expr],
        scope: &Scope,
        negate: bool,
    ) -> Result<Value, Error> {
        let [left, right] = args else {
            return Err(self.error(format!("`{function}` takes two arguments")));
        };
        let is_empty_text = |expr: &Expr| matches!(expr, Expr::Template(parts) if matches!(parts.as_slice(), [TemplatePart::Literal(text)] if text.is_empty()));
        let empty_compared = match (left, right) {
            (empty, other) | (other, empty) if is_empty_text(empty) && !is_empty_text(other) => {
                Some(other)
            }
            _ => None,
        };
        if let Some(other) = empty_compared {
            let value = self.value(other, scope)?;
            let tokens = &value.tokens;
            let test = match (value.optional, negate) {
                (false, false) => quote!(str::is_empty(#tokens)),
                (false, true) => quote!(!str::is_empty(#tokens)),
                (true, false) => quote!(#tokens == Some("")),
                (true, true) => quote!(#tokens != Some("")),
            };
            return Ok(Value {
                tokens: test,
                ty: Ty::Bool,
                optional: false,
                owned: false,
            });
        }
        let literal = match (left, right) {
            (Expr::Bool(flag), other) | (other, Expr::Bool(flag)) => Some((*flag != negate, other)),
            _ => None,
        };
        let tokens = match literal {
            Some((flag, other)) => {
                let other = self.value(other, scope)?;
                let tokens = &other.tokens;
                match (flag, other.optional) {
                    (true, false) => quote!(#tokens),
                    (false, false) => quote!(!(#tokens)),
                    (flag, true) => quote!(#tokens == Some(#flag)),
                }
            }
            None => {
                let (left, right) = (self.value(left, scope)?, self.value(right, scope)?);
                let (l, r) = (&left.tokens, &right.tokens);
                let equal = match (left.optional, right.optional) {
                    (false, false) => quote!(#l == #r),
                    (true, false) => quote!(#l == Some(#r)),
                    (false, true) => quote!(Some(#l) == #r),
                    (true, true) => quote!((#l.is_some() && #l == #r)),
                };
                match (negate, left.optional || right.optional) {
                    (false, _) => equal,
                    (true, false) => quote!(#l != #r),
                    (true, true) => quote!(!(#equal)),
                }
            }
        };
        Ok(Value {
            tokens,
            ty: Ty::Bool,
            optional: false,
            owned: false,
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

impl Renderer<'_> {
    /// A sequence of rules; `terminal` when falling off the end must be an error.
    fn rules(&self, rules: &[Rule], scope: &Scope) -> Result<TokenStream, Error> {
        let mut out = TokenStream::new();
        for rule in rules {
            out.extend(self.rule(&rule.conditions, &rule.outcome, scope)?);
        }
        if rules.last().is_none_or(|rule| !rule.conditions.is_empty()) {
            out.extend(quote!(return Err(ivschat_runtime::endpoint::ResolveError::new("no endpoint rule matched these parameters"));));
        }
        Ok(out)
    }

    /// A rule: its first condition wraps the rest.
    fn rule(
        &self,
        conditions: &[Condition],
        outcome: &Outcome,
        scope: &Scope,
    ) -> Result<TokenStream, Error> {
        let Some((condition, rest)) = conditions.split_first() else {
            return self.outcome(outcome, scope);
        };
        let used_later = |name: &str| mentions_in(rest, outcome, name);
        // isSet(x) on an unset-able variable that is used later: unwrap it in place.
        if let (Expr::Call(function, args), None) = (&condition.call, &condition.assign) {
            if let (true, [Expr::Ref(name)]) = (function == "isSet", args.as_slice()) {
                if let Some(var) = scope
                    .get(name)
                    .filter(|var| var.optional && used_later(name))
                {
                    let mut inner_scope = scope.clone();
                    inner_scope.insert(
                        name.clone(),
                        Var {
                            optional: false,
                            ..var.clone()
                        },
                    );
                    let ident = &var.ident;
                    let body = self.rule(rest, outcome, &inner_scope)?;
                    return Ok(quote!(if let Some(#ident) = #ident { #body }));
                }
            }
        }
        let value = self.value(&condition.call, scope)?;
        let assigned = condition.assign.as_ref().filter(|name| used_later(name));
        self.condition(value, assigned, rest, outcome, scope)
    }

    /// A condition's test of `value` (binding it to `assigned`, when later conditions or the
    /// outcome use it) around the rest of the rule.
    fn condition(
        &self,
        value: Value,
        assigned: Option<&String>,
        rest: &[Condition],
        outcome: &Outcome,
        scope: &Scope,
    ) -> Result<TokenStream, Error> {
        let tokens = &value.tokens;
        match (assigned, value.optional, value.ty) {
            // An optional boolean holds only when it is set and true.
            (assigned, true, Ty::Bool) => {
                let mut inner_scope = scope.clone();
                let binding = assigned.map(|name| {
                    let ident = ident(name);
                    inner_scope.insert(
                        name.clone(),
                        Var {
                            ident: ident.clone(),
                            ty: Ty::Bool,
                            optional: false,
                            owned: false,
                        },
                    );
                    quote!(let #ident = true;)
                });
                let body = self.rule(rest, outcome, &inner_scope)?;
                Ok(quote!(if #tokens == Some(true) { #binding #body }))
            }
            (Some(name), true, ty) => {
                let var = Var {
                    ident: ident(name),
                    ty,
                    optional: false,
                    owned: value.owned,
                };
                let ident = var.ident.clone();
                let mut inner_scope = scope.clone();
                inner_scope.insert(name.clone(), var);
                let body = self.rule(rest, outcome, &inner_scope)?;
                Ok(quote!(if let Some(#ident) = #tokens { #body }))
            }
            (None, true, _) => {
                let body = self.rule(rest, outcome, scope)?;
                Ok(quote!(if #tokens.is_some() { #body }))
            }
            (assigned, false, Ty::Bool) => {
                let mut inner_scope = scope.clone();
                let binding = assigned.map(|name| {
                    let var = Var {
                        ident: ident(name),
                        ty: Ty::Bool,
                        optional: false,
                        owned: false,
                    };
                    let ident = var.ident.clone();
                    inner_scope.insert(name.clone(), var);
                    quote!(let #ident = true;)
                });
                let body = self.rule(rest, outcome, &inner_scope)?;
                Ok(quote!(if #tokens { #binding #body }))
            }
            (Some(name), false, ty) => {
                let var = Var {
                    ident: ident(name),
                    ty,
                    optional: false,
                    owned: true,
                };
                let ident = var.ident.clone();
                let mut inner_scope = scope.clone();
                inner_scope.insert(name.clone(), var);
                let body = self.rule(rest, outcome, &inner_scope)?;
                Ok(quote!({ let #ident = #tokens.to_owned(); #body }))
            }
            (None, false, _) => self.rule(rest, outcome, scope),
        }
    }

    fn outcome(&self, outcome: &Outcome, scope: &Scope) -> Result<TokenStream, Error> {
        Ok(match outcome {
            Outcome::Error(message) => {
                let message = self.required(message, scope, Ty::Str, "an error message")?;
                quote!(return Err(ivschat_runtime::endpoint::ResolveError::new(#message));)
            }
            Outcome::Tree(rules) => self.rules(rules, scope)?,
            Outcome::Endpoint {
                url,
                headers,
                properties,
            } => {
                let url = self.required(url, scope, Ty::Str, "an endpoint URL")?;
                let mut header_entries = Vec::new();
                for (name, values) in headers {
                    let values = values
                        .iter()
                        .map(|value| {
                            self.required(value, scope, Ty::Str, "a header value")
                                .map(|tokens| quote!(#tokens.to_owned()))
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    header_entries.push(quote!((#name.to_owned(), vec![#(#values),*])));
                }
                let property_entries = properties
                    .iter()
                    .map(|(name, value)| {
                        self.document(value, scope)
                            .map(|value| quote!((#name.to_owned(), #value)))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                quote! {
                    return Ok(ivschat_runtime::endpoint::ResolvedEndpoint {
                        url: #url.to_owned(),
                        headers: [#(#header_entries),*].into_iter().collect(),
                        properties: [#(#property_entries),*].into_iter().collect(),
                    });
                }
            }
        })
    }

    fn document(&self, expr: &Expr, scope: &Scope) -> Result<TokenStream, Error> {
        let document = quote!(ivschat_runtime::Document);
        Ok(match expr {
            Expr::Array(items) => {
                let items = items
                    .iter()
                    .map(|item| self.document(item, scope))
                    .collect::<Result<Vec<_>, _>>()?;
                quote!(#document::Array(vec![#(#items),*]))
            }
            Expr::Object(entries) => {
                let entries = entries
                    .iter()
                    .map(|(key, value)| {
                        self.document(value, scope)
                            .map(|value| quote!((#key.to_owned(), #value)))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                quote!(#document::Object([#(#entries),*].into_iter().collect()))
            }
            other => {
                let value = self.value(other, scope)?;
                let tokens = value.tokens;
                match (value.ty, value.optional) {
                    (Ty::Str, false) => quote!(#document::from(#tokens)),
                    (Ty::Bool, false) => quote!(#document::Bool(#tokens)),
                    (Ty::Int, false) => quote!(#document::from(#tokens as i64)),
                    _ => {
                        return Err(self.error(format!("{other:?} cannot be an endpoint property")))
                    }
                }
            }
        })
    }
}

/// The Rust type and binding of a parameter.
fn parameter_field(kind: ParameterKind, plain: bool) -> TokenStream {
    match (kind, plain) {
        (ParameterKind::String, true) => quote!(String),
        (ParameterKind::String, false) => quote!(Option<String>),
        (ParameterKind::Boolean, true) => quote!(bool),
        (ParameterKind::Boolean, false) => quote!(Option<bool>),
        (ParameterKind::StringArray, true) => quote!(Vec<String>),
        (ParameterKind::StringArray, false) => quote!(Option<Vec<String>>),
    }
}

/// `src/endpoint/mod.rs` (Params, resolve, the client's glue) and `src/endpoint/tests.rs`.
pub fn render(context: &Context, rules: &RuleSet) -> Result<Vec<(String, TokenStream)>, Error> {
    let renderer = Renderer {
        context,
        service_id: context.service.id.to_string(),
    };
    let params = ParamItems::new(&renderer, rules)?;
    let (fields, bindings, from_config) = (&params.fields, &params.bindings, &params.from_config);
    let (derive_default, default_impl) = default_impl(rules, &params.defaults);
    let body = renderer.rules(&rules.rules, &params.scope)?;
    let tests_module = (!rules.tests.is_empty()).then(|| {
        quote!(
            #[cfg(test)]
            mod tests;
        )
    });
    let client_glue = client_glue(context);
    let module = quote! {
        //! Endpoint resolution, generated from the model's endpoint rule set.
        #tests_module

        /// The inputs of the endpoint rules.
        #[derive(Clone, Debug, PartialEq, #derive_default)]
        #[non_exhaustive]
        pub struct Params {
            #(#fields)*
        }

        #default_impl

        impl Params {
            /// The parameters a client configuration sets (region, FIPS, dual-stack, endpoint URL).
            pub fn from_config(config: &ivschat_runtime::config::Config) -> Self {
                Self { #(#from_config)* ..Self::default() }
            }
        }

        /// Resolves the endpoint the rules give for `params`, or the rule set's error.
        #[allow(clippy::collapsible_if, clippy::needless_return)]
        pub fn resolve(params: &Params) -> Result<ivschat_runtime::endpoint::ResolvedEndpoint, ivschat_runtime::endpoint::ResolveError> {
            #(#bindings)*
            #body
        }

        #client_glue
    };
    let mut files = vec![("src/endpoint/mod.rs".to_owned(), module)];
    if !rules.tests.is_empty() {
        files.push(("src/endpoint/tests.rs".to_owned(), tests(&renderer, rules)?));
    }
    Ok(files)
}

/// `resolve_for` (a client's endpoint) and `resolve_params` (a call's), as the operations
/// need them.
fn client_glue(context: &Context) -> TokenStream {
    let into_endpoint = quote! {
        .map(ivschat_runtime::endpoint::ResolvedEndpoint::into_operation_endpoint)
        .map_err(|error| error.into_sdk_error(config))
    };
    let (resolve_for_body, resolve_params) = if super::endpoint_params::used(context.service) {
        (
            quote!(resolve_params(&Params::from_config(config), config)),
            quote! {
                /// The endpoint for parameters a call has set (an operation's context
                /// parameters, the credentials' account) over the client's `config`.
                pub(crate) fn resolve_params(params: &Params, config: &ivschat_runtime::config::Config) -> Result<ivschat_runtime::operation::Endpoint, ivschat_runtime::operation::SdkError> {
                    resolve(params) #into_endpoint
                }
            },
        )
    } else {
        (
            quote!(resolve(&Params::from_config(config)) #into_endpoint),
            TokenStream::new(),
        )
    };
    // `resolve_for` serves the operations that set no parameters of their own.
    let resolve_for = super::endpoint_params::some_call_uses_config_only(context.service).then(|| {
        quote! {
            /// The endpoint of a client's requests.
            pub(crate) fn resolve_for(config: &ivschat_runtime::config::Config) -> Result<ivschat_runtime::operation::Endpoint, ivschat_runtime::operation::SdkError> {
                #resolve_for_body
            }
        }
    });
    quote! {
        #resolve_for
        #resolve_params
    }
}

/// What the rule set's parameters become: `Params` fields, their defaults, the bindings
/// `resolve` starts with, what a configuration sets, and the rules' initial scope.
struct ParamItems {
    fields: Vec<TokenStream>,
    defaults: Vec<TokenStream>,
    bindings: Vec<TokenStream>,
    from_config: Vec<TokenStream>,
    scope: Scope,
}

impl ParamItems {
    fn new(renderer: &Renderer, rules: &RuleSet) -> Result<Self, Error> {
        let mut items = Self {
            fields: Vec::new(),
            defaults: Vec::new(),
            bindings: Vec::new(),
            from_config: Vec::new(),
            scope: Scope::new(),
        };
        for parameter in &rules.parameters {
            let field = ident(&parameter.name);
            let plain = parameter.default.is_some();
            let ty = parameter_field(parameter.kind, plain);
            let docs = super::docs::item(
                parameter.documentation.as_deref(),
                &format!("The `{}` parameter.", parameter.name),
            );
            items.fields.push(quote!(#docs pub #field: #ty,));
            let default = parameter_default(renderer, parameter)?;
            items.defaults.push(quote!(#field: #default,));
            let (var_ty, binding) = match (parameter.kind, plain) {
                (ParameterKind::String, true) => {
                    (Ty::Str, quote!(let #field = params.#field.as_str();))
                }
                (ParameterKind::String, false) => {
                    (Ty::Str, quote!(let #field = params.#field.as_deref();))
                }
                (ParameterKind::Boolean, _) => (Ty::Bool, quote!(let #field = params.#field;)),
                (ParameterKind::StringArray, true) => {
                    (Ty::StrList, quote!(let #field = params.#field.as_slice();))
                }
                (ParameterKind::StringArray, false) => {
                    (Ty::StrList, quote!(let #field = params.#field.as_deref();))
                }
            };
            // A required parameter without a default must be set: resolution fails without it.
            let must_be_set = parameter.required && !plain;
            let binding = if must_be_set {
                let message = format!("the required parameter `{}` is not set", parameter.name);
                quote! {
                    #binding
                    let Some(#field) = #field else {
                        return Err(ivschat_runtime::endpoint::ResolveError::new(#message));
                    };
                }
            } else {
                binding
            };
            if must_be_set
                || rules
                    .rules
                    .iter()
                    .any(|rule| mentions_in(&rule.conditions, &rule.outcome, &parameter.name))
            {
                items.bindings.push(binding);
            }
            items.scope.insert(
                parameter.name.clone(),
                Var {
                    ident: field.clone(),
                    ty: var_ty,
                    optional: !plain && !must_be_set,
                    owned: false,
                },
            );
            if let Some(configured) = configured(parameter.built_in.as_deref(), plain) {
                items.from_config.push(quote!(#field: #configured,));
            }
        }
        Ok(items)
    }
}

/// A parameter's default value as Rust (`None` for an optional one).
fn parameter_default(renderer: &Renderer, parameter: &Parameter) -> Result<TokenStream, Error> {
    match (&parameter.default, parameter.kind) {
        (Some(serde_json::Value::Bool(flag)), ParameterKind::Boolean) => Ok(quote!(#flag)),
        (Some(serde_json::Value::String(text)), ParameterKind::String) => {
            Ok(quote!(String::from(#text)))
        }
        (Some(serde_json::Value::Array(items)), ParameterKind::StringArray) => {
            let items = string_items(renderer, &parameter.name, items)?;
            Ok(quote!(vec![#(String::from(#items)),*]))
        }
        (None, _) => Ok(quote!(None)),
        (Some(other), _) => Err(renderer.error(format!(
            "parameter `{}` has a default {other} of the wrong type",
            parameter.name
        ))),
    }
}

/// The texts of a `stringArray` value.
fn string_items<'v>(
    renderer: &Renderer,
    name: &str,
    items: &'v [serde_json::Value],
) -> Result<Vec<&'v str>, Error> {
    items
        .iter()
        .map(|item| {
            item.as_str().ok_or_else(|| {
                renderer.error(format!("parameter `{name}` has a non-string item {item}"))
            })
        })
        .collect()
}

/// What a configuration gives a parameter bound to a built-in (region, endpoint URL, FIPS,
/// dual-stack, STS's global endpoint).
fn configured(built_in: Option<&str>, plain: bool) -> Option<TokenStream> {
    match (built_in, plain) {
        (Some("AWS::Region"), false) => Some(quote!(config.region.clone())),
        (Some("SDK::Endpoint"), false) => Some(quote!(config.endpoint_url.clone())),
        (Some("AWS::UseFIPS"), true) => Some(quote!(config.use_fips)),
        (Some("AWS::UseFIPS"), false) => Some(quote!(Some(config.use_fips))),
        (Some("AWS::UseDualStack"), true) => Some(quote!(config.use_dual_stack)),
        (Some("AWS::UseDualStack"), false) => Some(quote!(Some(config.use_dual_stack))),
        (Some("AWS::Auth::AccountIdEndpointMode"), true) => {
            Some(quote!(config.account_id_endpoint_mode.as_str().to_owned()))
        }
        (Some("AWS::Auth::AccountIdEndpointMode"), false) => Some(quote!(Some(
            config.account_id_endpoint_mode.as_str().to_owned()
        ))),
        (Some("AWS::STS::UseGlobalEndpoint"), true) => Some(quote!(config.sts_use_global_endpoint)),
        (Some("AWS::STS::UseGlobalEndpoint"), false) => {
            Some(quote!(Some(config.sts_use_global_endpoint)))
        }
        _ => None,
    }
}

/// `#[derive(Default)]` when every default is the type's own, else an `impl Default`.
fn default_impl(rules: &RuleSet, defaults: &[TokenStream]) -> (TokenStream, TokenStream) {
    let derivable = rules
        .parameters
        .iter()
        .all(|parameter| match &parameter.default {
            None => true,
            Some(serde_json::Value::Bool(flag)) => !flag,
            Some(serde_json::Value::String(text)) => text.is_empty(),
            Some(_) => false,
        });
    if derivable {
        return (quote!(Default), TokenStream::new());
    }
    let impl_tokens = quote! {
        impl Default for Params {
            fn default() -> Self {
                Self { #(#defaults)* }
            }
        }
    };
    (TokenStream::new(), impl_tokens)
}

/// One `#[test]` per endpoint test case.
fn tests(renderer: &Renderer, rules: &RuleSet) -> Result<TokenStream, Error> {
    let mut functions = Vec::new();
    for (index, case) in rules.tests.iter().enumerate() {
        let name = Ident::new(&format!("case_{index:02}"), Span::call_site());
        let doc = format!(" {}", case.documentation);
        let mut settings = Vec::new();
        for (param, value) in &case.params {
            let parameter = rules
                .parameters
                .iter()
                .find(|candidate| candidate.name == *param)
                .ok_or_else(|| {
                    renderer.error(format!(
                        "test case {index} sets the unknown parameter `{param}`"
                    ))
                })?;
            let field = ident(param);
            let plain = parameter.default.is_some();
            let value = match (value, plain) {
                (serde_json::Value::Bool(flag), true) => quote!(#flag),
                (serde_json::Value::Bool(flag), false) => quote!(Some(#flag)),
                (serde_json::Value::String(text), true) => quote!(String::from(#text)),
                (serde_json::Value::String(text), false) => quote!(Some(String::from(#text))),
                (serde_json::Value::Array(items), plain) => {
                    let items = string_items(renderer, param, items)?;
                    let list = quote!(vec![#(String::from(#items)),*]);
                    if plain {
                        list
                    } else {
                        quote!(Some(#list))
                    }
                }
                (other, _) => {
                    return Err(renderer.error(format!(
                        "test case {index}: parameter value {other} is not supported"
                    )))
                }
            };
            settings.push(quote!(#field: #value,));
        }
        let check = match &case.expect {
            Err(message) => quote! {
                let error = super::resolve(&params).expect_err("the rules give an error");
                assert_eq!(error.message(), #message);
            },
            Ok(endpoint) => {
                let url = endpoint
                    .get("url")
                    .and_then(|url| url.as_str())
                    .unwrap_or_default();
                let headers = endpoint
                    .get("headers")
                    .map(|headers| headers.to_string())
                    .unwrap_or_else(|| "{}".to_owned());
                let properties = endpoint
                    .get("properties")
                    .map(|value| value.to_string())
                    .unwrap_or_else(|| "{}".to_owned());
                quote! {
                    let endpoint = super::resolve(&params).expect("the rules give an endpoint");
                    assert_eq!(endpoint.url, #url);
                    ivschat_runtime::endpoint::assert_matches_json(&endpoint, #headers, #properties);
                }
            }
        };
        let rest =
            (settings.len() < rules.parameters.len()).then(|| quote!(..super::Params::default()));
        functions.push(quote! {
            #[test]
            #[doc = #doc]
            fn #name() {
                let params = super::Params { #(#settings)* #rest };
                #check
            }
        });
    }
    Ok(quote! {
        //! The model's endpoint test cases (`smithy.rules#endpointTests`).
        #(#functions)*
    })
}
