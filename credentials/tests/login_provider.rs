//! The official console-login cases (`$IVSCHAT_TESTSUITES/profile/aws-config/`
//! `login-provider-test-cases.json`): each case's config and cache files are laid out under a
//! temporary home, the clock stands at 2025-11-19T00:00:00Z (the time the cases' refreshed
//! expiry is counted from), Sign-In answers the case's mocked `CreateOAuth2Token` calls (the
//! request's token input must match, and its DPoP proof must be a signed JWT for the call's
//! method and URL), and the outcomes are compared: credentials, an error, or the cache written
//! back.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use ivschat_credentials::ProfileProvider;
use ivschat_runtime::credentials::{BoxFuture, ProvideCredentials};
use ivschat_runtime::env::Env;
use ivschat_runtime::transport::{HttpClient, HttpError, HttpErrorKind, HttpRequest, HttpResponse};
use ivschat_runtime::{DateTime, DateTimeFormat};
use serde_json::Value;

/// The cases' clock: 2025-11-19T00:00:00Z.
const NOW_SECS: u64 = 1_763_510_400;

/// Sign-In answering the mocked calls in order.
#[derive(Debug)]
struct SignIn {
    calls: Mutex<Vec<Value>>,
    problems: Mutex<Vec<String>>,
}

impl SignIn {
    fn answer(&self, request: &HttpRequest) -> Result<HttpResponse, String> {
        let mut calls = self.calls.lock().unwrap();
        if calls.is_empty() {
            return Err(format!("unexpected request {}", request.uri()));
        }
        let call = calls.remove(0);
        if request.method() != "POST" || request.uri().path() != "/v1/token" {
            return Err(format!("sent {} {}", request.method(), request.uri()));
        }
        let sent: Value = serde_json::from_slice(request.body()).map_err(|e| e.to_string())?;
        if sent != call["request"]["tokenInput"] {
            return Err(format!(
                "sent {sent}, expected {}",
                call["request"]["tokenInput"]
            ));
        }
        check_proof(request)?;
        let status = call["responseCode"].as_u64().unwrap_or(200) as u16;
        let body = match call["response"].get("tokenOutput") {
            Some(output) => output.to_string(),
            None => r#"{"error": "invalid_grant", "message": "refresh token expired"}"#.to_owned(),
        };
        Ok(http::Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .body(bytes::Bytes::from(body))
            .unwrap())
    }
}

/// The request's DPoP header: three base64url parts naming POST and the request's URL.
fn check_proof(request: &HttpRequest) -> Result<(), String> {
    let proof = request
        .headers()
        .get("dpop")
        .and_then(|value| value.to_str().ok())
        .ok_or("no DPoP header")?;
    let parts: Vec<&str> = proof.split('.').collect();
    let [_, claims, signature] = parts.as_slice() else {
        return Err(format!("the DPoP proof is not a JWT: {proof}"));
    };
    let mut padded = claims.replace('-', "+").replace('_', "/");
    while padded.len() % 4 != 0 {
        padded.push('=');
    }
    let claims: Value = ivschat_runtime::json::base64::decode(&padded)
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or("the DPoP claims are not JSON")?;
    let url = format!(
        "{}://{}{}",
        request.uri().scheme_str().unwrap_or_default(),
        request.uri().authority().map_or("", |a| a.as_str()),
        request.uri().path()
    );
    if claims["htm"] != "POST" || claims["htu"] != url.as_str() || signature.len() != 86 {
        return Err(format!("the DPoP proof {claims} does not fit POST {url}"));
    }
    Ok(())
}

impl HttpClient for SignIn {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        let answer = self.answer(&request).map_err(|problem| {
            self.problems.lock().unwrap().push(problem.clone());
            HttpError::new(HttpErrorKind::Connect, problem)
        });
        Box::pin(std::future::ready(answer))
    }
}

/// What our error must say for each error case of the suite, which gives only `"error"`: the
/// case's own cause, so that an error of another cause (a mock mismatch among them) fails it.
const ERROR_CAUSES: &[(&str, &str)] = &[
    ("Failure - No cache file", "No such file or directory"),
    ("Failure - Missing accessToken", "has no accessToken object"),
    (
        "Failure - Missing refreshToken",
        "the cache has no refreshToken to refresh them",
    ),
    (
        "Failure - Missing clientId in cache",
        "the cache has no clientId to refresh them",
    ),
    (
        "Failure - Missing dpopKey",
        "the cache has no dpopKey to refresh them",
    ),
    (
        "Failure - Expired token triggers failed refresh",
        "CreateOAuth2Token failed: unknown error (HTTP 400): refresh token expired",
    ),
];

/// Runs one case; `None` when every outcome holds, no request differed from the mocked calls
/// and every mocked call was made.
async fn run_case(case: &Value) -> Option<String> {
    let home = tempfile::tempdir().unwrap();
    let aws = home.path().join(".aws");
    let cache = aws.join("login/cache");
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::write(aws.join("config"), case["configContents"].as_str().unwrap()).unwrap();
    for (name, contents) in case["cacheContents"].as_object().into_iter().flatten() {
        std::fs::write(cache.join(name), contents.to_string()).unwrap();
    }
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(NOW_SECS);
    let env = Env::from_pairs([("HOME", home.path().to_str().unwrap())]).with_time(now);
    let calls = case["mockApiCalls"].as_array().cloned().unwrap_or_default();
    let sign_in = Arc::new(SignIn {
        calls: Mutex::new(calls),
        problems: Mutex::new(Vec::new()),
    });
    let provider = ProfileProvider::new(env, Some("signin".to_owned()), sign_in.clone());
    let result = provider.provide_credentials().await;
    let problems = sign_in.problems.lock().unwrap().join("; ");
    if !problems.is_empty() {
        return Some(format!(
            "the requests differ from the mocked calls: {problems}"
        ));
    }
    let unused = sign_in.calls.lock().unwrap().len();
    if unused > 0 {
        return Some(format!("{unused} mocked calls were never made"));
    }
    let documentation = case["documentation"].as_str().unwrap_or_default();
    for outcome in case["outcomes"].as_array().unwrap() {
        let problem = match (outcome["result"].as_str(), &result) {
            (Some("credentials"), Ok(Some(found))) => {
                let expiry = found
                    .expires_at()
                    .map(|at| DateTime::from(at).fmt(DateTimeFormat::DateTime));
                let ours = [
                    Some(found.access_key_id().to_owned()),
                    Some(found.secret_access_key().to_owned()),
                    found.session_token().map(str::to_owned),
                    found.account_id().map(str::to_owned),
                    expiry,
                ];
                let theirs = [
                    "accessKeyId",
                    "secretAccessKey",
                    "sessionToken",
                    "accountId",
                    "expiresAt",
                ]
                .map(|field| outcome[field].as_str().map(str::to_owned));
                (ours != theirs).then(|| format!("got {ours:?}, expected {theirs:?}"))
            }
            (Some("error"), Err(error)) => {
                let cause = ERROR_CAUSES
                    .iter()
                    .find(|(case, _)| *case == documentation)
                    .map(|(_, cause)| *cause);
                match cause {
                    Some(cause) if error.to_string().contains(cause) => None,
                    Some(cause) => {
                        Some(format!("expected an error saying `{cause}`, got `{error}`"))
                    }
                    None => Some(format!("name the cause of `{error}` in ERROR_CAUSES")),
                }
            }
            (Some("cacheContents"), _) => {
                outcome
                    .as_object()
                    .unwrap()
                    .iter()
                    .find_map(|(name, expected)| {
                        if name == "result" {
                            return None;
                        }
                        let written: Value = std::fs::read_to_string(cache.join(name))
                            .ok()
                            .and_then(|text| serde_json::from_str(&text).ok())
                            .unwrap_or(Value::Null);
                        (&written != expected)
                            .then(|| format!("the cache holds {written}, expected {expected}"))
                    })
            }
            (expected, got) => Some(format!("expected {expected:?}, got {got:?}")),
        };
        if problem.is_some() {
            return problem;
        }
    }
    None
}

#[tokio::test]
async fn official_console_login_cases() {
    let Some(folder) = ivschat_fuzz::suite_folder("profile/aws-config") else {
        return;
    };
    let text = std::fs::read_to_string(folder.join("login-provider-test-cases.json")).unwrap();
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
    let mut failures = Vec::new();
    for case in &cases {
        if let Some(problem) = run_case(case).await {
            failures.push(format!("{}: {problem}", case["documentation"]));
        }
    }
    println!(
        "login-provider: {} cases, {} failed",
        cases.len(),
        failures.len()
    );
    assert_eq!(cases.len(), 8, "the suite has {} cases", cases.len());
    assert!(failures.is_empty(), "{failures:#?}");
}
