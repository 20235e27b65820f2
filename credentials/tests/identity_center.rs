//! IAM Identity Center beyond the official scenarios: the token refresh through SSO-OIDC and
//! its write-back, what happens when the refresh fails, and services that answer nonsense. A
//! scripted transport answers in order and records what was sent.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use ivschat_credentials::{ProfileProvider, SsoTokenProvider};
use ivschat_runtime::credentials::{BoxFuture, ProvideCredentials};
use ivschat_runtime::env::Env;
use ivschat_runtime::transport::{HttpClient, HttpError, HttpErrorKind, HttpRequest, HttpResponse};
use ivschat_runtime::{DateTime, DateTimeFormat};

/// A request as sent: method, URI, bearer header, body.
type Sent = (String, String, Option<String>, String);

/// Answers with the scripted responses in order; records each request.
#[derive(Debug, Default)]
struct Script {
    answers: Mutex<VecDeque<(u16, String)>>,
    sent: Mutex<Vec<Sent>>,
}

impl HttpClient for Script {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        self.sent.lock().unwrap().push((
            request.method().to_string(),
            request.uri().to_string(),
            request
                .headers()
                .get("x-amz-sso_bearer_token")
                .map(|value| value.to_str().unwrap().to_owned()),
            String::from_utf8_lossy(request.body()).into_owned(),
        ));
        let answer = self.answers.lock().unwrap().pop_front();
        Box::pin(std::future::ready(match answer {
            Some((status, body)) => Ok(http::Response::builder()
                .status(status)
                .body(bytes::Bytes::from(body))
                .unwrap()),
            None => Err(HttpError::new(HttpErrorKind::Connect, "nothing scripted")),
        }))
    }
}

impl Script {
    fn new(answers: &[(u16, &str)]) -> Arc<Self> {
        Arc::new(Self {
            answers: Mutex::new(answers.iter().map(|(s, b)| (*s, (*b).to_owned())).collect()),
            sent: Mutex::default(),
        })
    }
}

const CONFIG: &str = "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\n\
    sso_role_name = ChatAdmin\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n\
    sso_region = eu-west-1\n\n[profile legacy]\nsso_start_url = https://corp.awsapps.com/start\n\
    sso_region = eu-west-1\nsso_account_id = 111122223333\nsso_role_name = ChatAdmin\n";
/// sha1("corp") and sha1 of the start URL: the cache file names `aws sso login` writes.
const SESSION_FILE: &str = "ee0bfd2552fbd840c02cc48b6e823320543c450f.json";
const START_URL_FILE: &str = "a51746d4aa793ae07b25e90c3a5db96fc7832bd7.json";
const NOW: u64 = 1_800_000_000;

/// A home folder with the config and a cached token expiring `expires_in` from [`NOW`]; the
/// environment reads it, its clock stopped at `NOW`, every retry off.
fn home(expires_in: i64) -> (tempfile::TempDir, Env) {
    let home = tempfile::tempdir().unwrap();
    let cache = home.path().join(".aws/sso/cache");
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::write(home.path().join(".aws/config"), CONFIG).unwrap();
    let expiry = DateTime::from_secs(NOW as i64 + expires_in).fmt(DateTimeFormat::DateTime);
    let token = format!(
        r#"{{"accessToken": "old", "expiresAt": "{expiry}", "refreshToken": "r1", "clientId": "c",
            "clientSecret": "s", "registrationExpiresAt": "2099-01-01T00:00:00Z"}}"#
    );
    std::fs::write(cache.join(SESSION_FILE), &token).unwrap();
    std::fs::write(cache.join(START_URL_FILE), token).unwrap();
    let env = Env::from_pairs([
        ("HOME", home.path().to_str().unwrap()),
        ("AWS_PROFILE", "dev"),
        ("AWS_MAX_ATTEMPTS", "1"),
    ])
    .with_time(SystemTime::UNIX_EPOCH + Duration::from_secs(NOW));
    (home, env)
}

const CREDENTIALS: &str = r#"{"roleCredentials": {"accessKeyId": "ASIA1", "secretAccessKey": "S1", "sessionToken": "T1", "expiration": 1800003600000}}"#;

#[tokio::test]
async fn a_token_close_to_expiry_is_refreshed_written_back_and_used() {
    let (home, env) = home(120);
    let script = Script::new(&[
        (
            200,
            r#"{"accessToken": "new", "expiresIn": 3600, "refreshToken": "r2"}"#,
        ),
        (200, CREDENTIALS),
    ]);
    let provider = ProfileProvider::new(env, None, script.clone());
    let credentials = provider.provide_credentials().await.unwrap().unwrap();
    assert_eq!(credentials.access_key_id(), "ASIA1");
    assert_eq!(credentials.session_token(), Some("T1"));
    assert_eq!(
        credentials.expires_at(),
        Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_003_600))
    );
    let sent = script.sent.lock().unwrap().clone();
    let (method, uri, _, body) = &sent[0];
    assert_eq!(
        (method.as_str(), uri.as_str()),
        ("POST", "https://oidc.eu-west-1.amazonaws.com/token")
    );
    let body: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(body["grantType"], "refresh_token");
    assert_eq!(
        (
            &body["clientId"],
            &body["clientSecret"],
            &body["refreshToken"]
        ),
        (&"c".into(), &"s".into(), &"r1".into())
    );
    let (_, uri, bearer, _) = &sent[1];
    assert!(
        uri.starts_with("https://portal.sso.eu-west-1.amazonaws.com/federation/credentials?"),
        "{uri}"
    );
    assert_eq!(bearer.as_deref(), Some("new"));
    let cached: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(home.path().join(".aws/sso/cache").join(SESSION_FILE)).unwrap(),
    )
    .unwrap();
    assert_eq!(cached["accessToken"], "new");
    assert_eq!(cached["refreshToken"], "r2");
    assert_eq!(
        cached["expiresAt"],
        DateTime::from_secs(NOW as i64 + 3600).fmt(DateTimeFormat::DateTime)
    );
    assert_eq!(cached["clientId"], "c", "the registration stays");
}

#[tokio::test]
async fn a_failed_refresh_keeps_a_token_that_still_works_and_not_one_that_expired() {
    let (_home, env) = home(120);
    let script = Script::new(&[(500, r#"{"error": "server_error"}"#)]);
    let token = SsoTokenProvider::new(env, None, script.clone())
        .token()
        .await
        .unwrap();
    assert_eq!(token.token(), "old");
    let (_home, env) = home(-60);
    let script = Script::new(&[(400, r#"{"error": "invalid_grant"}"#)]);
    let error = SsoTokenProvider::new(env, None, script)
        .token()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("refresh failed") && error.contains("aws sso login --profile dev"),
        "{error}"
    );
}

#[tokio::test]
async fn an_expired_legacy_token_is_not_refreshed_and_says_how_to_sign_in() {
    let (_home, env) = home(-60);
    let script = Script::new(&[]);
    let token = SsoTokenProvider::new(env, Some("legacy".to_owned()), script.clone())
        .token()
        .await;
    let error = token.unwrap_err().to_string();
    assert!(
        error.contains("has expired") && error.contains("aws sso login --profile legacy"),
        "{error}"
    );
    assert!(script.sent.lock().unwrap().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn nonsense_from_the_portal_is_an_error_naming_what_is_missing() {
    let cases = [
        (200, r#"{}"#, "returned no accessKeyId"),
        (
            200,
            r#"{"roleCredentials": {"accessKeyId": "A", "secretAccessKey": "S", "sessionToken": "T"}}"#,
            "returned no expiration",
        ),
        (
            200,
            "not json",
            "GetRoleCredentials for role `ChatAdmin` in account 111122223333 failed",
        ),
        (
            403,
            r#"{"message": "No access"}"#,
            "if the sign-in ended, run `aws sso login --profile dev`",
        ),
    ];
    for (status, body, wanted) in cases {
        let (_home, env) = home(3600);
        let script = Script::new(&[(status, body)]);
        let outcome = ProfileProvider::new(env, None, script)
            .provide_credentials()
            .await;
        let error = outcome.unwrap_err().to_string();
        assert!(error.contains(wanted), "{body}: {error}");
        assert!(error.starts_with("an error occurred while loading credentials from IAM Identity Center (profile `dev`)"), "{error}");
    }
}
