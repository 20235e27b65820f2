//! SigV4 on every request, with the runtime's verifier.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::http::request::Parts;
use ivschat_runtime::sigv4::{verify, SignableBody, SignableRequest};
use ivschat_runtime::DateTime;

use crate::error::ApiError;

/// The clock skew the service allows.
const ALLOWED_SKEW: Duration = Duration::from_secs(300);

/// Who may call the emulator.
#[derive(Clone, Debug)]
pub struct Access {
    /// Accepted access keys.
    pub credentials: Vec<Credentials>,
    /// Temporary credentials the emulator's STS issued (accepted until they expire).
    pub issued: Arc<Mutex<VecDeque<Credentials>>>,
    /// Accept unsigned requests (and skip signature checks).
    pub anonymous: bool,
    /// The region signatures must be scoped to.
    pub region: String,
}

/// Checks the request's signature, scope (`service`, the region) and clock.
pub fn authenticate(
    access: &Access,
    parts: &Parts,
    body: &[u8],
    service: &str,
) -> Result<(), ApiError> {
    if access.anonymous {
        return Ok(());
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
    let lookup = |key: &str| {
        access
            .credentials
            .iter()
            .find(|candidate| candidate.access_key_id() == key)
            .cloned()
            .or_else(|| {
                let issued = access
                    .issued
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                issued
                    .iter()
                    .find(|issued| issued.access_key_id() == key)
                    .filter(|issued| !issued.is_expired_at(std::time::SystemTime::now()))
                    .cloned()
            })
    };
    let verified = verify(&request, lookup, DateTime::now(), ALLOWED_SKEW)
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
    Ok(())
}
