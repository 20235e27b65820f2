//! IAM Identity Center (SSO): credentials for a profile's account and role, from the token
//! `aws sso login` cached, through SSO `GetRoleCredentials`.

mod cache_file;
mod settings;
mod token;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use ivschat_runtime::config::{Config, ConfigBuilder};
use ivschat_runtime::credentials::{Credentials, CredentialsError};
use ivschat_runtime::env::Env;
use ivschat_runtime::transport::HttpClient;

pub(crate) use settings::{property, uses_identity_center};
pub use settings::{RoleSettings, TokenSettings};
pub use token::{SsoToken, SsoTokenProvider, TOKEN_REFRESH_WINDOW};

use crate::sso;

/// The configuration of the SSO and SSO-OIDC clients: the instance's region, no signing (both
/// operations take the token instead), the shared HTTP client; endpoint settings (FIPS,
/// dual-stack, `AWS_ENDPOINT_URL_SSO`, `[services]`) come from the environment and the profile.
fn service_config(settings: &TokenSettings, http: &Arc<dyn HttpClient>) -> ConfigBuilder {
    Config::builder()
        .region(settings.region.clone())
        .profile(settings.profile.clone())
        .anonymous()
        .http_client(http.clone())
}

/// Credentials for the role `role` names, through `GetRoleCredentials`.
pub(crate) async fn role_credentials(
    role: &RoleSettings,
    env: &Env,
    http: &Arc<dyn HttpClient>,
) -> Result<Credentials, CredentialsError> {
    let token = token::token_for(&role.token, env, http).await?;
    let failed = |message: String| CredentialsError::Service {
        source: token::source(&role.token),
        message,
    };
    let client = sso::Client::from_builder_with(service_config(&role.token, http), env)
        .map_err(|error| failed(error.to_string()))?;
    let output = client
        .get_role_credentials()
        .account_id(role.account_id.clone())
        .role_name(role.role_name.clone())
        .access_token(token.token())
        .send()
        .await
        .map_err(|error| {
            failed(format!(
                "GetRoleCredentials for role `{}` in account {} failed: {error}; if the sign-in \
                 ended, {}",
                role.role_name,
                role.account_id,
                role.token.login_hint()
            ))
        })?;
    let returned = output.role_credentials();
    let field = |value: Option<&str>, name: &str| {
        value
            .filter(|value| !value.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| failed(format!("GetRoleCredentials returned no {name}")))
    };
    let key = field(returned.and_then(|c| c.access_key_id()), "accessKeyId")?;
    let secret = field(
        returned.and_then(|c| c.secret_access_key()),
        "secretAccessKey",
    )?;
    let session = field(returned.and_then(|c| c.session_token()), "sessionToken")?;
    let expiration = returned
        .and_then(|c| u64::try_from(c.expiration()).ok())
        .filter(|millis| *millis > 0)
        .ok_or_else(|| failed("GetRoleCredentials returned no expiration".to_owned()))?;
    Ok(Credentials::new(
        key,
        secret,
        Some(session),
        Some(SystemTime::UNIX_EPOCH + Duration::from_millis(expiration)),
    )
    .with_account_id(Some(role.account_id.clone())))
}
