//! Presigned requests: an operation's request signed in its query string (SigV4's query
//! signing), valid for a chosen time, to be sent later by anyone, with any HTTP client.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method};

use super::{Endpoint, Handle, OperationRequest, SdkError};
use crate::sigv4::{presign_query, uri_encode, SignableBody, SignableRequest, SigningParams};
use crate::DateTime;

/// The longest a presigned request may be valid: 7 days, as SigV4 allows.
pub const MAX_PRESIGNED_DURATION: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// How long a presigned request is valid, and from when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PresigningConfig {
    expires_in: Duration,
    start_time: Option<SystemTime>,
}

impl PresigningConfig {
    /// Valid for `expires_in` from the time of signing: at least a second, at most 7 days.
    pub fn expires_in(expires_in: Duration) -> Result<Self, SdkError> {
        if expires_in < Duration::from_secs(1) || expires_in > MAX_PRESIGNED_DURATION {
            return Err(SdkError::Construction(
                format!(
                    "a presigned request must be valid for 1 second to 7 days, not {expires_in:?}"
                )
                .into(),
            ));
        }
        Ok(Self {
            expires_in,
            start_time: None,
        })
    }

    /// Signs as of `start_time` instead of now (its validity runs from then).
    pub fn start_time(mut self, start_time: SystemTime) -> Self {
        self.start_time = Some(start_time);
        self
    }

    /// How long the request is valid.
    pub fn duration(&self) -> Duration {
        self.expires_in
    }
}

/// A request signed in its query string: send it as it is (its method, URL, headers and, for
/// an operation with a body, its body) before it expires.
#[derive(Clone, Debug)]
pub struct PresignedRequest {
    method: Method,
    uri: String,
    headers: HeaderMap,
    body: Bytes,
}

impl PresignedRequest {
    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The URL, its signature in the query string.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// The headers the signature covers, which must be sent with it (`host` is the URL's).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body the signature covers (empty for most downloads; S3 signs none, so any body
    /// may go with an S3 upload).
    pub fn body(&self) -> &Bytes {
        &self.body
    }
}

impl Handle {
    /// The request of `request` to `endpoint`, signed in its query string for `config`'s time.
    /// Needs credentials; a streaming body is accepted only where the signature covers none
    /// (S3).
    pub async fn presign(
        &self,
        endpoint: Result<Endpoint, SdkError>,
        request: Result<OperationRequest, SdkError>,
        config: &PresigningConfig,
    ) -> Result<PresignedRequest, SdkError> {
        let (endpoint, request) = (endpoint?, request?);
        let credentials = self.credentials().await?.ok_or_else(|| {
            SdkError::Construction(
                "a presigned request needs credentials, and the client is anonymous".into(),
            )
        })?;
        let body = presigned_body(&request, &endpoint)?;
        let parsed = endpoint.uri(&request.path_and_query)?;
        let uri = endpoint.uri_text(&request.path_and_query);
        let host = parsed
            .authority()
            .map_or("", |authority| authority.as_str());
        let mut headers = request.headers;
        endpoint.insert_headers(&mut headers)?;
        let host_value = HeaderValue::try_from(host)
            .map_err(|error| SdkError::Endpoint(format!("host `{host}`: {error}")))?;
        headers.insert(http::header::HOST, host_value);
        let (region, service) = self.signing_scope(&endpoint)?;
        let signed_headers: Vec<(&str, &str)> = headers
            .iter()
            .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
            .collect();
        let signable = SignableRequest {
            method: request.method.as_str(),
            path: parsed.path(),
            query: parsed.query().unwrap_or(""),
            headers: signed_headers,
            body: match endpoint.s3_signing {
                true => SignableBody::Unsigned,
                false => SignableBody::Bytes(&body),
            },
        };
        let time = match config.start_time {
            Some(start) => DateTime::from(start),
            None => self.clock.now(),
        };
        let params = SigningParams {
            credentials: &credentials,
            region,
            service,
            time,
            settings: super::signing::signing_settings(&endpoint),
        };
        let signature = presign_query(&signable, &params, &self.keys, config.expires_in);
        let signed_uri = with_query(uri, parsed.query().is_some(), &signature.additions);
        headers.remove(http::header::HOST);
        Ok(PresignedRequest {
            method: request.method,
            uri: signed_uri,
            headers,
            body,
        })
    }
}

/// The body a presigned request covers: the request's, in memory; none for S3, whose
/// signature covers no body; an error for any other streaming body.
fn presigned_body(request: &OperationRequest, endpoint: &Endpoint) -> Result<Bytes, SdkError> {
    match (request.body.in_memory(), endpoint.s3_signing) {
        (Some(bytes), _) => Ok(bytes.clone()),
        (None, true) => Ok(Bytes::new()),
        (None, false) => Err(SdkError::Construction(
            "this operation streams its body, which a presigned request cannot cover".into(),
        )),
    }
}

/// `uri` with the signature's query parameters added (`has_query`: it has a query already).
fn with_query(mut uri: String, has_query: bool, additions: &[(&'static str, String)]) -> String {
    for (index, (name, value)) in additions.iter().enumerate() {
        uri.push(if index == 0 && !has_query { '?' } else { '&' });
        uri.push_str(name);
        uri.push('=');
        uri.push_str(&uri_encode(value, false));
    }
    uri
}
