//! Chat tokens and where they come from. A token is a secret: it never shows in `Debug` output
//! or logs.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use ivschat_runtime::DateTime;

/// An error of a token provider.
pub type TokenError = Box<dyn std::error::Error + Send + Sync>;

/// A chat token from CreateChatToken, with its expiry.
#[derive(Clone, PartialEq, Eq)]
pub struct ChatToken {
    token: String,
    expires_at: Option<DateTime>,
}

impl ChatToken {
    /// A token; give its `tokenExpirationTime` with [`ChatToken::expires_at`] so the room
    /// can renew it in time.
    pub fn new(token: impl Into<String>) -> Self {
        Self {
            token: token.into(),
            expires_at: None,
        }
    }

    /// A token and its `tokenExpirationTime` as CreateChatToken returns them (the time is
    /// optional there): `ChatToken::from_output(output.token().unwrap_or_default(),
    /// output.token_expiration_time())`.
    pub fn from_output(token: impl Into<String>, expires_at: Option<DateTime>) -> Self {
        Self {
            token: token.into(),
            expires_at,
        }
    }

    /// The token's `tokenExpirationTime`.
    pub fn expires_at(mut self, time: DateTime) -> Self {
        self.expires_at = Some(time);
        self
    }

    /// The token text.
    pub fn secret(&self) -> &str {
        &self.token
    }

    /// When the token expires, if known.
    pub fn expiration(&self) -> Option<DateTime> {
        self.expires_at
    }
}

impl fmt::Debug for ChatToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChatToken")
            .field("token", &"** redacted **")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<ChatToken, TokenError>> + Send + 'a>>;

/// Supplies chat tokens: for the first connection, after a 401, before a token expires, and
/// for every reconnection (tokens are single-use). Usually a CreateChatToken call on your
/// backend. Any `Fn() -> impl Future<Output = Result<ChatToken, TokenError>>` is one.
pub trait TokenProvider: Send + Sync + 'static {
    /// A fresh token.
    fn token(&self) -> TokenFuture<'_>;
}

impl<F, Fut> TokenProvider for F
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<ChatToken, TokenError>> + Send + 'static,
{
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(self())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_token() {
        let token = ChatToken::new("AQICAHgsecret").expires_at(DateTime::from_secs(0));
        let shown = format!("{token:?}");
        assert!(!shown.contains("AQICAHgsecret"), "{shown}");
        assert!(shown.contains("redacted"));
    }
}
