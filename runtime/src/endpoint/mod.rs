//! Endpoint resolution support: the rules-engine functions the generated resolver calls, the
//! partition lookup, and the resolver's result and error types.

mod functions;
mod partition;
// Written by `cargo xtask codegen` from model/partitions.json, formatted by the generator.
#[rustfmt::skip]
mod partitions;

use std::collections::BTreeMap;
use std::fmt;

use crate::sigv4::Algorithm;

pub use functions::{
    is_valid_host_label, is_virtual_hostable_s3_bucket, parse_arn, parse_url, split, substring,
    uri_encode, Arn, Url,
};
pub use partition::{aws_partition, partition, Partition, PartitionOutputs};

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

    /// The error of a call whose endpoint could not be resolved for `config`; when no region
    /// is configured (the usual cause), it says where to set one.
    pub fn into_sdk_error(self, config: &crate::config::Config) -> crate::operation::SdkError {
        let message = match config.region {
            Some(_) => self.message,
            None => format!("{}; {}", self.message, crate::config::NO_REGION),
        };
        crate::operation::SdkError::Endpoint(message)
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
        // The first scheme this client can sign with, in the rules' order of preference.
        let scheme = self
            .properties
            .get("authSchemes")
            .and_then(|schemes| match schemes {
                Document::Array(schemes) => schemes.iter().find_map(|scheme| {
                    let fields = scheme.as_object()?;
                    match fields.get("name")?.as_str()? {
                        "sigv4" => Some((Algorithm::V4, fields)),
                        "sigv4a" => Some((Algorithm::V4a, fields)),
                        _ => None,
                    }
                }),
                _ => None,
            });
        let field = |name: &str| {
            scheme
                .and_then(|(_, fields)| fields.get(name)?.as_str())
                .map(str::to_owned)
        };
        let region_set = scheme.and_then(|(_, fields)| match fields.get("signingRegionSet")? {
            Document::Array(regions) => Some(
                regions
                    .iter()
                    .filter_map(Document::as_str)
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            _ => None,
        });
        let algorithm = scheme.map_or(Algorithm::V4, |(algorithm, _)| algorithm);
        crate::operation::Endpoint {
            url: self.url,
            headers: self
                .headers
                .into_iter()
                .flat_map(|(name, values)| {
                    values.into_iter().map(move |value| (name.clone(), value))
                })
                .collect(),
            signing_region: match algorithm {
                Algorithm::V4 => field("signingRegion"),
                Algorithm::V4a => region_set,
            },
            signing_name: field("signingName"),
            signing_algorithm: algorithm,
            double_encode_path: !scheme.is_some_and(|(_, fields)| {
                matches!(
                    fields.get("disableDoubleEncoding"),
                    Some(Document::Bool(true))
                )
            }),
            s3_signing: false,
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
    let root = crate::json::read::Path::Root("properties");
    let expected_properties = match crate::json::read::from_body(
        properties.as_bytes(),
        &root,
        crate::json::read::document,
    )
    .expect("test cases hold JSON")
    {
        Document::Object(entries) => entries,
        _ => BTreeMap::new(),
    };
    assert_eq!(
        endpoint.properties, expected_properties,
        "endpoint properties"
    );
}
