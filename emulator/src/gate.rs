//! The checks every request passes before its body is read or its signature checked: a `Host`
//! that names this machine (so a page whose name was rebound to 127.0.0.1 cannot reach the
//! emulator), no `Origin` (a web page's requests carry one) except on chat WebSockets, whose
//! token is their authority, and the content type of the route, which a browser's "simple"
//! cross-site request cannot send. Each is cheap and reads headers only.

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
    /// The service's operations.
    ControlPlane,
}

/// Refuses a request whose `Host`, `Origin` or `Content-Type` does not fit its route.
pub fn admit<B>(
    parts: &Request<B>,
    route: Route,
    bound: IpAddr,
    allowed: &AllowedHosts,
) -> Result<(), ApiError> {
    check_host(parts, bound, allowed)?;
    if route != Route::WebSocket && parts.headers().contains_key("origin") {
        return Err(ApiError::forbidden(
            "the emulator refuses requests from web pages (Origin header)",
        ));
    }
    let expects_json = match route {
        Route::Admin | Route::ControlPlane => parts.method() == "POST",
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

/// Loopback names and addresses, the address the emulator is bound to, and the allowed names.
fn check_host<B>(
    parts: &Request<B>,
    bound: IpAddr,
    allowed: &AllowedHosts,
) -> Result<(), ApiError> {
    if allowed.names.iter().any(|name| name == "*") {
        return Ok(());
    }
    let Some(name) = host_name(parts) else {
        return Err(ApiError::forbidden("the request has no Host header"));
    };
    let loopback_name = name == "localhost" || name.ends_with(".localhost");
    let address = name.parse::<IpAddr>().ok();
    let local_address = address.is_some_and(|address| address.is_loopback() || address == bound);
    if loopback_name || local_address || allowed.names.contains(&name) {
        return Ok(());
    }
    Err(ApiError::forbidden(format!(
        "Host `{name}` is not a loopback name or this emulator's address; start it with \
         --allow-host {name} (EmulatorBuilder::allow_host) to accept it"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn parts(method: &str, uri: &str, headers: &[(&str, &str)]) -> Request<()> {
        let mut request = Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(()).unwrap()
    }

    const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
    const JSON: (&str, &str) = ("content-type", "application/json");

    fn host_check(host: &str, bound: IpAddr, allowed: &[&str]) -> Result<(), ApiError> {
        let allowed = AllowedHosts {
            names: allowed.iter().map(|name| name.to_string()).collect(),
        };
        admit(
            &parts("POST", "/GetRoom", &[("host", host), JSON]),
            Route::ControlPlane,
            bound,
            &allowed,
        )
    }

    #[test]
    fn hosts_must_be_loopback_the_bound_address_or_allowed() {
        for host in [
            "127.0.0.1:4566",
            "localhost",
            "LOCALHOST:1",
            "[::1]:4566",
            "app.localhost",
            "127.3.4.5",
        ] {
            assert_eq!(host_check(host, LOOPBACK, &[]), Ok(()), "{host}");
        }
        let refused = host_check("rebind.attacker.example:4566", LOOPBACK, &[]).unwrap_err();
        assert_eq!(refused.status, 403);
        assert!(refused.body["message"]
            .as_str()
            .unwrap()
            .contains("Host `rebind.attacker.example` is not a loopback name"));
        let lan: IpAddr = "192.0.2.7".parse().unwrap();
        assert!(host_check("192.0.2.7:4566", LOOPBACK, &[]).is_err());
        assert_eq!(host_check("192.0.2.7:4566", lan, &[]), Ok(()));
        assert_eq!(
            host_check("chat.internal", LOOPBACK, &["chat.internal"]),
            Ok(())
        );
        assert_eq!(host_check("anything.example", LOOPBACK, &["*"]), Ok(()));
        let no_host = admit(
            &parts("POST", "/GetRoom", &[JSON]),
            Route::ControlPlane,
            LOOPBACK,
            &AllowedHosts::default(),
        );
        assert!(no_host.is_err());
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
            let error = admit(
                &parts("POST", "/CreateRoom", &page),
                route,
                LOOPBACK,
                &allowed,
            )
            .unwrap_err();
            assert_eq!(error.status, 403, "{route:?}");
        }
        assert_eq!(
            admit(
                &parts("GET", "/", &page),
                Route::WebSocket,
                LOOPBACK,
                &allowed
            ),
            Ok(())
        );
        let simple = [("host", "127.0.0.1"), ("content-type", "text/plain")];
        let error = admit(
            &parts("POST", "/CreateRoom", &simple),
            Route::ControlPlane,
            LOOPBACK,
            &allowed,
        )
        .unwrap_err();
        assert_eq!(error.status, 400);
        assert!(error.body["message"]
            .as_str()
            .unwrap()
            .contains("/CreateRoom takes Content-Type: application/json, not `text/plain`"));
        let untag = [("host", "127.0.0.1")];
        assert_eq!(
            admit(
                &parts("DELETE", "/tags/x", &untag),
                Route::ControlPlane,
                LOOPBACK,
                &allowed
            ),
            Ok(())
        );
    }
}
