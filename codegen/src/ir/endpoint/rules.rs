//! The endpoint rule set (`smithy.rules#endpointRuleSet`) and its tests
//! (`smithy.rules#endpointTests`) as typed rules ([`super::read`] reads them).

use std::collections::BTreeMap;

use serde_json::Value;

/// A built-in a rule-set parameter is bound to: the configuration gives its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuiltIn {
    /// `AWS::Region`.
    Region,
    /// `SDK::Endpoint`.
    Endpoint,
    /// `AWS::UseFIPS`.
    UseFips,
    /// `AWS::UseDualStack`.
    UseDualStack,
    /// `AWS::Auth::AccountId`.
    AccountId,
    /// `AWS::Auth::AccountIdEndpointMode`.
    AccountIdEndpointMode,
    /// `AWS::STS::UseGlobalEndpoint`.
    StsUseGlobalEndpoint,
    /// `AWS::S3::ForcePathStyle`.
    S3ForcePathStyle,
    /// `AWS::S3::Accelerate`.
    S3Accelerate,
    /// `AWS::S3::DisableMultiRegionAccessPoints`.
    S3DisableMultiRegionAccessPoints,
    /// `AWS::S3::UseGlobalEndpoint`.
    S3UseGlobalEndpoint,
    /// `AWS::S3::UseArnRegion` or `AWS::S3Control::UseArnRegion`.
    UseArnRegion,
    /// Another built-in, which the configuration does not set (the caller's `Params` may).
    Other(String),
}

impl BuiltIn {
    /// The built-in named `name` in a rule set.
    pub(super) fn named(name: &str) -> BuiltIn {
        match name {
            "AWS::Region" => BuiltIn::Region,
            "SDK::Endpoint" => BuiltIn::Endpoint,
            "AWS::UseFIPS" => BuiltIn::UseFips,
            "AWS::UseDualStack" => BuiltIn::UseDualStack,
            "AWS::Auth::AccountId" => BuiltIn::AccountId,
            "AWS::Auth::AccountIdEndpointMode" => BuiltIn::AccountIdEndpointMode,
            "AWS::STS::UseGlobalEndpoint" => BuiltIn::StsUseGlobalEndpoint,
            "AWS::S3::ForcePathStyle" => BuiltIn::S3ForcePathStyle,
            "AWS::S3::Accelerate" => BuiltIn::S3Accelerate,
            "AWS::S3::DisableMultiRegionAccessPoints" => BuiltIn::S3DisableMultiRegionAccessPoints,
            "AWS::S3::UseGlobalEndpoint" => BuiltIn::S3UseGlobalEndpoint,
            "AWS::S3::UseArnRegion" | "AWS::S3Control::UseArnRegion" => BuiltIn::UseArnRegion,
            other => BuiltIn::Other(other.to_owned()),
        }
    }
}

/// A rule-set parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    /// The name, e.g. `Region`.
    pub name: String,
    /// `String`, `Boolean` or `StringArray`.
    pub kind: ParameterKind,
    /// The built-in it is bound to, e.g. `AWS::Region`.
    pub built_in: Option<BuiltIn>,
    /// `required`.
    pub required: bool,
    /// `default`, of the parameter's type.
    pub default: Option<ParamValue>,
    /// `documentation`.
    pub documentation: Option<String>,
    /// Some rule reads it (known once the rule set is checked).
    pub used: bool,
}

impl Parameter {
    /// A required parameter without a default: resolution fails when it is unset.
    pub fn must_be_set(&self) -> bool {
        self.required && self.default.is_none()
    }
}

/// A parameter type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParameterKind {
    /// A string.
    String,
    /// A boolean.
    Boolean,
    /// A list of strings (`stringArray`, e.g. DynamoDB's `ResourceArnList`).
    StringArray,
}

/// A value of a parameter (a default, or a test case's setting).
#[derive(Clone, Debug, PartialEq)]
pub enum ParamValue {
    /// A string.
    String(String),
    /// A boolean.
    Boolean(bool),
    /// A list of strings.
    StringArray(Vec<String>),
}

impl ParamValue {
    /// `value` as a value of a `kind` parameter, if it is one.
    pub(crate) fn read(value: &Value, kind: ParameterKind) -> Option<Self> {
        Some(match (value, kind) {
            (Value::String(text), ParameterKind::String) => Self::String(text.clone()),
            (Value::Bool(flag), ParameterKind::Boolean) => Self::Boolean(*flag),
            (Value::Array(items), ParameterKind::StringArray) => Self::StringArray(
                items
                    .iter()
                    .map(|item| item.as_str().map(str::to_owned))
                    .collect::<Option<_>>()?,
            ),
            _ => return None,
        })
    }
}

/// A piece of a template string: literal text or a reference (`{Region}`,
/// `{PartitionResult#dnsSuffix}`).
#[derive(Clone, Debug, PartialEq)]
pub enum TemplatePart {
    /// Literal text.
    Literal(String),
    /// A value.
    Value(Expr),
}

/// An expression of the rules language.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A string, possibly a template.
    Template(Vec<TemplatePart>),
    /// A boolean literal.
    Bool(bool),
    /// An integer literal.
    Int(i64),
    /// A parameter or assigned variable.
    Ref(String),
    /// A function call (`getAttr` keeps its path as a literal second argument).
    Call(String, Vec<Expr>),
    /// `getAttr(value, path)`.
    GetAttr(Box<Expr>, String),
    /// An array (endpoint properties).
    Array(Vec<Expr>),
    /// An object (endpoint properties).
    Object(BTreeMap<String, Expr>),
}

/// A condition: a call, optionally binding its result.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// The call.
    pub call: Expr,
    /// The variable bound to its result.
    pub assign: Option<String>,
}

/// What a rule does when its conditions hold.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Resolve to this endpoint.
    Endpoint {
        /// The URL.
        url: Expr,
        /// Headers, each with its values.
        headers: BTreeMap<String, Vec<Expr>>,
        /// Properties (an object).
        properties: BTreeMap<String, Expr>,
    },
    /// Fail with this message.
    Error(Expr),
    /// Evaluate these rules.
    Tree(Vec<Rule>),
}

/// A rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// Conditions, all of which must hold.
    pub conditions: Vec<Condition>,
    /// The outcome.
    pub outcome: Outcome,
}

/// An endpoint test case.
#[derive(Clone, Debug, PartialEq)]
pub struct TestCase {
    /// `documentation`.
    pub documentation: String,
    /// Parameter values by name.
    pub params: BTreeMap<String, Value>,
    /// The expected endpoint (url, headers, properties as JSON) or error message.
    pub expect: Result<Value, String>,
}

/// The rule set and its tests.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleSet {
    /// Parameters in declaration order.
    pub parameters: Vec<Parameter>,
    /// Top-level rules.
    pub rules: Vec<Rule>,
    /// Test cases.
    pub tests: Vec<TestCase>,
}

impl RuleSet {
    /// True when some endpoint of the rules lists the auth scheme `name` (e.g. `sigv4a`) in
    /// its `authSchemes` property.
    pub fn offers_auth_scheme(&self, name: &str) -> bool {
        fn in_rules(rules: &[Rule], name: &str) -> bool {
            rules.iter().any(|rule| match &rule.outcome {
                Outcome::Endpoint { properties, .. } => {
                    matches!(properties.get("authSchemes"), Some(Expr::Array(schemes))
                        if schemes.iter().any(|scheme| names_scheme(scheme, name)))
                }
                Outcome::Tree(rules) => in_rules(rules, name),
                Outcome::Error(_) => false,
            })
        }
        fn names_scheme(scheme: &Expr, name: &str) -> bool {
            matches!(scheme, Expr::Object(entries)
                if matches!(entries.get("name"), Some(Expr::Template(parts))
                    if matches!(parts.as_slice(), [TemplatePart::Literal(text)] if text == name)))
        }
        in_rules(&self.rules, name)
    }
}
