//! `aws.protocols#httpChecksum`: which input members choose the request checksum and opt in to
//! response validation, and which algorithms the response may carry.

use super::MemberName;
use crate::error::{Error, Location};
use crate::smithy::{self, Member};

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

/// The IR of the trait (`given`, at `at`), checking that its members are input members and its
/// algorithms are known.
pub(super) fn http_checksum(
    at: &Location<'_>,
    given: &smithy::HttpChecksum,
    input: &[Member],
) -> Result<HttpChecksum, Error> {
    let member = |key: &str, name: &Option<String>| -> Result<Option<&Member>, Error> {
        let Some(name) = name else {
            return Ok(None);
        };
        let found = input.iter().find(|member| member.name == *name);
        found.map(Some).ok_or_else(|| {
            at.field(key)
                .error(format!("the input has no member `{name}`"))
        })
    };
    let mut response_algorithms = Vec::new();
    for (index, algorithm) in given.response_algorithms.iter().enumerate() {
        let known = ALGORITHMS
            .iter()
            .find(|(name, _)| algorithm == name)
            .ok_or_else(|| {
                let names: Vec<&str> = ALGORITHMS.iter().map(|(name, _)| *name).collect();
                at.field("responseAlgorithms").index(index).error(format!(
                    "\"{algorithm}\" is not one of {}",
                    names.join(", ")
                ))
            })?;
        response_algorithms.push(known.1);
    }
    let algorithm_member = member("requestAlgorithmMember", &given.request_algorithm_member)?;
    let validation_member = member(
        "requestValidationModeMember",
        &given.request_validation_mode_member,
    )?;
    let name = |member: &Member| MemberName(member.name.clone());
    Ok(HttpChecksum {
        request_algorithm_member: algorithm_member.map(name),
        request_algorithm_header: algorithm_member
            .and_then(|member| member.traits.http_header.clone()),
        request_required: given.request_checksum_required,
        validation_mode_member: validation_member.map(name),
        response_algorithms,
    })
}
