//! Where an operation's request goes and how it is signed, as endpoint resolution decided.

use super::SdkError;

/// Where a request goes and how it is signed, as endpoint resolution decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// Scheme, host, port and an optional base path, e.g. `https://ivschat.us-west-2.amazonaws.com`.
    pub url: String,
    /// Headers the endpoint requires.
    pub headers: Vec<(String, String)>,
    /// Signing region, when the endpoint names one.
    pub signing_region: Option<String>,
    /// Signing name, when the endpoint names one.
    pub signing_name: Option<String>,
    /// SigV4, or SigV4a when the endpoint asks for it (then `signing_region` is the region
    /// set, e.g. `*`).
    pub signing_algorithm: crate::sigv4::Algorithm,
    /// The path is URI-encoded a second time for the signature (SigV4's rule), unless the
    /// endpoint's auth scheme says `disableDoubleEncoding`.
    pub double_encode_path: bool,
    /// S3's signing rules: the path signed as sent (neither normalized nor encoded twice) and
    /// `x-amz-content-sha256` on every request (see [`Endpoint::signed_as_s3`]).
    pub s3_signing: bool,
}

impl Endpoint {
    /// The URI of a request to this endpoint with `path_and_query`, as text.
    pub(crate) fn uri_text(&self, path_and_query: &str) -> String {
        let base = self.url.trim_end_matches('/');
        let mut uri = String::with_capacity(base.len() + path_and_query.len());
        uri.push_str(base);
        uri.push_str(path_and_query);
        uri
    }

    /// The URI of a request to this endpoint with `path_and_query`, parsed from its text
    /// without a copy; an error names a URI that does not parse or has no host.
    pub(crate) fn uri(&self, path_and_query: &str) -> Result<http::Uri, SdkError> {
        let text = || self.uri_text(path_and_query);
        let parsed = http::Uri::try_from(text()).map_err(|error| {
            SdkError::Endpoint(format!("`{}` is not a valid URI: {error}", text()))
        })?;
        if parsed.authority().is_none() {
            return Err(SdkError::Endpoint(format!("`{}` has no host", text())));
        }
        Ok(parsed)
    }

    /// Sets the headers the endpoint requires in `headers`; an error names one that is not a
    /// valid header.
    pub(crate) fn insert_headers(&self, headers: &mut http::HeaderMap) -> Result<(), SdkError> {
        for (name, value) in &self.headers {
            let invalid = |error: &dyn std::fmt::Display| {
                SdkError::Endpoint(format!("endpoint header `{name}`: {error}"))
            };
            let header =
                http::HeaderName::try_from(name.as_str()).map_err(|error| invalid(&error))?;
            let value =
                http::HeaderValue::try_from(value.as_str()).map_err(|error| invalid(&error))?;
            headers.insert(header, value);
        }
        Ok(())
    }

    /// The endpoint with `prefix` (an operation's `@endpoint` host prefix with its labels
    /// filled in, e.g. `foo.bar.`) before its host; a prefix that is not host labels is an
    /// error naming it.
    pub fn with_host_prefix(mut self, prefix: &str) -> Result<Self, SdkError> {
        let labels_valid = prefix
            .strip_suffix('.')
            .unwrap_or(prefix)
            .split('.')
            .all(|label| {
                (1..=63).contains(&label.len())
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    && !label.starts_with('-')
            });
        let Some(scheme_end) = self
            .url
            .find("://")
            .map(|at| at + 3)
            .filter(|_| labels_valid)
        else {
            return Err(SdkError::Endpoint(format!(
                "`{prefix}` is not a valid host prefix for {}",
                self.url
            )));
        };
        self.url.insert_str(scheme_end, prefix);
        Ok(self)
    }

    /// The endpoint sent to a discovered `address` (a host name) over HTTPS; headers and
    /// signing stay as endpoint resolution decided.
    pub fn with_address(mut self, address: &str) -> Self {
        self.url = format!("https://{address}");
        self
    }

    /// The endpoint sent to `url` (an input member that names its operation's endpoint, as
    /// Machine Learning's `PredictEndpoint`); a URL that is not http(s) is an error naming it.
    pub fn with_url(mut self, url: &str) -> Result<Self, SdkError> {
        let Some(rest) = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
        else {
            return Err(SdkError::Endpoint(format!("`{url}` is not an http(s) URL")));
        };
        if rest.is_empty() || rest.starts_with('/') {
            return Err(SdkError::Endpoint(format!("`{url}` names no host")));
        }
        self.url = url.trim_end_matches('/').to_owned();
        Ok(self)
    }

    /// An endpoint with only a URL.
    pub fn url(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            headers: Vec::new(),
            signing_region: None,
            signing_name: None,
            signing_algorithm: crate::sigv4::Algorithm::V4,
            double_encode_path: true,
            s3_signing: false,
        }
    }

    /// The endpoint, its requests signed by S3's rules (what S3 and S3 Control's generated
    /// clients ask for).
    pub fn signed_as_s3(mut self) -> Self {
        self.s3_signing = true;
        self
    }
}
