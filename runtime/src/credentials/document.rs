//! The JSON credentials document that `credential_process`, the container endpoint and IMDS
//! answer with: `AccessKeyId`, `SecretAccessKey`, a session token, `Expiration` and `AccountId`.

use std::time::SystemTime;

use serde_json::Value;

use super::Credentials;
use crate::{DateTime, DateTimeFormat};

/// Reads a credentials document whose session token is under `token_key` (`SessionToken` for
/// `credential_process`, `Token` for the container endpoint and IMDS). The message starts with
/// `subject` ("its output", "the answer"), names the field at fault and never repeats a value.
pub fn parse(document: &Value, token_key: &str, subject: &str) -> Result<Credentials, String> {
    let text = |field: &str| {
        document
            .get(field)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let missing = |field: &str| format!("{subject} has no {field} string");
    let key = text("AccessKeyId").ok_or_else(|| missing("AccessKeyId"))?;
    let secret = text("SecretAccessKey").ok_or_else(|| missing("SecretAccessKey"))?;
    let expiration = match text("Expiration") {
        Some(expiration) => Some(SystemTime::from(
            DateTime::parse(&expiration, DateTimeFormat::DateTime).map_err(|_| {
                format!("{subject}'s Expiration `{expiration}` is not an RFC 3339 time")
            })?,
        )),
        None => None,
    };
    Ok(Credentials::new(key, secret, text(token_key), expiration)
        .with_account_id(text("AccountId")))
}
