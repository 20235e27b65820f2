//! Builders: setters per member and a `build()` that checks `@required` members and fills
//! defaults.

use proc_macro2::TokenStream;
use quote::quote;

use super::defaults::{self, Fill};
use super::docs;
use super::members::{debug_impl, member_docs, redacts};
use super::Context;
use crate::ir::{DataKind, DataShape, Member, Target};
use crate::rust::names;
use crate::rust::types;

/// The builder type of a structure with its setters and `build()`.
pub fn render(context: &Context, shape: &DataShape, members: &[Member]) -> TokenStream {
    let name = names::type_ident(&shape.name);
    let builder = names::builder_ident(&shape.name);
    let doc = format!(" A builder for [`{name}`].");
    let fields = members.iter().map(|member| {
        let field = names::field_ident(&member.name);
        let stored = types::stored_type(context.service, member);
        quote!(#field: Option<#stored>,)
    });
    let setters = members.iter().map(|member| setters(context, member));
    let build = build(context, shape, members, &name);
    let derives = if redacts(shape, members) {
        quote!(#[derive(Clone, Default, PartialEq)])
    } else {
        quote!(#[derive(Clone, Debug, Default, PartialEq)])
    };
    let debug = redacts(shape, members).then(|| debug_impl(shape, members, &builder));
    quote! {
        #[doc = #doc]
        #derives
        pub struct #builder {
            #(#fields)*
        }

        impl #builder {
            #(#setters)*
            #build
        }

        #debug
    }
}

fn setters(context: &Context, member: &Member) -> TokenStream {
    let service = context.service;
    let field = names::field_ident(&member.name);
    let set = names::prefixed_ident("set", &member.name);
    let get = names::prefixed_ident("get", &member.name);
    let docs = member_docs(member);
    let deprecated = docs::deprecated(member.deprecated.as_ref());
    let value = types::value_type(service, member.target);
    let label = &member.name;
    let set_doc = format!(" Sets or clears `{label}`.");
    let get_doc = format!(" The value of `{label}` set so far.");
    let collection = match member.target {
        Target::Shape(shape) => Some(&service.shape(shape).kind),
        Target::Primitive(_) => None,
    };
    let (parameters, _) = setter_parts(context, member);
    let assign = match collection {
        Some(DataKind::List { .. }) => {
            quote!(self.#field.get_or_insert_with(Vec::new).push(item.into());)
        }
        Some(DataKind::Map { .. }) => {
            quote!(self.#field.get_or_insert_with(Default::default).insert(key.into(), value.into());)
        }
        _ if member.boxed => quote!(self.#field = Some(Box::new(input.into()));),
        _ => quote!(self.#field = Some(input.into());),
    };
    let primary = quote! {
        pub fn #field(mut self, #parameters) -> Self {
            #assign
            self
        }
    };
    let (store, read) = if member.boxed {
        (quote!(input.map(Box::new)), quote!(self.#field.as_deref()))
    } else {
        (quote!(input), quote!(self.#field.as_ref()))
    };
    quote! {
        #docs
        #deprecated
        #primary

        #[doc = #set_doc]
        #deprecated
        pub fn #set(mut self, input: Option<#value>) -> Self {
            self.#field = #store;
            self
        }

        #[doc = #get_doc]
        #deprecated
        pub fn #get(&self) -> Option<&#value> {
            #read
        }
    }
}

/// The parameters of a member's primary setter and the arguments that pass them on: one
/// `input` for a value, one `item` appended to a list, a `key` and `value` inserted in a map.
pub fn setter_parts(context: &Context, member: &Member) -> (TokenStream, TokenStream) {
    let service = context.service;
    let collection = match member.target {
        Target::Shape(shape) => Some(&service.shape(shape).kind),
        Target::Primitive(_) => None,
    };
    match collection {
        Some(DataKind::List { .. }) => {
            let element = types::list_element(service, member.target);
            (quote!(item: impl Into<#element>), quote!(item))
        }
        Some(DataKind::Map { key, value, sparse }) => {
            let key = types::value_type(service, key.target);
            let entry = entry_type(context, value, *sparse);
            (
                quote!(key: impl Into<#key>, value: impl Into<#entry>),
                quote!(key, value),
            )
        }
        _ => {
            let value = types::value_type(service, member.target);
            (quote!(input: impl Into<#value>), quote!(input))
        }
    }
}

/// The type of a map's entries (of `value`'s type, optional in a sparse map).
fn entry_type(context: &Context, value: &Member, sparse: bool) -> TokenStream {
    let inner = types::value_type(context.service, value.target);
    if sparse {
        quote!(Option<#inner>)
    } else {
        inner
    }
}

/// Whether `build()` returns a `Result`: for inputs always (so the API stays the same when the
/// model adds a required member), else when a required member without a default can be unset.
pub fn builds_fallibly(shape: &DataShape, members: &[Member]) -> bool {
    matches!(shape.role, crate::ir::Role::Input(_))
        || members
            .iter()
            .any(|member| member.required && member.default.is_none())
}

/// `build()`: infallible when nothing can be missing, else a `Result` naming the member.
fn build(
    context: &Context,
    shape: &DataShape,
    members: &[Member],
    name: &syn::Ident,
) -> TokenStream {
    let type_label = name.to_string();
    let mut checks = Vec::new();
    let mut fields = Vec::new();
    for member in members {
        let field = names::field_ident(&member.name);
        let label = &member.name;
        let missing = quote!(ivschat_runtime::BuildError::missing(#type_label, #label));
        let value = match (&member.default, shape.is_plain(member)) {
            (Some(default), true) => match defaults::fill(context, member, default) {
                Fill::TypeDefault => quote!(self.#field.unwrap_or_default()),
                Fill::Copy(expression) => quote!(self.#field.unwrap_or(#expression)),
                Fill::Computed(expression) => quote!(self.#field.unwrap_or_else(|| #expression)),
            },
            (None, true) => quote!(self.#field.ok_or_else(|| #missing)?),
            (_, false) => {
                if member.required && member.default.is_none() {
                    checks.push(quote! {
                        if self.#field.is_none() {
                            return Err(#missing);
                        }
                    });
                }
                quote!(self.#field)
            }
        };
        fields.push(quote!(#field: #value,));
    }
    if matches!(shape.role, crate::ir::Role::Error { .. }) {
        fields.push(quote!(request_id: None,));
    }
    let fallible = builds_fallibly(shape, members);
    let doc = format!(" Builds the [`{name}`].");
    if fallible {
        let error_doc = " Fails when a `@required` member without a default is unset, naming it.";
        quote! {
            #[doc = #doc]
            #[doc = ""]
            #[doc = #error_doc]
            pub fn build(self) -> Result<#name, ivschat_runtime::BuildError> {
                #(#checks)*
                Ok(#name { #(#fields)* })
            }
        }
    } else {
        quote! {
            #[doc = #doc]
            pub fn build(self) -> #name {
                #name { #(#fields)* }
            }
        }
    }
}
