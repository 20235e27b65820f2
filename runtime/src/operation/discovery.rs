//! Endpoint discovery (`aws.api#clientEndpointDiscovery`, DynamoDB and Timestream): the
//! address the service's discovery operation gave, kept for its cache period.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::SdkError;

/// The longest a discovered address is kept, whatever the service says (a day).
const MAX_CACHE_MINUTES: u64 = 24 * 60;

/// The most bytes of an address accepted from the service.
const MAX_ADDRESS_LENGTH: usize = 255;

/// The discovered address of one client, and when it expires.
#[derive(Debug, Default)]
pub struct DiscoveredEndpoints {
    entry: Mutex<Option<(String, Instant)>>,
}

impl DiscoveredEndpoints {
    /// The address, while its cache period lasts.
    pub fn get(&self) -> Option<String> {
        let entry = self
            .entry
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        entry
            .as_ref()
            .filter(|(_, expires)| Instant::now() < *expires)
            .map(|(address, _)| address.clone())
    }

    /// Keeps `address` for `minutes` (at least one, at most a day); an address that is not
    /// a host (with an optional port) is an error naming it, and is not kept.
    pub fn remember(&self, address: &str, minutes: i64) -> Result<(), SdkError> {
        let host_like = !address.is_empty()
            && address.len() <= MAX_ADDRESS_LENGTH
            && address
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-' | b':'));
        if !host_like {
            return Err(SdkError::Endpoint(format!(
                "the discovered endpoint `{address}` is not a host name"
            )));
        }
        let minutes = u64::try_from(minutes)
            .unwrap_or(0)
            .clamp(1, MAX_CACHE_MINUTES);
        let expires = Instant::now() + Duration::from_secs(minutes * 60);
        let mut entry = self
            .entry
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *entry = Some((address.to_owned(), expires));
        Ok(())
    }

    /// Drops the address (after the service called it invalid).
    pub fn forget(&self) {
        let mut entry = self
            .entry
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *entry = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::Endpoint;

    #[test]
    fn addresses_are_kept_checked_and_forgotten() {
        let cache = DiscoveredEndpoints::default();
        assert_eq!(cache.get(), None);
        cache
            .remember("query-cell2.timestream.us-east-1.amazonaws.com", 1440)
            .unwrap();
        assert_eq!(
            cache.get().as_deref(),
            Some("query-cell2.timestream.us-east-1.amazonaws.com")
        );
        assert!(cache.remember("evil.example/path?x", 10).is_err());
        assert!(cache.remember("", 10).is_err());
        assert_eq!(
            cache.get().as_deref(),
            Some("query-cell2.timestream.us-east-1.amazonaws.com")
        );
        cache.forget();
        assert_eq!(cache.get(), None);
        cache.remember("a.example:8443", -5).unwrap();
        assert_eq!(cache.get().as_deref(), Some("a.example:8443"));
        let endpoint = Endpoint::url("https://base.example").with_address("a.example:8443");
        assert_eq!(endpoint.url, "https://a.example:8443");
    }
}
