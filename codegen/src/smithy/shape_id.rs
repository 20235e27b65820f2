use std::fmt;

use crate::error::is_identifier;

/// An absolute Smithy shape id, `namespace#Name` or `namespace#Name$member`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShapeId {
    namespace: String,
    name: String,
    member: Option<String>,
}

impl ShapeId {
    /// Parses an absolute shape id; the error says what part is malformed.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (namespace, rest) = text
            .split_once('#')
            .ok_or_else(|| format!("`{text}` is not an absolute shape id (no `#`)"))?;
        let (name, member) = match rest.split_once('$') {
            Some((name, member)) => (name, Some(member)),
            None => (rest, None),
        };
        let namespace_ok = !namespace.is_empty() && namespace.split('.').all(is_identifier);
        if !namespace_ok || !is_identifier(name) || !member.is_none_or(is_identifier) {
            return Err(format!("`{text}` is not a valid shape id"));
        }
        Ok(Self {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
            member: member.map(str::to_owned),
        })
    }

    /// The id of a shape in the prelude namespace `smithy.api`.
    pub fn prelude(name: &str) -> Self {
        Self {
            namespace: "smithy.api".to_owned(),
            name: name.to_owned(),
            member: None,
        }
    }

    /// The namespace, e.g. `com.amazonaws.ivschat`.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The shape name, e.g. `CreateRoomRequest`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// True for shapes of the `smithy.api` prelude.
    pub fn is_prelude(&self) -> bool {
        self.namespace == "smithy.api"
    }
}

impl fmt::Display for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.namespace, self.name)?;
        if let Some(member) = &self.member {
            write!(f, "${member}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_ids() {
        for text in ["a.b#C", "smithy.api#String", "a#B$c_1"] {
            assert_eq!(ShapeId::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(ShapeId::parse("x.y#Z").unwrap().name(), "Z");
    }

    #[test]
    fn rejects_malformed_ids() {
        assert_eq!(
            ShapeId::parse("String").unwrap_err(),
            "`String` is not an absolute shape id (no `#`)"
        );
        for text in ["#A", "a#", "a..b#C", "a#1B", "a#B$"] {
            assert!(ShapeId::parse(text).is_err(), "{text}");
        }
    }
}
