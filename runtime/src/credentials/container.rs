//! Container credentials: ECS task roles (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`) and full
//! URIs for EKS Pod Identity and other agents (`AWS_CONTAINER_CREDENTIALS_FULL_URI`), with the
//! `Authorization` token from `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read again on every
//! load, as EKS rotates it) or `AWS_CONTAINER_AUTHORIZATION_TOKEN`.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use http::Uri;

use super::provider::{BoxFuture, ProvideCredentials};
use super::{Credentials, CredentialsError};
use crate::env::Env;
use crate::transport::{send_limited, HttpClient, HttpErrorKind, HttpRequest};

/// The ECS agent's address, for relative URIs.
const ECS_HOST: &str = "169.254.170.2";
/// The link-local addresses a plain-`http` full URI may name besides loopback: the ECS agent
/// and the EKS Pod Identity agent (IPv4 and IPv6).
const ALLOWED_LINK_LOCAL: &[&str] = &["169.254.170.2", "169.254.170.23", "fd00:ec2::23"];
/// The limit on one request to the agent (the agents answer from memory).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// Attempts on a 5xx or a connection failure.
const ATTEMPTS: u32 = 3;
/// The largest answer read.
const ANSWER_LIMIT: u64 = 64 * 1024;

/// Credentials from the container's credentials endpoint.
#[derive(Clone)]
pub struct ContainerProvider {
    env: Env,
    http: Arc<dyn HttpClient>,
}

impl std::fmt::Debug for ContainerProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ContainerProvider")
    }
}

fn invalid(message: impl Into<String>) -> CredentialsError {
    CredentialsError::Invalid(format!("container credentials: {}", message.into()))
}

impl ContainerProvider {
    /// A provider reading `env`, sending through `http`.
    pub fn new(env: Env, http: Arc<dyn HttpClient>) -> Self {
        Self { env, http }
    }

    /// Whether the environment configures this provider.
    pub fn is_configured(&self) -> bool {
        self.env
            .get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
            .is_some()
            || self.env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI").is_some()
    }

    /// The endpoint the environment names (a relative URI wins over a full one). The host of a
    /// full URI is checked here when it is an address; a name is checked after resolution.
    pub fn endpoint(&self) -> Result<Uri, CredentialsError> {
        if let Some(relative) = self.env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            let text = format!("http://{ECS_HOST}{relative}");
            return text.parse().map_err(|error| {
                invalid(format!(
                    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI `{relative}` is not a URI path: {error}"
                ))
            });
        }
        let Some(full) = self.env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
            return Err(invalid(
                "No environment variables were set to configure ECS provider \
                 (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or AWS_CONTAINER_CREDENTIALS_FULL_URI)",
            ));
        };
        let uri: Uri = full.parse().map_err(|error| {
            invalid(format!(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI `{full}` is not a URI: {error}"
            ))
        })?;
        let Some(host) = uri.host() else {
            return Err(invalid(format!(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI `{full}`: URI did not specify a host"
            )));
        };
        match (uri.scheme_str(), literal_address(host)) {
            (Some("https"), _) => Ok(uri),
            (Some("http"), Some(address)) if allowed(address) => Ok(uri),
            (Some("http"), Some(_)) => Err(not_allowed(&full)),
            (Some("http"), None) => Ok(uri),
            _ => Err(invalid(format!(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI `{full}` must be http or https"
            ))),
        }
    }

    /// The `Authorization` value: the token file's contents (read now), else the token.
    fn authorization(&self) -> Result<Option<String>, CredentialsError> {
        let token = match self.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            Some(path) => Some(read_token_file(&path)?),
            None => self.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
        };
        match token {
            Some(token) if token.contains(['\r', '\n']) => Err(invalid(
                "the authorization token holds a line break, which a header cannot",
            )),
            token => Ok(token),
        }
    }

    /// Loads credentials: `Ok(None)` when the environment does not configure the provider.
    pub async fn load(&self) -> Result<Option<Credentials>, CredentialsError> {
        if !self.is_configured() {
            return Ok(None);
        }
        let endpoint = self.endpoint()?;
        let (target, host) = pin_resolved(&endpoint).await?;
        let authorization = self.authorization()?;
        let mut last_error = String::new();
        for attempt in 1..=ATTEMPTS {
            let mut request =
                http::Request::get(target.clone()).header("accept", "application/json");
            if let Some(host) = &host {
                request = request.header("host", host.as_str());
            }
            if let Some(value) = &authorization {
                request = request.header("authorization", value.as_str());
            }
            let request: HttpRequest = request
                .body(bytes::Bytes::new())
                .map_err(|error| invalid(error.to_string()))?;
            let sent = send_limited(self.http.as_ref(), request, ANSWER_LIMIT);
            match tokio::time::timeout(REQUEST_TIMEOUT, sent).await {
                Ok(Err(error)) if error.kind() == HttpErrorKind::BodyTooLarge => {
                    return Err(invalid(format!(
                        "{endpoint} answered over {ANSWER_LIMIT} bytes"
                    )));
                }
                Ok(Ok(response)) if response.status().is_success() => {
                    return answer(response.body()).map(Some);
                }
                Ok(Ok(response)) if response.status().is_client_error() => {
                    return Err(invalid(format!(
                        "{endpoint} answered HTTP {}: {}",
                        response.status().as_u16(),
                        error_message(response.body())
                    )));
                }
                Ok(Ok(response)) => last_error = format!("HTTP {}", response.status().as_u16()),
                Ok(Err(error)) => last_error = error.to_string(),
                Err(_) => last_error = format!("no answer within {REQUEST_TIMEOUT:?}"),
            }
            tracing::debug!(attempt, %last_error, "container credentials attempt failed");
        }
        Err(invalid(format!(
            "{endpoint} failed {ATTEMPTS} times, last: {last_error}"
        )))
    }
}

impl ProvideCredentials for ContainerProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        Box::pin(self.load())
    }
}

fn literal_address(host: &str) -> Option<IpAddr> {
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()
}

fn allowed(address: IpAddr) -> bool {
    address.is_loopback()
        || ALLOWED_LINK_LOCAL.iter().any(|allowed| {
            allowed
                .parse::<IpAddr>()
                .is_ok_and(|allowed| allowed == address)
        })
}

fn not_allowed(full: &str) -> CredentialsError {
    invalid(format!(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI `{full}`: a plain http URI must name a loopback \
         address or the ECS or EKS Pod Identity agent (169.254.170.2, 169.254.170.23, \
         fd00:ec2::23); use https for any other host"
    ))
}

/// Where to send the request: for a plain-`http` URI naming a host, every address the name
/// resolves to must be allowed, and the request goes to the first of them (the URI with that
/// address, and the name as `Host`), so a name that resolves differently a moment later
/// cannot carry the request and its token to another machine. Other URIs are used as they are.
async fn pin_resolved(endpoint: &Uri) -> Result<(Uri, Option<String>), CredentialsError> {
    let host = endpoint.host().unwrap_or_default();
    if endpoint.scheme_str() != Some("http") || literal_address(host).is_some() {
        return Ok((endpoint.clone(), None));
    }
    let port = endpoint.port_u16().unwrap_or(80);
    let addresses: Vec<IpAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|error| invalid(format!("cannot resolve `{host}`: {error}")))?
        .map(|address| address.ip())
        .collect();
    let checked = match addresses.first() {
        Some(first) if addresses.iter().all(|address| allowed(*address)) => *first,
        _ => return Err(not_allowed(&endpoint.to_string())),
    };
    let address = match checked {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    };
    let path = endpoint.path_and_query().map_or("/", |path| path.as_str());
    let pinned = format!("http://{address}:{port}{path}")
        .parse()
        .map_err(|error| invalid(format!("cannot address {address}: {error}")))?;
    let authority = endpoint.authority().map(|authority| authority.to_string());
    Ok((pinned, authority))
}

fn read_token_file(path: &str) -> Result<String, CredentialsError> {
    use std::io::Read;
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(16 * 1024).read_to_string(&mut text))
        .map_err(|error| {
            invalid(format!(
                "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {path}: {error}"
            ))
        })?;
    Ok(text.trim().to_owned())
}

/// The credentials of an answer read within [`ANSWER_LIMIT`].
fn answer(body: &[u8]) -> Result<Credentials, CredentialsError> {
    let document: serde_json::Value =
        serde_json::from_slice(body).map_err(|_| invalid("the answer is not JSON"))?;
    super::document::parse(&document, "Token", "the answer").map_err(invalid)
}

/// The `message` (or `Message`) of an error answer, without echoing anything else.
fn error_message(body: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|document| {
            ["message", "Message"]
                .iter()
                .find_map(|key| document.get(key)?.as_str().map(str::to_owned))
        })
        .unwrap_or_else(|| "no message".to_owned())
}
