//! Console login (`aws login`): a profile's `login_session` names the cache file
//! `~/.aws/login/cache/<sha256 of the session>.json`, which holds short-lived credentials, a
//! refresh token and the DPoP key that token is bound to. Credentials that expire within
//! 5 minutes are refreshed through AWS Sign-In `CreateOAuth2Token` (with a DPoP proof) and
//! written back atomically, readable by their owner only. Built with the `console-login`
//! feature.

mod dpop;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use ivschat_runtime::config::Config;
use ivschat_runtime::credentials::{Credentials, CredentialsError};
use ivschat_runtime::env::Env;
use ivschat_runtime::file::{read_text_limited, write_atomically, Readers};
use ivschat_runtime::profile::{home_folder, Platform};
use ivschat_runtime::transport::HttpClient;
use ivschat_runtime::{DateTime, DateTimeFormat};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

pub use dpop::{DpopKey, DpopTransport};

use crate::signin;

/// The largest cache file read (the CLI's are a few kilobytes).
const CACHE_FILE_LIMIT: u64 = 1024 * 1024;

/// Credentials that expire sooner than this are refreshed first.
pub const LOGIN_REFRESH_WINDOW: Duration = Duration::from_secs(5 * 60);

/// What a `login_session` profile says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LoginSettings {
    /// The profile.
    pub profile: String,
    /// `login_session`: the signed-in role session's ARN.
    pub session: String,
    /// The profile's region (Sign-In's endpoint), if it has one.
    pub region: Option<String>,
}

impl LoginSettings {
    fn hint(&self) -> String {
        format!("run `aws login --profile {}`", self.profile)
    }

    fn invalid(&self, what: String) -> CredentialsError {
        CredentialsError::Invalid(format!(
            "console login of profile `{}`: {what}; {}",
            self.profile,
            self.hint()
        ))
    }
}

/// The cache file of a session under the home folder.
fn cache_path(env: &Env, settings: &LoginSettings) -> Result<PathBuf, CredentialsError> {
    let home = home_folder(env, Platform::current()).ok_or_else(|| {
        settings.invalid("no home folder is set (HOME) to find the cache in".to_owned())
    })?;
    let digest = Sha256::digest(settings.session.as_bytes());
    let name: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    Ok(Path::new(&home)
        .join(".aws")
        .join("login")
        .join("cache")
        .join(format!("{name}.json")))
}

/// A text field of a JSON object.
fn text<'d>(object: &'d Map<String, Value>, field: &str) -> Option<&'d str> {
    object.get(field).and_then(Value::as_str)
}

/// The cached credentials, with their expiry.
fn cached_credentials(document: &Map<String, Value>) -> Result<(Credentials, SystemTime), String> {
    let token = document
        .get("accessToken")
        .and_then(Value::as_object)
        .ok_or("has no accessToken object")?;
    let field = |name: &str| {
        text(token, name)
            .map(str::to_owned)
            .ok_or(format!("has no accessToken.{name}"))
    };
    let expires_at = DateTime::parse(&field("expiresAt")?, DateTimeFormat::DateTime)
        .map_err(|error| format!("has an accessToken.expiresAt that is not a time: {error}"))?;
    let expires_at = SystemTime::from(expires_at);
    let credentials = Credentials::new(
        field("accessKeyId")?,
        field("secretAccessKey")?,
        Some(field("sessionToken")?),
        Some(expires_at),
    )
    .with_account_id(text(token, "accountId").map(str::to_owned));
    Ok((credentials, expires_at))
}

/// The credentials of a `login_session` profile: from the cache while fresh, else refreshed.
pub(crate) async fn login_credentials(
    settings: &LoginSettings,
    env: &Env,
    http: &Arc<dyn HttpClient>,
) -> Result<Credentials, CredentialsError> {
    let path = cache_path(env, settings)?;
    let text = read_text_limited(&path, CACHE_FILE_LIMIT)
        .map_err(|error| settings.invalid(format!("cannot read `{}`: {error}", path.display())))?;
    let mut document = match serde_json::from_str(&text) {
        Ok(Value::Object(document)) => document,
        _ => return Err(settings.invalid(format!("`{}` is not a JSON object", path.display()))),
    };
    let (credentials, expires_at) = cached_credentials(&document)
        .map_err(|what| settings.invalid(format!("`{}` {what}", path.display())))?;
    let now = env.now();
    if expires_at > now + LOGIN_REFRESH_WINDOW {
        return Ok(credentials);
    }
    let refreshed = refresh(settings, &document, env, http).await?;
    let account_id = credentials.account_id().map(str::to_owned);
    let expires_at = now + Duration::from_secs(u64::try_from(refreshed.expires_in()).unwrap_or(0));
    let access = refreshed.access_token();
    let mut token = Map::new();
    token.insert("accessKeyId".to_owned(), access.access_key_id().into());
    token.insert(
        "secretAccessKey".to_owned(),
        access.secret_access_key().into(),
    );
    token.insert("sessionToken".to_owned(), access.session_token().into());
    if let Some(account) = &account_id {
        token.insert("accountId".to_owned(), account.clone().into());
    }
    let expiry_text = DateTime::from(expires_at).fmt(DateTimeFormat::DateTime);
    token.insert("expiresAt".to_owned(), expiry_text.into());
    document.insert("accessToken".to_owned(), Value::Object(token));
    document.insert("refreshToken".to_owned(), refreshed.refresh_token().into());
    let written = serde_json::to_vec_pretty(&Value::Object(document))
        .map_err(|error| settings.invalid(format!("cannot write the cache: {error}")))?;
    write_atomically(&path, &written, Readers::Owner).map_err(|error| {
        settings.invalid(format!("cannot write `{}` back: {error}", path.display()))
    })?;
    Ok(Credentials::new(
        access.access_key_id(),
        access.secret_access_key(),
        Some(access.session_token().to_owned()),
        Some(expires_at),
    )
    .with_account_id(account_id))
}

/// Exchanges the cached refresh token for new credentials, with a DPoP proof of the cached key.
async fn refresh(
    settings: &LoginSettings,
    document: &Map<String, Value>,
    env: &Env,
    http: &Arc<dyn HttpClient>,
) -> Result<signin::types::CreateOAuth2TokenResponseBody, CredentialsError> {
    let required = |field: &str| {
        text(document, field).ok_or_else(|| {
            settings.invalid(format!(
                "the cached credentials expired and the cache has no {field} to refresh them"
            ))
        })
    };
    let (client_id, refresh_token, key) = (
        required("clientId")?,
        required("refreshToken")?,
        required("dpopKey")?,
    );
    let key = DpopKey::from_pem(key)
        .map_err(|what| settings.invalid(format!("the cached dpopKey {what}")))?;
    let failed = |message: String| CredentialsError::Service {
        source: format!("AWS Sign-In (profile `{}`)", settings.profile),
        message: format!("{message}; if the sign-in ended, {}", settings.hint()),
    };
    let transport = DpopTransport {
        inner: http.clone(),
        key,
        now: SystemTime::now,
    };
    let builder = Config::builder()
        .profile(settings.profile.clone())
        .region(
            settings
                .region
                .clone()
                .unwrap_or_else(|| "us-east-1".to_owned()),
        )
        .anonymous()
        .http_client(Arc::new(transport));
    let client = signin::Client::from_builder_with(builder, env)
        .map_err(|error| failed(error.to_string()))?;
    let input = signin::types::CreateOAuth2TokenRequestBody::builder()
        .client_id(client_id)
        .grant_type("refresh_token")
        .refresh_token(refresh_token)
        .build()
        .map_err(|error| failed(error.to_string()))?;
    let output = client
        .create_o_auth2_token()
        .token_input(input)
        .send()
        .await
        .map_err(|error| failed(format!("CreateOAuth2Token failed: {error}")))?;
    output
        .token_output()
        .cloned()
        .ok_or_else(|| failed("CreateOAuth2Token returned no tokens".to_owned()))
}
