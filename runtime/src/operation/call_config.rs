//! Settings for one call (`.customize(..)` on a fluent builder): other timeouts, attempts,
//! endpoint or more interceptors than the client's, which stays as it is.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::Interceptor;
use crate::config::Config;

/// What one call changes of its client's configuration; unset settings stay the client's.
#[derive(Clone, Default)]
pub struct CallConfig {
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    max_attempts: Option<u32>,
    endpoint_url: Option<String>,
    interceptors: Vec<Arc<dyn Interceptor>>,
}

impl CallConfig {
    /// No change yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The limit on each attempt (sending, the answer's head and, unless the output streams,
    /// its body).
    pub fn attempt_timeout(mut self, limit: Duration) -> Self {
        self.attempt_timeout = Some(limit);
        self
    }

    /// The limit on the whole call, retries and backoff included.
    pub fn operation_timeout(mut self, limit: Duration) -> Self {
        self.operation_timeout = Some(limit);
        self
    }

    /// Attempts in all, the first included (1: no retry).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts.max(1));
        self
    }

    /// The endpoint this call is sent to, instead of the resolved one.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// An interceptor for this call, after the client's.
    pub fn interceptor(mut self, interceptor: impl Interceptor + 'static) -> Self {
        self.interceptors.push(Arc::new(interceptor));
        self
    }

    /// `config` with these settings over its own.
    pub(super) fn apply_to(&self, config: &mut Config) {
        if let Some(limit) = self.attempt_timeout {
            config.timeouts.attempt = limit;
        }
        if let Some(limit) = self.operation_timeout {
            config.timeouts.operation = Some(limit);
        }
        if let Some(attempts) = self.max_attempts {
            config.retry.max_attempts = attempts;
        }
        if let Some(url) = &self.endpoint_url {
            config.endpoint_url = Some(url.clone());
        }
        config
            .interceptors
            .extend(self.interceptors.iter().cloned());
    }
}

impl fmt::Debug for CallConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallConfig")
            .field("attempt_timeout", &self.attempt_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("max_attempts", &self.max_attempts)
            .field("endpoint_url", &self.endpoint_url)
            .field("interceptors", &self.interceptors.len())
            .finish()
    }
}
