//! AWS standard retry mode: a retry quota (token bucket) and exponential backoff with full
//! jitter.

use std::sync::Mutex;
use std::time::Duration;

use super::classify::RetryKind;
use crate::config::RetryConfig;

/// Tokens a retry costs.
const RETRY_COST: u32 = 5;
/// Tokens a retry after a timeout costs.
const TIMEOUT_RETRY_COST: u32 = 10;
/// Tokens a first-attempt success returns.
const SUCCESS_INCREMENT: u32 = 1;

/// The retry quota shared by all calls of a client: retries spend tokens, successes return
/// them, so a failing service is not hammered.
#[derive(Debug)]
pub struct RetryQuota {
    capacity: u32,
    available: Mutex<u32>,
}

impl RetryQuota {
    /// A full quota of `capacity` tokens (500 in standard mode).
    pub fn new(capacity: u32) -> Self {
        Self {
            capacity,
            available: Mutex::new(capacity),
        }
    }

    /// Takes the cost of a retry of this kind; `None` when the quota cannot pay for it.
    pub fn acquire(&self, kind: RetryKind) -> Option<u32> {
        let cost = if kind == RetryKind::Timeout {
            TIMEOUT_RETRY_COST
        } else {
            RETRY_COST
        };
        let mut available = self
            .available
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let left = available.checked_sub(cost)?;
        *available = left;
        Some(cost)
    }

    /// Returns tokens after a success: the cost of the retry that succeeded, or one token when
    /// the first attempt did.
    pub fn release(&self, retry_cost: Option<u32>) {
        let mut available = self
            .available
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *available = available
            .saturating_add(retry_cost.unwrap_or(SUCCESS_INCREMENT))
            .min(self.capacity);
    }

    /// Tokens left.
    pub fn available(&self) -> u32 {
        *self
            .available
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The wait before retry number `retry` (1 for the first retry): a uniformly random part of
/// `min(initial * 2^(retry-1), max)`.
pub fn backoff(config: &RetryConfig, retry: u32) -> Duration {
    let exponent = retry.saturating_sub(1).min(31);
    let ceiling = config
        .initial_backoff
        .saturating_mul(1u32 << exponent)
        .min(config.max_backoff);
    ceiling.mul_f64(fastrand::f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quota_empties_and_refills() {
        let quota = RetryQuota::new(12);
        assert_eq!(quota.acquire(RetryKind::Transient), Some(5));
        assert_eq!(quota.acquire(RetryKind::Timeout), None);
        assert_eq!(quota.acquire(RetryKind::Throttling), Some(5));
        assert_eq!(quota.available(), 2);
        quota.release(Some(5));
        quota.release(None);
        assert_eq!(quota.available(), 8);
        quota.release(Some(10));
        assert_eq!(quota.available(), 12);
    }

    #[test]
    fn a_quota_near_the_largest_number_refills_without_overflow() {
        let quota = RetryQuota::new(u32::MAX);
        quota.release(Some(10));
        quota.release(None);
        assert_eq!(quota.available(), u32::MAX);
    }

    #[test]
    fn backoff_is_capped() {
        let config = RetryConfig::default();
        for retry in 1..40 {
            assert!(backoff(&config, retry) <= Duration::from_secs(20));
        }
        assert!(backoff(&config, 1) <= Duration::from_secs(1));
    }
}
