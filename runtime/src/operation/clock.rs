//! Clock-skew correction: a machine whose clock is off signs requests the service refuses
//! (`RequestTimeTooSkewed`, `InvalidSignatureException`, ...). When such an error comes with a
//! `Date` header, the client learns the offset between the service's clock and its own, signs
//! with the service's time from then on, and sends the refused request again, as the AWS SDKs
//! do.

use std::sync::atomic::{AtomicI64, Ordering};

use crate::transport::HttpResponse;
use crate::{DateTime, DateTimeFormat};

/// Error codes of requests refused for their time (or, with a `Date` far from ours, for a
/// signature made at the wrong time).
const SKEW_CODES: &[&str] = &[
    "RequestTimeTooSkewed",
    "RequestExpired",
    "RequestInTheFuture",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
];

/// The smallest change of offset acted upon, in seconds: services allow 5 minutes of skew, so
/// a refusal whose `Date` is within a minute of our corrected clock was not about time.
const MIN_CORRECTION_SECS: i64 = 60;

/// The offset, in seconds, from this machine's clock to the service's.
#[derive(Debug, Default)]
pub(super) struct ClockOffset(AtomicI64);

impl ClockOffset {
    /// The service's time, as far as the client knows it.
    pub(super) fn now(&self) -> DateTime {
        let offset = self.0.load(Ordering::Relaxed);
        DateTime::from_secs(DateTime::now().secs().saturating_add(offset))
    }

    /// The offset in seconds (0 until a correction).
    pub(super) fn seconds(&self) -> i64 {
        self.0.load(Ordering::Relaxed)
    }

    /// Learns the offset from a refusal for the request's time; true when it changed, so the
    /// request is worth sending again with the corrected time.
    pub(super) fn correct(&self, response: &HttpResponse) -> bool {
        if !response.status().is_client_error() {
            return false;
        }
        let refused_for_time = super::classify::error_code(response)
            .is_some_and(|code| SKEW_CODES.contains(&code.as_str()));
        if !refused_for_time {
            return false;
        }
        let Some(server_time) = response
            .headers()
            .get(http::header::DATE)
            .and_then(|value| value.to_str().ok())
            .and_then(|text| DateTime::parse(text, DateTimeFormat::HttpDate).ok())
        else {
            return false;
        };
        let offset = server_time.secs() - DateTime::now().secs();
        if (offset - self.seconds()).abs() < MIN_CORRECTION_SECS {
            return false;
        }
        tracing::debug!(
            offset,
            "the service's clock is off from ours: signing with its time"
        );
        self.0.store(offset, Ordering::Relaxed);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(code: &str, date: Option<DateTime>) -> HttpResponse {
        let mut builder = http::Response::builder()
            .status(403)
            .header("x-amzn-errortype", code);
        if let Some(date) = date {
            builder = builder.header("date", date.fmt(DateTimeFormat::HttpDate));
        }
        builder.body(bytes::Bytes::new()).expect("a response")
    }

    #[test]
    fn a_refusal_for_time_with_a_far_date_sets_the_offset_once() {
        let clock = ClockOffset::default();
        let later = DateTime::from_secs(DateTime::now().secs() + 1200);
        assert!(clock.correct(&refusal("InvalidSignatureException", Some(later))));
        assert!((clock.seconds() - 1200).abs() <= 2, "{}", clock.seconds());
        assert!((clock.now().secs() - later.secs()).abs() <= 2);
        // The same refusal again: the clock is already corrected, no retry.
        assert!(!clock.correct(&refusal("InvalidSignatureException", Some(later))));
    }

    #[test]
    fn other_refusals_and_near_dates_change_nothing() {
        let clock = ClockOffset::default();
        let later = DateTime::from_secs(DateTime::now().secs() + 1200);
        assert!(!clock.correct(&refusal("AccessDeniedException", Some(later))));
        assert!(!clock.correct(&refusal("InvalidSignatureException", None)));
        let near = DateTime::from_secs(DateTime::now().secs() + 30);
        assert!(!clock.correct(&refusal("InvalidSignatureException", Some(near))));
        assert_eq!(clock.seconds(), 0);
    }
}
