//! The protocol seam: what the generated code does differently per wire protocol is one
//! [`Wire`] implementation each (restJson1, restXml, awsJson1_0/1_1, RPC v2 CBOR, awsQuery and
//! ec2Query), built from the codecs of [`super::codecs`] (a [`BodyCodec`] per body format);
//! the rest of render is protocol-neutral and asks [`wire`]. A new protocol is an
//! `ir::Protocol` variant read from its trait (`ir::build::service`), then what the compiler
//! names: the variant's arm in [`wire`] and in each of `ir::Protocol`'s predicates, and a
//! file here implementing [`Wire`]; a new body format is one [`BodyCodec`] in `codecs/`.

mod aws_json;
mod query;
mod responses;
mod rest_json;
mod rest_xml;
mod rpc_v2_cbor;

use std::collections::BTreeSet;

use proc_macro2::TokenStream;

use crate::ir::{DataShape, JsonVersion, Member, Operation, Protocol, Service, ShapeRef};
use crate::render::Context;

/// What render asks of a wire protocol.
pub trait Wire: Sync {
    /// How the protocol's bodies carry shapes.
    fn codec(&self) -> &'static dyn BodyCodec;
    /// Methods that depend on the structure's role: `to_request` on inputs, `from_response` on
    /// outputs, `read_error` and `request_id` on errors.
    fn role_methods(&self, context: &Context, shape: &DataShape, members: &[Member])
        -> TokenStream;
    /// True when the other members of an output with an event stream come in the stream's
    /// `initial-response` message (the RPC protocols) rather than in HTTP bindings.
    fn initial_response_in_stream(&self) -> bool;
}

/// How shapes are written to request bodies and read from response bodies: one
/// implementation per body format, in [`super::codecs`].
pub trait BodyCodec: Sync {
    /// The body writer of a structure sent to the service (`write_json`, `write_query`).
    fn structure_writer(
        &self,
        context: &Context,
        shape: &DataShape,
        members: &[Member],
    ) -> TokenStream;
    /// The body writer of a union sent to the service.
    fn union_writer(&self, context: &Context, shape: &DataShape, members: &[Member])
        -> TokenStream;
    /// The body reader of a structure received from the service (`read_json`, `read_xml`).
    fn structure_reader(
        &self,
        context: &Context,
        shape: &DataShape,
        members: &[Member],
        extra_fields: TokenStream,
    ) -> TokenStream;
    /// The body reader of a union received from the service.
    fn union_reader(&self, context: &Context, shape: &DataShape, members: &[Member])
        -> TokenStream;
    /// The list and map shapes that get a reader function of their own in `types/readers.rs`.
    fn collection_readers(&self, service: &Service) -> BTreeSet<ShapeRef>;
    /// A `Result` expression reading the body `bytes` (a `&[u8]` expression) as the shape
    /// `shape_type` (a type path with the format's reader), `label` naming the root in
    /// errors; an empty body is an empty object or element.
    fn read_body(
        &self,
        bytes: TokenStream,
        shape_type: TokenStream,
        label: TokenStream,
    ) -> TokenStream;
    /// The runtime feature the format needs, if any (`xml`, `cbor`).
    fn runtime_feature(&self) -> Option<&'static str>;
}

/// The [`Wire`] of `protocol`.
pub fn wire(protocol: Protocol) -> &'static dyn Wire {
    match protocol {
        Protocol::RestJson1 => &rest_json::RestJson,
        Protocol::AwsJson(JsonVersion::V1_0) => &aws_json::AwsJson(JsonVersion::V1_0),
        Protocol::AwsJson(JsonVersion::V1_1) => &aws_json::AwsJson(JsonVersion::V1_1),
        Protocol::RpcV2Cbor => &rpc_v2_cbor::RpcV2Cbor,
        Protocol::RestXml {
            no_error_wrapping: false,
        } => &rest_xml::RestXml {
            no_error_wrapping: false,
        },
        Protocol::RestXml {
            no_error_wrapping: true,
        } => &rest_xml::RestXml {
            no_error_wrapping: true,
        },
        Protocol::AwsQuery => &query::Query { ec2: false },
        Protocol::Ec2Query => &query::Query { ec2: true },
    }
}

/// True when the operation's output is an event stream whose other members come in its
/// `initial-response` message (awsJson, RPC v2 CBOR).
pub fn reads_initial_response(context: &Context, operation: &Operation) -> bool {
    let service = context.service;
    wire(service.protocol).initial_response_in_stream()
        && service.event_stream_payload(operation.output).is_some()
}
