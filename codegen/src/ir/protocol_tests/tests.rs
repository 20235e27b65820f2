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
    let service = crate::ir::build(&model, "t.smithy", None).map_err(|error| error.to_string())?;
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
    let other = r#"{ id: "Other", protocol: "aws.protocols#restXml", method: "PUT", uri: "/put" }"#;
    let server =
        r#"{ id: "Server", protocol: restJson1, method: "PUT", uri: "/put", appliesTo: "server" }"#;
    let suite = suite(&format!("{other}, {server}")).expect("the cases read");
    assert!(suite.cases.is_empty());
}
