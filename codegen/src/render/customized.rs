//! The code of the service customizations the IR lists (`crate::ir::customize`): fixed request
//! headers, member defaults and trimmed prefixes, Glacier's upload hashes, an endpoint named by
//! an input member.

use proc_macro2::TokenStream;
use quote::quote;

use super::Context;
use crate::ir::{DataKind, Operation};
use crate::rust::names;

/// Statements inserting the service's fixed request headers (into `headers`).
pub fn request_headers(context: &Context) -> TokenStream {
    let inserts = context.service.customizations.request_headers.iter().map(|(name, value)| {
        quote!(headers.insert(#name, ivschat_runtime::http::HeaderValue::from_static(#value));)
    });
    quote!(#(#inserts)*)
}

/// Statements (in `send_input`) giving the defaulted members of the input builder their value
/// when unset or empty.
pub fn member_defaults(context: &Context, operation: &Operation) -> TokenStream {
    let service = context.service;
    let DataKind::Structure(members) = &service.shape(operation.input).kind else {
        return TokenStream::new();
    };
    let fills = service
        .customizations
        .member_defaults
        .iter()
        .filter_map(|(name, value)| {
            let member = members.iter().find(|member| member.wire_name == *name)?;
            let get = names::prefixed_ident("get", &member.name);
            let set = names::field_ident(&member.name);
            Some(quote! {
                let input = if input.#get().is_none_or(|value| value.is_empty()) {
                    input.#set(#value)
                } else {
                    input
                };
            })
        });
    quote!(#(#fills)*)
}

/// Statements (in `send_input`) taking the first of their prefixes off the input builder's
/// members that have some (Route 53's ids).
pub fn trimmed_prefixes(context: &Context, operation: &Operation) -> TokenStream {
    let service = context.service;
    let DataKind::Structure(members) = &service.shape(operation.input).kind else {
        return TokenStream::new();
    };
    let trims = service
        .customizations
        .trimmed_prefixes
        .iter()
        .filter(|trimmed| trimmed.input == operation.input)
        .filter_map(|trimmed| {
            let member = members
                .iter()
                .find(|member| member.wire_name == trimmed.member)?;
            let get = names::prefixed_ident("get", &member.name);
            let set = names::field_ident(&member.name);
            let prefixes = trimmed.prefixes;
            Some(quote! {
                let trimmed = input.#get().and_then(|value| {
                    [#(#prefixes),*].iter().find_map(|prefix| value.strip_prefix(prefix)).map(str::to_owned)
                });
                let input = match trimmed {
                    Some(value) => input.#set(value),
                    None => input,
                };
            })
        });
    quote!(#(#trims)*)
}

/// Statements (in `to_request`, after the body) adding Glacier's upload hashes to an upload
/// held in memory, the tree hash only when the input did not set it.
pub fn upload_hashes(context: &Context, operation: &Operation) -> TokenStream {
    let service = context.service;
    if !service.customizations.tree_hash_uploads
        || service.streaming_payload(operation.input).is_none()
    {
        return TokenStream::new();
    }
    quote! {
        if let Some(bytes) = body.in_memory() {
            let (linear, tree) = ivschat_runtime::glacier::upload_hashes(bytes);
            let value = |hex: String| ivschat_runtime::http::HeaderValue::try_from(hex).expect("hex is a header value");
            headers.insert("x-amz-content-sha256", value(linear));
            headers.entry("x-amz-sha256-tree-hash").or_insert_with(|| value(tree));
        }
    }
}

/// The endpoint expression of an operation: `resolved`, signed by S3's rules for S3, and
/// replaced by the URL of the input member that names the endpoint where there is one.
pub fn endpoint(context: &Context, operation: &Operation, resolved: TokenStream) -> TokenStream {
    let service = context.service;
    let resolved = match service.customizations.s3_signing {
        true => quote!(#resolved.map(ivschat_runtime::operation::Endpoint::signed_as_s3)),
        false => resolved,
    };
    let Some(name) = &service.customizations.endpoint_member else {
        return resolved;
    };
    let DataKind::Structure(members) = &service.shape(operation.input).kind else {
        return resolved;
    };
    let Some(member) = members.iter().find(|member| member.wire_name == *name) else {
        return resolved;
    };
    let getter = names::field_ident(&member.name);
    quote! {
        #resolved.and_then(|endpoint| match input.#getter() {
            Some(url) => endpoint.with_url(url),
            None => Ok(endpoint),
        })
    }
}
