//! The endpoint resolver as plain Rust: `Params`, and `resolve(&Params)` rendered from the
//! checked rules (`ir::endpoint::resolver`: conditions become `if` / `if let`, templates `format!`), the
//! tests from `endpointTests`; `aws.partition` looks in the runtime's partitions table.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use super::Context;
use crate::ir::endpoint::resolver::{
    CheckedRule, Library, Node, Piece, Property, Resolution, Resolver, ResolverTest, Step, Ty,
    Typed,
};
use crate::ir::endpoint::rules::{BuiltIn, ParamValue, Parameter, ParameterKind};
use crate::rust::names;

fn ident(name: &str) -> Ident {
    names::field_ident(name)
}

/// An expression's tokens: a `&str`, `bool`, ... (in an `Option` when it may be unset).
fn value(typed: &Typed) -> TokenStream {
    match &typed.node {
        Node::Bool(flag) => quote!(#flag),
        Node::Int(number) => {
            let literal = Literal::i64_unsuffixed(*number);
            quote!(#literal)
        }
        Node::Text(text) => quote!(#text),
        Node::Format(pieces) => format(pieces),
        Node::Var { name, owned } => variable(name, *owned, typed.ty),
        Node::Field {
            base,
            field,
            borrow,
        } => {
            let (base, field) = (value(base), Ident::new(field, Span::call_site()));
            if *borrow {
                quote!(#base.#field.as_str())
            } else {
                quote!(#base.#field)
            }
        }
        Node::Item { base, index } => item(&value(base), *index),
        Node::ResourceId { base, index } => resource_id(&value(base), *index),
        Node::IsSet {
            value: inner,
            negate,
        } => is_set(inner, *negate),
        Node::Not(inner) => {
            let tokens = value(inner);
            quote!(!(#tokens))
        }
        Node::IsEmpty {
            value: inner,
            negate,
        } => is_empty(inner, *negate),
        Node::IsBool {
            value: inner,
            expected,
        } => is_bool(inner, *expected),
        Node::Equals {
            left,
            right,
            negate,
        } => equals(left, right, *negate),
        Node::Library(library, args) => library_call(*library, args),
        Node::Coalesce(values) => coalesce(values),
        Node::Ite(condition, then, otherwise) => if_then_else(typed, condition, then, otherwise),
    }
}

/// A bound variable, borrowed as `&str` (or a slice) when it is owned.
fn variable(name: &str, owned: bool, ty: Ty) -> TokenStream {
    let ident = ident(name);
    match (owned, ty) {
        (true, Ty::StrList) => quote!(#ident.as_slice()),
        (true, _) => quote!(#ident.as_str()),
        (false, _) => quote!(#ident),
    }
}

/// A call of the rules' standard library in the runtime.
fn library_call(library: Library, args: &[Typed]) -> TokenStream {
    let function = Ident::new(library.runtime_name(), Span::call_site());
    let args = args.iter().map(value);
    let call = quote!(ivschat_runtime::endpoint::#function(#(#args),*));
    match library {
        Library::UriEncode => quote!(#call.as_str()),
        _ => call,
    }
}

/// `ite(condition, then, otherwise)`: a branch that is always set is wrapped in `Some` when
/// the whole (`typed`) may be unset.
fn if_then_else(typed: &Typed, condition: &Typed, then: &Typed, otherwise: &Typed) -> TokenStream {
    let condition = value(condition);
    let wrap = |branch: &Typed| {
        let tokens = value(branch);
        if typed.optional && !branch.optional {
            quote!(Some(#tokens))
        } else {
            tokens
        }
    };
    let (then, otherwise) = (wrap(then), wrap(otherwise));
    quote!(if #condition { #then } else { #otherwise })
}

/// `arn.resourceId[index]`, unset out of range.
fn resource_id(base: &TokenStream, index: usize) -> TokenStream {
    if index == 0 {
        quote!(#base.resource_id.first().map(String::as_str))
    } else {
        quote!(#base.resource_id.get(#index).map(String::as_str))
    }
}

/// A comparison of a string with `""` (or its negation), as clippy wants it.
fn is_empty(inner: &Typed, negate: bool) -> TokenStream {
    let tokens = value(inner);
    match (inner.optional, negate) {
        (false, false) => quote!(str::is_empty(#tokens)),
        (false, true) => quote!(!str::is_empty(#tokens)),
        (true, false) => quote!(#tokens == Some("")),
        (true, true) => quote!(#tokens != Some("")),
    }
}

/// A comparison of a boolean with the literal `expected`, folded (no `== true`).
fn is_bool(inner: &Typed, expected: bool) -> TokenStream {
    let tokens = value(inner);
    match (expected, inner.optional) {
        (true, false) => quote!(#tokens),
        (false, false) => quote!(!(#tokens)),
        (expected, true) => quote!(#tokens == Some(#expected)),
    }
}

/// `isSet(value)` (or its negation): a test of an optional value, a constant of a set one.
fn is_set(inner: &Typed, negate: bool) -> TokenStream {
    if !inner.optional {
        let set = !negate;
        return quote!(#set);
    }
    let tokens = value(inner);
    if negate {
        quote!(#tokens.is_none())
    } else {
        quote!(#tokens.is_some())
    }
}

/// A template with values: `format!`, borrowed.
fn format(pieces: &[Piece]) -> TokenStream {
    let mut format = String::new();
    let mut args = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => format.push_str(&text.replace('{', "{{").replace('}', "}}")),
            Piece::Value(piece) => {
                format.push_str("{}");
                args.push(value(piece));
            }
        }
    }
    quote!(format!(#format, #(#args),*).as_str())
}

/// `list[index]`: a negative index counts from the end, `[-1]` is the last item.
fn item(base: &TokenStream, index: i64) -> TokenStream {
    let item = match usize::try_from(index) {
        Ok(0) => quote!(#base.first()),
        Ok(index) => quote!(#base.get(#index)),
        Err(_) if index == -1 => quote!(#base.last()),
        Err(_) => {
            let back = index.unsigned_abs() as usize;
            quote!(#base.len().checked_sub(#back).and_then(|index| #base.get(index)))
        }
    };
    quote!(#item.map(String::as_str))
}

/// `left == right` (or `!=`), unset operands never equal.
fn equals(left: &Typed, right: &Typed, negate: bool) -> TokenStream {
    let (l, r) = (value(left), value(right));
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

/// `coalesce`: each later value fills in for the ones before.
fn coalesce(values: &[Typed]) -> TokenStream {
    let mut values = values.iter();
    let mut tokens = values.next().map(value).unwrap_or_default();
    for next in values {
        let next_tokens = value(next);
        tokens = if next.optional {
            quote!(#tokens.or(#next_tokens))
        } else {
            quote!(#tokens.unwrap_or(#next_tokens))
        };
    }
    tokens
}

/// A sequence of rules, up to the first that always returns (the rest could never be
/// reached); when none does, falling off the end is an error.
fn rules(rules: &[CheckedRule]) -> TokenStream {
    let mut out = TokenStream::new();
    for rule in rules {
        out.extend(steps(&rule.steps, &rule.outcome));
        if always_returns(rule) {
            return out;
        }
    }
    out.extend(quote!(return Err(ivschat_runtime::endpoint::ResolveError::new("no endpoint rule matched these parameters"));));
    out
}

/// True when the rule returns whatever the parameters: its conditions only bind values that
/// are always there (every outcome returns: a tree ends in the no-match error).
fn always_returns(rule: &CheckedRule) -> bool {
    rule.steps
        .iter()
        .all(|step| matches!(step, Step::Bind { .. } | Step::Holds))
}

/// A rule's conditions, the first wrapping the rest, around its outcome.
fn steps(steps: &[Step], outcome: &Resolution) -> TokenStream {
    let Some((step, rest)) = steps.split_first() else {
        return self::outcome(outcome);
    };
    let body = self::steps(rest, outcome);
    let binding = |bind: &Option<String>| {
        bind.as_deref().map(|name| {
            let ident = ident(name);
            quote!(let #ident = true;)
        })
    };
    match step {
        Step::Unwrap { variable } => {
            let ident = ident(variable);
            quote!(if let Some(#ident) = #ident { #body })
        }
        Step::SomeTrue {
            value: tested,
            bind,
        } => {
            let (tokens, binding) = (value(tested), binding(bind));
            quote!(if #tokens == Some(true) { #binding #body })
        }
        Step::BindSome {
            value: tested,
            name,
        } => {
            let (tokens, ident) = (value(tested), ident(name));
            quote!(if let Some(#ident) = #tokens { #body })
        }
        Step::IsSome { value: tested } => {
            let tokens = value(tested);
            quote!(if #tokens.is_some() { #body })
        }
        Step::True {
            value: tested,
            bind,
        } => {
            let (tokens, binding) = (value(tested), binding(bind));
            quote!(if #tokens { #binding #body })
        }
        Step::Bind {
            value: tested,
            name,
        } => {
            let (tokens, ident) = (value(tested), ident(name));
            quote!({ let #ident = #tokens.to_owned(); #body })
        }
        Step::Holds => body,
    }
}

fn outcome(outcome: &Resolution) -> TokenStream {
    match outcome {
        Resolution::Error(message) => {
            let message = value(message);
            quote!(return Err(ivschat_runtime::endpoint::ResolveError::new(#message));)
        }
        Resolution::Tree(tree) => rules(tree),
        Resolution::Endpoint {
            url,
            headers,
            properties,
        } => {
            let url = value(url);
            let header_entries = headers.iter().map(|(name, values)| {
                let values = values.iter().map(|header| {
                    let tokens = value(header);
                    quote!(#tokens.to_owned())
                });
                quote!((#name.to_owned(), vec![#(#values),*]))
            });
            let property_entries = properties.iter().map(|(name, entry)| {
                let entry = property(entry);
                quote!((#name.to_owned(), #entry))
            });
            quote! {
                return Ok(ivschat_runtime::endpoint::ResolvedEndpoint {
                    url: #url.to_owned(),
                    headers: [#(#header_entries),*].into_iter().collect(),
                    properties: [#(#property_entries),*].into_iter().collect(),
                });
            }
        }
    }
}

/// An endpoint property as a `Document`.
fn property(entry: &Property) -> TokenStream {
    let document = quote!(ivschat_runtime::Document);
    match entry {
        Property::Array(items) => {
            let items = items.iter().map(property);
            quote!(#document::Array(vec![#(#items),*]))
        }
        Property::Object(entries) => {
            let entries = entries.iter().map(|(key, entry)| {
                let entry = property(entry);
                quote!((#key.to_owned(), #entry))
            });
            quote!(#document::Object([#(#entries),*].into_iter().collect()))
        }
        Property::Value(scalar) => {
            let tokens = value(scalar);
            match scalar.ty {
                Ty::Bool => quote!(#document::Bool(#tokens)),
                Ty::Int => quote!(#document::from(#tokens as i64)),
                // The checker lets only set strings, booleans and integers through.
                _ => quote!(#document::from(#tokens)),
            }
        }
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
pub fn render(context: &Context, resolver: &Resolver) -> Vec<(String, TokenStream)> {
    let params = ParamItems::new(resolver);
    let (fields, bindings, from_config) = (&params.fields, &params.bindings, &params.from_config);
    let (derive_default, default_impl) = default_impl(resolver, &params.defaults);
    let body = rules(&resolver.rules);
    let tests_module = (!resolver.tests.is_empty()).then(|| {
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
    if !resolver.tests.is_empty() {
        files.push(("src/endpoint/tests.rs".to_owned(), tests(resolver)));
    }
    files
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
/// `resolve` starts with, and what a configuration sets.
struct ParamItems {
    fields: Vec<TokenStream>,
    defaults: Vec<TokenStream>,
    bindings: Vec<TokenStream>,
    from_config: Vec<TokenStream>,
}

impl ParamItems {
    fn new(resolver: &Resolver) -> Self {
        let mut items = Self {
            fields: Vec::new(),
            defaults: Vec::new(),
            bindings: Vec::new(),
            from_config: Vec::new(),
        };
        for parameter in &resolver.parameters {
            let field = ident(&parameter.name);
            let plain = parameter.default.is_some();
            let ty = parameter_field(parameter.kind, plain);
            let docs = super::docs::item(
                parameter.documentation.as_deref(),
                &format!("The `{}` parameter.", parameter.name),
            );
            items.fields.push(quote!(#docs pub #field: #ty,));
            let default = match &parameter.default {
                Some(default) => param_value(default),
                None => quote!(None),
            };
            items.defaults.push(quote!(#field: #default,));
            if parameter.must_be_set() || parameter.used {
                items.bindings.push(binding(parameter));
            }
            if let Some(configured) = configured(parameter.built_in.as_ref(), plain) {
                items.from_config.push(quote!(#field: #configured,));
            }
        }
        items
    }
}

/// The statement of `resolve` that binds a parameter to a variable of the rules (failing when
/// a required one without a default is unset).
fn binding(parameter: &Parameter) -> TokenStream {
    let field = ident(&parameter.name);
    let binding = match (parameter.kind, parameter.default.is_some()) {
        (ParameterKind::String, true) => quote!(let #field = params.#field.as_str();),
        (ParameterKind::String | ParameterKind::StringArray, false) => {
            quote!(let #field = params.#field.as_deref();)
        }
        (ParameterKind::Boolean, _) => quote!(let #field = params.#field;),
        (ParameterKind::StringArray, true) => quote!(let #field = params.#field.as_slice();),
    };
    if !parameter.must_be_set() {
        return binding;
    }
    let message = format!("the required parameter `{}` is not set", parameter.name);
    quote! {
        #binding
        let Some(#field) = #field else {
            return Err(ivschat_runtime::endpoint::ResolveError::new(#message));
        };
    }
}

/// A parameter value as Rust.
fn param_value(value: &ParamValue) -> TokenStream {
    match value {
        ParamValue::Boolean(flag) => quote!(#flag),
        ParamValue::String(text) => quote!(String::from(#text)),
        ParamValue::StringArray(items) => quote!(vec![#(String::from(#items)),*]),
    }
}

/// `#[derive(Default)]` when every default is the type's own, else an `impl Default`.
fn default_impl(resolver: &Resolver, defaults: &[TokenStream]) -> (TokenStream, TokenStream) {
    let derivable = resolver
        .parameters
        .iter()
        .all(|parameter| match &parameter.default {
            None => true,
            Some(ParamValue::Boolean(flag)) => !flag,
            Some(ParamValue::String(text)) => text.is_empty(),
            Some(ParamValue::StringArray(_)) => false,
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
fn tests(resolver: &Resolver) -> TokenStream {
    let functions = resolver
        .tests
        .iter()
        .enumerate()
        .map(|(index, case)| test(resolver, index, case));
    quote! {
        //! The model's endpoint test cases (`smithy.rules#endpointTests`).
        #(#functions)*
    }
}

/// The test of one case: `Params` with its settings, then the endpoint or error it expects.
fn test(resolver: &Resolver, index: usize, case: &ResolverTest) -> TokenStream {
    let name = Ident::new(&format!("case_{index:02}"), Span::call_site());
    let doc = format!(" {}", case.documentation);
    let settings = case.params.iter().map(|param| {
        let field = ident(&param.name);
        let value = param_value(&param.value);
        if param.optional {
            quote!(#field: Some(#value),)
        } else {
            quote!(#field: #value,)
        }
    });
    let check = match &case.expect {
        Err(message) => quote! {
            let error = super::resolve(&params).expect_err("the rules give an error");
            assert_eq!(error.message(), #message);
        },
        Ok(endpoint) => {
            let (url, headers, properties) =
                (&endpoint.url, &endpoint.headers, &endpoint.properties);
            quote! {
                let endpoint = super::resolve(&params).expect("the rules give an endpoint");
                assert_eq!(endpoint.url, #url);
                ivschat_runtime::endpoint::assert_matches_json(&endpoint, #headers, #properties);
            }
        }
    };
    let rest =
        (case.params.len() < resolver.parameters.len()).then(|| quote!(..super::Params::default()));
    quote! {
        #[test]
        #[doc = #doc]
        fn #name() {
            let params = super::Params { #(#settings)* #rest };
            #check
        }
    }
}

/// What a configuration gives a parameter bound to a built-in (region, endpoint URL, FIPS,
/// dual-stack, STS's global endpoint, S3's settings); `plain` when the parameter is not an
/// `Option` (it has a default).
fn configured(built_in: Option<&BuiltIn>, plain: bool) -> Option<TokenStream> {
    let value = match built_in? {
        // The region and the endpoint URL have no default: unset is `None`.
        BuiltIn::Region if !plain => return Some(quote!(config.region.clone())),
        BuiltIn::Endpoint if !plain => return Some(quote!(config.endpoint_url.clone())),
        BuiltIn::Region | BuiltIn::Endpoint => return None,
        BuiltIn::UseFips => quote!(config.use_fips),
        BuiltIn::UseDualStack => quote!(config.use_dual_stack),
        BuiltIn::AccountIdEndpointMode => {
            quote!(config.account_id_endpoint_mode.as_str().to_owned())
        }
        BuiltIn::StsUseGlobalEndpoint => quote!(config.sts_use_global_endpoint),
        BuiltIn::S3ForcePathStyle => quote!(config.s3.force_path_style),
        BuiltIn::S3Accelerate => quote!(config.s3.accelerate),
        BuiltIn::S3DisableMultiRegionAccessPoints => {
            quote!(config.s3.disable_multi_region_access_points)
        }
        BuiltIn::S3UseGlobalEndpoint => quote!(config.s3.use_global_endpoint),
        // Unset by default: the rules tell "unset" from `false`.
        BuiltIn::UseArnRegion => {
            return Some(match plain {
                true => quote!(config.s3.use_arn_region.unwrap_or_default()),
                false => quote!(config.s3.use_arn_region),
            })
        }
        // The account comes from the credentials, per call (`endpoint_params`).
        BuiltIn::AccountId | BuiltIn::Other(_) => return None,
    };
    Some(match plain {
        true => value,
        false => quote!(Some(#value)),
    })
}
