//! The endpoint resolver the rule set compiles to: every expression typed (what it is, whether
//! it may be unset, whether it is computed), every condition decided (what it tests, what it
//! binds), every test case checked against the parameters. [`super::check`] builds it and
//! rejects what the generator cannot compile, so rendering it cannot fail.

use super::rules::{BuiltIn, ParamValue, Parameter, ParameterKind};

/// The type of a rules value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// A string.
    Str,
    /// A boolean.
    Bool,
    /// An integer.
    Int,
    /// The result of `aws.partition`.
    Partition,
    /// The result of `aws.parseArn`.
    Arn,
    /// The result of `parseURL`.
    Url,
    /// A list of strings.
    StrList,
}

impl Ty {
    /// The type of a parameter's values.
    pub fn of_parameter(kind: ParameterKind) -> Self {
        match kind {
            ParameterKind::String => Self::Str,
            ParameterKind::Boolean => Self::Bool,
            ParameterKind::StringArray => Self::StrList,
        }
    }
}

/// A typed expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Typed {
    /// Its type.
    pub ty: Ty,
    /// It may be unset (an `Option`).
    pub optional: bool,
    /// It is computed (a `String` or list of its own, which conditions bind, never borrow).
    pub owned: bool,
    /// What it is.
    pub node: Node,
}

/// What an expression is.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// A boolean literal.
    Bool(bool),
    /// An integer literal.
    Int(i64),
    /// Literal text.
    Text(String),
    /// A template with values: literal pieces and set strings.
    Format(Vec<Piece>),
    /// A parameter or bound variable; `owned` when it holds a computed value.
    Var {
        /// The rules' name of the variable.
        name: String,
        /// It holds a `String` or `Vec` of its own.
        owned: bool,
    },
    /// A field of a partition, ARN or URL, by its name in the runtime's type; `borrow` when a
    /// `String` field is read as `&str`.
    Field {
        /// The value it belongs to.
        base: Box<Typed>,
        /// The runtime's field name, e.g. `dns_suffix`.
        field: &'static str,
        /// Read with `.as_str()`.
        borrow: bool,
    },
    /// `list[index]`, negative indexes counting from the end; unset out of range.
    Item {
        /// The list.
        base: Box<Typed>,
        /// The index.
        index: i64,
    },
    /// `arn.resourceId[index]`; unset out of range.
    ResourceId {
        /// The ARN.
        base: Box<Typed>,
        /// The index.
        index: usize,
    },
    /// `isSet(value)`, or its negation.
    IsSet {
        /// The value tested.
        value: Box<Typed>,
        /// `not(isSet(value))`.
        negate: bool,
    },
    /// `not(value)` of a set boolean.
    Not(Box<Typed>),
    /// A comparison with the empty string.
    IsEmpty {
        /// The string compared.
        value: Box<Typed>,
        /// Not equal.
        negate: bool,
    },
    /// A comparison with a boolean literal, folded: the value must be `expected`.
    IsBool {
        /// The boolean compared.
        value: Box<Typed>,
        /// The value it must have (the literal, negated when the comparison is).
        expected: bool,
    },
    /// `booleanEquals` / `stringEquals` of two values.
    Equals {
        /// The left operand.
        left: Box<Typed>,
        /// The right operand.
        right: Box<Typed>,
        /// Not equal.
        negate: bool,
    },
    /// A function of the runtime's `endpoint` module, its arguments set and typed.
    Library(Library, Vec<Typed>),
    /// `coalesce`: the first set value.
    Coalesce(Vec<Typed>),
    /// `ite(condition, then, otherwise)`.
    Ite(Box<Typed>, Box<Typed>, Box<Typed>),
}

/// A piece of a template with values.
#[derive(Clone, Debug, PartialEq)]
pub enum Piece {
    /// Literal text.
    Text(String),
    /// A set string.
    Value(Typed),
}

/// The rules' library functions, each a function of the runtime's `endpoint` module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Library {
    /// `aws.partition(region)`.
    Partition,
    /// `aws.parseArn(value)`.
    ParseArn,
    /// `parseURL(value)`.
    ParseUrl,
    /// `substring(input, start, stop, reverse)`.
    Substring,
    /// `split(value, delimiter, limit)`.
    Split,
    /// `uriEncode(value)`.
    UriEncode,
    /// `isValidHostLabel(value, allowDots)`.
    IsValidHostLabel,
    /// `aws.isVirtualHostableS3Bucket(value, allowDots)`.
    IsVirtualHostableS3Bucket,
}

impl Library {
    /// The function for the rules' name, with its argument types and result.
    pub fn named(name: &str) -> Option<(Self, &'static [Ty], Ty)> {
        Some(match name {
            "aws.partition" => (Self::Partition, &[Ty::Str], Ty::Partition),
            "aws.parseArn" => (Self::ParseArn, &[Ty::Str], Ty::Arn),
            "parseURL" => (Self::ParseUrl, &[Ty::Str], Ty::Url),
            "substring" => (
                Self::Substring,
                &[Ty::Str, Ty::Int, Ty::Int, Ty::Bool],
                Ty::Str,
            ),
            "split" => (Self::Split, &[Ty::Str, Ty::Str, Ty::Int], Ty::StrList),
            "uriEncode" => (Self::UriEncode, &[Ty::Str], Ty::Str),
            "isValidHostLabel" => (Self::IsValidHostLabel, &[Ty::Str, Ty::Bool], Ty::Bool),
            "aws.isVirtualHostableS3Bucket" => (
                Self::IsVirtualHostableS3Bucket,
                &[Ty::Str, Ty::Bool],
                Ty::Bool,
            ),
            _ => return None,
        })
    }

    /// The runtime function's name, e.g. `aws_partition`.
    pub fn runtime_name(self) -> &'static str {
        match self {
            Self::Partition => "aws_partition",
            Self::ParseArn => "parse_arn",
            Self::ParseUrl => "parse_url",
            Self::Substring => "substring",
            Self::Split => "split",
            Self::UriEncode => "uri_encode",
            Self::IsValidHostLabel => "is_valid_host_label",
            Self::IsVirtualHostableS3Bucket => "is_virtual_hostable_s3_bucket",
        }
    }

    /// True when the result may be unset (no partition, not an ARN, ...).
    pub fn may_be_unset(self) -> bool {
        matches!(
            self,
            Self::Partition | Self::ParseArn | Self::ParseUrl | Self::Substring
        )
    }

    /// True when the result is computed (a `String` or list of its own).
    pub fn computes(self) -> bool {
        matches!(self, Self::Substring | Self::Split)
    }
}

/// What one condition of a rule becomes around the rest of the rule.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// `isSet(variable)` of an optional variable that is used later: unwrapped in place.
    Unwrap {
        /// The variable.
        variable: String,
    },
    /// An optional boolean, which holds when set and true; `bind` names the variable later
    /// conditions read its result from.
    SomeTrue {
        /// The boolean.
        value: Typed,
        /// The variable bound to it.
        bind: Option<String>,
    },
    /// An optional value bound to a variable used later: holds when set.
    BindSome {
        /// The value.
        value: Typed,
        /// The variable bound to it.
        name: String,
    },
    /// An optional value whose result no one reads: holds when set.
    IsSome {
        /// The value.
        value: Typed,
    },
    /// A set boolean, which holds when true.
    True {
        /// The boolean.
        value: Typed,
        /// The variable bound to it.
        bind: Option<String>,
    },
    /// A set value bound (as an owned copy) to a variable used later: always holds.
    Bind {
        /// The value.
        value: Typed,
        /// The variable bound to it.
        name: String,
    },
    /// A set value whose result no one reads: always holds.
    Holds,
}

/// A rule: its conditions in order, then what it resolves to.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedRule {
    /// One step per condition.
    pub steps: Vec<Step>,
    /// The outcome when every condition holds.
    pub outcome: Resolution,
}

/// What a rule resolves to.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolution {
    /// An endpoint.
    Endpoint {
        /// The URL, a set string.
        url: Typed,
        /// Headers in name order, each with its set string values.
        headers: Vec<(String, Vec<Typed>)>,
        /// Properties in name order.
        properties: Vec<(String, Property)>,
    },
    /// An error with this message (a set string).
    Error(Typed),
    /// The first matching rule of these.
    Tree(Vec<CheckedRule>),
}

/// An endpoint property: a document of arrays, objects and set values.
#[derive(Clone, Debug, PartialEq)]
pub enum Property {
    /// An array.
    Array(Vec<Property>),
    /// An object, in key order.
    Object(Vec<(String, Property)>),
    /// A set string, boolean or integer.
    Value(Typed),
}

/// An endpoint test case whose parameters exist and have their types.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolverTest {
    /// `documentation`.
    pub documentation: String,
    /// Parameter values in name order.
    pub params: Vec<TestParam>,
    /// The expected endpoint or error message.
    pub expect: Result<ExpectedEndpoint, String>,
}

/// A parameter a test case sets.
#[derive(Clone, Debug, PartialEq)]
pub struct TestParam {
    /// The parameter's name.
    pub name: String,
    /// Its value.
    pub value: ParamValue,
    /// The parameter's field is an `Option` (it has no default).
    pub optional: bool,
}

/// The endpoint a test case expects: its URL, and its headers and properties as JSON text.
#[derive(Clone, Debug, PartialEq)]
pub struct ExpectedEndpoint {
    /// The URL.
    pub url: String,
    /// The headers, a JSON object.
    pub headers: String,
    /// The properties, a JSON object.
    pub properties: String,
}

/// The endpoint rules of a service, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolver {
    /// Parameters in declaration order.
    pub parameters: Vec<Parameter>,
    /// The top-level rules.
    pub rules: Vec<CheckedRule>,
    /// Test cases.
    pub tests: Vec<ResolverTest>,
}

impl Resolver {
    /// The parameter bound to `built_in`.
    pub fn built_in(&self, built_in: &BuiltIn) -> Option<&Parameter> {
        self.parameters
            .iter()
            .find(|parameter| parameter.built_in.as_ref() == Some(built_in))
    }

    /// The parameter named `name`.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters
            .iter()
            .find(|parameter| parameter.name == name)
    }
}
