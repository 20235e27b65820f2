//! Waiters as methods of the operation's fluent builder (`wait_until_<name>`): the acceptors
//! become one closure, their JMESPath paths compiled to Rust over the typed output (and
//! input), so nothing is interpreted at run time.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::Context;
use crate::error::{Error, Location};
use crate::ir::jmespath::{Comparison, Expr};
use crate::ir::waiters::{Acceptor, Comparator, Matcher, State, Waiter};
use crate::ir::{DataKind, Operation, Primitive, Service, ShapeRef, Target};
use crate::rust::names;

/// What a path step reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
    /// A structure (or union) of the service.
    Shape(ShapeRef),
    /// A list or map of the service.
    Collection(ShapeRef),
    /// A string (`String`).
    Str,
    /// A string already borrowed as `&str` (an optional string member, read with `as_deref`).
    Text,
    /// An enum (its `as_str()` is the wire value).
    Enum,
    /// A boolean.
    Bool,
    /// A number.
    Number,
    /// The `{input, output}` of an `inputOutput` matcher.
    InputOutput,
}

/// How loosely a computed condition's top operator binds, to parenthesise it only where
/// an enclosing operator binds tighter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Binding {
    /// A literal, a call, a negation.
    Atom,
    /// `==`, `<`, ...
    Comparison,
    /// `&&`
    And,
    /// `||`
    Or,
}

/// `tokens`, parenthesised when its operator binds looser than `limit`.
fn operand(tokens: TokenStream, binding: Binding, limit: Binding) -> TokenStream {
    if binding > limit {
        quote!((#tokens))
    } else {
        tokens
    }
}

/// A compiled expression.
#[derive(Clone)]
enum Value {
    /// A value that is there, as a place expression (`output.table`, reached through
    /// references by auto-deref).
    Present(TokenStream, Ty),
    /// An `Option<&T>`.
    Maybe(TokenStream, Ty),
    /// An iterator of `&T` (after a projection).
    Many(TokenStream, Ty),
    /// A computed `bool`, and how loosely its operator binds.
    Flag(TokenStream, Binding),
    /// A computed `Option<f64>`.
    Number(TokenStream),
    /// A literal string.
    Text(String),
}

struct Compiler<'a> {
    service: &'a Service,
    operation: &'a Operation,
    waiter: &'a str,
    path: &'a str,
    file: &'a str,
}

impl Compiler<'_> {
    fn error(&self, why: &str) -> Error {
        Location::shape(self.file, &self.operation.id.to_string())
            .field("traits")
            .key("smithy.waiters#waitable")
            .error(format!(
                "waiter `{}`: path `{}`: {why}",
                self.waiter, self.path
            ))
    }

    fn ty_of(&self, target: Target) -> Option<Ty> {
        if let Some(primitive) = self.service.primitive_of(target) {
            return match primitive {
                Primitive::String => Some(Ty::Str),
                Primitive::Boolean => Some(Ty::Bool),
                Primitive::Byte | Primitive::Short | Primitive::Integer | Primitive::Long => {
                    Some(Ty::Number)
                }
                Primitive::Float | Primitive::Double => Some(Ty::Number),
                _ => None,
            };
        }
        let Target::Shape(shape) = target else {
            return None;
        };
        Some(match &self.service.shape(shape).kind {
            DataKind::Structure(_) | DataKind::Union(_) => Ty::Shape(shape),
            DataKind::List { .. } | DataKind::Map { .. } => Ty::Collection(shape),
            DataKind::Enum(_) => Ty::Enum,
            DataKind::IntEnum(_) => Ty::Number,
            DataKind::Alias { .. } => return None,
        })
    }

    fn compile(&self, expr: &Expr, current: &Value) -> Result<Value, Error> {
        Ok(match expr {
            Expr::Current => current.clone(),
            Expr::Field(name) => self.field(current, name)?,
            Expr::Pipe(left, right) => {
                let left = self.compile(left, current)?;
                self.compile(right, &left)?
            }
            Expr::Project(list) => self.project(self.compile(list, current)?)?,
            Expr::Filter(list, condition) => {
                let Value::Many(items, ty) = self.project(self.compile(list, current)?)? else {
                    unreachable!("a projection is many values")
                };
                let test =
                    self.condition(condition, &Value::Present(quote!(item), ty), Binding::Or)?;
                Value::Many(
                    quote!(#items.filter(|item| { let item = *item; #test })),
                    ty,
                )
            }
            Expr::Index(list, index) => self.index(self.compile(list, current)?, *index)?,
            Expr::Literal(serde_json::Value::String(text)) => Value::Text(text.clone()),
            Expr::Literal(serde_json::Value::Bool(flag)) => {
                Value::Flag(quote!(#flag), Binding::Atom)
            }
            Expr::Literal(serde_json::Value::Number(number)) => {
                let number = Literal::f64_suffixed(number.as_f64().unwrap_or_default());
                Value::Number(quote!(Some(#number)))
            }
            Expr::Literal(_) => {
                return Err(self.error("only string, number and boolean literals are supported"))
            }
            Expr::Compare(left, comparison, right) => {
                let (left, right) = (self.compile(left, current)?, self.compile(right, current)?);
                self.compare(&left, *comparison, &right)?
            }
            Expr::And(left, right) => {
                let left = self.condition(left, current, Binding::And)?;
                let right = self.condition(right, current, Binding::And)?;
                Value::Flag(quote!(#left && #right), Binding::And)
            }
            Expr::Or(left, right) => {
                let left = self.condition(left, current, Binding::Or)?;
                let right = self.condition(right, current, Binding::Or)?;
                Value::Flag(quote!(#left || #right), Binding::Or)
            }
            Expr::Not(inner) => {
                let inner = self.condition(inner, current, Binding::Atom)?;
                Value::Flag(quote!(!#inner), Binding::Atom)
            }
            Expr::Function(name, args) if name == "length" => {
                self.length(self.compile(&args[0], current)?)?
            }
            Expr::Function(_, args) => {
                let (list, item) = (
                    self.compile(&args[0], current)?,
                    self.compile(&args[1], current)?,
                );
                let Value::Many(items, ty @ (Ty::Str | Ty::Text | Ty::Enum)) =
                    self.project(list)?
                else {
                    return Err(self.error("contains() takes a list of strings"));
                };
                let item = self.text(&item)?;
                let as_str = as_str(ty);
                Value::Flag(
                    quote!(#items.any(|value| Some(value #as_str) == #item)),
                    Binding::Atom,
                )
            }
        })
    }

    fn field(&self, current: &Value, name: &str) -> Result<Value, Error> {
        if let Value::Present(_, Ty::InputOutput) = current {
            let (root, shape) = match name {
                "input" => (quote!(input), self.operation.input),
                "output" => (quote!(output), self.operation.output),
                _ => return Err(self.error("an inputOutput path starts with `input` or `output`")),
            };
            return Ok(Value::Present(root, Ty::Shape(shape)));
        }
        let (tokens, shape, many) = match current {
            Value::Present(tokens, Ty::Shape(shape)) => (tokens, *shape, None),
            Value::Maybe(tokens, Ty::Shape(shape)) => (tokens, *shape, Some(false)),
            Value::Many(tokens, Ty::Shape(shape)) => (tokens, *shape, Some(true)),
            _ => {
                return Err(self.error(&format!(
                    "`{name}` is asked of something that is not a structure"
                )))
            }
        };
        let data = self.service.shape(shape);
        let (DataKind::Structure(members) | DataKind::Union(members)) = &data.kind else {
            unreachable!("Ty::Shape is a structure or union")
        };
        let member = members
            .iter()
            .find(|member| member.name == name)
            .ok_or_else(|| self.error(&format!("`{}` has no member `{name}`", data.name)))?;
        let ty = self
            .ty_of(member.target)
            .ok_or_else(|| self.error(&format!("`{name}` is of a type paths cannot compare")))?;
        let field = names::field_ident(&member.name);
        // Union members are variants, not fields: only structures are walked.
        if matches!(data.kind, DataKind::Union(_)) {
            return Err(self.error("paths through unions are not supported"));
        }
        let plain = data.is_plain(member);
        // An optional string is borrowed as `&str` right away (`as_deref`).
        let (borrow, ty) = if ty == Ty::Str && !plain {
            (quote!(as_deref), Ty::Text)
        } else {
            (quote!(as_ref), ty)
        };
        Ok(match (many, plain) {
            (None, true) => Value::Present(quote!(#tokens.#field), ty),
            (None, false) => Value::Maybe(quote!(#tokens.#field.#borrow()), ty),
            (Some(false), true) => Value::Maybe(quote!(#tokens.map(|value| &value.#field)), ty),
            (Some(false), false) => {
                Value::Maybe(quote!(#tokens.and_then(|value| value.#field.#borrow())), ty)
            }
            (Some(true), true) => Value::Many(quote!(#tokens.map(|value| &value.#field)), ty),
            (Some(true), false) => Value::Many(
                quote!(#tokens.filter_map(|value| value.#field.#borrow())),
                ty,
            ),
        })
    }

    /// The element type of a list (map values for a map).
    fn element(&self, shape: ShapeRef) -> Result<(Ty, bool), Error> {
        let (target, is_map) = match &self.service.shape(shape).kind {
            DataKind::List { member, .. } => (member.target, false),
            DataKind::Map { value, .. } => (value.target, true),
            _ => unreachable!("Ty::Collection is a list or map"),
        };
        let ty = self
            .ty_of(target)
            .ok_or_else(|| self.error("the elements are of a type paths cannot compare"))?;
        Ok((ty, is_map))
    }

    /// `[]` / `[*]`: every element of a list (or value of a map).
    fn project(&self, value: Value) -> Result<Value, Error> {
        let (tokens, shape, source) = match value {
            Value::Many(tokens, ty) if !matches!(ty, Ty::Collection(_)) => {
                return Ok(Value::Many(tokens, ty))
            }
            Value::Present(tokens, Ty::Collection(shape)) => (tokens, shape, 0),
            Value::Maybe(tokens, Ty::Collection(shape)) => (tokens, shape, 1),
            Value::Many(tokens, Ty::Collection(shape)) => (tokens, shape, 2),
            _ => return Err(self.error("a projection needs a list")),
        };
        let (ty, is_map) = self.element(shape)?;
        let each = if is_map {
            quote!(values())
        } else {
            quote!(iter())
        };
        Ok(Value::Many(
            match source {
                0 => quote!(#tokens.#each),
                1 => quote!(#tokens.into_iter().flat_map(|value| value.#each)),
                _ => quote!(#tokens.flat_map(|value| value.#each)),
            },
            ty,
        ))
    }

    fn index(&self, value: Value, index: i64) -> Result<Value, Error> {
        let (tokens, shape, maybe) = match value {
            Value::Present(tokens, Ty::Collection(shape)) => (tokens, shape, false),
            Value::Maybe(tokens, Ty::Collection(shape)) => (tokens, shape, true),
            _ => return Err(self.error("an index needs a list")),
        };
        let (ty, is_map) = self.element(shape)?;
        if is_map {
            return Err(self.error("an index needs a list, not a map"));
        }
        let get = match usize::try_from(index) {
            Ok(index) => quote!(value.get(#index)),
            Err(_) => {
                let back = index.unsigned_abs() as usize;
                quote!(value.len().checked_sub(#back).and_then(|index| value.get(index)))
            }
        };
        Ok(Value::Maybe(
            if maybe {
                quote!(#tokens.and_then(|value| #get))
            } else {
                quote!({ let value = #tokens; #get })
            },
            ty,
        ))
    }

    fn length(&self, value: Value) -> Result<Value, Error> {
        Ok(Value::Number(match value {
            Value::Many(tokens, _) => quote!(Some(#tokens.count() as f64)),
            Value::Present(tokens, Ty::Collection(_)) => quote!(Some(#tokens.len() as f64)),
            Value::Maybe(tokens, Ty::Collection(_)) => {
                quote!(#tokens.map(|value| value.len() as f64))
            }
            Value::Present(tokens, Ty::Str | Ty::Text) => {
                quote!(Some(#tokens.chars().count() as f64))
            }
            Value::Maybe(tokens, Ty::Str | Ty::Text) => {
                quote!(#tokens.map(|value| value.chars().count() as f64))
            }
            _ => return Err(self.error("length() needs a list, a map or a string")),
        }))
    }

    /// An `Option<&str>` of a string value.
    fn text(&self, value: &Value) -> Result<TokenStream, Error> {
        Ok(match value {
            Value::Text(text) => quote!(Some(#text)),
            Value::Maybe(tokens, Ty::Text) => tokens.clone(),
            Value::Present(tokens, ty @ (Ty::Str | Ty::Text | Ty::Enum)) => {
                let as_str = as_str(*ty);
                quote!(Some(#tokens #as_str))
            }
            Value::Maybe(tokens, ty @ (Ty::Str | Ty::Enum)) => {
                let as_str = as_str(*ty);
                quote!(#tokens.map(|value| value #as_str))
            }
            _ => return Err(self.error("a string is compared with something that is not one")),
        })
    }

    /// An `Option<f64>` of a numeric value.
    fn number(&self, value: &Value) -> Option<TokenStream> {
        Some(match value {
            Value::Number(tokens) => tokens.clone(),
            Value::Present(tokens, Ty::Number) => quote!(Some(#tokens as f64)),
            Value::Maybe(tokens, Ty::Number) => quote!(#tokens.map(|value| *value as f64)),
            _ => return None,
        })
    }

    /// An `Option<bool>` of a boolean value.
    fn boolean(&self, value: &Value) -> Option<TokenStream> {
        Some(match value {
            Value::Flag(tokens, _) => quote!(Some(#tokens)),
            Value::Present(tokens, Ty::Bool) => quote!(Some(#tokens)),
            Value::Maybe(tokens, Ty::Bool) => quote!(#tokens.copied()),
            _ => return None,
        })
    }

    fn compare(&self, left: &Value, comparison: Comparison, right: &Value) -> Result<Value, Error> {
        let operator = match comparison {
            Comparison::Equal => quote!(==),
            Comparison::NotEqual => quote!(!=),
            Comparison::Less => quote!(<),
            Comparison::LessOrEqual => quote!(<=),
            Comparison::Greater => quote!(>),
            Comparison::GreaterOrEqual => quote!(>=),
        };
        if let (Some(left), Some(right)) = (self.number(left), self.number(right)) {
            return Ok(Value::Flag(
                quote!(
                    matches!((#left, #right), (Some(left), Some(right)) if left #operator right)
                ),
                Binding::Atom,
            ));
        }
        let equality = matches!(comparison, Comparison::Equal | Comparison::NotEqual);
        if !equality {
            return Err(self.error("only numbers are ordered"));
        }
        if let (Some(left), Some(right)) = (self.boolean(left), self.boolean(right)) {
            return Ok(Value::Flag(
                quote!(#left #operator #right),
                Binding::Comparison,
            ));
        }
        let (left, right) = (self.text(left)?, self.text(right)?);
        Ok(Value::Flag(
            quote!(#left #operator #right),
            Binding::Comparison,
        ))
    }

    /// A `bool` of a condition (a computed flag, a set boolean, or a value that is there),
    /// with how loosely it binds.
    fn truth(&self, value: &Value) -> Result<(TokenStream, Binding), Error> {
        Ok(match value {
            Value::Flag(tokens, binding) => (tokens.clone(), *binding),
            Value::Present(tokens, Ty::Bool) => (quote!(#tokens), Binding::Atom),
            Value::Maybe(tokens, Ty::Bool) => (quote!(#tokens == Some(&true)), Binding::Comparison),
            Value::Maybe(tokens, _) => (quote!(#tokens.is_some()), Binding::Atom),
            Value::Present(..) | Value::Text(_) => (quote!(true), Binding::Atom),
            _ => return Err(self.error("this is not a condition")),
        })
    }

    /// A condition as the operand of an operator that binds as tightly as `limit`.
    fn condition(
        &self,
        expr: &Expr,
        current: &Value,
        limit: Binding,
    ) -> Result<TokenStream, Error> {
        let (tokens, binding) = self.truth(&self.compile(expr, current)?)?;
        Ok(operand(tokens, binding, limit))
    }

    /// The matcher's test of `value` against `expected`.
    fn matches(
        &self,
        value: Value,
        expected: &str,
        comparator: Comparator,
    ) -> Result<TokenStream, Error> {
        match comparator {
            Comparator::StringEquals => {
                let text = self.text(&value)?;
                Ok(quote!(#text == Some(#expected)))
            }
            Comparator::BooleanEquals => {
                let expected = expected == "true";
                if let Value::Flag(tokens, binding) = &value {
                    return Ok(if expected {
                        tokens.clone()
                    } else {
                        let tokens = operand(tokens.clone(), *binding, Binding::Atom);
                        quote!(!#tokens)
                    });
                }
                let flag = self
                    .boolean(&value)
                    .ok_or_else(|| self.error("booleanEquals needs a boolean"))?;
                Ok(quote!(#flag == Some(#expected)))
            }
            Comparator::AllStringEquals | Comparator::AnyStringEquals => {
                let Value::Many(items, ty @ (Ty::Str | Ty::Text | Ty::Enum)) =
                    self.project(value)?
                else {
                    return Err(
                        self.error("allStringEquals and anyStringEquals need a list of strings")
                    );
                };
                let as_str = as_str(ty);
                Ok(if comparator == Comparator::AnyStringEquals {
                    quote!(#items.any(|value| value #as_str == #expected))
                } else {
                    quote!({ let mut values = #items.peekable(); values.peek().is_some() && values.all(|value| value #as_str == #expected) })
                })
            }
        }
    }
}

/// The method that gives a string's or an enum's text (nothing for a borrowed `&str`).
fn as_str(ty: Ty) -> TokenStream {
    match ty {
        Ty::Text => TokenStream::new(),
        _ => quote!(.as_str()),
    }
}

/// The types and bounds a waiter method is written with.
pub struct Signature<'a> {
    /// The output type.
    pub output: &'a syn::Ident,
    /// The operation's error type.
    pub error: &'a syn::Ident,
    /// The typestate bounds under which the input can be sent.
    pub bounds: &'a TokenStream,
}

/// The `wait_until_*` methods of the operation's fluent builder (inside its `impl`).
pub fn methods(
    context: &Context,
    operation: &Operation,
    signature: &Signature,
) -> Result<TokenStream, Error> {
    let mut methods = Vec::new();
    for waiter in &operation.waiters {
        methods.push(method(context, operation, waiter, signature)?);
    }
    Ok(quote!(#(#methods)*))
}

fn method(
    context: &Context,
    operation: &Operation,
    waiter: &Waiter,
    signature: &Signature,
) -> Result<TokenStream, Error> {
    let Signature {
        output,
        error,
        bounds,
    } = signature;
    let name = names::prefixed_ident("wait_until", &waiter.name);
    let with = names::prefixed_ident("wait_until", &format!("{}_with", waiter.name));
    let needs_input = waiter.acceptors.iter().any(|acceptor| {
        matches!(
            acceptor.matcher,
            Matcher::Path {
                with_input: true,
                ..
            }
        )
    });
    let checks = waiter
        .acceptors
        .iter()
        .map(|acceptor| check(context, operation, waiter, acceptor))
        .collect::<Result<Vec<_>, _>>()?;
    let (min, max) = (waiter.min_delay, waiter.max_delay);
    let summary = match &waiter.docs {
        Some(docs) => docs.lines().next().unwrap_or_default().trim().to_owned(),
        None => format!("Waits until `{}` says `{}`.", operation.name, waiter.name),
    };
    let doc = super::docs::outer(&[
        summary,
        String::new(),
        format!("Polls `{}` (first after {min} s, backing off to {max} s between attempts) until the waiter's acceptors say success or failure, or `max_wait` passes.", operation.name),
    ]);
    let with_doc = format!(" [`Self::{name}`] with the delays chosen.");
    let deprecated = waiter
        .deprecated
        .then(|| quote!(#[deprecated = "the model deprecates this waiter"]));
    let input = needs_input.then(|| quote! {
        let input = self.inner.clone().build().map_err(|error| ivschat_runtime::waiter::WaitError::Operation(#error::from(ivschat_runtime::operation::SdkError::Construction(Box::new(error)))))?;
        let input = &input;
    });
    Ok(quote! {
        #doc
        #deprecated
        pub async fn #name(self, max_wait: std::time::Duration) -> Result<#output, ivschat_runtime::waiter::WaitError<#output, #error>> where #bounds {
            let settings = ivschat_runtime::waiter::WaitSettings {
                min_delay: std::time::Duration::from_secs(#min),
                max_delay: std::time::Duration::from_secs(#max),
                max_wait,
            };
            self.#with(settings).await
        }

        #[doc = #with_doc]
        #deprecated
        pub async fn #with(self, settings: ivschat_runtime::waiter::WaitSettings) -> Result<#output, ivschat_runtime::waiter::WaitError<#output, #error>> where #bounds {
            #input
            ivschat_runtime::waiter::wait(
                settings,
                || send_input(&self.handle, self.inner.clone()),
                |result: &Result<#output, #error>| {
                    #(#checks)*
                    None
                },
            )
            .await
        }
    })
}

/// One acceptor's test, returning its state when it matches.
fn check(
    context: &Context,
    operation: &Operation,
    waiter: &Waiter,
    acceptor: &Acceptor,
) -> Result<TokenStream, Error> {
    let state = match acceptor.state {
        State::Success => quote!(ivschat_runtime::waiter::Acceptance::Success),
        State::Failure => quote!(ivschat_runtime::waiter::Acceptance::Failure),
        State::Retry => quote!(ivschat_runtime::waiter::Acceptance::Retry),
    };
    Ok(match &acceptor.matcher {
        Matcher::Success(true) => quote!(if result.is_ok() { return Some(#state); }),
        Matcher::Success(false) => quote!(if result.is_err() { return Some(#state); }),
        Matcher::ErrorType(code) => {
            quote!(if matches!(result, Err(error) if error.code() == Some(#code)) { return Some(#state); })
        }
        Matcher::Path {
            with_input,
            path,
            text,
            expected,
            comparator,
        } => {
            let compiler = Compiler {
                service: context.service,
                operation,
                waiter: &waiter.name,
                path: text,
                file: context.file,
            };
            let root = if *with_input {
                Value::Present(quote!(()), Ty::InputOutput)
            } else {
                Value::Present(quote!(output), Ty::Shape(operation.output))
            };
            let value = compiler.compile(path, &root)?;
            let test = compiler.matches(value, expected, *comparator)?;
            quote! {
                if let Ok(output) = result {
                    let matched = #test;
                    if matched {
                        return Some(#state);
                    }
                }
            }
        }
    })
}
