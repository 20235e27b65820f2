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
mod tests {
    use super::{CaseKind, Element, SimpleValue, Suite, TestValue};
    use crate::smithy::{load_sources, Source};

    /// The restJson1 suite of a one-operation service whose `Put` has this request case.
    fn suite(case: &str) -> Result<Suite, String> {
        let model = format!(
            r#"$version: "2"
namespace t
use aws.protocols#restJson1
use smithy.test#httpRequestTests
@restJson1
service S {{ version: "1", operations: [Put] }}
@http(method: "PUT", uri: "/put")
@httpRequestTests([{case}])
operation Put {{
    input := {{ Name: String, Count: Integer, Tags: Tags, Sparse: SparseList, Shape: Shape }}
}}
map Tags {{ key: String, value: String }}
@sparse
list SparseList {{ member: String }}
union Shape {{ circle: Integer, square: Integer }}
"#
        );
        let sources = [Source {
            name: "t.smithy",
            text: &model,
        }];
        let model = load_sources(&sources).map_err(|error| error.to_string())?;
        let service =
            crate::ir::build(&model, "t.smithy", None).map_err(|error| error.to_string())?;
        super::read(&service, &model, "t.smithy", "aws.protocols#restJson1")
            .map_err(|error| error.to_string())
    }

    fn case(params: &str) -> String {
        format!(
            r#"{{ id: "Case", protocol: restJson1, method: "PUT", uri: "/put", params: {params} }}"#
        )
    }

    #[test]
    fn aws_config_vendor_params_give_the_operation_settings_over_the_client_ones() {
        let suite = suite(
            r#"{ id: "Case", protocol: restJson1, method: "PUT", uri: "/put", params: {},
                vendorParamsShape: "aws.protocoltests.config#AwsConfig",
                vendorParams: { scopedConfig: {
                    client: { region: "us-west-2", s3: { addressing_style: "path", use_dualstack_endpoint: true } }
                    operation: { s3: { addressing_style: "virtual" } }
                } } }"#,
        )
        .expect("the case reads");
        let CaseKind::Request(request) = &suite.cases[0].kind else {
            panic!("a request case")
        };
        assert_eq!(
            request.config,
            Some(super::CaseConfig {
                region: Some("us-west-2".to_owned()),
                force_path_style: Some(false),
                dual_stack: Some(true),
                accelerate: None,
            })
        );
        let without = self::suite(&case("{}")).expect("the case reads");
        let CaseKind::Request(request) = &without.cases[0].kind else {
            panic!("a request case")
        };
        assert_eq!(request.config, None);
    }

    #[test]
    fn parameters_become_values_of_the_members_they_fill() {
        let suite = suite(&case(
            r#"{ Name: "a", Count: 2, Tags: { k: "v" }, Sparse: ["x", null], Shape: { square: 3 } }"#,
        ))
        .expect("the case reads");
        let CaseKind::Request(request) = &suite.cases[0].kind else {
            panic!("a request case")
        };
        let values: Vec<&TestValue> = request
            .input
            .members
            .iter()
            .filter_map(|(_, value)| value.as_ref())
            .collect();
        let text = |text: &str| TestValue::Simple(SimpleValue::String(text.to_owned()));
        assert_eq!(values[0], &text("a"));
        assert_eq!(values[1], &TestValue::Simple(SimpleValue::Integer(2)));
        assert_eq!(
            values[2],
            &TestValue::Map(vec![(text("k"), Element::Dense(text("v")))])
        );
        assert_eq!(
            values[3],
            &TestValue::List(vec![
                Element::Sparse(Some(text("x"))),
                Element::Sparse(None)
            ])
        );
        assert!(matches!(values[4], TestValue::Union { member: 1, .. }));
        assert_eq!(
            (request.method.as_str(), request.host.as_str()),
            ("PUT", "example.com")
        );
    }

    #[test]
    fn parameters_that_do_not_fit_the_shapes_are_refused_naming_the_case_and_path() {
        let refused = |params: &str| suite(&case(params)).expect_err("the case was accepted");
        assert_eq!(
            refused(r#"{ Missing: 1 }"#),
            "t.smithy: $: protocol test `Case`: params.Missing: no such member of `PutInput`"
        );
        assert_eq!(
            refused(r#"{ Count: "two" }"#),
            "t.smithy: $: protocol test `Case`: params.Count: `\"two\"` is not a Integer"
        );
        assert_eq!(
            refused(r#"{ Shape: {} }"#),
            "t.smithy: $: protocol test `Case`: params.Shape: a union value needs one member"
        );
        assert_eq!(
            refused(r#"{ Tags: ["k"] }"#),
            "t.smithy: $: protocol test `Case`: params.Tags: `[\"k\"]` is not a value of `Tags`"
        );
    }

    #[test]
    fn cases_of_other_protocols_and_servers_are_not_read() {
        let other =
            r#"{ id: "Other", protocol: "aws.protocols#restXml", method: "PUT", uri: "/put" }"#;
        let server = r#"{ id: "Server", protocol: restJson1, method: "PUT", uri: "/put", appliesTo: "server" }"#;
        let suite = suite(&format!("{other}, {server}")).expect("the cases read");
        assert!(suite.cases.is_empty());
    }
}
