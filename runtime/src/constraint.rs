//! Client-side checks of Smithy constraint traits (`@length`, `@range`, `@pattern`), called by
//! generated code before a request is sent.

use std::fmt;
use std::sync::OnceLock;

use regex_lite::Regex;

/// A value breaks a constraint of the model. `path` names the member, e.g. `CreateRoomInput.name`.
#[derive(Clone, Debug, PartialEq)]
pub struct ConstraintViolation {
    path: String,
    rule: Rule,
}

/// The constraint that was broken, with the offending measure.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Rule {
    /// `@length`: the length (characters, bytes or entries) is outside `min..=max`.
    Length {
        /// The measured length.
        actual: u64,
        /// Smallest allowed length.
        min: Option<u64>,
        /// Largest allowed length.
        max: Option<u64>,
    },
    /// `@range`: the number is outside `min..=max`.
    Range {
        /// The value, as text.
        actual: String,
        /// Smallest allowed value.
        min: Option<f64>,
        /// Largest allowed value.
        max: Option<f64>,
    },
    /// `@pattern`: the string does not match the regular expression.
    Pattern {
        /// The pattern from the model.
        pattern: &'static str,
    },
}

impl ConstraintViolation {
    /// The path of the member that broke the rule.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The rule that was broken.
    pub fn rule(&self) -> &Rule {
        &self.rule
    }
}

fn bounds<T: fmt::Display>(min: Option<T>, max: Option<T>) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("between {min} and {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => "unbounded".to_owned(),
    }
}

impl fmt::Display for ConstraintViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = &self.path;
        match &self.rule {
            Rule::Length { actual, min, max } => write!(
                f,
                "{path}: length {actual} breaks @length (must be {})",
                bounds(*min, *max)
            ),
            Rule::Range { actual, min, max } => write!(
                f,
                "{path}: value {actual} breaks @range (must be {})",
                bounds(*min, *max)
            ),
            Rule::Pattern { pattern } => {
                write!(f, "{path}: value does not match @pattern `{pattern}`")
            }
        }
    }
}

impl std::error::Error for ConstraintViolation {}

/// A `@pattern` regular expression, compiled on first use.
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Regex>,
}

impl Pattern {
    /// A pattern from the model; the generator has checked that it compiles.
    pub const fn new(source: &'static str) -> Self {
        Self {
            source,
            compiled: OnceLock::new(),
        }
    }

    fn is_match(&self, value: &str) -> bool {
        self.compiled
            .get_or_init(|| Regex::new(self.source).expect("pattern checked by the generator"))
            .is_match(value)
    }
}

/// The path of a member below `parent`; an empty `member` names `parent` itself (used for
/// list elements and map entries, whose path already names them).
pub fn member_path(parent: &str, member: &str) -> String {
    if member.is_empty() {
        parent.to_owned()
    } else {
        format!("{parent}.{member}")
    }
}

/// Checks `@length` against a measured length: characters of a string, bytes of a blob,
/// entries of a list or map.
pub fn length(
    parent: &str,
    member: &str,
    actual: usize,
    min: Option<u64>,
    max: Option<u64>,
) -> Result<(), ConstraintViolation> {
    let actual = actual as u64;
    if min.is_some_and(|min| actual < min) || max.is_some_and(|max| actual > max) {
        return Err(ConstraintViolation {
            path: member_path(parent, member),
            rule: Rule::Length { actual, min, max },
        });
    }
    Ok(())
}

/// The length of a string for `@length`: its Unicode scalar values.
pub fn string_length(value: &str) -> usize {
    value.chars().count()
}

/// Checks `@range` on any number that widens to `f64` without loss of order.
pub fn range<T: Into<f64> + fmt::Display + Copy>(
    parent: &str,
    member: &str,
    actual: T,
    min: Option<f64>,
    max: Option<f64>,
) -> Result<(), ConstraintViolation> {
    let value: f64 = actual.into();
    if min.is_some_and(|min| value < min) || max.is_some_and(|max| value > max) {
        return Err(ConstraintViolation {
            path: member_path(parent, member),
            rule: Rule::Range {
                actual: actual.to_string(),
                min,
                max,
            },
        });
    }
    Ok(())
}

/// Checks `@range` on a 64-bit integer, compared exactly.
pub fn range_i64(
    parent: &str,
    member: &str,
    actual: i64,
    min: Option<i64>,
    max: Option<i64>,
) -> Result<(), ConstraintViolation> {
    if min.is_some_and(|min| actual < min) || max.is_some_and(|max| actual > max) {
        return Err(ConstraintViolation {
            path: member_path(parent, member),
            rule: Rule::Range {
                actual: actual.to_string(),
                min: min.map(|min| min as f64),
                max: max.map(|max| max as f64),
            },
        });
    }
    Ok(())
}

/// Checks `@pattern`: the pattern must match somewhere in the value (Smithy's rule; anchors
/// are written in the pattern itself).
pub fn pattern(
    parent: &str,
    member: &str,
    value: &str,
    pattern: &'static Pattern,
) -> Result<(), ConstraintViolation> {
    if pattern.is_match(value) {
        return Ok(());
    }
    Err(ConstraintViolation {
        path: member_path(parent, member),
        rule: Rule::Pattern {
            pattern: pattern.source,
        },
    })
}

/// The path of an element of a list (`parent.member[3]`) or map (`parent.member[key]`),
/// for checking what it holds.
pub fn element_path(parent: &str, member: &str, index: impl fmt::Display) -> String {
    format!("{parent}.{member}[{index}]")
}

#[cfg(test)]
mod tests {
    use super::*;

    static NAME: Pattern = Pattern::new("^[a-zA-Z0-9-_]*$");

    #[test]
    fn length_counts_characters_and_names_the_member() {
        assert!(length("In", "name", string_length("ééé"), Some(1), Some(3)).is_ok());
        let error = length("In", "name", 0, Some(1), Some(128)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "In.name: length 0 breaks @length (must be between 1 and 128)"
        );
        assert_eq!(error.path(), "In.name");
    }

    #[test]
    fn range_reports_the_value_and_bounds() {
        assert!(range("In", "max", 500, Some(1.0), Some(500.0)).is_ok());
        let error = range("In", "max", 501, Some(1.0), Some(500.0)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "In.max: value 501 breaks @range (must be between 1 and 500)"
        );
        let error = range_i64("In", "big", i64::MIN, Some(0), None).unwrap_err();
        assert!(error.to_string().ends_with("(must be at least 0)"));
    }

    #[test]
    fn pattern_matches_or_names_the_pattern() {
        assert!(pattern("In", "name", "lobby-1", &NAME).is_ok());
        let error = pattern("In", "name", "no spaces", &NAME).unwrap_err();
        assert_eq!(
            error.to_string(),
            "In.name: value does not match @pattern `^[a-zA-Z0-9-_]*$`"
        );
    }

    #[test]
    fn element_paths_show_index_or_key() {
        assert_eq!(element_path("In", "tags", "env"), "In.tags[env]");
        assert_eq!(element_path("In", "ids", 2), "In.ids[2]");
        assert_eq!(member_path("In.ids[2]", ""), "In.ids[2]");
        assert_eq!(member_path("In", "name"), "In.name");
    }
}
