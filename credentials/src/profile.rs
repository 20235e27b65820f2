//! The shared files' profile with every source this crate knows: role chains (assume role and
//! web identity, over STS) and IAM Identity Center here; static keys and `credential_process`
//! through the runtime's provider.

use std::sync::Arc;

use ivschat_runtime::credentials::{
    load_profile_set, BoxFuture, ContainerProvider, Credentials, CredentialsError,
    EnvironmentProvider, ImdsProvider, ImdsSettings, ProvideCredentials,
};
use ivschat_runtime::env::Env;
use ivschat_runtime::profile::{Platform, ProfileFiles, ProfileSet};
use ivschat_runtime::transport::HttpClient;

use crate::assume::{self, MfaTokenCode, StsContext};
use crate::identity_center::{self, property, uses_identity_center, RoleSettings};
use crate::role_chain::{self, Base, CredentialSource};

/// Credentials of a profile: a role chain (`role_arn` with `source_profile`,
/// `credential_source` or `web_identity_token_file`), IAM Identity Center (`sso_session` or
/// `sso_start_url`), else what [`ivschat_runtime::credentials::ProfileProvider`] reads (keys,
/// `credential_process`).
#[derive(Clone)]
pub struct ProfileProvider {
    env: Env,
    profile: Option<String>,
    http: Arc<dyn HttpClient>,
    mfa: Option<MfaTokenCode>,
}

impl std::fmt::Debug for ProfileProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfileProvider")
            .field("profile", &self.profile)
            .field("mfa", &self.mfa.is_some())
            .finish_non_exhaustive()
    }
}

impl ProfileProvider {
    /// The profile named by `AWS_PROFILE` (else `default`), or `profile` when given; services
    /// are called through `http`.
    pub fn new(env: Env, profile: Option<String>, http: Arc<dyn HttpClient>) -> Self {
        Self {
            env,
            profile,
            http,
            mfa: None,
        }
    }

    /// Asks `code` for the current code of the MFA device a role's `mfa_serial` names (the
    /// serial number is its argument), e.g. by prompting the user.
    pub fn with_mfa_token_code(mut self, code: MfaTokenCode) -> Self {
        self.mfa = Some(code);
        self
    }

    /// The runtime's provider (static keys, `credential_process`) for profile `name`.
    fn basic(&self, name: Option<String>) -> ivschat_runtime::credentials::ProfileProvider {
        ivschat_runtime::credentials::ProfileProvider::new(self.env.clone(), name)
    }

    async fn load(&self) -> Result<Option<Credentials>, CredentialsError> {
        let files = ProfileFiles::locate(&self.env, Platform::current());
        let set = load_profile_set(&files)?;
        let name = self.profile.clone().unwrap_or(files.profile.clone());
        let Some(profile) = set.profiles.get(&name) else {
            return self
                .basic(self.profile.clone())
                .load_from(&files, &set)
                .await;
        };
        if property(profile, "role_arn").is_some()
            || property(profile, "web_identity_token_file").is_some()
        {
            return self.chain(&files, &set, &name).await.map(Some);
        }
        if property(profile, "login_session").is_some() {
            return self.console_login(&set, &name).await.map(Some);
        }
        if uses_identity_center(profile) {
            return self.identity_center(&set, &name).await;
        }
        self.basic(self.profile.clone())
            .load_from(&files, &set)
            .await
    }

    /// The credentials of a `login_session` profile (`aws login`).
    #[cfg(feature = "console-login")]
    async fn console_login(
        &self,
        set: &ProfileSet,
        name: &str,
    ) -> Result<Credentials, CredentialsError> {
        let profile = &set.profiles[name];
        let value = |key: &str| property(profile, key).map(|property| property.value.clone());
        let settings = crate::console_login::LoginSettings {
            profile: name.to_owned(),
            session: value("login_session").unwrap_or_default(),
            region: value("region"),
        };
        crate::console_login::login_credentials(&settings, &self.env, &self.http).await
    }

    /// Without the `console-login` feature, a `login_session` profile is an error that says so.
    #[cfg(not(feature = "console-login"))]
    async fn console_login(
        &self,
        set: &ProfileSet,
        name: &str,
    ) -> Result<Credentials, CredentialsError> {
        let at = property(&set.profiles[name], "login_session")
            .map(|property| format!("{}:{}: ", property.file, property.line))
            .unwrap_or_default();
        Err(CredentialsError::Invalid(format!(
            "{at}profile `{name}` uses `login_session` (console login, `aws login`), which needs \
             ivschat-credentials built with its `console-login` feature"
        )))
    }

    async fn identity_center(
        &self,
        set: &ProfileSet,
        name: &str,
    ) -> Result<Option<Credentials>, CredentialsError> {
        match RoleSettings::read(set, name)? {
            Some(role) => identity_center::role_credentials(&role, &self.env, &self.http)
                .await
                .map(Some),
            None => Ok(None),
        }
    }

    /// The credentials at the end of `name`'s role chain.
    async fn chain(
        &self,
        files: &ProfileFiles,
        set: &ProfileSet,
        name: &str,
    ) -> Result<Credentials, CredentialsError> {
        let chain = role_chain::resolve(set, name)?;
        let context = StsContext {
            env: &self.env,
            profile: Some(name),
            http: &self.http,
        };
        let mut credentials = match &chain.base {
            Base::StaticKeys(source) | Base::Profile(source) => {
                self.source_profile(files, set, source).await?
            }
            Base::Source(source) => self.credential_source(*source, name).await?,
            Base::WebIdentity(link) => {
                assume::assume_role_with_web_identity(&context, link).await?
            }
        };
        for role in &chain.roles {
            credentials =
                assume::assume_role(&context, credentials, role, self.mfa.as_ref()).await?;
        }
        Ok(credentials)
    }

    /// The own credentials of a source profile: IAM Identity Center, else keys or a process.
    async fn source_profile(
        &self,
        files: &ProfileFiles,
        set: &ProfileSet,
        name: &str,
    ) -> Result<Credentials, CredentialsError> {
        let profile = &set.profiles[name];
        let own_keys = property(profile, "aws_access_key_id").is_some();
        let found = if property(profile, "login_session").is_some() && !own_keys {
            Some(self.console_login(set, name).await?)
        } else if uses_identity_center(profile) && !own_keys {
            self.identity_center(set, name).await?
        } else {
            self.basic(Some(name.to_owned()))
                .load_from(files, set)
                .await?
        };
        found.ok_or_else(|| {
            CredentialsError::Invalid(format!("source profile `{name}` gave no credentials"))
        })
    }

    /// The credentials a `credential_source` names, which must be configured.
    async fn credential_source(
        &self,
        source: CredentialSource,
        profile: &str,
    ) -> Result<Credentials, CredentialsError> {
        let (found, what) = match source {
            CredentialSource::Environment => (
                EnvironmentProvider::new(self.env.clone()).load()?,
                "Environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set)".to_owned(),
            ),
            CredentialSource::Ec2InstanceMetadata => {
                let imds =
                    ImdsProvider::new(self.env.clone(), self.http.clone(), ImdsSettings::default());
                match imds.explain().await? {
                    Ok(found) => (Some(found), String::new()),
                    Err(absence) => (None, format!("Ec2InstanceMetadata: {absence}")),
                }
            }
            CredentialSource::EcsContainer => (
                ContainerProvider::new(self.env.clone(), self.http.clone())
                    .load()
                    .await?,
                "EcsContainer (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are not set)"
                    .to_owned(),
            ),
        };
        found.ok_or_else(|| {
            CredentialsError::Invalid(format!(
                "profile `{profile}`: the credential provider was not enabled: credential_source {what}"
            ))
        })
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        Box::pin(self.load())
    }
}
