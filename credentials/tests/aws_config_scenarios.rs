//! The official credential-provider scenarios (`$IVSCHAT_TESTSUITES/profile/aws-config/`
//! `default-credential-provider-chain/`, `profile-provider/` and
//! `default-token-provider-chain/`): each scenario's `fs/` is laid out in a temporary root, its
//! `env.json` becomes the environment (absolute paths moved under the root, the clock stopped
//! at the recording's date), its `http-traffic.json` is replayed (requests matched on method,
//! URI with its query in any order, body (form pairs in any order, JSON as values), and the
//! headers that carry credentials, a signature by its credential scope), and the outcome is
//! compared with `test-case.json` (paths in error messages with the root taken out). A scenario
//! passes only when its outcome matches, every request matched its recording and every
//! recorded exchange was used. Where the suite expects a phrase that every error of a class
//! carries ("the credential provider was not enabled", "an error occurred while loading
//! credentials"), the error must also name its own cause, listed in `tests/aws-config.causes`.
//! Scenarios this build does not pass are listed in `tests/aws-config.skip` with the failure
//! they are expected to show and the reason; a listed scenario that passes, or fails otherwise,
//! fails the run, so the list only shrinks.

use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use ivschat_credentials::{default_chain, ProfileProvider, SsoTokenProvider};
use ivschat_runtime::credentials::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use ivschat_runtime::env::Env;
use ivschat_runtime::transport::{HttpClient, HttpError, HttpErrorKind, HttpRequest, HttpResponse};
use ivschat_runtime::{DateTime, DateTimeFormat};
use serde_json::Value;

/// Headers whose recorded values our requests must carry too.
const MATCHED_HEADERS: &[&str] = &[
    "authorization",
    "x-aws-ec2-metadata-token",
    "x-aws-ec2-metadata-token-ttl-seconds",
    "x-amz-sso_bearer_token",
];

/// What of a header is compared: for a SigV4 `authorization`, the credential scope without
/// its date (access key, region, service), which says the right credentials signed for the
/// right place; the signature itself covers the signing time and headers of the recording's SDK
/// (its user agent) that ours does not send, and the SigV4 suite checks our signatures. Other
/// headers whole.
fn signing_scope(value: &str) -> String {
    let Some(scope) = value
        .strip_prefix("AWS4-HMAC-SHA256 Credential=")
        .and_then(|rest| rest.split(',').next())
    else {
        return value.to_owned();
    };
    let parts: Vec<&str> = scope.split('/').collect();
    match parts.as_slice() {
        [key, _date, region, service, ..] => format!("{key}/{region}/{service}"),
        _ => scope.to_owned(),
    }
}

/// A form body's pairs, sorted; a generated session name (`assume-role-...`,
/// `web-identity-token...`) stands for any generated one, since each SDK makes its own.
fn form_pairs(body: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = body
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let generated = name == "RoleSessionName"
                && (value.starts_with("assume-role-") || value.starts_with("web-identity-token"));
            let value = if generated { "<generated>" } else { value };
            (name.to_owned(), value.to_owned())
        })
        .collect();
    pairs.sort();
    pairs
}

/// True when the bodies say the same: form bodies by their pairs, JSON bodies as values,
/// others (and an unrecorded body) not compared.
fn same_body(sent: &[u8], recorded: &str) -> bool {
    let sent = String::from_utf8_lossy(sent);
    if recorded.is_empty() {
        return true;
    }
    if recorded.starts_with("Action=") {
        return form_pairs(&sent) == form_pairs(recorded);
    }
    match (
        serde_json::from_str::<Value>(&sent),
        serde_json::from_str::<Value>(recorded),
    ) {
        (Ok(sent), Ok(recorded)) => sent == recorded,
        _ => true,
    }
}

/// A URI with its query pairs sorted (their order carries no meaning) and an empty path as
/// `/`.
fn normalized_uri(uri: &str) -> String {
    let authority_start = uri.find("://").map_or(0, |at| at + 3);
    if !uri[authority_start..].contains('/') {
        return format!("{uri}/");
    }
    match uri.split_once('?') {
        Some((path, query)) => {
            let mut pairs: Vec<&str> = query.split('&').collect();
            pairs.sort_unstable();
            format!("{path}?{}", pairs.join("&"))
        }
        None => uri.to_owned(),
    }
}

/// One recorded exchange.
#[derive(Clone, Debug)]
struct Exchange {
    method: String,
    uri: String,
    headers: BTreeMap<String, String>,
    status: u16,
    response_headers: Vec<(String, String)>,
    body: String,
    request_body: String,
}

/// Reads the exchanges of `http-traffic.json`, in the order their requests were sent.
fn exchanges(traffic: &Value) -> Vec<Exchange> {
    let mut by_connection: BTreeMap<u64, Exchange> = BTreeMap::new();
    let mut order = Vec::new();
    for event in traffic["events"].as_array().into_iter().flatten() {
        let connection = event["connection_id"].as_u64().unwrap_or(0);
        let action = &event["action"];
        if let Some(request) = action["Request"]["request"].as_object() {
            let headers = request["headers"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(name, values)| {
                    (
                        name.to_ascii_lowercase(),
                        values[0].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect();
            order.push(connection);
            by_connection.insert(
                connection,
                Exchange {
                    method: request["method"].as_str().unwrap_or("GET").to_owned(),
                    uri: request["uri"].as_str().unwrap_or("").to_owned(),
                    headers,
                    status: 0,
                    response_headers: Vec::new(),
                    body: String::new(),
                    request_body: String::new(),
                },
            );
        } else if let (Some(response), Some(exchange)) = (
            action["Response"]["response"]["Ok"].as_object(),
            by_connection.get_mut(&connection),
        ) {
            exchange.status = response["status"].as_u64().unwrap_or(0) as u16;
            exchange.response_headers = response["headers"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(name, values)| (name.clone(), values[0].as_str().unwrap_or("").to_owned()))
                .collect();
        } else if let (Some(data), Some(exchange)) = (
            action["Data"].as_object(),
            by_connection.get_mut(&connection),
        ) {
            let text = data["data"]["Utf8"].as_str().unwrap_or("");
            match data["direction"].as_str() {
                Some("Response") => exchange.body.push_str(text),
                Some("Request") => exchange.request_body.push_str(text),
                _ => {}
            }
        }
    }
    order
        .iter()
        .filter_map(|connection| by_connection.remove(connection))
        .collect()
}

/// Answers requests with the recorded exchanges, in order; a request that differs from the
/// next recorded one fails, naming the difference. A request that repeats the one before it
/// (method, URI and body: a retry) is answered as that one was, since a recording holds one
/// answer per distinct request.
#[derive(Debug)]
struct Traffic {
    exchanges: Mutex<VecDeque<Exchange>>,
    mismatches: Mutex<Vec<String>>,
    /// The last request answered and its exchange.
    last: Mutex<Option<(RequestKey, Exchange)>>,
}

/// What makes two requests the same: method, URI and body.
type RequestKey = (String, String, Vec<u8>);

impl HttpClient for Traffic {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        let answer = self.answer(&request);
        Box::pin(std::future::ready(answer))
    }
}

impl Traffic {
    fn answer(&self, request: &HttpRequest) -> Result<HttpResponse, HttpError> {
        let uri = request.uri().to_string();
        let key = (
            request.method().to_string(),
            uri.clone(),
            request.body().to_vec(),
        );
        let mut exchanges = self.exchanges.lock().unwrap();
        let difference = match exchanges.front() {
            Some(next) => differences(request, next),
            None => Some(format!(
                "{} {uri}: no more recorded traffic",
                request.method()
            )),
        };
        let Some(difference) = difference else {
            let next = exchanges.pop_front().expect("the front was compared");
            let response = respond(&next);
            *self.last.lock().unwrap() = Some((key, next));
            return Ok(response);
        };
        drop(exchanges);
        let retried = self
            .last
            .lock()
            .unwrap()
            .as_ref()
            .filter(|(last, _)| *last == key)
            .map(|(_, exchange)| respond(exchange));
        retried.ok_or_else(|| self.mismatch(difference))
    }

    fn mismatch(&self, message: String) -> HttpError {
        self.mismatches.lock().unwrap().push(message.clone());
        HttpError::new(HttpErrorKind::Connect, message)
    }
}

/// How `request` differs from the recorded `next` one (method, URI, body, the headers that
/// carry credentials), or `None`.
fn differences(request: &HttpRequest, next: &Exchange) -> Option<String> {
    let uri = request.uri().to_string();
    if next.method != request.method().as_str() || normalized_uri(&next.uri) != normalized_uri(&uri)
    {
        return Some(format!(
            "sent {} {uri}, recorded {} {}",
            request.method(),
            next.method,
            next.uri
        ));
    }
    if !same_body(request.body(), &next.request_body) {
        return Some(format!(
            "{uri}: sent the body `{}`, recorded `{}`",
            String::from_utf8_lossy(request.body()),
            next.request_body
        ));
    }
    MATCHED_HEADERS.iter().find_map(|name| {
        let sent = request
            .headers()
            .get(*name)
            .and_then(|value| value.to_str().ok());
        let recorded = next.headers.get(*name)?;
        (sent.map(signing_scope) != Some(signing_scope(recorded)))
            .then(|| format!("{uri}: header {name} is {sent:?}, recorded {recorded:?}"))
    })
}

/// The recorded response of `exchange`.
fn respond(exchange: &Exchange) -> HttpResponse {
    let mut response = http::Response::builder().status(exchange.status);
    for (name, value) in &exchange.response_headers {
        response = response.header(name.as_str(), value.as_str());
    }
    response
        .body(bytes::Bytes::from(exchange.body.clone()))
        .unwrap()
}

/// Copies the scenario's files under `root`; in the shared files, absolute
/// `web_identity_token_file` paths move under `root` too, as the environment's paths do.
fn copy_tree(from: &Path, to: &Path, root: &Path) {
    let Ok(entries) = std::fs::read_dir(from) else {
        return;
    };
    for entry in entries.flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target, root);
        } else {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let moved: Vec<String> = text
                .lines()
                .map(|line| match line.split_once('=') {
                    Some((key, value))
                        if key.trim() == "web_identity_token_file"
                            && value.trim().starts_with('/') =>
                    {
                        let path = root.join(value.trim().trim_start_matches('/'));
                        format!("{key}= {}", path.display())
                    }
                    _ => line.to_owned(),
                })
                .collect();
            std::fs::write(&target, moved.join("\n") + "\n").unwrap();
        }
    }
}

/// The recording's time: the first `date` response header, else now.
fn recorded_time(traffic: &[Exchange]) -> SystemTime {
    traffic
        .iter()
        .flat_map(|exchange| &exchange.response_headers)
        .find(|(name, _)| name.eq_ignore_ascii_case("date"))
        .and_then(|(_, value)| DateTime::parse(value, DateTimeFormat::HttpDate).ok())
        .map(SystemTime::from)
        .unwrap_or_else(SystemTime::now)
}

/// What a provider under test found: credentials, or a token (with its expiry).
#[derive(Debug)]
enum Found {
    Credentials(Credentials),
    Token(String, SystemTime),
}

/// Phrases our errors carry for a whole class (every `NotFound`, every `Service` error): a
/// suite phrase within one of them says nothing of the cause.
const CLASS_PHRASES: &[&str] = &[
    "the credential provider was not enabled",
    "an error occurred while loading credentials",
];

/// The cause our error must name besides the suite's phrase: `tests/aws-config.causes`, or
/// `<not configured>` for a provider that must find nothing to do (`Ok(None)`).
const NOT_CONFIGURED: &str = "<not configured>";

/// Checks `outcome` against a case's `result`; `None` when it matches. `root` (where the
/// scenario's files were laid out) is taken out of error messages; `cause` is what the error
/// must also say when the suite's phrase is a class phrase.
fn compare(
    outcome: &Result<Option<Found>, CredentialsError>,
    expected: &Value,
    root: &str,
    cause: Option<&str>,
) -> Option<String> {
    if let Some(wanted) = expected["ErrorContains"].as_str() {
        let class_phrase = CLASS_PHRASES.iter().any(|phrase| phrase.contains(wanted));
        return match (outcome, cause) {
            (_, None) if class_phrase => Some(format!(
                "`{wanted}` is in every error of its class: name this scenario's own cause in \
                 aws-config.causes (got {outcome:?})"
            )),
            (Ok(None), Some(NOT_CONFIGURED)) => None,
            (Err(error), cause) => {
                let message = error.to_string().replace(root, "");
                let names_cause = cause.is_none_or(|cause| message.contains(cause));
                match message.contains(wanted) && names_cause {
                    true => None,
                    false => Some(format!(
                        "expected an error containing `{wanted}`{}, got `{message}`",
                        cause
                            .map(|cause| format!(" and `{cause}`"))
                            .unwrap_or_default()
                    )),
                }
            }
            (other, _) => Some(format!(
                "expected an error containing `{wanted}`, got {other:?}"
            )),
        };
    }
    let wanted = &expected["Ok"];
    if let Ok(Some(Found::Token(token, expires_at))) = outcome {
        let expiry = DateTime::from(*expires_at).fmt(DateTimeFormat::DateTime);
        return (wanted["token"].as_str() != Some(token.as_str())
            || wanted["expiration"].as_str() != Some(expiry.as_str()))
        .then(|| format!("got token expiring at {expiry}, expected {wanted}"));
    }
    let Ok(Some(Found::Credentials(credentials))) = outcome else {
        return Some(format!("expected credentials, got {outcome:?}"));
    };
    let expiry = credentials
        .expires_at()
        .and_then(|at| at.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map(|since| since.as_secs());
    let checks = [
        (
            "access_key_id",
            Some(credentials.access_key_id().to_owned()),
        ),
        (
            "secret_access_key",
            Some(credentials.secret_access_key().to_owned()),
        ),
        (
            "session_token",
            credentials.session_token().map(str::to_owned),
        ),
        ("account_id", credentials.account_id().map(str::to_owned)),
    ];
    for (field, got) in checks {
        if let Some(want) = wanted[field].as_str() {
            if got.as_deref() != Some(want) {
                return Some(format!("{field} is {got:?}, expected {want:?}"));
            }
        }
    }
    match wanted["expiry"].as_u64() {
        Some(want) if expiry != Some(want) => {
            Some(format!("expiry is {expiry:?}, expected {want}"))
        }
        _ => None,
    }
}

/// Runs one scenario with the provider `make` builds; `None` when it passes: the outcome
/// matches, no request differed from its recording and every recorded exchange was used.
async fn scenario(folder: &Path, make: Make, cause: Option<&str>) -> Option<String> {
    let read = |name: &str| -> Value {
        std::fs::read_to_string(folder.join(name))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or(Value::Null)
    };
    let root = tempfile::tempdir().unwrap();
    copy_tree(&folder.join("fs"), root.path(), root.path());
    let traffic = exchanges(&read("http-traffic.json"));
    let now = recorded_time(&traffic);
    let mut pairs: Vec<(String, String)> = read("env.json")
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, value)| {
            let value = value.as_str().unwrap_or("").to_owned();
            // Paths (HOME and the *_FILE variables) move under the root; URIs stay.
            let is_path = name == "HOME" || name.ends_with("_FILE");
            let value = match value.strip_prefix('/').filter(|_| is_path) {
                Some(path) => root.path().join(path).to_str().unwrap().to_owned(),
                None => value,
            };
            (name.clone(), value)
        })
        .collect();
    if !pairs.iter().any(|(name, _)| name == "HOME") {
        pairs.push((
            "HOME".to_owned(),
            root.path().join("home").to_str().unwrap().to_owned(),
        ));
    }
    let env = Env::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str()))).with_time(now);
    let replay = Arc::new(Traffic {
        exchanges: Mutex::new(traffic.into()),
        mismatches: Mutex::new(Vec::new()),
        last: Mutex::new(None),
    });
    let outcome = tokio::time::timeout(Duration::from_secs(20), make(env, replay.clone()))
        .await
        .unwrap_or_else(|_| Err(CredentialsError::Invalid("timed out".to_owned())));
    let root_text = root.path().to_str().unwrap();
    let mut problems: Vec<String> = compare(
        &outcome,
        &read("test-case.json")["result"],
        root_text,
        cause,
    )
    .into_iter()
    .collect();
    let mismatches = replay.mismatches.lock().unwrap();
    if !mismatches.is_empty() {
        problems.push(format!("traffic: {}", mismatches.join("; ")));
    }
    let unused = replay.exchanges.lock().unwrap();
    if !unused.is_empty() {
        let listed: Vec<String> = unused
            .iter()
            .map(|exchange| format!("{} {}", exchange.method, exchange.uri))
            .collect();
        problems.push(format!(
            "recorded but never requested: {}",
            listed.join(", ")
        ));
    }
    (!problems.is_empty()).then(|| problems.join("; "))
}

/// A scenario this build does not pass: the failure it must show, and why.
#[derive(Debug)]
struct Skip {
    failure: String,
    reason: String,
}

/// `NAME | FIELD | FIELD` lines of a list file, by name; blank lines and `#` comments aside.
/// A line that is not three non-empty fields, or names a scenario twice, is an error naming
/// the file and line.
fn entries(file: &str, text: &str) -> BTreeMap<String, (String, String)> {
    let mut entries = BTreeMap::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split(" | ").map(str::trim).collect();
        let [name, first, second] = fields.as_slice() else {
            panic!(
                "{file}:{}: expected `suite/scenario | ... | ...`: {line}",
                index + 1
            );
        };
        assert!(
            !name.is_empty() && !first.is_empty() && !second.is_empty() && name.contains('/'),
            "{file}:{}: a field is empty or the name has no suite: {line}",
            index + 1
        );
        let fields = (first.to_string(), second.to_string());
        assert!(
            entries.insert(name.to_string(), fields).is_none(),
            "{file}:{}: {name} is listed twice",
            index + 1
        );
    }
    entries
}

/// `tests/aws-config.skip`: `suite/scenario | the failure it shows | reason` lines.
fn skip_list() -> BTreeMap<String, Skip> {
    entries("aws-config.skip", include_str!("aws-config.skip"))
        .into_iter()
        .map(|(name, (failure, reason))| (name, Skip { failure, reason }))
        .collect()
}

/// `tests/aws-config.causes`: `suite/scenario | the cause our error names | why` lines.
fn cause_list() -> BTreeMap<String, String> {
    entries("aws-config.causes", include_str!("aws-config.causes"))
        .into_iter()
        .map(|(name, (cause, _why))| (name, cause))
        .collect()
}

async fn run_suite(suite: &str, expected: usize, make: Make) {
    let Some(folder) = ivschat_fuzz::suite_folder(&format!("profile/aws-config/{suite}")) else {
        return;
    };
    let mut names: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|entry| entry.path())
        .collect();
    names.sort();
    let (skips, causes) = (skip_list(), cause_list());
    let (mut passed, mut skipped, mut failures) = (0, 0, Vec::new());
    let known: Vec<String> = names
        .iter()
        .map(|path| format!("{suite}/{}", path.file_name().unwrap().to_string_lossy()))
        .collect();
    for listed in skips.keys().chain(causes.keys()) {
        if listed.starts_with(&format!("{suite}/")) && !known.contains(listed) {
            failures.push(format!(
                "{listed} is listed but the suite has no such scenario"
            ));
        }
    }
    for (path, name) in names.iter().zip(&known) {
        let outcome = scenario(path, make, causes.get(name).map(String::as_str)).await;
        match (outcome, skips.get(name)) {
            (None, None) => passed += 1,
            (None, Some(_)) => failures.push(format!("{name} passes: take it off aws-config.skip")),
            (Some(problem), Some(skip)) if problem.contains(&skip.failure) => {
                skipped += 1;
                println!("  skipped {name}: {}", skip.reason);
            }
            (Some(problem), Some(skip)) => failures.push(format!(
                "{name} fails otherwise than aws-config.skip says (`{}`): {problem}",
                skip.failure
            )),
            (Some(problem), None) => failures.push(format!("{name}: {problem}")),
        }
    }
    println!(
        "{suite}: {passed} passed, {} failed, {skipped} skipped ({} scenarios)",
        failures.len(),
        names.len()
    );
    assert_eq!(
        names.len(),
        expected,
        "the suite has {} scenarios",
        names.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Runs the provider a suite tests, over the replayed traffic.
type Make = fn(Env, Arc<Traffic>) -> BoxFuture<'static, Result<Option<Found>, CredentialsError>>;

/// Runs a credentials provider to completion.
fn credentials_of(
    provider: Arc<dyn ProvideCredentials>,
) -> BoxFuture<'static, Result<Option<Found>, CredentialsError>> {
    Box::pin(async move {
        let found = provider.provide_credentials().await?;
        Ok(found.map(Found::Credentials))
    })
}

fn chain(
    env: Env,
    traffic: Arc<Traffic>,
) -> BoxFuture<'static, Result<Option<Found>, CredentialsError>> {
    credentials_of(default_chain(&env, None, traffic))
}

fn profile(
    env: Env,
    traffic: Arc<Traffic>,
) -> BoxFuture<'static, Result<Option<Found>, CredentialsError>> {
    credentials_of(Arc::new(ProfileProvider::new(env, None, traffic)))
}

fn token(
    env: Env,
    traffic: Arc<Traffic>,
) -> BoxFuture<'static, Result<Option<Found>, CredentialsError>> {
    Box::pin(async move {
        let token = SsoTokenProvider::new(env, None, traffic).token().await?;
        Ok(Some(Found::Token(
            token.token().to_owned(),
            token.expires_at(),
        )))
    })
}

#[tokio::test]
async fn default_credential_provider_chain_scenarios() {
    run_suite("default-credential-provider-chain", 29, chain).await;
}

#[tokio::test]
async fn profile_provider_scenarios() {
    run_suite("profile-provider", 18, profile).await;
}

#[tokio::test]
async fn default_token_provider_chain_scenarios() {
    run_suite("default-token-provider-chain", 3, token).await;
}
