//! Raw requests to an emulator, signed or not, for the tests that go around the client.
// Each test binary that includes this module uses a part of it.
#![allow(dead_code)]

use ivschat_runtime::bytes::Bytes;
use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::sigv4::{
    sign_headers, SignableBody, SignableRequest, SigningKeyCache, SigningParams, SigningSettings,
};
use ivschat_runtime::transport::{HttpClient, HttpError, HttpResponse, HyperClient};
use ivschat_runtime::DateTime;

/// Where requests go and who signs them.
#[derive(Clone)]
pub struct Target {
    /// `http://ADDRESS:PORT`.
    pub url: String,
    /// The signing region.
    pub region: String,
    /// The signing key.
    pub credentials: Credentials,
}

impl Target {
    /// The headers of a POST to `path` with `body`: `host`, `headers`, and the signature's
    /// (made with `settings`) unless `settings` is `None`.
    pub fn headers(
        &self,
        path: &str,
        body: &[u8],
        headers: &[(&str, &str)],
        settings: Option<SigningSettings>,
    ) -> Vec<(String, String)> {
        let host = self.url.trim_start_matches("http://").to_owned();
        let mut all: Vec<(String, String)> = vec![("host".to_owned(), host)];
        all.extend(
            headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
        );
        let Some(settings) = settings else {
            return all;
        };
        let request = SignableRequest {
            method: "POST",
            path,
            query: "",
            headers: all.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect(),
            body: SignableBody::Bytes(body),
        };
        let params = SigningParams {
            credentials: &self.credentials,
            region: &self.region,
            service: "ivschat",
            time: DateTime::now(),
            settings,
        };
        let signature = sign_headers(&request, &params, &SigningKeyCache::default());
        all.extend(
            signature
                .additions
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value)),
        );
        all
    }

    /// POSTs `body` to `path` with exactly these headers (`host` is the connection's).
    pub async fn post(
        &self,
        path: &str,
        body: Bytes,
        headers: &[(String, String)],
    ) -> HttpResponse {
        self.try_post(path, body, headers).await.unwrap()
    }

    /// [`post`](Self::post), returning a transport failure instead of panicking on it.
    pub async fn try_post(
        &self,
        path: &str,
        body: Bytes,
        headers: &[(String, String)],
    ) -> Result<HttpResponse, HttpError> {
        let mut request = ivschat_runtime::http::Request::post(format!("{}{path}", self.url));
        for (name, value) in headers.iter().filter(|(name, _)| name != "host") {
            request = request.header(name.as_str(), value.as_str());
        }
        transport().send(request.body(body).unwrap()).await
    }

    /// Sends `method` to `target` (a path, with a query after `?` when there is one) with
    /// `body` (as JSON when there is one), signed with the default settings.
    pub async fn signed(&self, method: &str, target: &str, body: &[u8]) -> HttpResponse {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let host = self.url.trim_start_matches("http://").to_owned();
        let mut headers: Vec<(String, String)> = vec![("host".to_owned(), host)];
        if !body.is_empty() {
            headers.push(("content-type".to_owned(), "application/json".to_owned()));
        }
        let request = SignableRequest {
            method,
            path,
            query,
            headers: headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect(),
            body: SignableBody::Bytes(body),
        };
        let params = SigningParams {
            credentials: &self.credentials,
            region: &self.region,
            service: "ivschat",
            time: DateTime::now(),
            settings: SigningSettings::default(),
        };
        let signature = sign_headers(&request, &params, &SigningKeyCache::default());
        let mut http = ivschat_runtime::http::Request::builder()
            .method(method)
            .uri(format!("{}{target}", self.url));
        for (name, value) in headers.iter().filter(|(name, _)| name != "host") {
            http = http.header(name.as_str(), value.as_str());
        }
        for (name, value) in signature.additions {
            http = http.header(name, value);
        }
        transport()
            .send(http.body(Bytes::copy_from_slice(body)).unwrap())
            .await
            .unwrap()
    }

    /// POSTs `body` to `path` as JSON, signed with the default settings.
    pub async fn signed_json(&self, path: &str, body: &[u8]) -> HttpResponse {
        self.try_signed_json(path, body).await.unwrap()
    }

    /// [`signed_json`](Self::signed_json), returning a transport failure.
    pub async fn try_signed_json(
        &self,
        path: &str,
        body: &[u8],
    ) -> Result<HttpResponse, HttpError> {
        let headers = self.headers(
            path,
            body,
            &[("content-type", "application/json")],
            Some(SigningSettings::default()),
        );
        self.try_post(path, Bytes::copy_from_slice(body), &headers)
            .await
    }
}

/// One transport for every raw request of a test binary, so that they share kept-alive
/// connections instead of opening one each.
fn transport() -> &'static HyperClient {
    static TRANSPORT: std::sync::OnceLock<HyperClient> = std::sync::OnceLock::new();
    TRANSPORT.get_or_init(HyperClient::default)
}

/// Starts the emulator binary as `command` (its stdout piped) and reads the address it listens
/// on, `HOST:PORT`, from the first line it prints.
pub fn spawn_binary(mut command: std::process::Command) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut first_line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first_line)
        .unwrap();
    let address = first_line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no address in {first_line:?}"))
        .to_owned();
    (child, address)
}
