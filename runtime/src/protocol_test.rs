//! What generated protocol compliance tests (Smithy `httpRequestTests` / `httpResponseTests`)
//! call: a client configuration that captures requests, and comparisons that name what
//! differs; and a recording proxy for transport tests. Built only with the `protocol-test`
//! feature.

use std::future::Future;
use std::sync::Arc;

use crate::config::{Config, ConfigBuilder, ServiceInfo};
use crate::credentials::Credentials;
use crate::env::Env;
use crate::sigv4::percent_decode;
use crate::transport::{HttpRequest, HttpResponse, ReplayClient, ReplayEvent};

#[cfg(feature = "event-stream")]
mod events;
mod proxy;

#[cfg(feature = "event-stream")]
pub use events::{assert_event, event_stream_config, receive_all, sent_events};
pub use proxy::RecordingProxy;

/// Runs a future to completion on a current-thread Tokio runtime with timers (the call loop
/// bounds every attempt with a timer).
pub fn block_on<F: Future>(future: F) -> F::Output {
    crate::test_runtime::block_on(future)
}

/// A transport that answers 200 `{}` and keeps the request, and a configuration using it
/// with `https://HOST` as the endpoint, static credentials, one attempt, no client-side
/// constraint checks (the tests exercise serialization, not validation) and the fixed
/// idempotency token the test cases expect.
pub fn capturing_config(service: ServiceInfo, host: &str) -> (ReplayClient, Config) {
    capturing_config_with(service, Some(host), |builder| builder)
}

/// [`capturing_config`] with the settings `configure` makes (a case's region and S3
/// settings); without `host`, the endpoint is what the service's rules resolve.
pub fn capturing_config_with(
    service: ServiceInfo,
    host: Option<&str>,
    configure: impl FnOnce(ConfigBuilder) -> ConfigBuilder,
) -> (ReplayClient, Config) {
    let replay = ReplayClient::new([ReplayEvent::status(200, "{}")]);
    let mut builder = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "SECRET", None, None))
        .max_attempts(1)
        .skip_constraint_checks()
        .idempotency_token_generator(|| "00000000-0000-4000-8000-000000000000".to_owned())
        .http_client(Arc::new(replay.clone()));
    if let Some(host) = host {
        builder = builder.endpoint_url(format!("https://{host}"));
    }
    let config = configure(builder)
        .build_with_env(service, &Env::from_pairs([]))
        .expect("a valid test configuration");
    (replay, config)
}

/// The one request a test sent; `outcome` explains a missing request.
pub fn sent_request(replay: &ReplayClient, outcome: &dyn std::fmt::Debug) -> HttpRequest {
    replay
        .requests()
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no request was sent: {outcome:?}"))
}

/// A response from a test case's status, headers and body.
pub fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder
        .body(bytes::Bytes::copy_from_slice(body.as_bytes()))
        .expect("a valid test response")
}

/// A response whose body the test case gives in base64 (CBOR cases).
pub fn response_base64(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
    let bytes = crate::json::base64::decode(body).expect("the test case's body is base64");
    let mut response = response(status, headers, "");
    *response.body_mut() = bytes::Bytes::from(bytes);
    response
}

/// Checks the method.
pub fn assert_method(request: &HttpRequest, method: &str) {
    assert_eq!(request.method().as_str(), method, "method");
}

/// Checks the URI path.
pub fn assert_path(request: &HttpRequest, path: &str) {
    assert_eq!(request.uri().path(), path, "URI path");
}

/// Checks the host the request went to.
pub fn assert_host(request: &HttpRequest, host: &str) {
    assert_eq!(request.uri().host().unwrap_or_default(), host, "host");
}

/// The query parameters as sent, each as (decoded name, decoded value).
fn query_pairs(request: &HttpRequest) -> Vec<(String, Option<String>)> {
    request
        .uri()
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => (percent_decode(name), Some(percent_decode(value))),
            None => (percent_decode(pair), None),
        })
        .collect()
}

/// Checks that every `name=value` (or bare `name`) parameter is in the query string.
pub fn assert_query(request: &HttpRequest, expected: &[&str]) {
    let actual = query_pairs(request);
    for parameter in expected {
        let wanted = match parameter.split_once('=') {
            Some((name, value)) => (percent_decode(name), Some(percent_decode(value))),
            None => (percent_decode(parameter), None),
        };
        let found = actual.iter().any(|pair| {
            pair.0 == wanted.0
                && (pair.1 == wanted.1 || (wanted.1.is_none() && pair.1.as_deref() == Some("")))
        });
        assert!(
            found,
            "query parameter `{parameter}` missing from `{}`",
            request.uri().query().unwrap_or_default()
        );
    }
}

/// Checks that no parameter has one of these names.
pub fn assert_query_forbidden(request: &HttpRequest, names: &[&str]) {
    for (name, _) in query_pairs(request) {
        assert!(
            !names.contains(&name.as_str()),
            "query parameter `{name}` is forbidden"
        );
    }
}

/// Checks that a parameter of each name is present.
pub fn assert_query_required(request: &HttpRequest, names: &[&str]) {
    let actual = query_pairs(request);
    for name in names {
        assert!(
            actual.iter().any(|(present, _)| present == name),
            "query parameter `{name}` is required"
        );
    }
}

fn header_value(request: &HttpRequest, name: &str) -> Option<String> {
    let values: Vec<&str> = request
        .headers()
        .get_all(name)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

/// Checks header values (several values of a name compared joined by `, `).
pub fn assert_headers(request: &HttpRequest, expected: &[(&str, &str)]) {
    for (name, value) in expected {
        assert_eq!(
            header_value(request, name).as_deref(),
            Some(*value),
            "header `{name}`"
        );
    }
}

/// Checks that none of these headers is sent.
pub fn assert_headers_forbidden(request: &HttpRequest, names: &[&str]) {
    for name in names {
        assert!(
            header_value(request, name).is_none(),
            "header `{name}` is forbidden"
        );
    }
}

/// Checks that each of these headers is sent.
pub fn assert_headers_required(request: &HttpRequest, names: &[&str]) {
    for name in names {
        assert!(
            header_value(request, name).is_some(),
            "header `{name}` is required"
        );
    }
}

/// True when two XML elements say the same: names, attributes in any order, children as
/// [`same_children`] compares them, and the text of leaf elements (between child elements it
/// is layout).
#[cfg(feature = "xml")]
fn same_xml(a: &crate::xml::Element, b: &crate::xml::Element) -> bool {
    same_element(a, b) && same_children(a.children(), b.children())
}

/// The element's own name, attributes and leaf text.
#[cfg(feature = "xml")]
fn same_element(a: &crate::xml::Element, b: &crate::xml::Element) -> bool {
    let attributes = |element: &crate::xml::Element| {
        let mut pairs: Vec<(String, String)> = element.attributes().to_vec();
        pairs.sort();
        pairs
    };
    let text = |element: &crate::xml::Element| {
        if element.children().is_empty() {
            element.text().to_owned()
        } else {
            String::new()
        }
    };
    a.name() == b.name() && attributes(a) == attributes(b) && text(a) == text(b)
}

/// Elements by name, each name's in document order.
#[cfg(feature = "xml")]
fn groups(
    children: &[crate::xml::Element],
) -> std::collections::BTreeMap<&str, Vec<&crate::xml::Element>> {
    let mut groups = std::collections::BTreeMap::new();
    for child in children {
        groups
            .entry(child.name())
            .or_insert_with(Vec::new)
            .push(child);
    }
    groups
}

/// Children grouped by name: the groups may come in any order (structure members carry no
/// order), the elements of a group in order (list items), except that a group of elements that
/// look like map entries (two children each, the first a leaf: key then value) may come in any
/// order: maps carry no order, and the cases list entries as written in the test. A list of
/// two-member structures whose first member is a scalar looks the same and is compared without
/// order too.
#[cfg(feature = "xml")]
fn same_children(a: &[crate::xml::Element], b: &[crate::xml::Element]) -> bool {
    let (left, right) = (groups(a), groups(b));
    let entry_like = |element: &&crate::xml::Element| {
        element.children().len() == 2 && element.children()[0].children().is_empty()
    };
    left.len() == right.len()
        && left.iter().all(|(name, left)| {
            let Some(right) = right.get(name) else {
                return false;
            };
            if left.len() != right.len() {
                return false;
            }
            if left.len() > 1 && left.iter().chain(right).all(entry_like) {
                let mut unmatched: Vec<&crate::xml::Element> = right.clone();
                return left.iter().all(|entry| {
                    let found = unmatched.iter().position(|other| same_xml(entry, other));
                    found.map(|at| unmatched.swap_remove(at)).is_some()
                });
            }
            left.iter().zip(right).all(|(a, b)| same_xml(a, b))
        })
}

/// True when two values are equal, numbers compared by value (CBOR may write `1` or `1.0`).
#[cfg(feature = "cbor")]
fn same_numbers(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_numbers(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, a)| b.get(key).is_some_and(|b| same_numbers(a, b)))
        }
        _ => a == b,
    }
}

/// Checks the body: as JSON values when the media type is JSON, as XML elements when it is
/// XML, as CBOR values when it is CBOR (the case's body in base64), else byte for byte. An
/// empty expected body means no body (or an empty one).
pub fn assert_body(request: &HttpRequest, expected: &str, media_type: &str) {
    assert_payload(request.body(), expected, media_type);
}

/// [`assert_body`] for any bytes (an event's payload).
pub fn assert_payload(actual: &[u8], expected: &str, media_type: &str) {
    if expected.is_empty() {
        assert!(
            actual.is_empty(),
            "expected no body, got `{}`",
            String::from_utf8_lossy(actual)
        );
        return;
    }
    #[cfg(feature = "xml")]
    if media_type.contains("xml") {
        let parse = |text: &[u8]| {
            crate::xml::parse(text).unwrap_or_else(|error| {
                panic!(
                    "the body is not XML ({error}): `{}`",
                    String::from_utf8_lossy(text)
                )
            })
        };
        let (actual, expected) = (parse(actual), parse(expected.as_bytes()));
        assert!(
            same_xml(&actual, &expected),
            "XML body:\n  sent     {actual:?}\n  expected {expected:?}"
        );
        return;
    }
    #[cfg(feature = "cbor")]
    if media_type == "application/cbor" {
        let expected =
            crate::json::base64::decode(expected).expect("the test case's body is base64");
        let read = |bytes: &[u8]| {
            crate::cbor::read::parse(bytes)
                .unwrap_or_else(|error| panic!("the body is not CBOR: {error}"))
        };
        let (actual, expected) = (read(actual), read(&expected));
        assert!(
            same_numbers(&actual, &expected),
            "CBOR body:\n  sent     {actual}\n  expected {expected}"
        );
        return;
    }
    if media_type.contains("json") {
        let expected: serde_json::Value =
            serde_json::from_str(expected).expect("the test case's body is JSON");
        let actual: serde_json::Value = serde_json::from_slice(actual).unwrap_or_else(|error| {
            panic!(
                "the body is not JSON ({error}): `{}`",
                String::from_utf8_lossy(actual)
            )
        });
        assert_eq!(actual, expected, "JSON body");
    } else {
        assert_eq!(
            String::from_utf8_lossy(actual),
            expected,
            "body ({media_type})"
        );
    }
}
