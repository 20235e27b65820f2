//! What a profile says about IAM Identity Center: the `sso_session` form (a
//! `[sso-session NAME]` section, whose token can be refreshed) or the legacy form (`sso_start_url`
//! and `sso_region` in the profile itself).

use ivschat_runtime::credentials::CredentialsError;
use ivschat_runtime::profile::{ProfileSet, Properties, Property};

/// A property of a section; names are matched without regard to case, as the AWS CLI does.
pub(crate) fn property<'p>(properties: &'p Properties, key: &str) -> Option<&'p Property> {
    properties.get(key).or_else(|| {
        properties
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(key))
            .map(|(_, property)| property)
    })
}

/// True when the profile names IAM Identity Center at all.
pub(crate) fn uses_identity_center(profile: &Properties) -> bool {
    property(profile, "sso_session").is_some() || property(profile, "sso_start_url").is_some()
}

/// Where a profile's IAM Identity Center token comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenSettings {
    /// The profile that named it.
    pub profile: String,
    /// The `[sso-session NAME]` section, `None` for the legacy form.
    pub session: Option<String>,
    /// The portal's start URL.
    pub start_url: String,
    /// The region of the IAM Identity Center instance.
    pub region: String,
}

impl TokenSettings {
    /// What names the token's cache file: the session name, else the start URL.
    pub fn cache_key(&self) -> &str {
        self.session.as_deref().unwrap_or(&self.start_url)
    }

    /// The command that signs the user in again.
    pub fn login_hint(&self) -> String {
        format!("run `aws sso login --profile {}`", self.profile)
    }

    /// Reads the token settings of `name` in `set`; `Ok(None)` when the profile does not use
    /// IAM Identity Center.
    pub fn read(set: &ProfileSet, name: &str) -> Result<Option<Self>, CredentialsError> {
        let Some(profile) = set.profiles.get(name) else {
            return Ok(None);
        };
        let own = |key: &str| property(profile, key);
        let Some(session) = own("sso_session") else {
            let Some(start_url) = own("sso_start_url") else {
                return Ok(None);
            };
            let region = own("sso_region").ok_or_else(|| {
                invalid(
                    start_url,
                    &format!("profile `{name}` sets sso_start_url but not sso_region"),
                )
            })?;
            return Ok(Some(Self {
                profile: name.to_owned(),
                session: None,
                start_url: start_url.value.clone(),
                region: region.value.clone(),
            }));
        };
        let session_name = session.value.clone();
        let section = set.sso_sessions.get(&session_name).ok_or_else(|| {
            invalid(
                session,
                &format!(
                    "profile `{name}` names sso_session `{session_name}`, but there is no \
                     [sso-session {session_name}] section"
                ),
            )
        })?;
        let from_section = |key: &str| {
            let value = property(section, key).ok_or_else(|| {
                invalid(
                    session,
                    &format!("[sso-session {session_name}] has no {key}"),
                )
            })?;
            // The profile may repeat a session setting only with the same value.
            if let Some(repeated) = own(key).filter(|repeated| repeated.value != value.value) {
                return Err(invalid(
                    repeated,
                    &format!(
                        "profile `{name}` sets {key} to a value other than its [sso-session \
                         {session_name}]; remove one of them"
                    ),
                ));
            }
            Ok(value.value.clone())
        };
        Ok(Some(Self {
            profile: name.to_owned(),
            start_url: from_section("sso_start_url")?,
            region: from_section("sso_region")?,
            session: Some(session_name),
        }))
    }
}

/// The role a profile's IAM Identity Center credentials are for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleSettings {
    /// Where the token comes from.
    pub token: TokenSettings,
    /// `sso_account_id`.
    pub account_id: String,
    /// `sso_role_name`.
    pub role_name: String,
}

impl RoleSettings {
    /// Reads the role settings of `name`; `Ok(None)` when the profile does not use IAM Identity
    /// Center, an error when it resolves a token only or lacks half of the role.
    pub fn read(set: &ProfileSet, name: &str) -> Result<Option<Self>, CredentialsError> {
        let Some(token) = TokenSettings::read(set, name)? else {
            return Ok(None);
        };
        let profile = &set.profiles[name];
        let account = property(profile, "sso_account_id");
        let role = property(profile, "sso_role_name");
        match (account, role) {
            (Some(account), Some(role)) => Ok(Some(Self {
                account_id: account.value.clone(),
                role_name: role.value.clone(),
                token,
            })),
            (None, None) => Err(CredentialsError::Invalid(format!(
                "profile `{name}` has no sso_account_id or sso_role_name: the selected profile \
                 will resolve an access token instead of credentials (for services that take an \
                 IAM Identity Center token); add both to the profile to get AWS credentials"
            ))),
            (Some(half), None) | (None, Some(half)) => Err(invalid(
                half,
                &format!("profile `{name}` sets only one of sso_account_id and sso_role_name"),
            )),
        }
    }
}

/// An error located at the property's file and line.
fn invalid(at: &Property, message: &str) -> CredentialsError {
    CredentialsError::Invalid(format!("{}:{}: {message}", at.file, at.line))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(config: &str) -> ProfileSet {
        ProfileSet::from_texts(Some(("config", config)), None).unwrap()
    }

    #[test]
    fn a_session_profile_takes_url_and_region_from_its_section() {
        let set = set(
            "[profile dev]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n\
             [sso-session corp]\nsso_start_url = https://x/start\nsso_region = eu-west-1\n",
        );
        let role = RoleSettings::read(&set, "dev").unwrap().unwrap();
        assert_eq!(role.token.cache_key(), "corp");
        assert_eq!(role.token.region, "eu-west-1");
        assert_eq!(
            (role.account_id.as_str(), role.role_name.as_str()),
            ("1", "R")
        );
    }

    #[test]
    fn the_legacy_form_is_keyed_by_its_start_url() {
        let set = set("[default]\nsso_start_url = https://x/start\nsso_region = us-east-2\n");
        let token = TokenSettings::read(&set, "default").unwrap().unwrap();
        assert_eq!(token.cache_key(), "https://x/start");
        assert_eq!(token.session, None);
    }

    #[test]
    fn mistakes_are_named_with_their_line() {
        let cases = [
            ("[default]\nsso_session = gone\n", "config:2: profile `default` names sso_session `gone`"),
            ("[default]\nsso_start_url = https://x\n", "config:2: profile `default` sets sso_start_url but not sso_region"),
            (
                "[default]\nsso_session = s\nsso_region = us-east-1\n[sso-session s]\nsso_start_url = u\nsso_region = eu-west-1\n",
                "config:3: profile `default` sets sso_region to a value other than",
            ),
            ("[default]\nsso_session = s\n[sso-session s]\nsso_region = eu-west-1\n", "[sso-session s] has no sso_start_url"),
            (
                "[default]\nsso_session = s\nsso_role_name = R\n[sso-session s]\nsso_start_url = u\nsso_region = r\n",
                "config:3: profile `default` sets only one of sso_account_id and sso_role_name",
            ),
        ];
        for (config, wanted) in cases {
            let error = RoleSettings::read(&set(config), "default")
                .unwrap_err()
                .to_string();
            assert!(error.contains(wanted), "{config:?}: {error}");
        }
    }

    #[test]
    fn a_profile_without_identity_center_is_none() {
        let set = set("[default]\naws_access_key_id = A\naws_secret_access_key = S\n");
        assert_eq!(RoleSettings::read(&set, "default").unwrap(), None);
        assert_eq!(RoleSettings::read(&set, "missing").unwrap(), None);
    }
}
