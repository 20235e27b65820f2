use std::fmt;

/// A value could not be built: a member the model marks `@required` is unset, or a member
/// bound to the URI path is empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    shape: &'static str,
    member: &'static str,
    empty_label: bool,
}

impl BuildError {
    /// The error for `member` (its model name) missing when building `shape`.
    pub fn missing(shape: &'static str, member: &'static str) -> Self {
        Self {
            shape,
            member,
            empty_label: false,
        }
    }

    /// The error for `member`, bound to the URI path, being empty.
    pub fn empty_label(shape: &'static str, member: &'static str) -> Self {
        Self {
            shape,
            member,
            empty_label: true,
        }
    }

    /// The name of the type that could not be built.
    pub fn shape(&self) -> &'static str {
        self.shape
    }

    /// The model name of the missing member.
    pub fn member(&self) -> &'static str {
        self.member
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.empty_label {
            write!(
                f,
                "cannot build {}: member `{}` goes in the URI path and must not be empty",
                self.shape, self.member
            )
        } else {
            write!(
                f,
                "cannot build {}: required member `{}` was not set",
                self.shape, self.member
            )
        }
    }
}

impl std::error::Error for BuildError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_shape_and_member() {
        let error = BuildError::missing("CreateChatTokenInput", "roomIdentifier");
        assert_eq!(
            error.to_string(),
            "cannot build CreateChatTokenInput: required member `roomIdentifier` was not set"
        );
    }
}
