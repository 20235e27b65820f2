//! Every way a model can be wrong gives an error that names the file, the JSON path, the shape
//! and the rule broken; these tests pin the messages word for word.

use ivschat_codegen::{generate, Options};

fn options() -> Options {
    Options {
        crate_name: "bad".to_owned(),
        crate_version: "0.0.0".to_owned(),
        runtime_dependency: r#"path = "../runtime""#.to_owned(),
        source: "bad.json".to_owned(),
        regenerate_command: "none".to_owned(),
        ..Options::default()
    }
}

fn error_for(json: &str) -> String {
    match generate(json, "bad.json", None, &options()) {
        Ok(_) => panic!("the model was accepted"),
        Err(error) => error.to_string(),
    }
}

/// A model with one service and one operation, plus `extra` shapes (a JSON fragment).
fn with_service(input_members: &str, extra: &str) -> String {
    format!(
        r#"{{"smithy": "2.0", "shapes": {{
            "a.b#Svc": {{"type": "service", "operations": [{{"target": "a.b#Op"}}],
                "traits": {{"aws.protocols#restJson1": {{}}}}}},
            "a.b#Op": {{"type": "operation", "input": {{"target": "a.b#OpInput"}},
                "traits": {{"smithy.api#http": {{"method": "POST", "uri": "/op"}}}}}},
            "a.b#OpInput": {{"type": "structure", "members": {{{input_members}}}}}
            {extra}
        }}}}"#
    )
}

#[test]
fn invalid_json() {
    assert_eq!(
        error_for(r#"{"smithy": "2.0", "shapes": {"#),
        "bad.json: $: invalid JSON: EOF while parsing an object at line 1 column 29"
    );
}

#[test]
fn unsupported_smithy_version() {
    assert_eq!(
        error_for(r#"{"smithy": "3.0", "shapes": {}}"#),
        "bad.json: $.smithy: unsupported smithy version `3.0` (this generator reads 1.0 and 2.0)"
    );
}

#[test]
fn missing_smithy_version() {
    assert_eq!(
        error_for(r#"{"shapes": {}}"#),
        "bad.json: $.smithy: the `smithy` version is missing"
    );
}

#[test]
fn unknown_shape_type() {
    let json = with_service("", r#", "a.b#Odd": {"type": "tuple"}"#);
    assert_eq!(
        error_for(&json),
        r#"bad.json: $.shapes["a.b#Odd"].type: shape `a.b#Odd`: unknown shape type `tuple`"#
    );
}

#[test]
fn dangling_target() {
    let json = with_service(r#""name": {"target": "a.b#Missing"}"#, "");
    assert_eq!(
        error_for(&json),
        r#"bad.json: $.shapes["a.b#OpInput"].members.name.target: shape `a.b#OpInput`: target `a.b#Missing` does not resolve to a shape in the model or the prelude"#
    );
}

#[test]
fn members_on_a_simple_shape() {
    let json = with_service("", r#", "a.b#Name": {"type": "string", "members": {}}"#);
    assert_eq!(
        error_for(&json),
        r#"bad.json: $.shapes["a.b#Name"].members: shape `a.b#Name`: a `string` shape cannot have members"#
    );
}

#[test]
fn trait_value_of_the_wrong_type() {
    let json = with_service(
        "",
        r#", "a.b#Name": {"type": "string", "traits": {"smithy.api#length": "short"}}"#,
    );
    assert_eq!(
        error_for(&json),
        r#"bad.json: $.shapes["a.b#Name"].traits["smithy.api#length"]: shape `a.b#Name`: trait `smithy.api#length` must be an object, found a string"#
    );
}

#[test]
fn trait_field_of_the_wrong_type() {
    let json = with_service(
        r#""n": {"target": "smithy.api#Integer", "traits": {"smithy.api#range": {"min": "one"}}}"#,
        "",
    );
    assert_eq!(
        error_for(&json),
        r#"bad.json: $.shapes["a.b#OpInput"].members.n.traits["smithy.api#range"].min: shape `a.b#OpInput`: trait `smithy.api#range.min` must be a number, found a string"#
    );
}

#[test]
fn no_service_shape() {
    let json = r#"{"smithy": "2.0", "shapes": {"a.b#Name": {"type": "string"}}}"#;
    assert_eq!(
        error_for(json),
        "bad.json: $: the model has no service shape"
    );
}

#[test]
fn several_services_without_a_choice() {
    let json = with_service("", r#", "a.b#Other": {"type": "service"}"#);
    assert_eq!(
        error_for(&json),
        "bad.json: $: the model has 2 service shapes (a.b#Other, a.b#Svc); choose one"
    );
}

#[test]
fn choosing_a_service_that_is_not_one() {
    let json = with_service("", "");
    let error = generate(&json, "bad.json", Some("a.b#Op"), &options()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "bad.json: $: `a.b#Op` is not a service shape"
    );
}

#[test]
fn malformed_shape_id() {
    let json = with_service("", r#", "NoNamespace": {"type": "string"}"#);
    assert_eq!(
        error_for(&json),
        r#"bad.json: $.shapes["NoNamespace"]: shape `NoNamespace`: `NoNamespace` is not an absolute shape id (no `#`)"#
    );
}

#[test]
fn operation_list_naming_a_structure() {
    let json = r#"{"smithy": "2.0", "shapes": {
        "a.b#Svc": {"type": "service", "operations": [{"target": "a.b#Thing"}]},
        "a.b#Thing": {"type": "structure"}
    }}"#;
    assert_eq!(
        error_for(json),
        r#"bad.json: $.shapes["a.b#Svc"].operations[0].target: shape `a.b#Svc`: target `a.b#Thing` must be an operation"#
    );
}

#[test]
fn error_without_the_error_trait() {
    let json = r#"{"smithy": "2.0", "shapes": {
        "a.b#Svc": {"type": "service", "operations": [{"target": "a.b#Op"}]},
        "a.b#Op": {"type": "operation", "errors": [{"target": "a.b#Oops"}]},
        "a.b#Oops": {"type": "structure"}
    }}"#;
    assert_eq!(
        error_for(json),
        r#"bad.json: $.shapes["a.b#Op"].errors: shape `a.b#Op`: error `a.b#Oops` is a structure without the @error trait"#
    );
}

#[test]
fn a_pattern_the_client_cannot_compile_is_left_to_the_service_with_a_warning() {
    let json = with_service(
        r#""n": {"target": "smithy.api#String", "traits": {"smithy.api#pattern": "^[\\p{L}]+$"}}"#,
        "",
    );
    let generated = generate(&json, "bad.json", None, &options()).expect("the model is accepted");
    assert_eq!(generated.warnings.len(), 1, "{:?}", generated.warnings);
    assert!(
        generated.warnings[0]
            .starts_with(r"a.b#OpInput$n: @pattern `^[\p{L}]+$` is not checked client-side: "),
        "{}",
        generated.warnings[0]
    );
    let code: String = generated.files.values().cloned().collect();
    assert!(
        !code.contains("constraint::pattern"),
        "no pattern check is generated"
    );
}

#[test]
fn a_mixin_cycle() {
    let json = with_service(
        r#""a": {"target": "a.b#A"}"#,
        r#", "a.b#A": {"type": "structure", "traits": {"smithy.api#mixin": {}}, "mixins": [{"target": "a.b#B"}]},
            "a.b#B": {"type": "structure", "traits": {"smithy.api#mixin": {}}, "mixins": [{"target": "a.b#A"}]}"#,
    );
    assert_eq!(
        error_for(&json),
        r#"bad.json: $.shapes["a.b#A"].mixins: shape `a.b#A`: mixins of `a.b#A` form a cycle"#
    );
}

#[test]
fn a_mixin_without_the_mixin_trait() {
    let json = with_service(
        r#""a": {"target": "a.b#A"}"#,
        r#", "a.b#A": {"type": "structure", "mixins": [{"target": "a.b#B"}]},
            "a.b#B": {"type": "structure"}"#,
    );
    assert_eq!(
        error_for(&json),
        r#"bad.json: $.shapes["a.b#A"].mixins: shape `a.b#A`: `a.b#B` is not a mixin (it lacks @mixin)"#
    );
}

#[test]
fn pagination_naming_a_missing_member() {
    let json = r#"{"smithy": "2.0", "shapes": {
        "a.b#Svc": {"type": "service", "operations": [{"target": "a.b#List"}]},
        "a.b#List": {"type": "operation",
            "traits": {"smithy.api#paginated": {"inputToken": "next", "outputToken": "next"}}}
    }}"#;
    assert_eq!(
        error_for(json),
        r#"bad.json: $.shapes["a.b#List"].traits["smithy.api#paginated"]: shape `a.b#List`: `next` names no member of ListInput"#
    );
}

#[test]
fn int_enum_with_a_string_value() {
    let json = with_service(
        r#""level": {"target": "a.b#Level"}"#,
        r#", "a.b#Level": {"type": "intEnum", "members": {"LOW": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "low"}}}}"#,
    );
    assert_eq!(
        error_for(&json),
        r#"bad.json: $.shapes["a.b#Level"].members.LOW: shape `a.b#Level`: @enumValue must be an integer here"#
    );
}

#[test]
fn a_service_without_a_supported_protocol() {
    let json = r#"{"smithy": "2.0", "shapes": {"a.b#Svc": {"type": "service"}}}"#;
    assert_eq!(
        error_for(json),
        r#"bad.json: $.shapes["a.b#Svc"]: shape `a.b#Svc`: the service uses no protocol this generator supports (aws.protocols#restJson1, aws.protocols#restXml, aws.protocols#awsJson1_0, aws.protocols#awsJson1_1, aws.protocols#awsQuery, aws.protocols#ec2Query)"#
    );
}

#[test]
fn an_aws_query_service_without_a_version() {
    let json = r#"{"smithy": "2.0", "shapes": {"a.b#Svc": {"type": "service", "traits": {"aws.protocols#awsQuery": {}}}}}"#;
    assert_eq!(
        error_for(json),
        r#"bad.json: $.shapes["a.b#Svc"]: shape `a.b#Svc`: an awsQuery service needs a version (every request sends it)"#
    );
}

#[test]
fn a_label_without_a_member() {
    let json = r#"{"smithy": "2.0", "shapes": {
        "a.b#Svc": {"type": "service", "operations": [{"target": "a.b#Op"}], "traits": {"aws.protocols#restJson1": {}}},
        "a.b#Op": {"type": "operation", "traits": {"smithy.api#http": {"method": "GET", "uri": "/things/{id}"}}}
    }}"#;
    assert_eq!(
        error_for(json),
        r#"bad.json: $.shapes["a.b#Op"].traits["smithy.api#http"]: shape `a.b#Op`: URI label `id` names no @httpLabel member of the input"#
    );
}

#[test]
fn http_bindings_that_their_targets_cannot_take() {
    let cases = [
        (
            r#""h": {"target": "a.b#Thing", "traits": {"smithy.api#httpHeader": "x-thing"}}"#,
            "this type cannot be bound to a header",
        ),
        (
            r#""q": {"target": "smithy.api#Blob", "traits": {"smithy.api#httpQuery": "q"}}"#,
            "this type cannot be bound to a URI query parameter",
        ),
        (
            r#""p": {"target": "a.b#Numbers", "traits": {"smithy.api#httpPrefixHeaders": "x-"}}"#,
            "this type cannot be @httpPrefixHeaders (a map of strings)",
        ),
        (
            r#""b": {"target": "a.b#Numbers", "traits": {"smithy.api#httpPayload": {}}}"#,
            "this type cannot be an @httpPayload",
        ),
    ];
    let extra = r#", "a.b#Thing": {"type": "structure", "members": {}},
        "a.b#Numbers": {"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "smithy.api#Integer"}}"#;
    for (member, rule) in cases {
        let name = &member[1..2];
        assert_eq!(
            error_for(&with_service(member, extra)),
            format!(
                r#"bad.json: $.shapes["a.b#OpInput"].members.{name}: shape `a.b#OpInput`: {rule}"#
            ),
        );
    }
}

#[test]
fn unsupported_default_value() {
    let json = r#"{"smithy": "2.0", "shapes": {
        "a.b#Svc": {"type": "service", "operations": [{"target": "a.b#Op"}], "traits": {"aws.protocols#restJson1": {}}},
        "a.b#Op": {"type": "operation", "output": {"target": "a.b#Out"}, "traits": {"smithy.api#http": {"method": "POST", "uri": "/op"}}},
        "a.b#Out": {"type": "structure", "members": {
            "n": {"target": "smithy.api#Integer", "traits": {"smithy.api#default": "seven"}}}}
    }}"#;
    assert_eq!(
        error_for(json),
        r#"bad.json: $.shapes["a.b#Out"].members.n: shape `a.b#Out`: @default value "seven" is not supported for this member's type"#
    );
}

/// A model whose operation has `@httpChecksum` with the given value.
fn with_http_checksum(value: &str) -> String {
    format!(
        r#"{{"smithy": "2.0", "shapes": {{
            "a.b#Svc": {{"type": "service", "operations": [{{"target": "a.b#Op"}}],
                "traits": {{"aws.protocols#restJson1": {{}}}}}},
            "a.b#Op": {{"type": "operation", "input": {{"target": "a.b#OpInput"}},
                "traits": {{"smithy.api#http": {{"method": "POST", "uri": "/op"}},
                    "aws.protocols#httpChecksum": {value}}}}},
            "a.b#OpInput": {{"type": "structure", "members": {{
                "mode": {{"target": "smithy.api#String"}}}}}}
        }}}}"#
    )
}

#[test]
fn http_checksum_naming_a_missing_member() {
    assert_eq!(
        error_for(&with_http_checksum(r#"{"requestAlgorithmMember": "algorithm"}"#)),
        "bad.json: $.shapes[\"a.b#Op\"].traits[\"aws.protocols#httpChecksum\"].requestAlgorithmMember: \
         shape `a.b#Op`: the input has no member `algorithm`"
    );
}

#[test]
fn http_checksum_whose_required_flag_is_not_a_boolean() {
    assert_eq!(
        error_for(&with_http_checksum(r#"{"requestChecksumRequired": "yes"}"#)),
        "bad.json: $.shapes[\"a.b#Op\"].traits[\"aws.protocols#httpChecksum\"].requestChecksumRequired: \
         shape `a.b#Op`: trait `aws.protocols#httpChecksum` must be a boolean, found a string"
    );
}

/// A model whose operation has the endpoint-parameter trait `id` with `value`.
fn with_operation_trait(id: &str, value: &str) -> String {
    format!(
        r#"{{"smithy": "2.0", "shapes": {{
            "a.b#Svc": {{"type": "service", "operations": [{{"target": "a.b#Op"}}],
                "traits": {{"aws.protocols#restJson1": {{}}}}}},
            "a.b#Op": {{"type": "operation",
                "traits": {{"smithy.api#http": {{"method": "POST", "uri": "/op"}}, "{id}": {value}}}}}
        }}}}"#
    )
}

#[test]
fn lists_and_maps_that_hold_themselves() {
    let expected = |id: &str| {
        format!(
            "bad.json: $.shapes[\"{id}\"]: shape `{id}`: a list or map that holds itself with no \
             structure or union between (Smithy lets a shape recur only through one)"
        )
    };
    let direct = with_service(
        r#""l": {"target": "a.b#L"}"#,
        r#", "a.b#L": {"type": "list", "member": {"target": "a.b#L"}}"#,
    );
    assert_eq!(error_for(&direct), expected("a.b#L"));
    // Through a map's value and back; the first shape of the cycle in id order is named.
    let through_map = with_service(
        r#""l": {"target": "a.b#L"}"#,
        r#", "a.b#L": {"type": "list", "member": {"target": "a.b#M"}},
           "a.b#M": {"type": "map", "key": {"target": "smithy.api#String"},
                     "value": {"target": "a.b#L"}}"#,
    );
    assert_eq!(error_for(&through_map), expected("a.b#L"));
    // Through a structure is fine.
    let through_structure = with_service(
        r#""l": {"target": "a.b#L"}"#,
        r#", "a.b#L": {"type": "list", "member": {"target": "a.b#S"}},
           "a.b#S": {"type": "structure", "members": {"l": {"target": "a.b#L"}}}"#,
    );
    assert!(generate(&through_structure, "bad.json", None, &options()).is_ok());
    let keyed_by_itself = with_service(
        r#""m": {"target": "a.b#M"}"#,
        r#", "a.b#M": {"type": "map", "key": {"target": "a.b#M"},
                     "value": {"target": "smithy.api#String"}}"#,
    );
    assert_eq!(
        error_for(&keyed_by_itself),
        "bad.json: $.shapes[\"a.b#M\"]: shape `a.b#M`: a map's key must target a string or an \
         enum, not `a.b#M`"
    );
}

#[test]
fn endpoint_parameter_traits_of_the_wrong_shape() {
    assert_eq!(
        error_for(&with_operation_trait(
            "smithy.rules#staticContextParams",
            r#"{"UseArn": {"value": 3}}"#
        )),
        "bad.json: $.shapes[\"a.b#Op\"].traits[\"smithy.rules#staticContextParams\"][\"UseArn\"]: \
         shape `a.b#Op`: `UseArn` needs a string, boolean or string-list `value`"
    );
    assert_eq!(
        error_for(&with_operation_trait(
            "smithy.rules#operationContextParams",
            r#"{"Arns": {"paths": "Items[*].Arn"}}"#
        )),
        "bad.json: $.shapes[\"a.b#Op\"].traits[\"smithy.rules#operationContextParams\"][\"Arns\"]: \
         shape `a.b#Op`: trait `smithy.rules#operationContextParams` needs a `path` string"
    );
}

#[test]
fn http_checksum_with_an_unknown_algorithm() {
    assert_eq!(
        error_for(&with_http_checksum(
            r#"{"requestValidationModeMember": "mode", "responseAlgorithms": ["CRC32", "MD4"]}"#
        )),
        "bad.json: $.shapes[\"a.b#Op\"].traits[\"aws.protocols#httpChecksum\"].responseAlgorithms[1]: \
         shape `a.b#Op`: \"MD4\" is not one of CRC64NVME, CRC32C, CRC32, SHA1, SHA256"
    );
}

#[test]
fn member_name_that_is_not_an_identifier() {
    let model = with_service(r#""x²": {"target": "smithy.api#String"}"#, "");
    assert_eq!(
        error_for(&model),
        "bad.json: $.shapes[\"a.b#OpInput\"].members[\"x²\"]: shape `a.b#OpInput`: member name `x²` is not a Smithy identifier ([A-Za-z_][A-Za-z0-9_]*)"
    );
}

#[test]
fn http_method_that_is_not_a_method() {
    let model = with_service("", "").replace(r#""method": "POST""#, r#""method": "PU\u00ff""#);
    assert_eq!(
        error_for(&model),
        "bad.json: $.shapes[\"a.b#Op\"].traits[\"smithy.api#http\"].method: shape `a.b#Op`: trait `smithy.api#http` must name one of GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, TRACE, CONNECT, found `PUÿ`"
    );
}

/// A model whose service has the endpoint rule set `rules` (a JSON object) and `tests`.
fn with_rules(rules: &str, tests: &str) -> String {
    format!(
        r#"{{"smithy": "2.0", "shapes": {{
            "a.b#Svc": {{"type": "service", "operations": [{{"target": "a.b#Op"}}],
                "traits": {{"aws.protocols#restJson1": {{}},
                    "smithy.rules#endpointRuleSet": {rules},
                    "smithy.rules#endpointTests": {{"version": "1.0", "testCases": [{tests}]}}}}}},
            "a.b#Op": {{"type": "operation",
                "traits": {{"smithy.api#http": {{"method": "POST", "uri": "/op"}}}}}}
        }}}}"#
    )
}

/// A rule set with the parameters `Region` (string) and `UseFIPS` (boolean, default false)
/// whose only rule has `conditions` and resolves to `url`.
fn rule_set(conditions: &str, url: &str) -> String {
    format!(
        r#"{{"version": "1.0",
            "parameters": {{
                "Region": {{"type": "String", "builtIn": "AWS::Region"}},
                "UseFIPS": {{"type": "Boolean", "default": false, "required": true}}}},
            "rules": [{{"type": "endpoint", "conditions": [{conditions}],
                "endpoint": {{"url": "{url}"}}}}]}}"#
    )
}

const RULES_AT: &str =
    "bad.json: $.shapes[\"a.b#Svc\"].traits[\"smithy.rules#endpointRuleSet\"]: shape `a.b#Svc`";

#[test]
fn endpoint_rules_call_an_unknown_function() {
    let rules = rule_set(
        r#"{"fn": "aws.frobnicate", "argv": [{"ref": "Region"}]}"#,
        "https://x",
    );
    assert_eq!(
        error_for(&with_rules(&rules, "")),
        format!(
            "{RULES_AT}: the rules function `aws.frobnicate` is not supported by this generator"
        )
    );
}

#[test]
fn endpoint_rules_call_a_function_with_too_few_arguments() {
    let rules = rule_set(
        r#"{"fn": "substring", "argv": [{"ref": "Region"}, 0]}"#,
        "https://x",
    );
    assert_eq!(
        error_for(&with_rules(&rules, "")),
        format!("{RULES_AT}: `substring` takes 4 arguments, given 2")
    );
}

#[test]
fn endpoint_rules_read_an_attribute_of_a_value_that_may_be_unset() {
    let rules = rule_set(
        r#"{"fn": "getAttr", "argv": [{"fn": "aws.partition", "argv": ["us-east-1"]}, "name"]}"#,
        "https://x",
    );
    let error = error_for(&with_rules(&rules, ""));
    assert!(
        error.starts_with(&format!("{RULES_AT}: getAttr on a value that may be unset")),
        "{error}"
    );
}

#[test]
fn endpoint_rules_use_a_variable_before_it_is_bound() {
    let rules = rule_set(
        r#"{"fn": "isSet", "argv": [{"ref": "Region"}]}"#,
        "https://{Later}",
    );
    assert_eq!(
        error_for(&with_rules(&rules, "")),
        format!("{RULES_AT}: `Later` is used before it is defined")
    );
}

#[test]
fn endpoint_test_gives_a_parameter_a_value_of_another_type() {
    let rules = rule_set(
        r#"{"fn": "isSet", "argv": [{"ref": "Region"}]}"#,
        "https://x",
    );
    let case = r#"{"params": {"UseFIPS": "yes"}, "expect": {"error": "no"}}"#;
    assert_eq!(
        error_for(&with_rules(&rules, case)),
        format!("{RULES_AT}: test case 0: parameter `UseFIPS` is given \"yes\", not a Boolean")
    );
}

#[test]
fn endpoint_parameter_default_of_another_type() {
    let rules = rule_set("", "https://x").replace(r#""default": false"#, r#""default": "no""#);
    assert_eq!(
        error_for(&with_rules(&rules, "")),
        "bad.json: $.shapes[\"a.b#Svc\"].traits[\"smithy.rules#endpointRuleSet\"].parameters.UseFIPS.default: shape `a.b#Svc`: parameter `UseFIPS` has a default \"no\" that is not a Boolean"
    );
}

/// A model whose operation's output has the member `n` targeting `target`, in `protocol`.
fn with_output_member(protocol: &str, target: &str) -> String {
    format!(
        r#"{{"smithy": "2.0", "shapes": {{
            "a.b#Svc": {{"type": "service", "version": "2020-01-01",
                "operations": [{{"target": "a.b#Op"}}], "traits": {{"{protocol}": {{}}}}}},
            "a.b#Op": {{"type": "operation", "output": {{"target": "a.b#Out"}},
                "traits": {{"smithy.api#http": {{"method": "POST", "uri": "/op"}}}}}},
            "a.b#Out": {{"type": "structure", "members": {{"n": {{"target": "{target}"}}}}}}
        }}}}"#
    )
}

#[test]
fn big_numbers_in_a_response_are_refused_before_rendering() {
    assert_eq!(
        error_for(&with_output_member(
            "aws.protocols#restJson1",
            "smithy.api#BigDecimal"
        )),
        r#"bad.json: $.shapes["a.b#Out"].members.n: shape `a.b#Out`: big numbers in responses are not supported yet"#
    );
    assert_eq!(
        error_for(&with_output_member(
            "aws.protocols#awsQuery",
            "smithy.api#Document"
        )),
        r#"bad.json: $.shapes["a.b#Out"].members.n: shape `a.b#Out`: documents and big numbers are not supported in XML responses yet"#
    );
}

#[test]
fn an_xml_attribute_that_is_not_a_scalar_is_refused_sent_or_received() {
    for side in ["input", "output"] {
        let model = r#"{"smithy": "2.0", "shapes": {
            "a.b#Svc": {"type": "service", "version": "2020-01-01",
                "operations": [{"target": "a.b#Op"}], "traits": {"aws.protocols#restXml": {}}},
            "a.b#Op": {"type": "operation", "SIDE": {"target": "a.b#Io"},
                "traits": {"smithy.api#http": {"method": "POST", "uri": "/op"}}},
            "a.b#Io": {"type": "structure", "members": {
                "n": {"target": "a.b#Inner", "traits": {"smithy.api#xmlAttribute": {}}}}},
            "a.b#Inner": {"type": "structure", "members": {}}
        }}"#
        .replace("SIDE", side);
        assert_eq!(
            error_for(&model),
            r#"bad.json: $.shapes["a.b#Io"].members.n: shape `a.b#Io`: `@xmlAttribute` applies only to booleans, numbers, strings, enums and timestamps"#,
            "{side}"
        );
    }
}

#[test]
fn options_that_cannot_name_the_crate_are_refused() {
    let model = with_service("", "");
    for (crate_name, module_root, message) in [
        ("", None, "the crate name `` is not a Rust crate name (letters, digits, `-` and `_`, starting with a letter)"),
        ("9lives", None, "the crate name `9lives` is not a Rust crate name (letters, digits, `-` and `_`, starting with a letter)"),
        ("bad", Some("not a module"), "the module root `not a module` is not a Rust identifier"),
    ] {
        let options = Options {
            crate_name: crate_name.to_owned(),
            module_root: module_root.map(str::to_owned),
            ..options()
        };
        let error = generate(&model, "bad.json", None, &options).expect_err(crate_name);
        assert_eq!(error.to_string(), format!("bad.json: $: {message}"));
    }
}

/// A model whose input structure holds a chain of `depth` nested structures.
fn nested_structures(depth: usize) -> String {
    let mut shapes = String::new();
    for index in 0..depth {
        shapes.push_str(&format!(
            r#", "a.b#S{index}": {{"type": "structure", "members": {{"next": {{"target": "a.b#S{}"}}}}}}"#,
            index + 1
        ));
    }
    shapes.push_str(&format!(
        r#", "a.b#S{depth}": {{"type": "structure", "members": {{}}}}"#
    ));
    format!(
        r#"{{"smithy": "2.0", "shapes": {{"a.b#Svc": {{"type": "service", "version": "1", "operations": [{{"target": "a.b#Op"}}], "traits": {{"aws.protocols#restJson1": {{}}}}}}, "a.b#Op": {{"type": "operation", "input": {{"target": "a.b#S0"}}, "traits": {{"smithy.api#http": {{"method": "POST", "uri": "/op"}}}}}}{shapes}}}}}"#
    )
}

#[test]
fn shapes_nested_past_the_limit_are_an_error_not_a_stack_overflow() {
    // On a test thread's 2 MiB stack, as a fuzzed model once overflowed it (debug build).
    let outcome = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(|| {
            let deep_enough = generate(&nested_structures(63), "m.json", None, &options());
            let too_deep = generate(&nested_structures(3000), "m.json", None, &options());
            (
                deep_enough.is_ok(),
                too_deep.map(|_| ()).map_err(|error| error.to_string()),
            )
        })
        .unwrap()
        .join()
        .expect("no stack overflow");
    assert!(outcome.0, "63 levels generate");
    assert_eq!(
        outcome.1.unwrap_err(),
        "m.json: $.shapes[\"a.b#S65\"]: shape `a.b#S65`: shapes nest more than 64 levels deep here (a structure, list or map holding another, and so on): more than the generator takes"
    );
}
