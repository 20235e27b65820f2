//! What every connection of the emulator shares: access rules, limits, the state, the fault
//! queue and counters. Its own module, so that the server, the admin endpoint and the
//! messaging API all import it and none imports another for it.

use std::path::PathBuf;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::auth::Access;
use crate::error::ApiError;
use crate::fault::{FaultQueue, FaultRule};
use crate::gate::AllowedHosts;
use crate::limits::Limits;
use crate::state::State;

/// What every connection shares.
pub(crate) struct Shared {
    /// Who may call.
    pub(crate) access: Access,
    /// The resource limits.
    pub(crate) limits: Limits,
    /// Host names accepted besides loopback ones.
    pub(crate) allowed_hosts: AllowedHosts,
    /// Where the state is saved, when it is.
    pub(crate) state_file: Option<PathBuf>,
    /// The state.
    pub(crate) state: Mutex<State>,
    /// Faults waiting for requests.
    pub(crate) faults: Mutex<FaultQueue>,
    /// Requests seen (fault-injection requests aside).
    pub(crate) requests: AtomicUsize,
    /// The last saved state document, held by a change while it is saved, so that memory and
    /// disk move together (and memory goes back to it when a save fails). Reads never take it.
    pub(crate) saves: Arc<tokio::sync::Mutex<String>>,
    /// Places for chat WebSockets.
    pub(crate) websockets: Arc<Semaphore>,
    /// The secret of the web console's API, given in the console's URL.
    pub(crate) console_token: String,
    /// The last requests, for the console (oldest first).
    pub(crate) recent: Mutex<std::collections::VecDeque<serde_json::Value>>,
    /// Where every request's log entry is appended as a JSON line, when asked.
    pub(crate) request_log: Option<Mutex<RequestLogFile>>,
}

/// The JSON-lines request log: its file and how much was written to it.
pub(crate) struct RequestLogFile {
    /// The file, written a line at a time.
    pub(crate) file: std::io::LineWriter<std::fs::File>,
    /// Bytes written so far.
    pub(crate) written: u64,
}

/// The most a JSON-lines request log grows to (64 MiB); later entries are dropped, once
/// with a warning.
const MAX_REQUEST_LOG_BYTES: u64 = 64 * 1024 * 1024;

/// How many requests the console's log keeps.
const RECENT_REQUESTS: usize = 200;

impl Shared {
    /// The state, locked (a panic elsewhere does not make it unusable).
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Who may call.
    pub(crate) fn access(&self) -> &Access {
        &self.access
    }

    /// The resource limits.
    pub(crate) fn limits(&self) -> &Limits {
        &self.limits
    }

    /// A place for one more chat WebSocket, while any is left.
    pub(crate) fn websocket_permit(&self) -> Option<OwnedSemaphorePermit> {
        self.websockets.clone().try_acquire_owned().ok()
    }

    /// Notes a request for the console's log, dropping the oldest past the limit.
    pub(crate) fn note_request(&self, entry: serde_json::Value) {
        if let Some(log) = &self.request_log {
            let mut log = log.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let line = format!("{entry}\n");
            let before = log.written;
            if before + line.len() as u64 <= MAX_REQUEST_LOG_BYTES {
                use std::io::Write;
                if let Err(error) = log.file.write_all(line.as_bytes()) {
                    tracing::warn!(%error, "cannot write the request log");
                }
                log.written += line.len() as u64;
            } else if before <= MAX_REQUEST_LOG_BYTES {
                tracing::warn!("the request log reached 64 MiB; later requests are not written");
                log.written = MAX_REQUEST_LOG_BYTES + 1;
            }
        }
        let mut recent = self
            .recent
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if recent.len() == RECENT_REQUESTS {
            recent.pop_front();
        }
        recent.push_back(entry);
    }

    /// The console's log of the last requests, oldest first.
    pub(crate) fn recent_requests(&self) -> Vec<serde_json::Value> {
        let recent = self
            .recent
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        recent.iter().cloned().collect()
    }

    /// The queued faults, locked.
    fn faults(&self) -> MutexGuard<'_, FaultQueue> {
        self.faults
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Queues `rule`; refused when the queue is full.
    pub(crate) fn inject(&self, rule: FaultRule) -> Result<(), ApiError> {
        match self.faults().push(rule) {
            true => Ok(()),
            false => Err(ApiError::bad_request(format!(
                "the fault queue is full ({} rules)",
                crate::fault::MAX_FAULT_RUNS
            ))),
        }
    }

    /// The fault rule that hits this request of `operation`, if any.
    pub(crate) fn next_fault(&self, operation: &str) -> Option<FaultRule> {
        self.faults().next(operation)
    }

    /// The fault rule that hits this chat action, if any (rules that name it only).
    pub(crate) fn next_action_fault(&self, action: &str) -> Option<FaultRule> {
        self.faults().next_action(action)
    }

    /// The queued fault rules.
    pub(crate) fn fault_rules(&self) -> Vec<FaultRule> {
        self.faults().rules()
    }

    /// Drops every queued fault rule; how many there were.
    pub(crate) fn clear_faults(&self) -> usize {
        self.faults().clear()
    }
}
