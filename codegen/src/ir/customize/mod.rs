//! Service customizations: what the AWS SDKs do for a service beyond its model. Each is a
//! [`Customization`], a unit with a name, applied to the IR as a pass once the service is built;
//! render reads only what the passes leave in [`Customizations`]. A new one is a file here and a
//! line in [`ALL`].

mod api_gateway;
mod glacier;
mod machine_learning;
mod route53;
mod s3;
mod s3_control;

use crate::error::Error;
use crate::ir::{DataKind, Service, ShapeRef};
use crate::smithy::Model;

/// One service-specific rule set, as the AWS SDKs apply it.
pub trait Customization: Sync {
    /// Its name, as `cargo xtask codegen` lists it, e.g. `s3-bucket-addressing`.
    fn name(&self) -> &'static str;
    /// True for the service with this SDK id.
    fn applies_to(&self, sdk_id: &str) -> bool;
    /// Changes the IR of the service (`model` is what it was built from).
    fn apply(&self, model: &Model, service: &mut Service) -> Result<(), Error>;
}

/// Every customization, in the order they apply.
pub const ALL: &[&dyn Customization] = &[
    &glacier::Glacier,
    &api_gateway::AcceptJson,
    &machine_learning::PredictEndpoint,
    &s3::BucketAddressing,
    &s3_control::AccountHost,
    &route53::IdPrefixes,
];

/// What the customizations applied to a service left for render to read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Customizations {
    /// The names of the customizations applied, in order.
    pub applied: Vec<&'static str>,
    /// Headers every request carries, e.g. Glacier's `x-amz-glacier-version`.
    pub request_headers: Vec<(String, String)>,
    /// Input members (model names) that take a value when unset or empty, e.g. Glacier's
    /// `accountId`, `-` for the caller's account.
    pub member_defaults: Vec<(String, String)>,
    /// Glacier: uploads held in memory carry their SHA-256 (`x-amz-content-sha256`) and tree
    /// hash (`x-amz-sha256-tree-hash`, unless the input sets it).
    pub tree_hash_uploads: bool,
    /// An input member (model name) that names the endpoint of its operation's requests,
    /// e.g. Machine Learning's `PredictEndpoint`.
    pub endpoint_member: Option<String>,
    /// Input members whose value loses a leading prefix before it is sent, e.g. Route 53's
    /// `/hostedzone/` on the zone ids its own answers give.
    pub trimmed_prefixes: Vec<TrimmedPrefixes>,
    /// Requests are signed as S3 expects: the path as sent (neither normalized nor encoded
    /// twice) and `x-amz-content-sha256` on every request.
    pub s3_signing: bool,
    /// Operations (model names) whose successful answer may hold an `<Error>` document, read
    /// as an error (S3's copies and multipart completion).
    pub error_in_success: Vec<String>,
}

/// An input member whose value loses the first of `prefixes` it starts with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrimmedPrefixes {
    /// The input structure.
    pub input: ShapeRef,
    /// The member, by model name.
    pub member: String,
    /// The prefixes, longest first where one starts another.
    pub prefixes: &'static [&'static str],
}

/// Gives the input member `name` (model name) of every operation `value` when unset or empty,
/// and so no longer requires it of the caller (its builder compiles without it).
fn default_member(service: &mut Service, name: &str, value: &str) {
    service
        .customizations
        .member_defaults
        .push((name.to_owned(), value.to_owned()));
    let inputs: Vec<ShapeRef> = service
        .operations
        .iter()
        .map(|operation| operation.input)
        .collect();
    for input in inputs {
        if let DataKind::Structure(members) = &mut service.shapes[input.0].kind {
            for member in members.iter_mut().filter(|member| member.wire_name == name) {
                member.required = false;
            }
        }
    }
}

/// Applies every customization that applies to `service`, recording their names; a service
/// that is not an AWS one (no `aws.api#service`) gets none, whatever its name.
pub(crate) fn apply(model: &Model, service: &mut Service) -> Result<(), Error> {
    if !service.aws_service {
        return Ok(());
    }
    for customization in ALL {
        if customization.applies_to(&service.sdk_id) {
            customization.apply(model, service)?;
            service.customizations.applied.push(customization.name());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
