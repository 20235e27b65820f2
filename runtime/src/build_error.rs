use std::fmt;

/// A builder was asked to build a value without a member the model marks `@required`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    shape: &'static str,
    member: &'static str,
}

impl BuildError {
    /// The error for `member` (its model name) missing when building `shape`.
    pub fn missing(shape: &'static str, member: &'static str) -> Self {
        Self { shape, member }
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
        write!(
            f,
            "cannot build {}: required member `{}` was not set",
            self.shape, self.member
        )
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
