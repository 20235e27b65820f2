//! Fluent builders (`client.create_room().name("lobby").send()`): required members are tracked
//! in the type, so `send()` without one is a compile-time error naming it; paginators for
//! `@paginated` operations.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::builder::setter_parts;
use super::members::member_docs;
use super::{docs, Context};
use crate::ir::{DataKind, Member, MemberName, Operation, Pagination};
use crate::rust::names;
use crate::rust::types;

/// Members whose absence must stop compilation: required, no default.
fn required(members: &[Member]) -> Vec<&Member> {
    members
        .iter()
        .filter(|member| member.required && member.default.is_none())
        .collect()
}

/// How many type parameters an operation's fluent builder has before its mode: one per
/// required member.
pub fn required_count(context: &Context, operation: &Operation) -> usize {
    match &context.service.shape(operation.input).kind {
        DataKind::Structure(members) => required(members).len(),
        _ => 0,
    }
}

/// An operation's fluent builder and, for a paginated operation, its paginator.
pub struct Fluent {
    /// The fluent builder, its `send` and `send_input`.
    pub builder: TokenStream,
    /// `into_paginator()` and the paginator type.
    pub paginator: Option<TokenStream>,
}

/// The type parameters that track which required members are set: `R0..Rn`, one marker
/// trait per required member.
struct Typestate<'m> {
    required: Vec<&'m Member>,
    params: Vec<Ident>,
    traits: Vec<Ident>,
}

impl<'m> Typestate<'m> {
    fn new(members: &'m [Member]) -> Self {
        let required = required(members);
        let params = (0..required.len())
            .map(|index| Ident::new(&format!("R{index}"), Span::call_site()))
            .collect();
        let traits = required
            .iter()
            .map(|member| names::is_set_trait(&member.name))
            .collect();
        Self {
            required,
            params,
            traits,
        }
    }

    /// `<R0, R1>`, or nothing.
    fn generics(&self) -> TokenStream {
        let params = &self.params;
        if params.is_empty() {
            quote!()
        } else {
            quote!(<#(#params),*>)
        }
    }

    /// `R0: NameIsSet, ...`.
    fn bounds(&self) -> TokenStream {
        let (params, traits) = (&self.params, &self.traits);
        quote!(#(#params: #traits),*)
    }

    /// One marker trait per required member, implemented by `Set` only, with the compile error
    /// that names the missing setter.
    fn marker_traits(&self, op: &str, fluent: &Ident) -> TokenStream {
        let items = self
            .required
            .iter()
            .zip(&self.traits)
            .map(|(member, name)| {
                let setter = names::field_name(&member.name);
                let message = format!(
                    "`{op}` needs `{}`: call `.{setter}(...)` before `.send()`",
                    member.name
                );
                let label = format!("`{}` is not set", member.name);
                let doc = format!(
                    " Implemented when `{}` has been set on a [`{fluent}`].",
                    member.name
                );
                quote! {
                    #[doc = #doc]
                    #[diagnostic::on_unimplemented(message = #message, label = #label)]
                    pub trait #name {}
                    impl #name for ivschat_runtime::typestate::Set {}
                }
            });
        quote!(#(#items)*)
    }
}

/// The fluent builder's setters of `member`, each with `set_NAME(Option)`: a required one's
/// move its type parameter to `Set` (`set_NAME(None)` then fails at `send()`).
fn setter(context: &Context, member: &Member, state: &Typestate, fluent: &Ident) -> TokenStream {
    let field = names::field_ident(&member.name);
    let docs = member_docs(member);
    let deprecated = docs::deprecated(member.deprecated.as_ref());
    let (parameters, arguments) = setter_parts(context, member);
    let position = state
        .required
        .iter()
        .position(|candidate| candidate.name == member.name);
    if let Some(position) = position {
        let after = state.params.iter().enumerate().map(|(index, param)| {
            if index == position {
                quote!(ivschat_runtime::typestate::Set)
            } else {
                quote!(#param)
            }
        });
        let after: Vec<TokenStream> = after.collect();
        let set = names::prefixed_ident("set", &member.name);
        let value = types::value_type(context.service, member.target);
        let set_doc = format!(
            " Sets `{}` from an `Option`, trading the compile-time check for one at `send()`, which fails naming the member when it is `None`.",
            member.name
        );
        return quote! {
            #docs #deprecated
            pub fn #field(self, #parameters) -> #fluent<#(#after,)* M> {
                #fluent { handle: self.handle, inner: self.inner.#field(#arguments), required: std::marker::PhantomData, mode: self.mode }
            }

            #[doc = #set_doc]
            #deprecated
            pub fn #set(self, input: Option<#value>) -> #fluent<#(#after,)* M> {
                #fluent { handle: self.handle, inner: self.inner.#set(input), required: std::marker::PhantomData, mode: self.mode }
            }
        };
    }
    let set = names::prefixed_ident("set", &member.name);
    let value = types::value_type(context.service, member.target);
    let set_doc = format!(" Sets or clears `{}`.", member.name);
    quote! {
        #docs #deprecated
        pub fn #field(mut self, #parameters) -> Self {
            self.inner = self.inner.#field(#arguments);
            self
        }

        #[doc = #set_doc]
        #deprecated
        pub fn #set(mut self, input: Option<#value>) -> Self {
            self.inner = self.inner.#set(input);
            self
        }
    }
}

/// What sending and presigning share: the statements that complete, build and check the input
/// (`input` is then the input), and the endpoint and request expressions (`Result`s).
struct CallParts {
    prepare: TokenStream,
    endpoint: TokenStream,
    request: TokenStream,
}

impl CallParts {
    fn new(context: &Context, operation: &Operation) -> Self {
        let idempotency_tokens = idempotency_tokens(context, operation);
        let endpoint =
            super::customized::endpoint(context, operation, endpoint(context, operation));
        let endpoint = super::discovery::endpoint(context, operation, endpoint);
        let member_defaults = super::customized::member_defaults(context, operation);
        let trimmed_prefixes = super::customized::trimmed_prefixes(context, operation);
        let request = if operation.gzip_requests {
            quote!(input.to_request().and_then(|request| {
                ivschat_runtime::operation::compression::gzip(request, handle.config())
            }))
        } else {
            quote!(input.to_request())
        };
        let prepare = quote! {
            #idempotency_tokens
            #member_defaults
            #trimmed_prefixes
            let input = input.build().map_err(|error| ivschat_runtime::operation::SdkError::Construction(Box::new(error)))?;
            if handle.config().validate_constraints {
                input.validate_with(handle.config().check_patterns).map_err(|error| ivschat_runtime::operation::SdkError::Construction(Box::new(error)))?;
            }
        };
        Self {
            prepare,
            endpoint,
            request,
        }
    }
}

/// The body of `send_input`: idempotency tokens, build, constraint checks, then the call (an
/// event-stream operation fails, saying so).
fn send_body(
    context: &Context,
    operation: &Operation,
    output: &Ident,
    error: &Ident,
) -> TokenStream {
    let op = &operation.name;
    if context.service.lacks_event_support(operation) {
        return quote! {
            let _ = (handle, input);
            Err(ivschat_runtime::operation::SdkError::Unsupported { operation: #op, feature: "event streams" }.into())
        };
    }
    let CallParts {
        endpoint, request, ..
    } = CallParts::new(context, operation);
    let call = call(context, operation, output, error);
    // With test doubles, a mocked client answers here, before any request is made.
    let mock = context.options.module_root.is_none().then(|| {
        quote! {
            #[cfg(feature = "test-util")]
            if let Some(mock) = &handle.config().mock {
                return mock.answer(#op, input, #error::from_response);
            }
        }
    });
    // Interceptors see the input before the request is made, and the outcome; the endpoint,
    // the request's writing and the whole call are timed (feature `metrics`).
    let phase = quote!(ivschat_runtime::operation::Phase);
    quote! {
        let input = prepare_input(handle, input)?;
        let timer = ivschat_runtime::operation::Timer::start();
        handle.before_serialization(#op, &input);
        let outcome: Result<#output, #error> = async {
            #mock
            let endpoint = #endpoint;
            let timer = handle.phase_done(#op, #phase::ResolveEndpoint, timer);
            let request = #request;
            handle.phase_done(#op, #phase::Serialization, timer);
            #call
        }
        .await;
        let phase = if outcome.is_ok() { #phase::Call } else { #phase::FailedCall };
        handle.phase_done(#op, phase, timer);
        handle.after_deserialization(#op, outcome)
    }
}

/// The call of `send_input` with the endpoint and request made: the runtime's call for the
/// operation's kind of response, then what endpoint discovery does with the outcome.
fn call(context: &Context, operation: &Operation, output: &Ident, error: &Ident) -> TokenStream {
    let call = if super::protocols::reads_initial_response(context, operation) {
        quote!(handle.call_streaming_then(endpoint, request, #output::from_response, #error::from_response, #output::read_initial_response).await)
    } else if context.service.body_streams(operation.output) {
        quote!(handle.call_streaming(endpoint, request, #output::from_response, #error::from_response).await)
    } else {
        quote!(handle.call(endpoint, request, #output::from_response, #error::from_response).await)
    };
    match super::discovery::after_call(context, operation) {
        Some(forget) => quote! {
            let outcome = #call;
            #forget
            outcome
        },
        None => call,
    }
}

/// `presign_input`, for the operations a presigned request can carry (not event streams):
/// the input completed, built and checked as for sending, then signed in its query string.
fn presigning(context: &Context, operation: &Operation, idents: &BuilderIdents) -> TokenStream {
    if operation.event_stream {
        return TokenStream::new();
    }
    let (input_builder, error) = (&idents.input_builder, &idents.error);
    let CallParts {
        endpoint, request, ..
    } = CallParts::new(context, operation);
    quote! {
        /// Builds and checks an input, and signs its request in the query string.
        pub(crate) async fn presign_input(
            handle: &ivschat_runtime::operation::Handle,
            input: #input_builder,
            config: ivschat_runtime::operation::PresigningConfig,
        ) -> Result<ivschat_runtime::operation::PresignedRequest, #error> {
            let input = prepare_input(handle, input)?;
            Ok(handle.presign(#endpoint, #request, &config).await?)
        }
    }
}

/// `prepare_input`, which sending and presigning share (none for an event-stream operation
/// this client cannot send).
fn preparing(context: &Context, operation: &Operation, idents: &BuilderIdents) -> TokenStream {
    if context.service.lacks_event_support(operation) {
        return TokenStream::new();
    }
    let (input, input_builder) = (&idents.input, &idents.input_builder);
    let prepare = CallParts::new(context, operation).prepare;
    quote! {
        /// Completes an input (idempotency tokens, defaults), builds it and checks its
        /// constraints (unless turned off).
        fn prepare_input(
            handle: &ivschat_runtime::operation::Handle,
            input: #input_builder,
        ) -> Result<#input, ivschat_runtime::operation::SdkError> {
            #prepare
            Ok(input)
        }
    }
}

/// The names one operation's fluent builder refers to.
struct BuilderIdents {
    fluent: Ident,
    input: Ident,
    input_builder: Ident,
    output: Ident,
    error: Ident,
}

impl BuilderIdents {
    fn new(context: &Context, operation: &Operation) -> Self {
        let service = context.service;
        let names::OperationNames { fluent, error, .. } = names::operation(&operation.rust_name);
        Self {
            fluent,
            input: names::type_ident(&service.shape(operation.input).name),
            input_builder: names::builder_ident(&service.shape(operation.input).name),
            output: names::type_ident(&service.shape(operation.output).name),
            error,
        }
    }
}

/// The fluent builder, its marker traits and, when paginated, its paginator.
pub fn render(context: &Context, operation: &Operation, members: &[Member]) -> Fluent {
    let idents = BuilderIdents::new(context, operation);
    let state = Typestate::new(members);
    let trait_items = state.marker_traits(&operation.name, &idents.fluent);
    let definition = definition(context, operation, &idents, &state);
    let setters = members
        .iter()
        .map(|member| setter(context, member, &state, &idents.fluent));
    let bounds = state.bounds();
    let paginator = operation
        .pagination
        .as_ref()
        .and_then(|pagination| paginator(context, operation, pagination, &idents.fluent, &state));
    let signature = super::waiters::Signature {
        fluent: &idents.fluent,
        params: &state.params,
        output: &idents.output,
        error: &idents.error,
        bounds: &bounds,
    };
    let waiters = super::waiters::Methods {
        async_mode: super::waiters::methods(context, operation, &signature),
        blocking: super::waiters::blocking_methods(operation, &signature),
    };
    let sending = sending(context, operation, &idents, &state, waiters);
    let (fluent, params) = (&idents.fluent, &state.params);
    let builder = quote! {
        #trait_items
        #definition

        impl<#(#params,)* M> #fluent<#(#params,)* M> {
            #(#setters)*

            /// Settings for this call only (timeouts, attempts, endpoint, more interceptors)
            /// over the client's, which stay as they are.
            pub fn customize(mut self, call: ivschat_runtime::operation::CallConfig) -> Self {
                self.handle = std::sync::Arc::new(self.handle.customized(&call));
                self
            }
        }

        #sending
    };
    Fluent { builder, paginator }
}

/// The builder's struct, documented, and its constructors.
fn definition(
    context: &Context,
    operation: &Operation,
    idents: &BuilderIdents,
    state: &Typestate,
) -> TokenStream {
    let (fluent, input, input_builder) = (&idents.fluent, &idents.input, &idents.input_builder);
    let params = &state.params;
    let (defaults, phantom) = if params.is_empty() {
        (quote!(<M = ivschat_runtime::blocking::Async>), quote!(()))
    } else {
        (
            quote!(<#(#params = ivschat_runtime::typestate::Missing,)* M = ivschat_runtime::blocking::Async>),
            quote!((#(#params,)*)),
        )
    };
    let missing = params
        .iter()
        .map(|_| quote!(ivschat_runtime::typestate::Missing));
    // A tuple of many states is what the typestate is; clippy counts it as complex.
    let allow_complexity = (params.len() > 4).then(|| quote!(#[allow(clippy::type_complexity)]));
    let struct_doc = definition_doc(context, operation);
    quote! {
        #struct_doc
        #[derive(Clone, Debug)]
        pub struct #fluent #defaults {
            pub(super) handle: std::sync::Arc<ivschat_runtime::operation::Handle>,
            pub(super) inner: #input_builder,
            #allow_complexity
            required: std::marker::PhantomData<#phantom>,
            pub(super) mode: M,
        }

        impl #fluent {
            pub(crate) fn new(handle: std::sync::Arc<ivschat_runtime::operation::Handle>) -> Self {
                Self::with_mode(handle, ivschat_runtime::blocking::Async)
            }
        }

        impl<M> #fluent<#(#missing,)* M> {
            /// A builder that sends in `mode`.
            pub(crate) fn with_mode(handle: std::sync::Arc<ivschat_runtime::operation::Handle>, mode: M) -> Self {
                Self { handle, inner: #input::builder(), required: std::marker::PhantomData, mode }
            }
        }
    }
}

/// The doc comment of an operation's builder: what it is, the typestate and the send mode.
fn definition_doc(context: &Context, operation: &Operation) -> TokenStream {
    let op = &operation.name;
    let method = names::operation(&operation.rust_name).module;
    let struct_doc = docs::outer(&[
        format!("Builds and sends a `{op}` request; made by [`Client::{method}`](crate::Client::{method})."),
        String::new(),
        "Required members are tracked in the type parameters: `send()` only compiles once they are all set.".to_owned(),
    ]);
    let mode_doc = match context.options.module_root {
        None => quote! {
            ///
            /// The last type parameter is how `send()` sends: `async` by default, blocking when
            /// the builder comes from a [`blocking::Client`](crate::blocking::Client).
        },
        Some(_) => quote! {
            ///
            /// The last type parameter is how `send()` sends: `async` by default.
        },
    };
    quote!(#struct_doc #mode_doc)
}

/// `send()` in both modes, the waiters, and `send_input`, which they share.
fn sending(
    context: &Context,
    operation: &Operation,
    idents: &BuilderIdents,
    state: &Typestate,
    waiters: super::waiters::Methods,
) -> TokenStream {
    let (fluent, input_builder) = (&idents.fluent, &idents.input_builder);
    let (output, error) = (&idents.output, &idents.error);
    let (generics, bounds, params) = (state.generics(), state.bounds(), &state.params);
    let super::waiters::Methods {
        async_mode: waiters_async,
        blocking: waiters_blocking,
    } = waiters;
    let send_doc = format!(
        " Sends the `{}` request: checks the input's constraints (unless turned off), signs, retries and parses the answer.",
        operation.name
    );
    let send_body = send_body(context, operation, output, error);
    let presign_input = presigning(context, operation, idents);
    let prepare_input = preparing(context, operation, idents);
    let presigned =
        (!presign_input.is_empty()).then(|| presigned_method(operation, error, &bounds));
    quote! {
        impl #generics #fluent #generics {
            #[doc = #send_doc]
            pub async fn send(self) -> Result<#output, #error> where #bounds {
                send_input(&self.handle, self.inner).await
            }

            #presigned

            #waiters_async
        }

        impl<#(#params),*> #fluent<#(#params,)* ivschat_runtime::blocking::Blocking> {
            #[doc = #send_doc]
            ///
            /// Blocks the calling thread until the answer is read; not for async code.
            pub fn send(self) -> Result<#output, #error> where #bounds {
                self.mode.block_on(send_input(&self.handle, self.inner))
            }

            #waiters_blocking
        }

        /// Builds, checks and sends an input; shared by the builder, the paginator and the
        /// protocol tests.
        pub(crate) async fn send_input(handle: &ivschat_runtime::operation::Handle, input: #input_builder) -> Result<#output, #error> {
            #send_body
        }

        #presign_input
        #prepare_input
    }
}

/// The builder's `presigned()`, for an operation that can be presigned.
fn presigned_method(operation: &Operation, error: &Ident, bounds: &TokenStream) -> TokenStream {
    let doc = format!(
        " The `{}` request signed in its query string (SigV4), to be sent by anyone with any HTTP client until `config`'s time runs out; the input is checked as for [`send`](Self::send).",
        operation.name
    );
    quote! {
        #[doc = #doc]
        pub async fn presigned(self, config: ivschat_runtime::operation::PresigningConfig) -> Result<ivschat_runtime::operation::PresignedRequest, #error> where #bounds {
            presign_input(&self.handle, self.inner, config).await
        }
    }
}

/// Statements that give unset `@idempotencyToken` members a token from the configuration.
fn idempotency_tokens(context: &Context, operation: &Operation) -> TokenStream {
    let DataKind::Structure(members) = &context.service.shape(operation.input).kind else {
        return TokenStream::new();
    };
    let fills = members
        .iter()
        .filter(|member| member.idempotency_token)
        .map(|member| {
            let get = names::prefixed_ident("get", &member.name);
            let set = names::field_ident(&member.name);
            quote! {
                let input = if input.#get().is_none() {
                    input.#set(handle.config().idempotency_tokens.make())
                } else {
                    input
                };
            }
        });
    quote!(#(#fills)*)
}

/// The endpoint of a call: the resolved one, with the operation's `@endpoint` host prefix
/// (its `{labels}` filled from the input) when it has one.
fn endpoint(context: &Context, operation: &Operation) -> TokenStream {
    let resolved = super::endpoint_params::endpoint(context, operation)
        .unwrap_or_else(|| quote!(crate::endpoint::resolve_for(handle.config())));
    let Some(template) = &operation.host_prefix else {
        return resolved;
    };
    let mut format = String::new();
    let mut arguments = Vec::new();
    let mut rest = template.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|close| open + close) else {
            break;
        };
        format.push_str(&rest[..open].replace('{', "{{").replace('}', "}}"));
        format.push_str("{}");
        // A label is the model name of an input member (the IR checked that it is one).
        let label = MemberName(rest[open + 1..close].to_owned());
        let input = context.service.shape(operation.input);
        let name = input
            .member(&label)
            .map_or(label.as_str(), |member| &member.name);
        let getter = names::field_ident(name);
        arguments.push(quote!(input.#getter().unwrap_or_default()));
        rest = &rest[close + 1..];
    }
    format.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    let prefix = if arguments.is_empty() {
        quote!(#template)
    } else {
        quote!(&format!(#format, #(#arguments),*))
    };
    quote!(#resolved.and_then(|endpoint| endpoint.with_host_prefix(#prefix)))
}

/// The paginator's `items()`, when the items member (a list or map) is on the output itself,
/// and the type of an item.
fn items_method(
    context: &Context,
    operation: &Operation,
    items: &[MemberName],
    output: &Ident,
    error: &Ident,
) -> Option<(TokenStream, TokenStream)> {
    let service = context.service;
    let [items] = items else {
        return None;
    };
    let member = service.shape(operation.output).member(items)?;
    let (element, is_map) = types::page_item(service, member.target)?;
    let field = names::field_ident(&member.name);
    let take = if service.shape(operation.output).is_plain(member) {
        quote!(page.#field)
    } else {
        quote!(page.#field.unwrap_or_default())
    };
    let take = if is_map {
        quote!(#take.into_iter().collect())
    } else {
        take
    };
    let method = quote! {
        /// The items of every page, one by one.
        pub fn items(self) -> ivschat_runtime::paginator::BoxStream<#element, #error> {
            Box::pin(ivschat_runtime::paginator::items(self.send(), |page: #output| #take))
        }
    };
    Some((method, element))
}

/// An `Option<&str>` expression for the next token of `page` at `path`: an output member, or
/// a member of a member (`List.NextMarker`, as CloudFront's payload outputs have), each step
/// unset-aware. The IR checked that the path names members.
fn output_token(
    context: &Context,
    output: crate::ir::ShapeRef,
    path: &[MemberName],
) -> Option<TokenStream> {
    let service = context.service;
    let mut shape = service.shape(output);
    if let [only] = path {
        let field = names::field_ident(&shape.member(only)?.name);
        return Some(quote!(page.#field.as_deref()));
    }
    let mut value = quote!(Some(page));
    for segment in path {
        let member = shape.member(segment)?;
        let field = names::field_ident(&member.name);
        let step = match (shape.is_plain(member), member.boxed) {
            (true, _) => quote!(Some(&value.#field)),
            (false, true) => quote!(value.#field.as_deref()),
            (false, false) => quote!(value.#field.as_ref()),
        };
        value = quote!(#value.and_then(|value| #step));
        if let crate::ir::Target::Shape(target) = member.target {
            shape = service.shape(target);
        }
    }
    Some(quote!(#value.map(|token| token.as_str())))
}

/// The paginator's blocking methods: its pages (and items, of type `item_type`, when the
/// operation names them) as iterators whose `next()` blocks.
fn blocking_paginator(
    paginator: &Ident,
    output: &Ident,
    error: &Ident,
    item_type: Option<&TokenStream>,
) -> TokenStream {
    let items = item_type.map(|item_type| {
        quote! {
            /// The items of every page, one by one, each read as the iterator asks for it.
            pub fn items(self) -> ivschat_runtime::blocking::BlockingIter<#item_type, #error> {
                let mode = self.mode.clone();
                ivschat_runtime::blocking::BlockingIter::new(self.in_async_mode().items(), mode)
            }
        }
    });
    quote! {
        impl #paginator<ivschat_runtime::blocking::Blocking> {
            /// The pages, one by one, each requested as the iterator asks for it; it ends after
            /// the last page or the first error.
            pub fn send(self) -> ivschat_runtime::blocking::BlockingIter<#output, #error> {
                let mode = self.mode.clone();
                ivschat_runtime::blocking::BlockingIter::new(self.in_async_mode().send(), mode)
            }

            #items

            fn in_async_mode(self) -> #paginator {
                #paginator { handle: self.handle, inner: self.inner, mode: ivschat_runtime::blocking::Async }
            }
        }
    }
}

/// The paginator's `send()`: its pages as a stream, each page's next token set on the next
/// input.
fn pages_method(
    context: &Context,
    operation: &Operation,
    pagination: &Pagination,
    input_builder: &Ident,
    output: &Ident,
    error: &Ident,
) -> Option<TokenStream> {
    let input = context.service.shape(operation.input);
    let token_member = input.member(&pagination.input_token)?;
    let set_token = names::prefixed_ident("set", &token_member.name);
    let next_token = output_token(context, operation.output, &pagination.output_token)?;
    Some(quote! {
        /// The pages, as a stream; it ends after the last page or the first error.
        pub fn send(self) -> ivschat_runtime::paginator::BoxStream<#output, #error> {
            let handle = self.handle;
            Box::pin(ivschat_runtime::paginator::pages(
                self.inner,
                move |input| {
                    let handle = handle.clone();
                    async move { send_input(&handle, input).await }
                },
                |page: &#output| #next_token,
                |input: #input_builder, token| input.#set_token(Some(token)),
            ))
        }
    })
}

/// `into_paginator()` and the paginator type; `None` when the pagination's members are not
/// found (the IR checked that they are).
fn paginator(
    context: &Context,
    operation: &Operation,
    pagination: &Pagination,
    fluent: &Ident,
    state: &Typestate,
) -> Option<TokenStream> {
    let service = context.service;
    let names::OperationNames {
        paginator, error, ..
    } = names::operation(&operation.rust_name);
    let input_builder = names::builder_ident(&service.shape(operation.input).name);
    let output = names::type_ident(&service.shape(operation.output).name);
    let send = pages_method(
        context,
        operation,
        pagination,
        &input_builder,
        &output,
        &error,
    )?;
    let page_size = page_size_method(context, operation, pagination);
    let items = pagination
        .items
        .as_ref()
        .and_then(|items| items_method(context, operation, items, &output, &error));
    let (items, item_type) = items.unzip();
    let blocking = blocking_paginator(&paginator, &output, &error, item_type.as_ref());
    let doc = format!(
        " Pages through `{}`: each page's next token is sent with the next request.",
        operation.name
    );
    let into_paginator = into_paginator(fluent, &paginator, state);
    Some(quote! {
        #into_paginator

        #[doc = #doc]
        ///
        /// Its type parameter is how it sends, as its builder's: a stream of pages by default,
        /// an iterator whose `next()` blocks from a [`blocking::Client`](crate::blocking::Client).
        #[derive(Clone, Debug)]
        pub struct #paginator<M = ivschat_runtime::blocking::Async> {
            handle: std::sync::Arc<ivschat_runtime::operation::Handle>,
            inner: #input_builder,
            mode: M,
        }

        impl<M> #paginator<M> {
            #page_size
        }

        #blocking

        impl #paginator {
            #send
            #items
        }
    })
}

/// The fluent builder's `into_paginator()`.
fn into_paginator(fluent: &Ident, paginator: &Ident, state: &Typestate) -> TokenStream {
    let (params, bounds) = (&state.params, state.bounds());
    quote! {
        impl<#(#params,)* M> #fluent<#(#params,)* M> where #bounds {
            /// Pages through the results instead of sending one request.
            pub fn into_paginator(self) -> #paginator<M> {
                #paginator { handle: self.handle, inner: self.inner, mode: self.mode }
            }
        }
    }
}

/// `page_size()`: the paginator's setter of the input's page size member, when the
/// pagination names one.
fn page_size_method(
    context: &Context,
    operation: &Operation,
    pagination: &Pagination,
) -> Option<TokenStream> {
    let input = context.service.shape(operation.input);
    let member = input.member(pagination.page_size.as_ref()?)?;
    let setter = names::field_ident(&member.name);
    Some(quote! {
        /// The number of items to ask for per page.
        pub fn page_size(mut self, size: i32) -> Self {
            self.inner = self.inner.#setter(size);
            self
        }
    })
}
