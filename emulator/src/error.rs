//! Errors in the wire format of the service: status, `x-amzn-ErrorType`, a JSON body with
//! `message` and the error's other members.

use serde_json::{json, Map, Value};

/// An error answer.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// The error code (shape name).
    pub code: &'static str,
    /// The body: `message` and the error's members.
    pub body: Map<String, Value>,
}

impl ApiError {
    fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        let mut body = Map::new();
        body.insert("message".to_owned(), Value::String(message.into()));
        Self { status, code, body }
    }

    fn with(mut self, key: &str, value: Value) -> Self {
        self.body.insert(key.to_owned(), value);
        self
    }

    /// `ValidationException` with `reason` `FIELD_VALIDATION_FAILED` and the field at fault.
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::new(400, "ValidationException", format!("{field}: {message}"))
            .with("reason", json!("FIELD_VALIDATION_FAILED"))
            .with("fieldList", json!([{ "name": field, "message": message }]))
    }

    /// `ValidationException` for a request the emulator cannot route or read.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "ValidationException", message).with("reason", json!("OTHER"))
    }

    /// `ResourceNotFoundException` naming the resource.
    pub fn not_found(resource_id: &str, resource_type: &str) -> Self {
        Self::new(
            404,
            "ResourceNotFoundException",
            format!("{resource_type} {resource_id} not found"),
        )
        .with("resourceId", json!(resource_id))
        .with("resourceType", json!(resource_type))
    }

    /// `ConflictException` naming the resource.
    pub fn conflict(resource_id: &str, resource_type: &str, message: impl Into<String>) -> Self {
        Self::new(409, "ConflictException", message)
            .with("resourceId", json!(resource_id))
            .with("resourceType", json!(resource_type))
    }

    /// `ServiceQuotaExceededException` with the quota.
    pub fn quota(resource_type: &str, limit: usize) -> Self {
        Self::new(
            402,
            "ServiceQuotaExceededException",
            format!("at most {limit} {resource_type} resources"),
        )
        .with("resourceId", json!(""))
        .with("resourceType", json!(resource_type))
        .with("limit", json!(limit))
    }

    /// 500 `InternalServerException` (fault injection).
    pub fn internal() -> Self {
        Self::new(500, "InternalServerException", "injected internal error")
    }

    /// 429 `ThrottlingException`, the status the model gives it (fault injection).
    pub fn throttled() -> Self {
        Self::new(429, "ThrottlingException", "injected throttling")
            .with("resourceId", json!(""))
            .with("resourceType", json!("ROOM"))
            .with("limit", json!(0))
    }

    /// 403 `AccessDeniedException` (fault injection).
    pub fn access_denied() -> Self {
        Self::new(403, "AccessDeniedException", "injected: not authorized")
    }

    /// 403 `PendingVerification` (fault injection).
    pub fn pending_verification() -> Self {
        Self::new(
            403,
            "PendingVerification",
            "injected: the account is pending verification",
        )
    }

    /// 429 `ThrottlingException`: a request-rate quota of the account is used up.
    pub fn rate_exceeded(resource_type: &str, limit: u32) -> Self {
        Self::new(
            429,
            "ThrottlingException",
            format!("rate exceeded: at most {limit} requests per second"),
        )
        .with("resourceId", json!(""))
        .with("resourceType", json!(resource_type))
        .with("limit", json!(limit))
    }

    /// 413: the request body is over the emulator's limit; it was not read.
    pub fn too_large(limit: u64) -> Self {
        Self::new(
            413,
            "ValidationException",
            format!("the request body is larger than {limit} bytes"),
        )
        .with("reason", json!("OTHER"))
    }

    /// 408: the request body did not arrive in time.
    pub fn request_timeout(limit: std::time::Duration) -> Self {
        Self::new(
            408,
            "RequestTimeoutException",
            format!("the request body did not arrive within {limit:?}"),
        )
    }

    /// 500 `InternalServerException` for a failure of the emulator itself (nothing changed).
    pub fn internal_failure(message: impl Into<String>) -> Self {
        Self::new(500, "InternalServerException", message)
    }

    /// 403 for a request of the admin endpoint that a browser could have sent.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(403, "AccessDeniedException", message)
    }

    /// A SigV4 failure: 403 with the AWS code.
    pub fn auth(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(403, code, message)
    }

    /// An unknown route.
    pub fn unknown_operation(method: &str, path: &str) -> Self {
        Self::new(
            404,
            "UnknownOperationException",
            format!("no operation at {method} {path}"),
        )
    }
}
