//! Resolution of each setting: code, then environment, then profile, with errors that name
//! the variable or the file, line and key of a bad value.

use std::fmt;
use std::sync::Arc;

use super::{
    ChecksumWhen, Config, ConfigBuilder, CredentialsSetting, RetryConfig, RetryMode, ServiceInfo,
};
use crate::credentials::{load_profile_set, runtime_chain};
use crate::env::Env;
use crate::profile::{Platform, ProfileFiles, ProfileSet, Properties};
use crate::transport::HttpClient;

/// A setting with an invalid value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    pub(super) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

/// A raw setting and where it came from, for error messages.
pub(super) struct Raw {
    pub(super) value: String,
    pub(super) origin: String,
}

/// Looks a setting up in the environment, then in the selected profile.
pub(super) struct Sources<'a> {
    env: &'a Env,
    profile: Option<&'a Properties>,
    profile_name: String,
}

impl Sources<'_> {
    pub(super) fn lookup(&self, variable: &str, key: &str) -> Option<Raw> {
        if let Some(value) = self.env.get(variable) {
            return Some(Raw {
                value,
                origin: format!("environment variable {variable}"),
            });
        }
        let property = self.profile?.get(key)?;
        Some(Raw {
            value: property.value.clone(),
            origin: format!(
                "{}:{}: `{key}` of profile `{}`",
                property.file, property.line, self.profile_name
            ),
        })
    }

    pub(super) fn boolean(&self, variable: &str, key: &str) -> Result<Option<bool>, ConfigError> {
        self.lookup(variable, key)
            .map(|raw| match raw.value.to_ascii_lowercase().as_str() {
                "true" => Ok(true),
                "false" => Ok(false),
                _ => Err(ConfigError::new(format!(
                    "{}: `{}` is not true or false",
                    raw.origin, raw.value
                ))),
            })
            .transpose()
    }
}

/// An http(s) URL with a host; anything else is refused, naming where it came from.
fn check_url(url: &str, origin: &str) -> Result<String, ConfigError> {
    let parsed: Result<http::Uri, _> = url.parse();
    match parsed {
        Ok(uri) if matches!(uri.scheme_str(), Some("http" | "https")) && uri.host().is_some() => {
            Ok(url.to_owned())
        }
        _ => Err(ConfigError::new(format!(
            "{origin}: `{url}` is not an endpoint URL (expected http:// or https:// and a host)"
        ))),
    }
}

/// The configuration `builder` makes, with what it leaves unset read from `env` and the shared
/// config files.
pub(super) fn resolve(
    builder: ConfigBuilder,
    service: ServiceInfo,
    env: &Env,
) -> Result<Config, ConfigError> {
    let files = ProfileFiles::locate(env, Platform::current());
    let set: ProfileSet =
        load_profile_set(&files).map_err(|error| ConfigError::new(error.to_string()))?;
    let profile_name = builder.profile.clone().unwrap_or(files.profile.clone());
    let sources = Sources {
        env,
        profile: set.profiles.get(&profile_name),
        profile_name: profile_name.clone(),
    };
    let region = builder.region.clone().or_else(|| region(&sources));
    let endpoint_url = match &builder.endpoint_url {
        Some(url) => Some(check_url(url, "endpoint_url set in code")?),
        None => configured_endpoint(&sources, &set, &service)?,
    };
    let http_client = http_client(&builder, &sources, env)?;
    let credentials = credentials_setting(&builder, env, &http_client);
    let retry = retry(&builder, &sources)?;
    let choices = EndpointChoices::resolve(&builder, &sources)?;
    let (request_checksum_calculation, response_checksum_validation) =
        checksum_choices(&builder, &sources)?;
    Ok(Config {
        service,
        region,
        credentials,
        endpoint_url,
        use_fips: choices.use_fips,
        use_dual_stack: choices.use_dual_stack,
        sts_use_global_endpoint: choices.sts_use_global_endpoint,
        s3: super::S3Settings::resolve(&builder.s3, &sources)?,
        account_id_endpoint_mode: choices.account_id_endpoint_mode,
        endpoint_discovery: choices.endpoint_discovery,
        retry,
        timeouts: builder.timeouts(),
        response_body_limit: builder
            .response_body_limit
            .unwrap_or(super::DEFAULT_RESPONSE_BODY_LIMIT),
        stalled_stream: builder
            .stalled_stream
            .unwrap_or(Some(super::StalledStreamProtection::default())),
        close_connection: builder.close_connection,
        app_id: app_id(&builder, &sources),
        validate_constraints: !builder.skip_constraint_checks,
        check_patterns: builder.check_patterns,
        http_client,
        idempotency_tokens: builder.idempotency_tokens.clone(),
        disable_request_compression: compression_disabled(&builder, &sources)?,
        request_min_compression_size_bytes: compression_threshold(&builder, &sources)?,
        request_checksum_calculation,
        response_checksum_validation,
        interceptors: builder.interceptors.clone(),
        #[cfg(feature = "test-util")]
        mock: builder.mock.clone(),
    })
}

/// The HTTP client set in code, else the default one with the CA bundle and the proxies
/// configured.
fn http_client(
    builder: &ConfigBuilder,
    sources: &Sources,
    env: &Env,
) -> Result<Arc<dyn HttpClient>, ConfigError> {
    Ok(match builder.http_client.clone() {
        Some(client) => client,
        None => builder.default_http_client(ca_bundle(builder, sources)?, proxy(builder, env)?),
    })
}

/// The credentials set in code, else the chain's provider (the builder's own chain, or the
/// runtime's default one) reading `env` and the profile.
fn credentials_setting(
    builder: &ConfigBuilder,
    env: &Env,
    http_client: &Arc<dyn HttpClient>,
) -> CredentialsSetting {
    match builder.credentials.clone() {
        Some(setting) => setting,
        None => CredentialsSetting::Provider(builder.credentials_chain.unwrap_or(runtime_chain)(
            env,
            builder.profile.as_deref(),
            http_client.clone(),
        )),
    }
}

/// The application id of the user agent: set in code, else `AWS_SDK_UA_APP_ID` or the
/// profile's `sdk_ua_app_id`.
fn app_id(builder: &ConfigBuilder, sources: &Sources) -> Option<String> {
    builder.app_id.clone().or_else(|| {
        sources
            .lookup("AWS_SDK_UA_APP_ID", "sdk_ua_app_id")
            .map(|raw| raw.value)
    })
}

/// When request checksums are calculated and response checksums validated.
fn checksum_choices(
    builder: &ConfigBuilder,
    sources: &Sources,
) -> Result<(ChecksumWhen, ChecksumWhen), ConfigError> {
    let request = match builder.request_checksum_calculation {
        Some(when) => when,
        None => checksum_when(
            sources,
            "AWS_REQUEST_CHECKSUM_CALCULATION",
            "request_checksum_calculation",
        )?,
    };
    let response = match builder.response_checksum_validation {
        Some(when) => when,
        None => checksum_when(
            sources,
            "AWS_RESPONSE_CHECKSUM_VALIDATION",
            "response_checksum_validation",
        )?,
    };
    Ok((request, response))
}

/// The settings that choose among a service's endpoints, from code, environment or profile.
struct EndpointChoices {
    use_fips: bool,
    use_dual_stack: bool,
    sts_use_global_endpoint: bool,
    account_id_endpoint_mode: super::AccountIdEndpointMode,
    endpoint_discovery: Option<bool>,
}

impl EndpointChoices {
    fn resolve(builder: &ConfigBuilder, sources: &Sources) -> Result<Self, ConfigError> {
        Ok(Self {
            use_fips: resolve_flag(
                builder.use_fips,
                sources,
                "AWS_USE_FIPS_ENDPOINT",
                "use_fips_endpoint",
            )?,
            use_dual_stack: resolve_flag(
                builder.use_dual_stack,
                sources,
                "AWS_USE_DUALSTACK_ENDPOINT",
                "use_dualstack_endpoint",
            )?,
            sts_use_global_endpoint: match builder.sts_use_global_endpoint {
                Some(enabled) => enabled,
                None => sts_global_endpoint(sources)?,
            },
            account_id_endpoint_mode: match builder.account_id_endpoint_mode {
                Some(mode) => mode,
                None => account_id_endpoint_mode(sources)?,
            },
            endpoint_discovery: match builder.endpoint_discovery {
                Some(enabled) => Some(enabled),
                None => sources.boolean(
                    "AWS_ENABLE_ENDPOINT_DISCOVERY",
                    "endpoint_discovery_enabled",
                )?,
            },
        })
    }
}

/// The region from `AWS_REGION`, `AWS_DEFAULT_REGION` or the profile's `region`.
fn region(sources: &Sources) -> Option<String> {
    sources
        .env
        .get("AWS_REGION")
        .or_else(|| sources.env.get("AWS_DEFAULT_REGION"))
        .or_else(|| {
            sources
                .profile
                .and_then(|profile| profile.get("region"))
                .map(|property| property.value.clone())
        })
}

/// The retry settings: code, else the environment or profile, else standard mode with 3
/// attempts.
fn retry(builder: &ConfigBuilder, sources: &Sources) -> Result<RetryConfig, ConfigError> {
    Ok(RetryConfig {
        mode: match builder.retry_mode {
            Some(mode) => mode,
            None => retry_mode(sources)?.unwrap_or(RetryMode::Standard),
        },
        max_attempts: match builder.max_attempts {
            Some(0) => {
                return Err(ConfigError::new(
                    "max_attempts set in code must be at least 1",
                ))
            }
            Some(attempts) => attempts,
            None => max_attempts(sources)?.unwrap_or(3),
        },
        initial_backoff: builder
            .initial_backoff
            .unwrap_or(RetryConfig::default().initial_backoff),
        quota_capacity: builder
            .quota_capacity
            .unwrap_or(RetryConfig::default().quota_capacity),
        ..RetryConfig::default()
    })
}

/// Whether request compression is off: code, else the environment or profile, else on.
fn compression_disabled(builder: &ConfigBuilder, sources: &Sources) -> Result<bool, ConfigError> {
    resolve_flag(
        builder.disable_request_compression,
        sources,
        "AWS_DISABLE_REQUEST_COMPRESSION",
        "disable_request_compression",
    )
}

/// The smallest body compressed: code (at most the limit), else the environment or profile,
/// else 10 KiB.
fn compression_threshold(builder: &ConfigBuilder, sources: &Sources) -> Result<u32, ConfigError> {
    match builder.request_min_compression_size_bytes {
        Some(bytes) if bytes > MAX_MIN_COMPRESSION_SIZE => Err(ConfigError::new(format!(
            "request_min_compression_size_bytes set in code must be at most {MAX_MIN_COMPRESSION_SIZE}"
        ))),
        Some(bytes) => Ok(bytes),
        None => Ok(min_compression_size(sources)?.unwrap_or(10_240)),
    }
}

/// `when_supported` or `when_required` from the environment or the profile (default
/// `when_supported`).
fn checksum_when(
    sources: &Sources,
    variable: &str,
    key: &str,
) -> Result<ChecksumWhen, ConfigError> {
    let Some(raw) = sources.lookup(variable, key) else {
        return Ok(ChecksumWhen::default());
    };
    ChecksumWhen::from_name(&raw.value).ok_or_else(|| {
        ConfigError::new(format!(
            "{}: `{}` is not when_supported or when_required",
            raw.origin, raw.value
        ))
    })
}

fn resolve_flag(
    code: Option<bool>,
    sources: &Sources,
    variable: &str,
    key: &str,
) -> Result<bool, ConfigError> {
    match code {
        Some(value) => Ok(value),
        None => Ok(sources.boolean(variable, key)?.unwrap_or(false)),
    }
}

/// `AWS_ACCOUNT_ID_ENDPOINT_MODE` / `account_id_endpoint_mode`: `preferred` unless set.
fn account_id_endpoint_mode(
    sources: &Sources,
) -> Result<super::AccountIdEndpointMode, ConfigError> {
    let Some(raw) = sources.lookup("AWS_ACCOUNT_ID_ENDPOINT_MODE", "account_id_endpoint_mode")
    else {
        return Ok(super::AccountIdEndpointMode::default());
    };
    super::AccountIdEndpointMode::from_name(&raw.value).ok_or_else(|| {
        ConfigError::new(format!(
            "{}: `{}` is not an account-ID endpoint mode (preferred, disabled or required)",
            raw.origin, raw.value
        ))
    })
}

/// `AWS_STS_REGIONAL_ENDPOINTS` / `sts_regional_endpoints`: `legacy` chooses the global
/// endpoint, `regional` (the default) the region's own.
fn sts_global_endpoint(sources: &Sources) -> Result<bool, ConfigError> {
    let Some(raw) = sources.lookup("AWS_STS_REGIONAL_ENDPOINTS", "sts_regional_endpoints") else {
        return Ok(false);
    };
    match raw.value.to_ascii_lowercase().as_str() {
        "legacy" => Ok(true),
        "regional" => Ok(false),
        _ => Err(ConfigError::new(format!(
            "{}: `{}` is not an STS endpoint setting (legacy or regional)",
            raw.origin, raw.value
        ))),
    }
}

fn retry_mode(sources: &Sources) -> Result<Option<RetryMode>, ConfigError> {
    sources
        .lookup("AWS_RETRY_MODE", "retry_mode")
        .map(|raw| match raw.value.to_ascii_lowercase().as_str() {
            "standard" => Ok(RetryMode::Standard),
            "adaptive" => Ok(RetryMode::Adaptive),
            "legacy" => Ok(RetryMode::Legacy),
            _ => Err(ConfigError::new(format!(
                "{}: `{}` is not a retry mode (standard, adaptive or legacy)",
                raw.origin, raw.value
            ))),
        })
        .transpose()
}

/// The largest `request_min_compression_size_bytes` allowed (10 MiB).
const MAX_MIN_COMPRESSION_SIZE: u32 = 10_485_760;

fn min_compression_size(sources: &Sources) -> Result<Option<u32>, ConfigError> {
    sources
        .lookup(
            "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
            "request_min_compression_size_bytes",
        )
        .map(|raw| match raw.value.parse::<u32>() {
            Ok(bytes) if bytes <= MAX_MIN_COMPRESSION_SIZE => Ok(bytes),
            _ => Err(ConfigError::new(format!(
                "{}: `{}` is not a whole number from 0 to {MAX_MIN_COMPRESSION_SIZE}",
                raw.origin, raw.value
            ))),
        })
        .transpose()
}

/// The trust anchors of the CA bundle set in code, by `AWS_CA_BUNDLE` or by the profile's
/// `ca_bundle` (none when unset); an unusable file is an error naming where it was set.
fn ca_bundle(
    builder: &ConfigBuilder,
    sources: &Sources,
) -> Result<Vec<rustls::pki_types::TrustAnchor<'static>>, ConfigError> {
    let (path, origin) = match &builder.ca_bundle {
        Some(path) => (path.clone(), "ca_bundle set in code".to_owned()),
        None => match sources.lookup("AWS_CA_BUNDLE", "ca_bundle") {
            Some(raw) => (std::path::PathBuf::from(raw.value), raw.origin),
            None => return Ok(Vec::new()),
        },
    };
    crate::transport::read_ca_bundle_anchors(&path)
        .map_err(|why| ConfigError::new(format!("{origin}: {why}")))
}

/// The proxies of the environment (`ALL_PROXY`, `HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`),
/// or those set in code; a URL that is not an http proxy is an error naming its setting.
fn proxy(
    builder: &ConfigBuilder,
    env: &Env,
) -> Result<crate::transport::ProxySettings, ConfigError> {
    let mut settings = crate::transport::ProxySettings::from_env(env);
    if let Some(url) = &builder.proxy {
        settings.all = Some(url.clone());
        settings.http = None;
        settings.https = None;
    }
    if let Some(list) = &builder.no_proxy {
        settings.no_proxy = Some(list.clone());
    }
    settings.check().map_err(|why| match &builder.proxy {
        Some(_) => ConfigError::new(format!("proxy set in code: {why}")),
        None => ConfigError::new(format!("environment variable {why}")),
    })?;
    Ok(settings)
}

fn max_attempts(sources: &Sources) -> Result<Option<u32>, ConfigError> {
    sources
        .lookup("AWS_MAX_ATTEMPTS", "max_attempts")
        .map(|raw| match raw.value.parse::<u32>() {
            Ok(attempts) if attempts >= 1 => Ok(attempts),
            _ => Err(ConfigError::new(format!(
                "{}: `{}` is not a whole number of at least 1",
                raw.origin, raw.value
            ))),
        })
        .transpose()
}

/// `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's `[services]` section, then the
/// profile's `endpoint_url`; none when configured endpoints are to be ignored.
fn configured_endpoint(
    sources: &Sources,
    set: &ProfileSet,
    service: &ServiceInfo,
) -> Result<Option<String>, ConfigError> {
    if sources.boolean(
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        "ignore_configured_endpoint_urls",
    )? == Some(true)
    {
        return Ok(None);
    }
    let service_variable = format!("AWS_ENDPOINT_URL_{}", service.env_suffix());
    for variable in [service_variable.as_str(), "AWS_ENDPOINT_URL"] {
        if let Some(url) = sources.env.get(variable) {
            return check_url(&url, &format!("environment variable {variable}")).map(Some);
        }
    }
    if let Some(profile) = sources.profile {
        if let Some(section) = profile.get("services") {
            if let Some(url) =
                set.service_setting(&section.value, &service.profile_key(), "endpoint_url")
            {
                let origin = format!(
                    "[services {}] {} endpoint_url",
                    section.value,
                    service.profile_key()
                );
                return check_url(&url, &origin).map(Some);
            }
        }
        if let Some(property) = profile.get("endpoint_url") {
            let origin = format!(
                "{}:{}: `endpoint_url` of profile `{}`",
                property.file, property.line, sources.profile_name
            );
            return check_url(&property.value, &origin).map(Some);
        }
    }
    Ok(None)
}
