//! `aws.protocols#httpChecksum`: which input members choose the request checksum and opt in to
//! response validation, and which algorithms the response may carry.

use serde_json::Value;

use super::MemberName;
use crate::error::{Error, Location};
use crate::smithy::Member;

/// A checksum algorithm the trait may name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChecksumAlgorithm {
    /// `CRC64NVME`.
    Crc64Nvme,
    /// `CRC32C`.
    Crc32c,
    /// `CRC32`.
    Crc32,
    /// `SHA1`.
    Sha1,
    /// `SHA256`.
    Sha256,
}

/// Every algorithm with its name in the trait, in the order errors list them.
const ALGORITHMS: [(&str, ChecksumAlgorithm); 5] = [
    ("CRC64NVME", ChecksumAlgorithm::Crc64Nvme),
    ("CRC32C", ChecksumAlgorithm::Crc32c),
    ("CRC32", ChecksumAlgorithm::Crc32),
    ("SHA1", ChecksumAlgorithm::Sha1),
    ("SHA256", ChecksumAlgorithm::Sha256),
];

/// An operation's `@httpChecksum`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpChecksum {
    /// The input member naming the request checksum's algorithm.
    pub request_algorithm_member: Option<MemberName>,
    /// That member's `@httpHeader`, e.g. `x-amz-sdk-checksum-algorithm`.
    pub request_algorithm_header: Option<String>,
    /// A request checksum is required.
    pub request_required: bool,
    /// The input member that opts in to response validation with `ENABLED`.
    pub validation_mode_member: Option<MemberName>,
    /// Algorithms of response checksums to validate, in the model's order.
    pub response_algorithms: Vec<ChecksumAlgorithm>,
}

/// Reads the trait's value (at `at`), checking that its members are input members and its
/// algorithms are known.
pub(super) fn http_checksum(
    at: &Location<'_>,
    value: &Value,
    input: &[Member],
) -> Result<HttpChecksum, Error> {
    let member = |key: &str| -> Result<Option<String>, Error> {
        let Some(name) = value.get(key) else {
            return Ok(None);
        };
        let name = name
            .as_str()
            .ok_or_else(|| at.field(key).error("expected a member name"))?;
        if !input.iter().any(|member| member.name == name) {
            return Err(at
                .field(key)
                .error(format!("the input has no member `{name}`")));
        }
        Ok(Some(name.to_owned()))
    };
    let mut response_algorithms = Vec::new();
    for (index, algorithm) in value
        .get("responseAlgorithms")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let known = ALGORITHMS
            .iter()
            .find(|(name, _)| algorithm.as_str() == Some(*name))
            .ok_or_else(|| {
                let names: Vec<&str> = ALGORITHMS.iter().map(|(name, _)| *name).collect();
                at.field("responseAlgorithms")
                    .index(index)
                    .error(format!("{algorithm} is not one of {}", names.join(", ")))
            })?;
        response_algorithms.push(known.1);
    }
    let request_algorithm_member = member("requestAlgorithmMember")?;
    let request_algorithm_header = request_algorithm_member.as_ref().and_then(|name| {
        input
            .iter()
            .find(|member| member.name == *name)?
            .traits
            .http_header
            .clone()
    });
    Ok(HttpChecksum {
        request_algorithm_member: request_algorithm_member.map(MemberName),
        request_algorithm_header,
        request_required: value
            .get("requestChecksumRequired")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        validation_mode_member: member("requestValidationModeMember")?.map(MemberName),
        response_algorithms,
    })
}
