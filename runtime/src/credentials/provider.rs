//! Credential sources: static, environment, shared files (keys or `credential_process`), and the
//! default chain over them.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use super::process::{run_credential_process, DEFAULT_PROCESS_TIMEOUT};
use super::{ContainerProvider, Credentials, CredentialsError, ImdsProvider, ImdsSettings};
use crate::env::Env;
use crate::profile::{Platform, ProfileFiles, ProfileSet};
use crate::transport::HttpClient;

/// A boxed future, as credential providers return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A source of credentials. `Ok(None)` means "nothing here", so a chain moves on.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Loads credentials.
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>>;
}

/// A shareable credentials provider.
pub type SharedCredentialsProvider = Arc<dyn ProvideCredentials>;

/// Makes the provider a configuration uses when no credentials are set in code, from the
/// environment, the profile chosen in code (if any) and the HTTP client.
pub type CredentialsChain =
    fn(&Env, Option<&str>, Arc<dyn HttpClient>) -> SharedCredentialsProvider;

/// The runtime's own chain: the profile chosen in code alone, else [`DefaultChain`].
pub fn runtime_chain(
    env: &Env,
    profile: Option<&str>,
    http: Arc<dyn HttpClient>,
) -> SharedCredentialsProvider {
    match profile {
        Some(profile) => Arc::new(ProfileProvider::new(env.clone(), Some(profile.to_owned()))),
        None => Arc::new(DefaultChain::new(env.clone(), http)),
    }
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        Box::pin(std::future::ready(Ok(Some(self.clone()))))
    }
}

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optionally `AWS_SESSION_TOKEN`.
#[derive(Clone, Debug, Default)]
pub struct EnvironmentProvider {
    env: Env,
}

impl EnvironmentProvider {
    /// Reads the given environment.
    pub fn new(env: Env) -> Self {
        Self { env }
    }

    /// The credentials the environment sets, if any.
    pub fn load(&self) -> Result<Option<Credentials>, CredentialsError> {
        match (
            self.env.get("AWS_ACCESS_KEY_ID"),
            self.env.get("AWS_SECRET_ACCESS_KEY"),
        ) {
            (Some(key), Some(secret)) => Ok(Some(
                Credentials::new(key, secret, self.env.get("AWS_SESSION_TOKEN"), None)
                    .with_account_id(self.env.get("AWS_ACCOUNT_ID")),
            )),
            (None, None) => Ok(None),
            (Some(_), None) => Err(CredentialsError::Invalid(
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not".to_owned(),
            )),
            (None, Some(_)) => Err(CredentialsError::Invalid(
                "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not".to_owned(),
            )),
        }
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        Box::pin(std::future::ready(self.load()))
    }
}

/// Credentials of a profile in the shared files: static keys or a `credential_process`.
#[derive(Clone, Debug)]
pub struct ProfileProvider {
    env: Env,
    profile: Option<String>,
    process_timeout: Duration,
}

impl ProfileProvider {
    /// The profile named by `AWS_PROFILE` (else `default`), or `profile` when given.
    pub fn new(env: Env, profile: Option<String>) -> Self {
        Self {
            env,
            profile,
            process_timeout: DEFAULT_PROCESS_TIMEOUT,
        }
    }

    /// How long a `credential_process` may run before it is killed (60 s unless changed).
    pub fn process_timeout(mut self, timeout: Duration) -> Self {
        self.process_timeout = timeout;
        self
    }

    async fn load(&self) -> Result<Option<Credentials>, CredentialsError> {
        let files = ProfileFiles::locate(&self.env, Platform::current());
        let set = load_profile_set(&files)?;
        self.load_from(&files, &set).await
    }

    /// The credentials of the profile in shared files already read (`set`, from `files`).
    pub async fn load_from(
        &self,
        files: &ProfileFiles,
        set: &ProfileSet,
    ) -> Result<Option<Credentials>, CredentialsError> {
        let explicit = self.profile.is_some() || self.env.get("AWS_PROFILE").is_some();
        let name = self.profile.clone().unwrap_or(files.profile.clone());
        let Some(profile) = set.profiles.get(&name) else {
            return if explicit {
                Err(CredentialsError::Invalid(format!(
                    "profile `{name}` is in neither {} nor {}",
                    files.config, files.credentials
                )))
            } else {
                Ok(None)
            };
        };
        let key = profile.get("aws_access_key_id");
        let secret = profile.get("aws_secret_access_key");
        let account_id = profile
            .get("aws_account_id")
            .map(|account| account.value.clone());
        match (key, secret) {
            (Some(key), Some(secret)) => Ok(Some(
                Credentials::new(
                    key.value.clone(),
                    secret.value.clone(),
                    profile.get("aws_session_token").map(|token| token.value.clone()),
                    None,
                )
                .with_account_id(account_id),
            )),
            (Some(half), None) | (None, Some(half)) => Err(CredentialsError::Invalid(format!(
                "{}:{}: profile `{name}` sets only one of aws_access_key_id and aws_secret_access_key",
                half.file, half.line
            ))),
            (None, None) if unsupported(profile).is_some() => Err(unsupported_error(&name, profile)),
            (None, None) => match profile.get("credential_process") {
                Some(process) => {
                    let found =
                        run_credential_process(&name, &process.value, self.process_timeout)
                            .await?;
                    // The process's own account wins; the profile's is the fallback.
                    let account_id = found.account_id().map(str::to_owned).or(account_id);
                    Ok(Some(found.with_account_id(account_id)))
                }
                None if explicit => Err(CredentialsError::Invalid(format!(
                    "profile `{name}` has no credentials: set aws_access_key_id and aws_secret_access_key, \
                     or credential_process"
                ))),
                None => Ok(None),
            },
        }
    }
}

/// The error for a profile whose credentials come from a source not supported yet.
fn unsupported_error(name: &str, profile: &crate::profile::Properties) -> CredentialsError {
    let (key, what) = unsupported(profile).unwrap_or(("?", "?"));
    let (file, line) = profile.get(key).map_or((String::new(), 0), |property| {
        (property.file.clone(), property.line)
    });
    CredentialsError::Invalid(format!(
        "{file}:{line}: profile `{name}` uses `{key}` ({what}), which needs a client the runtime \
         alone does not have (ivschat-credentials, which generated clients use, has IAM Identity \
         Center, assume role and web identity, and console login with its `console-login` \
         feature); use that crate's chain, give the profile static keys or credential_process, \
         or pass credentials in code"
    ))
}

/// The first profile key of a credential source not supported yet, with what it is.
fn unsupported(profile: &crate::profile::Properties) -> Option<(&'static str, &'static str)> {
    [
        ("role_arn", "assume role"),
        ("sso_session", "IAM Identity Center"),
        ("sso_start_url", "IAM Identity Center"),
        ("web_identity_token_file", "web identity"),
        ("login_session", "console login"),
    ]
    .into_iter()
    .find(|(key, _)| profile.contains_key(*key))
}

/// The largest shared config or credentials file read (real ones are a few kilobytes).
const PROFILE_FILE_LIMIT: u64 = 4 * 1024 * 1024;

/// A shared file's text; a missing file is `None`, an oversized or unreadable one an error
/// naming it.
fn read_profile_file(path: &std::path::Path) -> Result<Option<String>, CredentialsError> {
    let invalid = |what: String| CredentialsError::Invalid(format!("{}: {what}", path.display()));
    match crate::file::read_text_limited(path, PROFILE_FILE_LIMIT) {
        Ok(text) => Ok(Some(text)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) if error.kind() == std::io::ErrorKind::InvalidData => {
            Err(invalid(format!("{error}; is it really a shared AWS file?")))
        }
        Err(error) => Err(invalid(format!("cannot read: {error}"))),
    }
}

/// Reads and merges the shared files; a missing file is an empty one.
pub fn load_profile_set(files: &ProfileFiles) -> Result<ProfileSet, CredentialsError> {
    let config = read_profile_file(&files.config_path())?;
    let credentials = read_profile_file(&files.credentials_path())?;
    ProfileSet::from_texts(
        config.as_deref().map(|text| (files.config.as_str(), text)),
        credentials
            .as_deref()
            .map(|text| (files.credentials.as_str(), text)),
    )
    .map_err(|error| CredentialsError::Invalid(error.to_string()))
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        Box::pin(self.load())
    }
}

/// The default chain, as the AWS SDKs order it: environment variables, the shared files'
/// profile, web identity, the container endpoint (ECS, EKS Pod Identity), then EC2 instance
/// metadata. A source that is not configured passes to the next; any other error stops the
/// chain, naming the source.
#[derive(Debug)]
pub struct DefaultChain {
    env: Env,
    environment: EnvironmentProvider,
    profile: SharedCredentialsProvider,
    web_identity: Option<SharedCredentialsProvider>,
    container: ContainerProvider,
    imds: ImdsProvider,
}

impl DefaultChain {
    /// The chain over the given environment; the container and IMDS providers send through
    /// `http`.
    pub fn new(env: Env, http: Arc<dyn HttpClient>) -> Self {
        Self {
            environment: EnvironmentProvider::new(env.clone()),
            profile: Arc::new(ProfileProvider::new(env.clone(), None)),
            web_identity: None,
            container: ContainerProvider::new(env.clone(), http.clone()),
            imds: ImdsProvider::new(env.clone(), http, ImdsSettings::default()),
            env,
        }
    }

    /// The chain with `profile` as its shared-files step (a provider that knows more sources
    /// than [`ProfileProvider`], such as `ivschat-credentials`' IAM Identity Center).
    pub fn with_profile(mut self, profile: SharedCredentialsProvider) -> Self {
        self.profile = profile;
        self
    }

    /// The chain with `provider` as its web identity step (it needs STS, which
    /// `ivschat-credentials` calls); a provider that is not configured answers `Ok(None)`.
    pub fn with_web_identity(mut self, provider: SharedCredentialsProvider) -> Self {
        self.web_identity = Some(provider);
        self
    }

    /// The web identity step: the provider given, else, when the environment configures web
    /// identity, an error that says the runtime alone cannot call STS.
    async fn web_identity(&self) -> Result<Option<Credentials>, CredentialsError> {
        if let Some(provider) = &self.web_identity {
            return provider.provide_credentials().await;
        }
        match self.env.get("AWS_WEB_IDENTITY_TOKEN_FILE") {
            Some(_) => Err(CredentialsError::Invalid(
                "AWS_WEB_IDENTITY_TOKEN_FILE is set: web identity (IRSA) needs STS, which the \
                 runtime alone cannot call (ivschat-credentials can); pass credentials in code or \
                 use the container or IMDS providers"
                    .to_owned(),
            )),
            None => Ok(None),
        }
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        Box::pin(async move {
            if let Some(found) = self.environment.load()? {
                return Ok(Some(found));
            }
            if let Some(found) = self.profile.provide_credentials().await? {
                return Ok(Some(found));
            }
            if let Some(found) = self.web_identity().await? {
                return Ok(Some(found));
            }
            if let Some(found) = self.container.load().await? {
                return Ok(Some(found));
            }
            let imds_absence = match self.imds.explain().await? {
                Ok(found) => return Ok(Some(found)),
                Err(absence) => absence,
            };
            Err(CredentialsError::NotFound(vec![
                "environment variables (AWS_ACCESS_KEY_ID is not set)".to_owned(),
                "shared config and credentials files (the profile has no credentials)".to_owned(),
                "container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are \
                 not set)"
                    .to_owned(),
                format!("EC2 instance metadata: {imds_absence}"),
            ]))
        })
    }
}
