//! An operation of the service: its input, output and errors, route, auth, pagination,
//! waiters, checksums and endpoint parameters.

use super::{endpoint, waiters, Deprecated, HttpChecksum, HttpRoute, MemberName, ShapeRef};
use crate::smithy::ShapeId;

/// One operation of the service.
#[derive(Clone, Debug)]
pub struct Operation {
    /// The operation shape id.
    pub id: ShapeId,
    /// The operation name, e.g. `CreateRoom`: the name on the wire and in messages.
    pub name: String,
    /// The name its Rust items are made from (`rust::names::operation`): the model name,
    /// unless the collision pass had to change it.
    pub rust_name: String,
    /// Documentation (HTML).
    pub docs: Option<String>,
    /// `@deprecated`.
    pub deprecated: Option<Deprecated>,
    /// The `@http` route (every operation of an HTTP-bound protocol has one).
    pub http: Option<HttpRoute>,
    /// The synthetic input structure.
    pub input: ShapeRef,
    /// The synthetic output structure.
    pub output: ShapeRef,
    /// Errors the operation can return, service-level errors included.
    pub errors: Vec<ShapeRef>,
    /// `@readonly`.
    pub readonly: bool,
    /// `@idempotent`.
    pub idempotent: bool,
    /// `@paginated`, with the service's defaults applied.
    pub pagination: Option<Pagination>,
    /// `@endpoint` `hostPrefix`, e.g. `{Bucket}.data.` (its labels are the model names of
    /// `@hostLabel` input members).
    pub host_prefix: Option<String>,
    /// `@httpChecksumRequired`: send `Content-MD5`.
    pub checksum_required: bool,
    /// `aws.customizations#s3UnwrappedXmlOutput`: the response's root element is the output's
    /// one body member, not a wrapper around it (S3's GetBucketLocation).
    pub unwrapped_xml_output: bool,
    /// `aws.protocols#httpChecksum`: flexible request and response checksums.
    pub http_checksum: Option<HttpChecksum>,
    /// How requests are authenticated.
    pub auth: OperationAuth,
    /// The input or output holds an event stream (see [`super::Service::lacks_event_support`]).
    pub event_stream: bool,
    /// `@requestCompression` lists gzip: bodies are gzipped (the runtime's `compression`
    /// feature).
    pub gzip_requests: bool,
    /// True when the model gives the operation no input (`smithy.api#Unit`): RPC v2 CBOR
    /// then sends no body at all.
    pub unit_input: bool,
    /// `aws.api#clientDiscoveredEndpoint`: `Some(required)` when the operation is sent to a
    /// discovered endpoint (always when required, else when discovery is enabled).
    pub discovered_endpoint: Option<bool>,
    /// Endpoint parameters the operation sets from fixed values or its input.
    pub context_params: Vec<endpoint::context_params::ContextParam>,
    /// Waiters (`smithy.waiters#waitable`).
    pub waiters: Vec<waiters::Waiter>,
}

/// How an operation's requests are authenticated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperationAuth {
    /// SigV4 (the service's scheme).
    SigV4,
    /// SigV4 without hashing the payload (`@unsignedPayload`).
    SigV4UnsignedPayload,
    /// Signed when credentials can be found (`@optionalAuth`).
    Optional,
    /// Never signed (`@auth([])`).
    None,
}

/// How an operation pages its results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pagination {
    /// Input member carrying the continuation token.
    pub input_token: MemberName,
    /// Output member path of the next token: the output's member, then a member of its
    /// target, and so on.
    pub output_token: Vec<MemberName>,
    /// Input member limiting the page size.
    pub page_size: Option<MemberName>,
    /// Output member path of the items (as `output_token`): the trait's, else the output's
    /// only list member.
    pub items: Option<Vec<MemberName>>,
}
