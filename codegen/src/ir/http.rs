//! HTTP bindings checked against what they bind, so rendering them cannot fail: the text form
//! of labels, query parameters and headers, the form of a payload, the maps of
//! `@httpPrefixHeaders` and `@httpQueryParams`, and the operation's `@http` route parsed into
//! literal and label segments.

use super::{HttpBinding, Member, MemberName};
use crate::error::{Error, Location};
use crate::smithy::{self, Model, ShapeId, ShapeKind, SimpleType};

/// The scalar a URI label, query parameter or header holds (or each item of its list holds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextForm {
    /// A string, as it is.
    String,
    /// A string enum, its value.
    Enum,
    /// An int enum, its number.
    IntEnum,
    /// `true` or `false`.
    Boolean,
    /// A byte, short, integer or long.
    Integer,
    /// A float or double (`NaN`, `Infinity`, `-Infinity` spelled out).
    Float,
    /// A timestamp, in the member's format or the location's default.
    Timestamp,
}

/// What an `@httpPayload` member's value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayloadForm {
    /// A blob, as bytes.
    Blob,
    /// A `@streaming` blob, handed over unread.
    Stream,
    /// A string, as text.
    String,
    /// A string enum, its value as text.
    Enum,
    /// A document, as JSON.
    Document,
    /// A structure, as a JSON object.
    Structure,
    /// A union, as a JSON object.
    Union,
    /// A `@streaming` union: the body is an event stream.
    EventStream,
}

/// An operation's `@http` trait, parsed and checked against its input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRoute {
    /// The method.
    pub method: crate::smithy::HttpMethod,
    /// The URI path: literal text and labels.
    pub path: Vec<PathSegment>,
    /// Constant query pairs of the URI (`?a=b&c`), in order.
    pub query: Vec<(String, String)>,
    /// The success status code.
    pub code: u16,
}

/// A piece of a URI path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSegment {
    /// Text sent as it is.
    Literal(String),
    /// A label: the `@httpLabel` member whose value fills it.
    Label {
        /// The input's member.
        member: MemberName,
        /// `{name+}`: slashes in the value are kept.
        greedy: bool,
    },
}

/// The scalar kind of `target` as text, if it has one.
fn text_form(model: &Model, target: &ShapeId) -> Option<TextForm> {
    let shape = model.shapes.get(target)?;
    Some(match &shape.kind {
        // A Smithy 1.0 `@enum` string is an enum.
        ShapeKind::Simple(SimpleType::String) if shape.traits.enum_definitions.is_some() => {
            TextForm::Enum
        }
        ShapeKind::Simple(simple) => match simple {
            SimpleType::String => TextForm::String,
            SimpleType::Boolean => TextForm::Boolean,
            SimpleType::Byte | SimpleType::Short | SimpleType::Integer | SimpleType::Long => {
                TextForm::Integer
            }
            SimpleType::Float | SimpleType::Double => TextForm::Float,
            SimpleType::Timestamp => TextForm::Timestamp,
            _ => return None,
        },
        ShapeKind::Enum(_) => TextForm::Enum,
        ShapeKind::IntEnum(_) => TextForm::IntEnum,
        _ => return None,
    })
}

/// The element of a list target.
fn list_element<'m>(model: &'m Model, target: &ShapeId) -> Option<&'m ShapeId> {
    match &model.shapes.get(target)?.kind {
        ShapeKind::List { member, .. } => Some(&member.target),
        _ => None,
    }
}

/// The form of `target` as a payload, if it can be one.
fn payload_form(model: &Model, target: &ShapeId) -> Option<PayloadForm> {
    let shape = model.shapes.get(target)?;
    Some(match &shape.kind {
        ShapeKind::Simple(SimpleType::Blob) if shape.traits.streaming => PayloadForm::Stream,
        ShapeKind::Simple(SimpleType::Blob) => PayloadForm::Blob,
        ShapeKind::Simple(SimpleType::String) if shape.traits.enum_definitions.is_some() => {
            PayloadForm::Enum
        }
        ShapeKind::Simple(SimpleType::String) => PayloadForm::String,
        ShapeKind::Simple(SimpleType::Document) => PayloadForm::Document,
        ShapeKind::Enum(_) => PayloadForm::Enum,
        ShapeKind::Structure(_) => PayloadForm::Structure,
        ShapeKind::Union(_) if shape.traits.streaming => PayloadForm::EventStream,
        ShapeKind::Union(_) => PayloadForm::Union,
        _ => return None,
    })
}

/// True when `target` is a map whose values are strings, or lists of strings when `lists`.
fn is_string_map(model: &Model, target: &ShapeId, lists: bool) -> bool {
    let is_string = |id: &ShapeId| {
        matches!(
            model.shapes.get(id).map(|shape| &shape.kind),
            Some(ShapeKind::Simple(SimpleType::String))
        )
    };
    match model.shapes.get(target).map(|shape| &shape.kind) {
        Some(ShapeKind::Map { value, .. }) => {
            is_string(&value.target)
                || (lists && list_element(model, &value.target).is_some_and(is_string))
        }
        _ => false,
    }
}

/// The HTTP binding of `member` from its traits, checked against its target; `at` locates it.
pub(super) fn binding(
    model: &Model,
    member: &smithy::Member,
    at: &Location,
) -> Result<Option<HttpBinding>, Error> {
    let traits = &member.traits;
    let target = &member.target;
    let scalar = || text_form(model, target);
    let scalar_or_items = || scalar().or_else(|| text_form(model, list_element(model, target)?));
    let refuse = |what: &str| at.error(format!("this type cannot be {what}"));
    if traits.http_label {
        return scalar()
            .map(|form| Some(HttpBinding::Label(form)))
            .ok_or_else(|| refuse("an @httpLabel (a string, number, boolean, timestamp or enum)"));
    }
    if traits.http_query_params {
        return if is_string_map(model, target, true) {
            Ok(Some(HttpBinding::QueryParams))
        } else {
            Err(refuse(
                "@httpQueryParams (a map of strings or lists of strings)",
            ))
        };
    }
    if traits.http_payload {
        return payload_form(model, target)
            .map(|form| Some(HttpBinding::Payload(form)))
            .ok_or_else(|| refuse("an @httpPayload"));
    }
    if traits.http_response_code {
        return match text_form(model, target) {
            Some(TextForm::Integer) => Ok(Some(HttpBinding::ResponseCode)),
            _ => Err(refuse("an @httpResponseCode (an integer)")),
        };
    }
    if let Some(name) = &traits.http_query {
        return scalar_or_items()
            .map(|form| Some(HttpBinding::Query(name.clone(), form)))
            .ok_or_else(|| refuse("bound to a URI query parameter"));
    }
    if let Some(name) = &traits.http_header {
        return scalar_or_items()
            .map(|form| Some(HttpBinding::Header(name.clone(), form)))
            .ok_or_else(|| refuse("bound to a header"));
    }
    match &traits.http_prefix_headers {
        Some(_) if !is_string_map(model, target, false) => {
            Err(refuse("@httpPrefixHeaders (a map of strings)"))
        }
        prefix => Ok(prefix.clone().map(HttpBinding::PrefixHeaders)),
    }
}

/// Parses `@http` for an operation whose input has `members`; `at` locates the operation.
pub(super) fn route(
    http: &smithy::Http,
    members: &[Member],
    at: &Location,
) -> Result<HttpRoute, Error> {
    let (template, constants) = http.uri.split_once('?').unwrap_or((&http.uri, ""));
    let mut path = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            path.push(PathSegment::Literal(rest[..open].to_owned()));
        }
        let close = rest[open..]
            .find('}')
            .map(|close| open + close)
            .ok_or_else(|| at.error(format!("URI `{template}` has an unclosed label")))?;
        let label = &rest[open + 1..close];
        let (label, greedy) = match label.strip_suffix('+') {
            Some(label) => (label, true),
            None => (label, false),
        };
        if !members.iter().any(|member| {
            member.name == label && matches!(member.http, Some(HttpBinding::Label(_)))
        }) {
            return Err(at.error(format!(
                "URI label `{label}` names no @httpLabel member of the input"
            )));
        }
        path.push(PathSegment::Label {
            member: MemberName(label.to_owned()),
            greedy,
        });
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        path.push(PathSegment::Literal(rest.to_owned()));
    }
    let query = constants
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (name.to_owned(), value.to_owned())
        })
        .collect();
    Ok(HttpRoute {
        method: http.method,
        path,
        query,
        code: http.code,
    })
}
