//! S3: the endpoint rules place the bucket (in the host, or first in the path for path-style
//! addressing), so the `/{Bucket}` the HTTP bindings start with is left out of the request
//! path; and S3's signing rules (paths signed as sent, `x-amz-content-sha256` always).

use super::Customization;
use crate::error::Error;
use crate::ir::context_params::ContextValue;
use crate::ir::{PathSegment, Service};
use crate::smithy::Model;

/// The endpoint parameter the rules place the bucket with.
const BUCKET_PARAMETER: &str = "Bucket";

/// S3's bucket addressing and signing.
pub struct BucketAddressing;

impl Customization for BucketAddressing {
    fn name(&self) -> &'static str {
        "s3-bucket-addressing"
    }

    fn applies_to(&self, sdk_id: &str) -> bool {
        sdk_id == "S3"
    }

    fn apply(&self, _: &Model, service: &mut Service) -> Result<(), Error> {
        service.customizations.s3_signing = true;
        let rules_place_bucket = service
            .endpoint_rules
            .as_ref()
            .is_some_and(|rules| rules.parameter(BUCKET_PARAMETER).is_some());
        if !rules_place_bucket {
            return Ok(());
        }
        for operation in &mut service.operations {
            let bucket = operation.context_params.iter().find_map(|param| {
                match (param.parameter.as_str(), &param.value) {
                    (BUCKET_PARAMETER, ContextValue::Member(member)) => Some(member.clone()),
                    _ => None,
                }
            });
            if let (Some(bucket), Some(route)) = (bucket, &mut operation.http) {
                leave_out_leading_label(&mut route.path, &bucket);
            }
        }
        Ok(())
    }
}

/// Removes `/{member}` from the start of `path` (`/{Bucket}/{Key+}` becomes `/{Key+}`, and
/// `/{Bucket}` nothing); a path that does not start with it is left as it is.
fn leave_out_leading_label(path: &mut Vec<PathSegment>, member: &str) {
    let starts_with_label = matches!(
        path.as_slice(),
        [PathSegment::Literal(slash), PathSegment::Label { member: label, greedy: false }, ..]
            if slash == "/" && label == member
    );
    if starts_with_label {
        path.drain(..2);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literal(text: &str) -> PathSegment {
        PathSegment::Literal(text.to_owned())
    }

    fn label(member: &str, greedy: bool) -> PathSegment {
        PathSegment::Label {
            member: member.to_owned(),
            greedy,
        }
    }

    #[test]
    fn the_bucket_label_leaves_the_path_and_the_key_keeps_its_slash() {
        let mut path = vec![
            literal("/"),
            label("Bucket", false),
            literal("/"),
            label("Key", true),
        ];
        leave_out_leading_label(&mut path, "Bucket");
        assert_eq!(path, [literal("/"), label("Key", true)]);
        let mut bucket_only = vec![literal("/"), label("Bucket", false)];
        leave_out_leading_label(&mut bucket_only, "Bucket");
        assert!(bucket_only.is_empty());
    }

    #[test]
    fn a_path_that_does_not_start_with_the_bucket_is_kept() {
        let kept = vec![literal("/v1/"), label("Bucket", false)];
        let mut path = kept.clone();
        leave_out_leading_label(&mut path, "Bucket");
        assert_eq!(path, kept);
        let mut other = vec![literal("/"), label("Name", false)];
        leave_out_leading_label(&mut other, "Bucket");
        assert_eq!(other.len(), 2);
    }
}
