use std::fmt;

use crate::transport::{HttpResponse, RedactedResponse};

/// A service error the model does not list for the operation (or whose code is unknown):
/// its code, message, status and request id, and the raw response (`Debug` shows its status,
/// header names and size, never its body).
pub struct UnhandledError {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    raw: Box<HttpResponse>,
}

impl UnhandledError {
    /// Reads code and message from an error response.
    pub fn from_response(response: HttpResponse, request_id: Option<String>) -> Self {
        let message = serde_json::from_slice::<serde_json::Value>(response.body())
            .ok()
            .and_then(|body| {
                ["message", "Message", "errorMessage"]
                    .iter()
                    .find_map(|field| body.get(field)?.as_str().map(str::to_owned))
            });
        Self {
            code: super::error_code(&response),
            message,
            request_id,
            raw: Box::new(response),
        }
    }

    /// The error code, when the response had one.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The error message, when the response had one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The request id, when the response had one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.raw.status().as_u16()
    }

    /// The response as received.
    pub fn raw(&self) -> &HttpResponse {
        &self.raw
    }
}

impl fmt::Debug for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnhandledError")
            .field("code", &self.code)
            .field("message", &self.message)
            .field("request_id", &self.request_id)
            .field("raw", &RedactedResponse(&self.raw))
            .finish()
    }
}

impl fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (HTTP {})",
            self.code.as_deref().unwrap_or("unknown error"),
            self.status()
        )?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(request_id) = &self.request_id {
            write!(f, " (request id {request_id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnhandledError {}
