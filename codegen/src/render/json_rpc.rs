//! `to_request` of the awsJson protocols: the whole input as a JSON object POSTed to `/`, the
//! operation named by `X-Amz-Target: <service>.<operation>`.

use proc_macro2::TokenStream;
use quote::quote;

use super::Context;
use crate::ir::{JsonVersion, Member, Operation};

/// `to_request` of an awsJson input.
pub fn to_request(
    context: &Context,
    operation: &Operation,
    version: JsonVersion,
    members: &[Member],
) -> TokenStream {
    let name = &operation.name;
    let target = format!("{}.{}", context.service.id.name(), operation.name);
    let content_type = match version {
        JsonVersion::V1_0 => "application/x-amz-json-1.0",
        JsonVersion::V1_1 => "application/x-amz-json-1.1",
    };
    let auth = super::sending::auth_variant(operation.auth);
    let idempotent = super::sending::may_resend(operation, members);
    let body = if members.is_empty() {
        quote!(let body = String::from("{}");)
    } else {
        quote! {
            let mut body = String::new();
            let mut object = ivschat_runtime::json::JsonValue::new(&mut body).object();
            self.write_json(&mut object);
            object.finish();
        }
    };
    let query_mode = context.service.query_compatible.then(|| {
        quote!(headers.insert("x-amzn-query-mode", ivschat_runtime::http::HeaderValue::from_static("true"));)
    });
    quote! {
        /// The HTTP request of this input (before endpoint, signature and retries).
        pub(crate) fn to_request(&self) -> Result<ivschat_runtime::operation::OperationRequest, ivschat_runtime::operation::SdkError> {
            #body
            let mut headers = ivschat_runtime::http::HeaderMap::new();
            headers.insert("content-type", ivschat_runtime::http::HeaderValue::from_static(#content_type));
            headers.insert("x-amz-target", ivschat_runtime::http::HeaderValue::from_static(#target));
            #query_mode
            Ok(ivschat_runtime::operation::OperationRequest {
                operation: #name,
                method: ivschat_runtime::http::Method::POST,
                path_and_query: "/".to_owned(),
                headers,
                body: ivschat_runtime::bytes::Bytes::from(body).into(),
                auth: ivschat_runtime::operation::Auth::#auth,
                checksums: None,
                idempotent: #idempotent,
            })
        }
    }
}
