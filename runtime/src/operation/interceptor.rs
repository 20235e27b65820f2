//! Interceptors: hooks into every call of a client, set on its configuration
//! ([`ConfigBuilder::interceptor`](crate::config::ConfigBuilder::interceptor)) and run in the
//! order added, e.g. to add a header, log, or collect metrics. Each hook has a default that
//! does nothing.

use std::any::Any;
use std::fmt;

use crate::transport::{HttpError, StreamingRequest};

/// A value an interceptor may look at: `Debug`, and its type through [`Inspect::as_any`]
/// (`downcast_ref::<CreateRoomInput>()`).
pub trait Inspect: fmt::Debug {
    /// The value, for `downcast_ref`.
    fn as_any(&self) -> &dyn Any;
}

impl<T: Any + fmt::Debug> Inspect for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Hooks into the steps of a call. `attempt` counts from 1.
pub trait Interceptor: Send + Sync + fmt::Debug {
    /// Before the input becomes a request.
    fn before_serialization(&self, operation: &'static str, input: &dyn Inspect) {
        let _ = (operation, input);
    }

    /// Before an attempt's request is signed: it may be changed (what is added is signed).
    fn before_signing(
        &self,
        operation: &'static str,
        attempt: u32,
        request: &mut StreamingRequest,
    ) {
        let _ = (operation, attempt, request);
    }

    /// Before an attempt's signed request is sent.
    fn before_transmit(&self, operation: &'static str, attempt: u32, request: &StreamingRequest) {
        let _ = (operation, attempt, request);
    }

    /// When an attempt's response head has arrived (its status), or the attempt failed
    /// without one (timeouts included).
    fn after_response(
        &self,
        operation: &'static str,
        attempt: u32,
        outcome: Result<u16, &HttpError>,
    ) {
        let _ = (operation, attempt, outcome);
    }

    /// When the call's output, or its error, is ready to return.
    fn after_deserialization(
        &self,
        operation: &'static str,
        outcome: Result<&dyn Inspect, &dyn std::error::Error>,
    ) {
        let _ = (operation, outcome);
    }
}
