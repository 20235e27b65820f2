//! Checks made before a request is sent, with the limits the service documents: a refused
//! request names its field and never reaches the network.

use crate::error::ChatError;
use crate::types::Attributes;

/// The longest message any room allows, in Unicode code points.
pub const MAX_CONTENT_CHARS: usize = 500;
/// The most bytes a message's attributes may hold, keys and values together.
pub const MAX_ATTRIBUTE_BYTES: usize = 1024;

fn invalid(field: &'static str, message: impl Into<String>) -> ChatError {
    ChatError::InvalidRequest {
        field,
        message: message.into(),
    }
}

fn length(field: &'static str, text: &str, min: usize, max: usize) -> Result<(), ChatError> {
    let count = text.chars().count();
    if count < min || count > max {
        return Err(invalid(
            field,
            format!("has {count} characters; {min} to {max} are allowed"),
        ));
    }
    Ok(())
}

/// A message's content and attributes.
pub fn message(content: &str, attributes: &Attributes) -> Result<(), ChatError> {
    length("Content", content, 1, MAX_CONTENT_CHARS)?;
    if attributes.keys().any(String::is_empty) {
        return Err(invalid("Attributes", "a key is empty"));
    }
    let size: usize = attributes
        .iter()
        .map(|(key, value)| key.len() + value.len())
        .sum();
    if size > MAX_ATTRIBUTE_BYTES {
        return Err(invalid(
            "Attributes",
            format!("hold {size} bytes; at most {MAX_ATTRIBUTE_BYTES} are allowed"),
        ));
    }
    Ok(())
}

/// A message id: 12 characters of `[a-zA-Z0-9]`.
pub fn message_id(id: &str) -> Result<(), ChatError> {
    if id.len() == 12 && id.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(invalid(
            "Id",
            format!("`{id}` is not 12 characters of [a-zA-Z0-9]"),
        ))
    }
}

/// A user id: 1 to 128 characters.
pub fn user_id(user_id: &str) -> Result<(), ChatError> {
    length("UserId", user_id, 1, 128)
}

/// A request id of the caller's: 1 to 256 characters (this client's bound: the id only
/// travels to come back with the answer).
pub fn request_id(request_id: &str) -> Result<(), ChatError> {
    length("RequestId", request_id, 1, 256)
}

/// A reason: 1 to 256 characters, when given.
pub fn reason(reason: Option<&str>) -> Result<(), ChatError> {
    reason.map_or(Ok(()), |reason| length("Reason", reason, 1, 256))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_is_counted_in_code_points() {
        assert!(message(&"é".repeat(500), &Attributes::new()).is_ok());
        let error = message(&"é".repeat(501), &Attributes::new()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid Content: has 501 characters; 1 to 500 are allowed"
        );
        assert!(message("", &Attributes::new()).is_err());
    }

    #[test]
    fn attributes_are_limited_to_a_kilobyte() {
        let attributes = Attributes::from([("k".to_owned(), "v".repeat(1024))]);
        let error = message("hi", &attributes).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid Attributes: hold 1025 bytes; at most 1024 are allowed"
        );
    }

    #[test]
    fn ids_and_reasons_are_checked() {
        assert!(message_id("M2YcHkgffEvU").is_ok());
        assert!(message_id("M2YcHkgffEv!").is_err());
        assert!(user_id("").is_err());
        assert!(reason(Some("")).is_err());
        assert!(reason(None).is_ok());
    }
}
