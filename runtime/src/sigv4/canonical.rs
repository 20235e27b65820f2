//! The canonical request and string to sign of SigV4.

use super::encode::{percent_decode, uri_encode};
use super::{PathEncoding, SignableBody, SignableRequest};

/// Headers never signed: they are added or changed on the way (proxies, retries, signing).
const UNSIGNED_HEADERS: &[&str] = &[
    "authorization",
    "user-agent",
    "x-amzn-trace-id",
    "expect",
    "connection",
    "transfer-encoding",
    "amz-sdk-invocation-id",
    "amz-sdk-request",
    "x-amz-user-agent",
];

/// The hex sha256 of the empty string.
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The payload hash line of the canonical request.
pub fn payload_hash(body: &SignableBody) -> String {
    match body {
        SignableBody::Bytes([]) => EMPTY_SHA256.to_owned(),
        SignableBody::Bytes(bytes) => super::sha256_hex(bytes),
        SignableBody::Precomputed(hash) => (*hash).to_owned(),
        SignableBody::Unsigned => "UNSIGNED-PAYLOAD".to_owned(),
    }
}

/// The canonical URI: normalised (dot segments and empty segments removed) when asked, and
/// encoded once more in [`PathEncoding::Double`] mode (every service but S3).
pub fn canonical_path(path: &str, normalize: bool, encoding: PathEncoding) -> String {
    let path = if path.is_empty() { "/" } else { path };
    let normalized = if normalize {
        normalize_path(path)
    } else {
        path.to_owned()
    };
    match encoding {
        PathEncoding::Double => uri_encode(&normalized, true),
        PathEncoding::Single => normalized,
    }
}

fn normalize_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    let mut out = format!("/{}", segments.join("/"));
    if trailing && !segments.is_empty() {
        out.push('/');
    }
    out
}

/// The canonical query: every parameter decoded, re-encoded strictly, sorted by name then value.
pub fn canonical_query(query: &str, extra: &[(String, String)]) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                uri_encode(&percent_decode(name), false),
                uri_encode(&percent_decode(value), false),
            )
        })
        .chain(
            extra
                .iter()
                .map(|(name, value)| (uri_encode(name, false), uri_encode(value, false))),
        )
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Headers the signer sets itself; a request's own copies are replaced.
const SIGNER_HEADERS: &[&str] = &["x-amz-date", "x-amz-security-token", "x-amz-content-sha256"];

/// Signed headers: lowercase names, sorted, values trimmed with inner runs of whitespace folded
/// to one space, repeated names joined with commas in order; `extra` are the signer's own.
pub fn canonical_headers(
    request: &SignableRequest,
    extra: &[(&str, String)],
) -> Vec<(String, String)> {
    let incoming = request
        .headers
        .iter()
        .map(|(name, value)| (name.to_ascii_lowercase(), fold(value)))
        .filter(|(name, _)| {
            !UNSIGNED_HEADERS.contains(&name.as_str()) && !SIGNER_HEADERS.contains(&name.as_str())
        });
    let added = extra
        .iter()
        .map(|(name, value)| ((*name).to_owned(), value.clone()));
    select(incoming.chain(added))
}

/// The named headers of a request exactly as sent, for checking a signature.
pub fn named_headers(request: &SignableRequest, names: &[&str]) -> Vec<(String, String)> {
    select(
        request
            .headers
            .iter()
            .map(|(name, value)| (name.to_ascii_lowercase(), fold(value)))
            .filter(|(name, _)| names.contains(&name.as_str())),
    )
}

fn select(headers: impl Iterator<Item = (String, String)>) -> Vec<(String, String)> {
    let mut selected: Vec<(String, String)> = Vec::new();
    for (name, value) in headers {
        match selected.iter_mut().find(|(existing, _)| *existing == name) {
            Some((_, existing)) => {
                existing.push(',');
                existing.push_str(&value);
            }
            None => selected.push((name, value)),
        }
    }
    selected.sort_by(|a, b| a.0.cmp(&b.0));
    selected
}

fn fold(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Assembles the canonical request from its parts.
pub fn canonical_request(
    method: &str,
    path: &str,
    query: &str,
    headers: &[(String, String)],
    payload_hash: &str,
) -> String {
    let header_lines: String = headers
        .iter()
        .map(|(name, value)| format!("{name}:{value}\n"))
        .collect();
    format!(
        "{method}\n{path}\n{query}\n{header_lines}\n{}\n{payload_hash}",
        signed_header_names(headers)
    )
}

/// `host;x-amz-date;...`
pub fn signed_header_names(headers: &[(String, String)]) -> String {
    headers
        .iter()
        .map(|(name, _)| name.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

/// The string to sign over a canonical request, for `algorithm` (its name).
pub fn string_to_sign(
    algorithm: &str,
    amz_date: &str,
    scope: &str,
    canonical_request: &str,
) -> String {
    let hash = super::sha256_hex(canonical_request.as_bytes());
    format!("{algorithm}\n{amz_date}\n{scope}\n{hash}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_dots_and_slashes() {
        assert_eq!(normalize_path("//example//"), "/example/");
        assert_eq!(normalize_path("/example1/example2/../.."), "/");
        assert_eq!(normalize_path("/./example"), "/example");
        assert_eq!(normalize_path("/a/./b/../c/"), "/a/c/");
    }

    #[test]
    fn sorts_and_reencodes_the_query() {
        assert_eq!(
            canonical_query("b=2&a=%7e&a=1&flag", &[]),
            "a=1&a=~&b=2&flag="
        );
    }
}
