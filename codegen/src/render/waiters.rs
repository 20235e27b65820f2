//! Waiters as methods of the operation's fluent builder (`wait_until_<name>`): the acceptors
//! become one closure, their JMESPath paths compiled to Rust over the typed output (and
//! input), so nothing is interpreted at run time.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::Context;
use crate::ir::waiters::jmespath::Comparison;
use crate::ir::waiters::paths::{
    BooleanOf, Borrow, Length, MemberRef, Node, NumberOf, Operands, Source, Test, TextOf, Truth,
};
use crate::ir::waiters::{Acceptor, Matcher, State, Waiter};
use crate::ir::{Operation, Service};
use crate::rust::names;

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

/// Writes checked paths as Rust over `output` (and `input`).
struct Writer<'a> {
    service: &'a Service,
}

impl Writer<'_> {
    /// The Rust expression of a checked node.
    fn node(&self, node: &Node) -> TokenStream {
        match node {
            Node::Output => quote!(output),
            Node::Input => quote!(input),
            Node::InputOutput => quote!(()),
            Node::Item => quote!(item),
            Node::Selected => quote!(selected),
            Node::Some(of) => {
                let of = self.node(of);
                quote!(Some(&#of))
            }
            Node::AsStr { of, present } => self.as_str(of, *present),
            Node::Flatten { of, source, items } => self.flatten(of, *source, items),
            Node::Field {
                of,
                source,
                member,
                optional,
            } => self.field(&self.node(of), *source, *member, *optional),
            Node::Elements { of, source, map } => self.elements(of, *source, *map),
            Node::Filter { items, condition } => {
                let items = self.node(items);
                let test = self.condition(condition, Binding::Or);
                quote!(#items.filter(|item| { let item = *item; #test }))
            }
            Node::Index {
                of,
                optional,
                index,
            } => index_of(self.node(of), *optional, *index),
            Node::Text(text) => quote!(#text),
            Node::Flag(flag) => quote!(#flag),
            Node::Number(number) => {
                let number = Literal::f64_suffixed(*number);
                quote!(Some(#number))
            }
            Node::Compare(operands, comparison) => self.compare(operands, *comparison),
            Node::And(left, right) => self.joined(left, right, Binding::And, quote!(&&)),
            Node::Or(left, right) => self.joined(left, right, Binding::Or, quote!(||)),
            Node::Not(inner) => {
                let inner = self.condition(inner, Binding::Atom);
                quote!(!#inner)
            }
            Node::Length(counted) => self.length(counted),
            Node::Contains {
                items,
                as_str,
                item,
            } => {
                let (items, item, as_str) =
                    (self.node(items), self.text(item), as_str_call(*as_str));
                quote!(#items.any(|value| Some(value #as_str) == #item))
            }
        }
    }

    /// An enum value as its text, `Some` when the value is always `present`.
    fn as_str(&self, of: &Node, present: bool) -> TokenStream {
        let of = self.node(of);
        if present {
            quote!(Some(#of.as_str()))
        } else {
            quote!(#of.map(|value| value.as_str()))
        }
    }

    /// Two conditions joined by `operator` (`&&` or `||`, which binds as `binding`).
    fn joined(
        &self,
        left: &Truth,
        right: &Truth,
        binding: Binding,
        operator: TokenStream,
    ) -> TokenStream {
        let (left, right) = (
            self.condition(left, binding),
            self.condition(right, binding),
        );
        quote!(#left #operator #right)
    }

    /// The items of a multi-select read from each value `of` gives, flattened.
    fn flatten(&self, of: &Node, source: Source, items: &[Node]) -> TokenStream {
        let of = self.node(of);
        let items = items.iter().map(|item| self.node(item));
        let each = quote!(|selected| [#(#items),*].into_iter().flatten());
        match source {
            Source::One => quote!(std::iter::once(&#of).flat_map(#each)),
            Source::Optional => quote!(#of.into_iter().flat_map(#each)),
            Source::Each => quote!(#of.flat_map(#each)),
        }
    }

    /// The elements of each list (or the values of each map) `of` gives.
    fn elements(&self, of: &Node, source: Source, map: bool) -> TokenStream {
        let of = self.node(of);
        let each = if map {
            quote!(values())
        } else {
            quote!(iter())
        };
        match source {
            Source::One => quote!(#of.#each),
            Source::Optional => quote!(#of.into_iter().flat_map(|value| value.#each)),
            Source::Each => quote!(#of.flat_map(|value| value.#each)),
        }
    }

    fn field(
        &self,
        of: &TokenStream,
        source: Source,
        member: MemberRef,
        optional: Option<Borrow>,
    ) -> TokenStream {
        let field = names::field_ident(&self.service.member(member).name);
        let borrow = match optional {
            Some(Borrow::AsDeref) => quote!(as_deref),
            _ => quote!(as_ref),
        };
        match (source, optional.is_none()) {
            (Source::One, true) => quote!(#of.#field),
            (Source::One, false) => quote!(#of.#field.#borrow()),
            (Source::Optional | Source::Each, true) => quote!(#of.map(|value| &value.#field)),
            (Source::Optional, false) => quote!(#of.and_then(|value| value.#field.#borrow())),
            (Source::Each, false) => quote!(#of.filter_map(|value| value.#field.#borrow())),
        }
    }

    fn length(&self, counted: &Length) -> TokenStream {
        match counted {
            Length::Count(node) => {
                let node = self.node(node);
                quote!(Some(#node.count() as f64))
            }
            Length::Collection(node) => {
                let node = self.node(node);
                quote!(Some(#node.len() as f64))
            }
            Length::OptionalCollection(node) => {
                let node = self.node(node);
                quote!(#node.map(|value| value.len() as f64))
            }
            Length::Chars(node) => {
                let node = self.node(node);
                quote!(Some(#node.chars().count() as f64))
            }
            Length::OptionalChars(node) => {
                let node = self.node(node);
                quote!(#node.map(|value| value.chars().count() as f64))
            }
            Length::Selection(node, count) => {
                let (node, count) = (self.node(node), Literal::f64_suffixed(*count as f64));
                quote!(#node.map(|_| #count))
            }
        }
    }

    /// An `Option<&str>`.
    fn text(&self, text: &TextOf) -> TokenStream {
        match text {
            TextOf::Literal(text) => quote!(Some(#text)),
            TextOf::Borrowed(node) => self.node(node),
            TextOf::Present(node, as_str) => {
                let (node, as_str) = (self.node(node), as_str_call(*as_str));
                quote!(Some(#node #as_str))
            }
            TextOf::Optional(node) => {
                let node = self.node(node);
                quote!(#node.map(|value| value.as_str()))
            }
        }
    }

    /// An `Option<f64>`.
    fn number(&self, number: &NumberOf) -> TokenStream {
        match number {
            NumberOf::Computed(node) => self.node(node),
            NumberOf::Present(node) => {
                let node = self.node(node);
                quote!(Some(#node as f64))
            }
            NumberOf::Optional(node) => {
                let node = self.node(node);
                quote!(#node.map(|value| *value as f64))
            }
        }
    }

    /// An `Option<bool>`.
    fn boolean(&self, boolean: &BooleanOf) -> TokenStream {
        match boolean {
            BooleanOf::Computed(node) | BooleanOf::Present(node) => {
                let node = self.node(node);
                quote!(Some(#node))
            }
            BooleanOf::Optional(node) => {
                let node = self.node(node);
                quote!(#node.copied())
            }
        }
    }

    fn compare(&self, operands: &Operands, comparison: Comparison) -> TokenStream {
        let operator = match comparison {
            Comparison::Equal => quote!(==),
            Comparison::NotEqual => quote!(!=),
            Comparison::Less => quote!(<),
            Comparison::LessOrEqual => quote!(<=),
            Comparison::Greater => quote!(>),
            Comparison::GreaterOrEqual => quote!(>=),
        };
        match operands {
            Operands::Numbers(left, right) => {
                let (left, right) = (self.number(left), self.number(right));
                quote!(matches!((#left, #right), (Some(left), Some(right)) if left #operator right))
            }
            Operands::Booleans(left, right) => {
                let (left, right) = (self.boolean(left), self.boolean(right));
                quote!(#left #operator #right)
            }
            Operands::Texts(left, right) => {
                let (left, right) = (self.text(left), self.text(right));
                quote!(#left #operator #right)
            }
        }
    }

    /// A `bool` of a condition, with how loosely it binds.
    fn truth(&self, truth: &Truth) -> (TokenStream, Binding) {
        match truth {
            Truth::Computed(node) => (self.node(node), binding(node)),
            Truth::Present(node) => (self.node(node), Binding::Atom),
            Truth::OptionalBoolean(node) => {
                let node = self.node(node);
                (quote!(#node == Some(&true)), Binding::Comparison)
            }
            Truth::IsSet(node) => {
                let node = self.node(node);
                (quote!(#node.is_some()), Binding::Atom)
            }
            Truth::Always => (quote!(true), Binding::Atom),
        }
    }

    /// A condition as the operand of an operator that binds as tightly as `limit`.
    fn condition(&self, truth: &Truth, limit: Binding) -> TokenStream {
        let (tokens, binding) = self.truth(truth);
        operand(tokens, binding, limit)
    }

    /// The matcher's test.
    fn test(&self, test: &Test) -> TokenStream {
        match test {
            Test::TextIs(text, expected) => {
                let text = self.text(text);
                quote!(#text == Some(#expected))
            }
            Test::ConditionIs(node, true) => self.node(node),
            Test::ConditionIs(node, false) => {
                let tokens = operand(self.node(node), binding(node), Binding::Atom);
                quote!(!#tokens)
            }
            Test::BooleanIs(boolean, expected) => {
                let flag = self.boolean(boolean);
                quote!(#flag == Some(#expected))
            }
            Test::AnyTextIs(items, as_str, expected) => {
                let (items, as_str) = (self.node(items), as_str_call(*as_str));
                quote!(#items.any(|value| value #as_str == #expected))
            }
            Test::AllTextsAre(items, as_str, expected) => {
                let (items, as_str) = (self.node(items), as_str_call(*as_str));
                quote!({ let mut values = #items.peekable(); values.peek().is_some() && values.all(|value| value #as_str == #expected) })
            }
        }
    }
}

/// How loosely a computed `bool` node's top operator binds.
fn binding(node: &Node) -> Binding {
    match node {
        Node::Compare(operands, _) if !matches!(**operands, Operands::Numbers(..)) => {
            Binding::Comparison
        }
        Node::And(..) => Binding::And,
        Node::Or(..) => Binding::Or,
        _ => Binding::Atom,
    }
}

/// `[N]` of a list (an optional one when `optional`), negative from the end.
fn index_of(of: TokenStream, optional: bool, index: i64) -> TokenStream {
    let get = match usize::try_from(index) {
        Ok(index) => quote!(value.get(#index)),
        Err(_) => {
            let back = index.unsigned_abs() as usize;
            quote!(value.len().checked_sub(#back).and_then(|index| value.get(index)))
        }
    };
    if optional {
        quote!(#of.and_then(|value| #get))
    } else {
        quote!({ let value = #of; #get })
    }
}

/// `.as_str()` for a string or an enum; nothing for a borrowed `&str`.
fn as_str_call(as_str: bool) -> TokenStream {
    if as_str {
        quote!(.as_str())
    } else {
        TokenStream::new()
    }
}

/// The types and bounds a waiter method is written with.
pub struct Signature<'a> {
    /// The fluent builder.
    pub fluent: &'a syn::Ident,
    /// The builder's typestate parameters (before its mode).
    pub params: &'a [syn::Ident],
    /// The output type.
    pub output: &'a syn::Ident,
    /// The operation's error type.
    pub error: &'a syn::Ident,
    /// The typestate bounds under which the input can be sent.
    pub bounds: &'a TokenStream,
}

/// The waiter methods of both modes of a fluent builder.
pub struct Methods {
    /// The async builder's, `async fn`s.
    pub async_mode: TokenStream,
    /// The blocking builder's, which block the calling thread.
    pub blocking: TokenStream,
}

/// The `wait_until_*` methods of the blocking builder (inside its `impl`): each runs the
/// async builder's on the blocking client's runtime.
pub fn blocking_methods(operation: &Operation, signature: &Signature) -> TokenStream {
    let Signature {
        fluent,
        params,
        output,
        error,
        bounds,
    } = signature;
    let methods = operation.waiters.iter().map(|waiter| {
        let name = names::prefixed_ident("wait_until", &waiter.name);
        let with = names::prefixed_ident("wait_until", &format!("{}_with", waiter.name));
        let doc = format!(" Waits as the async builder's `{name}` does, blocking the calling thread; not for async code.");
        let with_doc = format!(" [`Self::{name}`] with the delays chosen.");
        let deprecated = waiter.deprecated.then(|| {
            quote!(#[deprecated = "the model deprecates this waiter"] #[allow(deprecated)])
        });
        let in_async_mode = quote! {
            #fluent::<#(#params,)* ivschat_runtime::blocking::Async> { handle: self.handle, inner: self.inner, required: std::marker::PhantomData, mode: ivschat_runtime::blocking::Async }
        };
        quote! {
            #[doc = #doc]
            #deprecated
            pub fn #name(self, max_wait: std::time::Duration) -> Result<#output, ivschat_runtime::waiter::WaitError<#output, #error>> where #bounds {
                let mode = self.mode.clone();
                mode.block_on(#in_async_mode.#name(max_wait))
            }

            #[doc = #with_doc]
            #deprecated
            pub fn #with(self, settings: ivschat_runtime::waiter::WaitSettings) -> Result<#output, ivschat_runtime::waiter::WaitError<#output, #error>> where #bounds {
                let mode = self.mode.clone();
                mode.block_on(#in_async_mode.#with(settings))
            }
        }
    });
    quote!(#(#methods)*)
}

/// The `wait_until_*` methods of the operation's fluent builder (inside its `impl`).
pub fn methods(context: &Context, operation: &Operation, signature: &Signature) -> TokenStream {
    let methods = operation
        .waiters
        .iter()
        .map(|waiter| method(context, operation, waiter, signature));
    quote!(#(#methods)*)
}

fn method(
    context: &Context,
    operation: &Operation,
    waiter: &Waiter,
    signature: &Signature,
) -> TokenStream {
    let Signature {
        output,
        error,
        bounds,
        ..
    } = signature;
    let name = names::prefixed_ident("wait_until", &waiter.name);
    let with = names::prefixed_ident("wait_until", &format!("{}_with", waiter.name));
    let writer = Writer {
        service: context.service,
    };
    let checks = waiter
        .acceptors
        .iter()
        .map(|acceptor| check(&writer, acceptor));
    let (min, max) = (waiter.min_delay, waiter.max_delay);
    let doc = method_doc(operation, waiter);
    let with_doc = format!(" [`Self::{name}`] with the delays chosen.");
    let deprecated = waiter
        .deprecated
        .then(|| quote!(#[deprecated = "the model deprecates this waiter"]));
    let input = built_input(waiter, error);
    quote! {
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
    }
}

/// The statements that build the input once, for a waiter whose paths read it (an input that
/// does not build is the operation's construction error).
fn built_input(waiter: &Waiter, error: &syn::Ident) -> Option<TokenStream> {
    let needs_input = waiter
        .acceptors
        .iter()
        .any(|acceptor| matches!(&acceptor.matcher, Matcher::Path(path) if path.with_input));
    needs_input.then(|| quote! {
        let input = self.inner.clone().build().map_err(|error| ivschat_runtime::waiter::WaitError::Operation(#error::from(ivschat_runtime::operation::SdkError::Construction(Box::new(error)))))?;
        let input = &input;
    })
}

/// The doc comment of a waiter's method: the waiter's summary and how it polls.
fn method_doc(operation: &Operation, waiter: &Waiter) -> TokenStream {
    let (min, max) = (waiter.min_delay, waiter.max_delay);
    let summary = match &waiter.docs {
        Some(docs) => docs.lines().next().unwrap_or_default().trim().to_owned(),
        None => format!("Waits until `{}` says `{}`.", operation.name, waiter.name),
    };
    super::docs::outer(&[
        summary,
        String::new(),
        format!("Polls `{}` (first after {min} s, backing off to {max} s between attempts) until the waiter's acceptors say success or failure, or `max_wait` passes.", operation.name),
    ])
}

/// One acceptor's test, returning its state when it matches.
fn check(writer: &Writer, acceptor: &Acceptor) -> TokenStream {
    let state = match acceptor.state {
        State::Success => quote!(ivschat_runtime::waiter::Acceptance::Success),
        State::Failure => quote!(ivschat_runtime::waiter::Acceptance::Failure),
        State::Retry => quote!(ivschat_runtime::waiter::Acceptance::Retry),
    };
    match &acceptor.matcher {
        Matcher::Success(true) => quote!(if result.is_ok() { return Some(#state); }),
        Matcher::Success(false) => quote!(if result.is_err() { return Some(#state); }),
        Matcher::ErrorType(code) => {
            quote!(if matches!(result, Err(error) if error.code() == Some(#code)) { return Some(#state); })
        }
        Matcher::Path(path) => {
            let test = writer.test(&path.test);
            quote! {
                if let Ok(output) = result {
                    let matched = #test;
                    if matched {
                        return Some(#state);
                    }
                }
            }
        }
    }
}
