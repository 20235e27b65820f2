//! A transport that answers from a script and records what it was sent, for tests.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{HttpClient, HttpError, HttpRequest, HttpResponse};
use crate::credentials::BoxFuture;

/// One scripted answer.
#[derive(Clone, Debug)]
pub enum ReplayEvent {
    /// Answer with this response.
    Response(HttpResponse),
    /// Answer with this response after a delay (to trigger timeouts).
    Delayed(Duration, HttpResponse),
    /// Fail as the transport would.
    Error(HttpError),
}

impl ReplayEvent {
    /// A response with a status and a body.
    pub fn status(status: u16, body: &'static str) -> Self {
        let response = http::Response::builder()
            .status(status)
            .body(bytes::Bytes::from_static(body.as_bytes()))
            .expect("a status and a body make a valid response");
        ReplayEvent::Response(response)
    }
}

/// Answers requests with scripted events, in order, and keeps the requests.
#[derive(Clone, Default)]
pub struct ReplayClient {
    events: Arc<Mutex<VecDeque<ReplayEvent>>>,
    requests: Arc<Mutex<Vec<HttpRequest>>>,
}

impl ReplayClient {
    /// A client that will answer with `events`, one per request.
    pub fn new(events: impl IntoIterator<Item = ReplayEvent>) -> Self {
        Self {
            events: Arc::new(Mutex::new(events.into_iter().collect())),
            requests: Arc::default(),
        }
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.requests.lock().expect("replay lock").clone()
    }
}

impl std::fmt::Debug for ReplayClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Recorded requests carry signatures and tokens: only counts are shown.
        let left = self.events.lock().map(|events| events.len()).unwrap_or(0);
        let received = self
            .requests
            .lock()
            .map(|requests| requests.len())
            .unwrap_or(0);
        f.debug_struct("ReplayClient")
            .field("events_left", &left)
            .field("requests", &received)
            .finish()
    }
}

impl HttpClient for ReplayClient {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        self.requests.lock().expect("replay lock").push(request);
        let event = self.events.lock().expect("replay lock").pop_front();
        Box::pin(async move {
            match event {
                Some(ReplayEvent::Response(response)) => Ok(response),
                Some(ReplayEvent::Delayed(delay, response)) => {
                    tokio::time::sleep(delay).await;
                    Ok(response)
                }
                Some(ReplayEvent::Error(error)) => Err(error),
                None => Err(HttpError::new(
                    super::HttpErrorKind::Request,
                    "the replay script has no answer left for this request",
                )),
            }
        })
    }
}
