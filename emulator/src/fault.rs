//! Fault injection: requests can be answered badly on purpose, to test how clients cope. A
//! [`FaultRule`] says which fault, for how many requests, of which operation, with what
//! probability and at which status; rules are queued through
//! [`EmulatorHandle::inject_rule`](crate::EmulatorHandle::inject_rule) or
//! `POST /_emulator/faults`, listed and cleared there too. They apply after authentication.

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
    /// 429 `ThrottlingException`.
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

    /// Whether a rule naming a chat action may carry this fault: an ERROR frame (500, 429,
    /// 403), a delay, or a broken connection; the HTTP body faults have no frame to spoil.
    pub fn applies_to_chat_actions(&self) -> bool {
        matches!(
            self,
            Fault::InternalError
                | Fault::Throttle
                | Fault::AccessDenied
                | Fault::Delay(_)
                | Fault::DropBeforeResponse
                | Fault::DropDuringResponse
        )
    }

    /// The fault's name, one of [`Fault::NAMES`].
    pub fn name(&self) -> &'static str {
        match self {
            Fault::InternalError => "internal-error",
            Fault::Throttle => "throttle",
            Fault::AccessDenied => "access-denied",
            Fault::PendingVerification => "pending-verification",
            Fault::Delay(_) => "delay",
            Fault::DropBeforeResponse => "drop-before",
            Fault::DropDuringResponse => "drop-during",
            Fault::TruncateBody => "truncate",
            Fault::InvalidJson => "invalid-json",
        }
    }

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

/// A run of one fault: for how many requests, which ones, and how.
#[derive(Clone, Debug, PartialEq)]
pub struct FaultRule {
    /// The fault.
    pub fault: Fault,
    /// How many requests it hits (a run of a billion costs no more memory than a run of one).
    pub count: usize,
    /// The operation it hits (`GetRoom`, `TagResource`, ...); every operation when `None`.
    pub operation: Option<String>,
    /// The chance that a request it targets is hit (1.0: every one); a request it spares passes
    /// untouched and does not count.
    pub probability: f64,
    /// The HTTP status of the error faults (`internal-error`, `throttle`, `access-denied`,
    /// `pending-verification`) instead of the model's.
    pub status: Option<u16>,
}

impl FaultRule {
    /// `fault` for the next `count` requests of any operation.
    pub fn new(fault: Fault, count: usize) -> Self {
        Self {
            fault,
            count,
            operation: None,
            probability: 1.0,
            status: None,
        }
    }

    /// Only requests of `operation`.
    pub fn operation(mut self, operation: &str) -> Self {
        self.operation = Some(operation.to_owned());
        self
    }

    /// Each targeted request is hit with this chance (clamped to 0..=1).
    pub fn probability(mut self, probability: f64) -> Self {
        self.probability = probability.clamp(0.0, 1.0);
        self
    }

    /// The error faults answer with this status.
    pub fn status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    fn targets(&self, operation: &str) -> bool {
        self.operation
            .as_deref()
            .is_none_or(|wanted| wanted == operation)
    }
}

/// Queued fault rules, in order: a request takes the first rule that targets its operation.
#[derive(Debug, Default)]
pub struct FaultQueue {
    rules: VecDeque<FaultRule>,
}

/// The most rules queued at once; pushing more is refused.
pub const MAX_FAULT_RUNS: usize = 1000;

impl FaultQueue {
    /// Queues `rule`; false when the queue already holds [`MAX_FAULT_RUNS`] rules.
    pub fn push(&mut self, rule: FaultRule) -> bool {
        if self.rules.len() >= MAX_FAULT_RUNS {
            return false;
        }
        if rule.count > 0 {
            self.rules.push_back(rule);
        }
        true
    }

    /// The rule that hits this request of `operation`, if any: the first rule targeting the
    /// operation, when its chance comes up (then it counts one request).
    pub fn next(&mut self, operation: &str) -> Option<FaultRule> {
        let index = self.rules.iter().position(|rule| rule.targets(operation))?;
        self.take(index)
    }

    /// The rule that hits this chat action (`SEND_MESSAGE`, ...), if any: only rules that
    /// name the action, so that rules for any request leave chat connections alone.
    pub fn next_action(&mut self, action: &str) -> Option<FaultRule> {
        let index = self
            .rules
            .iter()
            .position(|rule| rule.operation.as_deref() == Some(action))?;
        self.take(index)
    }

    /// Counts a hit of rule `index` (unless its probability spares this one).
    fn take(&mut self, index: usize) -> Option<FaultRule> {
        let rule = &mut self.rules[index];
        if rule.probability < 1.0 && fastrand::f64() >= rule.probability {
            return None;
        }
        rule.count -= 1;
        let hit = rule.clone();
        if rule.count == 0 {
            self.rules.remove(index);
        }
        Some(hit)
    }

    /// The queued rules, with the requests each has left.
    pub fn rules(&self) -> Vec<FaultRule> {
        self.rules.iter().cloned().collect()
    }

    /// Drops every queued rule; how many there were.
    pub fn clear(&mut self) -> usize {
        let count = self.rules.len();
        self.rules.clear();
        count
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
        assert!(queue.push(FaultRule::new(Fault::Throttle, 10_000_000_000)));
        assert!(queue.push(FaultRule::new(Fault::InternalError, 0)));
        assert_eq!(
            queue.next("GetRoom").map(|rule| rule.fault),
            Some(Fault::Throttle)
        );
        let mut full = FaultQueue::default();
        for _ in 0..MAX_FAULT_RUNS {
            assert!(full.push(FaultRule::new(Fault::InternalError, 1)));
        }
        assert!(!full.push(FaultRule::new(Fault::InternalError, 1)));
        assert_eq!(
            full.next("GetRoom").map(|rule| rule.fault),
            Some(Fault::InternalError)
        );
    }

    #[test]
    fn rules_hit_only_their_operation_and_count_only_what_they_hit() {
        let mut queue = FaultQueue::default();
        queue.push(FaultRule::new(Fault::Throttle, 2).operation("SendEvent"));
        queue.push(FaultRule::new(Fault::InternalError, 1));
        assert_eq!(
            queue.next("GetRoom").map(|rule| rule.fault),
            Some(Fault::InternalError)
        );
        assert_eq!(queue.next("GetRoom"), None);
        assert_eq!(queue.rules()[0].count, 2);
        assert!(queue.next("SendEvent").is_some() && queue.next("SendEvent").is_some());
        assert_eq!(queue.next("SendEvent"), None);
        queue.push(FaultRule::new(Fault::Throttle, 5).probability(0.0));
        assert_eq!(
            queue.next("GetRoom"),
            None,
            "a rule that never comes up spares all"
        );
        assert_eq!(queue.rules()[0].count, 5);
        assert_eq!(queue.clear(), 1);
    }

    #[test]
    fn a_probability_hits_about_that_share() {
        let mut queue = FaultQueue::default();
        queue.push(FaultRule::new(Fault::Throttle, usize::MAX).probability(0.25));
        let hits = (0..10_000)
            .filter(|_| queue.next("GetRoom").is_some())
            .count();
        assert!((2_000..3_000).contains(&hits), "{hits} of 10,000 at 0.25");
    }
}
