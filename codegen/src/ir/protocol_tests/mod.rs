//! Smithy protocol compliance cases (`smithy.test#httpRequestTests`, `httpResponseTests`,
//! `eventStreamTests`) read for one protocol's clients into typed cases: every parameter
//! document checked against the shapes it fills, so that rendering the cases as tests cannot
//! fail.

mod events;
mod values;

use serde_json::{Map, Value as Json};

pub use events::{
    EventCase, Expected, HeaderValue, InitialRequest, RequestEvents, ResponseEvents, SentEvent,
};
pub use values::{
    Document, Element, FloatValue, SimpleValue, StructureValue, TestValue, TimestampValue,
};

use super::{Operation, Service, ShapeRef};
use crate::error::{Error, Location};
use crate::smithy::Model;

/// The client cases of one protocol.
#[derive(Clone, Debug, PartialEq)]
pub struct Suite {
    /// The cases, operation by operation: requests, responses, event streams, then the
    /// responses of its errors (each error's under the first operation using it).
    pub cases: Vec<Case>,
}

/// One case.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// The case id.
    pub id: String,
    /// The operation's index in [`Service::operations`].
    pub operation: usize,
    /// What it checks.
    pub kind: CaseKind,
}

/// What a case checks.
#[derive(Clone, Debug, PartialEq)]
pub enum CaseKind {
    /// The request the input makes.
    Request(RequestCase),
    /// What a response reads as.
    Response(ResponseCase),
    /// The events sent or received.
    Events(EventCase),
}

/// A body expected or given, with its media type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Body {
    /// The body text.
    pub text: String,
    /// `bodyMediaType` (empty when not given).
    pub media_type: String,
}

/// An `httpRequestTests` case.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestCase {
    /// The input, from `params`.
    pub input: StructureValue,
    /// The endpoint host (`example.com` unless given).
    pub host: String,
    /// The method expected.
    pub method: String,
    /// The path expected.
    pub uri: String,
    /// The host the request must be sent to.
    pub resolved_host: Option<String>,
    /// Query parameters expected, forbidden and required (`queryParams`,
    /// `forbidQueryParams`, `requireQueryParams`).
    pub query: [Vec<String>; 3],
    /// Headers forbidden and required (`forbidHeaders`, `requireHeaders`).
    pub header_names: [Vec<String>; 2],
    /// Headers expected, as (name, value).
    pub headers: Vec<(String, String)>,
    /// The body expected.
    pub body: Option<Body>,
    /// Client settings from `vendorParams` (`aws.protocoltests.config#AwsConfig`), when given.
    pub config: Option<CaseConfig>,
}

/// The client settings of an `AwsConfig` in `vendorParams`: its `scopedConfig`'s operation
/// settings over its client settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseConfig {
    /// `region`.
    pub region: Option<String>,
    /// `s3.addressing_style`: `Some(true)` for `path`, `Some(false)` for `virtual`.
    pub force_path_style: Option<bool>,
    /// `s3.use_dualstack_endpoint`.
    pub dual_stack: Option<bool>,
    /// `s3.use_accelerate_endpoint`.
    pub accelerate: Option<bool>,
}

impl CaseConfig {
    /// The settings of `vendorParams`, when its shape is `AwsConfig`.
    fn read(fields: &Fields) -> Option<Self> {
        let shape = fields.text("vendorParamsShape")?;
        if shape != "aws.protocoltests.config#AwsConfig" && shape != "AwsConfig" {
            return None;
        }
        let scoped = fields.get("vendorParams")?.get("scopedConfig")?;
        let mut config = Self::default();
        for scope in ["client", "operation"] {
            let Some(settings) = scoped.get(scope) else {
                continue;
            };
            if let Some(region) = settings.get("region").and_then(Json::as_str) {
                config.region = Some(region.to_owned());
            }
            let s3 = settings.get("s3");
            let flag = |key: &str| s3.and_then(|s3| s3.get(key)).and_then(Json::as_bool);
            if let Some(style) = s3
                .and_then(|s3| s3.get("addressing_style"))
                .and_then(Json::as_str)
            {
                config.force_path_style = Some(style == "path");
            }
            config.dual_stack = flag("use_dualstack_endpoint").or(config.dual_stack);
            config.accelerate = flag("use_accelerate_endpoint").or(config.accelerate);
        }
        Some(config)
    }
}

/// An `httpResponseTests` case of an operation or of one of its errors.
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseCase {
    /// The status code.
    pub code: u16,
    /// The response headers, as (name, value).
    pub headers: Vec<(String, String)>,
    /// The response body (empty when not given).
    pub body: String,
    /// The body is CBOR, given in base64.
    pub base64: bool,
    /// The error the response is, or `None` for the output.
    pub error: Option<ShapeRef>,
    /// The error code the case expects (`vendorParams.code`).
    pub error_code: Option<String>,
    /// The output or error expected, from `params`.
    pub expected: StructureValue,
    /// The expected value holds a NaN, so it is compared through `Debug`.
    pub has_nan: bool,
}

/// Reads the client cases of `protocol` (e.g. `aws.protocols#restJson1`) of every operation
/// of `service` and of their errors.
pub fn read(service: &Service, model: &Model, file: &str, protocol: &str) -> Result<Suite, Error> {
    let mut suite = Suite { cases: Vec::new() };
    for (index, operation) in service.operations.iter().enumerate() {
        let reader = Reader {
            service,
            file,
            operation,
            index,
        };
        let traits = &model
            .get(&operation.id)
            .expect("IR operations come from the model")
            .traits;
        let trait_cases = |name: &str| client_cases(traits.raw(name), protocol);
        for fields in trait_cases("smithy.test#httpRequestTests") {
            suite.cases.push(reader.request(fields)?);
        }
        for fields in trait_cases("smithy.test#httpResponseTests") {
            suite.cases.push(reader.response(fields, None)?);
        }
        for fields in trait_cases("smithy.test#eventStreamTests") {
            suite.cases.push(reader.events(fields)?);
        }
        for error in &operation.errors {
            let traits = &model
                .get(&service.shape(*error).id)
                .expect("IR shapes come from the model")
                .traits;
            let responses = traits.raw("smithy.test#httpResponseTests");
            for fields in client_cases(responses, protocol) {
                let id = fields.get("id").and_then(Json::as_str).unwrap_or_default();
                if suite.cases.iter().any(|case| case.id == id) {
                    continue;
                }
                suite.cases.push(reader.response(fields, Some(*error))?);
            }
        }
    }
    Ok(suite)
}

/// The cases of a test trait that apply to clients of `protocol`. Every client case is kept,
/// those with vendor parameters too (the generated test applies an `AwsConfig`'s region and
/// S3 settings, nothing else): one that fails must be in the suite's skip list with its
/// reason, so that it shows when it starts to pass.
fn client_cases<'v>(cases: Option<&'v Json>, protocol: &str) -> Vec<&'v Map<String, Json>> {
    let cases = cases
        .and_then(Json::as_array)
        .map_or(&[][..], Vec::as_slice);
    cases
        .iter()
        .filter_map(Json::as_object)
        .filter(|case| {
            let text = |key: &str| case.get(key).and_then(Json::as_str).unwrap_or_default();
            text("protocol") == protocol && text("appliesTo") != "server"
        })
        .collect()
}

/// Reads the cases of one operation.
struct Reader<'a> {
    service: &'a Service,
    file: &'a str,
    operation: &'a Operation,
    index: usize,
}

/// One case's fields, with its id for errors.
struct Fields<'c> {
    fields: &'c Map<String, Json>,
    id: String,
    file: &'c str,
}

impl<'c> Fields<'c> {
    fn new(fields: &'c Map<String, Json>, file: &'c str) -> Result<Self, Error> {
        let id = fields
            .get("id")
            .and_then(Json::as_str)
            .ok_or_else(|| Location::root(file).error("a protocol test case has no id"))?
            .to_owned();
        Ok(Self { fields, id, file })
    }

    fn error(&self, message: impl Into<String>) -> Error {
        Location::root(self.file).error(format!("protocol test `{}`: {}", self.id, message.into()))
    }

    fn get(&self, key: &str) -> Option<&'c Json> {
        self.fields.get(key)
    }

    fn text(&self, key: &str) -> Option<&'c str> {
        self.get(key).and_then(Json::as_str)
    }

    fn object(&self, key: &str) -> Map<String, Json> {
        self.get(key)
            .and_then(Json::as_object)
            .cloned()
            .unwrap_or_default()
    }
}

/// The strings of the array `key` of `fields` (none when it has none).
fn strings(fields: &Map<String, Json>, key: &str) -> Vec<String> {
    fields
        .get(key)
        .and_then(Json::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Json::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// (name, value) pairs of a `headers` object (none when it has none).
fn header_pairs(headers: Option<&Json>) -> Vec<(String, String)> {
    headers
        .and_then(Json::as_object)
        .map(|headers| {
            headers
                .iter()
                .map(|(name, value)| (name.clone(), value.as_str().unwrap_or_default().to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

impl Reader<'_> {
    fn case(&self, fields: &Fields, kind: CaseKind) -> Case {
        Case {
            id: fields.id.clone(),
            operation: self.index,
            kind,
        }
    }

    fn request(&self, fields: &Map<String, Json>) -> Result<Case, Error> {
        let fields = Fields::new(fields, self.file)?;
        let text = |key: &str| fields.text(key).unwrap_or_default().to_owned();
        let input = self.structure(
            &fields,
            self.operation.input,
            &fields.object("params"),
            "params",
        )?;
        let request = RequestCase {
            input,
            host: fields.text("host").unwrap_or("example.com").to_owned(),
            method: text("method"),
            uri: text("uri"),
            resolved_host: fields.text("resolvedHost").map(str::to_owned),
            query: ["queryParams", "forbidQueryParams", "requireQueryParams"]
                .map(|key| strings(fields.fields, key)),
            header_names: ["forbidHeaders", "requireHeaders"]
                .map(|key| strings(fields.fields, key)),
            headers: header_pairs(fields.get("headers")),
            config: CaseConfig::read(&fields),
            body: fields.text("body").map(|body| Body {
                text: body.to_owned(),
                media_type: text("bodyMediaType"),
            }),
        };
        Ok(self.case(&fields, CaseKind::Request(request)))
    }

    fn response(&self, fields: &Map<String, Json>, error: Option<ShapeRef>) -> Result<Case, Error> {
        let fields = Fields::new(fields, self.file)?;
        let code = fields
            .get("code")
            .and_then(Json::as_u64)
            .and_then(|code| u16::try_from(code).ok())
            .ok_or_else(|| fields.error("`code` is missing"))?;
        let params = fields.object("params");
        let shape = error.unwrap_or(self.operation.output);
        let response = ResponseCase {
            code,
            headers: header_pairs(fields.get("headers")),
            body: fields.text("body").unwrap_or_default().to_owned(),
            base64: fields.text("bodyMediaType") == Some("application/cbor"),
            error,
            error_code: fields
                .get("vendorParams")
                .and_then(|params| params.get("code"))
                .and_then(Json::as_str)
                .map(str::to_owned),
            expected: self.structure(&fields, shape, &params, "params")?,
            has_nan: values::contains_nan(&Json::Object(params)),
        };
        Ok(self.case(&fields, CaseKind::Response(response)))
    }

    /// The structure `shape` from `params`; `at` names them in errors.
    fn structure(
        &self,
        fields: &Fields,
        shape: ShapeRef,
        params: &Map<String, Json>,
        at: &str,
    ) -> Result<StructureValue, Error> {
        values::Values {
            service: self.service,
            fields,
        }
        .structure(shape, params, at)
    }
}

#[cfg(test)]
mod tests;
