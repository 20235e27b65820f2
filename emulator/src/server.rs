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
use ivschat_runtime::http::{HeaderValue, Request, Response};
use ivschat_runtime::DateTimeFormat;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, Semaphore};

use crate::auth::{Access, Secrets};
use crate::connections::{Activity, Connections};
use crate::control_plane::finish;
use crate::deadline::WriteDeadline;
use crate::error::ApiError;
use crate::fault::{BrokenOff, Fault, FaultRule, ResponseBody};
use crate::gate::{AllowedHosts, Route};
use crate::limits::{Limits, MAX_ADMIN_BODY_BYTES, MAX_HEAD_BYTES, MAX_STS_BODY_BYTES};
use crate::review::ReviewRule;
use crate::shared::Shared;
use crate::state::{Settings, State};

/// How long the accept loop waits after a failed accept (out of file descriptors, say) before
/// trying again, instead of spinning.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// The access key the emulator accepts when none is configured.
pub const DEFAULT_ACCESS_KEY_ID: &str = "AKIDIVSCHATLOCAL";
/// The secret of [`DEFAULT_ACCESS_KEY_ID`].
pub const DEFAULT_SECRET_ACCESS_KEY: &str = "ivschat-local-secret";
/// The access key id and secret LocalStack users sign with (`test`/`test`), accepted besides
/// the default key unless [`EmulatorBuilder::strict_keys`] or a configured key says otherwise.
pub const TEST_KEY: &str = "test";

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
            accounts: Default::default(),
            policies: Default::default(),
            request_log: None,
            test_keys: true,
            anonymous: false,
            state_file: None,
            limits: Limits::default(),
            web_identity_tokens: Secrets::default(),
            issued_keys_admin: false,
            allowed_hosts: AllowedHosts::default(),
            clock_offset: 0,
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
    /// Keys of other accounts: access key id to account id and the key (whose `Debug`
    /// hides the secret).
    accounts: std::collections::BTreeMap<String, (String, Credentials)>,
    policies: std::collections::BTreeMap<String, crate::policy::Policy>,
    request_log: Option<PathBuf>,
    test_keys: bool,
    anonymous: bool,
    state_file: Option<PathBuf>,
    limits: Limits,
    web_identity_tokens: Secrets,
    issued_keys_admin: bool,
    allowed_hosts: AllowedHosts,
    clock_offset: i64,
}

impl EmulatorBuilder {
    /// A web identity token (an OIDC JWT, or any text) that `AssumeRoleWithWebIdentity` takes;
    /// without one, web identity is refused (`InvalidIdentityToken`), so that no caller gets
    /// keys without authenticating. Repeat for more tokens.
    pub fn web_identity_token(mut self, token: impl Into<String>) -> Self {
        self.web_identity_tokens.0.push(token.into());
        self
    }

    /// Runs the emulator's clock `seconds` off (negative: behind): signatures are checked
    /// against it and answers carry it in `Date`, as a service whose clock differs from the
    /// client's would (to test clock-skew correction).
    pub fn clock_offset(mut self, seconds: i64) -> Self {
        self.clock_offset = seconds;
        self
    }

    /// Whether keys the emulator's STS issued may call the admin endpoints (`/_emulator/`);
    /// off unless asked: only the configured keys may.
    pub fn issued_keys_reach_admin(mut self, allowed: bool) -> Self {
        self.issued_keys_admin = allowed;
        self
    }

    /// A host name requests may carry in `Host` besides addresses and loopback names (`*` for
    /// any: the DNS-rebinding check is then off). Repeat for more.
    pub fn allow_host(mut self, name: &str) -> Self {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        self.allowed_hosts.names.push(name);
        self
    }

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

    /// A key of another account: requests signed with it see, list, count against the quota
    /// and create only that account's rooms, logging configurations and tags (ARNs carry
    /// `account_id`), as separate AWS accounts would. The keys without an account (the
    /// default ones, or [`credentials`](Self::credentials)) are the default account's.
    pub fn account(
        mut self,
        account_id: &str,
        access_key_id: &str,
        secret_access_key: &str,
    ) -> Self {
        let credentials = Credentials::new(access_key_id, secret_access_key, None, None);
        self.accounts.insert(
            access_key_id.to_owned(),
            (account_id.to_owned(), credentials),
        );
        self
    }

    /// A policy for a key (and the keys the emulator's STS issues from it): it may call only
    /// the actions on the resources the policy allows; anything else is answered 403
    /// `AccessDeniedException`, worded as IAM words it. Keys without a policy may do all.
    pub fn policy(mut self, access_key_id: &str, policy: crate::policy::Policy) -> Self {
        self.policies.insert(access_key_id.to_owned(), policy);
        self
    }

    /// Appends every request's log entry to `path` as a JSON line (time, method, operation,
    /// status, latency, a refusal's reason; never a header, a key, a token or a body), up to
    /// 64 MiB: a session recorded for a test to replay or check.
    pub fn request_log(mut self, path: impl Into<PathBuf>) -> Self {
        self.request_log = Some(path.into());
        self
    }

    /// Accept only the default key, not `test`/`test` besides it (a configured key is always
    /// the only one accepted).
    pub fn strict_keys(mut self) -> Self {
        self.test_keys = false;
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

    /// A warning to show when the emulator is reachable from other machines.
    pub fn exposure_warning(&self) -> Option<String> {
        exposure_warning(self.address, self.anonymous, self.credentials.is_empty())
    }

    /// Binds and serves in the background until the handle is dropped.
    pub async fn start(self) -> std::io::Result<EmulatorHandle> {
        let state_lock = match self.state_file.as_deref() {
            Some(path) => Some(crate::persist::lock(path)?),
            None => None,
        };
        if let Some(warning) = self.exposure_warning() {
            tracing::warn!("{warning}");
        }
        let wanted = SocketAddr::new(self.address, self.port);
        let listener = TcpListener::bind(wanted)
            .await
            .map_err(|error| bind_error(wanted, error))?;
        let address = listener.local_addr()?;
        let credentials = accepted_keys(self.credentials, self.test_keys, &self.accounts);
        let accounts = self
            .accounts
            .into_iter()
            .map(|(key, (account, _))| (key, account))
            .collect();
        let state = initial_state(self.settings, &self.limits, self.state_file.as_deref())?;
        let saved = crate::persist::document(&state.kept());
        let request_log = self
            .request_log
            .as_deref()
            .map(open_request_log)
            .transpose()?;
        let shared = Arc::new(Shared {
            access: Access {
                credentials,
                issued: Default::default(),
                anonymous: self.anonymous,
                region: state.settings.region.clone(),
                web_identity_tokens: self.web_identity_tokens,
                issued_keys_admin: self.issued_keys_admin,
                clock_offset: self.clock_offset,
                accounts,
                policies: self.policies,
            },
            allowed_hosts: self.allowed_hosts,
            state_file: self.state_file,
            state: Mutex::new(state),
            faults: Mutex::default(),
            requests: AtomicUsize::new(0),
            saves: Arc::new(tokio::sync::Mutex::new(saved)),
            websockets: Arc::new(Semaphore::new(self.limits.max_websockets)),
            limits: self.limits,
            console_token: crate::state::secret_token(),
            recent: Mutex::default(),
            request_log,
        });
        let (shutdown, stopped) = oneshot::channel();
        tokio::spawn(serve(listener, shared.clone(), stopped));
        Ok(EmulatorHandle {
            address,
            shared,
            shutdown: Some(shutdown),
            _state_lock: state_lock,
        })
    }
}

/// The state the emulator starts with: empty, or what the state file holds when it exists.
fn initial_state(
    settings: Settings,
    limits: &Limits,
    state_file: Option<&std::path::Path>,
) -> std::io::Result<State> {
    let mut state = State {
        settings,
        limits: limits.clone(),
        ..State::default()
    };
    if let Some(path) = state_file.filter(|path| path.exists()) {
        crate::persist::load(&mut state, path)?;
    }
    Ok(state)
}

/// The keys the emulator accepts: the configured ones (none configured: the default key and,
/// unless turned off, the test key) and every account's.
fn accepted_keys(
    configured: Vec<Credentials>,
    test_keys: bool,
    accounts: &std::collections::BTreeMap<String, (String, Credentials)>,
) -> Vec<Credentials> {
    let own = if configured.is_empty() {
        let default =
            Credentials::new(DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, None, None);
        let test = Credentials::new(TEST_KEY, TEST_KEY, None, None);
        std::iter::once(default)
            .chain(test_keys.then_some(test))
            .collect()
    } else {
        configured
    };
    own.into_iter()
        .chain(accounts.values().map(|(_, key)| key.clone()))
        .collect()
}

/// The request log at `path`, opened for appending (created when missing).
fn open_request_log(
    path: &std::path::Path,
) -> std::io::Result<Mutex<crate::shared::RequestLogFile>> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|error| {
            std::io::Error::new(
                error.kind(),
                format!("cannot open the request log {}: {error}", path.display()),
            )
        })?;
    let written = file.metadata().map(|metadata| metadata.len()).unwrap_or(0);
    Ok(Mutex::new(crate::shared::RequestLogFile {
        file: std::io::LineWriter::new(file),
        written,
    }))
}

/// A running emulator; it stops when dropped (its connections are closed and its state
/// file's lock released).
pub struct EmulatorHandle {
    address: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    /// The lock on the state file, held (never read) while the emulator runs.
    _state_lock: Option<std::fs::File>,
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

    /// The web console's address, with its token in the fragment (which the browser keeps to
    /// itself): whoever has it can see and change everything, as with the admin key.
    pub fn console_url(&self) -> String {
        format!(
            "{}{}#{}",
            self.url(),
            crate::console::UI_PATH,
            self.shared.console_token
        )
    }

    /// A snapshot of the rooms, logging configurations and tags, as `GET /_emulator/state`
    /// answers it and `--state-file` keeps it (JSON).
    pub fn snapshot(&self) -> String {
        crate::persist::document(&self.shared.lock().kept())
    }

    /// Replaces the rooms, logging configurations and tags with a snapshot's (saved to the
    /// state file first, when there is one): all of it, or nothing when the snapshot is wrong,
    /// the error saying what is. Open chat connections stay.
    pub async fn load_snapshot(&self, snapshot: &str) -> Result<(), String> {
        crate::admin::load_snapshot(&self.shared, snapshot)
            .await
            .map(|_| ())
            .map_err(|error| {
                let message = error
                    .body
                    .get("message")
                    .and_then(|message| message.as_str());
                message.unwrap_or(error.code).to_owned()
            })
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
    /// most rules (1000).
    pub fn inject(&self, fault: Fault, count: usize) -> bool {
        self.inject_rule(FaultRule::new(fault, count))
    }

    /// Queues a targeted fault ([`FaultRule`]: an operation, a probability, a status); false
    /// when the queue already holds its most rules (1000).
    pub fn inject_rule(&self, rule: FaultRule) -> bool {
        self.shared.inject(rule).is_ok()
    }

    /// The queued fault rules, with the requests each has left.
    pub fn faults(&self) -> Vec<FaultRule> {
        self.shared.fault_rules()
    }

    /// Drops every queued fault rule; how many there were.
    pub fn clear_faults(&self) -> usize {
        self.shared.clear_faults()
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

/// A bind failure that names the address, and for one in use what may hold it.
fn bind_error(address: SocketAddr, error: std::io::Error) -> std::io::Error {
    let hint = match error.kind() {
        std::io::ErrorKind::AddrInUse => {
            "; another program holds it (another ivschat-local, or LocalStack, which also takes \
             4566): choose a port with --port"
        }
        _ => "",
    };
    std::io::Error::new(
        error.kind(),
        format!("cannot listen on {address}: {error}{hint}"),
    )
}

/// The warning for an emulator reachable from other machines, or `None` on loopback.
fn exposure_warning(address: IpAddr, anonymous: bool, default_key: bool) -> Option<String> {
    if address.is_loopback() {
        return None;
    }
    let who = match (anonymous, default_key) {
        (true, _) => "anyone who can reach it may call it (--anonymous)",
        (false, true) => {
            "its default access key is public: set --access-key-id and --secret-access-key"
        }
        (false, false) => "anyone who holds its access key may call it",
    };
    Some(format!(
        "ivschat-local listens on {address}, not loopback: other machines can reach it, and {who}"
    ))
}

async fn serve(listener: TcpListener, shared: Arc<Shared>, mut stopped: oneshot::Receiver<()>) {
    let limits = &shared.limits;
    let connections = Connections::new(limits.max_connections, limits.max_connections_per_peer);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = &mut stopped => return connections.close_all(),
        };
        let Ok((stream, peer)) = accepted else {
            tokio::time::sleep(ACCEPT_BACKOFF).await;
            continue;
        };
        // Over a cap with every connection busy: closed at once rather than queued.
        let Some(slot) = connections.admit(peer.ip()) else {
            continue;
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            let limits = shared.limits.clone();
            let activity = slot.activity.clone();
            let service =
                service_fn(move |request| logged(request, shared.clone(), activity.clone()));
            let stream = WriteDeadline::new(stream, limits.write_timeout);
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .max_buf_size(MAX_HEAD_BYTES)
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            tokio::select! {
                _ = connection => {}
                () = slot.close.notified() => tracing::debug!("closed an idle connection to make room"),
            }
        });
    }
}

/// [`answer`], logged ([`crate::request_log`]) while the connection counts as busy.
async fn logged(
    request: Request<Incoming>,
    shared: Arc<Shared>,
    activity: Arc<Activity>,
) -> Result<Response<ResponseBody>, BrokenOff> {
    let _busy = activity.request();
    let started = std::time::Instant::now();
    let method = request.method().clone();
    let operation = operation_of(&request, route_of(&request));
    let now = shared.access.now();
    let shared_for_log = shared.clone();
    let mut response = answer(request, shared).await;
    if let Ok(response) = &mut response {
        if let Ok(date) = HeaderValue::try_from(now.fmt(DateTimeFormat::HttpDate)) {
            response.headers_mut().insert(hyper::header::DATE, date);
        }
    }
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    crate::request_log::log(&shared_for_log, &method, operation, &response, latency_ms);
    response
}

/// Answers one request, applying the next queued fault if any.
async fn answer(
    request: Request<Incoming>,
    shared: Arc<Shared>,
) -> Result<Response<ResponseBody>, BrokenOff> {
    let route = route_of(&request);
    if let Err(error) = crate::gate::admit(&request, route, &shared.allowed_hosts) {
        return Ok(finish(Err(error), None));
    }
    if route == Route::WebSocket {
        return Ok(crate::messaging::accept(request, shared));
    }
    let (parts, body) = request.into_parts();
    let limit = match route {
        Route::Sts => MAX_STS_BODY_BYTES,
        Route::Admin if parts.uri.path() == crate::admin::STATE_PATH => {
            crate::persist::MAX_STATE_FILE_BYTES
        }
        Route::Admin | Route::Console => MAX_ADMIN_BODY_BYTES,
        Route::ControlPlane | Route::WebSocket => shared.limits.max_body_bytes,
    };
    let body = match read_body(body, &parts, limit, &shared.limits).await {
        Ok(body) => body,
        Err(Some(error)) => return Ok(finish(Err(error), None)),
        Err(None) => return Err(BrokenOff),
    };
    match route {
        Route::Admin => {
            return Ok(finish(
                crate::admin::answer(&shared, &parts, &body).await,
                None,
            ))
        }
        Route::Sts => return Ok(crate::sts::answer(&shared, &parts, &body)),
        Route::Console => return Ok(crate::console::answer(&shared, &parts, &body).await),
        Route::ControlPlane | Route::WebSocket => {}
    }
    shared.requests.fetch_add(1, Ordering::SeqCst);
    crate::control_plane::answer(&shared, &parts, &body).await
}

/// The operation's name as the request line tells it.
pub fn operation_of<B>(request: &Request<B>, route: Route) -> String {
    let path = request.uri().path();
    match route {
        Route::WebSocket => "Connect".to_owned(),
        Route::Sts => "STS".to_owned(),
        Route::Admin | Route::Console => {
            format!("admin {}", path.trim_start_matches(crate::admin::PREFIX))
        }
        Route::ControlPlane => {
            crate::router::operation_name(request.method().as_str(), path).to_owned()
        }
    }
}

/// Which route a request takes, from its method, path and headers.
fn route_of<B>(request: &Request<B>) -> Route {
    if crate::messaging::is_upgrade(request) {
        Route::WebSocket
    } else if crate::console::is_console(request.uri().path()) {
        Route::Console
    } else if request.uri().path().starts_with(crate::admin::PREFIX) {
        Route::Admin
    } else if crate::sts::is_sts(request) {
        Route::Sts
    } else {
        Route::ControlPlane
    }
}

/// Reads a request body within `limit` bytes and the time limit: `Err(Some(..))` is the
/// answer to give, `Err(None)` a connection that broke.
async fn read_body(
    body: Incoming,
    parts: &Parts,
    limit: u64,
    limits: &Limits,
) -> Result<Bytes, Option<ApiError>> {
    let declared = parts
        .headers
        .get("content-length")
        .and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit) {
        return Err(Some(ApiError::too_large(limit)));
    }
    let limited = Limited::new(body, limit as usize).collect();
    match tokio::time::timeout(limits.body_timeout, limited).await {
        Err(_) => Err(Some(ApiError::request_timeout(limits.body_timeout))),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(error)) if error.is::<http_body_util::LengthLimitError>() => {
            Err(Some(ApiError::too_large(limit)))
        }
        Ok(Err(_)) => Err(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reads_do_not_wait_for_a_save_and_changes_take_their_turn() {
        let folder = tempfile::tempdir().unwrap();
        let emulator = Emulator::builder()
            .anonymous(true)
            .state_file(folder.path().join("state.json"))
            .start()
            .await
            .unwrap();
        let client = ivschat::Client::from_builder(emulator.config().max_attempts(1)).unwrap();
        let room = client.create_room().name("kept").send().await.unwrap();
        let saving = emulator.shared.saves.lock().await;
        let read = tokio::time::timeout(
            Duration::from_secs(5),
            client.get_room().identifier(room.arn().unwrap()).send(),
        )
        .await;
        assert!(
            read.is_ok_and(|read| read.is_ok()),
            "a read waited for the save"
        );
        let write = client.create_room().name("later").send();
        let waited = tokio::time::timeout(Duration::from_millis(300), write).await;
        assert!(
            waited.is_err(),
            "a change did not wait for the save in progress"
        );
        drop(saving);
        let after = client.create_room().send().await;
        assert!(after.is_ok(), "{after:?}");
    }

    #[test]
    fn only_an_emulator_reachable_from_elsewhere_warns() {
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        let everywhere: IpAddr = "0.0.0.0".parse().unwrap();
        assert_eq!(exposure_warning(loopback, true, true), None);
        assert_eq!(exposure_warning("::1".parse().unwrap(), true, true), None);
        let default_key = exposure_warning(everywhere, false, true).unwrap();
        assert!(
            default_key.contains("listens on 0.0.0.0, not loopback"),
            "{default_key}"
        );
        assert!(
            default_key.contains("default access key is public"),
            "{default_key}"
        );
        assert!(exposure_warning(everywhere, true, false)
            .unwrap()
            .contains("--anonymous"));
    }
}
