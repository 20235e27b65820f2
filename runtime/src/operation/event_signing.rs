//! What an input event stream needs from the request's signature to sign its messages in a
//! chain: filled by the client when it signs the request, read by the stream's body when it
//! is first polled (after signing, before sending).

use std::sync::{Arc, OnceLock};

use crate::credentials::Credentials;

/// Who signs an event stream's messages, for which scope, and the request's signature that
/// starts the chain.
#[derive(Clone, Debug)]
#[cfg_attr(
    not(feature = "event-stream"),
    allow(dead_code, reason = "read by the event-stream signer only")
)]
pub struct EventSigner {
    /// The credentials the request was signed with.
    pub(crate) credentials: Credentials,
    /// Signing region.
    pub(crate) region: String,
    /// Signing name of the service.
    pub(crate) service: String,
    /// The request's hex signature: the first message's prior signature.
    pub(crate) seed: String,
}

/// The slot an input stream's body and its request share: empty for an unsigned request
/// (its messages are then sent unsigned). Clones share the slot.
#[derive(Clone, Debug, Default)]
pub struct EventSigning {
    signer: Arc<OnceLock<EventSigner>>,
}

impl EventSigning {
    /// An empty slot.
    pub fn new() -> Self {
        Self::default()
    }

    /// The signer, once the request is signed.
    #[cfg(feature = "event-stream")]
    pub(crate) fn signer(&self) -> Option<&EventSigner> {
        self.signer.get()
    }

    /// Fills the slot (the first signature of the request wins: a stream is sent once).
    pub(crate) fn fill(&self, signer: EventSigner) {
        let _ = self.signer.set(signer);
    }
}
