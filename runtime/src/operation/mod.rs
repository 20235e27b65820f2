//! One operation call, the loop generated code runs: build the request for the endpoint, sign
//! it, send it, classify the outcome, retry with backoff, and hand back the final response.

mod aws_chunked;
mod body;
mod call_config;
mod checksums;
mod classify;
mod clock;
#[cfg(feature = "compression")]
pub mod compression;
mod discovery;
mod endpoint;
pub(crate) mod error;
mod event_signing;
pub(crate) mod interceptor;
pub mod metrics;
mod presign;
mod rate_limiter;
pub mod request;
pub mod response;
mod retry;
mod signing;
mod unhandled;

use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method};
use tracing::Instrument;

pub use call_config::CallConfig;
pub use classify::{classify_response, classify_transport, error_code, RetryKind};
pub use discovery::DiscoveredEndpoints;
pub use endpoint::Endpoint;
pub use error::{SdkError, TimeoutScope};
pub(crate) use event_signing::EventSigner;
pub use event_signing::EventSigning;
pub use interceptor::{Inspect, Interceptor};
pub use metrics::{Phase, Timer};
pub use presign::{PresignedRequest, PresigningConfig, MAX_PRESIGNED_DURATION};
pub use retry::{backoff, RetryQuota};
pub use unhandled::UnhandledError;

use crate::checksum::{ChecksumAlgorithm, Checksums};
use crate::config::{Config, CredentialsSetting, RetryMode};
use crate::credentials::CredentialsCache;
use crate::sigv4::{SignableBody, SigningKeyCache};
use crate::transport::{HttpErrorKind, HttpResponse, StreamingRequest, StreamingResponse};
use crate::ByteStream;

/// The serialized request of an operation, before endpoint, signature and retries.
#[derive(Clone, Debug)]
pub struct OperationRequest {
    /// The operation name, e.g. `CreateRoom`.
    pub operation: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Encoded path and query, e.g. `/CreateRoom`.
    pub path_and_query: String,
    /// Headers from the input.
    pub headers: HeaderMap,
    /// The body: in memory, or a stream (`@streaming` payloads).
    pub body: ByteStream,
    /// How the request is authenticated.
    pub auth: Auth,
    /// Payload checksums of the request and the response (`@httpChecksum`,
    /// `@httpChecksumRequired`), for operations that have them.
    pub checksums: Option<Checksums>,
    /// The operation is safe to send again after a failure that may have reached the service
    /// (`@readonly`, `@idempotent`, or an `@idempotencyToken` member); see [`classify_transport`].
    pub idempotent: bool,
    /// For an input event stream (its body built by
    /// `EventStream::into_body`): the slot the
    /// request's signature fills, so the body signs each message in a chain from it. Such a
    /// request signs `STREAMING-AWS4-HMAC-SHA256-EVENTS` as its payload hash.
    pub event_signing: Option<EventSigning>,
    /// S3's CopyObject, UploadPartCopy and CompleteMultipartUpload: a success whose body is an
    /// `<Error>` document is an error (the service answers 200 before the work ends and
    /// reports a failure in the body), read and retried as a 500.
    pub error_in_success: bool,
}

/// How an operation's requests are authenticated (from its `@auth`, `@optionalAuth` and
/// `@unsignedPayload` traits).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Auth {
    /// SigV4 over the payload's SHA-256.
    #[default]
    SigV4,
    /// SigV4 with `UNSIGNED-PAYLOAD` in `x-amz-content-sha256`: the body is not hashed.
    SigV4UnsignedPayload,
    /// Signed when credentials can be found, sent unsigned otherwise.
    Optional,
    /// Never signed (`@auth([])`): no credentials are looked up.
    None,
}

/// The final response of an operation (success or modelled error), with its request id; the
/// body is whole (`Bytes`) or, for a success of an operation with a streaming output, a
/// [`ByteStream`] still to be read. `Debug` shows the status, header names, request id and
/// attempts, never the body.
pub struct OperationResponse<B = Bytes> {
    /// The response.
    pub response: http::Response<B>,
    /// `x-amzn-RequestId`, when the service sent one.
    pub request_id: Option<String>,
    /// Attempts made.
    pub attempts: u32,
}

impl<B> std::fmt::Debug for OperationResponse<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self
            .response
            .headers()
            .keys()
            .map(|name| name.as_str())
            .collect();
        f.debug_struct("OperationResponse")
            .field("status", &self.response.status().as_u16())
            .field("headers", &names)
            .field("request_id", &self.request_id)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// A client's shared state: its configuration, signing keys, retry quota and cached
/// credentials.
/// Its state is shared with the handles of its customized calls
/// ([`customized`](Self::customized)): they differ only in configuration.
#[derive(Clone, Debug)]
pub struct Handle {
    config: Config,
    keys: Arc<SigningKeyCache>,
    quota: Arc<RetryQuota>,
    /// Adaptive retry mode's client-side rate limiter, over the time since `started`.
    limiter: Option<Arc<std::sync::Mutex<rate_limiter::RateLimiter>>>,
    started: std::time::Instant,
    /// `None` when anonymous.
    credentials: Option<Arc<CredentialsCache>>,
    /// `None` when the configured app id cannot be sent in a header.
    user_agent: Option<HeaderValue>,
    discovered: Arc<DiscoveredEndpoints>,
    /// The offset to the service's clock, learnt from its refusals for time.
    clock: Arc<clock::ClockOffset>,
}

/// The outcome of one attempt.
enum Attempt {
    Done(Received),
    Retryable(RetryKind, Result<HttpResponse, SdkError>),
    Failed(SdkError),
}

/// A final response: read whole, or (a success of a streaming output) with its body unread.
pub(super) enum Received {
    Whole(HttpResponse),
    Streaming(StreamingResponse),
}

/// What the attempts of one call share: the request, its payload hash and whether a success
/// is handed over with its body unread.
struct Call<'a> {
    endpoint: &'a Endpoint,
    request: OperationRequest,
    /// Hex SHA-256 of the body, when the signature covers it.
    payload_sha256: Option<String>,
    streaming_output: bool,
    invocation_id: HeaderValue,
    /// Response checksums to validate a success with, in order of preference.
    validate_response: &'static [ChecksumAlgorithm],
    /// The checksum sent in an `aws-chunked` trailer, with the body's length.
    trailer: Option<(ChecksumAlgorithm, u64)>,
}

impl Handle {
    /// A handle over a resolved configuration.
    pub fn new(config: Config) -> Self {
        let service = config.service;
        let mut user_agent = format!(
            "{}/{} ivschat-runtime/{} os/{} lang/rust",
            service.crate_name,
            service.crate_version,
            env!("CARGO_PKG_VERSION"),
            std::env::consts::OS
        );
        if let Some(app_id) = &config.app_id {
            user_agent.push_str(&format!(" app/{app_id}"));
        }
        Self {
            quota: Arc::new(RetryQuota::new(config.retry.quota_capacity)),
            limiter: (config.retry.mode == RetryMode::Adaptive).then(Default::default),
            started: std::time::Instant::now(),
            keys: Arc::default(),
            credentials: match &config.credentials {
                CredentialsSetting::Anonymous => None,
                // A load may take as long as two attempts (a credential_process, a chain of
                // providers each with its own short timeouts).
                CredentialsSetting::Provider(provider) => Some(Arc::new(CredentialsCache::new(
                    provider.clone(),
                    config.timeouts.attempt * 2,
                ))),
            },
            user_agent: HeaderValue::try_from(user_agent).ok(),
            config,
            discovered: Arc::default(),
            clock: Arc::default(),
        }
    }

    /// A handle for one call with `call`'s settings over this one's (timeouts, attempts,
    /// endpoint, more interceptors), sharing its credentials, retry quota, rate limiter,
    /// signing keys, clock offset and discovered endpoints; this handle is unchanged.
    pub fn customized(&self, call: &CallConfig) -> Handle {
        let mut config = self.config.clone();
        call.apply_to(&mut config);
        Handle {
            config,
            ..self.clone()
        }
    }

    /// The seconds this client adds to its clock to sign with the service's time (0 until the
    /// service refuses a request for its time with a `Date` far from ours).
    pub fn clock_offset(&self) -> i64 {
        self.clock.seconds()
    }

    /// The endpoint the service's discovery operation gave this client, if any.
    pub fn discovered_endpoints(&self) -> &DiscoveredEndpoints {
        &self.discovered
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Adaptive mode's sending rate limit in requests per second, once the service has
    /// throttled the client (`None` before, and in other modes).
    pub fn rate_limit(&self) -> Option<f64> {
        let limiter = self.limiter.as_ref()?;
        limiter
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .fill_rate()
    }

    /// Waits for adaptive mode's rate limiter to let an attempt go (no wait in other modes,
    /// or before the service first throttled the client).
    async fn admit_attempt(&self) {
        let Some(limiter) = &self.limiter else {
            return;
        };
        let now = self.started.elapsed().as_secs_f64();
        let wait = limiter
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .acquire(now);
        if !wait.is_zero() {
            tracing::debug!(
                ?wait,
                "adaptive retry mode: waiting for the client-side rate limit"
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// Tells adaptive mode's rate limiter how an attempt was answered.
    fn record_answer(&self, throttled: bool) {
        if let Some(limiter) = &self.limiter {
            let now = self.started.elapsed().as_secs_f64();
            limiter
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .update(now, throttled);
        }
    }

    /// Tokens left in the retry quota.
    pub fn retry_quota(&self) -> u32 {
        self.quota.available()
    }

    /// Runs an operation and parses its outcome: a success status through `parse_output`, any
    /// other through `parse_error`; failures without a response become `E` from [`SdkError`].
    pub async fn call<O, E: From<SdkError>>(
        &self,
        endpoint: Result<Endpoint, SdkError>,
        request: Result<OperationRequest, SdkError>,
        parse_output: fn(&HttpResponse) -> Result<O, crate::json::DeserializeError>,
        parse_error: fn(HttpResponse, Option<String>) -> E,
    ) -> Result<O, E> {
        let request = request?;
        let operation = request.operation;
        let done = self.invoke(&endpoint?, request).await?;
        let timer = Timer::start();
        let read = if done.response.status().is_success() {
            parse_output(&done.response).map_err(|error| {
                E::from(SdkError::Response {
                    message: error.to_string(),
                    raw: Box::new(done.response),
                })
            })
        } else {
            Err(parse_error(done.response, done.request_id))
        };
        self.phase_done(operation, Phase::Deserialization, timer);
        read
    }

    /// [`call`](Self::call) for an operation whose output streams: a success is handed to
    /// `parse_output` with its body unread; error responses are read whole.
    pub async fn call_streaming<O, E: From<SdkError>>(
        &self,
        endpoint: Result<Endpoint, SdkError>,
        request: Result<OperationRequest, SdkError>,
        parse_output: fn(StreamingResponse) -> Result<O, crate::json::DeserializeError>,
        parse_error: fn(HttpResponse, Option<String>) -> E,
    ) -> Result<O, E> {
        let ready = |output| async { Ok(output) };
        self.call_streaming_then(endpoint, request, parse_output, parse_error, ready)
            .await
    }

    /// [`call_streaming`](Self::call_streaming), then `then` on the output before it is
    /// returned (an RPC event stream reads its `initial-response` there); a failure of either
    /// is a response that could not be understood.
    pub async fn call_streaming_then<O, E, F>(
        &self,
        endpoint: Result<Endpoint, SdkError>,
        request: Result<OperationRequest, SdkError>,
        parse_output: fn(StreamingResponse) -> Result<O, crate::json::DeserializeError>,
        parse_error: fn(HttpResponse, Option<String>) -> E,
        then: impl FnOnce(O) -> F,
    ) -> Result<O, E>
    where
        E: From<SdkError>,
        F: std::future::Future<Output = Result<O, crate::json::DeserializeError>>,
    {
        let (received, attempts) = self.run(&endpoint?, request?, true).await?;
        let response = match received {
            Received::Whole(response) if !response.status().is_success() => {
                let done = finish(response, attempts);
                return Err(parse_error(done.response, done.request_id));
            }
            Received::Whole(response) => response.map(ByteStream::from),
            Received::Streaming(response) => response,
        };
        let mut head = http::Response::new(Bytes::new());
        *head.status_mut() = response.status();
        *head.headers_mut() = response.headers().clone();
        let finished = match parse_output(response) {
            Ok(output) => then(output).await,
            Err(error) => Err(error),
        };
        finished.map_err(|error| {
            E::from(SdkError::Response {
                message: error.to_string(),
                raw: Box::new(head),
            })
        })
    }

    /// Records a phase of a call of `operation` (feature `metrics`; nothing without it) and
    /// returns a timer started now, for the phase that follows. Generated operations time
    /// the endpoint, the request's writing and the whole call; the runtime, each attempt and
    /// the answer's reading.
    pub fn phase_done(&self, operation: &'static str, phase: Phase, timer: Timer) -> Timer {
        metrics::record(self.config.service.sdk_id, operation, phase, timer)
    }

    /// Runs the interceptors' `before_serialization` (generated operations call it).
    pub fn before_serialization(&self, operation: &'static str, input: &dyn Inspect) {
        for interceptor in &self.config.interceptors {
            interceptor.before_serialization(operation, input);
        }
    }

    /// Runs the interceptors' `after_deserialization` on a call's outcome (generated
    /// operations call it) and hands the outcome back.
    pub fn after_deserialization<O: Inspect, E: std::error::Error>(
        &self,
        operation: &'static str,
        outcome: Result<O, E>,
    ) -> Result<O, E> {
        for interceptor in &self.config.interceptors {
            let seen = match &outcome {
                Ok(output) => Ok(output as &dyn Inspect),
                Err(error) => Err(error as &dyn std::error::Error),
            };
            interceptor.after_deserialization(operation, seen);
        }
        outcome
    }

    /// Sends the request to the endpoint with signing, retries and timeouts, and reads the
    /// response whole.
    pub async fn invoke(
        &self,
        endpoint: &Endpoint,
        request: OperationRequest,
    ) -> Result<OperationResponse, SdkError> {
        let (received, attempts) = self.run(endpoint, request, false).await?;
        let response = match received {
            Received::Whole(response) => response,
            Received::Streaming(response) => {
                let (parts, body) = response.into_parts();
                let body = body::collect_limited(body, self.config.response_body_limit)
                    .await
                    .map_err(SdkError::Dispatch)?;
                http::Response::from_parts(parts, body)
            }
        };
        Ok(finish(response, attempts))
    }

    /// Sends the request with signing, retries and timeouts; a success is returned with its body
    /// unread.
    pub async fn invoke_streaming(
        &self,
        endpoint: &Endpoint,
        request: OperationRequest,
    ) -> Result<OperationResponse<ByteStream>, SdkError> {
        let (received, attempts) = self.run(endpoint, request, true).await?;
        let response = match received {
            Received::Whole(response) => response.map(ByteStream::from),
            Received::Streaming(response) => response,
        };
        Ok(finish(response, attempts))
    }

    /// The attempts of one call under the operation timeout: the final response and how many
    /// attempts it took.
    async fn run(
        &self,
        endpoint: &Endpoint,
        request: OperationRequest,
        streaming_output: bool,
    ) -> Result<(Received, u32), SdkError> {
        let span = tracing::info_span!(
            "operation",
            service = self.config.service.sdk_id,
            operation = request.operation
        );
        async move {
            let call = self.start(endpoint, request, streaming_output).await?;
            let attempts = self.attempts(&call);
            let (received, attempts) = match self.config.timeouts.operation {
                Some(limit) => tokio::time::timeout(limit, attempts).await.map_err(|_| {
                    tracing::debug!(?limit, "operation timed out");
                    SdkError::Timeout {
                        scope: TimeoutScope::Operation,
                        after: limit,
                    }
                })?,
                None => attempts.await,
            }?;
            Ok((
                checksums::check_response(call.validate_response, received)?,
                attempts,
            ))
        }
        .instrument(span)
        .await
    }

    /// Readies a call: reads the payload once for the SHA-256 the signature covers and the
    /// checksum header it sends (buffering a body that can only be read once).
    async fn start<'a>(
        &self,
        endpoint: &'a Endpoint,
        mut request: OperationRequest,
        streaming_output: bool,
    ) -> Result<Call<'a>, SdkError> {
        // An event stream's messages are signed one by one, never buffered.
        let signs_payload =
            matches!(request.auth, Auth::SigV4 | Auth::Optional) && request.event_signing.is_none();
        // An unsigned body of known length that is not in memory carries its checksum in an
        // aws-chunked trailer: it is read once, as it is sent.
        let trailer_length = (!signs_payload && request.body.in_memory().is_none())
            .then(|| request.body.length())
            .flatten();
        // A default checksum is sent only where it costs no buffering.
        let default_allowed =
            signs_payload || request.body.is_replayable() || trailer_length.is_some();
        let checksum = checksums::request_checksum(&request, &self.config, default_allowed);
        checksums::name_default_algorithm(&mut request, checksum);
        let trailer = checksum.zip(trailer_length);
        let checksum = checksum.filter(|_| trailer.is_none());
        if (signs_payload || checksum.is_some()) && !request.body.is_replayable() {
            let body = std::mem::take(&mut request.body);
            request.body = ByteStream::new(body.collect().await.map_err(unreadable)?);
        }
        let digests = checksums::request_digests(&request.body, signs_payload, checksum).await?;
        if let (Some(algorithm), Some(value)) = (checksum, digests.checksum) {
            let value = HeaderValue::try_from(value)
                .map_err(|error| SdkError::Construction(Box::new(error)))?;
            request.headers.insert(algorithm.header_name(), value);
        }
        let validate_response = checksums::validated_algorithms(&request, &self.config);
        Ok(Call {
            endpoint,
            request,
            payload_sha256: digests.sha256,
            streaming_output,
            // A UUID is a valid header value; every attempt shares this one.
            invocation_id: HeaderValue::try_from(crate::uuid_v4())
                .unwrap_or(HeaderValue::from_static("unknown")),
            validate_response,
            trailer,
        })
    }

    async fn attempts(&self, call: &Call<'_>) -> Result<(Received, u32), SdkError> {
        let max_attempts = self.config.retry.max_attempts.max(1);
        let mut retry_cost = None;
        for attempt in 1..=max_attempts {
            self.admit_attempt().await;
            let timer = Timer::start();
            let outcome = self
                .attempt(call, attempt, max_attempts)
                .instrument(tracing::debug_span!("attempt", attempt))
                .await;
            self.phase_done(call.request.operation, Phase::Attempt, timer);
            self.record_answer(matches!(
                outcome,
                Attempt::Retryable(RetryKind::Throttling, _)
            ));
            let (kind, result) = match outcome {
                Attempt::Done(received) => {
                    let success = match &received {
                        Received::Whole(response) => response.status().is_success(),
                        Received::Streaming(_) => true,
                    };
                    if success {
                        self.quota.release(retry_cost);
                    }
                    return Ok((received, attempt));
                }
                Attempt::Failed(error) => return Err(in_context(error, call.endpoint, attempt)),
                Attempt::Retryable(kind, result) => (kind, result),
            };
            // A body that can be read only once went with this attempt: no retry can resend it.
            let last = attempt == max_attempts || !call.request.body.is_replayable();
            let paid = if last { None } else { self.quota.acquire(kind) };
            let Some(cost) = paid else {
                if !last {
                    tracing::debug!(?kind, "retry quota exhausted; not retrying");
                }
                return result
                    .map(|response| (Received::Whole(response), attempt))
                    .map_err(|error| in_context(error, call.endpoint, attempt));
            };
            retry_cost = Some(cost);
            let wait = backoff(&self.config.retry, attempt);
            tracing::debug!(?kind, ?wait, "retrying");
            tokio::time::sleep(wait).await;
        }
        unreachable!("the last attempt always returns")
    }

    async fn attempt(&self, call: &Call<'_>, attempt: u32, max_attempts: u32) -> Attempt {
        let http_request = match self.prepare(call, attempt, max_attempts).await {
            Ok(http_request) => http_request,
            Err(error) => return Attempt::Failed(error),
        };
        tracing::debug!(method = %http_request.method(), path = http_request.uri().path(), "sending");
        let operation = call.request.operation;
        for interceptor in &self.config.interceptors {
            interceptor.before_transmit(operation, attempt, &http_request);
        }
        let sent = self.exchange(http_request, call.streaming_output);
        let limit = self.config.timeouts.attempt;
        let received = tokio::time::timeout(limit, sent).await;
        self.after_response(operation, attempt, &received);
        let Ok(received) = received else {
            let error = SdkError::Timeout {
                scope: TimeoutScope::Attempt,
                after: limit,
            };
            // The request may have reached the service: only an idempotent one is sent again.
            return match call.request.idempotent {
                true => Attempt::Retryable(RetryKind::Timeout, Err(error)),
                false => Attempt::Failed(error),
            };
        };
        match received {
            Ok(Received::Whole(response)) => {
                let response = match call.request.error_in_success {
                    true => classify::error_in_success(response),
                    false => response,
                };
                tracing::debug!(
                    status = response.status().as_u16(),
                    request_id = request_id(&response),
                    "received"
                );
                // Refused for a wrong clock: sent again at the service's time, whatever the
                // operation (a request refused at the door was not carried out).
                if self.clock.correct(&response) {
                    return Attempt::Retryable(RetryKind::Transient, Ok(response));
                }
                match classify_response(&response) {
                    Some(kind) => Attempt::Retryable(kind, Ok(response)),
                    None => Attempt::Done(Received::Whole(response)),
                }
            }
            Ok(streaming) => Attempt::Done(streaming),
            Err(error) => match classify_transport(error.kind(), call.request.idempotent) {
                Some(kind) => Attempt::Retryable(kind, Err(SdkError::Dispatch(error))),
                None => Attempt::Failed(SdkError::Dispatch(error)),
            },
        }
    }

    /// Tells the interceptors what an attempt received: a status, or the failure.
    fn after_response(
        &self,
        operation: &'static str,
        attempt: u32,
        received: &Result<
            Result<Received, crate::transport::HttpError>,
            tokio::time::error::Elapsed,
        >,
    ) {
        for interceptor in &self.config.interceptors {
            let outcome = match received {
                Ok(Ok(Received::Whole(response))) => Ok(response.status().as_u16()),
                Ok(Ok(Received::Streaming(response))) => Ok(response.status().as_u16()),
                Ok(Err(error)) => Err(error),
                Err(_) => Err(&*TIMED_OUT),
            };
            interceptor.after_response(operation, attempt, outcome);
        }
    }

    /// Sends one request and reads the response body, except a success's when the output
    /// streams.
    async fn exchange(
        &self,
        request: StreamingRequest,
        streaming_output: bool,
    ) -> Result<Received, crate::transport::HttpError> {
        let response = self.send_watched(request).await?;
        if streaming_output && response.status().is_success() {
            tracing::debug!(status = response.status().as_u16(), "receiving a stream");
            let (idle, stall) = (self.config.timeouts.read, self.config.stalled_stream);
            return Ok(Received::Streaming(response.map(|body| {
                let body = body::idle_timeout(body, idle);
                match stall {
                    Some(protection) => body::stall_protection(body, protection),
                    None => body,
                }
            })));
        }
        let (parts, body) = response.into_parts();
        let limit = match parts.status.is_success() {
            true => self.config.response_body_limit,
            false => self.config.response_body_limit.min(body::ERROR_BODY_LIMIT),
        };
        let body = body::collect_limited(body, limit).await?;
        Ok(Received::Whole(http::Response::from_parts(parts, body)))
    }

    /// Sends a request; an upload not in memory is watched by stalled-stream protection,
    /// which fails the exchange when the server stops taking the body.
    async fn send_watched(
        &self,
        request: StreamingRequest,
    ) -> Result<http::Response<ByteStream>, crate::transport::HttpError> {
        let protection = match self.config.stalled_stream {
            Some(protection) if request.body().in_memory().is_none() => protection,
            _ => return self.config.http_client.send_streaming(request).await,
        };
        let progress = std::sync::Arc::new(body::UploadProgress::default());
        let length = request.body().length();
        let request = request.map(|body| body::count_upload(body, progress.clone()));
        let send = self.config.http_client.send_streaming(request);
        let watchdog = body::upload_stalled(progress, protection, length);
        match futures_util::future::select(Box::pin(send), Box::pin(watchdog)).await {
            futures_util::future::Either::Left((response, _)) => response,
            futures_util::future::Either::Right((stalled, _)) => Err(
                crate::transport::HttpError::new(crate::transport::HttpErrorKind::Io, stalled),
            ),
        }
    }

    /// The request of one attempt: full URI, standard headers, and a fresh signature.
    async fn prepare(
        &self,
        call: &Call<'_>,
        attempt: u32,
        max_attempts: u32,
    ) -> Result<StreamingRequest, SdkError> {
        let (endpoint, request) = (call.endpoint, &call.request);
        let parsed = endpoint.uri(&request.path_and_query)?;
        let host = parsed
            .authority()
            .and_then(|authority| HeaderValue::from_str(authority.as_str()).ok());
        let mut builder = http::Request::builder()
            .method(request.method.clone())
            .uri(parsed);
        let headers = builder.headers_mut().expect("the builder is valid so far");
        headers.reserve(request.headers.len() + 12);
        for (name, value) in &request.headers {
            headers.append(name.clone(), value.clone());
        }
        if let Some(host) = host {
            headers.insert(http::header::HOST, host);
        }
        if let Some(user_agent) = &self.user_agent {
            headers.insert(http::header::USER_AGENT, user_agent.clone());
        }
        headers.insert("amz-sdk-invocation-id", call.invocation_id.clone());
        let request_header = format!("attempt={attempt}; max={max_attempts}");
        if let Ok(value) = HeaderValue::try_from(request_header) {
            headers.insert("amz-sdk-request", value);
        }
        let body = attempt_body(call, headers)?;
        // A body of unknown length goes chunked.
        if let Some(length) = body.length() {
            if length > 0 || matches!(request.method, Method::POST | Method::PUT | Method::PATCH) {
                headers.insert(http::header::CONTENT_LENGTH, HeaderValue::from(length));
            }
        }
        endpoint.insert_headers(headers)?;
        let mut http_request = builder
            .body(body)
            .map_err(|error| SdkError::Construction(Box::new(error)))?;
        for interceptor in &self.config.interceptors {
            interceptor.before_signing(request.operation, attempt, &mut http_request);
        }
        self.authenticate(call, &mut http_request).await?;
        Ok(http_request)
    }

    /// Signs the attempt's request with the call's credentials, when its auth asks for them,
    /// and seeds an event stream's signatures with the request's.
    async fn authenticate(
        &self,
        call: &Call<'_>,
        http_request: &mut StreamingRequest,
    ) -> Result<(), SdkError> {
        let request = &call.request;
        let credentials = match request.auth {
            Auth::None => None,
            Auth::Optional => self.credentials().await.ok().flatten(),
            Auth::SigV4 | Auth::SigV4UnsignedPayload => self.credentials().await?,
        };
        if let Some(credentials) = credentials {
            let payload = match (&call.payload_sha256, call.trailer, &request.event_signing) {
                (_, _, Some(_)) => SignableBody::Precomputed(EVENTS_PAYLOAD),
                (Some(hash), _, None) => SignableBody::Precomputed(hash),
                (None, Some(_), None) => SignableBody::Precomputed(aws_chunked::UNSIGNED_TRAILER),
                (None, None, None) => SignableBody::Unsigned,
            };
            let seed = self.sign(http_request, call.endpoint, &credentials, payload)?;
            if let Some(slot) = &request.event_signing {
                let (region, service) = self.signing_scope(call.endpoint)?;
                slot.fill(EventSigner {
                    credentials,
                    region: region.to_owned(),
                    service: service.to_owned(),
                    seed,
                });
            }
        }
        Ok(())
    }
}

/// What interceptors are told of an attempt that timed out.
static TIMED_OUT: std::sync::LazyLock<crate::transport::HttpError> =
    std::sync::LazyLock::new(|| {
        crate::transport::HttpError::new(HttpErrorKind::Io, "the attempt timed out")
    });

/// The payload hash an event-stream request signs (its messages are signed one by one).
const EVENTS_PAYLOAD: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

fn request_id<B>(response: &http::Response<B>) -> Option<String> {
    ["x-amzn-requestid", "x-amz-request-id"]
        .iter()
        .find_map(|name| {
            response
                .headers()
                .get(*name)?
                .to_str()
                .ok()
                .map(str::to_owned)
        })
}

/// A transport failure with where it went and after how many attempts, for its message.
fn in_context(error: SdkError, endpoint: &Endpoint, attempts: u32) -> SdkError {
    let SdkError::Dispatch(failure) = error else {
        return error;
    };
    let host = endpoint
        .url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or(&endpoint.url);
    let tries = match attempts {
        1 => "1 attempt".to_owned(),
        n => format!("{n} attempts"),
    };
    SdkError::Dispatch(crate::transport::HttpError::new(
        failure.kind(),
        format!("{host}, {tries}: {}", failure.message()),
    ))
}

/// A body that could not be read, as the error of the call.
pub(crate) fn unreadable(error: std::io::Error) -> SdkError {
    SdkError::Dispatch(crate::transport::HttpError::new(
        HttpErrorKind::Request,
        format!("cannot read the request body: {error}"),
    ))
}

fn finish<B>(response: http::Response<B>, attempts: u32) -> OperationResponse<B> {
    OperationResponse {
        request_id: request_id(&response),
        response,
        attempts,
    }
}

/// Sets the header `name` to `value` when `value` is a valid header value.
fn insert_valid(headers: &mut HeaderMap, name: &'static str, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(name, value);
    }
}

/// The body of an attempt: the request's, or with a checksum trailer its aws-chunked
/// encoding (whose headers are set in `headers`).
fn attempt_body(call: &Call<'_>, headers: &mut HeaderMap) -> Result<ByteStream, SdkError> {
    let request = &call.request;
    let Some((algorithm, length)) = call.trailer else {
        return Ok(request.body.clone());
    };
    let encoding = request
        .headers
        .get("content-encoding")
        .and_then(|value| value.to_str().ok());
    for (name, value) in aws_chunked::headers(algorithm, length, encoding) {
        insert_valid(headers, name, &value);
    }
    aws_chunked::encode(request.body.clone(), algorithm, length)
        .map_err(|error| SdkError::Construction(Box::new(error)))
}
