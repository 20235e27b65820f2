//! The service as the generator needs it: operations, data shapes and their members, built
//! from a [`smithy::Model`](crate::smithy::Model) by model-to-model passes. No Rust syntax here.

mod build;
mod checksum;
pub mod customize;
pub mod defaults;
pub mod discovery;
pub mod endpoint;
mod http;
mod patterns;
pub mod protocol_tests;
pub mod readable;
mod recursion;
mod secrets;
pub mod waiters;

pub use crate::smithy::HttpMethod;
pub use build::{build, build_selected};
pub use checksum::{ChecksumAlgorithm, HttpChecksum};
pub use http::{HttpRoute, PathSegment, PayloadForm, TextForm};

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

impl Protocol {
    /// True for the protocols whose requests are form-encoded (awsQuery, ec2Query).
    pub fn is_query(self) -> bool {
        matches!(self, Protocol::AwsQuery | Protocol::Ec2Query)
    }

    /// True for the protocols that bind members to the HTTP message (`@http` routes).
    pub fn binds_http(self) -> bool {
        matches!(self, Protocol::RestJson1 | Protocol::RestXml { .. })
    }
}

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
    /// `@endpoint` `hostPrefix`, e.g. `{Bucket}.data.` (labels name `@hostLabel` members).
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
    /// The input or output holds an event stream (see [`Service::lacks_event_support`]).
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
    pub input_token: String,
    /// Output member path of the next token.
    pub output_token: String,
    /// Input member limiting the page size.
    pub page_size: Option<String>,
    /// Output member path of the items: the trait's, else the output's only list member.
    pub items: Option<String>,
}

/// A data shape to render.
#[derive(Clone, Debug)]
pub struct DataShape {
    /// The model shape id (for synthetic shapes, the structure they copy, or the operation).
    pub id: ShapeId,
    /// The name to render, before Rust casing (e.g. `CreateRoomInput`).
    pub name: String,
    /// Documentation (HTML).
    pub docs: Option<String>,
    /// `@deprecated`.
    pub deprecated: Option<Deprecated>,
    /// `@sensitive` on the shape.
    pub sensitive: bool,
    /// What the shape is for.
    pub role: Role,
    /// Where the shape is used.
    pub usage: Usage,
    /// Values of this shape hold members with constraint traits to check before sending.
    pub checks_constraints: bool,
    /// Values of this shape hold members with `@pattern`s the client can check.
    pub checks_patterns: bool,
    /// `@xmlName` and `@xmlNamespace` of the shape (the element of an XML body or payload).
    pub xml: ShapeXml,
    /// A `@streaming` union: its values are an event stream's events.
    pub event_stream: bool,
    /// The shape's structure.
    pub kind: DataKind,
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

impl DataShape {
    /// The members of a structure or union; none for other shapes.
    pub fn members(&self) -> &[Member] {
        match &self.kind {
            DataKind::Structure(members) | DataKind::Union(members) => members,
            _ => &[],
        }
    }

    /// True when a member is held as a plain value rather than an `Option`: required or defaulted
    /// members of shapes that are only ever received (Smithy's client error correction fills a
    /// default when the service leaves one out), and defaulted members of any shape but an
    /// operation's input (the builder fills the default, so it is sent; a top-level input member
    /// left unset is not sent, as the protocol tests ask). `@clientOptional` members and structure
    /// or union payloads stay `Option`s: an empty body has no value to correct a payload to.
    pub fn is_plain(&self, member: &Member) -> bool {
        let payload_shape = matches!(
            member.http,
            Some(HttpBinding::Payload(
                PayloadForm::Structure | PayloadForm::Union
            ))
        );
        let corrected = member.default.is_some() || (member.required && !self.usage.input);
        !matches!(self.role, Role::Input(_))
            && corrected
            && !member.client_optional
            && !payload_shape
    }
}

/// How a shape's element is named in XML.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShapeXml {
    /// `@xmlName`.
    pub name: Option<String>,
    /// `@xmlNamespace`.
    pub namespace: Option<XmlNamespace>,
}

/// What a data shape is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Role {
    /// A shape of the model used by members.
    Plain,
    /// The input of the operation at this index.
    Input(usize),
    /// The output of the operation at this index.
    Output(usize),
    /// An error structure.
    Error {
        /// True when the service is at fault (`@error("server")`).
        server_fault: bool,
        /// `@httpError`.
        http_status: Option<u16>,
        /// The code that names the error on the wire: the shape name, or in awsQuery and
        /// ec2Query its `@awsQueryError` code when it has one.
        code: String,
        /// In an `awsQueryCompatible` service, the error's `@awsQueryError` code: the
        /// `x-amzn-query-error` header may name the error by it, and `code()` reports it.
        query_code: Option<String>,
    },
}

/// Where a data shape is reachable from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Reachable from an operation input: values are built by users and sent.
    pub input: bool,
    /// Reachable from an operation output or error: values are received.
    pub output: bool,
}

/// The structure of a data shape.
#[derive(Clone, Debug)]
pub enum DataKind {
    /// A named simple shape (e.g. `RoomName`, a constrained string).
    Alias {
        /// The simple type.
        primitive: Primitive,
        /// The shape's constraints.
        constraints: Constraints,
        /// `@mediaType` (a blob or string holding data of that type).
        media_type: Option<String>,
        /// `@streaming` (a blob): a body read as it arrives, never buffered whole.
        streaming: bool,
        /// `@requiresLength` (a streaming blob): its length must be known before sending.
        requires_length: bool,
    },
    /// A string enum (`enum` shape or `@enum` trait).
    Enum(Vec<EnumVariant>),
    /// An `intEnum`.
    IntEnum(Vec<EnumVariant>),
    /// A list or set.
    List {
        /// The element member.
        member: Box<Member>,
        /// Elements may be null.
        sparse: bool,
    },
    /// A map with string keys.
    Map {
        /// The key member.
        key: Box<Member>,
        /// The value member.
        value: Box<Member>,
        /// Values may be null.
        sparse: bool,
    },
    /// A structure.
    Structure(Vec<Member>),
    /// A tagged union.
    Union(Vec<Member>),
}

/// One value of an enum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumVariant {
    /// The symbolic name (the value itself when the model gives none).
    pub name: String,
    /// The wire value.
    pub value: EnumLiteral,
    /// Documentation (HTML).
    pub docs: Option<String>,
    /// Deprecated value.
    pub deprecated: bool,
}

/// The wire value of an enum variant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnumLiteral {
    /// A string enum value.
    String(String),
    /// An intEnum value.
    Int(i64),
}

/// What a member's value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A prelude simple type.
    Primitive(Primitive),
    /// A data shape of the service.
    Shape(ShapeRef),
}

/// `@length`, `@range` and `@pattern`, from the member or else its target.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    /// `@length`.
    pub length: Option<Bounds>,
    /// `@range`.
    pub range: Option<Bounds>,
    /// `@pattern`.
    pub pattern: Option<String>,
}

/// Sets a flag (`is_set` reads it, `set` sets it) on every shape whose values hold a member
/// for which `own` holds, directly or through the shapes its members target (cycles included).
pub(crate) fn mark_reaching(
    shapes: &mut [DataShape],
    own: fn(&Member) -> bool,
    is_set: fn(&DataShape) -> bool,
    set: fn(&mut DataShape),
) {
    loop {
        let mut changed = false;
        for index in 0..shapes.len() {
            // An event stream's events are not checked before they are sent.
            if is_set(&shapes[index]) || shapes[index].event_stream {
                continue;
            }
            let reaches = |member: &Member| {
                own(member)
                    || matches!(member.target, Target::Shape(target) if is_set(&shapes[target.0]))
            };
            let found = match &shapes[index].kind {
                DataKind::Structure(members) | DataKind::Union(members) => {
                    members.iter().any(reaches)
                }
                DataKind::List { member, .. } => reaches(member),
                DataKind::Map { key, value, .. } => reaches(key) || reaches(value),
                DataKind::Alias { .. } | DataKind::Enum(_) | DataKind::IntEnum(_) => false,
            };
            if found {
                set(&mut shapes[index]);
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

impl Constraints {
    /// True when no constraint is set.
    pub fn is_empty(&self) -> bool {
        self.length.is_none() && self.range.is_none() && self.pattern.is_none()
    }
}

/// Where a member is bound in an HTTP message, with the form its target takes there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HttpBinding {
    /// `@httpLabel`.
    Label(TextForm),
    /// `@httpQuery(name)`: a scalar or a list of them.
    Query(String, TextForm),
    /// `@httpQueryParams`: a map of strings or of lists of strings.
    QueryParams,
    /// `@httpHeader(name)`: a scalar or a list of them.
    Header(String, TextForm),
    /// `@httpPrefixHeaders(prefix)`: a map of strings.
    PrefixHeaders(String),
    /// `@httpPayload`.
    Payload(PayloadForm),
    /// `@httpResponseCode`: an integer.
    ResponseCode,
}

/// `@xmlName`, `@xmlFlattened` and `@xmlAttribute` of a member (the XML protocols read them;
/// awsQuery keys follow `@xmlName` and `@xmlFlattened` too).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct XmlForm {
    /// `@xmlName`.
    pub name: Option<String>,
    /// `@xmlFlattened`: a list's or map's entries sit directly in the parent.
    pub flattened: bool,
    /// `@xmlAttribute`: the value is an attribute of the parent element.
    pub attribute: bool,
    /// `@ec2QueryName`: the member's key in ec2Query requests.
    pub ec2_query_name: Option<String>,
    /// `@xmlNamespace`: declared on the member's element.
    pub namespace: Option<XmlNamespace>,
}

/// A member of a structure, union, list or map.
#[derive(Clone, Debug)]
pub struct Member {
    /// The member name to render (the model's, unless a Rust name collision renamed it).
    pub name: String,
    /// The member name in the model: what the protocols name it on the wire, whatever the
    /// Rust name.
    pub wire_name: String,
    /// The member's value type.
    pub target: Target,
    /// Documentation (HTML), the member's own or else its target's.
    pub docs: Option<String>,
    /// `@required`.
    pub required: bool,
    /// `@default` value, when not null.
    pub default: Option<defaults::DefaultValue>,
    /// `@clientOptional`.
    pub client_optional: bool,
    /// Constraint traits.
    pub constraints: Constraints,
    /// The value is sensitive: the target is `@sensitive`, or the member's name says it holds
    /// a credential (`secrets::names_a_secret`).
    pub sensitive: bool,
    /// `@deprecated`.
    pub deprecated: Option<Deprecated>,
    /// `@jsonName`.
    pub json_name: Option<String>,
    /// How the member is named and laid out in XML and query bodies.
    pub xml: XmlForm,
    /// HTTP binding trait.
    pub http: Option<HttpBinding>,
    /// `@timestampFormat`, the member's own or else its target's.
    pub timestamp_format: Option<TimestampFormat>,
    /// `@idempotencyToken`.
    pub idempotency_token: bool,
    /// The member closes a cycle of structures or unions and must be boxed.
    pub boxed: bool,
    /// Where a member of an event structure travels in its message (`@eventHeader`,
    /// `@eventPayload`); `None` for the members of the implicit payload, and outside events.
    pub event: Option<EventBinding>,
    /// Received leniently: a value that does not parse leaves the member unset instead of
    /// failing the call (a customization's choice, e.g. S3's `Expires`).
    pub lenient: bool,
}

/// Where a member of an event travels in its message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventBinding {
    /// A typed message header named after the member.
    Header,
    /// The whole payload.
    Payload,
}

impl Member {
    /// True when a request body carries the member: it has no HTTP binding and is not an
    /// event's header or payload.
    pub fn in_body(&self) -> bool {
        self.http.is_none() && self.event.is_none()
    }

    /// True when a response carries the member outside its body (status, header or payload):
    /// a label or query binding means nothing in a response, so such a member is read from
    /// the body like an unbound one.
    pub fn bound_in_response(&self) -> bool {
        self.event.is_some()
            || matches!(
                self.http,
                Some(
                    HttpBinding::Header(..)
                        | HttpBinding::PrefixHeaders(_)
                        | HttpBinding::Payload(_)
                        | HttpBinding::ResponseCode
                )
            )
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
                _ => true,
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
