//! Temporary credentials the emulator's STS issued, kept per principal: the configured key
//! (or web identity token) that the chain of role assumptions started from. A principal's
//! newest [`MAX_PER_PRINCIPAL`] keys are kept, so no caller can evict another's keys, and the
//! store holds at most that many per configured principal.

use std::collections::{HashMap, VecDeque};
use std::time::SystemTime;

use ivschat_runtime::credentials::Credentials;

/// The most temporary credentials kept per principal; its oldest are forgotten first.
pub(crate) const MAX_PER_PRINCIPAL: usize = 1024;

/// An issued key and who it was issued to.
#[derive(Clone, Debug)]
pub(crate) struct IssuedKey {
    /// The key.
    pub(crate) credentials: Credentials,
    /// The configured key id, `web-identity:N` or `anonymous` the chain started from.
    pub(crate) principal: String,
}

/// The issued keys, by access key id, with each principal's keys in issue order.
#[derive(Debug, Default)]
pub struct IssuedKeys {
    by_key: HashMap<String, IssuedKey>,
    by_principal: HashMap<String, VecDeque<String>>,
}

impl IssuedKeys {
    /// Remembers `credentials` for `principal`, forgetting its expired keys and, past
    /// [`MAX_PER_PRINCIPAL`], its oldest.
    pub(crate) fn insert(&mut self, principal: &str, credentials: Credentials) {
        let now = SystemTime::now();
        let order = self.by_principal.entry(principal.to_owned()).or_default();
        let by_key = &mut self.by_key;
        order.retain(|key| {
            let live = by_key
                .get(key)
                .is_some_and(|issued| !issued.credentials.is_expired_at(now));
            if !live {
                by_key.remove(key);
            }
            live
        });
        while order.len() >= MAX_PER_PRINCIPAL {
            if let Some(oldest) = order.pop_front() {
                by_key.remove(&oldest);
            }
        }
        let key = credentials.access_key_id().to_owned();
        order.push_back(key.clone());
        by_key.insert(
            key,
            IssuedKey {
                credentials,
                principal: principal.to_owned(),
            },
        );
    }

    /// The unexpired key with this id.
    pub(crate) fn find(&self, access_key_id: &str) -> Option<&IssuedKey> {
        self.by_key
            .get(access_key_id)
            .filter(|issued| !issued.credentials.is_expired_at(SystemTime::now()))
    }

    /// How many keys are kept.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.by_key.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn key(id: &str, expires_in: Duration) -> Credentials {
        Credentials::new(
            id,
            "s",
            Some("t".into()),
            Some(SystemTime::now() + expires_in),
        )
    }

    #[test]
    fn one_principal_cannot_evict_another() {
        let mut store = IssuedKeys::default();
        store.insert("AKIDLEGIT", key("ASIALEGIT", Duration::from_secs(3600)));
        for n in 0..MAX_PER_PRINCIPAL + 10 {
            store.insert(
                "web-identity:0",
                key(&format!("ASIA{n}"), Duration::from_secs(3600)),
            );
        }
        assert_eq!(store.find("ASIALEGIT").unwrap().principal, "AKIDLEGIT");
        assert!(store.find("ASIA0").is_none(), "the flooder's oldest went");
        assert!(store
            .find(&format!("ASIA{}", MAX_PER_PRINCIPAL + 9))
            .is_some());
        assert_eq!(store.len(), MAX_PER_PRINCIPAL + 1);
    }

    #[test]
    fn expired_keys_are_not_found_and_are_dropped() {
        let mut store = IssuedKeys::default();
        store.insert("p", key("ASIAOLD", Duration::ZERO));
        assert!(store.find("ASIAOLD").is_none());
        store.insert("p", key("ASIANEW", Duration::from_secs(60)));
        assert_eq!(store.len(), 1);
    }
}
