//! The service as the generator needs it: operations, data shapes and their members, built
//! from a [`smithy::Model`](crate::smithy::Model) by model-to-model passes. No Rust syntax here.

mod build;
mod checksum;
pub mod customize;
pub mod defaults;
pub mod discovery;
pub mod endpoint;
mod http;
mod operation;
mod patterns;
pub mod protocol_tests;
pub mod readable;
mod recursion;
mod secrets;
mod shape;
mod value;
pub mod waiters;

pub use crate::smithy::HttpMethod;
pub use build::{build, build_selected};
pub use checksum::{ChecksumAlgorithm, HttpChecksum};
pub use http::{HttpRoute, PathSegment, PayloadForm, TextForm};
pub use operation::{Operation, OperationAuth, Pagination};
pub use shape::{
    Constraints, DataKind, DataShape, EnumVariant, EventBinding, HttpBinding, Member, MemberName,
    Role, ShapeXml, Target, Usage, XmlForm,
};
pub use value::{Scalar, Value};

use crate::smithy::ShapeId;
pub use crate::smithy::SimpleType as Primitive;
pub use crate::smithy::XmlNamespace;
pub use crate::smithy::{Bounds, Deprecated, TimestampFormat};

/// A typed index into [`Service::shapes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShapeRef(pub(crate) usize);

/// The service to generate a client for.
#[derive(Clone, Debug)]
pub struct Service {
    /// The service shape id.
    pub id: ShapeId,
    /// `aws.api#service` `sdkId` (the shape name when absent).
    pub sdk_id: String,
    /// The API version.
    pub version: Option<String>,
    /// The SigV4 signing name.
    pub signing_name: Option<String>,
    /// The wire protocol.
    pub protocol: Protocol,
    /// `@xmlNamespace` of the service: declared on the root of XML bodies.
    pub xml_namespace: Option<XmlNamespace>,
    /// `@title`.
    pub title: Option<String>,
    /// Documentation (HTML).
    pub docs: Option<String>,
    /// Operations, ordered by name.
    pub operations: Vec<Operation>,
    /// Every data shape the operations reach, including synthetic inputs and outputs.
    pub shapes: Vec<DataShape>,
    /// The endpoint rule set and its tests, when the service has one.
    pub endpoint_rules: Option<endpoint::resolver::Resolver>,
    /// What the generator leaves out of the client, one line each (printed by the caller).
    pub warnings: Vec<String>,
    /// The endpoint rules can select SigV4a (the runtime's `sigv4a` feature is needed).
    pub uses_sigv4a: bool,
    /// `aws.protocols#awsQueryCompatible`: a JSON or CBOR service that moved from awsQuery,
    /// whose clients send `x-amzn-query-mode` and report errors by their awsQuery codes.
    pub query_compatible: bool,
    /// Endpoint discovery (DynamoDB, Timestream), when the service has it.
    pub endpoint_discovery: Option<discovery::EndpointDiscovery>,
    /// An AWS service (`aws.api#service`): its crate claims the `aws` keyword and, unless told
    /// otherwise, the AWS models' license.
    pub aws_service: bool,
    /// What the AWS SDKs do for this service beyond its model.
    pub customizations: crate::ir::customize::Customizations,
}

/// The protocol the service speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// `aws.protocols#restJson1`.
    RestJson1,
    /// `aws.protocols#awsQuery`: form-encoded requests, XML responses.
    AwsQuery,
    /// `aws.protocols#ec2Query`: awsQuery's requests with EC2's key names and flat lists, XML
    /// responses without a result wrapper.
    Ec2Query,
    /// `aws.protocols#awsJson1_0` or `awsJson1_1`: JSON bodies POSTed to `/`, the operation
    /// named by `X-Amz-Target`.
    AwsJson(JsonVersion),
    /// `smithy.protocols#rpcv2Cbor`: CBOR bodies POSTed to
    /// `/service/<service>/operation/<operation>`.
    RpcV2Cbor,
    /// `aws.protocols#restXml`: restJson1's HTTP bindings with XML bodies.
    RestXml {
        /// `noErrorWrapping`: error bodies are `<Error>` itself, not wrapped in
        /// `<ErrorResponse>`.
        no_error_wrapping: bool,
    },
}

/// The version of an awsJson protocol (its content type).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonVersion {
    /// `application/x-amz-json-1.0`.
    V1_0,
    /// `application/x-amz-json-1.1`.
    V1_1,
}

// The matches below name every protocol, so that a new one is a compile error in each.
impl Protocol {
    /// True for the protocols whose requests are form-encoded (awsQuery, ec2Query).
    pub fn is_query(self) -> bool {
        match self {
            Protocol::AwsQuery | Protocol::Ec2Query => true,
            Protocol::RestJson1
            | Protocol::AwsJson(_)
            | Protocol::RpcV2Cbor
            | Protocol::RestXml { .. } => false,
        }
    }

    /// True for the protocols that bind members to the HTTP message (`@http` routes).
    pub fn binds_http(self) -> bool {
        match self {
            Protocol::RestJson1 | Protocol::RestXml { .. } => true,
            Protocol::AwsQuery
            | Protocol::Ec2Query
            | Protocol::AwsJson(_)
            | Protocol::RpcV2Cbor => false,
        }
    }

    /// True for the protocols whose responses are XML (restXml, awsQuery, ec2Query).
    pub fn reads_xml(self) -> bool {
        match self {
            Protocol::RestXml { .. } | Protocol::AwsQuery | Protocol::Ec2Query => true,
            Protocol::RestJson1 | Protocol::AwsJson(_) | Protocol::RpcV2Cbor => false,
        }
    }
}

impl Service {
    /// The primitive `target` is, directly or through an alias; `None` for other shapes.
    pub fn primitive_of(&self, target: Target) -> Option<Primitive> {
        match target {
            Target::Primitive(primitive) => Some(primitive),
            Target::Shape(shape) => match &self.shape(shape).kind {
                DataKind::Alias { primitive, .. } => Some(*primitive),
                _ => None,
            },
        }
    }
}

impl Service {
    /// The data shape behind a reference.
    pub fn shape(&self, shape: ShapeRef) -> &DataShape {
        &self.shapes[shape.0]
    }

    /// The structure member behind a reference.
    pub fn member(&self, member: waiters::paths::MemberRef) -> &Member {
        &self.shape(member.shape).members()[member.index]
    }

    /// True when an operation can answer with the error `shape` (an error structure only
    /// used inside event streams is not read from error responses).
    pub fn is_operation_error(&self, shape: &DataShape) -> bool {
        self.operations
            .iter()
            .flat_map(|operation| &operation.errors)
            .any(|error| self.shape(*error).id == shape.id)
    }

    /// The `@mediaType` of a target, when it is a named blob or string that has one.
    pub fn media_type(&self, target: Target) -> Option<&str> {
        match target {
            Target::Shape(shape) => match &self.shape(shape).kind {
                DataKind::Alias { media_type, .. } => media_type.as_deref(),
                _ => None,
            },
            Target::Primitive(_) => None,
        }
    }

    /// True when the target is a `@streaming` blob.
    pub fn is_streaming(&self, target: Target) -> bool {
        matches!(target, Target::Shape(shape) if matches!(self.shape(shape).kind, DataKind::Alias { streaming: true, .. }))
    }

    /// True when the target is a `@streaming` blob whose length must be known before sending.
    pub fn requires_length(&self, target: Target) -> bool {
        matches!(target, Target::Shape(shape) if matches!(self.shape(shape).kind, DataKind::Alias { requires_length: true, .. }))
    }

    /// The `@httpPayload` member of a structure that targets a `@streaming` union (an event
    /// stream).
    pub fn event_stream_payload(&self, shape: ShapeRef) -> Option<&Member> {
        match &self.shape(shape).kind {
            DataKind::Structure(members) => members
                .iter()
                .find(|member| member.http == Some(HttpBinding::Payload(PayloadForm::EventStream))),
            _ => None,
        }
    }

    /// True when `shape` is an event: the target of a member of an event stream.
    pub fn is_event(&self, shape: &DataShape) -> bool {
        self.shapes.iter().filter(|union| union.event_stream).any(|union| {
            matches!(&union.kind, DataKind::Union(members) if members.iter().any(|member| {
                matches!(member.target, Target::Shape(target) if self.shape(target).id == shape.id)
            }))
        })
    }

    /// True when the operation has an event stream this generator cannot send or receive, so
    /// its method fails, saying so: restJson1's go both ways, the RPC protocols' (awsJson, RPC
    /// v2 CBOR) are received, their `initial-response` read first; no other is supported.
    pub fn lacks_event_support(&self, operation: &Operation) -> bool {
        operation.event_stream
            && match self.protocol {
                Protocol::RestJson1 => false,
                Protocol::AwsJson(_) | Protocol::RpcV2Cbor => {
                    self.event_stream_payload(operation.input).is_some()
                }
                Protocol::RestXml { .. } | Protocol::AwsQuery | Protocol::Ec2Query => true,
            }
    }

    /// True when an operation streams events both ways (which needs HTTP/2).
    pub fn has_duplex_streams(&self) -> bool {
        self.operations.iter().any(|operation| {
            self.event_stream_payload(operation.input).is_some()
                && self.event_stream_payload(operation.output).is_some()
        })
    }

    /// True when an operation of the service has an event stream.
    pub fn has_event_streams(&self) -> bool {
        self.operations
            .iter()
            .any(|operation| operation.event_stream)
    }

    /// True when the body of `shape` (an input or output) is not read whole: a `@streaming`
    /// blob or an event stream.
    pub fn body_streams(&self, shape: ShapeRef) -> bool {
        self.streaming_payload(shape).is_some() || self.event_stream_payload(shape).is_some()
    }

    /// True when the target is a `@streaming` union (an event stream).
    pub fn is_event_stream(&self, target: Target) -> bool {
        matches!(target, Target::Shape(shape) if self.shape(shape).event_stream)
    }

    /// The `@httpPayload` member of a structure that targets a `@streaming` blob.
    pub fn streaming_payload(&self, shape: ShapeRef) -> Option<&Member> {
        match &self.shape(shape).kind {
            DataKind::Structure(members) => members
                .iter()
                .find(|member| member.http == Some(HttpBinding::Payload(PayloadForm::Stream))),
            _ => None,
        }
    }

    /// Every data shape with its reference, in arena order.
    pub fn shapes(&self) -> impl Iterator<Item = (ShapeRef, &DataShape)> {
        self.shapes
            .iter()
            .enumerate()
            .map(|(index, shape)| (ShapeRef(index), shape))
    }
}
