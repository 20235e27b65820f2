//! The client-side rate limiter of adaptive retry mode, as the AWS SDKs define it: a token
//! bucket that every attempt draws from once the service has throttled the client, refilled at
//! a rate that a CUBIC estimate sets from the client's measured sending rate: cut to 70% of
//! that rate at each throttling answer, then grown back along a cubic curve while answers
//! succeed. Until the first throttling answer the bucket is off and costs nothing.
//!
//! The limiter is a state machine over a clock given in seconds, so its behaviour is tested
//! without sleeping; the call loop passes the time since the client was made.

use std::time::Duration;

/// The least refill rate, in requests per second.
const MIN_FILL_RATE: f64 = 0.5;
/// The least bucket capacity, in requests.
const MIN_CAPACITY: f64 = 1.0;
/// The weight of the newest measurement in the smoothed sending rate.
const SMOOTH: f64 = 0.8;
/// The share of the rate kept at a throttling answer.
const BETA: f64 = 0.7;
/// How fast the rate grows back (the cubic curve's scale).
const SCALE_CONSTANT: f64 = 0.4;

/// The limiter's state.
#[derive(Debug, Default)]
pub struct RateLimiter {
    enabled: bool,
    fill_rate: f64,
    max_capacity: f64,
    current_capacity: f64,
    last_refill: f64,
    measured_rate: f64,
    last_rate_bucket: f64,
    requests_in_bucket: f64,
    last_max_rate: f64,
    last_throttle: f64,
    time_window: f64,
}

impl RateLimiter {
    /// Takes a token for one attempt at time `now`: how long to wait before sending (zero
    /// while the bucket is off or holds a token). The token is taken either way.
    pub fn acquire(&mut self, now: f64) -> Duration {
        if !self.enabled {
            return Duration::ZERO;
        }
        self.refill(now);
        let missing = 1.0 - self.current_capacity;
        self.current_capacity -= 1.0;
        if missing <= 0.0 {
            return Duration::ZERO;
        }
        Duration::from_secs_f64(missing / self.fill_rate)
    }

    /// Records an answer received at `now`, throttling or not, and sets the refill rate.
    pub fn update(&mut self, now: f64, throttled: bool) {
        self.measure(now);
        let calculated = if throttled {
            let rate = match self.enabled {
                true => self.measured_rate.min(self.fill_rate),
                false => self.measured_rate,
            };
            self.last_max_rate = rate;
            self.time_window = self.window();
            self.last_throttle = now;
            self.enabled = true;
            rate * BETA
        } else {
            self.time_window = self.window();
            let elapsed = now - self.last_throttle - self.time_window;
            SCALE_CONSTANT * elapsed.powi(3) + self.last_max_rate
        };
        self.set_rate(now, calculated.min(2.0 * self.measured_rate));
    }

    /// The refill rate in requests per second, while the bucket is on.
    pub fn fill_rate(&self) -> Option<f64> {
        self.enabled.then_some(self.fill_rate)
    }

    fn refill(&mut self, now: f64) {
        let added = (now - self.last_refill).max(0.0) * self.fill_rate;
        self.current_capacity = (self.current_capacity + added).min(self.max_capacity);
        self.last_refill = now;
    }

    /// The time the cubic curve takes to climb back to the last rate before throttling.
    fn window(&self) -> f64 {
        (self.last_max_rate * (1.0 - BETA) / SCALE_CONSTANT).cbrt()
    }

    /// Counts a request in half-second buckets and smooths the sending rate.
    fn measure(&mut self, now: f64) {
        let bucket = (now * 2.0).floor() / 2.0;
        self.requests_in_bucket += 1.0;
        if bucket > self.last_rate_bucket {
            let rate = self.requests_in_bucket / (bucket - self.last_rate_bucket);
            self.measured_rate = rate * SMOOTH + self.measured_rate * (1.0 - SMOOTH);
            self.requests_in_bucket = 0.0;
            self.last_rate_bucket = bucket;
        }
    }

    fn set_rate(&mut self, now: f64, rate: f64) {
        self.refill(now);
        self.fill_rate = rate.max(MIN_FILL_RATE);
        self.max_capacity = rate.max(MIN_CAPACITY);
        self.current_capacity = self.current_capacity.min(self.max_capacity);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A client sending `rate` requests per second from `start` for `seconds`, each answered
    /// as `throttled` says; the time after the last.
    fn send(
        limiter: &mut RateLimiter,
        start: f64,
        seconds: f64,
        rate: f64,
        throttled: bool,
    ) -> f64 {
        let mut now = start;
        while now < start + seconds {
            now += limiter.acquire(now).as_secs_f64();
            limiter.update(now, throttled);
            now += 1.0 / rate;
        }
        now
    }

    #[test]
    fn the_bucket_is_off_and_free_until_the_first_throttle() {
        let mut limiter = RateLimiter::default();
        let now = send(&mut limiter, 0.0, 5.0, 100.0, false);
        assert_eq!(limiter.fill_rate(), None);
        assert_eq!(limiter.acquire(now), Duration::ZERO);
    }

    #[test]
    fn throttling_cuts_the_rate_and_successes_grow_it_back() {
        let mut limiter = RateLimiter::default();
        let now = send(&mut limiter, 0.0, 5.0, 100.0, false);
        limiter.update(now, true);
        let cut = limiter.fill_rate().unwrap();
        assert!((60.0..80.0).contains(&cut), "70% of about 100: {cut}");
        let now = send(&mut limiter, now, 1.0, 100.0, true);
        let lower = limiter.fill_rate().unwrap();
        assert!(
            lower < cut * 0.8,
            "repeated throttling cuts further: {lower} after {cut}"
        );
        let waited = limiter.acquire(now) + limiter.acquire(now) + limiter.acquire(now);
        let later = now + 30.0;
        let _ = send(&mut limiter, now, 30.0, 1000.0, false);
        let recovered = limiter.fill_rate().unwrap();
        assert!(
            recovered > cut,
            "grew back past the cut: {recovered} > {cut} by {later}"
        );
        assert!(
            waited > Duration::ZERO,
            "a drained bucket makes attempts wait"
        );
    }

    #[test]
    fn waits_follow_the_refill_rate() {
        let mut limiter = RateLimiter::default();
        let now = send(&mut limiter, 0.0, 2.0, 10.0, false);
        limiter.update(now, true);
        let rate = limiter.fill_rate().unwrap();
        let capacity = rate.max(MIN_CAPACITY).ceil() as usize;
        let waits: Vec<Duration> = (0..capacity + 3).map(|_| limiter.acquire(now)).collect();
        let last = waits.last().unwrap().as_secs_f64();
        assert!(last > 0.0, "{waits:?}");
        assert!(
            last <= (capacity as f64 + 3.0) / rate + 1e-9,
            "{last} at {rate}/s"
        );
    }
}
