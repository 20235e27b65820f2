//! The HTTP/1.1 server: binds, authenticates, routes, answers in the service's wire format.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use ivschat_runtime::bytes::Bytes;
use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::http::{Request, Response};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::auth::{authenticate, Access};
use crate::error::ApiError;
use crate::router::route;
use crate::state::{new_id, Settings, State};

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
}

impl EmulatorBuilder {
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
        let access = Arc::new(Access {
            credentials,
            anonymous: self.anonymous,
            region: self.settings.region.clone(),
        });
        let state = Arc::new(Mutex::new(State {
            settings: self.settings,
            ..State::default()
        }));
        let (shutdown, stopped) = oneshot::channel();
        tokio::spawn(serve(listener, access.clone(), state.clone(), stopped));
        Ok(EmulatorHandle {
            address,
            access,
            state,
            shutdown: Some(shutdown),
        })
    }
}

/// A running emulator; it stops when dropped.
pub struct EmulatorHandle {
    address: SocketAddr,
    access: Arc<Access>,
    state: Arc<Mutex<State>>,
    shutdown: Option<oneshot::Sender<()>>,
}

impl EmulatorHandle {
    /// `http://ADDRESS:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The first access key the emulator accepts.
    pub fn credentials(&self) -> Credentials {
        self.access.credentials[0].clone()
    }

    /// The region of ARNs and signatures.
    pub fn region(&self) -> String {
        self.access.region.clone()
    }

    /// How many rooms exist.
    pub fn room_count(&self) -> usize {
        self.state
            .lock()
            .map(|state| state.rooms.len())
            .unwrap_or(0)
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

async fn serve(
    listener: TcpListener,
    access: Arc<Access>,
    state: Arc<Mutex<State>>,
    mut stopped: oneshot::Receiver<()>,
) {
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = &mut stopped => return,
        };
        let Ok((stream, _)) = accepted else { continue };
        let (access, state) = (access.clone(), state.clone());
        tokio::spawn(async move {
            let service = service_fn(move |request| answer(request, access.clone(), state.clone()));
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn answer(
    request: Request<Incoming>,
    access: Arc<Access>,
    state: Arc<Mutex<State>>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let outcome = match body.collect().await {
        Ok(collected) => {
            let body = collected.to_bytes();
            authenticate(&access, &parts, &body).and_then(|()| {
                let mut state = state
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                route(
                    &mut state,
                    parts.method.as_str(),
                    parts.uri.path(),
                    parts.uri.query().unwrap_or(""),
                    &body,
                )
            })
        }
        Err(error) => Err(ApiError::bad_request(format!(
            "cannot read the body: {error}"
        ))),
    };
    Ok(respond(outcome))
}

fn respond(outcome: Result<(u16, serde_json::Value), ApiError>) -> Response<Full<Bytes>> {
    let (status, code, body) = match outcome {
        Ok((status, serde_json::Value::Null)) => (status, None, String::new()),
        Ok((status, value)) => (status, None, value.to_string()),
        Err(error) => (
            error.status,
            Some(error.code),
            serde_json::Value::Object(error.body).to_string(),
        ),
    };
    let mut builder = Response::builder()
        .status(status)
        .header("x-amzn-requestid", new_id());
    if let Some(code) = code {
        builder = builder.header("x-amzn-errortype", code);
    }
    if !body.is_empty() {
        builder = builder.header("content-type", "application/json");
    }
    builder
        .body(Full::new(Bytes::from(body)))
        .expect("status and headers are valid")
}
