//! The canonical request and string to sign of SigV4.

use std::borrow::Cow;
use std::ops::Range;

use super::encode::{is_unreserved, percent_decode, push_sha256_hex, uri_encode};
use super::{PathEncoding, SignableBody, SignableRequest, SigningSettings};

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

/// The payload hash line of the canonical request (borrowed unless the body is hashed here).
pub fn payload_hash<'a>(body: &SignableBody<'a>) -> Cow<'a, str> {
    match body {
        SignableBody::Bytes([]) => Cow::Borrowed(EMPTY_SHA256),
        SignableBody::Bytes(bytes) => Cow::Owned(super::sha256_hex(bytes)),
        SignableBody::Precomputed(hash) => Cow::Borrowed(hash),
        SignableBody::Unsigned => Cow::Borrowed("UNSIGNED-PAYLOAD"),
    }
}

/// The canonical URI: normalised (dot segments and empty segments removed) when asked, and
/// encoded once more in [`PathEncoding::Double`] mode (every service but S3). Borrowed when
/// the path already is canonical.
pub fn canonical_path(path: &str, normalize: bool, encoding: PathEncoding) -> Cow<'_, str> {
    let path = if path.is_empty() { "/" } else { path };
    let normalized = match normalize && !is_normalized_path(path) {
        true => Cow::Owned(normalize_path(path)),
        false => Cow::Borrowed(path),
    };
    let plain = |text: &str| text.bytes().all(|byte| byte == b'/' || is_unreserved(byte));
    match encoding {
        PathEncoding::Double if !plain(&normalized) => Cow::Owned(uri_encode(&normalized, true)),
        _ => normalized,
    }
}

/// True when normalising would not change the path: absolute, no empty segment but a trailing
/// one, no `.` or `..` segment. A server that verifies signatures routes only such paths, so
/// the path it routes is the one the signature covers.
pub fn is_normalized_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.contains("//")
        && !path
            .split('/')
            .any(|segment| segment == "." || segment == "..")
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
pub fn canonical_query(query: &str, extra: &[(&str, String)]) -> String {
    if query.is_empty() && extra.is_empty() {
        return String::new();
    }
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

/// A canonical header: lowercase name and folded value, borrowed from the request when they
/// are already canonical (as they are from an `http::HeaderMap`).
pub type CanonicalHeader<'a> = (Cow<'a, str>, Cow<'a, str>);

/// Signed headers: lowercase names, sorted, values trimmed with inner runs of whitespace folded
/// to one space, repeated names joined with commas in order; `extra` are the signer's own.
pub fn canonical_headers<'a>(
    request: &SignableRequest<'a>,
    extra: &[(&'a str, &'a str)],
) -> Vec<CanonicalHeader<'a>> {
    let incoming = request
        .headers
        .iter()
        .map(|(name, value)| (lowercase(name), fold(value)))
        .filter(|(name, _)| {
            !UNSIGNED_HEADERS.contains(&name.as_ref()) && !SIGNER_HEADERS.contains(&name.as_ref())
        });
    let added = extra
        .iter()
        .map(|(name, value)| (Cow::Borrowed(*name), Cow::Borrowed(*value)));
    select(incoming.chain(added), request.headers.len() + extra.len())
}

/// The named headers of a request exactly as sent, for checking a signature.
pub fn named_headers<'a>(
    request: &SignableRequest<'a>,
    names: &[&str],
) -> Vec<CanonicalHeader<'a>> {
    select(
        request
            .headers
            .iter()
            .map(|(name, value)| (lowercase(name), fold(value)))
            .filter(|(name, _)| names.contains(&name.as_ref())),
        names.len(),
    )
}

fn select<'a>(
    headers: impl Iterator<Item = CanonicalHeader<'a>>,
    capacity: usize,
) -> Vec<CanonicalHeader<'a>> {
    let mut selected: Vec<CanonicalHeader<'a>> = Vec::with_capacity(capacity);
    for (name, value) in headers {
        match selected.iter_mut().find(|(existing, _)| *existing == name) {
            Some((_, existing)) => {
                let joined = existing.to_mut();
                joined.push(',');
                joined.push_str(&value);
            }
            None => selected.push((name, value)),
        }
    }
    selected.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    selected
}

fn lowercase(name: &str) -> Cow<'_, str> {
    match name.bytes().any(|byte| byte.is_ascii_uppercase()) {
        true => Cow::Owned(name.to_ascii_lowercase()),
        false => Cow::Borrowed(name),
    }
}

/// The value trimmed, inner runs of whitespace folded to one space; borrowed when it already is.
fn fold(value: &str) -> Cow<'_, str> {
    let folded = value.is_ascii()
        && !value.starts_with(' ')
        && !value.ends_with(' ')
        && !value.contains("  ")
        && !value
            .bytes()
            .any(|byte| byte.is_ascii_whitespace() && byte != b' ')
        && !value.contains('\x0b');
    match folded {
        true => Cow::Borrowed(value),
        false => Cow::Owned(value.split_whitespace().collect::<Vec<_>>().join(" ")),
    }
}

/// Assembles the canonical request from its parts (`signed_names` from
/// [`signed_header_names`]).
pub fn canonical_request(
    method: &str,
    path: &str,
    query: &str,
    headers: &[CanonicalHeader],
    signed_names: &str,
    payload_hash: &str,
) -> String {
    let header_bytes: usize = headers
        .iter()
        .map(|(name, value)| name.len() + value.len() + 2)
        .sum();
    let mut out = String::with_capacity(
        method.len() + path.len() + query.len() + header_bytes + signed_names.len() + 70,
    );
    for part in [method, "\n", path, "\n", query, "\n"] {
        out.push_str(part);
    }
    for (name, value) in headers {
        out.push_str(name);
        out.push(':');
        out.push_str(value);
        out.push('\n');
    }
    for part in ["\n", signed_names, "\n", payload_hash] {
        out.push_str(part);
    }
    out
}

/// The canonical request of `request`: its path and query made canonical by `settings`, with
/// `extra_query` parameters, these signed headers (`signed_names` their names) and payload hash.
pub fn canonical_request_of(
    request: &SignableRequest,
    settings: &SigningSettings,
    extra_query: &[(&str, String)],
    headers: &[CanonicalHeader],
    signed_names: &str,
    payload_hash: &str,
) -> String {
    let path = canonical_path(
        request.path,
        settings.normalize_path,
        settings.path_encoding,
    );
    let query = canonical_query(request.query, extra_query);
    canonical_request(
        request.method,
        &path,
        &query,
        headers,
        signed_names,
        payload_hash,
    )
}

/// `host;x-amz-date;...`
pub fn signed_header_names(headers: &[CanonicalHeader]) -> String {
    let mut out = String::with_capacity(headers.iter().map(|(name, _)| name.len() + 1).sum());
    for (index, (name, _)) in headers.iter().enumerate() {
        if index > 0 {
            out.push(';');
        }
        out.push_str(name);
    }
    out
}

/// The string to sign over a canonical request, for `algorithm` (its name).
pub fn string_to_sign(
    algorithm: &str,
    amz_date: &str,
    scope: &str,
    canonical_request: &str,
) -> String {
    let write_scope = |out: &mut String| out.push_str(scope);
    string_to_sign_with(
        algorithm,
        amz_date,
        scope.len(),
        write_scope,
        canonical_request,
    )
    .0
}

/// [`string_to_sign`] with its scope (about `scope_length` bytes) written by `write_scope`,
/// and where the scope sits in the text.
pub fn string_to_sign_with(
    algorithm: &str,
    amz_date: &str,
    scope_length: usize,
    write_scope: impl FnOnce(&mut String),
    canonical_request: &str,
) -> (String, Range<usize>) {
    let scope_start = algorithm.len() + amz_date.len() + 2;
    let mut out = String::with_capacity(scope_start + scope_length + 65);
    for part in [algorithm, "\n", amz_date, "\n"] {
        out.push_str(part);
    }
    write_scope(&mut out);
    let scope = scope_start..out.len();
    out.push('\n');
    push_sha256_hex(&mut out, canonical_request.as_bytes());
    (out, scope)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrows_paths_that_are_canonical_already() {
        let canonical = |path| canonical_path(path, true, PathEncoding::Double);
        assert!(matches!(canonical("/GetRoom"), Cow::Borrowed("/GetRoom")));
        assert!(matches!(canonical("/a/b/"), Cow::Borrowed("/a/b/")));
        assert!(matches!(canonical("/"), Cow::Borrowed("/")));
        for (path, expected) in [
            ("", "/"),
            ("/", "/"),
            ("//a", "/a"),
            ("/a//b", "/a/b"),
            ("/a/./b", "/a/b"),
            ("/a/..", "/"),
            ("a/b", "/a/b"),
            ("/a%20b", "/a%2520b"),
        ] {
            assert_eq!(canonical(path), expected, "{path:?}");
        }
        assert_eq!(
            canonical_path("/a//b", false, PathEncoding::Single),
            "/a//b"
        );
    }

    #[test]
    fn normalizes_dots_and_slashes() {
        assert_eq!(normalize_path("//example//"), "/example/");
        assert_eq!(normalize_path("/example1/example2/../.."), "/");
        assert_eq!(normalize_path("/./example"), "/example");
        assert_eq!(normalize_path("/a/./b/../c/"), "/a/c/");
    }

    #[test]
    fn borrows_canonical_headers_and_folds_the_rest() {
        assert!(matches!(fold("a b,c"), Cow::Borrowed("a b,c")));
        assert!(matches!(lowercase("x-amz-date"), Cow::Borrowed(_)));
        assert_eq!(lowercase("X-Amz-Date"), "x-amz-date");
        for (value, folded) in [
            (" a", "a"),
            ("a  b", "a b"),
            ("a\tb", "a b"),
            ("a\x0bb", "a b"),
            ("a\u{a0}b", "a b"),
            ("b ", "b"),
        ] {
            assert!(matches!(fold(value), Cow::Owned(_)), "{value:?}");
            assert_eq!(fold(value), folded, "{value:?}");
        }
    }

    #[test]
    fn sorts_and_reencodes_the_query() {
        assert_eq!(
            canonical_query("b=2&a=%7e&a=1&flag", &[]),
            "a=1&a=~&b=2&flag="
        );
    }
}
