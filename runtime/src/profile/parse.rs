//! The parser of the AWS shared `config` and `credentials` files, as the cross-SDK standard
//! specifies it (sections, properties, continuations, sub-properties, comments).

use std::collections::BTreeMap;
use std::fmt;

/// Which of the two files a text comes from: their section rules differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `~/.aws/config`: `[default]`, `[profile NAME]`, `[sso-session NAME]`, `[services NAME]`.
    Config,
    /// `~/.aws/credentials`: `[NAME]`.
    Credentials,
}

/// A malformed line, located by file and line number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileParseError {
    /// The file name (or a label for text given directly).
    pub file: String,
    /// The 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ProfileParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for ProfileParseError {}

/// What a section header names.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SectionKind {
    /// A profile; `prefixed` tells `[profile default]` from `[default]` in the config file.
    Profile {
        /// Written with the `profile ` prefix.
        prefixed: bool,
    },
    /// `[sso-session NAME]`.
    SsoSession,
    /// `[services NAME]`.
    Services,
}

/// One property with where it was defined.
#[derive(Clone, PartialEq, Eq)]
pub struct Property {
    /// The value (continuations joined with `\n`).
    pub value: String,
    /// The file that defined it.
    pub file: String,
    /// The line of the definition.
    pub line: usize,
}

impl fmt::Debug for Property {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Values may be secrets (aws_secret_access_key); only the origin is shown.
        write!(f, "Property({}:{})", self.file, self.line)
    }
}

/// A section of a file as parsed: kind, name and properties (later definitions win).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// The section kind.
    pub kind: SectionKind,
    /// The section name.
    pub name: String,
    /// Properties by lowercase name.
    pub properties: BTreeMap<String, Property>,
}

fn is_profile_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-/.%@_:+".contains(c))
}

fn is_property_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c))
}

/// Drops a ` #` or ` ;` comment (a comment in a value must follow whitespace).
fn strip_value_comment(value: &str) -> &str {
    let bytes = value.as_bytes();
    for index in 1..bytes.len() {
        if matches!(bytes[index], b'#' | b';') && bytes[index - 1].is_ascii_whitespace() {
            return &value[..index];
        }
    }
    value
}

/// The section a header line names, `None` for a header the standard says to ignore.
fn section_of(inner: &str, kind: FileKind) -> Option<(SectionKind, String)> {
    let inner = inner.trim();
    let prefixed = |prefix: &str| {
        inner
            .strip_prefix(prefix)
            .filter(|rest| rest.starts_with([' ', '\t']))
            .map(|rest| rest.trim().to_owned())
    };
    let (section, name) = match kind {
        FileKind::Credentials => (SectionKind::Profile { prefixed: false }, inner.to_owned()),
        FileKind::Config => {
            if inner == "default" {
                (SectionKind::Profile { prefixed: false }, inner.to_owned())
            } else if let Some(name) = prefixed("profile") {
                (SectionKind::Profile { prefixed: true }, name)
            } else if let Some(name) = prefixed("sso-session") {
                (SectionKind::SsoSession, name)
            } else if let Some(name) = prefixed("services") {
                (SectionKind::Services, name)
            } else {
                return None;
            }
        }
    };
    is_profile_name(&name).then_some((section, name))
}

/// Parsing state: where continuation lines go.
enum Current {
    Nothing,
    /// In a section (`None`: an ignored section), before any property.
    Section(Option<usize>),
    /// After a property of a section: its index and name, and whether it takes sub-properties.
    Property(Option<usize>, String, bool),
}

/// Adds a continuation line to the property it continues (checking a sub-property's form);
/// the message says what is wrong with the line.
fn continue_property(
    current: &Current,
    trimmed: &str,
    sections: &mut [Section],
) -> Result<(), &'static str> {
    let (section, name, sub_properties) = match current {
        Current::Nothing => return Err("Expected a profile definition, found continuation"),
        Current::Section(_) => return Err("Expected a property definition, found continuation"),
        Current::Property(section, name, sub_properties) => (*section, name, *sub_properties),
    };
    if sub_properties {
        match trimmed.split_once('=') {
            None => return Err("Expected an '=' sign defining a sub-property"),
            Some((key, _)) if key.trim().is_empty() => {
                return Err("Sub-property did not have a name")
            }
            Some(_) => {}
        }
    }
    if let Some(property) = section.and_then(|section| sections[section].properties.get_mut(name)) {
        property.value.push('\n');
        property.value.push_str(trimmed);
    }
    Ok(())
}

/// Reads a `[...]` line: the index of the section it opens, none for a section the file's
/// kind does not hold (its properties are then skipped).
fn open_section(
    line: &str,
    kind: FileKind,
    sections: &mut Vec<Section>,
) -> Result<Option<usize>, &'static str> {
    let close = line
        .find(']')
        .ok_or("Profile definition must end with ']'")?;
    Ok(
        section_of(&line[1..close], kind).map(|(section_kind, name)| {
            sections.push(Section {
                kind: section_kind,
                name,
                properties: BTreeMap::new(),
            });
            sections.len() - 1
        }),
    )
}

/// Parses one file's text into its sections, in order of appearance.
pub fn parse(text: &str, kind: FileKind, file: &str) -> Result<Vec<Section>, ProfileParseError> {
    let mut sections: Vec<Section> = Vec::new();
    let mut current = Current::Nothing;
    for (index, raw) in text.lines().enumerate() {
        let line_number = index + 1;
        let error = |message: &str| ProfileParseError {
            file: file.to_owned(),
            line: line_number,
            message: message.to_owned(),
        };
        let line = raw.trim_end_matches('\r');
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            continue_property(&current, trimmed, &mut sections).map_err(error)?;
            continue;
        }
        if trimmed.starts_with('[') {
            current = Current::Section(open_section(trimmed, kind, &mut sections).map_err(error)?);
            continue;
        }
        let section = match current {
            Current::Nothing => return Err(error("Expected a profile definition")),
            Current::Section(section) | Current::Property(section, _, _) => section,
        };
        let (key, value) = trimmed
            .split_once('=')
            .ok_or_else(|| error("Expected an '=' sign defining a property"))?;
        let key = key.trim().to_ascii_lowercase();
        if key.is_empty() {
            return Err(error("Property did not have a name"));
        }
        let value = strip_value_comment(value.trim()).trim().to_owned();
        let sub_properties = value.is_empty();
        let valid = is_property_name(&key);
        if let (Some(section), true) = (section, valid) {
            sections[section].properties.insert(
                key.clone(),
                Property {
                    value,
                    file: file.to_owned(),
                    line: line_number,
                },
            );
        }
        current = Current::Property(section.filter(|_| valid), key, sub_properties);
    }
    Ok(sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_file_and_line() {
        let error = parse(
            "[profile a]\nkey value",
            FileKind::Config,
            "/home/u/.aws/config",
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "/home/u/.aws/config:2: Expected an '=' sign defining a property"
        );
    }

    #[test]
    fn debug_never_shows_values() {
        let sections = parse(
            "[a]\naws_secret_access_key = SECRET",
            FileKind::Credentials,
            "c",
        )
        .unwrap();
        let printed = format!("{sections:?}");
        assert!(!printed.contains("SECRET"), "{printed}");
    }
}
