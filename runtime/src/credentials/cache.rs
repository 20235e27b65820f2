//! One cache in front of any provider: credentials are loaded once and shared, loaded again
//! ahead of their expiry by a single caller while the others keep using the current ones, kept
//! when a refresh fails before they expire, and never waited on for longer than a bound.

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use super::provider::SharedCredentialsProvider;
use super::{Credentials, CredentialsError};

/// Credentials are refreshed this long before they expire.
pub const REFRESH_AHEAD: Duration = Duration::from_secs(300);

/// A caching, single-flight front of a provider.
#[derive(Debug)]
pub struct CredentialsCache {
    provider: SharedCredentialsProvider,
    cached: Mutex<Option<Credentials>>,
    /// Held by the one caller that loads; the others wait on it, then read the cache.
    loading: tokio::sync::Mutex<()>,
    load_timeout: Duration,
}

impl CredentialsCache {
    /// A cache in front of `provider`; a load that takes longer than `load_timeout` fails.
    pub fn new(provider: SharedCredentialsProvider, load_timeout: Duration) -> Self {
        Self {
            provider,
            cached: Mutex::new(None),
            loading: tokio::sync::Mutex::new(()),
            load_timeout,
        }
    }

    fn current(&self) -> Option<Credentials> {
        self.cached
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Credentials that are fresh (no expiry, or more than [`REFRESH_AHEAD`] left).
    fn fresh(&self) -> Option<Credentials> {
        let horizon = SystemTime::now() + REFRESH_AHEAD;
        self.current()
            .filter(|credentials| !credentials.is_expired_at(horizon))
    }

    /// The credentials: cached, or loaded by one caller at a time. `Ok(None)` when the provider
    /// has none. A failed or timed-out refresh keeps credentials that have not expired yet.
    pub async fn get(&self) -> Result<Option<Credentials>, CredentialsError> {
        if let Some(fresh) = self.fresh() {
            return Ok(Some(fresh));
        }
        let _loading = self.loading.lock().await;
        if let Some(fresh) = self.fresh() {
            return Ok(Some(fresh));
        }
        let loaded = tokio::time::timeout(self.load_timeout, self.provider.provide_credentials())
            .await
            .unwrap_or_else(|_| {
                Err(CredentialsError::Invalid(format!(
                    "loading credentials took longer than {:?} ({:?})",
                    self.load_timeout, self.provider
                )))
            });
        let still_valid = self
            .current()
            .filter(|credentials| !credentials.is_expired_at(SystemTime::now()));
        match (loaded, still_valid) {
            (Ok(Some(credentials)), _) => {
                *self
                    .cached
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(credentials.clone());
                Ok(Some(credentials))
            }
            (Err(error), Some(valid)) => {
                tracing::warn!(%error, "refreshing credentials failed; the current ones are kept until they expire");
                Ok(Some(valid))
            }
            (Ok(None), Some(valid)) => Ok(Some(valid)),
            (outcome, None) => outcome,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use super::*;
    use crate::credentials::{BoxFuture, ProvideCredentials};

    /// Answers from a script after a pause, counting loads.
    #[derive(Debug)]
    struct Scripted {
        loads: AtomicUsize,
        answers: Mutex<Vec<Result<Option<Credentials>, CredentialsError>>>,
        pause: Duration,
    }

    impl ProvideCredentials for Scripted {
        fn provide_credentials(
            &self,
        ) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
            Box::pin(async move {
                self.loads.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(self.pause).await;
                self.answers.lock().unwrap().remove(0)
            })
        }
    }

    fn expiring_in(seconds: u64, key: &str) -> Credentials {
        Credentials::new(
            key,
            "s",
            Some("t".into()),
            Some(SystemTime::now() + Duration::from_secs(seconds)),
        )
    }

    fn cache(
        answers: Vec<Result<Option<Credentials>, CredentialsError>>,
        pause: Duration,
    ) -> (Arc<Scripted>, CredentialsCache) {
        let provider = Arc::new(Scripted {
            loads: AtomicUsize::new(0),
            answers: Mutex::new(answers),
            pause,
        });
        let cache = CredentialsCache::new(provider.clone(), Duration::from_millis(500));
        (provider, cache)
    }

    #[test]
    fn concurrent_callers_cause_one_load() {
        crate::test_runtime::block_on(async {
            let (provider, cache) = cache(
                vec![Ok(Some(expiring_in(3600, "A")))],
                Duration::from_millis(50),
            );
            let cache = Arc::new(cache);
            let calls: Vec<_> = (0..64)
                .map(|_| {
                    let cache = cache.clone();
                    async move { cache.get().await }
                })
                .collect();
            let results = futures_util::future::join_all(calls).await;
            assert!(results.iter().all(|result| result
                .as_ref()
                .unwrap()
                .as_ref()
                .unwrap()
                .access_key_id()
                == "A"));
            assert_eq!(provider.loads.load(Ordering::SeqCst), 1);
        });
    }

    #[test]
    fn credentials_are_refreshed_ahead_of_expiry_and_kept_when_the_refresh_fails() {
        crate::test_runtime::block_on(async {
            let failure = Err(CredentialsError::Invalid("down".into()));
            let (provider, cache) = cache(
                vec![
                    Ok(Some(expiring_in(200, "A"))),
                    failure,
                    Ok(Some(expiring_in(3600, "B"))),
                ],
                Duration::ZERO,
            );
            assert_eq!(cache.get().await.unwrap().unwrap().access_key_id(), "A");
            // 200 s left is inside the refresh window: the failed refresh keeps A.
            assert_eq!(cache.get().await.unwrap().unwrap().access_key_id(), "A");
            assert_eq!(cache.get().await.unwrap().unwrap().access_key_id(), "B");
            assert_eq!(cache.get().await.unwrap().unwrap().access_key_id(), "B");
            assert_eq!(provider.loads.load(Ordering::SeqCst), 3);
        });
    }

    #[test]
    fn a_load_that_hangs_fails_at_the_bound() {
        crate::test_runtime::block_on(async {
            let (_, cache) = cache(vec![Ok(None)], Duration::from_secs(30));
            let error = cache.get().await.unwrap_err();
            assert!(
                error.to_string().contains("took longer than 500ms"),
                "{error}"
            );
        });
    }
}
