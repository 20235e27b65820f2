//! EC2 instance metadata (IMDSv2 only): a session token from `PUT /latest/api/token`, kept until
//! shortly before its TTL ends, then the instance role's credentials. Short timeouts and a few
//! attempts (5xx and 401 retried, 403 not), and static stability: when a refresh fails, the
//! last credentials are extended a few minutes rather than failing every call.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http::{Method, StatusCode};

use super::provider::{load_profile_set, BoxFuture, ProvideCredentials};
use super::{Credentials, CredentialsError};
use crate::env::Env;
use crate::profile::{Platform, ProfileFiles};
use crate::transport::{send_limited, HttpClient, HttpErrorKind, HttpResponse};

/// The session token's lifetime asked for (6 hours).
const TOKEN_TTL: Duration = Duration::from_secs(21_600);
/// A token is replaced this long before its TTL ends.
const TOKEN_MARGIN: Duration = Duration::from_secs(120);
/// The path of the role list; the role's credentials are below it.
const ROLES_PATH: &str = "/latest/meta-data/iam/security-credentials/";
/// The largest answer read.
const ANSWER_LIMIT: u64 = 64 * 1024;

/// Which address family reaches IMDS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImdsMode {
    /// `http://169.254.169.254`.
    Ipv4,
    /// `http://[fd00:ec2::254]`.
    Ipv6,
}

impl ImdsMode {
    /// Reads `IPv4` or `IPv6`, in any case.
    pub fn parse(text: &str) -> Result<Self, CredentialsError> {
        match text.to_ascii_lowercase().as_str() {
            "ipv4" => Ok(Self::Ipv4),
            "ipv6" => Ok(Self::Ipv6),
            _ => Err(imds_error(format!(
                "`{text}` is not a valid endpoint mode (IPv4 or IPv6)"
            ))),
        }
    }

    fn url(self) -> &'static str {
        match self {
            Self::Ipv4 => "http://169.254.169.254",
            Self::Ipv6 => "http://[fd00:ec2::254]",
        }
    }
}

/// Settings made in code; what they leave unset comes from the environment and the profile.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImdsSettings {
    /// The endpoint (wins over every other source).
    pub endpoint: Option<String>,
    /// The address family (below any configured endpoint).
    pub mode: Option<ImdsMode>,
}

fn imds_error(message: impl Into<String>) -> CredentialsError {
    CredentialsError::Invalid(format!("instance metadata (IMDS): {}", message.into()))
}

/// Credentials of the EC2 instance's role.
pub struct ImdsProvider {
    env: Env,
    http: Arc<dyn HttpClient>,
    settings: ImdsSettings,
    token: Mutex<Option<(String, Instant)>>,
    last: Mutex<Option<Credentials>>,
}

impl std::fmt::Debug for ImdsProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ImdsProvider")
    }
}

impl ImdsProvider {
    /// A provider reading `env` (and the profile it selects), sending through `http`.
    pub fn new(env: Env, http: Arc<dyn HttpClient>, settings: ImdsSettings) -> Self {
        Self {
            env,
            http,
            settings,
            token: Mutex::new(None),
            last: Mutex::new(None),
        }
    }

    /// `AWS_EC2_METADATA_DISABLED=true` turns the provider off.
    pub fn is_disabled(&self) -> bool {
        self.env
            .get("AWS_EC2_METADATA_DISABLED")
            .is_some_and(|value| value.eq_ignore_ascii_case("true"))
    }

    /// The endpoint, from code, `AWS_EC2_METADATA_SERVICE_ENDPOINT`, the profile's
    /// `ec2_metadata_service_endpoint`, else by mode (code, `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE`,
    /// the profile's `ec2_metadata_service_endpoint_mode`, else IPv4). No trailing slash.
    pub fn endpoint(&self) -> Result<String, CredentialsError> {
        let profile = |key: &str| -> Result<Option<String>, CredentialsError> {
            let files = ProfileFiles::locate(&self.env, Platform::current());
            let set = load_profile_set(&files)?;
            let name = files.profile.clone();
            Ok(set.get(&name, key).map(|property| property.value.clone()))
        };
        let configured = match (
            &self.settings.endpoint,
            self.env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT"),
        ) {
            (Some(endpoint), _) => Some(endpoint.clone()),
            (None, Some(endpoint)) => Some(endpoint),
            (None, None) => profile("ec2_metadata_service_endpoint")?,
        };
        if let Some(endpoint) = configured {
            return check_endpoint(&endpoint);
        }
        let mode = match (
            self.settings.mode,
            self.env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"),
        ) {
            (Some(mode), _) => mode,
            (None, Some(text)) => ImdsMode::parse(&text)?,
            (None, None) => match profile("ec2_metadata_service_endpoint_mode")? {
                Some(text) => ImdsMode::parse(&text)?,
                None => ImdsMode::Ipv4,
            },
        };
        Ok(mode.url().to_owned())
    }

    /// Loads the role's credentials; `Ok(None)` when IMDS is disabled or the instance has no
    /// role ([`ImdsProvider::explain`] says which).
    pub async fn load(&self) -> Result<Option<Credentials>, CredentialsError> {
        Ok(self.explain().await?.ok())
    }

    /// Loads the role's credentials, or says why there are none: IMDS is turned off, or the
    /// instance has no role (the role list answered 404).
    pub async fn explain(&self) -> Result<Result<Credentials, String>, CredentialsError> {
        if self.is_disabled() {
            return Ok(Err("turned off by AWS_EC2_METADATA_DISABLED".to_owned()));
        }
        let base = self.endpoint()?;
        match self.fetch(&base).await {
            Ok(Some(credentials)) => {
                *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some(credentials.clone());
                Ok(Ok(stable(credentials, self.env.now())))
            }
            Ok(None) => Ok(Err(format!(
                "the instance has no IAM role ({base}{ROLES_PATH} answered HTTP 404)"
            ))),
            Err(error) => match self.last.lock().unwrap_or_else(|p| p.into_inner()).clone() {
                Some(last) => {
                    tracing::warn!(%error, "IMDS refresh failed; using the last credentials a little longer");
                    Ok(Ok(stable(last, self.env.now())))
                }
                None => Err(error),
            },
        }
    }

    /// The instance's region (`/latest/meta-data/placement/region`); `Ok(None)` when IMDS is
    /// disabled or does not know it.
    pub async fn region(&self) -> Result<Option<String>, CredentialsError> {
        if self.is_disabled() {
            return Ok(None);
        }
        let base = self.endpoint()?;
        let path = "/latest/meta-data/placement/region";
        let response = self.get(&base, path).await?;
        if response.status() == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        let region = String::from_utf8_lossy(success(&response, path)?)
            .trim()
            .to_owned();
        let plausible = !region.is_empty()
            && region.len() <= 64
            && region
                .bytes()
                .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-');
        match plausible {
            true => Ok(Some(region)),
            false => Err(imds_error(format!(
                "{path} answered something that is not a region"
            ))),
        }
    }

    async fn fetch(&self, base: &str) -> Result<Option<Credentials>, CredentialsError> {
        let roles = self.get(base, ROLES_PATH).await?;
        if roles.status() == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        let body = success(&roles, ROLES_PATH)?;
        let role = String::from_utf8_lossy(body)
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_owned();
        if role.is_empty() || role.contains(['/', '?', '#']) {
            return Err(imds_error("the role list holds no usable role name"));
        }
        let path = format!("{ROLES_PATH}{role}");
        let answer = self.get(base, &path).await?;
        let document: serde_json::Value = serde_json::from_slice(success(&answer, &path)?)
            .map_err(|_| imds_error(format!("{path} answered something that is not JSON")))?;
        match document.get("Code").and_then(|code| code.as_str()) {
            Some("Success") | None => {}
            Some(code) => return Err(imds_error(format!("{path} answered Code `{code}`"))),
        }
        super::document::parse(&document, "Token", "the answer")
            .map(Some)
            .map_err(imds_error)
    }

    /// GETs `path` with a session token; a 401 gets a fresh token once.
    async fn get(&self, base: &str, path: &str) -> Result<HttpResponse, CredentialsError> {
        for fresh_token in [false, true] {
            let token = self.session_token(base).await?;
            let make = || {
                http::Request::get(format!("{base}{path}"))
                    .header("x-aws-ec2-metadata-token", token.as_str())
                    .body(Bytes::new())
            };
            let response = self.send(&format!("{base}{path}"), make).await?;
            if response.status() != StatusCode::UNAUTHORIZED || fresh_token {
                return Ok(response);
            }
            *self.token.lock().unwrap_or_else(|p| p.into_inner()) = None;
        }
        unreachable!("the second pass returns")
    }

    /// Sends what `make` builds, up to the attempt limit: a 5xx, a failure or a timeout is
    /// tried again; any other answer is returned.
    async fn send(
        &self,
        url: &str,
        make: impl Fn() -> http::Result<http::Request<Bytes>>,
    ) -> Result<HttpResponse, CredentialsError> {
        let (timeout, attempts) = self.limits()?;
        let mut last_error = String::new();
        for _ in 0..attempts {
            let request = make().map_err(|error| imds_error(error.to_string()))?;
            let sent = send_limited(self.http.as_ref(), request, ANSWER_LIMIT);
            match tokio::time::timeout(timeout, sent).await {
                Ok(Err(error)) if error.kind() == HttpErrorKind::BodyTooLarge => {
                    return Err(imds_error(format!(
                        "{url} answered over {ANSWER_LIMIT} bytes"
                    )));
                }
                Ok(Ok(response)) if response.status().is_server_error() => {
                    last_error = format!("HTTP {}", response.status().as_u16());
                }
                Ok(Ok(response)) => return Ok(response),
                Ok(Err(error)) => last_error = error.to_string(),
                Err(_) => last_error = format!("no answer within {timeout:?}"),
            }
        }
        Err(imds_error(format!(
            "{url} failed {attempts} times, last: {last_error}"
        )))
    }

    /// The session token, fetched when there is none or it is about to end.
    async fn session_token(&self, base: &str) -> Result<String, CredentialsError> {
        if let Some((token, until)) = self.token.lock().unwrap_or_else(|p| p.into_inner()).clone() {
            if Instant::now() < until {
                return Ok(token);
            }
        }
        let url = format!("{base}/latest/api/token");
        let make = || {
            http::Request::builder()
                .method(Method::PUT)
                .uri(url.as_str())
                .header(
                    "x-aws-ec2-metadata-token-ttl-seconds",
                    TOKEN_TTL.as_secs().to_string(),
                )
                .body(Bytes::new())
        };
        let response = self.send(&url, make).await?;
        if response.status() == StatusCode::FORBIDDEN {
            return Err(imds_error(format!(
                "{base} refused a session token (HTTP 403): IMDS is disabled or its hop limit is too low"
            )));
        }
        let token = String::from_utf8(success(&response, "/latest/api/token")?.to_vec())
            .map_err(|_| imds_error("the session token is not text"))?;
        let until = Instant::now() + TOKEN_TTL - TOKEN_MARGIN;
        *self.token.lock().unwrap_or_else(|p| p.into_inner()) = Some((token.clone(), until));
        Ok(token)
    }

    /// `AWS_METADATA_SERVICE_TIMEOUT` / `metadata_service_timeout` (seconds, default 1) and
    /// `AWS_METADATA_SERVICE_NUM_ATTEMPTS` / `metadata_service_num_attempts` (default 3).
    fn limits(&self) -> Result<(Duration, u32), CredentialsError> {
        let number = |variable: &str, default: f64| match self.env.get(variable) {
            None => Ok(default),
            Some(text) => text
                .parse::<f64>()
                .ok()
                .filter(|value| value.is_finite() && *value >= 1.0 && *value <= 3600.0)
                .ok_or_else(|| {
                    imds_error(format!(
                        "{variable} `{text}` is not a number from 1 to 3600"
                    ))
                }),
        };
        let timeout = number("AWS_METADATA_SERVICE_TIMEOUT", 1.0)?;
        let attempts = number("AWS_METADATA_SERVICE_NUM_ATTEMPTS", 3.0)?;
        Ok((Duration::from_secs_f64(timeout), attempts as u32))
    }
}

impl ProvideCredentials for ImdsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        Box::pin(self.load())
    }
}

/// An endpoint URL, checked.
fn check_endpoint(text: &str) -> Result<String, CredentialsError> {
    let uri: http::Uri = text
        .parse()
        .map_err(|error| imds_error(format!("endpoint `{text}`: {error}")))?;
    if uri.scheme().is_none() || uri.host().is_none() {
        return Err(imds_error(format!(
            "endpoint `{text}` needs a scheme and a host"
        )));
    }
    Ok(text.trim_end_matches('/').to_owned())
}

/// The body of a 200 answer (read within [`ANSWER_LIMIT`]); any other status is an error
/// naming `path`.
fn success<'a>(response: &'a HttpResponse, path: &str) -> Result<&'a [u8], CredentialsError> {
    if !response.status().is_success() {
        return Err(imds_error(format!(
            "{path} answered HTTP {}",
            response.status().as_u16()
        )));
    }
    Ok(response.body())
}

/// Static stability: credentials that have expired, or are about to, are used a few minutes
/// more (5 to 10, at random, so a fleet does not refresh at once) instead of failing calls.
fn stable(credentials: Credentials, now: SystemTime) -> Credentials {
    let soon = now + Duration::from_secs(60);
    match credentials.expires_at() {
        Some(expiry) if expiry <= soon => {
            let extension = Duration::from_secs(300 + fastrand::u64(..300));
            credentials.with_expiry(Some(now + extension))
        }
        _ => credentials,
    }
}
