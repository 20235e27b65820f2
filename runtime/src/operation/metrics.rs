//! Client metrics under the names the AWS SDKs share (feature `metrics`, on the `metrics`
//! facade: an application installs the recorder of its choice, Prometheus, OpenTelemetry or
//! other): `smithy.client.call.duration`, `.attempts`, `.errors`, `.attempt_duration`,
//! `.resolve_endpoint_duration`, `.serialization_duration` and `.deserialization_duration`,
//! durations in seconds, each labelled `rpc.service` and `rpc.method`. Without the feature,
//! timers are empty and recording does nothing.

/// A stage of a call whose duration is recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Resolving the endpoint (`smithy.client.call.resolve_endpoint_duration`).
    ResolveEndpoint,
    /// Writing the request (`smithy.client.call.serialization_duration`).
    Serialization,
    /// Reading the answer (`smithy.client.call.deserialization_duration`).
    Deserialization,
    /// One attempt (`smithy.client.call.attempt_duration`, and `.attempts` counts it).
    Attempt,
    /// The whole call that succeeded (`smithy.client.call.duration`).
    Call,
    /// The whole call that failed (`.duration`, and `.errors` counts it).
    FailedCall,
}

impl Phase {
    /// The histogram the phase's duration goes to.
    pub fn histogram(self) -> &'static str {
        match self {
            Phase::ResolveEndpoint => "smithy.client.call.resolve_endpoint_duration",
            Phase::Serialization => "smithy.client.call.serialization_duration",
            Phase::Deserialization => "smithy.client.call.deserialization_duration",
            Phase::Attempt => "smithy.client.call.attempt_duration",
            Phase::Call | Phase::FailedCall => "smithy.client.call.duration",
        }
    }

    /// The counter the phase adds one to, if any.
    pub fn counter(self) -> Option<&'static str> {
        match self {
            Phase::Attempt => Some("smithy.client.call.attempts"),
            Phase::FailedCall => Some("smithy.client.call.errors"),
            _ => None,
        }
    }
}

/// When a phase started (nothing without the `metrics` feature).
#[derive(Clone, Copy, Debug)]
pub struct Timer {
    #[cfg(feature = "metrics")]
    started: std::time::Instant,
}

impl Timer {
    /// A timer started now.
    pub fn start() -> Self {
        Self {
            #[cfg(feature = "metrics")]
            started: std::time::Instant::now(),
        }
    }
}

/// Records `phase` of `operation` of `service`, timed by `timer`; returns a timer started now,
/// for the phase that follows.
#[cfg_attr(not(feature = "metrics"), allow(unused_variables))]
pub(crate) fn record(
    service: &'static str,
    operation: &'static str,
    phase: Phase,
    timer: Timer,
) -> Timer {
    #[cfg(feature = "metrics")]
    {
        let labels = [("rpc.service", service), ("rpc.method", operation)];
        metrics::histogram!(phase.histogram(), &labels).record(timer.started.elapsed());
        if let Some(counter) = phase.counter() {
            metrics::counter!(counter, &labels).increment(1);
        }
    }
    Timer::start()
}
