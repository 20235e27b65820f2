//! The shared files' profile with every source this crate knows: IAM Identity Center here,
//! static keys and `credential_process` through the runtime's provider.

use std::sync::Arc;

use ivschat_runtime::credentials::{
    load_profile_set, BoxFuture, Credentials, CredentialsError, ProvideCredentials,
};
use ivschat_runtime::env::Env;
use ivschat_runtime::profile::{Platform, ProfileFiles};
use ivschat_runtime::transport::HttpClient;

use crate::identity_center::{self, property, uses_identity_center, RoleSettings};

/// Credentials of a profile: IAM Identity Center (`sso_session` or `sso_start_url`), else
/// what [`ivschat_runtime::credentials::ProfileProvider`] reads (keys, `credential_process`).
#[derive(Clone, Debug)]
pub struct ProfileProvider {
    env: Env,
    profile: Option<String>,
    http: Arc<dyn HttpClient>,
    basic: ivschat_runtime::credentials::ProfileProvider,
}

impl ProfileProvider {
    /// The profile named by `AWS_PROFILE` (else `default`), or `profile` when given; services
    /// are called through `http`.
    pub fn new(env: Env, profile: Option<String>, http: Arc<dyn HttpClient>) -> Self {
        Self {
            basic: ivschat_runtime::credentials::ProfileProvider::new(env.clone(), profile.clone()),
            env,
            profile,
            http,
        }
    }

    async fn load(&self) -> Result<Option<Credentials>, CredentialsError> {
        let files = ProfileFiles::locate(&self.env, Platform::current());
        let set = load_profile_set(&files)?;
        let name = self.profile.clone().unwrap_or(files.profile.clone());
        let identity_center = set.profiles.get(&name).is_some_and(|profile| {
            uses_identity_center(profile) && property(profile, "role_arn").is_none()
        });
        if !identity_center {
            return self.basic.load_from(&files, &set).await;
        }
        match RoleSettings::read(&set, &name)? {
            Some(role) => identity_center::role_credentials(&role, &self.env, &self.http)
                .await
                .map(Some),
            None => Ok(None),
        }
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        Box::pin(self.load())
    }
}
