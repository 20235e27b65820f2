//! Endpoint parameters an operation sets (`smithy.rules#staticContextParams`,
//! `#contextParam` on input members, `#operationContextParams` paths), read into typed values.

use crate::ir::MemberName;
pub use crate::smithy::StaticValue;
use crate::smithy::{Member, Traits};

/// Where an operation's value of an endpoint parameter comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum ContextValue {
    /// A fixed value (`staticContextParams`).
    Static(StaticValue),
    /// The input's member (`contextParam`).
    Member(MemberName),
    /// A path into the input (`operationContextParams`).
    Path(Vec<PathStep>),
    /// A path of a form the generator does not read (the parameter is left unset; the
    /// generator warns).
    Unsupported(String),
}

/// One step of an `operationContextParams` path: the subset of JMESPath the AWS models use
/// (`A.B`, `A[*].B`, `keys(A)`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathStep {
    /// A member of the value so far.
    Field(MemberName),
    /// Every element of a list (`[*]`).
    Each,
    /// The keys of a map (`keys(...)` around the path so far).
    Keys,
}

/// One endpoint parameter an operation sets.
#[derive(Clone, Debug, PartialEq)]
pub struct ContextParam {
    /// The rule-set parameter's name.
    pub parameter: String,
    /// Where the value comes from.
    pub value: ContextValue,
}

/// The parameters `traits` (an operation's) and `input` (its input's members) set.
pub(crate) fn read(traits: &Traits, input: &[Member]) -> Vec<ContextParam> {
    let mut params: Vec<ContextParam> = traits
        .static_context_params
        .iter()
        .map(|(name, value)| ContextParam {
            parameter: name.clone(),
            value: ContextValue::Static(value.clone()),
        })
        .collect();
    for member in input {
        if let Some(name) = &member.traits.context_param {
            params.push(ContextParam {
                parameter: name.clone(),
                value: ContextValue::Member(MemberName(member.name.clone())),
            });
        }
    }
    for (name, path) in &traits.operation_context_params {
        let value = match parse_path(path) {
            Some(steps) => ContextValue::Path(steps),
            None => ContextValue::Unsupported(path.clone()),
        };
        params.push(ContextParam {
            parameter: name.clone(),
            value,
        });
    }
    params
}

/// `A.B`, `A[*].B.C`, `keys(A.B)`: fields, projections and an outer `keys`.
fn parse_path(text: &str) -> Option<Vec<PathStep>> {
    let (inner, keys) = match text
        .strip_prefix("keys(")
        .and_then(|rest| rest.strip_suffix(')'))
    {
        Some(inner) => (inner, true),
        None => (text, false),
    };
    let mut steps = Vec::new();
    for part in inner.split('.') {
        let (name, each) = match part.strip_suffix("[*]") {
            Some(name) => (name, true),
            None => (part, false),
        };
        if !crate::smithy::is_identifier(name) {
            return None;
        }
        steps.push(PathStep::Field(MemberName(name.to_owned())));
        if each {
            steps.push(PathStep::Each);
        }
    }
    if keys {
        steps.push(PathStep::Keys);
    }
    Some(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_the_aws_models_parse() {
        use PathStep::{Each, Field, Keys};
        let field = |name: &str| Field(MemberName(name.to_owned()));
        assert_eq!(
            parse_path("TableCreationParameters.TableName"),
            Some(vec![field("TableCreationParameters"), field("TableName")])
        );
        assert_eq!(
            parse_path("TransactItems[*].Get.TableName"),
            Some(vec![
                field("TransactItems"),
                Each,
                field("Get"),
                field("TableName")
            ])
        );
        assert_eq!(
            parse_path("keys(RequestItems)"),
            Some(vec![field("RequestItems"), Keys])
        );
        assert_eq!(parse_path("a[0].b"), None);
        assert_eq!(parse_path("length(a)"), None);
    }
}
