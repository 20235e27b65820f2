//! The customizations applied to small IDL models of the services they are for.

use crate::ir::{PathSegment, Service};
use crate::smithy::{load_sources, Source};

/// The IR of a one-file IDL model.
fn build(model: &str) -> Service {
    let sources = [Source {
        name: "m.smithy",
        text: model,
    }];
    let model = load_sources(&sources).expect("the model loads");
    crate::ir::build(&model, "m.smithy", None).expect("the IR builds")
}

/// An S3 with rules that place the bucket, and one operation whose path starts with it.
const S3: &str = r#"$version: "2"
namespace com.amazonaws.s3
use aws.api#service
use aws.protocols#restXml
use smithy.rules#contextParam
use smithy.rules#endpointRuleSet
@service(sdkId: "S3")
@restXml(noErrorWrapping: true)
@endpointRuleSet({
    version: "1.0"
    parameters: { Bucket: { type: "string", documentation: "the bucket" } }
    rules: [{ conditions: [], endpoint: { url: "https://s3.example.test" }, type: "endpoint" }]
})
service AmazonS3 { version: "2006-03-01", operations: [GetObject, ListBuckets] }
@readonly
@http(method: "GET", uri: "/{Bucket}/{Key+}")
operation GetObject {
    input := {
        @required @httpLabel @contextParam(name: "Bucket") Bucket: String
        @required @httpLabel Key: String
    }
}
@readonly
@http(method: "GET", uri: "/")
operation ListBuckets {
    output := {
        @httpHeader("Expires") Expires: Timestamp
    }
}
"#;

#[test]
fn s3_leaves_the_bucket_to_the_endpoint_rules_and_signs_as_s3() {
    let service = build(S3);
    assert_eq!(service.customizations.applied, ["s3-bucket-addressing"]);
    assert!(service.customizations.s3_signing);
    assert!(service
        .customizations
        .error_in_success
        .contains(&"CompleteMultipartUpload".to_owned()));
    let route = |name: &str| {
        let operation = service
            .operations
            .iter()
            .find(|operation| operation.name == name)
            .expect("the operation");
        operation.http.clone().expect("a route").path
    };
    assert_eq!(
        route("GetObject"),
        [
            PathSegment::Literal("/".to_owned()),
            PathSegment::Label {
                member: crate::ir::MemberName("Key".to_owned()),
                greedy: true
            }
        ]
    );
    assert_eq!(route("ListBuckets"), [PathSegment::Literal("/".to_owned())]);
    let output = service.operations[1].output;
    let crate::ir::DataKind::Structure(members) = &service.shape(output).kind else {
        panic!("the output is a structure");
    };
    let expires: Vec<(&str, bool)> = members
        .iter()
        .map(|member| (member.wire_name.as_str(), member.lenient))
        .collect();
    assert_eq!(expires, [("Expires", true), ("ExpiresString", false)]);
}

#[test]
fn s3_without_rules_keeps_the_bucket_in_the_path() {
    let start = S3.find("@endpointRuleSet").expect("the rules");
    let end = S3.find("service AmazonS3").expect("the service");
    let without_rules = format!("{}{}", &S3[..start], &S3[end..]);
    let service = build(&without_rules);
    let operation = &service.operations[0];
    assert_eq!(operation.http.as_ref().expect("a route").path.len(), 4);
}

#[test]
fn route53_trims_the_members_that_hold_its_ids() {
    let service = build(
        r#"$version: "2"
namespace com.amazonaws.route53
use aws.api#service
use aws.protocols#restXml
@service(sdkId: "Route 53")
@restXml
service Route53 { version: "2013-04-01", operations: [GetHostedZone] }
@readonly
@http(method: "GET", uri: "/2013-04-01/hostedzone/{Id}")
operation GetHostedZone {
    input := {
        @required @httpLabel Id: ResourceId
        Comment: String
    }
}
@length(max: 32)
string ResourceId
"#,
    );
    assert_eq!(service.customizations.applied, ["route53-id-prefixes"]);
    let trimmed = &service.customizations.trimmed_prefixes;
    assert_eq!(trimmed.len(), 1, "{trimmed:?}");
    assert_eq!(trimmed[0].member, "Id");
    assert!(trimmed[0].prefixes.contains(&"/hostedzone/"));
}

#[test]
fn s3_control_leaves_the_account_host_to_its_rules() {
    let model = r#"$version: "2"
namespace com.amazonaws.s3control
use aws.api#service
use aws.protocols#restXml
use smithy.rules#contextParam
use smithy.rules#endpointRuleSet
@service(sdkId: "S3 Control")
@restXml
RULES
service AWSS3ControlServiceV20180820 { version: "2018-08-20", operations: [GetPublicAccessBlock] }
@readonly
@endpoint(hostPrefix: "{AccountId}.")
@http(method: "GET", uri: "/v20180820/configuration/publicAccessBlock")
operation GetPublicAccessBlock {
    input := {
        @required @hostLabel @httpHeader("x-amz-account-id") @contextParam(name: "AccountId") AccountId: String
    }
}
"#;
    let rules = r#"@endpointRuleSet({
    version: "1.0"
    parameters: { AccountId: { type: "string", documentation: "the account" } }
    rules: [{ conditions: [], endpoint: { url: "https://s3-control.example.test" }, type: "endpoint" }]
})"#;
    let service = build(&model.replace("RULES", rules));
    assert_eq!(service.customizations.applied, ["s3-control-account-host"]);
    assert_eq!(service.operations[0].host_prefix, None);
    let without_rules = build(&model.replace("RULES", ""));
    assert_eq!(
        without_rules.operations[0].host_prefix.as_deref(),
        Some("{AccountId}.")
    );
}

#[test]
fn other_services_get_none() {
    let service = build(
        r#"$version: "2"
namespace t
use aws.api#service
use aws.protocols#restJson1
@service(sdkId: "ivschat")
@restJson1
service S { version: "1", operations: [] }
"#,
    );
    assert!(service.customizations.applied.is_empty());
    assert_eq!(service.customizations, Default::default());
}

#[test]
fn a_service_that_is_not_an_aws_one_gets_none_whatever_its_name() {
    let service = build(
        r#"$version: "2"
namespace com.example
use aws.protocols#restJson1
@restJson1
service S3 { version: "1", operations: [] }
"#,
    );
    assert_eq!(service.sdk_id, "S3");
    assert!(!service.aws_service);
    assert!(service.customizations.applied.is_empty());
}

#[test]
fn every_customization_has_a_distinct_name() {
    let mut names: Vec<&str> = super::ALL
        .iter()
        .map(|customization| customization.name())
        .collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), super::ALL.len());
}

#[test]
fn glacier_fills_the_account_and_no_longer_requires_it() {
    let service = build(
        r#"$version: "2"
namespace com.amazonaws.glacier
use aws.api#service
use aws.protocols#restJson1
@service(sdkId: "Glacier")
@restJson1
service Glacier { version: "2012-06-01", operations: [CreateVault] }
@idempotent
@http(method: "PUT", uri: "/{accountId}/vaults/{vaultName}", code: 201)
operation CreateVault {
    input := {
        @required @httpLabel accountId: String
        @required @httpLabel vaultName: String
    }
}
"#,
    );
    assert_eq!(service.customizations.applied, ["glacier"]);
    assert_eq!(
        service.customizations.member_defaults,
        [("accountId".to_owned(), "-".to_owned())]
    );
    let crate::ir::DataKind::Structure(members) = &service.shape(service.operations[0].input).kind
    else {
        panic!("the input is a structure");
    };
    let required: Vec<(&str, bool)> = members
        .iter()
        .map(|member| (member.wire_name.as_str(), member.required))
        .collect();
    assert_eq!(required, [("accountId", false), ("vaultName", true)]);
}

#[test]
fn s3_outputs_read_expires_leniently_beside_its_text() {
    let options = crate::Options {
        crate_name: "s3".to_owned(),
        ..crate::Options::default()
    };
    let generated = crate::generate(S3, "m.smithy", None, &options).expect("the crate generates");
    assert_eq!(generated.customizations, ["s3-bucket-addressing"]);
    let output = generated
        .files
        .iter()
        .find(|(path, _)| path.ends_with("list_buckets/output.rs"))
        .map(|(_, text)| text.split_whitespace().collect::<String>())
        .expect("the output's file");
    assert!(
        output.contains(r#"header_timestamp(response,"expires","#)
            && output.contains(".ok().flatten()"),
        "Expires is read without failing the call"
    );
    assert!(output.contains(r#"header_text(response,"expires","#));
}
