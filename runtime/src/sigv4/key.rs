//! Signing key derivation (`AWS4` + secret -> date -> region -> service -> `aws4_request`),
//! cached per (secret, date, region, service).

use std::fmt;
use std::sync::Mutex;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::encode::hex;
use crate::credentials::Credentials;

/// How many derived keys a cache keeps; a client signs for one region and service, so a few
/// entries cover credential rotation and the date changing.
const CAPACITY: usize = 8;

/// HMAC-SHA256 of `data` under `key`.
pub(crate) fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

fn derive(secret: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let date_key = hmac_sha256(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let region_key = hmac_sha256(&date_key, region.as_bytes());
    let service_key = hmac_sha256(&region_key, service.as_bytes());
    hmac_sha256(&service_key, b"aws4_request")
}

/// One derived key, ready to sign (the HMAC keyed once: its inner and outer pads hashed), and
/// what it was derived for.
struct CachedKey {
    secret: String,
    date: String,
    region: String,
    service: String,
    keyed: Hmac<Sha256>,
}

impl CachedKey {
    fn matches(&self, secret: &str, date: &str, region: &str, service: &str) -> bool {
        self.secret == secret
            && self.date == date
            && self.region == region
            && self.service == service
    }
}

/// Derived signing keys, reused while the date, region, service and secret stay the same.
#[derive(Default)]
pub struct SigningKeyCache {
    keys: Mutex<Vec<CachedKey>>,
}

impl fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entries = self.keys.lock().map(|keys| keys.len()).unwrap_or(0);
        f.debug_struct("SigningKeyCache")
            .field("entries", &entries)
            .finish()
    }
}

impl SigningKeyCache {
    /// The hex signature of `string_to_sign`.
    pub fn sign(
        &self,
        credentials: &Credentials,
        date: &str,
        region: &str,
        service: &str,
        string_to_sign: &str,
    ) -> String {
        let mut mac = self.keyed(credentials.secret_access_key(), date, region, service);
        mac.update(string_to_sign.as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    /// An HMAC keyed with the derived key, from the cache when it holds one (looked up
    /// without allocating).
    fn keyed(&self, secret: &str, date: &str, region: &str, service: &str) -> Hmac<Sha256> {
        let mut keys = self
            .keys
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(cached) = keys
            .iter()
            .find(|cached| cached.matches(secret, date, region, service))
        {
            return cached.keyed.clone();
        }
        if keys.len() >= CAPACITY {
            keys.remove(0);
        }
        let key = derive(secret, date, region, service);
        let keyed =
            <Hmac<Sha256> as KeyInit>::new_from_slice(&key).expect("HMAC takes keys of any length");
        keys.push(CachedKey {
            secret: secret.to_owned(),
            date: date.to_owned(),
            region: region.to_owned(),
            service: service.to_owned(),
            keyed: keyed.clone(),
        });
        keyed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_the_documented_key() {
        // The example from the AWS SigV4 documentation.
        let key = derive(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "20150830",
            "us-east-1",
            "iam",
        );
        assert_eq!(
            hex(&key),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
        );
    }

    #[test]
    fn caches_without_showing_keys() {
        let cache = SigningKeyCache::default();
        let credentials = Credentials::new("AKID", "SECRET", None, None);
        let first = cache.sign(&credentials, "20150830", "us-east-1", "iam", "text");
        assert_eq!(
            first,
            cache.sign(&credentials, "20150830", "us-east-1", "iam", "text")
        );
        assert_eq!(format!("{cache:?}"), "SigningKeyCache { entries: 1 }");
    }
}
