//! The role methods the HTTP-bound and RPC protocols share: the request as each makes it,
//! responses read from the body and the bound headers, streaming payloads, and the
//! `initial-response` of RPC event streams.

use proc_macro2::TokenStream;
use quote::quote;

use super::Wire;
use crate::ir::{DataShape, JsonVersion, Member, Operation, Role};
use crate::render::codecs::http_body::BodyFormat;
use crate::render::codecs::{http_request, json_read, rpc_request};
use crate::render::members::has_payload;
use crate::render::Context;
use crate::rust::names;

/// How a protocol makes its requests.
#[derive(Clone, Copy)]
pub enum Requests {
    /// From the HTTP bindings (`@http` route), bodies in this format.
    Http(BodyFormat),
    /// POSTed as an RPC: awsJson (`Some` of its version) or RPC v2 CBOR (`None`).
    Rpc(Option<JsonVersion>),
}

/// [`Wire::role_methods`] of the HTTP-bound and RPC protocols: `to_request` as the protocol
/// makes it (HTTP bindings, or a POST of the RPC protocols), `from_response` and `read_error`
/// reading the body with `body_read` and the bound headers.
pub fn role_methods(
    wire: &dyn Wire,
    context: &Context,
    shape: &DataShape,
    members: &[Member],
    requests: Requests,
    body_read: impl Fn() -> TokenStream,
) -> TokenStream {
    let service = context.service;
    match shape.role {
        Role::Input(index) => to_request(
            context,
            &service.operations[index],
            shape,
            members,
            requests,
        ),
        Role::Output(index) => {
            let operation = &service.operations[index];
            from_response(wire, context, operation, shape, members, body_read())
        }
        Role::Error { .. } if !service.is_operation_error(shape) => request_id_accessor(),
        Role::Error { .. } => {
            let accessor = request_id_accessor();
            let bindings = json_read::http_bindings(context, shape, members);
            let read = body_read();
            quote! {
                /// Reads the error from an error response.
                pub(crate) fn read_error(response: &ivschat_runtime::transport::HttpResponse, request_id: Option<String>) -> Result<Self, ivschat_runtime::deserialize::DeserializeError> {
                    let mut output = #read?;
                    #bindings
                    output.request_id = request_id;
                    Ok(output)
                }

                #accessor
            }
        }
        Role::Plain => TokenStream::new(),
    }
}

/// `to_request` of an input, as the protocol makes `requests`.
fn to_request(
    context: &Context,
    operation: &Operation,
    shape: &DataShape,
    members: &[Member],
    requests: Requests,
) -> TokenStream {
    match (requests, &operation.http) {
        (Requests::Http(format), Some(route)) => {
            http_request::to_request(context, operation, route, shape, members, format)
        }
        (Requests::Http(_), None) => TokenStream::new(),
        (Requests::Rpc(aws_json), _) => {
            rpc_request::to_request(context, operation, members, aws_json)
        }
    }
}

/// `from_response` of an output: its body read with `read`, then its bound headers; a
/// streaming payload is left to stream (an event stream's `initial-response` read where the
/// protocol sends one).
fn from_response(
    wire: &dyn Wire,
    context: &Context,
    operation: &Operation,
    shape: &DataShape,
    members: &[Member],
    read: TokenStream,
) -> TokenStream {
    let service = context.service;
    let bindings = json_read::http_bindings(context, shape, members);
    if let Some(member) = service.streaming_payload(operation.output) {
        return streaming_from_response(shape, member, bindings, read, false);
    }
    if let Some(member) = service.event_stream_payload(operation.output) {
        let from_response = streaming_from_response(shape, member, bindings, read, true);
        let initial = super::reads_initial_response(context, operation)
            .then(|| initial_response(wire, shape, member));
        return quote!(#from_response #initial);
    }
    let read = if bindings.is_empty() {
        read
    } else {
        quote! {
            let mut output = #read?;
            #bindings
            Ok(output)
        }
    };
    quote! {
        /// Reads the output from a successful response.
        pub(crate) fn from_response(response: &ivschat_runtime::transport::HttpResponse) -> Result<Self, ivschat_runtime::deserialize::DeserializeError> {
            #read
        }
    }
}

/// The body read of the JSON and CBOR protocols: the members in the body into `Self` (`?`
/// applies), or from nothing when a payload member takes the body.
pub fn json_body_read(wire: &dyn Wire, shape: &DataShape, members: &[Member]) -> TokenStream {
    let shape_name = names::type_ident(&shape.name);
    let body = if has_payload(members) {
        quote!(&[])
    } else {
        quote!(response.body())
    };
    wire.codec()
        .read_body(body, quote!(Self), quote!(stringify!(#shape_name)))
}

/// The error's `request_id` accessor.
pub fn request_id_accessor() -> TokenStream {
    quote! {
        /// The request id of the response this error came in, when there was one.
        pub fn request_id(&self) -> Option<&str> {
            self.request_id.as_deref()
        }
    }
}

/// `read_initial_response` of an RPC output with an event stream: the members other than the
/// stream are read from the stream's `initial-response` message when it starts with one.
fn initial_response(wire: &dyn Wire, shape: &DataShape, member: &Member) -> TokenStream {
    let field = names::field_ident(&member.name);
    let label = names::type_name(&shape.name);
    let path = format!("{label}.{}", member.name);
    let stream = if shape.is_plain(member) {
        quote!(let stream = &mut self.#field;)
    } else {
        quote!(let Some(stream) = self.#field.as_mut() else { return Ok(self) };)
    };
    let read = wire
        .codec()
        .read_body(quote!(&message.payload), quote!(Self), quote!(#label));
    quote! {
        /// Reads the members the service sends in the stream's `initial-response` message.
        pub(crate) async fn read_initial_response(mut self) -> Result<Self, ivschat_runtime::deserialize::DeserializeError> {
            #stream
            let initial = stream.initial_response().await.map_err(|error| ivschat_runtime::deserialize::DeserializeError::new(#path, error.to_string()))?;
            let Some(message) = initial.filter(|message| !message.payload.is_empty()) else {
                return Ok(self);
            };
            let mut read = #read?;
            read.#field = std::mem::take(&mut self.#field);
            Ok(read)
        }
    }
}

/// `from_response` of an output whose payload streams: the bound headers are read, then the
/// body is moved into the payload member unread (as the event stream it carries, for `events`).
fn streaming_from_response(
    shape: &DataShape,
    member: &Member,
    bindings: TokenStream,
    read: TokenStream,
    events: bool,
) -> TokenStream {
    let field = names::field_ident(&member.name);
    let body = if events {
        quote!(crate::primitives::EventStream::from_body(
            streaming.into_body()
        ))
    } else {
        quote!(streaming.into_body())
    };
    let body = if shape.is_plain(member) {
        body
    } else {
        quote!(Some(#body))
    };
    let borrow = (!bindings.is_empty()).then(|| quote!(let response = &streaming;));
    quote! {
        /// Reads the output from a successful response; its body is left to stream.
        pub(crate) fn from_response(streaming: ivschat_runtime::transport::StreamingResponse) -> Result<Self, ivschat_runtime::deserialize::DeserializeError> {
            #borrow
            let mut output = #read?;
            #bindings
            output.#field = #body;
            Ok(output)
        }
    }
}
