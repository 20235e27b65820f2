//! Endpoint resolution support: the rules-engine functions the generated resolver calls, the
//! partition lookup, and the resolver's result and error types.

mod functions;
mod partition;

use std::collections::BTreeMap;
use std::fmt;

pub use functions::{
    is_valid_host_label, is_virtual_hostable_s3_bucket, parse_arn, parse_url, substring,
    uri_encode, Arn, Url,
};
pub use partition::{partition, Partition, PartitionOutputs};

use crate::Document;

/// An endpoint as the rules resolve it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResolvedEndpoint {
    /// The URL.
    pub url: String,
    /// Headers to send, by name.
    pub headers: BTreeMap<String, Vec<String>>,
    /// Properties such as `authSchemes`.
    pub properties: BTreeMap<String, Document>,
}

/// The rules ended in an error rule (its message is the rule set's own), or matched nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolveError {
    message: String,
}

impl ResolveError {
    /// An error with the rule set's message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ResolveError {}

impl ResolvedEndpoint {
    /// The endpoint for the call loop: URL, headers, and the signing region and name of the
    /// first `sigv4` auth scheme, when the rules give one.
    pub fn into_operation_endpoint(self) -> crate::operation::Endpoint {
        let sigv4 = self
            .properties
            .get("authSchemes")
            .and_then(|schemes| match schemes {
                Document::Array(schemes) => schemes.iter().find(|scheme| {
                    scheme
                        .as_object()
                        .and_then(|fields| fields.get("name")?.as_str())
                        == Some("sigv4")
                }),
                _ => None,
            })
            .and_then(Document::as_object);
        let field = |name: &str| {
            sigv4
                .and_then(|fields| fields.get(name)?.as_str())
                .map(str::to_owned)
        };
        crate::operation::Endpoint {
            url: self.url,
            headers: self
                .headers
                .into_iter()
                .flat_map(|(name, values)| {
                    values.into_iter().map(move |value| (name.clone(), value))
                })
                .collect(),
            signing_region: field("signingRegion"),
            signing_name: field("signingName"),
        }
    }
}

/// Asserts that an endpoint's headers and properties equal the JSON of an endpoint test case
/// (used by generated endpoint tests); panics naming the difference.
pub fn assert_matches_json(endpoint: &ResolvedEndpoint, headers: &str, properties: &str) {
    let parse =
        |text: &str| serde_json::from_str::<serde_json::Value>(text).expect("test cases hold JSON");
    let expected_headers: BTreeMap<String, Vec<String>> = match parse(headers) {
        serde_json::Value::Object(entries) => entries
            .into_iter()
            .map(|(name, values)| {
                let values = values
                    .as_array()
                    .map(|values| {
                        values
                            .iter()
                            .filter_map(|value| value.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                (name, values)
            })
            .collect(),
        _ => BTreeMap::new(),
    };
    assert_eq!(endpoint.headers, expected_headers, "endpoint headers");
    let expected_properties = match crate::json::read::document(&parse(properties)) {
        Document::Object(entries) => entries,
        _ => BTreeMap::new(),
    };
    assert_eq!(
        endpoint.properties, expected_properties,
        "endpoint properties"
    );
}
