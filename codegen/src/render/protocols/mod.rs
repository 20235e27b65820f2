//! The protocol seam: everything the generated code does differently per wire protocol
//! (restJson1, restXml, awsJson1_0/1_1, RPC v2 CBOR, awsQuery, ec2Query) is chosen here; the
//! rest of render is protocol-neutral.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::codecs::{
    http_request as request, json_read as deserialize, json_write as serialize,
    query_write as query, rpc_request as json_rpc, xml_read, xml_write,
};
use crate::ir::{DataShape, Member, Operation, Protocol, Role, Service, ShapeRef};
use crate::render::members::has_payload;
use crate::render::Context;
use crate::rust::names;

/// The body writer of a structure sent to the service (`write_json`, `write_query`).
pub fn structure_writer(context: &Context, shape: &DataShape, members: &[Member]) -> TokenStream {
    match context.service.protocol {
        Protocol::RestJson1 | Protocol::AwsJson(_) | Protocol::RpcV2Cbor => {
            serialize::structure(context, shape, members)
        }
        Protocol::RestXml { .. } => xml_write::structure(context, shape, members),
        Protocol::AwsQuery | Protocol::Ec2Query => query::structure(context, shape, members),
    }
}

/// The body writer of a union sent to the service.
pub fn union_writer(context: &Context, shape: &DataShape, members: &[Member]) -> TokenStream {
    match context.service.protocol {
        Protocol::RestJson1 | Protocol::AwsJson(_) | Protocol::RpcV2Cbor => {
            serialize::union(context, shape, members)
        }
        Protocol::RestXml { .. } => xml_write::union(context, shape, members),
        Protocol::AwsQuery | Protocol::Ec2Query => query::union(context, shape, members),
    }
}

/// The body reader of a structure received from the service (`read_json`, `read_xml`).
pub fn structure_reader(
    context: &Context,
    shape: &DataShape,
    members: &[Member],
    extra_fields: TokenStream,
) -> TokenStream {
    match context.service.protocol {
        Protocol::RestJson1 | Protocol::AwsJson(_) | Protocol::RpcV2Cbor => {
            deserialize::structure(context, shape, members, extra_fields)
        }
        Protocol::RestXml { .. } | Protocol::AwsQuery | Protocol::Ec2Query => {
            xml_read::structure(context, shape, members, extra_fields)
        }
    }
}

/// The body reader of a union received from the service.
pub fn union_reader(context: &Context, shape: &DataShape, members: &[Member]) -> TokenStream {
    match context.service.protocol {
        Protocol::RestJson1 | Protocol::AwsJson(_) | Protocol::RpcV2Cbor => {
            deserialize::union(context, shape, members)
        }
        Protocol::RestXml { .. } | Protocol::AwsQuery | Protocol::Ec2Query => {
            xml_read::union(context, shape, members)
        }
    }
}

/// The list and map shapes that get a reader function of their own in `types/readers.rs`
/// (JSON only: the XML readers compose the runtime's collection readers where used).
pub fn collection_readers(service: &Service) -> BTreeSet<ShapeRef> {
    match service.protocol {
        Protocol::RestJson1 | Protocol::AwsJson(_) | Protocol::RpcV2Cbor => {
            deserialize::read_collections(service)
        }
        Protocol::RestXml { .. } | Protocol::AwsQuery | Protocol::Ec2Query => BTreeSet::new(),
    }
}

/// An expression reading the members in the body of a response into `Self` (`?` applies):
/// from the parsed JSON object or XML root element, or from nothing when a payload member
/// takes the body.
fn body_read(context: &Context, shape: &DataShape, members: &[Member]) -> TokenStream {
    let shape_name = names::type_ident(&shape.name);
    let error = matches!(shape.role, Role::Error { .. });
    match context.service.protocol {
        Protocol::RestXml { no_error_wrapping } => {
            let root = quote!(&ivschat_runtime::deserialize::Path::Root(
                stringify!(#shape_name)
            ));
            if has_payload(members) {
                return quote!(Self::read_xml(&mut ivschat_runtime::xml::read::Reader::empty(), &ivschat_runtime::xml::read::Start::empty(), #root));
            }
            if let Some(member) = unwrapped_member(context, shape, members) {
                return unwrapped_read(context, shape, member, &root);
            }
            let read = quote!(|reader, start| Self::read_xml(reader, start, #root));
            if error {
                quote!(ivschat_runtime::xml::read::rest_xml_error(response.body(), #no_error_wrapping, #read))
            } else {
                quote!(ivschat_runtime::xml::read::document_root(response.body(), #read))
            }
        }
        protocol => {
            // A payload member takes the whole body: the other members read from none.
            let body = if has_payload(members) {
                quote!(&[])
            } else {
                quote!(response.body())
            };
            deserialize::read_body(
                protocol,
                body,
                quote!(Self),
                quote!(stringify!(#shape_name)),
            )
        }
    }
}

/// The one body member of an output whose operation's response is that member's element
/// itself (`s3UnwrappedXmlOutput`).
fn unwrapped_member<'m>(
    context: &Context,
    shape: &DataShape,
    members: &'m [Member],
) -> Option<&'m Member> {
    let unwrapped = context.service.operations.iter().any(|operation| {
        operation.unwrapped_xml_output
            && std::ptr::eq(context.service.shape(operation.output), shape)
    });
    let mut in_body = members.iter().filter(|member| member.in_body());
    match (unwrapped, in_body.next(), in_body.next()) {
        (true, Some(member), None) => Some(member),
        _ => None,
    }
}

/// Reads `member` from the root element of the body, the other members as if the body were
/// empty.
fn unwrapped_read(
    context: &Context,
    shape: &DataShape,
    member: &Member,
    root: &TokenStream,
) -> TokenStream {
    let field = names::field_ident(&member.name);
    let path = format!("{}.{}", shape.name, member.name);
    let read = xml_read::read_value(
        context,
        member,
        quote!(start),
        quote!(&ivschat_runtime::deserialize::Path::Root(#path)),
    );
    let value = match shape.is_plain(member) {
        true => quote!(#field),
        false => quote!(Some(#field)),
    };
    quote!(ivschat_runtime::xml::read::document_root(response.body(), |reader, start| {
        use ivschat_runtime::xml::read;
        let #field = #read?;
        let mut value = Self::read_xml(&mut read::Reader::empty(), &read::Start::empty(), #root)?;
        value.#field = #value;
        Ok(value)
    }))
}

/// The error's `request_id` accessor.
fn request_id_accessor() -> TokenStream {
    quote! {
        /// The request id of the response this error came in, when there was one.
        pub fn request_id(&self) -> Option<&str> {
            self.request_id.as_deref()
        }
    }
}

/// [`role_methods`] for awsQuery and ec2Query: no HTTP bindings, bodies in XML envelopes.
fn query_role_methods(context: &Context, shape: &DataShape, members: &[Member]) -> TokenStream {
    let operations = &context.service.operations;
    match shape.role {
        Role::Input(index) => query::to_request(context, &operations[index], members),
        Role::Output(index) => {
            xml_read::from_response(context.service.protocol, &operations[index].name)
        }
        Role::Error { .. } if !context.service.is_operation_error(shape) => request_id_accessor(),
        Role::Error { .. } => {
            let read_error = xml_read::read_error(context.service.protocol, shape);
            let accessor = request_id_accessor();
            quote!(#read_error #accessor)
        }
        Role::Plain => TokenStream::new(),
    }
}

/// Methods that depend on the structure's role: `to_request` on inputs, `from_response` on
/// outputs, `read_error` and `request_id` on errors.
pub fn role_methods(context: &Context, shape: &DataShape, members: &[Member]) -> TokenStream {
    if context.service.protocol.is_query() {
        return query_role_methods(context, shape, members);
    }
    let service = context.service;
    match shape.role {
        Role::Input(index) => {
            let operation = &service.operations[index];
            match (&operation.http, service.protocol) {
                (_, Protocol::AwsJson(_) | Protocol::RpcV2Cbor) => {
                    json_rpc::to_request(context, operation, members)
                }
                (Some(route), _) => request::to_request(context, operation, route, shape, members),
                (None, _) => TokenStream::new(),
            }
        }
        Role::Output(index) => {
            let bindings = deserialize::http_bindings(context, shape, members);
            let output = service.operations[index].output;
            let read = body_read(context, shape, members);
            if let Some(member) = service.streaming_payload(output) {
                return streaming_from_response(shape, member, bindings, read, false);
            }
            if let Some(member) = service.event_stream_payload(output) {
                let from_response = streaming_from_response(shape, member, bindings, read, true);
                let initial = reads_initial_response(context, &service.operations[index])
                    .then(|| initial_response(context, shape, member));
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
        Role::Error { .. } if !service.is_operation_error(shape) => request_id_accessor(),
        Role::Error { .. } => {
            let accessor = request_id_accessor();
            let bindings = deserialize::http_bindings(context, shape, members);
            let read = body_read(context, shape, members);
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

/// True when the operation's output is an RPC event stream (awsJson, RPC v2 CBOR), whose other
/// members come in its `initial-response` message.
pub fn reads_initial_response(context: &Context, operation: &Operation) -> bool {
    let service = context.service;
    matches!(service.protocol, Protocol::AwsJson(_) | Protocol::RpcV2Cbor)
        && service.event_stream_payload(operation.output).is_some()
}

/// `read_initial_response` of an RPC output with an event stream: the members other than the
/// stream are read from the stream's `initial-response` message when it starts with one.
fn initial_response(context: &Context, shape: &DataShape, member: &Member) -> TokenStream {
    let field = names::field_ident(&member.name);
    let label = names::type_name(&shape.name);
    let path = format!("{label}.{}", member.name);
    let stream = if shape.is_plain(member) {
        quote!(let stream = &mut self.#field;)
    } else {
        quote!(let Some(stream) = self.#field.as_mut() else { return Ok(self) };)
    };
    let read = deserialize::read_body(
        context.service.protocol,
        quote!(&message.payload),
        quote!(Self),
        quote!(#label),
    );
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
