//! Endpoint parameters set per call: the ones an operation takes from fixed values or its
//! input (`staticContextParams`, `contextParam`, `operationContextParams`) and the account of
//! the credentials (`AWS::Auth::AccountId`), set on `Params::from_config` before resolving.

use proc_macro2::TokenStream;
use quote::quote;

use super::Context;
use crate::ir::endpoint::context_params::{ContextParam, ContextValue, PathStep, StaticValue};
use crate::ir::endpoint::rules::{BuiltIn, Parameter, ParameterKind};
use crate::ir::{DataKind, DataShape, MemberName, Operation, Primitive, Service, Target};
use crate::rust::names;

/// The rule-set parameter bound to the credentials' account, if any.
fn account_parameter(service: &Service) -> Option<&Parameter> {
    service
        .endpoint_rules
        .as_ref()?
        .built_in(&BuiltIn::AccountId)
}

/// The operation's context parameters that name a parameter of the rule set.
fn known_params<'o>(
    service: &Service,
    operation: &'o Operation,
) -> Vec<(&'o ContextParam, Parameter)> {
    let Some(rules) = &service.endpoint_rules else {
        return Vec::new();
    };
    operation
        .context_params
        .iter()
        .filter_map(|param| Some((param, rules.parameter(&param.parameter)?.clone())))
        .collect()
}

/// True when the rules route by the credentials' account (`AWS::Auth::AccountId`): every
/// operation then resolves its endpoint per call.
pub fn routes_by_account(service: &Service) -> bool {
    account_parameter(service).is_some()
}

/// True when some operation resolves its endpoint from the configuration alone (then the
/// endpoint module has `resolve_for`).
pub fn some_call_uses_config_only(service: &Service) -> bool {
    !routes_by_account(service)
        && service
            .operations
            .iter()
            .any(|operation| known_params(service, operation).is_empty())
}

/// True when some operation resolves its endpoint with per-call parameters (then the
/// endpoint module has `resolve_params`).
pub fn used(service: &Service) -> bool {
    account_parameter(service).is_some()
        || service
            .operations
            .iter()
            .any(|operation| !known_params(service, operation).is_empty())
}

/// The endpoint expression of `operation` when it sets per-call parameters, else `None`.
pub fn endpoint(context: &Context, operation: &Operation) -> Option<TokenStream> {
    let service = context.service;
    let account = account_parameter(service);
    let params = known_params(service, operation);
    if account.is_none() && params.is_empty() {
        return None;
    }
    let input = service.shape(operation.input);
    let sets: Vec<TokenStream> = params
        .iter()
        .filter_map(|(param, parameter)| set(service, input, param, parameter))
        .collect();
    let resolve = quote! {
        #(#sets)*
        crate::endpoint::resolve_params(&params, handle.config())
    };
    Some(match account {
        Some(parameter) => {
            let field = names::field_ident(&parameter.name);
            let value = if parameter.default.is_some() {
                quote!(account.unwrap_or_default())
            } else {
                quote!(account)
            };
            quote! {
                match handle.account_id().await {
                    Ok(account) => {
                        let mut params = crate::endpoint::Params::from_config(handle.config());
                        params.#field = #value;
                        #resolve
                    }
                    Err(error) => Err(error),
                }
            }
        }
        None => quote!({
            let mut params = crate::endpoint::Params::from_config(handle.config());
            #resolve
        }),
    })
}

/// The statement setting one parameter, or `None` when the model's value cannot be one
/// (the generator then leaves the parameter to the configuration).
fn set(
    service: &Service,
    input: &DataShape,
    param: &ContextParam,
    parameter: &Parameter,
) -> Option<TokenStream> {
    let field = names::field_ident(&parameter.name);
    let plain = parameter.default.is_some();
    let wrap = |value: TokenStream| if plain { value } else { quote!(Some(#value)) };
    match (&param.value, parameter.kind) {
        (ContextValue::Static(StaticValue::Bool(flag)), ParameterKind::Boolean) => {
            let value = wrap(quote!(#flag));
            Some(quote!(params.#field = #value;))
        }
        (ContextValue::Static(StaticValue::String(text)), ParameterKind::String) => {
            let value = wrap(quote!(String::from(#text)));
            Some(quote!(params.#field = #value;))
        }
        (ContextValue::Static(StaticValue::Strings(items)), ParameterKind::StringArray) => {
            let value = wrap(quote!(vec![#(String::from(#items)),*]));
            Some(quote!(params.#field = #value;))
        }
        (ContextValue::Member(name), kind) => {
            member_value(service, input, name, kind).map(|value| {
                if plain {
                    quote!(if let Some(value) = #value { params.#field = value; })
                } else {
                    quote!(params.#field = #value;)
                }
            })
        }
        (ContextValue::Path(steps), kind) => {
            let PathValues { chain, to_string } = path_values(service, input, steps)?;
            let value = match (kind, to_string) {
                (ParameterKind::StringArray, None) => {
                    quote!(Some(#chain.cloned().collect::<Vec<String>>()))
                }
                (ParameterKind::StringArray, Some(to_string)) => {
                    quote!(Some(#chain #to_string.collect::<Vec<String>>()))
                }
                (ParameterKind::String, None) => quote!(#chain.next().cloned()),
                (ParameterKind::String, Some(to_string)) => quote!(#chain #to_string.next()),
                (ParameterKind::Boolean, _) => return None,
            };
            Some(if plain {
                quote!(if let Some(value) = #value { params.#field = value; })
            } else {
                quote!(params.#field = #value;)
            })
        }
        _ => None,
    }
}

/// The `Option` of an input member's value as the parameter's type.
fn member_value(
    service: &Service,
    input: &DataShape,
    name: &MemberName,
    kind: ParameterKind,
) -> Option<TokenStream> {
    let DataKind::Structure(_) = &input.kind else {
        return None;
    };
    let member = input.member(name)?;
    let field = names::field_ident(&member.name);
    let plain = input.is_plain(member);
    let kind_of = service.primitive_of(member.target);
    // Strings and booleans are the parameter's own type: cloned or copied as they are.
    let own = match (kind, kind_of) {
        (ParameterKind::String, Some(Primitive::String)) => Some(quote!(input.#field.clone())),
        (ParameterKind::Boolean, Some(Primitive::Boolean)) => Some(quote!(input.#field)),
        _ => None,
    };
    if let Some(value) = own {
        return Some(if plain { quote!(Some(#value)) } else { value });
    }
    if kind != ParameterKind::String {
        return None;
    }
    let text = text_of(service, member.target)?;
    let value = text(quote!(value));
    Some(if plain {
        quote!({ let value = &input.#field; Some(#value) })
    } else {
        quote!(input.#field.as_ref().map(|value| #value))
    })
}

/// How a string or enum value (a reference) becomes a `String`.
fn text_of(service: &Service, target: Target) -> Option<fn(TokenStream) -> TokenStream> {
    if service.primitive_of(target) == Some(Primitive::String) {
        return Some(|value| quote!(#value.clone()));
    }
    match target {
        Target::Shape(shape) if matches!(service.shape(shape).kind, DataKind::Enum(_)) => {
            Some(|value| quote!(#value.as_str().to_owned()))
        }
        _ => None,
    }
}

/// What a path reaches: an iterator of references, and how its items become `String`s
/// (`None` for strings, which are cloned once taken).
struct PathValues {
    chain: TokenStream,
    to_string: Option<TokenStream>,
}

/// An iterator expression over the values a path reaches in `input`.
fn path_values(service: &Service, input: &DataShape, steps: &[PathStep]) -> Option<PathValues> {
    let mut shape = input;
    let mut target: Option<Target> = None;
    let mut chain = quote!(std::iter::once(&input));
    for step in steps {
        match step {
            PathStep::Field(name) => {
                if let Some(Target::Shape(next)) = target {
                    shape = service.shape(next);
                }
                let DataKind::Structure(_) = &shape.kind else {
                    return None;
                };
                let member = shape.member(name)?;
                let field = names::field_ident(&member.name);
                chain = if shape.is_plain(member) {
                    quote!(#chain.map(|value| &value.#field))
                } else {
                    quote!(#chain.filter_map(|value| value.#field.as_ref()))
                };
                target = Some(member.target);
            }
            PathStep::Each => {
                let Some(Target::Shape(list)) = target else {
                    return None;
                };
                let DataKind::List { member, .. } = &service.shape(list).kind else {
                    return None;
                };
                chain = quote!(#chain.flat_map(|value| value.iter()));
                target = Some(member.target);
            }
            PathStep::Keys => {
                let Some(Target::Shape(map)) = target else {
                    return None;
                };
                let DataKind::Map { .. } = &service.shape(map).kind else {
                    return None;
                };
                chain = quote!(#chain.flat_map(|value| value.keys()));
                target = Some(Target::Primitive(Primitive::String));
            }
        }
    }
    let target = target?;
    let text = text_of(service, target)?;
    let string = service.primitive_of(target) == Some(Primitive::String);
    let converted = text(quote!(value));
    Some(PathValues {
        chain,
        to_string: (!string).then(|| quote!(.map(|value| #converted))),
    })
}
