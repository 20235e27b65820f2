//! The connections a [`HyperClient`](super::HyperClient) keeps open between requests: an
//! HTTP/1.1 connection waits in the pool once its response was read to the end, an HTTP/2
//! connection stays in it while it is open and carries every request to its origin. Idle
//! connections are dropped once closed or idle past the idle timeout: on each checkout and
//! return, and by a task that runs while the pool holds any (a client talks to a handful of
//! origins, so the pool is a `Vec`).

use std::fmt;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::task::{ready, Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::Stream;
use http::uri::{Authority, Scheme};
use http::Uri;
use http_body_util::{Either, Full, StreamBody};
use hyper::body::{Body as _, Frame, Incoming};
use hyper::client::conn::{http1, TrySendError};

/// A request body for hyper: whole bytes, or frames of a [`ByteStream`](crate::ByteStream)
/// as they are read.
pub(super) type Body = Either<
    Full<Bytes>,
    StreamBody<futures_util::stream::BoxStream<'static, io::Result<Frame<Bytes>>>>,
>;

/// Where a connection goes: the scheme and authority of the requests it carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Origin {
    pub(super) scheme: Scheme,
    pub(super) authority: Authority,
}

impl Origin {
    /// The origin of an absolute URI; `None` when it lacks a scheme or an authority.
    pub(super) fn of(uri: &Uri) -> Option<Self> {
        Some(Self {
            scheme: uri.scheme()?.clone(),
            authority: uri.authority()?.clone(),
        })
    }

    /// True when `uri` goes to this origin.
    fn serves(&self, uri: &Uri) -> bool {
        uri.scheme() == Some(&self.scheme) && uri.authority() == Some(&self.authority)
    }
}

/// The sending half of an HTTP/1.1 or HTTP/2 connection.
pub(super) enum Sender {
    /// One request at a time.
    Http1(http1::SendRequest<Body>),
    /// Any number of requests at once.
    #[cfg(feature = "h2")]
    Http2(hyper::client::conn::http2::SendRequest<Body>),
}

impl Sender {
    /// Waits until the connection takes a request; fails when it closed.
    pub(super) async fn ready(&mut self) -> hyper::Result<()> {
        match self {
            Self::Http1(sender) => sender.ready().await,
            #[cfg(feature = "h2")]
            Self::Http2(sender) => sender.ready().await,
        }
    }

    /// Sends `request`; an error hands the request back when nothing of it was written.
    pub(super) async fn send(
        &mut self,
        request: http::Request<Body>,
    ) -> Result<http::Response<Incoming>, TrySendError<http::Request<Body>>> {
        match self {
            Self::Http1(sender) => sender.try_send_request(request).await,
            #[cfg(feature = "h2")]
            Self::Http2(sender) => sender.try_send_request(request).await,
        }
    }

    /// True for HTTP/2, whose requests name their origin in the URI.
    pub(super) fn is_http2(&self) -> bool {
        !matches!(self, Self::Http1(_))
    }

    fn is_closed(&self) -> bool {
        match self {
            Self::Http1(sender) => sender.is_closed(),
            #[cfg(feature = "h2")]
            Self::Http2(sender) => sender.is_closed(),
        }
    }

    /// A second sender of the same connection, for HTTP/2 only.
    fn share(&self) -> Option<Self> {
        match self {
            Self::Http1(_) => None,
            #[cfg(feature = "h2")]
            Self::Http2(sender) => Some(Self::Http2(sender.clone())),
        }
    }
}

/// A connection to one origin: its sender and whether its requests go to a proxy, which
/// wants their URI in absolute form.
pub(super) struct Connection {
    pub(super) origin: Origin,
    pub(super) sender: Sender,
    pub(super) to_proxy: bool,
    /// When it was last taken from the pool or returned to it.
    touched: Instant,
}

impl Connection {
    /// A connection just opened.
    pub(super) fn new(origin: Origin, sender: Sender, to_proxy: bool) -> Self {
        Self {
            origin,
            sender,
            to_proxy,
            touched: Instant::now(),
        }
    }
}

/// The open connections not carrying a request now (and every open HTTP/2 connection).
pub(super) struct Pool {
    idle: Mutex<Vec<Connection>>,
    idle_timeout: Duration,
    /// False with `close_connection`: nothing is kept.
    keep: bool,
    /// True while the task that closes expired connections runs.
    reaping: AtomicBool,
}

impl fmt::Debug for Pool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool")
            .field("idle", &self.lock().len())
            .field("idle_timeout", &self.idle_timeout)
            .field("keep", &self.keep)
            .finish()
    }
}

impl Pool {
    /// A pool that keeps connections (`keep`) for at most `idle_timeout` unused.
    pub(super) fn new(keep: bool, idle_timeout: Duration) -> Self {
        Self {
            idle: Mutex::new(Vec::new()),
            idle_timeout,
            keep,
            reaping: AtomicBool::new(false),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Connection>> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The pool locked, closed and expired connections dropped as of `now`.
    fn lock_pruned(&self, now: Instant) -> std::sync::MutexGuard<'_, Vec<Connection>> {
        let mut idle = self.lock();
        idle.retain(|connection| {
            !connection.sender.is_closed()
                && now.saturating_duration_since(connection.touched) < self.idle_timeout
        });
        idle
    }

    /// An open connection to the origin of `uri`, if the pool has one: an HTTP/1.1 one leaves
    /// the pool, an HTTP/2 one stays and is shared.
    pub(super) fn checkout(&self, uri: &Uri) -> Option<Connection> {
        let now = Instant::now();
        let mut idle = self.lock_pruned(now);
        let position = idle
            .iter()
            .rposition(|connection| connection.origin.serves(uri))?;
        let kept = &mut idle[position];
        kept.touched = now;
        match kept.sender.share() {
            Some(sender) => Some(Connection::new(kept.origin.clone(), sender, kept.to_proxy)),
            None => Some(idle.swap_remove(position)),
        }
    }

    /// Keeps an HTTP/2 connection just opened, shared with the requests to come.
    pub(super) fn share(self: &Arc<Self>, connection: &Connection) {
        if let (true, Some(sender)) = (self.keep, connection.sender.share()) {
            let kept = Connection::new(connection.origin.clone(), sender, connection.to_proxy);
            self.lock().push(kept);
            self.reap_later();
        }
    }

    /// Takes back an HTTP/1.1 connection whose response was read to the end.
    fn checkin(self: &Arc<Self>, mut connection: Connection) {
        let now = Instant::now();
        connection.touched = now;
        let mut idle = self.lock_pruned(now);
        if !self.keep || connection.sender.is_closed() {
            return;
        }
        idle.push(connection);
        drop(idle);
        self.reap_later();
    }

    /// Starts the task that closes connections as they pass the idle timeout, unless it runs
    /// already; it ends when the pool is empty or dropped. Without a Tokio runtime at hand
    /// expired connections wait for the next checkout.
    fn reap_later(self: &Arc<Self>) {
        if self.reaping.swap(true, Ordering::AcqRel) {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            self.reaping.store(false, Ordering::Release);
            return;
        };
        let pool = Arc::downgrade(self);
        runtime.spawn(reap(pool, Instant::now() + self.idle_timeout));
    }

    /// Drops closed and expired connections; the next expiry, or `None` (and the reaping task
    /// ends) when none is left.
    fn expire(&self) -> Option<Instant> {
        let idle = self.lock_pruned(Instant::now());
        let next = idle
            .iter()
            .map(|kept| kept.touched + self.idle_timeout)
            .min();
        if next.is_none() {
            self.reaping.store(false, Ordering::Release);
        }
        next
    }
}

/// The reaping task: sleeps until the next expiry and drops what expired, while the pool
/// lives and holds connections.
async fn reap(pool: Weak<Pool>, mut next: Instant) {
    loop {
        tokio::time::sleep_until(next.into()).await;
        let Some(pool) = pool.upgrade() else { return };
        match pool.expire() {
            Some(expiry) => next = expiry,
            None => return,
        }
    }
}

/// A response body that returns its HTTP/1.1 connection to the pool once read to the end; a
/// body dropped before its end closes the connection (hyper cannot reuse it).
pub(super) struct PooledBody {
    body: Incoming,
    lease: Option<(Arc<Pool>, Connection)>,
}

impl PooledBody {
    /// `body`, holding `connection` until its end; HTTP/2 connections, shared, are not held.
    pub(super) fn new(body: Incoming, pool: Arc<Pool>, connection: Connection) -> Self {
        let lease = (!connection.sender.is_http2()).then_some((pool, connection));
        let mut pooled = Self { body, lease };
        if pooled.body.is_end_stream() {
            pooled.release();
        }
        pooled
    }

    fn release(&mut self) {
        if let Some((pool, connection)) = self.lease.take() {
            pool.checkin(connection);
        }
    }
}

impl Stream for PooledBody {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            match ready!(Pin::new(&mut self.body).poll_frame(cx)) {
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        return Poll::Ready(Some(Ok(data)));
                    }
                }
                Some(Err(error)) => {
                    self.lease = None;
                    let message = super::describe(&error);
                    return Poll::Ready(Some(Err(io::Error::other(message))));
                }
                None => {
                    self.release();
                    return Poll::Ready(None);
                }
            }
        }
    }
}
