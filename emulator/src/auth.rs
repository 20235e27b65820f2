//! SigV4 on every request, with the runtime's verifier.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::http::request::Parts;
use ivschat_runtime::sigv4::{
    is_presigned, verify, verify_presigned, SignableBody, SignableRequest,
};
use ivschat_runtime::DateTime;

use crate::error::ApiError;
use crate::issued::IssuedKeys;

/// The clock skew the service allows.
const ALLOWED_SKEW: Duration = Duration::from_secs(300);

/// The principal of unsigned requests in anonymous mode.
pub(crate) const ANONYMOUS: &str = "anonymous";

/// Who may call the emulator.
#[derive(Clone, Debug)]
pub struct Access {
    /// Accepted access keys.
    pub credentials: Vec<Credentials>,
    /// Temporary credentials the emulator's STS issued (accepted until they expire).
    pub issued: Arc<Mutex<IssuedKeys>>,
    /// Accept unsigned requests (and skip signature checks).
    pub anonymous: bool,
    /// The region signatures must be scoped to.
    pub region: String,
    /// The web identity tokens `AssumeRoleWithWebIdentity` takes (none: it is refused).
    pub web_identity_tokens: Secrets,
    /// Whether keys the STS issued may call the admin endpoints too.
    pub issued_keys_admin: bool,
    /// Seconds the emulator's clock runs off the machine's (0 unless asked).
    pub clock_offset: i64,
    /// The account of each key that has its own (access key id to account id); the others
    /// are the default account's. Empty: one account, nothing to isolate.
    pub accounts: std::collections::BTreeMap<String, String>,
    /// The policies of keys that have one (access key id to policy); the others may do all.
    pub policies: std::collections::BTreeMap<String, crate::policy::Policy>,
}

/// Secret strings (web identity tokens): `Debug` shows how many, never what.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secrets(pub Vec<String>);

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{} redacted]", self.0.len())
    }
}

/// What a request may reach once authenticated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The service's API (control plane, STS).
    Api,
    /// The emulator's own endpoints (`/_emulator/`).
    Admin,
}

/// Who an authenticated request comes from: the configured key (or web identity token, or
/// [`ANONYMOUS`]) that its chain of role assumptions started from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The principal's name (an access key id, `web-identity:N` or `anonymous`); never a
    /// secret.
    pub principal: String,
}

impl Access {
    /// The account a principal acts in, when keys have accounts of their own (an access key
    /// id, or the key an STS chain started from); `None` when there is one account.
    pub fn account_of(&self, principal: &str, default: &str) -> Option<String> {
        if self.accounts.is_empty() {
            return None;
        }
        Some(
            self.accounts
                .get(principal)
                .cloned()
                .unwrap_or_else(|| default.to_owned()),
        )
    }

    /// The emulator's time: the machine's, `clock_offset` seconds off.
    pub fn now(&self) -> DateTime {
        DateTime::from_secs(DateTime::now().secs().saturating_add(self.clock_offset))
    }

    /// The key with this id that may reach `scope`, and its principal.
    fn lookup(&self, key: &str, scope: Scope) -> Option<(Credentials, String)> {
        if let Some(configured) = self
            .credentials
            .iter()
            .find(|candidate| candidate.access_key_id() == key)
        {
            return Some((configured.clone(), key.to_owned()));
        }
        if scope == Scope::Admin && !self.issued_keys_admin {
            return None;
        }
        let issued = self
            .issued
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        issued
            .find(key)
            .map(|issued| (issued.credentials.clone(), issued.principal.clone()))
    }

    /// The principal named by a web identity token, when the emulator takes it (any token in
    /// anonymous mode).
    pub(crate) fn web_identity(&self, token: &str) -> Option<String> {
        if self.anonymous {
            return Some(ANONYMOUS.to_owned());
        }
        self.web_identity_tokens
            .0
            .iter()
            .position(|accepted| constant_time_eq(accepted.as_bytes(), token.as_bytes()))
            .map(|index| format!("web-identity:{index}"))
    }
}

/// Whether two secrets are equal, compared in constant time.
pub fn same_secret(given: &str, expected: &str) -> bool {
    constant_time_eq(given.as_bytes(), expected.as_bytes())
}

/// Compares without stopping at the first difference (the length is not secret).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks the request's signature, scope (`service`, the region), clock and whether its key
/// may reach `scope`.
pub fn authenticate(
    access: &Access,
    parts: &Parts,
    body: &[u8],
    service: &str,
    scope: Scope,
) -> Result<Caller, ApiError> {
    if access.anonymous {
        return Ok(Caller {
            principal: ANONYMOUS.to_owned(),
        });
    }
    let headers: Vec<(&str, &str)> = parts
        .headers
        .iter()
        .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
        .collect();
    let request = SignableRequest {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query().unwrap_or(""),
        headers,
        body: SignableBody::Bytes(body),
    };
    let principal = std::cell::RefCell::new(None);
    let lookup = |key: &str| {
        let (credentials, name) = access.lookup(key, scope)?;
        *principal.borrow_mut() = Some(name);
        Some(credentials)
    };
    // A request with no `Authorization` may carry its signature in the query (presigned).
    let presigned = parts.headers.get("authorization").is_none() && is_presigned(&request);
    let verified = match presigned {
        true => verify_presigned(&request, lookup, access.now(), ALLOWED_SKEW),
        false => verify(&request, lookup, access.now(), ALLOWED_SKEW),
    }
    .map_err(|error| ApiError::auth(error.code(), error.to_string()))?;
    if verified.service != service {
        return Err(ApiError::auth(
            "InvalidSignatureException",
            format!("Credential should be scoped to correct service: '{service}'"),
        ));
    }
    if verified.region != access.region {
        return Err(ApiError::auth(
            "InvalidSignatureException",
            format!(
                "Credential should be scoped to a valid region, not '{}'",
                verified.region
            ),
        ));
    }
    let principal = principal
        .into_inner()
        .unwrap_or_else(|| verified.access_key_id.clone());
    Ok(Caller { principal })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_identity_takes_only_the_configured_tokens() {
        let mut access = Access {
            credentials: Vec::new(),
            issued: Default::default(),
            anonymous: false,
            region: "us-west-2".to_owned(),
            web_identity_tokens: Secrets(vec!["first".to_owned(), "second".to_owned()]),
            issued_keys_admin: false,
            clock_offset: 0,
            accounts: Default::default(),
            policies: Default::default(),
        };
        let shown = format!("{access:?}");
        assert!(
            !shown.contains("first") && shown.contains("[2 redacted]"),
            "{shown}"
        );
        assert_eq!(
            access.web_identity("second").as_deref(),
            Some("web-identity:1")
        );
        assert_eq!(access.web_identity("secon"), None);
        assert_eq!(access.web_identity("anything"), None);
        access.web_identity_tokens.0.clear();
        assert_eq!(access.web_identity("first"), None);
        access.anonymous = true;
        assert_eq!(access.web_identity("anything").as_deref(), Some(ANONYMOUS));
    }
}
