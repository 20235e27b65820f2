//! Raw requests to an emulator, signed or not, for the tests that go around the client.

use ivschat_runtime::bytes::Bytes;
use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::sigv4::{
    sign_headers, SignableBody, SignableRequest, SigningKeyCache, SigningParams, SigningSettings,
};
use ivschat_runtime::transport::{HttpClient, HttpResponse, HyperClient};
use ivschat_runtime::DateTime;

/// Where requests go and who signs them.
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
        all.extend(signature.additions);
        all
    }

    /// POSTs `body` to `path` with exactly these headers (`host` is the connection's).
    pub async fn post(
        &self,
        path: &str,
        body: Bytes,
        headers: &[(String, String)],
    ) -> HttpResponse {
        let mut request = ivschat_runtime::http::Request::post(format!("{}{path}", self.url));
        for (name, value) in headers.iter().filter(|(name, _)| name != "host") {
            request = request.header(name.as_str(), value.as_str());
        }
        HyperClient::default()
            .send(request.body(body).unwrap())
            .await
            .unwrap()
    }

    /// POSTs `body` to `path` as JSON, signed with the default settings.
    pub async fn signed_json(&self, path: &str, body: &[u8]) -> HttpResponse {
        let headers = self.headers(
            path,
            body,
            &[("content-type", "application/json")],
            Some(SigningSettings::default()),
        );
        self.post(path, Bytes::copy_from_slice(body), &headers)
            .await
    }
}
