//! Waiters: an operation polled until its acceptors say the wait is over, with the Smithy
//! waiter spec's jittered exponential backoff between attempts and a limit on the whole wait.

use std::future::Future;
use std::time::{Duration, Instant};

/// What the first matching acceptor decides about an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Acceptance {
    /// The wait is over: the resource is in the state waited for.
    Success,
    /// The wait failed: the resource will not reach the state.
    Failure,
    /// Poll again.
    Retry,
}

/// The delays of a wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitSettings {
    /// The delay before the first retry, and the least delay.
    pub min_delay: Duration,
    /// The longest delay between attempts.
    pub max_delay: Duration,
    /// The longest the whole wait may take.
    pub max_wait: Duration,
}

/// Why a wait ended without success.
#[derive(Debug)]
pub enum WaitError<O, E> {
    /// An acceptor said the wait failed; the attempt it judged.
    Failed(Result<O, E>),
    /// The operation returned an error no acceptor matched.
    Operation(E),
    /// `max_wait` passed before an acceptor said success.
    TimedOut {
        /// The attempts made.
        attempts: u32,
    },
}

impl<O, E: std::fmt::Display> std::fmt::Display for WaitError<O, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WaitError::Failed(Ok(_)) => {
                f.write_str("the waiter failed: the response says the state will not be reached")
            }
            WaitError::Failed(Err(error)) => write!(f, "the waiter failed on an error: {error}"),
            WaitError::Operation(error) => {
                write!(f, "the waiter stopped on an unexpected error: {error}")
            }
            WaitError::TimedOut { attempts } => {
                write!(f, "the wait timed out after {attempts} attempts")
            }
        }
    }
}

impl<O: std::fmt::Debug, E: std::error::Error + 'static> std::error::Error for WaitError<O, E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaitError::Failed(Err(error)) | WaitError::Operation(error) => Some(error),
            _ => None,
        }
    }
}

/// The delay before attempt `attempt + 1` (from 1): a random duration between `min_delay`
/// and `min(max_delay, min_delay * 2^(attempt - 1))`, cut so that one more attempt fits the
/// time left; `None` when none does.
pub fn delay(settings: &WaitSettings, attempt: u32, remaining: Duration) -> Option<Duration> {
    let ceiling = settings
        .min_delay
        .checked_mul(1u32 << attempt.saturating_sub(1).min(30))
        .map_or(settings.max_delay, |delay| delay.min(settings.max_delay));
    let spread = ceiling.saturating_sub(settings.min_delay).as_millis() as u64;
    let delay = settings.min_delay + Duration::from_millis(fastrand::u64(0..=spread));
    if remaining <= settings.min_delay {
        return None;
    }
    Some(
        delay
            .min(remaining - settings.min_delay)
            .max(Duration::from_millis(1)),
    )
}

/// Polls `attempt` until `accept` says success (the output is returned) or failure, an error
/// no acceptor matches comes, or `settings.max_wait` passes. An output no acceptor matches is
/// polled again.
pub async fn wait<O, E, F, Fut>(
    settings: WaitSettings,
    mut attempt: F,
    accept: impl Fn(&Result<O, E>) -> Option<Acceptance>,
) -> Result<O, WaitError<O, E>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<O, E>>,
{
    let started = Instant::now();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let result = attempt().await;
        match (accept(&result), result) {
            (Some(Acceptance::Success), Ok(output)) => return Ok(output),
            (Some(Acceptance::Success), Err(error)) => return Err(WaitError::Operation(error)),
            (Some(Acceptance::Failure), result) => return Err(WaitError::Failed(result)),
            (None, Err(error)) => return Err(WaitError::Operation(error)),
            (Some(Acceptance::Retry), _) | (None, Ok(_)) => {}
        }
        let remaining = settings.max_wait.saturating_sub(started.elapsed());
        let Some(pause) = delay(&settings, attempts, remaining) else {
            return Err(WaitError::TimedOut { attempts });
        };
        tokio::time::sleep(pause).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(max_wait: u64) -> WaitSettings {
        WaitSettings {
            min_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(120),
            max_wait: Duration::from_secs(max_wait),
        }
    }

    #[test]
    fn delays_grow_within_their_bounds_and_fit_the_time_left() {
        let long = Duration::from_secs(10_000);
        for attempt in 1..12 {
            let delay = delay(&settings(10_000), attempt, long).unwrap();
            let ceiling = Duration::from_secs((2u64 << (attempt - 1)).min(120));
            assert!(
                delay >= Duration::from_secs(2) && delay <= ceiling,
                "{attempt}: {delay:?}"
            );
        }
        assert_eq!(delay(&settings(10), 1, Duration::from_secs(2)), None);
        let cut = delay(&settings(10), 5, Duration::from_secs(3)).unwrap();
        assert!(cut <= Duration::from_secs(1));
    }

    #[test]
    fn the_first_matching_acceptor_decides() {
        let run = |answers: Vec<Result<u32, String>>, max_wait: u64| {
            let mut answers = answers.into_iter();
            let settings = WaitSettings {
                min_delay: Duration::from_millis(1),
                max_delay: Duration::from_millis(2),
                max_wait: Duration::from_millis(max_wait),
            };
            crate::test_runtime::block_on(wait(
                settings,
                || std::future::ready(answers.next().unwrap_or(Ok(0))),
                |result| match result {
                    Ok(3) => Some(Acceptance::Success),
                    Ok(9) => Some(Acceptance::Failure),
                    Err(code) if code == "NotFound" => Some(Acceptance::Retry),
                    _ => None,
                },
            ))
        };
        assert_eq!(
            run(vec![Ok(1), Err("NotFound".into()), Ok(3)], 5_000).unwrap(),
            3
        );
        assert!(matches!(
            run(vec![Ok(1), Ok(9)], 5_000),
            Err(WaitError::Failed(Ok(9)))
        ));
        assert!(
            matches!(run(vec![Err("Boom".into())], 5_000), Err(WaitError::Operation(error)) if error == "Boom")
        );
        assert!(matches!(run(vec![], 30), Err(WaitError::TimedOut { attempts }) if attempts > 1));
    }
}
