//! The data shapes of the service and their members: kinds, roles, constraints, HTTP and XML
//! bindings.

use super::{
    defaults, Bounds, Deprecated, PayloadForm, Primitive, ShapeRef, TextForm, TimestampFormat,
    XmlNamespace,
};
use crate::smithy::ShapeId;

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

impl DataShape {
    /// The member that `name` refers to, if the shape (a structure or union) has it.
    pub fn member(&self, name: &MemberName) -> Option<&Member> {
        self.members()
            .iter()
            .find(|member| member.wire_name == name.0)
    }

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
    IntEnum(Vec<EnumVariant<i64>>),
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
pub struct EnumVariant<V = String> {
    /// The symbolic name (the value itself when the model gives none).
    pub name: String,
    /// The wire value: a string, or an `i64` in an intEnum.
    pub value: V,
    /// Documentation (HTML).
    pub docs: Option<String>,
    /// Deprecated value.
    pub deprecated: bool,
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

/// A reference to a member of a structure or union the context names (an operation's input or
/// output, a step of a path): the member's name in the model, the last part of its Smithy
/// member id. Rust naming never changes it; [`DataShape::member`] finds the member, whose
/// `name` is the one to render.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MemberName(pub String);

impl MemberName {
    /// The model name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for MemberName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
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
