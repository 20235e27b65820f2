//! AWS credentials and where they come from.

mod cache;
mod container;
mod document;
mod error;
mod imds;
mod process;
mod provider;

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

pub use cache::{CredentialsCache, REFRESH_AHEAD};
pub use container::ContainerProvider;
pub use error::CredentialsError;
pub use imds::{ImdsMode, ImdsProvider, ImdsSettings};
pub use provider::{
    load_profile_set, runtime_chain, BoxFuture, CredentialsChain, DefaultChain,
    EnvironmentProvider, ProfileProvider, ProvideCredentials, SharedCredentialsProvider,
};

/// An access key, its secret and an optional session token. `Debug` never shows the secret or
/// the token. Cloning shares the text (every signed request takes a copy) and allocates
/// nothing.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: Arc<str>,
    secret_access_key: Arc<str>,
    session_token: Option<Arc<str>>,
    expires_at: Option<SystemTime>,
    account_id: Option<Arc<str>>,
}

impl Credentials {
    /// Credentials from their parts.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
        expires_at: Option<SystemTime>,
    ) -> Self {
        Self {
            access_key_id: Arc::from(access_key_id.into()),
            secret_access_key: Arc::from(secret_access_key.into()),
            session_token: session_token.map(Arc::from),
            expires_at,
            account_id: None,
        }
    }

    /// The credentials with the AWS account they belong to (for account-based endpoints).
    pub fn with_account_id(mut self, account_id: Option<String>) -> Self {
        self.account_id = account_id.map(Arc::from);
        self
    }

    /// The credentials with another expiry.
    pub fn with_expiry(mut self, expires_at: Option<SystemTime>) -> Self {
        self.expires_at = expires_at;
        self
    }

    /// The AWS account the credentials belong to, when the source said.
    pub fn account_id(&self) -> Option<&str> {
        self.account_id.as_deref()
    }

    /// The access key id (not secret: it appears in every signed request).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// When temporary credentials stop working.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }

    /// True when the credentials have an expiry and it has passed at `now`.
    pub fn is_expired_at(&self, now: SystemTime) -> bool {
        self.expires_at.is_some_and(|expiry| expiry <= now)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &crate::REDACTED)
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| crate::REDACTED),
            )
            .field("expires_at", &self.expires_at)
            .field("account_id", &self.account_id)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secret_and_token() {
        let credentials =
            Credentials::new("AKID", "SECRETKEY", Some("TOKENVALUE".to_owned()), None);
        let printed = format!("{credentials:?}");
        assert!(printed.contains("AKID"));
        assert!(
            !printed.contains("SECRETKEY") && !printed.contains("TOKENVALUE"),
            "{printed}"
        );
    }
}
