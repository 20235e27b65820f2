//! Tagged unions: one variant per member, plus `Unknown` for members this client does not know.

use proc_macro2::TokenStream;
use quote::quote;

use super::members::member_docs;
use super::{docs, validate, Context};
use crate::ir::{DataShape, Member};
use crate::rust::{names, types};

/// `as_NAME()` and `is_NAME()` for one member.
fn accessors(context: &Context, member: &Member) -> TokenStream {
    let variant = names::variant_ident(&member.name);
    let as_fn = names::prefixed_ident("as", &member.name);
    let is_fn = names::prefixed_ident("is", &member.name);
    let value = types::value_type(context.service, member.target);
    let found = if member.boxed {
        quote!(&**value)
    } else {
        quote!(value)
    };
    let as_doc = format!(" The `{}` value, when that is the member set.", member.name);
    let is_doc = format!(" True when the member set is `{}`.", member.name);
    quote! {
        #[doc = #as_doc]
        pub fn #as_fn(&self) -> Option<&#value> {
            if let Self::#variant(value) = self { Some(#found) } else { None }
        }

        #[doc = #is_doc]
        pub fn #is_fn(&self) -> bool {
            matches!(self, Self::#variant(_))
        }
    }
}

/// The union type with its accessors and checks.
pub fn render(context: &Context, shape: &DataShape, members: &[Member]) -> TokenStream {
    let service = context.service;
    let name = names::type_ident(&shape.name);
    let docs = docs::item(
        shape.docs.as_deref(),
        &format!("The `{}` union.", shape.name),
    );
    let deprecated = docs::deprecated(shape.deprecated.as_ref());
    let variants = members.iter().map(|member| {
        let variant = names::variant_ident(&member.name);
        let docs = member_docs(member);
        let deprecated = docs::deprecated(member.deprecated.as_ref());
        let stored = types::stored_type(service, member);
        quote!(#docs #deprecated #variant(#stored),)
    });
    let accessors = members.iter().map(|member| accessors(context, member));
    let redacted = shape.sensitive || members.iter().any(|member| member.sensitive);
    let derives = if redacted {
        quote!(#[derive(Clone, PartialEq)])
    } else {
        quote!(#[derive(Clone, Debug, PartialEq)])
    };
    let debug = redacted.then(|| debug_impl(shape, members, &name));
    let (methods, events) = body_methods(context, shape, members);
    quote! {
        #docs
        #deprecated
        #[non_exhaustive]
        #derives
        pub enum #name {
            #(#variants)*
            /// A member this version of the client does not know, with its value as received.
            #[non_exhaustive]
            Unknown {
                /// The member name.
                name: String,
                /// The member value.
                value: crate::primitives::Document,
            },
        }

        impl #name {
            #(#accessors)*

            /// True when the member set is one this version of the client does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown { .. })
            }

            #methods
        }

        #debug
        #events
    }
}

/// The union's checks and body writer and reader, or, for an event stream (whose events are
/// read and written as messages, never as a body), its event impls beside the type.
fn body_methods(
    context: &Context,
    shape: &DataShape,
    members: &[Member],
) -> (TokenStream, TokenStream) {
    if shape.event_stream {
        return (
            TokenStream::new(),
            super::events::render(context, shape, members),
        );
    }
    let validate = validate::for_union(context, shape, members);
    let write = context.codec().union_writer(context, shape, members);
    let read = context.codec().union_reader(context, shape, members);
    (quote!(#validate #write #read), TokenStream::new())
}

fn debug_impl(shape: &DataShape, members: &[Member], name: &syn::Ident) -> TokenStream {
    let arms = members.iter().map(|member| {
        let variant = names::variant_ident(&member.name);
        let label = variant.to_string();
        if shape.sensitive || member.sensitive {
            quote!(Self::#variant(_) => f.debug_tuple(#label).field(&ivschat_runtime::REDACTED).finish(),)
        } else {
            quote!(Self::#variant(value) => f.debug_tuple(#label).field(value).finish(),)
        }
    });
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #(#arms)*
                    Self::Unknown { name, .. } => f.debug_struct("Unknown").field("name", name).finish_non_exhaustive(),
                }
            }
        }
    }
}
