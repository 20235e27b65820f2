//! `to_request` of the RPC protocols, which POST the whole input: awsJson (a JSON object to
//! `/`, the operation named by `X-Amz-Target: <service>.<operation>`) and RPC v2 CBOR (a CBOR
//! map to `/service/<service>/operation/<operation>`, no body when the operation has no input).

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{JsonVersion, Member, Operation};
use crate::render::Context;

/// The path, headers and body statements of an awsJson request.
fn aws_json_parts(
    context: &Context,
    operation: &Operation,
    version: JsonVersion,
    members: &[Member],
) -> (String, TokenStream, TokenStream) {
    let (method, _) = super::json_write::body_writer(context);
    let content_type = match version {
        JsonVersion::V1_0 => "application/x-amz-json-1.0",
        JsonVersion::V1_1 => "application/x-amz-json-1.1",
    };
    let target = format!("{}.{}", context.service.id.name(), operation.name);
    let body = if members.is_empty() {
        quote!(let body = ivschat_runtime::bytes::Bytes::from_static(b"{}");)
    } else {
        quote! {
            let body = ivschat_runtime::json::object_body(|object| self.#method(object));
        }
    };
    let headers = quote! {
        headers.insert("content-type", ivschat_runtime::http::HeaderValue::from_static(#content_type));
        headers.insert("x-amz-target", ivschat_runtime::http::HeaderValue::from_static(#target));
    };
    ("/".to_owned(), headers, body)
}

/// The path, headers and body statements of an RPC v2 CBOR request (no body, and no
/// Content-Type, when the operation has no input).
fn rpc_v2_cbor(
    context: &Context,
    operation: &Operation,
    members: &[Member],
) -> (String, TokenStream, TokenStream) {
    let (method, _) = super::json_write::body_writer(context);
    let path = format!(
        "/service/{}/operation/{}",
        context.service.id.name(),
        operation.name
    );
    let mut headers = quote! {
        headers.insert("smithy-protocol", ivschat_runtime::http::HeaderValue::from_static("rpc-v2-cbor"));
        headers.insert("accept", ivschat_runtime::http::HeaderValue::from_static("application/cbor"));
    };
    if operation.unit_input {
        return (
            path,
            headers,
            quote!(let body = ivschat_runtime::bytes::Bytes::new();),
        );
    }
    headers.extend(quote! {
        headers.insert("content-type", ivschat_runtime::http::HeaderValue::from_static("application/cbor"));
    });
    let write = (!members.is_empty()).then(|| quote!(self.#method(&mut object);));
    let body = quote! {
        let mut bytes = Vec::new();
        let mut object = ivschat_runtime::cbor::CborValue::new(&mut bytes).object();
        #write
        object.finish();
        let body = ivschat_runtime::bytes::Bytes::from(bytes);
    };
    (path, headers, body)
}

/// `to_request` of an awsJson input (`Some` of its version) or an RPC v2 CBOR one (`None`).
pub fn to_request(
    context: &Context,
    operation: &Operation,
    members: &[Member],
    aws_json: Option<JsonVersion>,
) -> TokenStream {
    let name = &operation.name;
    let auth = crate::render::sending::auth_variant(operation.auth);
    let idempotent = crate::render::sending::may_resend(operation, members);
    let (path, headers, body) = match aws_json {
        Some(version) => aws_json_parts(context, operation, version, members),
        None => rpc_v2_cbor(context, operation, members),
    };
    let fixed_headers = crate::render::customized::request_headers(context);
    let query_mode = context.service.query_compatible.then(|| {
        quote!(headers.insert("x-amzn-query-mode", ivschat_runtime::http::HeaderValue::from_static("true"));)
    });
    quote! {
        /// The HTTP request of this input (before endpoint, signature and retries).
        pub(crate) fn to_request(&self) -> Result<ivschat_runtime::operation::OperationRequest, ivschat_runtime::operation::SdkError> {
            #body
            let mut headers = ivschat_runtime::http::HeaderMap::new();
            #headers
            #fixed_headers
            #query_mode
            Ok(ivschat_runtime::operation::OperationRequest {
                operation: #name,
                method: ivschat_runtime::http::Method::POST,
                path_and_query: #path.to_owned(),
                headers,
                body: body.into(),
                auth: ivschat_runtime::operation::Auth::#auth,
                checksums: None,
                idempotent: #idempotent,
                event_signing: None,
                error_in_success: false,
            })
        }
    }
}
