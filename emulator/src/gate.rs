//! The checks every request passes before its body is read or its signature checked: a `Host`
//! that is an address or a loopback name (a page whose name was rebound to 127.0.0.1 carries
//! that name, so it cannot reach the emulator; rebinding needs a name, never an address); no
//! `Origin` (a web page's requests carry one) except on chat WebSockets, whose token is their
//! authority; and the content type of the route, which a browser's "simple" cross-site request
//! cannot send. Each is cheap and reads headers only.

use std::net::IpAddr;

use ivschat_runtime::http::Request;

use crate::error::ApiError;

/// The host names a request may carry besides loopback ones.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AllowedHosts {
    /// Extra names (lowercase, without port); `*` allows every name.
    pub names: Vec<String>,
}

/// What a request is, for the checks that depend on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// A chat WebSocket upgrade.
    WebSocket,
    /// A form POST to `/`: STS.
    Sts,
    /// `/_emulator/...`.
    Admin,
    /// The web console: its page and its API (`/_emulator/ui`, `/_emulator/console/...`).
    Console,
    /// The service's operations.
    ControlPlane,
}

/// Refuses a request whose `Host`, `Origin` or `Content-Type` does not fit its route.
pub fn admit<B>(parts: &Request<B>, route: Route, allowed: &AllowedHosts) -> Result<(), ApiError> {
    check_host(parts, allowed)?;
    let origin = parts.headers().get("origin");
    let own_page =
        route == Route::Console && origin.is_some_and(|origin| is_own_origin(parts, origin));
    if route != Route::WebSocket && origin.is_some() && !own_page {
        return Err(ApiError::forbidden(
            "the emulator refuses requests from web pages (Origin header) but its console's",
        ));
    }
    let expects_json = match route {
        Route::Admin | Route::ControlPlane | Route::Console => parts.method() == "POST",
        Route::Sts | Route::WebSocket => false,
    };
    if expects_json {
        let content_type = parts
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or("");
        if !content_type.trim().starts_with("application/json") {
            return Err(ApiError::bad_request(format!(
                "{} takes Content-Type: application/json, not `{content_type}`",
                parts.uri().path()
            )));
        }
    }
    Ok(())
}

/// Whether `origin` is the emulator's own (`http://` and the request's `Host`): the console's
/// page calling its API.
fn is_own_origin<B>(parts: &Request<B>, origin: &ivschat_runtime::http::HeaderValue) -> bool {
    let host = parts
        .headers()
        .get("host")
        .and_then(|host| host.to_str().ok());
    match (origin.to_str().ok(), host) {
        (Some(origin), Some(host)) => origin.strip_prefix("http://") == Some(host),
        _ => false,
    }
}

/// The host name of the request (`Host`, or the authority of an absolute-form target),
/// lowercase and without its port or IPv6 brackets.
fn host_name<B>(parts: &Request<B>) -> Option<String> {
    let authority = match parts.uri().authority() {
        Some(authority) => authority.as_str().to_owned(),
        None => parts.headers().get("host")?.to_str().ok()?.to_owned(),
    };
    let authority = authority.rsplit('@').next().unwrap_or_default();
    let name = match authority.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    Some(name.trim_end_matches('.').to_ascii_lowercase())
}

/// Any address (rebinding needs a name), loopback names, and the allowed names.
fn check_host<B>(parts: &Request<B>, allowed: &AllowedHosts) -> Result<(), ApiError> {
    if allowed.names.iter().any(|name| name == "*") {
        return Ok(());
    }
    let Some(name) = host_name(parts) else {
        return Err(ApiError::forbidden("the request has no Host header"));
    };
    let loopback_name = name == "localhost" || name.ends_with(".localhost");
    let address = name.parse::<IpAddr>().is_ok();
    if loopback_name || address || allowed.names.contains(&name) {
        return Ok(());
    }
    Err(ApiError::forbidden(format!(
        "Host `{name}` is neither an address nor a loopback name; start the emulator with \
         --allow-host {name} (EmulatorBuilder::allow_host) to accept it"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(method: &str, uri: &str, headers: &[(&str, &str)]) -> Request<()> {
        let mut request = Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(()).unwrap()
    }

    const JSON: (&str, &str) = ("content-type", "application/json");

    fn host_check(host: &str, allowed: &[&str]) -> Result<(), ApiError> {
        let allowed = AllowedHosts {
            names: allowed.iter().map(|name| name.to_string()).collect(),
        };
        let request = parts("POST", "/GetRoom", &[("host", host), JSON]);
        admit(&request, Route::ControlPlane, &allowed)
    }

    #[test]
    fn hosts_must_be_addresses_loopback_names_or_allowed() {
        for host in [
            "127.0.0.1:4566",
            "localhost",
            "LOCALHOST:1",
            "[::1]:4566",
            "app.localhost",
            "192.0.2.7:4566",
            "[2001:db8::1]",
        ] {
            assert_eq!(host_check(host, &[]), Ok(()), "{host}");
        }
        let refused = host_check("rebind.attacker.example:4566", &[]).unwrap_err();
        assert_eq!(refused.status, 403);
        let message = refused.body["message"].as_str().unwrap();
        assert!(
            message.contains(
                "Host `rebind.attacker.example` is neither an address nor a loopback name"
            ),
            "{message}"
        );
        assert_eq!(host_check("chat.internal", &["chat.internal"]), Ok(()));
        assert_eq!(host_check("anything.example", &["*"]), Ok(()));
        let no_host = parts("POST", "/GetRoom", &[JSON]);
        assert!(admit(&no_host, Route::ControlPlane, &AllowedHosts::default()).is_err());
    }

    #[test]
    fn web_pages_and_simple_requests_are_refused_but_websockets_may_come_from_pages() {
        let allowed = AllowedHosts::default();
        let page = [
            ("host", "127.0.0.1"),
            ("origin", "https://evil.example"),
            JSON,
        ];
        for route in [Route::ControlPlane, Route::Sts, Route::Admin] {
            let error = admit(&parts("POST", "/CreateRoom", &page), route, &allowed).unwrap_err();
            assert_eq!(error.status, 403, "{route:?}");
        }
        assert_eq!(
            admit(&parts("GET", "/", &page), Route::WebSocket, &allowed),
            Ok(())
        );
        let simple = [("host", "127.0.0.1"), ("content-type", "text/plain")];
        let error = admit(
            &parts("POST", "/CreateRoom", &simple),
            Route::ControlPlane,
            &allowed,
        )
        .unwrap_err();
        assert_eq!(error.status, 400);
        assert!(error.body["message"]
            .as_str()
            .unwrap()
            .contains("/CreateRoom takes Content-Type: application/json, not `text/plain`"));
        let untag = [("host", "127.0.0.1")];
        let request = parts("DELETE", "/tags/x", &untag);
        assert_eq!(admit(&request, Route::ControlPlane, &allowed), Ok(()));
    }
}
