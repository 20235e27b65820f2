//! The HTTP/1.1 server: binds, authenticates, routes, answers in the service's wire format.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use ivschat_runtime::bytes::Bytes;
use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::http::request::Parts;
use ivschat_runtime::http::{Request, Response};
use tokio::net::TcpListener;
use tokio::sync::{oneshot, Semaphore};

use crate::auth::{authenticate, Access};
use crate::error::ApiError;
use crate::fault::{BrokenOff, Fault, ResponseBody};
use crate::limits::Limits;
use crate::review::ReviewRule;
use crate::router::{route, Answer};
use crate::shared::Shared;
use crate::state::{new_id, Settings, State};

/// How long the accept loop waits after a failed accept (out of file descriptors, say) before
/// trying again, instead of spinning.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// The access key the emulator accepts when none is configured.
pub const DEFAULT_ACCESS_KEY_ID: &str = "AKIDIVSCHATLOCAL";
/// The secret of [`DEFAULT_ACCESS_KEY_ID`].
pub const DEFAULT_SECRET_ACCESS_KEY: &str = "ivschat-local-secret";

/// The emulator.
pub struct Emulator;

impl Emulator {
    /// A builder: loopback, a free port, the default access key, `us-west-2`.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder {
            address: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            settings: Settings::default(),
            credentials: Vec::new(),
            anonymous: false,
            state_file: None,
            limits: Limits::default(),
        }
    }
}

/// Emulator settings.
#[derive(Clone, Debug)]
pub struct EmulatorBuilder {
    address: IpAddr,
    port: u16,
    settings: Settings,
    credentials: Vec<Credentials>,
    anonymous: bool,
    state_file: Option<PathBuf>,
    limits: Limits,
}

impl EmulatorBuilder {
    /// Keep the state in this file: loaded on start (a corrupt file is an error), saved after
    /// every change.
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// The port (0 picks a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The address to listen on (loopback unless changed).
    pub fn bind_address(mut self, address: IpAddr) -> Self {
        self.address = address;
        self
    }

    /// An access key the emulator accepts (replaces the default one).
    pub fn credentials(mut self, access_key_id: &str, secret_access_key: &str) -> Self {
        self.credentials.push(Credentials::new(
            access_key_id,
            secret_access_key,
            None,
            None,
        ));
        self
    }

    /// Temporary credentials the emulator accepts: requests signed with this key must carry
    /// this session token (`x-amz-security-token`), as AWS checks.
    pub fn temporary_credentials(
        mut self,
        access_key_id: &str,
        secret_access_key: &str,
        session_token: &str,
    ) -> Self {
        self.credentials.push(Credentials::new(
            access_key_id,
            secret_access_key,
            Some(session_token.to_owned()),
            None,
        ));
        self
    }

    /// Resource limits (sizes, timeouts, connection counts); [`Limits::default`] unless set.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Accept unsigned requests.
    pub fn anonymous(mut self, anonymous: bool) -> Self {
        self.anonymous = anonymous;
        self
    }

    /// The region of ARNs and of signatures.
    pub fn region(mut self, region: &str) -> Self {
        self.settings.region = region.to_owned();
        self
    }

    /// The most rooms there may be.
    pub fn room_quota(mut self, quota: usize) -> Self {
        self.settings.room_quota = quota;
        self
    }

    /// The most logging configurations there may be.
    pub fn logging_quota(mut self, quota: usize) -> Self {
        self.settings.logging_quota = quota;
        self
    }

    /// How long one minute of `sessionDurationInMinutes` lasts (60 s unless changed): a
    /// shorter one makes tokens and sessions expire quickly, for tests.
    pub fn session_minute(mut self, minute: Duration) -> Self {
        self.settings.session_minute = minute;
        self
    }

    /// Whether rooms' `maximumMessageRatePerSecond` is enforced (on unless changed).
    pub fn message_rate_limits(mut self, enforced: bool) -> Self {
        self.settings.message_rate_limits = enforced;
        self
    }

    /// The rule that stands in for rooms' message review handlers (see [`ReviewRule`]).
    pub fn review_rule(mut self, rule: ReviewRule) -> Self {
        self.settings.review_rule = Some(rule);
        self
    }

    /// Binds and serves in the background until the handle is dropped.
    pub async fn start(self) -> std::io::Result<EmulatorHandle> {
        let listener = TcpListener::bind(SocketAddr::new(self.address, self.port)).await?;
        let address = listener.local_addr()?;
        let credentials = if self.credentials.is_empty() {
            vec![Credentials::new(
                DEFAULT_ACCESS_KEY_ID,
                DEFAULT_SECRET_ACCESS_KEY,
                None,
                None,
            )]
        } else {
            self.credentials
        };
        let mut state = State {
            settings: self.settings,
            limits: self.limits.clone(),
            ..State::default()
        };
        if let Some(path) = self.state_file.as_deref().filter(|path| path.exists()) {
            crate::persist::load(&mut state, path)?;
        }
        let shared = Arc::new(Shared {
            access: Access {
                credentials,
                issued: Default::default(),
                anonymous: self.anonymous,
                region: state.settings.region.clone(),
            },
            state_file: self.state_file,
            state: Mutex::new(state),
            faults: Mutex::default(),
            requests: AtomicUsize::new(0),
            saves: tokio::sync::Mutex::new(()),
            websockets: Arc::new(Semaphore::new(self.limits.max_websockets)),
            limits: self.limits,
        });
        let (shutdown, stopped) = oneshot::channel();
        tokio::spawn(serve(listener, shared.clone(), stopped));
        Ok(EmulatorHandle {
            address,
            shared,
            shutdown: Some(shutdown),
        })
    }
}

/// A running emulator; it stops when dropped.
pub struct EmulatorHandle {
    address: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
}

impl EmulatorHandle {
    /// `http://ADDRESS:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Client settings for this emulator: its region, URL and first access key, reached
    /// without a proxy (the rest as usual), e.g.
    /// `ivschat::Client::from_builder(emulator.config())`.
    pub fn config(&self) -> ivschat_runtime::config::ConfigBuilder {
        ivschat_runtime::config::Config::builder()
            .region(self.region())
            .endpoint_url(self.url())
            .credentials(self.credentials())
            .no_proxy(self.address.ip().to_string())
    }

    /// `ws://ADDRESS:PORT`: the Chat Messaging API, on the same port.
    pub fn messaging_url(&self) -> String {
        format!("ws://{}", self.address)
    }

    /// How many WebSocket connections are open.
    pub fn connection_count(&self) -> usize {
        self.shared.lock().hub.len()
    }

    /// Drops every WebSocket connection without a close handshake, as a network failure would.
    pub fn break_connections(&self) {
        self.shared.lock().hub.break_all();
    }

    /// The first access key the emulator accepts.
    pub fn credentials(&self) -> Credentials {
        self.shared.access.credentials[0].clone()
    }

    /// The region of ARNs and signatures.
    pub fn region(&self) -> String {
        self.shared.access.region.clone()
    }

    /// How many rooms exist.
    pub fn room_count(&self) -> usize {
        self.shared.lock().rooms.len()
    }

    /// Answers the next `count` requests with `fault`; false when the queue already holds its
    /// most runs (1000).
    pub fn inject(&self, fault: Fault, count: usize) -> bool {
        self.shared.inject(fault, count).is_ok()
    }

    /// How many requests arrived so far (fault-injection requests aside).
    pub fn request_count(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

async fn serve(listener: TcpListener, shared: Arc<Shared>, mut stopped: oneshot::Receiver<()>) {
    let connections = Arc::new(Semaphore::new(shared.limits.max_connections));
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = &mut stopped => return,
        };
        let Ok((stream, _)) = accepted else {
            tokio::time::sleep(ACCEPT_BACKOFF).await;
            continue;
        };
        // Over the connection cap: closed at once rather than queued.
        let Ok(permit) = connections.clone().try_acquire_owned() else {
            continue;
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let header_timeout = shared.limits.header_timeout;
            let service = service_fn(move |request| logged(request, shared.clone()));
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades()
                .await;
        });
    }
}

/// [`answer`], logged at `info`: method, operation (the path, without its query), status and
/// latency, never a header or a body.
async fn logged(
    request: Request<Incoming>,
    shared: Arc<Shared>,
) -> Result<Response<ResponseBody>, BrokenOff> {
    let started = std::time::Instant::now();
    let method = request.method().clone();
    let operation = request.uri().path().trim_start_matches('/').to_owned();
    let response = answer(request, shared).await;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    match &response {
        Ok(answered) => tracing::info!(
            %method,
            operation,
            status = answered.status().as_u16(),
            latency_ms,
            "request"
        ),
        Err(BrokenOff) => tracing::info!(%method, operation, latency_ms, "request broken off"),
    }
    response
}

/// Answers one request, applying the next queued fault if any.
async fn answer(
    request: Request<Incoming>,
    shared: Arc<Shared>,
) -> Result<Response<ResponseBody>, BrokenOff> {
    if crate::messaging::is_upgrade(&request) {
        return Ok(crate::messaging::accept(request, shared));
    }
    let (parts, body) = request.into_parts();
    let body = match read_body(body, &parts, &shared.limits).await {
        Ok(body) => body,
        Err(Some(error)) => return Ok(finish(Err(error), None)),
        Err(None) => return Err(BrokenOff),
    };
    if parts.uri.path().starts_with(crate::admin::PREFIX) {
        return Ok(finish(crate::admin::answer(&shared, &parts, &body), None));
    }
    if crate::sts::is_sts(&parts) {
        return Ok(crate::sts::answer(&shared, &parts, &body));
    }
    shared.requests.fetch_add(1, Ordering::SeqCst);
    let fault = shared
        .faults
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .next();
    let outcome = match fault {
        Some(Fault::DropBeforeResponse) => return Err(BrokenOff),
        Some(Fault::InternalError) => Err(ApiError::internal()),
        Some(Fault::Throttle) => Err(ApiError::throttled()),
        Some(Fault::AccessDenied) => Err(ApiError::access_denied()),
        Some(Fault::PendingVerification) => Err(ApiError::pending_verification()),
        Some(Fault::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            operate(&shared, &parts, &body).await
        }
        _ => operate(&shared, &parts, &body).await,
    };
    Ok(finish(outcome, fault))
}

/// Reads a request body within the size and time limits: `Err(Some(..))` is the answer to
/// give, `Err(None)` a connection that broke.
async fn read_body(
    body: Incoming,
    parts: &Parts,
    limits: &Limits,
) -> Result<Bytes, Option<ApiError>> {
    let declared = parts
        .headers
        .get("content-length")
        .and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limits.max_body_bytes) {
        return Err(Some(ApiError::too_large(limits.max_body_bytes)));
    }
    let limited = Limited::new(body, limits.max_body_bytes as usize).collect();
    match tokio::time::timeout(limits.body_timeout, limited).await {
        Err(_) => Err(Some(ApiError::request_timeout(limits.body_timeout))),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(error)) if error.is::<http_body_util::LengthLimitError>() => {
            Err(Some(ApiError::too_large(limits.max_body_bytes)))
        }
        Ok(Err(_)) => Err(None),
    }
}

/// Authenticates and runs an operation. With a state file, a change is committed to memory and
/// disk or to neither: it is written outside the state lock (changes wait their turn), and a
/// failed write puts the state back and answers 500.
async fn operate(shared: &Shared, parts: &Parts, body: &[u8]) -> Result<Answer, ApiError> {
    authenticate(&shared.access, parts, body, "ivschat")?;
    let run = |state: &mut State| {
        route(
            state,
            parts.method.as_str(),
            parts.uri.path(),
            parts.uri.query().unwrap_or(""),
            body,
        )
    };
    let Some(path) = shared.state_file.clone() else {
        return run(&mut shared.lock());
    };
    let _turn = shared.saves.lock().await;
    let (answer, before, document) = {
        let mut state = shared.lock();
        let before = state.persistent();
        let answer = run(&mut state)?;
        if state.persistent() == before {
            return Ok(answer);
        }
        let document = crate::persist::document(&state);
        (answer, before, document)
    };
    let written = tokio::task::spawn_blocking({
        let path = path.clone();
        move || crate::persist::write(&path, &document)
    })
    .await
    .map_err(|error| std::io::Error::other(error.to_string()))
    .and_then(|result| result);
    match written {
        Ok(()) => Ok(answer),
        Err(error) => {
            shared.lock().restore(before);
            Err(ApiError::internal_failure(format!(
                "cannot save the state to {}: {error}; the change was not made",
                path.display()
            )))
        }
    }
}

/// The response of an outcome, in the service's wire format, broken as a fault says.
fn finish(
    outcome: Result<(u16, serde_json::Value), ApiError>,
    fault: Option<Fault>,
) -> Response<ResponseBody> {
    let (status, code, text) = match outcome {
        Ok((status, serde_json::Value::Null)) => (status, None, String::new()),
        Ok((status, value)) => (status, None, value.to_string()),
        Err(error) => (
            error.status,
            Some(error.code),
            serde_json::Value::Object(error.body).to_string(),
        ),
    };
    let (status, text) = match fault {
        Some(Fault::InvalidJson) => (200, "{\"rooms\": [unterminated".to_owned()),
        _ => (status, text),
    };
    let bytes = Bytes::from(text);
    let mut builder = Response::builder()
        .status(status)
        .header("x-amzn-requestid", new_id())
        .header("content-length", bytes.len());
    if let Some(code) = code {
        builder = builder.header("x-amzn-errortype", code);
    }
    if !bytes.is_empty() {
        builder = builder.header("content-type", "application/json");
    }
    let body = match fault {
        Some(Fault::DropDuringResponse) => ResponseBody::half(bytes, true),
        Some(Fault::TruncateBody) => ResponseBody::half(bytes, false),
        _ => ResponseBody::full(bytes),
    };
    builder.body(body).expect("status and headers are valid")
}
