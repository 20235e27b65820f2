//! Error enums: one per operation with exactly its modelled errors, and the service-wide
//! `Error` every operation error converts into. One `match` reaches the typed error.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, Context};
use crate::ir::{Operation, Role, ShapeRef};
use crate::rust::names;
use crate::rust::types;

/// The first line of an error shape's docs, for its variant.
fn variant_doc(context: &Context, error: ShapeRef) -> TokenStream {
    let shape = context.service.shape(error);
    let first = docs::doc_lines(
        shape.docs.as_deref(),
        &format!("The service answered `{}`.", shape.name),
    )
    .into_iter()
    .next()
    .unwrap_or_default();
    docs::outer(&[first])
}

/// The code that names each error on the wire (the IR gives every error shape one), and the
/// code `code()` reports: its awsQuery code in an `awsQueryCompatible` service.
fn wire_codes(context: &Context, errors: &[ShapeRef]) -> Vec<(String, Option<String>)> {
    errors
        .iter()
        .filter_map(|error| match &context.service.shape(*error).role {
            Role::Error {
                code, query_code, ..
            } => Some((code.clone(), query_code.clone())),
            _ => None,
        })
        .collect()
}

/// Variants, `from_response` arms, `is_*` helpers and accessors shared by both kinds of enum.
fn error_enum(
    context: &Context,
    name: &syn::Ident,
    doc: &str,
    errors: &[ShapeRef],
    parses: bool,
) -> TokenStream {
    let service = context.service;
    let variants: Vec<_> = errors
        .iter()
        .map(|error| names::type_ident(&service.shape(*error).name))
        .collect();
    let paths: Vec<_> = errors
        .iter()
        .map(|error| types::shape_path(service, *error))
        .collect();
    let variant_docs: Vec<_> = errors
        .iter()
        .map(|error| variant_doc(context, *error))
        .collect();
    let wire = wire_codes(context, errors);
    let codes: Vec<&str> = wire
        .iter()
        .map(|(code, query_code)| query_code.as_deref().unwrap_or(code))
        .collect();
    let patterns: Vec<TokenStream> = wire
        .iter()
        .map(|(code, query_code)| match query_code {
            Some(query_code) => quote!(Some(#code | #query_code)),
            None => quote!(Some(#code)),
        })
        .collect();
    let doc = docs::outer(&[doc.to_owned()]);
    let accessors = accessors(context, errors, &variants, &codes);
    let from_response = parses.then(|| from_response(&variants, &paths, &patterns));
    let impls = standard_impls(name, &variants, &paths);
    quote! {
        #doc
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum #name {
            #(#variant_docs #variants(#paths),)*
            /// A service error this operation does not model (or a code this client does not know).
            Unhandled(ivschat_runtime::operation::UnhandledError),
            /// The call failed without a service error: invalid input, credentials, endpoint,
            /// timeout, network or an unreadable response.
            Sdk(ivschat_runtime::operation::SdkError),
        }

        impl #name {
            #from_response
            #accessors
        }

        #impls
    }
}

/// An error enum's `is_<error>()` tests, `request_id()` and `code()`.
fn accessors(
    context: &Context,
    errors: &[ShapeRef],
    variants: &[syn::Ident],
    codes: &[&str],
) -> TokenStream {
    let is_fns = errors
        .iter()
        .map(|error| names::prefixed_ident("is", &context.service.shape(*error).name));
    let is_docs = codes.iter().map(|code| format!(" True for `{code}`."));
    quote! {
        #(
            #[doc = #is_docs]
            pub fn #is_fns(&self) -> bool {
                matches!(self, Self::#variants(_))
            }
        )*

        /// The request id of the service's answer, when there was one.
        pub fn request_id(&self) -> Option<&str> {
            match self {
                #(Self::#variants(error) => error.request_id(),)*
                Self::Unhandled(error) => error.request_id(),
                Self::Sdk(_) => None,
            }
        }

        /// The service's error code, when there was one.
        pub fn code(&self) -> Option<&str> {
            match self {
                #(Self::#variants(_) => Some(#codes),)*
                Self::Unhandled(error) => error.code(),
                Self::Sdk(_) => None,
            }
        }
    }
}

/// `from_response`: the error code picks the variant (every error is unhandled when the
/// operation models none).
fn from_response(
    variants: &[syn::Ident],
    paths: &[TokenStream],
    patterns: &[TokenStream],
) -> TokenStream {
    if variants.is_empty() {
        return quote! {
            /// Reads an error response: the operation models no errors, so each is unhandled.
            pub(crate) fn from_response(response: ivschat_runtime::transport::HttpResponse, request_id: Option<String>) -> Self {
                Self::Unhandled(ivschat_runtime::operation::UnhandledError::from_response(response, request_id))
            }
        };
    }
    quote! {
        /// Reads an error response: the code picks the variant.
        pub(crate) fn from_response(response: ivschat_runtime::transport::HttpResponse, request_id: Option<String>) -> Self {
            let code = ivschat_runtime::operation::error_code(&response);
            let parsed = match code.as_deref() {
                #(#patterns => #paths::read_error(&response, request_id.clone()).map(Self::#variants),)*
                _ => return Self::Unhandled(ivschat_runtime::operation::UnhandledError::from_response(response, request_id)),
            };
            parsed.unwrap_or_else(|error| {
                Self::Sdk(ivschat_runtime::operation::SdkError::Response { message: error.to_string(), raw: Box::new(response) })
            })
        }
    }
}

/// `Display`, `std::error::Error` and `From<SdkError>` of an error enum. The enum is
/// transparent: its `Display` and `source()` are the inner error's, so a report that walks the
/// chain (anyhow, eyre) prints each cause once.
fn standard_impls(
    name: &syn::Ident,
    variants: &[syn::Ident],
    paths: &[TokenStream],
) -> TokenStream {
    quote! {
        #(
            impl From<#paths> for #name {
                fn from(error: #paths) -> Self {
                    Self::#variants(error)
                }
            }
        )*

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #(Self::#variants(error) => std::fmt::Display::fmt(error, f),)*
                    Self::Unhandled(error) => std::fmt::Display::fmt(error, f),
                    Self::Sdk(error) => std::fmt::Display::fmt(error, f),
                }
            }
        }

        impl std::error::Error for #name {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    #(Self::#variants(error) => std::error::Error::source(error),)*
                    Self::Unhandled(error) => std::error::Error::source(error),
                    Self::Sdk(error) => std::error::Error::source(error),
                }
            }
        }

        impl From<ivschat_runtime::operation::SdkError> for #name {
            fn from(error: ivschat_runtime::operation::SdkError) -> Self {
                Self::Sdk(error)
            }
        }
    }
}

/// The error enum of one operation.
pub fn operation_error(context: &Context, operation: &Operation) -> TokenStream {
    let name = names::operation(&operation.rust_name).error;
    let doc = format!("The errors `{}` can return.", operation.name);
    error_enum(context, &name, &doc, &operation.errors, true)
}

/// The service-wide `Error`, with a conversion from every operation's error enum.
pub fn service_error(context: &Context) -> TokenStream {
    let service = context.service;
    let mut all: Vec<ShapeRef> = service
        .operations
        .iter()
        .flat_map(|operation| operation.errors.iter().copied())
        .collect();
    all.sort_by_key(|error| service.shape(*error).name.clone());
    all.dedup();
    let name = syn::Ident::new("Error", proc_macro2::Span::call_site());
    let enum_tokens = error_enum(
        context,
        &name,
        "Any error of any operation of the service.",
        &all,
        false,
    );
    let conversions = service.operations.iter().map(|operation| {
        let names::OperationNames {
            module,
            error: operation_error,
            ..
        } = names::operation(&operation.rust_name);
        let variants: Vec<_> = operation
            .errors
            .iter()
            .map(|error| names::type_ident(&service.shape(*error).name))
            .collect();
        quote! {
            impl From<crate::operation::#module::#operation_error> for Error {
                fn from(error: crate::operation::#module::#operation_error) -> Self {
                    use crate::operation::#module::#operation_error as Operation;
                    match error {
                        #(Operation::#variants(error) => Self::#variants(error),)*
                        Operation::Unhandled(error) => Self::Unhandled(error),
                        Operation::Sdk(error) => Self::Sdk(error),
                    }
                }
            }
        }
    });
    quote! {
        //! Errors: the service-wide [`Error`], and errors raised before a request is sent.
        pub use ivschat_runtime::BuildError;
        pub use ivschat_runtime::constraint::ConstraintViolation;
        pub use ivschat_runtime::operation::{SdkError, UnhandledError};

        #enum_tokens
        #(#conversions)*
    }
}
