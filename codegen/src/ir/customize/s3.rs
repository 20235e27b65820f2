//! S3: the endpoint rules place the bucket (in the host, or first in the path for path-style
//! addressing), so the `/{Bucket}` the HTTP bindings start with is left out of the request
//! path; S3's signing rules (paths signed as sent, `x-amz-content-sha256` always); and the
//! answers of copies and multipart completion that say 200 and hold an error.

use super::Customization;
use crate::error::Error;
use crate::ir::endpoint::context_params::ContextValue;
use crate::ir::{
    DataKind, HttpBinding, Member, PathSegment, Primitive, Service, ShapeRef, Target, TextForm,
};
use crate::smithy::Model;

/// The operations S3 may answer 200 with an error in the body, once the work has failed.
const ERROR_IN_SUCCESS: [&str; 3] = ["CopyObject", "UploadPartCopy", "CompleteMultipartUpload"];

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
        service.customizations.error_in_success = ERROR_IN_SUCCESS
            .iter()
            .map(|name| (*name).to_owned())
            .collect();
        lenient_expires(service);
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
                leave_out_leading_label(&mut route.path, bucket.as_str());
            }
        }
        Ok(())
    }
}

/// S3's `Expires` answer header is free text in practice: outputs read it leniently (a date
/// that does not parse leaves it unset) and gain `ExpiresString`, the header as sent, as the
/// AWS SDKs do.
fn lenient_expires(service: &mut Service) {
    let outputs: Vec<ShapeRef> = service
        .operations
        .iter()
        .map(|operation| operation.output)
        .collect();
    for output in outputs {
        let DataKind::Structure(members) = &mut service.shapes[output.0].kind else {
            continue;
        };
        let Some(expires) = members.iter_mut().find(|member| {
            member.wire_name == "Expires"
                && matches!(&member.http, Some(HttpBinding::Header(name, TextForm::Timestamp)) if name == "Expires")
        }) else {
            continue;
        };
        expires.lenient = true;
        let text = Member {
            name: EXPIRES_STRING.to_owned(),
            wire_name: EXPIRES_STRING.to_owned(),
            target: Target::Primitive(Primitive::String),
            docs: Some(
                "<p>The <code>Expires</code> header as sent, whether or not it is a date.</p>"
                    .to_owned(),
            ),
            http: Some(HttpBinding::Header("Expires".to_owned(), TextForm::String)),
            timestamp_format: None,
            required: false,
            default: None,
            deprecated: None,
            constraints: Default::default(),
            lenient: false,
            ..expires.clone()
        };
        if !members
            .iter()
            .any(|member| member.wire_name == EXPIRES_STRING)
        {
            members.push(text);
        }
    }
}

/// The member that holds S3's `Expires` header as text.
const EXPIRES_STRING: &str = "ExpiresString";

/// Removes `/{member}` from the start of `path` (`/{Bucket}/{Key+}` becomes `/{Key+}`, and
/// `/{Bucket}` nothing); a path that does not start with it is left as it is.
fn leave_out_leading_label(path: &mut Vec<PathSegment>, member: &str) {
    let starts_with_label = matches!(
        path.as_slice(),
        [PathSegment::Literal(slash), PathSegment::Label { member: label, greedy: false }, ..]
            if slash == "/" && label.as_str() == member
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
            member: crate::ir::MemberName(member.to_owned()),
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
