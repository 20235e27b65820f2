//! The Messaging API's URL: `wss://edge.ivschat.REGION.amazonaws.com` for a region, or any
//! `ws://` / `wss://` URL as given (an emulator).

use ivschat_runtime::http::Uri;

use crate::error::ConnectError;

/// A parsed Messaging API endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The whole URL.
    pub uri: Uri,
    /// `wss` (TLS) or `ws`.
    pub tls: bool,
    /// Host name or address.
    pub host: String,
    /// Port (443 and 80 by default).
    pub port: u16,
}

impl Endpoint {
    /// The endpoint of a region.
    pub fn for_region(region: &str) -> Result<Self, ConnectError> {
        let valid = !region.is_empty()
            && region
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c));
        if !valid {
            return Err(ConnectError::InvalidEndpoint(format!(
                "`{region}` is not a region name"
            )));
        }
        Self::parse(&format!("wss://edge.ivschat.{region}.amazonaws.com"))
    }

    /// An endpoint from a `ws://` or `wss://` URL.
    pub fn parse(url: &str) -> Result<Self, ConnectError> {
        let invalid = |why: &str| ConnectError::InvalidEndpoint(format!("`{url}`: {why}"));
        let uri: Uri = url.parse().map_err(|_| invalid("not a URL"))?;
        let tls = match uri.scheme_str() {
            Some("wss") => true,
            Some("ws") => false,
            _ => return Err(invalid("the scheme must be ws or wss")),
        };
        let host = uri
            .host()
            .filter(|host| !host.is_empty())
            .ok_or_else(|| invalid("there is no host"))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let port = uri.port_u16().unwrap_or(if tls { 443 } else { 80 });
        Ok(Self {
            uri,
            tls,
            host,
            port,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_region_gives_the_edge_endpoint() {
        let endpoint = Endpoint::for_region("us-west-2").unwrap();
        assert_eq!(endpoint.uri, "wss://edge.ivschat.us-west-2.amazonaws.com/");
        assert!(endpoint.tls);
        assert_eq!(
            (endpoint.host.as_str(), endpoint.port),
            ("edge.ivschat.us-west-2.amazonaws.com", 443)
        );
    }

    #[test]
    fn urls_are_taken_as_given() {
        let endpoint = Endpoint::parse("ws://127.0.0.1:4566").unwrap();
        assert!(!endpoint.tls);
        assert_eq!((endpoint.host.as_str(), endpoint.port), ("127.0.0.1", 4566));
    }

    #[test]
    fn bad_endpoints_name_the_problem() {
        let error = Endpoint::parse("https://example.com")
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "invalid chat endpoint: `https://example.com`: the scheme must be ws or wss"
        );
        let error = Endpoint::for_region("us west").unwrap_err().to_string();
        assert_eq!(
            error,
            "invalid chat endpoint: `us west` is not a region name"
        );
    }
}
