//! Shared `config` and `credentials` files: where they are, how they parse, how their profiles
//! merge, and which profile is selected.

mod location;
mod parse;

use std::collections::BTreeMap;
use std::fmt;

pub use location::{home_folder, Platform, ProfileFiles};
pub use parse::{parse, FileKind, ProfileParseError, Property, Section, SectionKind};

/// Properties by lowercase name.
pub type Properties = BTreeMap<String, Property>;

/// The merged contents of both files.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ProfileSet {
    /// Profiles by name.
    pub profiles: BTreeMap<String, Properties>,
    /// `[sso-session NAME]` sections.
    pub sso_sessions: BTreeMap<String, Properties>,
    /// `[services NAME]` sections.
    pub services: BTreeMap<String, Properties>,
}

impl fmt::Debug for ProfileSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileSet")
            .field("profiles", &self.profiles.keys().collect::<Vec<_>>())
            .field(
                "sso_sessions",
                &self.sso_sessions.keys().collect::<Vec<_>>(),
            )
            .field("services", &self.services.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl ProfileSet {
    /// Parses and merges the two files' texts, each given with its file name. Config profiles
    /// come first; credentials-file properties win over them. `[profile default]` in the config
    /// file hides a plain `[default]` there.
    pub fn from_texts(
        config: Option<(&str, &str)>,
        credentials: Option<(&str, &str)>,
    ) -> Result<Self, ProfileParseError> {
        let mut set = ProfileSet::default();
        if let Some((file, text)) = config {
            let sections = parse(text, FileKind::Config, file)?;
            let prefixed_default = sections.iter().any(|section| {
                section.name == "default" && section.kind == SectionKind::Profile { prefixed: true }
            });
            for section in sections {
                let hidden = prefixed_default
                    && section.name == "default"
                    && section.kind == SectionKind::Profile { prefixed: false };
                if !hidden {
                    set.add(section);
                }
            }
        }
        if let Some((file, text)) = credentials {
            for section in parse(text, FileKind::Credentials, file)? {
                set.add(section);
            }
        }
        Ok(set)
    }

    fn add(&mut self, section: Section) {
        let target = match section.kind {
            SectionKind::Profile { .. } => &mut self.profiles,
            SectionKind::SsoSession => &mut self.sso_sessions,
            SectionKind::Services => &mut self.services,
        };
        target
            .entry(section.name)
            .or_default()
            .extend(section.properties);
    }

    /// A property of a profile.
    pub fn get(&self, profile: &str, key: &str) -> Option<&Property> {
        self.profiles.get(profile)?.get(key)
    }

    /// A sub-property of a `[services NAME]` section, e.g. (`ivschat`, `endpoint_url`).
    pub fn service_setting(&self, services: &str, service: &str, key: &str) -> Option<String> {
        let value = &self.services.get(services)?.get(service)?.value;
        value.lines().find_map(|line| {
            let (name, value) = line.split_once('=')?;
            (name.trim().eq_ignore_ascii_case(key)).then(|| value.trim().to_owned())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_sections_hold_sub_properties() {
        let config = "[profile dev]\nservices = local\n[services local]\nivschat =\n  endpoint_url = http://127.0.0.1:4566\n";
        let set = ProfileSet::from_texts(Some(("config", config)), None).unwrap();
        assert_eq!(set.get("dev", "services").unwrap().value, "local");
        assert_eq!(
            set.service_setting("local", "ivschat", "endpoint_url")
                .as_deref(),
            Some("http://127.0.0.1:4566")
        );
    }
}
