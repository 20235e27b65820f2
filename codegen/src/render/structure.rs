//! Structures: the type, its accessors, `Debug` (redacting sensitive members) and, for error
//! shapes, `Display` and `std::error::Error`.

use proc_macro2::TokenStream;
use quote::quote;

use super::members::{debug_impl, member_docs, redacts};
use super::{builder, docs, validate, Context};
use crate::ir::{DataShape, Member, Role};
use crate::rust::names;
use crate::rust::types::{self, Access};

/// The type, its impls and its builder.
pub fn render(context: &Context, shape: &DataShape, members: &[Member]) -> TokenStream {
    let name = names::type_ident(&shape.name);
    let builder_name = names::builder_ident(&shape.name);
    let docs = docs::outer(&structure_docs(context, shape));
    let deprecated = docs::deprecated(shape.deprecated.as_ref());
    let serde = super::serde::for_structure(context, members);
    let fields = members
        .iter()
        .map(|member| field(context, shape, member, serde));
    let accessors = members
        .iter()
        .map(|member| accessor(context, shape, member));
    let validate = validate::for_structure(context, shape, members);
    let is_error = matches!(shape.role, Role::Error { .. });
    let request_id_field = is_error.then(|| {
        let serde = super::serde::skipped_field(serde);
        quote!(#serde pub(crate) request_id: Option<String>,)
    });
    let wire = wire_methods(context, shape, members);
    let derive_debug = !redacts(shape, members);
    let derives = if derive_debug {
        quote!(#[derive(Clone, Debug, PartialEq)])
    } else {
        quote!(#[derive(Clone, PartialEq)])
    };
    let serde_derives = super::serde::structure_derives(serde);
    let serde_defaults = super::serde::default_functions(serde, context, shape, members);
    let debug_impl = (!derive_debug).then(|| debug_impl(shape, members, &name));
    let error_impls = matches!(shape.role, Role::Error { .. })
        .then(|| error_impls(context, shape, members, &name));
    let builder = builder::render(context, shape, members);
    let builder_doc = format!(" A builder for [`{name}`].");
    quote! {
        #docs
        #deprecated
        #derives
        #serde_derives
        pub struct #name {
            #(#fields)*
            #request_id_field
        }

        impl #name {
            #[doc = #builder_doc]
            pub fn builder() -> #builder_name {
                #builder_name::default()
            }

            #(#accessors)*

            #validate
            #wire
        }

        #debug_impl
        #error_impls
        #serde_defaults
        #builder
    }
}

/// The field of `member`: its docs, serde attributes (when `serde`), and its type (an `Option` unless the
/// member is always set).
fn field(context: &Context, shape: &DataShape, member: &Member, serde: bool) -> TokenStream {
    let field = names::field_ident(&member.name);
    let field_docs = member_docs(member);
    let stored = types::stored_type(context.service, member);
    let ty = if shape.is_plain(member) {
        stored
    } else {
        quote!(Option<#stored>)
    };
    let serde = super::serde::field_attributes(serde, context, shape, member);
    quote!(#field_docs #serde pub(crate) #field: #ty,)
}

/// The methods the protocol gives the structure: its body writer and reader and the role
/// methods (`to_request`, `from_response`, `read_error`).
fn wire_methods(context: &Context, shape: &DataShape, members: &[Member]) -> TokenStream {
    let write = context.codec().structure_writer(context, shape, members);
    let extra_fields = match shape.role {
        Role::Error { .. } => quote!(request_id: None,),
        _ => TokenStream::new(),
    };
    let read = context
        .codec()
        .structure_reader(context, shape, members, extra_fields);
    let protocol = context.wire().role_methods(context, shape, members);
    quote!(#write #read #protocol)
}

/// Docs for a structure; synthetic inputs and outputs name their operation and model shape.
fn structure_docs(context: &Context, shape: &DataShape) -> Vec<String> {
    let (fallback, operation) = match shape.role {
        Role::Input(index) => ("The input of", Some(&context.service.operations[index])),
        Role::Output(index) => ("The output of", Some(&context.service.operations[index])),
        _ => ("", None),
    };
    let Some(operation) = operation else {
        return docs::doc_lines(
            shape.docs.as_deref(),
            &format!("The `{}` structure.", shape.name),
        );
    };
    let mut lines = docs::doc_lines(
        shape.docs.as_deref(),
        &format!("{fallback} the `{}` operation.", operation.name),
    );
    if shape.id != operation.id {
        lines.push(String::new());
        lines.push(format!("Model shape: `{}`.", shape.id));
    }
    lines
}

fn accessor(context: &Context, shape: &DataShape, member: &Member) -> TokenStream {
    let service = context.service;
    let field = names::field_ident(&member.name);
    let docs = member_docs(member);
    let deprecated = docs::deprecated(member.deprecated.as_ref());
    let value = types::value_type(service, member.target);
    let access = types::access(service, member.target);
    let (ty, body) = if shape.is_plain(member) {
        match access {
            Access::Str => (quote!(&str), quote!(&self.#field)),
            Access::Copy => (value.clone(), quote!(self.#field)),
            Access::Slice => {
                let element = types::list_element(service, member.target);
                (quote!(&[#element]), quote!(&self.#field))
            }
            Access::Ref => (quote!(&#value), quote!(&self.#field)),
        }
    } else {
        match access {
            Access::Str => (quote!(Option<&str>), quote!(self.#field.as_deref())),
            Access::Copy => (quote!(Option<#value>), quote!(self.#field)),
            Access::Slice => {
                let element = types::list_element(service, member.target);
                (quote!(Option<&[#element]>), quote!(self.#field.as_deref()))
            }
            Access::Ref if member.boxed => {
                (quote!(Option<&#value>), quote!(self.#field.as_deref()))
            }
            Access::Ref => (quote!(Option<&#value>), quote!(self.#field.as_ref())),
        }
    };
    let take = take_method(context, shape, member, value);
    quote! {
        #docs
        #deprecated
        pub fn #field(&self) -> #ty {
            #body
        }
        #take
    }
}

/// `take_<member>()`, for an output's body or event stream read as it arrives: it is taken
/// out to be read.
fn take_method(
    context: &Context,
    shape: &DataShape,
    member: &Member,
    value: TokenStream,
) -> Option<TokenStream> {
    let service = context.service;
    let events = service.is_event_stream(member.target);
    if !(service.is_streaming(member.target) || events) || shape.usage.input {
        return None;
    }
    let field = names::field_ident(&member.name);
    let take = names::prefixed_ident("take", &member.name);
    let ty = if shape.is_plain(member) {
        value
    } else {
        quote!(Option<#value>)
    };
    let doc = if events {
        format!(
            " Takes `{}` out to be read (leaving an empty stream), e.g. with `recv()` or `next()`.",
            member.name
        )
    } else {
        format!(" Takes `{}` out to be read (leaving an empty body), e.g. with `collect()`, `next()` or `write_to_path()`.", member.name)
    };
    Some(quote! {
        #[doc = #doc]
        pub fn #take(&mut self) -> #ty {
            std::mem::take(&mut self.#field)
        }
    })
}

fn error_impls(
    context: &Context,
    shape: &DataShape,
    members: &[Member],
    name: &syn::Ident,
) -> TokenStream {
    let label = name.to_string();
    let message = members.iter().find(|member| {
        member.name.eq_ignore_ascii_case("message")
            && types::access(context.service, member.target) == Access::Str
    });
    let write_message = match message {
        Some(member) if shape.is_plain(member) => {
            let field = names::field_ident(&member.name);
            quote!(write!(f, ": {}", self.#field)?;)
        }
        Some(member) => {
            let field = names::field_ident(&member.name);
            quote! {
                if let Some(message) = &self.#field {
                    write!(f, ": {message}")?;
                }
            }
        }
        None => TokenStream::new(),
    };
    quote! {
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(#label)?;
                #write_message
                if let Some(request_id) = &self.request_id {
                    write!(f, " (request id {request_id})")?;
                }
                Ok(())
            }
        }

        impl std::error::Error for #name {}
    }
}
