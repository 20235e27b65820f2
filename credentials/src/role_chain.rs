//! Which source and which roles a profile's credentials come through: the chain of `role_arn`,
//! `source_profile`, `credential_source` and `web_identity_token_file`, resolved as the AWS SDKs
//! do. Pure (no I/O), so the official assume-role cases check it directly.

use ivschat_runtime::credentials::CredentialsError;
use ivschat_runtime::profile::{ProfileSet, Properties};

use crate::identity_center::{property, uses_identity_center, RoleSettings, TokenSettings};

/// A `credential_source`: a provider of the environment the role is assumed from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CredentialSource {
    /// `Environment`: the `AWS_ACCESS_KEY_ID` variables.
    Environment,
    /// `Ec2InstanceMetadata`: the instance's role, from IMDS.
    Ec2InstanceMetadata,
    /// `EcsContainer`: the container credentials endpoint.
    EcsContainer,
}

/// A role to assume with `AssumeRole`, from one profile.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoleLink {
    /// The profile that names the role.
    pub profile: String,
    /// `role_arn`.
    pub role_arn: String,
    /// `role_session_name`.
    pub session_name: Option<String>,
    /// `external_id`.
    pub external_id: Option<String>,
    /// `duration_seconds`.
    pub duration_seconds: Option<i32>,
    /// `mfa_serial`: the MFA device whose code the call needs.
    pub mfa_serial: Option<String>,
}

/// A role to assume with `AssumeRoleWithWebIdentity`, from a profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebIdentityLink {
    /// `role_arn`.
    pub role_arn: String,
    /// `web_identity_token_file`.
    pub token_file: String,
    /// `role_session_name`.
    pub session_name: Option<String>,
}

/// Where the first credentials of a chain come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base {
    /// The static keys of this profile (a profile that is its own `source_profile`).
    StaticKeys(String),
    /// This profile's own source: static keys, IAM Identity Center, console login or
    /// `credential_process`.
    Profile(String),
    /// A `credential_source`.
    Source(CredentialSource),
    /// A web identity token exchanged for a role.
    WebIdentity(WebIdentityLink),
}

/// A profile's credentials: the base, then each role assumed in turn with the previous
/// credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileChain {
    /// The first credentials.
    pub base: Base,
    /// The roles, in the order they are assumed.
    pub roles: Vec<RoleLink>,
}

fn invalid(message: String) -> CredentialsError {
    CredentialsError::Invalid(message)
}

fn value(profile: &Properties, key: &str) -> Option<String> {
    property(profile, key).map(|property| property.value.clone())
}

/// Static keys, checked: both or neither.
fn has_static_keys(name: &str, profile: &Properties) -> Result<bool, CredentialsError> {
    match (
        property(profile, "aws_access_key_id"),
        property(profile, "aws_secret_access_key"),
    ) {
        (Some(_), Some(_)) => Ok(true),
        (None, None) => Ok(false),
        (Some(_), None) => Err(invalid(format!(
            "profile `{name}` is missing aws_secret_access_key (it sets aws_access_key_id)"
        ))),
        (None, Some(_)) => Err(invalid(format!(
            "profile `{name}` is missing aws_access_key_id (it sets aws_secret_access_key)"
        ))),
    }
}

fn role_link(
    name: &str,
    profile: &Properties,
    role_arn: String,
) -> Result<RoleLink, CredentialsError> {
    let duration_seconds = match property(profile, "duration_seconds") {
        Some(raw) => Some(raw.value.trim().parse::<i32>().map_err(|_| {
            invalid(format!(
                "{}:{}: profile `{name}`: duration_seconds `{}` is not a number of seconds",
                raw.file, raw.line, raw.value
            ))
        })?),
        None => None,
    };
    Ok(RoleLink {
        profile: name.to_owned(),
        role_arn,
        session_name: value(profile, "role_session_name"),
        external_id: value(profile, "external_id"),
        duration_seconds,
        mfa_serial: value(profile, "mfa_serial"),
    })
}

fn credential_source(name: &str, raw: &str) -> Result<CredentialSource, CredentialsError> {
    match raw {
        "Environment" => Ok(CredentialSource::Environment),
        "Ec2InstanceMetadata" => Ok(CredentialSource::Ec2InstanceMetadata),
        "EcsContainer" => Ok(CredentialSource::EcsContainer),
        other => Err(invalid(format!(
            "profile `{name}`: credential_source `{other}` is not one of Environment, \
             Ec2InstanceMetadata, EcsContainer"
        ))),
    }
}

/// The base of a profile without `role_arn`: it must hold credentials of its own (IAM
/// Identity Center settings are checked here, before anything is called).
fn own_source(
    set: &ProfileSet,
    name: &str,
    profile: &Properties,
) -> Result<Base, CredentialsError> {
    if property(profile, "web_identity_token_file").is_some() {
        return Err(invalid(format!(
            "profile `{name}`: `web_identity_token_file` was specified but `role_arn` was missing"
        )));
    }
    if uses_identity_center(profile) {
        TokenSettings::read(set, name)?;
        if property(profile, "sso_account_id").is_some()
            || property(profile, "sso_role_name").is_some()
        {
            RoleSettings::read(set, name)?;
        }
    }
    let has_source = has_static_keys(name, profile)?
        || uses_identity_center(profile)
        || property(profile, "login_session").is_some()
        || property(profile, "credential_process").is_some();
    if !has_source {
        return Err(invalid(format!(
            "profile `{name}` did not contain credential information (keys, sso_session, \
             login_session, credential_process or role_arn)"
        )));
    }
    Ok(Base::Profile(name.to_owned()))
}

/// Where a profile that assumes a role gets the credentials it assumes the role with.
enum Source {
    /// The profile of this name (`source_profile`), whose chain goes on.
    Profile(String),
    /// The chain ends here: the profile's own keys or a `credential_source`.
    Base(Base),
}

/// The `source_profile` or `credential_source` (one of the two) of the profile `name`, which
/// sets `role_arn`.
fn role_source(name: &str, profile: &Properties) -> Result<Source, CredentialsError> {
    match (
        value(profile, "source_profile"),
        value(profile, "credential_source"),
    ) {
        (Some(_), Some(_)) => Err(invalid(format!(
            "profile `{name}` contained both source_profile and credential_source; keep one"
        ))),
        (None, None) => Err(invalid(format!(
            "profile `{name}` sets role_arn, so the profile must contain `source_profile` \
             or `credential_source`"
        ))),
        (Some(source), None) if source == name => {
            if !has_static_keys(name, profile)? {
                return Err(invalid(format!(
                    "profile `{name}` is its own source_profile, so it needs static keys"
                )));
            }
            Ok(Source::Base(Base::StaticKeys(source)))
        }
        (Some(source), None) => Ok(Source::Profile(source)),
        (None, Some(source)) => Ok(Source::Base(Base::Source(credential_source(
            name, &source,
        )?))),
    }
}

/// Resolves the chain of the profile `selected`. Loops (`A -> B -> A`) are errors that name
/// the profiles; a source profile with static keys ends the chain (its own role is not
/// assumed), as the AWS CLI does.
pub fn resolve(set: &ProfileSet, selected: &str) -> Result<ProfileChain, CredentialsError> {
    if set.profiles.is_empty() {
        return Err(invalid(format!(
            "No profiles were defined (looking for profile `{selected}`)"
        )));
    }
    let mut visited: Vec<String> = Vec::new();
    let mut roles = Vec::new();
    let mut name = selected.to_owned();
    let base = loop {
        let Some(profile) = set.profiles.get(&name) else {
            return Err(invalid(match visited.last() {
                Some(from) => {
                    format!("could not find source profile {name} referenced from {from}")
                }
                None => format!("profile `{name}` is not defined"),
            }));
        };
        if visited.contains(&name) {
            visited.push(name);
            return Err(invalid(format!(
                "profile formed an infinite loop: {}",
                visited.join(" -> ")
            )));
        }
        visited.push(name.clone());
        if !roles.is_empty() && has_static_keys(&name, profile)? {
            break Base::Profile(name);
        }
        let Some(role_arn) = value(profile, "role_arn") else {
            break own_source(set, &name, profile)?;
        };
        if let Some(token_file) = value(profile, "web_identity_token_file") {
            break Base::WebIdentity(WebIdentityLink {
                role_arn,
                token_file,
                session_name: value(profile, "role_session_name"),
            });
        }
        roles.push(role_link(&name, profile, role_arn)?);
        match role_source(&name, profile)? {
            Source::Profile(source) => name = source,
            Source::Base(base) => break base,
        }
    };
    roles.reverse();
    Ok(ProfileChain { base, roles })
}
