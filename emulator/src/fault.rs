//! Fault injection: the next requests can be answered badly on purpose, to test how clients
//! cope. Faults are queued through [`EmulatorHandle::inject`](crate::EmulatorHandle::inject) or
//! `POST /_emulator/faults` with `{"fault": "...", "count": N, "delayMs": M}`.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::{Body, Frame};
use ivschat_runtime::bytes::Bytes;

/// A way to answer badly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// 500 `InternalServerException`.
    InternalError,
    /// 503 `ThrottlingException`.
    Throttle,
    /// 403 `AccessDeniedException`.
    AccessDenied,
    /// 403 `PendingVerification` (an account not yet verified).
    PendingVerification,
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// Close the connection without answering.
    DropBeforeResponse,
    /// Send the status and half the body, then fail the connection.
    DropDuringResponse,
    /// Announce the whole body's length but send half of it.
    TruncateBody,
    /// Answer 200 with a body that is not JSON.
    InvalidJson,
}

impl Fault {
    /// The names [`Fault::parse`] takes.
    pub const NAMES: &'static [&'static str] = &[
        "internal-error",
        "throttle",
        "access-denied",
        "pending-verification",
        "delay",
        "drop-before",
        "drop-during",
        "truncate",
        "invalid-json",
    ];

    /// Reads a fault by one of [`Fault::NAMES`]; `delay` takes `delay_ms`.
    pub fn parse(name: &str, delay_ms: u64) -> Option<Self> {
        Some(match name {
            "internal-error" => Fault::InternalError,
            "throttle" => Fault::Throttle,
            "access-denied" => Fault::AccessDenied,
            "pending-verification" => Fault::PendingVerification,
            "delay" => Fault::Delay(Duration::from_millis(delay_ms)),
            "drop-before" => Fault::DropBeforeResponse,
            "drop-during" => Fault::DropDuringResponse,
            "truncate" => Fault::TruncateBody,
            "invalid-json" => Fault::InvalidJson,
            _ => return None,
        })
    }
}

/// Queued faults: runs of one fault for a number of requests (a run of a billion costs no
/// more memory than a run of one).
#[derive(Debug, Default)]
pub struct FaultQueue {
    runs: VecDeque<(Fault, usize)>,
}

/// The most runs queued at once; pushing more is refused.
pub const MAX_FAULT_RUNS: usize = 1000;

impl FaultQueue {
    /// Queues `fault` for the next `count` requests; false when the queue already holds
    /// [`MAX_FAULT_RUNS`] runs.
    pub fn push(&mut self, fault: Fault, count: usize) -> bool {
        if self.runs.len() >= MAX_FAULT_RUNS {
            return false;
        }
        if count > 0 {
            self.runs.push_back((fault, count));
        }
        true
    }

    /// The fault for this request, if any.
    pub fn next(&mut self) -> Option<Fault> {
        let (fault, left) = self.runs.front_mut()?;
        let fault = *fault;
        *left -= 1;
        if *left == 0 {
            self.runs.pop_front();
        }
        Some(fault)
    }
}

/// A response body that can break off: chunks, then optionally an error.
pub struct ResponseBody {
    chunks: VecDeque<Bytes>,
    fail_at_end: bool,
}

impl ResponseBody {
    /// The whole body.
    pub fn full(bytes: Bytes) -> Self {
        Self {
            chunks: VecDeque::from([bytes]),
            fail_at_end: false,
        }
    }

    /// The first half of the body; `fail` makes the connection fail after it.
    pub fn half(bytes: Bytes, fail: bool) -> Self {
        Self {
            chunks: VecDeque::from([bytes.slice(..bytes.len() / 2)]),
            fail_at_end: fail,
        }
    }
}

/// The error that breaks a response off.
#[derive(Debug)]
pub struct BrokenOff;

impl std::fmt::Display for BrokenOff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the emulator broke the response off (fault injection)")
    }
}

impl std::error::Error for BrokenOff {}

impl Body for ResponseBody {
    type Data = Bytes;
    type Error = BrokenOff;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BrokenOff>>> {
        if let Some(chunk) = self.chunks.pop_front() {
            return Poll::Ready(Some(Ok(Frame::data(chunk))));
        }
        if std::mem::take(&mut self.fail_at_end) {
            return Poll::Ready(Some(Err(BrokenOff)));
        }
        Poll::Ready(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_cost_nothing_per_request_and_are_bounded() {
        let mut queue = FaultQueue::default();
        assert!(queue.push(Fault::Throttle, 10_000_000_000));
        assert!(queue.push(Fault::InternalError, 0));
        assert_eq!(queue.next(), Some(Fault::Throttle));
        let mut full = FaultQueue::default();
        for _ in 0..MAX_FAULT_RUNS {
            assert!(full.push(Fault::InternalError, 1));
        }
        assert!(!full.push(Fault::InternalError, 1));
        assert_eq!(full.next(), Some(Fault::InternalError));
    }
}
