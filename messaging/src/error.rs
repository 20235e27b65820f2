//! Errors: the service's ERROR frames (typed by code), checks made before sending, and
//! connection failures.

use std::fmt;

/// What an ERROR frame's code means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// 400: a malformed or invalid request.
    BadRequest,
    /// 401: the connection expired or the token is missing.
    Unauthorized,
    /// 403: the token lacks the capability, or the account is pending verification.
    Forbidden,
    /// 404: the room cannot be found.
    NotFound,
    /// 406: the message review handler rejected the message.
    Rejected,
    /// 413: request fields too large.
    TooLarge,
    /// 429: the room's message rate is exceeded.
    Throttled,
    /// 500: a general error.
    Internal,
    /// A code the documentation does not list.
    Other(u16),
}

impl ErrorKind {
    /// The kind of an `ErrorCode`.
    pub fn from_code(code: u16) -> Self {
        match code {
            400 => Self::BadRequest,
            401 => Self::Unauthorized,
            403 => Self::Forbidden,
            404 => Self::NotFound,
            406 => Self::Rejected,
            413 => Self::TooLarge,
            429 => Self::Throttled,
            500 => Self::Internal,
            other => Self::Other(other),
        }
    }
}

/// An ERROR frame from the service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerError {
    /// `ErrorCode`.
    pub code: u16,
    /// `ErrorMessage`.
    pub message: String,
    /// `Id` of the frame.
    pub id: String,
    /// `RequestId` of the failed request (empty when the server originated the error).
    pub request_id: String,
}

impl ServerError {
    /// What the code means.
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::from_code(self.code)
    }
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the chat service answered {}: {}",
            self.code, self.message
        )
    }
}

impl std::error::Error for ServerError {}

/// Why a request (send, delete, disconnect) failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChatError {
    /// The service answered with an ERROR frame.
    Server(ServerError),
    /// The request was refused before sending: `field` is what is wrong.
    InvalidRequest {
        /// The field at fault (`Content`, `Attributes`, `Id`, `UserId`, `Reason`).
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The connection closed or broke before the answer arrived; the request may or may not
    /// have taken effect.
    ConnectionLost,
    /// No answer arrived in time.
    Timeout,
}

impl ChatError {
    /// The ERROR frame's kind, when the service answered with one.
    pub fn kind(&self) -> Option<ErrorKind> {
        match self {
            Self::Server(error) => Some(error.kind()),
            _ => None,
        }
    }
}

impl fmt::Display for ChatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Server(error) => error.fmt(f),
            Self::InvalidRequest { field, message } => write!(f, "invalid {field}: {message}"),
            Self::ConnectionLost => f.write_str("the chat connection closed before the answer"),
            Self::Timeout => f.write_str("the chat service did not answer in time"),
        }
    }
}

impl std::error::Error for ChatError {}

/// Why a connection could not be opened.
#[derive(Debug)]
pub enum ConnectError {
    /// The URL or region is not usable.
    InvalidEndpoint(String),
    /// The token provider failed.
    Token(Box<dyn std::error::Error + Send + Sync>),
    /// The server refused the WebSocket handshake with this HTTP status (401: a bad, used or
    /// expired token; 404: the room is gone).
    Refused {
        /// HTTP status.
        status: u16,
        /// The response body, if any.
        message: String,
    },
    /// The network, TLS or WebSocket layer failed.
    Transport(String),
    /// The handshake did not finish in time.
    Timeout,
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidEndpoint(message) => write!(f, "invalid chat endpoint: {message}"),
            Self::Token(error) => write!(f, "the chat token provider failed: {error}"),
            Self::Refused { status, message } if message.is_empty() => {
                write!(
                    f,
                    "the chat service refused the connection with HTTP {status}"
                )
            }
            Self::Refused { status, message } => write!(
                f,
                "the chat service refused the connection with HTTP {status}: {message}"
            ),
            Self::Transport(message) => write!(f, "chat connection failed: {message}"),
            Self::Timeout => f.write_str("the chat connection did not open in time"),
        }
    }
}

impl std::error::Error for ConnectError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Token(error) => Some(error.as_ref()),
            _ => None,
        }
    }
}
