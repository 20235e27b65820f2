//! Client configuration, resolved with the AWS precedence: code, then environment variables,
//! then the selected profile of the shared config files.

mod resolve;
mod s3;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

pub use resolve::ConfigError;
pub use s3::S3Settings;

pub use crate::checksum::ChecksumWhen;
use crate::credentials::{Credentials, CredentialsChain, SharedCredentialsProvider};
use crate::env::Env;
use crate::transport::{HttpClient, HttpSettings, HyperClient};

/// What the generated crate tells the runtime about its service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServiceInfo {
    /// The model's `sdkId`, e.g. `ivschat`.
    pub sdk_id: &'static str,
    /// The SigV4 signing name, e.g. `ivschat`.
    pub signing_name: &'static str,
    /// The generated crate's name, for the User-Agent.
    pub crate_name: &'static str,
    /// The generated crate's version, for the User-Agent.
    pub crate_version: &'static str,
}

impl ServiceInfo {
    /// The service part of `AWS_ENDPOINT_URL_<SERVICE>`: sdkId upper-cased, spaces and dashes
    /// to underscores.
    pub fn env_suffix(&self) -> String {
        self.sdk_id.to_ascii_uppercase().replace([' ', '-'], "_")
    }

    /// The key of the service in a `[services]` section: sdkId lower-cased, spaces and dashes
    /// to underscores.
    pub fn profile_key(&self) -> String {
        self.sdk_id.to_ascii_lowercase().replace([' ', '-'], "_")
    }
}

/// How failed attempts are retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryMode {
    /// AWS standard mode: exponential backoff with jitter and a retry quota.
    Standard,
    /// Standard mode plus the SDKs' client-side rate limiter: once the service throttles the
    /// client, every attempt draws from a token bucket whose rate is cut at each throttling
    /// answer and grows back while answers succeed.
    Adaptive,
    /// `legacy` is accepted and behaves as standard.
    Legacy,
}

/// Retry settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    /// The mode.
    pub mode: RetryMode,
    /// Attempts in all, the first included (1 turns retries off).
    pub max_attempts: u32,
    /// The backoff base: attempt `n` waits up to `base * 2^(n-1)`, capped at `max_backoff`.
    pub initial_backoff: Duration,
    /// The backoff cap.
    pub max_backoff: Duration,
    /// Tokens in the retry quota shared by a client's calls.
    pub quota_capacity: u32,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            mode: RetryMode::Standard,
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            quota_capacity: 500,
        }
    }
}

/// Time limits of a resolved configuration. Unless set in code: connect 3.1 s (the AWS SDKs'
/// `standard` defaults mode), attempt 60 s and read 60 s (the read timeout of paws, boto3 and
/// the AWS CLI), no operation limit (the attempts bound it: at most `max_attempts` times the
/// attempt limit plus the backoff between them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeoutConfig {
    /// Limit on connecting (TCP and TLS).
    pub connect: Duration,
    /// Limit on one attempt: sending, the response head and, unless the output streams, the
    /// whole response body.
    pub attempt: Duration,
    /// Limit on the silence between two chunks of a streaming response body.
    pub read: Duration,
    /// Limit on the whole operation, retries and backoff included.
    pub operation: Option<Duration>,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        Self {
            connect: Duration::from_millis(3100),
            attempt: Duration::from_secs(60),
            read: Duration::from_secs(60),
            operation: None,
        }
    }
}

/// Stalled-stream protection of streaming bodies. A download that, while the reader waits
/// for it, brings fewer than `min_throughput` bytes per second over `grace` fails with an
/// error that says so: only the time spent waiting for the server counts, so a slow reader is
/// never taken for a stalled server, and the wait for the response head is the attempt
/// timeout's matter. An upload not in memory fails when the transport takes fewer bytes than
/// that from it over `grace` (the server stopped reading), counted from its first byte taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StalledStreamProtection {
    /// The least bytes per second.
    pub min_throughput: u64,
    /// How long the throughput may stay under it.
    pub grace: Duration,
}

impl Default for StalledStreamProtection {
    /// At least 1 byte per second over 5 seconds, as the AWS SDKs check by default.
    fn default() -> Self {
        Self {
            min_throughput: 1,
            grace: Duration::from_secs(5),
        }
    }
}

/// Time limits set in code (unset ones take [`TimeoutConfig::default`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct TimeoutSettings {
    connect: Option<Duration>,
    attempt: Option<Duration>,
    read: Option<Duration>,
    operation: Option<Duration>,
}

impl TimeoutSettings {
    fn resolve(self) -> TimeoutConfig {
        let defaults = TimeoutConfig::default();
        TimeoutConfig {
            connect: self.connect.unwrap_or(defaults.connect),
            attempt: self.attempt.unwrap_or(defaults.attempt),
            read: self.read.unwrap_or(defaults.read),
            operation: self.operation,
        }
    }
}

/// The most bytes of a response body read whole unless changed (64 MiB); error responses are
/// read up to 1 MiB. Streaming outputs are not limited: they are read as they arrive.
pub const DEFAULT_RESPONSE_BODY_LIMIT: u64 = 64 * 1024 * 1024;

/// Where credentials come from.
#[derive(Clone)]
pub enum CredentialsSetting {
    /// This provider.
    Provider(SharedCredentialsProvider),
    /// No credentials: requests are sent unsigned.
    Anonymous,
}

impl fmt::Debug for CredentialsSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialsSetting::Provider(provider) => {
                f.debug_tuple("Provider").field(provider).finish()
            }
            CredentialsSetting::Anonymous => f.write_str("Anonymous"),
        }
    }
}

/// A resolved configuration, ready for a client.
#[derive(Clone, Debug)]
pub struct Config {
    /// The service.
    pub service: ServiceInfo,
    /// The region, when one is configured.
    pub region: Option<String>,
    /// Credentials.
    pub credentials: CredentialsSetting,
    /// An endpoint that replaces the resolved one.
    pub endpoint_url: Option<String>,
    /// Use FIPS endpoints.
    pub use_fips: bool,
    /// Use dual-stack endpoints.
    pub use_dual_stack: bool,
    /// STS only: send requests from the legacy regions to the global endpoint
    /// (`sts_regional_endpoints = legacy`); regional endpoints otherwise, the default.
    pub sts_use_global_endpoint: bool,
    /// S3 only: addressing style, acceleration, ARN and global-endpoint settings.
    pub s3: S3Settings,
    /// Endpoint discovery (`AWS_ENABLE_ENDPOINT_DISCOVERY` / `endpoint_discovery_enabled`):
    /// `None` when unset, which discovers endpoints only for the operations that need it.
    pub endpoint_discovery: Option<bool>,
    /// Whether endpoint rules that can route by account (DynamoDB) use the credentials'
    /// account (`AWS_ACCOUNT_ID_ENDPOINT_MODE` / `account_id_endpoint_mode`).
    pub account_id_endpoint_mode: AccountIdEndpointMode,
    /// Retries.
    pub retry: RetryConfig,
    /// Time limits.
    pub timeouts: TimeoutConfig,
    /// The most bytes of a response body read whole ([`DEFAULT_RESPONSE_BODY_LIMIT`] unless
    /// changed); a larger body fails the call without being read.
    pub response_body_limit: u64,
    /// The least throughput of a streaming response body ([`StalledStreamProtection`]: on
    /// by default; `None` turns it off).
    pub stalled_stream: Option<StalledStreamProtection>,
    /// Open a new connection per request.
    pub close_connection: bool,
    /// An application id for the User-Agent.
    pub app_id: Option<String>,
    /// Check constraint traits before sending.
    pub validate_constraints: bool,
    /// Check `@pattern` too (off by default: model patterns are sometimes stricter than the
    /// service, e.g. ivschat's `ResourceArn` pattern refuses the room ARNs the service takes).
    pub check_patterns: bool,
    /// The transport.
    pub http_client: Arc<dyn HttpClient>,
    /// Makes the tokens of unset `@idempotencyToken` members.
    pub idempotency_tokens: IdempotencyTokens,
    /// Never compress request bodies (`@requestCompression` operations).
    pub disable_request_compression: bool,
    /// The smallest body compressed, in bytes (10240 unless configured).
    pub request_min_compression_size_bytes: u32,
    /// When request payload checksums are sent (`@httpChecksum`).
    pub request_checksum_calculation: ChecksumWhen,
    /// When response payload checksums are validated (`@httpChecksum`).
    pub response_checksum_validation: ChecksumWhen,
    /// Hooks into every call, in order.
    pub interceptors: Vec<Arc<dyn crate::operation::interceptor::Interceptor>>,
    /// Rules that answer the client's calls instead of the service (feature `test-util`).
    #[cfg(feature = "test-util")]
    pub mock: Option<crate::mock::Mock>,
}

/// Makes idempotency tokens: random UUID v4s unless a generator is given (tests pin one).
#[derive(Clone, Default)]
pub struct IdempotencyTokens(Option<Arc<dyn Fn() -> String + Send + Sync>>);

impl IdempotencyTokens {
    /// A new token.
    pub fn make(&self) -> String {
        match &self.0 {
            Some(generator) => generator(),
            None => crate::uuid_v4(),
        }
    }
}

impl std::fmt::Debug for IdempotencyTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "IdempotencyTokens(custom)"
        } else {
            "IdempotencyTokens(uuid v4)"
        })
    }
}

impl Config {
    /// A builder: values set on it win over the environment and the profile.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }
}

/// What to do when no region is configured, for the errors that need one.
pub const NO_REGION: &str = "no region is configured: set AWS_REGION, a profile's `region` (AWS_PROFILE picks the profile), or `Config::builder().region(..)` in code";

/// Options set in code.
#[derive(Clone, Debug, Default)]
pub struct ConfigBuilder {
    pub(crate) region: Option<String>,
    pub(crate) credentials: Option<CredentialsSetting>,
    pub(crate) profile: Option<String>,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) use_fips: Option<bool>,
    pub(crate) use_dual_stack: Option<bool>,
    pub(crate) sts_use_global_endpoint: Option<bool>,
    pub(crate) s3: s3::S3Choices,
    pub(crate) endpoint_discovery: Option<bool>,
    pub(crate) account_id_endpoint_mode: Option<AccountIdEndpointMode>,
    pub(crate) retry_mode: Option<RetryMode>,
    pub(crate) max_attempts: Option<u32>,
    pub(crate) initial_backoff: Option<Duration>,
    pub(crate) quota_capacity: Option<u32>,
    timeouts: TimeoutSettings,
    pub(crate) response_body_limit: Option<u64>,
    pub(crate) stalled_stream: Option<Option<StalledStreamProtection>>,
    pub(crate) close_connection: bool,
    pub(crate) app_id: Option<String>,
    pub(crate) skip_constraint_checks: bool,
    pub(crate) check_patterns: bool,
    pub(crate) http_client: Option<Arc<dyn HttpClient>>,
    pub(crate) ca_bundle: Option<std::path::PathBuf>,
    pub(crate) tls_config: Option<Arc<rustls::ClientConfig>>,
    pub(crate) proxy: Option<String>,
    pub(crate) no_proxy: Option<String>,
    pub(crate) interceptors: Vec<Arc<dyn crate::operation::interceptor::Interceptor>>,
    #[cfg(feature = "test-util")]
    pub(crate) mock: Option<crate::mock::Mock>,
    pub(crate) idempotency_tokens: IdempotencyTokens,
    pub(crate) disable_request_compression: Option<bool>,
    pub(crate) request_min_compression_size_bytes: Option<u32>,
    pub(crate) request_checksum_calculation: Option<ChecksumWhen>,
    pub(crate) response_checksum_validation: Option<ChecksumWhen>,
    pub(crate) credentials_chain: Option<CredentialsChain>,
}

impl ConfigBuilder {
    /// The region, e.g. `us-west-2`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Static credentials (access key, secret, optional session token).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(CredentialsSetting::Provider(Arc::new(credentials)));
        self
    }

    /// A credentials provider of your own.
    pub fn credentials_provider(mut self, provider: SharedCredentialsProvider) -> Self {
        self.credentials = Some(CredentialsSetting::Provider(provider));
        self
    }

    /// The chain that finds credentials when none are set in code (the runtime's own chain
    /// unless changed; `ivschat-credentials` sets its full one).
    pub fn credentials_chain(mut self, chain: CredentialsChain) -> Self {
        self.credentials_chain = Some(chain);
        self
    }

    /// True once [`credentials_chain`](Self::credentials_chain) was called.
    pub fn has_credentials_chain(&self) -> bool {
        self.credentials_chain.is_some()
    }

    /// Send requests unsigned.
    pub fn anonymous(mut self) -> Self {
        self.credentials = Some(CredentialsSetting::Anonymous);
        self
    }

    /// The profile of the shared files to use (instead of `AWS_PROFILE` or `default`).
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// An endpoint URL that replaces the resolved endpoint (e.g. a local emulator).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Use FIPS endpoints.
    pub fn use_fips(mut self, enabled: bool) -> Self {
        self.use_fips = Some(enabled);
        self
    }

    /// STS only: send requests from the legacy regions to the global endpoint (what
    /// `sts_regional_endpoints = legacy` in the profile or `AWS_STS_REGIONAL_ENDPOINTS=legacy`
    /// choose); `false`, regional endpoints, is the default.
    pub fn sts_use_global_endpoint(mut self, enabled: bool) -> Self {
        self.sts_use_global_endpoint = Some(enabled);
        self
    }

    /// S3 only: path-style addressing (`https://s3.REGION.amazonaws.com/BUCKET/KEY`) instead of
    /// the bucket in the host name; S3-compatible stores often need it. Off by default.
    pub fn force_path_style(mut self, enabled: bool) -> Self {
        self.s3.force_path_style = Some(enabled);
        self
    }

    /// S3 only: Transfer Acceleration endpoints. Off by default.
    pub fn s3_accelerate(mut self, enabled: bool) -> Self {
        self.s3.accelerate = Some(enabled);
        self
    }

    /// S3 only: use an access point ARN's region rather than the client's (what
    /// `AWS_S3_USE_ARN_REGION` or `s3_use_arn_region` choose).
    pub fn s3_use_arn_region(mut self, enabled: bool) -> Self {
        self.s3.use_arn_region = Some(enabled);
        self
    }

    /// S3 only: refuse Multi-Region Access Point ARNs (what
    /// `AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS` or `s3_disable_multiregion_access_points`
    /// choose).
    pub fn s3_disable_multi_region_access_points(mut self, disabled: bool) -> Self {
        self.s3.disable_multi_region_access_points = Some(disabled);
        self
    }

    /// S3 only: send us-east-1 requests to the global endpoint (what `legacy` in
    /// `AWS_S3_US_EAST_1_REGIONAL_ENDPOINT` or `s3_us_east_1_regional_endpoint` chooses);
    /// `false`, the regional endpoint, is the default.
    pub fn s3_use_global_endpoint(mut self, enabled: bool) -> Self {
        self.s3.use_global_endpoint = Some(enabled);
        self
    }

    /// Services with endpoint discovery (DynamoDB, Timestream): `true` also discovers the
    /// endpoints of operations that may do without, `false` never discovers (what
    /// `AWS_ENABLE_ENDPOINT_DISCOVERY` or `endpoint_discovery_enabled` choose); by default
    /// only the operations that need it discover their endpoint.
    pub fn endpoint_discovery(mut self, enabled: bool) -> Self {
        self.endpoint_discovery = Some(enabled);
        self
    }

    /// Whether account-based endpoints are used (`preferred`, the default, when the
    /// credentials name an account; `required` fails without one; `disabled` never).
    pub fn account_id_endpoint_mode(mut self, mode: AccountIdEndpointMode) -> Self {
        self.account_id_endpoint_mode = Some(mode);
        self
    }

    /// Use dual-stack endpoints.
    pub fn use_dual_stack(mut self, enabled: bool) -> Self {
        self.use_dual_stack = Some(enabled);
        self
    }

    /// The retry mode.
    pub fn retry_mode(mut self, mode: RetryMode) -> Self {
        self.retry_mode = Some(mode);
        self
    }

    /// Attempts in all, the first included.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// The retry backoff base (default one second).
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = Some(backoff);
        self
    }

    /// Tokens in the retry quota (default 500; each retry costs 5, or 10 after a timeout).
    pub fn retry_quota_capacity(mut self, capacity: u32) -> Self {
        self.quota_capacity = Some(capacity);
        self
    }

    /// Limit on connecting, TCP and TLS (3.1 s unless changed).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.connect = Some(timeout);
        self
    }

    /// Limit on each attempt: sending, the response head and a body read whole (60 s unless
    /// changed).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.attempt = Some(timeout);
        self
    }

    /// Limit on the silence between chunks of a streaming response body (60 s unless changed).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.read = Some(timeout);
        self
    }

    /// The most bytes of a response body read whole (64 MiB unless changed; error bodies are
    /// read up to 1 MiB whatever this says).
    pub fn response_body_limit(mut self, bytes: u64) -> Self {
        self.response_body_limit = Some(bytes);
        self
    }

    /// The least throughput a streaming response body must keep once it has started
    /// ([`StalledStreamProtection::default`] unless set); `None` turns the check off.
    pub fn stalled_stream_protection(
        mut self,
        protection: Option<StalledStreamProtection>,
    ) -> Self {
        self.stalled_stream = Some(protection);
        self
    }

    /// Limit on the whole operation. `timeout` in paws terms.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.operation = Some(timeout);
        self
    }

    /// Trust the CA certificates of this PEM file besides the Mozilla roots (for a corporate
    /// TLS proxy or a private endpoint); wins over `AWS_CA_BUNDLE` and a profile's `ca_bundle`.
    /// Used by the default transport only.
    pub fn ca_bundle(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.ca_bundle = Some(path.into());
        self
    }

    /// A ready TLS configuration for the default transport (another crypto provider, client
    /// certificates, other roots): used as it is, its ALPN protocols set by the transport;
    /// `ca_bundle` then does not apply. Proxies and timeouts stay the configuration's.
    pub fn tls_config(mut self, config: rustls::ClientConfig) -> Self {
        self.tls_config = Some(Arc::new(config));
        self
    }

    /// Answer every call from these rules instead of the service: nothing is sent, signed or
    /// looked up (feature `test-util`).
    #[cfg(feature = "test-util")]
    pub fn mock(mut self, mock: crate::mock::Mock) -> Self {
        self.mock = Some(mock);
        self
    }

    /// Adds a hook into every call (see [`Interceptor`](crate::operation::interceptor::Interceptor)); hooks
    /// run in the order added.
    pub fn interceptor(
        mut self,
        interceptor: impl crate::operation::interceptor::Interceptor + 'static,
    ) -> Self {
        self.interceptors.push(Arc::new(interceptor));
        self
    }

    /// Send every request through this proxy (`http://[user:password@]host:port`; https
    /// destinations through a CONNECT tunnel), instead of `ALL_PROXY`, `HTTPS_PROXY` and
    /// `HTTP_PROXY`. Used by the default transport only.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// The destinations reached without the proxy, instead of `NO_PROXY` (curl's rules:
    /// comma-separated domains, which cover their subdomains, IPs, CIDRs, or `*`).
    pub fn no_proxy(mut self, list: impl Into<String>) -> Self {
        self.no_proxy = Some(list.into());
        self
    }

    /// Open a new connection for every request (paws' `close_connection`).
    pub fn close_connection(mut self, close: bool) -> Self {
        self.close_connection = close;
        self
    }

    /// An application id added to the User-Agent.
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    /// Do not check constraint traits before sending (the service still checks them).
    pub fn skip_constraint_checks(mut self) -> Self {
        self.skip_constraint_checks = true;
        self
    }

    /// Check `@pattern` constraints before sending too (off by default, see
    /// [`Config::check_patterns`]).
    pub fn check_patterns(mut self, check: bool) -> Self {
        self.check_patterns = check;
        self
    }

    /// Where tokens for unset `@idempotencyToken` members come from (random UUID v4s unless
    /// changed).
    pub fn idempotency_token_generator(
        mut self,
        generator: impl Fn() -> String + Send + Sync + 'static,
    ) -> Self {
        self.idempotency_tokens = IdempotencyTokens(Some(Arc::new(generator)));
        self
    }

    /// Never compress request bodies (else `AWS_DISABLE_REQUEST_COMPRESSION` or the profile's
    /// `disable_request_compression` decides).
    pub fn disable_request_compression(mut self, disable: bool) -> Self {
        self.disable_request_compression = Some(disable);
        self
    }

    /// The smallest body compressed, 0 to 10485760 bytes (else
    /// `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES`, the profile's
    /// `request_min_compression_size_bytes`, or 10240).
    pub fn request_min_compression_size_bytes(mut self, bytes: u32) -> Self {
        self.request_min_compression_size_bytes = Some(bytes);
        self
    }

    /// When request payload checksums are sent (else `AWS_REQUEST_CHECKSUM_CALCULATION`, the
    /// profile's `request_checksum_calculation`, or `when_supported`).
    pub fn request_checksum_calculation(mut self, when: ChecksumWhen) -> Self {
        self.request_checksum_calculation = Some(when);
        self
    }

    /// When response payload checksums are validated (else `AWS_RESPONSE_CHECKSUM_VALIDATION`,
    /// the profile's `response_checksum_validation`, or `when_supported`).
    pub fn response_checksum_validation(mut self, when: ChecksumWhen) -> Self {
        self.response_checksum_validation = Some(when);
        self
    }

    /// A transport of your own.
    pub fn http_client(mut self, client: Arc<dyn HttpClient>) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Resolves the configuration from the process environment and the shared files.
    pub fn build(self, service: ServiceInfo) -> Result<Config, ConfigError> {
        self.build_with_env(service, &Env::process())
    }

    /// [`build`](Self::build), and when no region is configured anywhere, the region of the EC2
    /// instance from its metadata (unless `AWS_EC2_METADATA_DISABLED=true`), as the AWS SDKs'
    /// region chain ends. Without one, calls fail saying what to set.
    pub async fn load(self, service: ServiceInfo) -> Result<Config, ConfigError> {
        self.load_with_env(service, &Env::process()).await
    }

    /// [`load`](Self::load) from the given environment.
    pub async fn load_with_env(
        self,
        service: ServiceInfo,
        env: &Env,
    ) -> Result<Config, ConfigError> {
        let mut config = self.build_with_env(service, env)?;
        if config.region.is_none() {
            let imds = crate::credentials::ImdsProvider::new(
                env.clone(),
                config.http_client.clone(),
                crate::credentials::ImdsSettings::default(),
            );
            match imds.region().await {
                Ok(region) => config.region = region,
                Err(error) => tracing::debug!(%error, "no region from instance metadata"),
            }
        }
        Ok(config)
    }

    /// Resolves the configuration from the given environment (and the files it points to).
    pub fn build_with_env(self, service: ServiceInfo, env: &Env) -> Result<Config, ConfigError> {
        resolve::resolve(self, service, env)
    }

    /// The time limits, defaults filled in.
    pub(crate) fn timeouts(&self) -> TimeoutConfig {
        self.timeouts.resolve()
    }

    /// The default transport, trusting `extra` roots too, through `proxy`.
    pub(crate) fn default_http_client(
        &self,
        extra: Vec<rustls::pki_types::TrustAnchor<'static>>,
        proxy: crate::transport::ProxySettings,
    ) -> Arc<dyn HttpClient> {
        let settings = HttpSettings {
            connect_timeout: self.timeouts().connect,
            close_connection: self.close_connection,
            proxy,
            ..HttpSettings::default()
        };
        let tls = match &self.tls_config {
            Some(config) => config.as_ref().clone(),
            None => crate::transport::tls_client_config_with_anchors(extra),
        };
        Arc::new(HyperClient::with_tls(settings, tls))
    }
}

/// Whether endpoint rules that can route by account use the credentials' account
/// (`AWS::Auth::AccountIdEndpointMode`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AccountIdEndpointMode {
    /// Use the account when the credentials name one (the default).
    #[default]
    Preferred,
    /// Never use it.
    Disabled,
    /// Always use it: a call without an account fails.
    Required,
}

impl AccountIdEndpointMode {
    /// `preferred`, `disabled` or `required`, in any case.
    pub fn from_name(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "preferred" => Some(Self::Preferred),
            "disabled" => Some(Self::Disabled),
            "required" => Some(Self::Required),
            _ => None,
        }
    }

    /// The value the endpoint rules compare with.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Preferred => "preferred",
            Self::Disabled => "disabled",
            Self::Required => "required",
        }
    }
}
