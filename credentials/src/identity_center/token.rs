//! IAM Identity Center access tokens: read from the AWS CLI's cache and, for `sso_session`
//! profiles, refreshed through SSO-OIDC `CreateToken` when close to expiry.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use ivschat_runtime::credentials::{load_profile_set, CredentialsError};
use ivschat_runtime::env::Env;
use ivschat_runtime::profile::{Platform, ProfileFiles};
use ivschat_runtime::transport::HttpClient;

use super::cache_file::{cache_path, CachedToken};
use super::service_config;
use super::settings::TokenSettings;
use crate::sso_oidc;

/// A token this close to expiry is refreshed first (as the AWS SDKs do).
pub const TOKEN_REFRESH_WINDOW: Duration = Duration::from_secs(5 * 60);

/// An IAM Identity Center access token. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct SsoToken {
    token: String,
    expires_at: SystemTime,
}

impl SsoToken {
    /// The bearer token.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// When it stops working.
    pub fn expires_at(&self) -> SystemTime {
        self.expires_at
    }
}

impl fmt::Debug for SsoToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SsoToken")
            .field("token", &"** redacted **")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// The token of a profile's IAM Identity Center sign-in (`aws sso login`), refreshed when it
/// can be: for services that take a bearer token, and for the credentials provider.
#[derive(Clone, Debug)]
pub struct SsoTokenProvider {
    env: Env,
    profile: Option<String>,
    http: Arc<dyn HttpClient>,
}

impl SsoTokenProvider {
    /// The profile named by `AWS_PROFILE` (else `default`), or `profile` when given; refreshes
    /// are sent through `http`.
    pub fn new(env: Env, profile: Option<String>, http: Arc<dyn HttpClient>) -> Self {
        Self { env, profile, http }
    }

    /// The profile's token.
    pub async fn token(&self) -> Result<SsoToken, CredentialsError> {
        let files = ProfileFiles::locate(&self.env, Platform::current());
        let set = load_profile_set(&files)?;
        let name = self.profile.clone().unwrap_or(files.profile);
        let settings = TokenSettings::read(&set, &name)?.ok_or_else(|| {
            CredentialsError::Invalid(format!(
                "profile `{name}` does not use IAM Identity Center: it sets neither sso_session \
                 nor sso_start_url"
            ))
        })?;
        token_for(&settings, &self.env, &self.http).await
    }
}

/// The token of `settings`: the cached one, refreshed first when it is close to expiry and
/// can be; a failed refresh is only an error once the cached token has expired.
pub(crate) async fn token_for(
    settings: &TokenSettings,
    env: &Env,
    http: &Arc<dyn HttpClient>,
) -> Result<SsoToken, CredentialsError> {
    let path = cache_path(env, settings)?;
    let mut cached = CachedToken::read(&path, settings)?;
    let now = env.now();
    let due = cached.expires_at <= now + TOKEN_REFRESH_WINDOW;
    if due && settings.session.is_some() && cached.can_refresh_at(now) {
        match refresh(&cached, settings, env, http).await {
            Ok(fresh) => {
                if let Err(error) = fresh.write(&path) {
                    tracing::warn!(path = %path.display(), %error, "the refreshed IAM Identity Center token could not be cached");
                }
                cached = fresh;
            }
            Err(error) if cached.expires_at > now => {
                tracing::warn!(profile = %settings.profile, %error, "IAM Identity Center token refresh failed; the cached token is still valid");
            }
            Err(error) => {
                return Err(CredentialsError::Service {
                    source: source(settings),
                    message: format!(
                        "the token expired and its refresh failed ({error}); {}",
                        settings.login_hint()
                    ),
                })
            }
        }
    }
    if cached.expires_at <= now {
        return Err(CredentialsError::Invalid(format!(
            "the IAM Identity Center token of profile `{}` has expired; {}",
            settings.profile,
            settings.login_hint()
        )));
    }
    Ok(SsoToken {
        token: cached.access_token,
        expires_at: cached.expires_at,
    })
}

/// Where errors about `settings` come from, as messages name it.
pub(crate) fn source(settings: &TokenSettings) -> String {
    format!("IAM Identity Center (profile `{}`)", settings.profile)
}

/// Refreshes the token through SSO-OIDC `CreateToken` with the refresh-token grant.
async fn refresh(
    cached: &CachedToken,
    settings: &TokenSettings,
    env: &Env,
    http: &Arc<dyn HttpClient>,
) -> Result<CachedToken, String> {
    let client = sso_oidc::Client::from_builder_with(service_config(settings, http), env)
        .map_err(|error| error.to_string())?;
    let requested_at = env.now();
    let output = client
        .create_token()
        .client_id(cached.client_id.clone().unwrap_or_default())
        .client_secret(cached.client_secret.clone().unwrap_or_default())
        .grant_type("refresh_token")
        .refresh_token(cached.refresh_token.clone().unwrap_or_default())
        .send()
        .await
        .map_err(|error| format!("CreateToken failed: {error}"))?;
    let access_token = output
        .access_token()
        .filter(|token| !token.is_empty())
        .ok_or("CreateToken returned no accessToken")?;
    let lifetime = u64::try_from(output.expires_in())
        .ok()
        .filter(|seconds| *seconds > 0)
        .ok_or("CreateToken returned no positive expiresIn")?;
    Ok(cached.clone().refreshed(
        access_token.to_owned(),
        requested_at + Duration::from_secs(lifetime),
        output.refresh_token().map(str::to_owned),
    ))
}
