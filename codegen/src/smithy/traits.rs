//! Typed access to the traits the generator uses. Each known trait's value is checked when the
//! model loads, so a malformed trait is an error naming it, never a surprise while rendering.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::HttpMethod;
use crate::error::{json_type, Error, Location};

/// `@length` or `@range` bounds.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Bounds {
    /// Inclusive lower bound.
    pub min: Option<f64>,
    /// Inclusive upper bound.
    pub max: Option<f64>,
}

/// `@http` on an operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Http {
    /// HTTP method, e.g. `POST`.
    pub method: HttpMethod,
    /// URI pattern, e.g. `/rooms/{id}`.
    pub uri: String,
    /// Success status code (200 unless set).
    pub code: u16,
}

/// `@paginated` on a service or operation; unset fields are filled from the service.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Paginated {
    /// Input member holding the continuation token.
    pub input_token: Option<String>,
    /// Output member (path) holding the next token.
    pub output_token: Option<String>,
    /// Input member limiting the page size.
    pub page_size: Option<String>,
    /// Output member (path) holding the items.
    pub items: Option<String>,
}

/// One entry of the Smithy 1.0 `@enum` trait.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumDefinition {
    /// The wire value.
    pub value: String,
    /// The symbolic name, when given.
    pub name: Option<String>,
    /// Documentation of this value.
    pub documentation: Option<String>,
    /// Whether the value is deprecated.
    pub deprecated: bool,
}

/// `@enumValue` on a member of an enum or intEnum shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnumValue {
    /// The value of an `enum` member.
    String(String),
    /// The value of an `intEnum` member.
    Int(i64),
}

/// `@timestampFormat`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimestampFormat {
    /// RFC 3339.
    DateTime,
    /// IMF-fixdate.
    HttpDate,
    /// Seconds since the epoch.
    EpochSeconds,
}

/// `@deprecated`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Deprecated {
    /// Why, and what to use instead.
    pub message: Option<String>,
    /// Since which version.
    pub since: Option<String>,
}

/// `@xmlNamespace`: the namespace an element declares.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct XmlNamespace {
    /// The namespace URI.
    pub uri: String,
    /// The prefix it is declared with (`xmlns:prefix`), none for the default namespace.
    pub prefix: Option<String>,
}

/// `aws.protocols#httpChecksum` as the model writes it (the IR checks that its members are
/// the input's and its algorithms known).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpChecksum {
    /// `requestAlgorithmMember`: the input member naming the request checksum's algorithm.
    pub request_algorithm_member: Option<String>,
    /// `requestValidationModeMember`: the input member that opts in to response validation.
    pub request_validation_mode_member: Option<String>,
    /// `requestChecksumRequired`.
    pub request_checksum_required: bool,
    /// `responseAlgorithms`, in order.
    pub response_algorithms: Vec<String>,
}

/// `aws.api#clientEndpointDiscovery`: the service's discovery operation and the error that
/// says a discovered endpoint went stale, as shape ids (the IR finds them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientEndpointDiscovery {
    /// `operation`.
    pub operation: Option<String>,
    /// `error`.
    pub error: Option<String>,
}

/// The value of a `staticContextParams` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StaticValue {
    /// A boolean.
    Bool(bool),
    /// A string.
    String(String),
    /// A list of strings.
    Strings(Vec<String>),
}

/// The traits of a shape or member, typed where the generator reads them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Traits {
    raw: BTreeMap<String, Value>,
    /// `@documentation` (HTML).
    pub documentation: Option<String>,
    /// `@required`.
    pub required: bool,
    /// `@clientOptional`.
    pub client_optional: bool,
    /// `@default` value (JSON).
    pub default: Option<Value>,
    /// `@sensitive`.
    pub sensitive: bool,
    /// `@deprecated`.
    pub deprecated: Option<Deprecated>,
    /// `@length`.
    pub length: Option<Bounds>,
    /// `@range`.
    pub range: Option<Bounds>,
    /// `@pattern`.
    pub pattern: Option<String>,
    /// `@enum` (Smithy 1.0 string enums).
    pub enum_definitions: Option<Vec<EnumDefinition>>,
    /// `@enumValue`.
    pub enum_value: Option<EnumValue>,
    /// `@jsonName`.
    pub json_name: Option<String>,
    /// `@timestampFormat`.
    pub timestamp_format: Option<TimestampFormat>,
    /// `@error` (`client` or `server`).
    pub error: Option<String>,
    /// `@httpError`.
    pub http_error: Option<u16>,
    /// `@http`.
    pub http: Option<Http>,
    /// `@httpLabel`.
    pub http_label: bool,
    /// `@httpQuery` parameter name.
    pub http_query: Option<String>,
    /// `@httpQueryParams`.
    pub http_query_params: bool,
    /// `@httpHeader` name.
    pub http_header: Option<String>,
    /// `@httpPrefixHeaders` prefix.
    pub http_prefix_headers: Option<String>,
    /// `@httpPayload`.
    pub http_payload: bool,
    /// `@httpResponseCode`.
    pub http_response_code: bool,
    /// `@readonly`.
    pub readonly: bool,
    /// `@idempotent`.
    pub idempotent: bool,
    /// `@idempotencyToken`.
    pub idempotency_token: bool,
    /// `@paginated`.
    pub paginated: Option<Paginated>,
    /// `@sparse`.
    pub sparse: bool,
    /// `@streaming`.
    pub streaming: bool,
    /// `@eventHeader`.
    pub event_header: bool,
    /// `@eventPayload`.
    pub event_payload: bool,
    /// `@title`.
    pub title: Option<String>,
    /// `aws.api#service` `sdkId`.
    pub aws_sdk_id: Option<String>,
    /// `aws.auth#sigv4` signing name.
    pub sigv4_name: Option<String>,
    /// `aws.protocols#restJson1`.
    pub rest_json1: bool,
    /// `aws.protocols#awsQuery`.
    pub aws_query: bool,
    /// `aws.protocols#ec2Query`.
    pub ec2_query: bool,
    /// `aws.protocols#awsJson1_0`.
    pub aws_json1_0: bool,
    /// `aws.protocols#awsJson1_1`.
    pub aws_json1_1: bool,
    /// `smithy.protocols#rpcv2Cbor`.
    pub rpcv2_cbor: bool,
    /// `aws.protocols#ec2QueryName`.
    pub ec2_query_name: Option<String>,
    /// `aws.protocols#awsQueryError` code (the wire code of an error shape).
    pub aws_query_error: Option<String>,
    /// `@xmlName`.
    pub xml_name: Option<String>,
    /// `@xmlFlattened`.
    pub xml_flattened: bool,
    /// `@xmlAttribute`.
    pub xml_attribute: bool,
    /// `@xmlNamespace`.
    pub xml_namespace: Option<XmlNamespace>,
    /// `aws.protocols#restXml`.
    pub rest_xml: bool,
    /// `aws.protocols#restXml` `noErrorWrapping`: error bodies are `<Error>` itself.
    pub no_error_wrapping: bool,
    /// `smithy.api#endpoint` `hostPrefix`, e.g. `{Bucket}.data.`.
    pub host_prefix: Option<String>,
    /// `@httpChecksumRequired`.
    pub http_checksum_required: bool,
    /// `@requestCompression` `encodings`.
    pub request_compression: Vec<String>,
    /// `aws.api#clientDiscoveredEndpoint`, with its `required` flag.
    pub client_discovered_endpoint: Option<bool>,
    /// `@mediaType`.
    pub media_type: Option<String>,
    /// `@requiresLength`.
    pub requires_length: bool,
    /// `@auth`: the schemes in order of preference (`None` when the trait is absent).
    pub auth: Option<Vec<String>>,
    /// `@optionalAuth`.
    pub optional_auth: bool,
    /// `aws.auth#unsignedPayload`.
    pub unsigned_payload: bool,
    /// `aws.auth#sigv4a`.
    pub sigv4a: bool,
    /// `aws.protocols#httpChecksum`.
    pub http_checksum: Option<HttpChecksum>,
    /// `aws.api#clientEndpointDiscovery` (on a service).
    pub client_endpoint_discovery: Option<ClientEndpointDiscovery>,
    /// `smithy.rules#staticContextParams`: endpoint parameters an operation fixes, by name.
    pub static_context_params: Vec<(String, StaticValue)>,
    /// `smithy.rules#contextParam`: the endpoint parameter an input member sets.
    pub context_param: Option<String>,
    /// `smithy.rules#operationContextParams`: endpoint parameters set from paths into the
    /// input, by name (the path as written).
    pub operation_context_params: Vec<(String, String)>,
    /// `aws.protocols#awsQueryCompatible`.
    pub aws_query_compatible: bool,
}

/// Traits whose value is an object of no meaning beyond presence ("annotation traits").
const ANNOTATIONS: &[&str] = &[
    "smithy.api#required",
    "smithy.api#clientOptional",
    "smithy.api#sensitive",
    "smithy.api#httpLabel",
    "smithy.api#httpQueryParams",
    "smithy.api#httpPayload",
    "smithy.api#httpResponseCode",
    "smithy.api#readonly",
    "smithy.api#idempotent",
    "smithy.api#idempotencyToken",
    "smithy.api#sparse",
    "smithy.api#streaming",
    "smithy.api#eventHeader",
    "smithy.api#eventPayload",
    "aws.protocols#restJson1",
    "aws.protocols#awsQuery",
    "aws.protocols#ec2Query",
    "aws.protocols#awsJson1_0",
    "aws.protocols#awsJson1_1",
    "smithy.api#xmlFlattened",
    "smithy.api#xmlAttribute",
    "smithy.api#httpChecksumRequired",
    "smithy.api#requiresLength",
    "smithy.api#optionalAuth",
    "aws.auth#unsignedPayload",
    "aws.protocols#awsQueryCompatible",
];

impl Traits {
    /// Reads the `traits` object at `at`; `None` means the shape has no traits.
    pub(crate) fn parse(value: Option<&Value>, at: &Location) -> Result<Self, Error> {
        let Some(value) = value else {
            return Ok(Self::default());
        };
        let entries = value.as_object().ok_or_else(|| {
            at.error(format!(
                "traits must be an object, found {}",
                json_type(value)
            ))
        })?;
        let mut traits = Self::default();
        for (id, value) in entries {
            let trait_at = at.key(id);
            if ANNOTATIONS.contains(&id.as_str()) {
                object(value, &trait_at, id)?;
            }
            traits.read(id, value, &trait_at)?;
            traits.raw.insert(id.clone(), value.clone());
        }
        Ok(traits)
    }

    fn read(&mut self, id: &str, value: &Value, at: &Location) -> Result<(), Error> {
        if id.starts_with("aws.") {
            return self.read_aws(id, value, at);
        }
        if id.starts_with("smithy.api#http") {
            return self.read_http(id, value, at);
        }
        if id.starts_with("smithy.api#xml") {
            return self.read_xml(id, value, at);
        }
        if id.starts_with("smithy.rules#") {
            return self.read_rules(id, value, at);
        }
        match id {
            "smithy.api#documentation" => self.documentation = Some(string(value, at, id)?),
            "smithy.api#required" => self.required = true,
            "smithy.api#clientOptional" => self.client_optional = true,
            "smithy.api#default" => self.default = Some(value.clone()),
            "smithy.api#sensitive" => self.sensitive = true,
            "smithy.api#deprecated" => self.deprecated = Some(deprecated(value, at, id)?),
            "smithy.api#length" => self.length = Some(bounds(value, at, id)?),
            "smithy.api#range" => self.range = Some(bounds(value, at, id)?),
            "smithy.api#pattern" => self.pattern = Some(string(value, at, id)?),
            "smithy.api#enum" => self.enum_definitions = Some(enum_definitions(value, at, id)?),
            "smithy.api#enumValue" => self.enum_value = Some(enum_value(value, at, id)?),
            "smithy.api#jsonName" => self.json_name = Some(string(value, at, id)?),
            "smithy.api#timestampFormat" => {
                self.timestamp_format = Some(timestamp_format(value, at, id)?)
            }
            "smithy.api#error" => self.error = Some(one_of(value, at, id, &["client", "server"])?),
            "smithy.api#readonly" => self.readonly = true,
            "smithy.api#idempotent" => self.idempotent = true,
            "smithy.api#idempotencyToken" => self.idempotency_token = true,
            "smithy.api#paginated" => self.paginated = Some(paginated(value, at, id)?),
            "smithy.api#sparse" => self.sparse = true,
            "smithy.api#streaming" => self.streaming = true,
            "smithy.api#eventHeader" => self.event_header = true,
            "smithy.api#eventPayload" => self.event_payload = true,
            "smithy.api#title" => self.title = Some(string(value, at, id)?),
            "smithy.protocols#rpcv2Cbor" => self.rpcv2_cbor = true,
            "smithy.api#endpoint" => {
                self.host_prefix = Some(string_field(object(value, at, id)?, "hostPrefix", at, id)?)
            }
            "smithy.api#requestCompression" => {
                self.request_compression = strings(object(value, at, id)?, "encodings", at, id)?
            }
            "smithy.api#mediaType" => self.media_type = Some(string(value, at, id)?),
            "smithy.api#requiresLength" => self.requires_length = true,
            "smithy.api#auth" => self.auth = Some(string_list(value, at, id)?),
            "smithy.api#optionalAuth" => self.optional_auth = true,
            _ => {}
        }
        Ok(())
    }

    /// The HTTP binding traits (`smithy.api#http...`).
    fn read_http(&mut self, id: &str, value: &Value, at: &Location) -> Result<(), Error> {
        match id {
            "smithy.api#http" => self.http = Some(http(value, at, id)?),
            "smithy.api#httpLabel" => self.http_label = true,
            "smithy.api#httpQuery" => self.http_query = Some(string(value, at, id)?),
            "smithy.api#httpQueryParams" => self.http_query_params = true,
            "smithy.api#httpHeader" => self.http_header = Some(string(value, at, id)?),
            "smithy.api#httpPrefixHeaders" => {
                self.http_prefix_headers = Some(string(value, at, id)?)
            }
            "smithy.api#httpPayload" => self.http_payload = true,
            "smithy.api#httpResponseCode" => self.http_response_code = true,
            "smithy.api#httpError" => self.http_error = Some(status(value, at, id)?),
            "smithy.api#httpChecksumRequired" => self.http_checksum_required = true,
            _ => {}
        }
        Ok(())
    }

    /// The endpoint-rules traits an operation or member sets its parameters with (the rule
    /// set, its tests and the client's parameters are read with the service's rules).
    fn read_rules(&mut self, id: &str, value: &Value, at: &Location) -> Result<(), Error> {
        match id {
            "smithy.rules#staticContextParams" => {
                for (name, entry) in object(value, at, id)? {
                    let at = at.key(name);
                    let value = object(entry, &at, id)?
                        .get("value")
                        .and_then(static_value)
                        .ok_or_else(|| {
                            at.error(format!(
                                "`{name}` needs a string, boolean or string-list `value`"
                            ))
                        })?;
                    self.static_context_params.push((name.clone(), value));
                }
            }
            "smithy.rules#contextParam" => {
                self.context_param = Some(string_field(object(value, at, id)?, "name", at, id)?)
            }
            "smithy.rules#operationContextParams" => {
                for (name, entry) in object(value, at, id)? {
                    let at = at.key(name);
                    let path = string_field(object(entry, &at, id)?, "path", &at, id)?;
                    self.operation_context_params.push((name.clone(), path));
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The XML traits (`smithy.api#xml...`).
    fn read_xml(&mut self, id: &str, value: &Value, at: &Location) -> Result<(), Error> {
        match id {
            "smithy.api#xmlName" => self.xml_name = Some(string(value, at, id)?),
            "smithy.api#xmlFlattened" => self.xml_flattened = true,
            "smithy.api#xmlAttribute" => self.xml_attribute = true,
            "smithy.api#xmlNamespace" => {
                let fields = object(value, at, id)?;
                self.xml_namespace = Some(XmlNamespace {
                    uri: string_field(fields, "uri", at, id)?,
                    prefix: optional_string(fields, "prefix", at, id)?,
                })
            }
            _ => {}
        }
        Ok(())
    }

    /// The AWS traits (`aws.api`, `aws.auth`, `aws.protocols`).
    fn read_aws(&mut self, id: &str, value: &Value, at: &Location) -> Result<(), Error> {
        match id {
            "aws.api#service" => {
                self.aws_sdk_id = Some(string_field(object(value, at, id)?, "sdkId", at, id)?)
            }
            "aws.auth#sigv4" => {
                self.sigv4_name = Some(string_field(object(value, at, id)?, "name", at, id)?)
            }
            "aws.protocols#restJson1" => self.rest_json1 = true,
            "aws.protocols#awsQuery" => self.aws_query = true,
            "aws.protocols#ec2Query" => self.ec2_query = true,
            "aws.protocols#awsJson1_0" => self.aws_json1_0 = true,
            "aws.protocols#awsJson1_1" => self.aws_json1_1 = true,
            "aws.protocols#ec2QueryName" => self.ec2_query_name = Some(string(value, at, id)?),
            "aws.protocols#awsQueryError" => {
                self.aws_query_error = Some(string_field(object(value, at, id)?, "code", at, id)?)
            }
            "aws.protocols#restXml" => {
                let fields = object(value, at, id)?;
                self.rest_xml = true;
                self.no_error_wrapping = fields
                    .get("noErrorWrapping")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
            }
            "aws.api#clientDiscoveredEndpoint" => {
                let required = object(value, at, id)?.get("required");
                self.client_discovered_endpoint = Some(match required {
                    None => false,
                    Some(Value::Bool(flag)) => *flag,
                    Some(other) => {
                        return Err(wrong_type(&at.field("required"), id, "a boolean", other))
                    }
                })
            }
            "aws.auth#unsignedPayload" => self.unsigned_payload = true,
            "aws.auth#sigv4a" => self.sigv4a = true,
            "aws.api#clientEndpointDiscovery" => {
                let fields = object(value, at, id)?;
                self.client_endpoint_discovery = Some(ClientEndpointDiscovery {
                    operation: optional_string(fields, "operation", at, id)?,
                    error: optional_string(fields, "error", at, id)?,
                })
            }
            "aws.protocols#httpChecksum" => {
                self.http_checksum = Some(http_checksum(value, at, id)?)
            }
            "aws.protocols#awsQueryCompatible" => self.aws_query_compatible = true,
            _ => {}
        }
        Ok(())
    }

    /// The raw JSON value of any trait, by absolute id (for traits without typed access).
    pub fn raw(&self, id: &str) -> Option<&Value> {
        self.raw.get(id)
    }

    /// Every trait, by absolute id in id order, with its raw JSON value.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.raw.iter().map(|(id, value)| (id.as_str(), value))
    }

    /// Adds the traits of an `apply` statement (already checked when they were read).
    pub(crate) fn merge(&mut self, other: &Traits, at: &Location) -> Result<(), Error> {
        for (id, value) in &other.raw {
            self.read(id, value, &at.key(id))?;
            self.raw.insert(id.clone(), value.clone());
        }
        Ok(())
    }

    /// Adds the traits of an `apply` statement as the spec merges them: a list trait that is
    /// already set gets the new items appended, any other trait must not change its value.
    pub(crate) fn apply(&mut self, other: &Traits, at: &Location) -> Result<(), Error> {
        let mut merged = other.clone();
        for (id, value) in &other.raw {
            let Some(existing) = self.raw.get(id) else {
                continue;
            };
            match (existing, value) {
                (Value::Array(old), Value::Array(new)) => {
                    let joined = old.iter().chain(new).cloned().collect();
                    merged.raw.insert(id.clone(), Value::Array(joined));
                }
                (old, new) if old == new => {}
                _ => {
                    return Err(at.error(format!(
                        "trait `{id}` is applied again with a different value"
                    )))
                }
            }
        }
        self.merge(&merged, at)
    }

    /// These traits as inherited from a mixin: without `smithy.api#mixin` itself and the
    /// traits its `localTraits` keep to the mixin.
    pub(crate) fn inherited(&self, at: &Location) -> Result<Traits, Error> {
        let local: Vec<&str> = self
            .raw
            .get("smithy.api#mixin")
            .and_then(|mixin| mixin.get("localTraits"))
            .and_then(Value::as_array)
            .map(|ids| ids.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let kept: serde_json::Map<String, Value> = self
            .raw
            .iter()
            .filter(|(id, _)| id.as_str() != "smithy.api#mixin" && !local.contains(&id.as_str()))
            .map(|(id, value)| (id.clone(), value.clone()))
            .collect();
        Traits::parse(Some(&Value::Object(kept)), at)
    }

    /// Inserts a trait the model applies implicitly (prelude defaults).
    pub(crate) fn with_default(mut self, value: Value) -> Self {
        self.raw
            .insert("smithy.api#default".to_owned(), value.clone());
        self.default = Some(value);
        self
    }
}

fn wrong_type(at: &Location, id: &str, expected: &str, value: &Value) -> Error {
    at.error(format!(
        "trait `{id}` must be {expected}, found {}",
        json_type(value)
    ))
}

fn string(value: &Value, at: &Location, id: &str) -> Result<String, Error> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| wrong_type(at, id, "a string", value))
}

fn object<'v>(value: &'v Value, at: &Location, id: &str) -> Result<&'v Map<String, Value>, Error> {
    value
        .as_object()
        .ok_or_else(|| wrong_type(at, id, "an object", value))
}

fn optional_string(
    fields: &Map<String, Value>,
    field: &str,
    at: &Location,
    id: &str,
) -> Result<Option<String>, Error> {
    fields
        .get(field)
        .map(|value| string(value, &at.field(field), &format!("{id}.{field}")))
        .transpose()
}

/// The strings of the array `field` of a trait's object (none when the field is absent).
fn strings(
    fields: &Map<String, Value>,
    field: &str,
    at: &Location,
    id: &str,
) -> Result<Vec<String>, Error> {
    let at = at.field(field);
    match fields.get(field) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(index, item)| string(item, &at.index(index), id))
            .collect(),
        Some(other) => Err(wrong_type(&at, id, "an array", other)),
    }
}

fn string_field(
    fields: &Map<String, Value>,
    field: &str,
    at: &Location,
    id: &str,
) -> Result<String, Error> {
    optional_string(fields, field, at, id)?
        .ok_or_else(|| at.error(format!("trait `{id}` needs a `{field}` string")))
}

/// A trait whose value is a list of strings.
fn string_list(value: &Value, at: &Location, id: &str) -> Result<Vec<String>, Error> {
    let items = value
        .as_array()
        .ok_or_else(|| wrong_type(at, id, "an array", value))?;
    items
        .iter()
        .enumerate()
        .map(|(index, item)| string(item, &at.index(index), id))
        .collect()
}

/// A `staticContextParams` value, when it is one of the three kinds.
fn static_value(value: &Value) -> Option<StaticValue> {
    Some(match value {
        Value::Bool(flag) => StaticValue::Bool(*flag),
        Value::String(text) => StaticValue::String(text.clone()),
        Value::Array(items) => StaticValue::Strings(
            items
                .iter()
                .map(|item| item.as_str().map(str::to_owned))
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    })
}

fn http_checksum(value: &Value, at: &Location, id: &str) -> Result<HttpChecksum, Error> {
    let fields = object(value, at, id)?;
    let required = match fields.get("requestChecksumRequired") {
        None => false,
        Some(value) => value.as_bool().ok_or_else(|| {
            wrong_type(&at.field("requestChecksumRequired"), id, "a boolean", value)
        })?,
    };
    Ok(HttpChecksum {
        request_algorithm_member: optional_string(fields, "requestAlgorithmMember", at, id)?,
        request_validation_mode_member: optional_string(
            fields,
            "requestValidationModeMember",
            at,
            id,
        )?,
        request_checksum_required: required,
        response_algorithms: strings(fields, "responseAlgorithms", at, id)?,
    })
}

fn one_of(value: &Value, at: &Location, id: &str, allowed: &[&str]) -> Result<String, Error> {
    let text = string(value, at, id)?;
    if allowed.contains(&text.as_str()) {
        return Ok(text);
    }
    Err(at.error(format!(
        "trait `{id}` must be one of {}, found `{text}`",
        allowed.join(", ")
    )))
}

fn status(value: &Value, at: &Location, id: &str) -> Result<u16, Error> {
    value
        .as_u64()
        .and_then(|code| u16::try_from(code).ok())
        .filter(|code| (100..600).contains(code))
        .ok_or_else(|| wrong_type(at, id, "an HTTP status code (100-599)", value))
}

fn bounds(value: &Value, at: &Location, id: &str) -> Result<Bounds, Error> {
    let fields = object(value, at, id)?;
    let number = |field: &str| {
        fields
            .get(field)
            .map(|bound| {
                bound.as_f64().ok_or_else(|| {
                    wrong_type(
                        &at.field(field),
                        &format!("{id}.{field}"),
                        "a number",
                        bound,
                    )
                })
            })
            .transpose()
    };
    Ok(Bounds {
        min: number("min")?,
        max: number("max")?,
    })
}

fn deprecated(value: &Value, at: &Location, id: &str) -> Result<Deprecated, Error> {
    let fields = object(value, at, id)?;
    Ok(Deprecated {
        message: optional_string(fields, "message", at, id)?,
        since: optional_string(fields, "since", at, id)?,
    })
}

fn http(value: &Value, at: &Location, id: &str) -> Result<Http, Error> {
    let fields = object(value, at, id)?;
    let code = match fields.get("code") {
        Some(code) => status(code, &at.field("code"), &format!("{id}.code"))?,
        None => 200,
    };
    let method = fields
        .get("method")
        .ok_or_else(|| at.error(format!("trait `{id}` needs a `method` string")))?;
    let method_at = at.field("method");
    let name = string(method, &method_at, id)?;
    let method = HttpMethod::named(&name).ok_or_else(|| {
        let names: Vec<&str> = HttpMethod::ALL
            .iter()
            .map(|method| method.as_str())
            .collect();
        method_at.error(format!(
            "trait `{id}` must name one of {}, found `{}`",
            names.join(", "),
            name.to_ascii_uppercase()
        ))
    })?;
    Ok(Http {
        method,
        uri: string_field(fields, "uri", at, id)?,
        code,
    })
}

fn paginated(value: &Value, at: &Location, id: &str) -> Result<Paginated, Error> {
    let fields = object(value, at, id)?;
    Ok(Paginated {
        input_token: optional_string(fields, "inputToken", at, id)?,
        output_token: optional_string(fields, "outputToken", at, id)?,
        page_size: optional_string(fields, "pageSize", at, id)?,
        items: optional_string(fields, "items", at, id)?,
    })
}

fn timestamp_format(value: &Value, at: &Location, id: &str) -> Result<TimestampFormat, Error> {
    let allowed = ["date-time", "http-date", "epoch-seconds"];
    Ok(match one_of(value, at, id, &allowed)?.as_str() {
        "date-time" => TimestampFormat::DateTime,
        "http-date" => TimestampFormat::HttpDate,
        _ => TimestampFormat::EpochSeconds,
    })
}

fn enum_value(value: &Value, at: &Location, id: &str) -> Result<EnumValue, Error> {
    match value {
        Value::String(text) => Ok(EnumValue::String(text.clone())),
        Value::Number(number) => number
            .as_i64()
            .map(EnumValue::Int)
            .ok_or_else(|| wrong_type(at, id, "a string or an integer", value)),
        _ => Err(wrong_type(at, id, "a string or an integer", value)),
    }
}

fn enum_definitions(value: &Value, at: &Location, id: &str) -> Result<Vec<EnumDefinition>, Error> {
    let entries = value
        .as_array()
        .ok_or_else(|| wrong_type(at, id, "an array", value))?;
    let mut definitions = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        let entry_at = at.index(index);
        let fields = object(entry, &entry_at, id)?;
        let deprecated = match fields.get("deprecated") {
            None => false,
            Some(flag) => flag.as_bool().ok_or_else(|| {
                wrong_type(
                    &entry_at.field("deprecated"),
                    &format!("{id}.deprecated"),
                    "a boolean",
                    flag,
                )
            })?,
        };
        definitions.push(EnumDefinition {
            value: string_field(fields, "value", &entry_at, id)?,
            name: optional_string(fields, "name", &entry_at, id)?,
            documentation: optional_string(fields, "documentation", &entry_at, id)?,
            deprecated,
        });
    }
    Ok(definitions)
}
