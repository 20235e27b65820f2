//! The container (ECS, EKS Pod Identity) and EC2 instance metadata providers against fake
//! endpoints on loopback, their endpoint rules against the official suites
//! (`$IVSCHAT_TESTSUITES/profile/aws-config/ecs-tests.json` and
//! `imds-config/imds-endpoint-tests.json`), and the default chain's order. No test reaches a
//! link-local address: the fakes are on 127.0.0.1, and the suites only resolve endpoints.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use ivschat_runtime::credentials::{
    ContainerProvider, DefaultChain, ImdsMode, ImdsProvider, ImdsSettings, ProvideCredentials,
};
use ivschat_runtime::env::Env;
use ivschat_runtime::transport::{HyperClient, ReplayClient};
use serde_json::Value;
use support::{credentials_json, serve};

fn hyper() -> Arc<HyperClient> {
    Arc::new(HyperClient::default())
}

fn env(pairs: &[(&str, &str)]) -> Env {
    Env::from_pairs(pairs.iter().copied())
}

fn suite(file: &str) -> Option<Vec<Value>> {
    let path = ivschat_fuzz::suite_folder("profile/aws-config")?.join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let document: Value = serde_json::from_str(&text).unwrap();
    Some(document["tests"].as_array().unwrap().clone())
}

/// `Ok` with the text, or `Err` with the message, for comparison with a suite's `result`.
fn matches(outcome: Result<String, String>, expected: &Value) -> bool {
    match (outcome, expected) {
        (Ok(text), expected) => expected["Ok"].as_str() == Some(text.as_str()),
        (Err(message), expected) => ["ErrorContains", "Err"]
            .iter()
            .find_map(|key| expected[key].as_str())
            .is_some_and(|wanted| message.contains(wanted)),
    }
}

#[test]
fn the_official_ecs_endpoint_cases_pass() {
    let Some(cases) = suite("ecs-tests.json") else {
        return;
    };
    let mut failures = Vec::new();
    for case in &cases {
        let pairs: Vec<(String, String)> = case["env"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(name, value)| (name.clone(), value.as_str().unwrap().to_owned()))
            .collect();
        let env = Env::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        let provider = ContainerProvider::new(env, Arc::new(ReplayClient::new([])));
        let outcome = provider
            .endpoint()
            .map(|uri| uri.to_string())
            .map_err(|error| error.to_string());
        if !matches(outcome.clone(), &case["result"]) {
            failures.push(format!("{}: got {outcome:?}", case["docs"]));
        }
    }
    println!(
        "ecs-tests: {}/{} cases passed",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(cases.len(), 11);
}

#[test]
fn the_official_imds_endpoint_cases_pass() {
    let Some(cases) = suite("imds-config/imds-endpoint-tests.json") else {
        return;
    };
    let mut failures = Vec::new();
    for case in &cases {
        let folder = tempfile::tempdir().unwrap();
        for (name, text) in case["fs"].as_object().unwrap() {
            std::fs::write(folder.path().join(name), text.as_str().unwrap()).unwrap();
        }
        let missing = folder.path().join("missing").to_str().unwrap().to_owned();
        let mut pairs = vec![
            ("AWS_CONFIG_FILE".to_owned(), missing.clone()),
            ("AWS_SHARED_CREDENTIALS_FILE".to_owned(), missing),
        ];
        for (name, value) in case["env"].as_object().unwrap() {
            let value = value.as_str().unwrap();
            let value = match name.as_str() {
                "AWS_CONFIG_FILE" => folder.path().join(value).to_str().unwrap().to_owned(),
                _ => value.to_owned(),
            };
            pairs.retain(|(existing, _)| existing != name);
            pairs.push((name.clone(), value));
        }
        let env = Env::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        let settings = ImdsSettings {
            endpoint: case["endpoint_override"].as_str().map(str::to_owned),
            mode: case["mode_override"]
                .as_str()
                .map(|mode| ImdsMode::parse(mode).unwrap()),
        };
        let provider = ImdsProvider::new(env, Arc::new(ReplayClient::new([])), settings);
        let outcome = provider
            .endpoint()
            .map(|base| format!("{base}/latest/api/token"))
            .map_err(|error| error.to_string());
        if !matches(outcome.clone(), &case["result"]) {
            failures.push(format!("{}: got {outcome:?}", case["docs"]));
        }
    }
    println!(
        "imds-endpoint-tests: {}/{} cases passed",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(cases.len(), 14);
}

#[tokio::test]
async fn container_credentials_with_a_token_file_read_on_every_load() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let (url, seen) = serve(
        move |request| match counter.fetch_add(1, Ordering::SeqCst) {
            0 => (500, "{}".to_owned()),
            _ if request.path == "/v1/credentials" => {
                (200, credentials_json("ASIAPOD", "2099-01-01T00:00:00Z"))
            }
            _ => (404, r#"{"message": "no such path"}"#.to_owned()),
        },
    )
    .await;
    let folder = tempfile::tempdir().unwrap();
    let token_file = folder.path().join("token");
    std::fs::write(&token_file, "first-token\n").unwrap();
    let full_uri = format!("{url}/v1/credentials");
    let env = env(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full_uri),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            token_file.to_str().unwrap(),
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored"),
    ]);
    let provider = ContainerProvider::new(env, hyper());
    let credentials = provider.load().await.unwrap().unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAPOD");
    assert_eq!(credentials.session_token(), Some("token-ASIAPOD"));
    assert!(credentials.expires_at().is_some());
    std::fs::write(&token_file, "rotated-token").unwrap();
    provider.load().await.unwrap().unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3, "a 500 is retried");
    assert_eq!(seen[1].headers["authorization"], "first-token");
    assert_eq!(seen[2].headers["authorization"], "rotated-token");
    assert_eq!(seen[2].headers["accept"], "application/json");
}

#[tokio::test]
async fn container_uris_to_other_hosts_are_refused_before_anything_is_sent() {
    for uri in [
        "http://10.0.0.1/credentials",
        "http://169.254.169.254/latest",
        "ftp://127.0.0.1/x",
    ] {
        let provider =
            ContainerProvider::new(env(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri)]), hyper());
        let error = provider.load().await.unwrap_err().to_string();
        assert!(error.contains(uri), "{uri}: {error}");
    }
    let (url, _) = serve(|_| (403, r#"{"message": "token mismatch"}"#.to_owned())).await;
    let local = url.replace("127.0.0.1", "localhost");
    let provider = ContainerProvider::new(
        env(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &local)]),
        hyper(),
    );
    let error = provider.load().await.unwrap_err().to_string();
    assert!(
        error.contains("HTTP 403: token mismatch"),
        "a name resolving to loopback is allowed: {error}"
    );
}

/// A fake IMDS: a token for a PUT with a TTL, one role, credentials expiring at `expiration`;
/// `failing` makes every GET answer 500 once set.
async fn fake_imds(
    expiration: &'static str,
    failing: Arc<AtomicUsize>,
) -> (String, Arc<std::sync::Mutex<Vec<support::Seen>>>) {
    serve(move |request| {
        let token_ok = request
            .headers
            .get("x-aws-ec2-metadata-token")
            .map(String::as_str)
            == Some("imds-token");
        match (request.method.as_str(), request.path.as_str()) {
            ("PUT", "/latest/api/token")
                if request
                    .headers
                    .contains_key("x-aws-ec2-metadata-token-ttl-seconds") =>
            {
                (200, "imds-token".to_owned())
            }
            _ if failing.load(Ordering::SeqCst) > 0 => (500, String::new()),
            (_, _) if !token_ok => (401, String::new()),
            ("GET", "/latest/meta-data/iam/security-credentials/") => {
                (200, "instance-role\n".to_owned())
            }
            ("GET", "/latest/meta-data/iam/security-credentials/instance-role") => {
                (200, credentials_json("ASIAEC2", expiration))
            }
            _ => (404, String::new()),
        }
    })
    .await
}

#[tokio::test]
async fn imds_credentials_with_one_session_token_and_static_stability() {
    let failing = Arc::new(AtomicUsize::new(0));
    let (url, seen) = fake_imds("2000-01-01T00:00:00Z", failing.clone()).await;
    let provider = ImdsProvider::new(
        env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &url)]),
        hyper(),
        ImdsSettings::default(),
    );
    let first = provider.load().await.unwrap().unwrap();
    assert_eq!(first.access_key_id(), "ASIAEC2");
    let extended = first.expires_at().unwrap();
    assert!(
        extended > std::time::SystemTime::now(),
        "expired credentials are extended a few minutes"
    );
    failing.store(1, Ordering::SeqCst);
    let during_outage = provider.load().await.unwrap().unwrap();
    assert_eq!(
        during_outage.access_key_id(),
        "ASIAEC2",
        "the last credentials are used during an outage"
    );
    let seen = seen.lock().unwrap().clone();
    let puts = seen
        .iter()
        .filter(|request| request.method == "PUT")
        .count();
    assert_eq!(puts, 1, "the session token is kept: {seen:#?}");
    assert_eq!(
        seen.len(),
        1 + 2 + 3,
        "a token, two GETs, then three failed attempts"
    );
}

#[tokio::test]
async fn imds_is_off_when_disabled_and_says_nothing_without_a_role() {
    let (url, seen) = serve(|request| match request.method.as_str() {
        "PUT" => (200, "t".to_owned()),
        _ => (404, String::new()),
    })
    .await;
    let no_role = ImdsProvider::new(
        env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &url)]),
        hyper(),
        ImdsSettings::default(),
    );
    assert!(no_role.load().await.unwrap().is_none());
    let disabled = ImdsProvider::new(
        env(&[
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &url),
            ("AWS_EC2_METADATA_DISABLED", "TRUE"),
        ]),
        hyper(),
        ImdsSettings::default(),
    );
    let before = seen.lock().unwrap().len();
    assert!(disabled.load().await.unwrap().is_none());
    assert_eq!(
        seen.lock().unwrap().len(),
        before,
        "a disabled IMDS is never asked"
    );
    let (forbidden, _) = serve(|_| (403, String::new())).await;
    let refused = ImdsProvider::new(
        env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &forbidden)]),
        hyper(),
        ImdsSettings::default(),
    );
    let error = refused.load().await.unwrap_err().to_string();
    assert!(error.contains("HTTP 403"), "{error}");
}

#[tokio::test]
async fn the_chain_tries_the_container_before_imds() {
    let (ecs, _) = serve(|_| (200, credentials_json("ASIAECS", "2099-01-01T00:00:00Z"))).await;
    let (imds, _) = fake_imds("2099-01-01T00:00:00Z", Arc::new(AtomicUsize::new(0))).await;
    let folder = tempfile::tempdir().unwrap();
    let home = folder.path().to_str().unwrap();
    let full_uri = format!("{ecs}/credentials");
    let both = env(&[
        ("HOME", home),
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full_uri),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds),
    ]);
    let found = DefaultChain::new(both, hyper())
        .provide_credentials()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.access_key_id(), "ASIAECS");
    let only_imds = env(&[("HOME", home), ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds)]);
    let found = DefaultChain::new(only_imds, hyper())
        .provide_credentials()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.access_key_id(), "ASIAEC2");
}

#[tokio::test]
async fn the_region_comes_from_instance_metadata_when_nothing_else_sets_it() {
    let (url, seen) = serve(
        |request| match (request.method.as_str(), request.path.as_str()) {
            ("PUT", _) => (200, "t".to_owned()),
            (_, "/latest/meta-data/placement/region") => (200, "eu-central-1\n".to_owned()),
            _ => (404, String::new()),
        },
    )
    .await;
    let folder = tempfile::tempdir().unwrap();
    let home = folder.path().to_str().unwrap();
    let service = ivschat_runtime::config::ServiceInfo {
        sdk_id: "ivschat",
        signing_name: "ivschat",
        crate_name: "ivschat",
        crate_version: "0.1.0",
    };
    let on_ec2 = env(&[("HOME", home), ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &url)]);
    let config = ivschat_runtime::config::Config::builder()
        .load_with_env(service, &on_ec2)
        .await
        .unwrap();
    assert_eq!(config.region.as_deref(), Some("eu-central-1"));
    let asked = seen.lock().unwrap().len();
    let configured = env(&[
        ("HOME", home),
        ("AWS_REGION", "us-west-2"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &url),
    ]);
    let config = ivschat_runtime::config::Config::builder()
        .load_with_env(service, &configured)
        .await
        .unwrap();
    assert_eq!(config.region.as_deref(), Some("us-west-2"));
    assert_eq!(
        seen.lock().unwrap().len(),
        asked,
        "a configured region never asks IMDS"
    );
}

/// A transport that records the URI of every request before sending it on.
#[derive(Debug, Default)]
struct Recording {
    inner: HyperClient,
    uris: std::sync::Mutex<Vec<String>>,
}

impl ivschat_runtime::transport::HttpClient for Recording {
    fn send(
        &self,
        request: ivschat_runtime::transport::HttpRequest,
    ) -> ivschat_runtime::credentials::BoxFuture<
        '_,
        Result<ivschat_runtime::transport::HttpResponse, ivschat_runtime::transport::HttpError>,
    > {
        self.uris.lock().unwrap().push(request.uri().to_string());
        self.inner.send(request)
    }
}

#[tokio::test]
async fn a_container_name_is_resolved_once_and_the_checked_address_is_used() {
    let (url, seen) =
        serve(|_| (200, credentials_json("ASIAPINNED", "2030-01-01T00:00:00Z"))).await;
    let local = format!("{}/credentials", url.replace("127.0.0.1", "localhost"));
    let recording = Arc::new(Recording::default());
    let provider = ContainerProvider::new(
        env(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &local)]),
        recording.clone(),
    );
    provider.load().await.unwrap().unwrap();
    let uris = recording.uris.lock().unwrap().clone();
    let port = url.rsplit(':').next().unwrap();
    assert!(
        uris[0] == format!("http://127.0.0.1:{port}/credentials")
            || uris[0] == format!("http://[::1]:{port}/credentials"),
        "the request went to the name, resolved again: {uris:?}"
    );
    assert_eq!(
        seen.lock().unwrap()[0].headers["host"],
        format!("localhost:{port}")
    );
}

/// A server that announces a 1 GiB body, sends a few bytes of it and stalls.
async fn announcing_a_huge_body() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = tokio::time::timeout(std::time::Duration::from_secs(20), async {
            while let Ok((mut stream, _)) = listener.accept().await {
                tokio::spawn(async move {
                    use tokio::io::{AsyncReadExt, AsyncWriteExt};
                    let mut head = [0u8; 4096];
                    let _ = stream.read(&mut head).await;
                    let answer = "HTTP/1.1 200 OK\r\ncontent-length: 1073741824\r\n\r\n{\"Ac";
                    let _ = stream.write_all(answer.as_bytes()).await;
                    tokio::time::sleep(std::time::Duration::from_secs(15)).await;
                });
            }
        })
        .await;
    });
    url
}

#[tokio::test]
async fn answers_announced_over_64_kib_are_refused_before_they_are_read() {
    let url = announcing_a_huge_body().await;
    let started = std::time::Instant::now();
    let container = ContainerProvider::new(
        env(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &format!("{url}/c"))]),
        hyper(),
    );
    let error = container.load().await.unwrap_err().to_string();
    assert!(error.contains("answered over 65536 bytes"), "{error}");
    let imds = ImdsProvider::new(
        env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &url)]),
        hyper(),
        ImdsSettings::default(),
    );
    let error = imds.load().await.unwrap_err().to_string();
    assert!(error.contains("answered over 65536 bytes"), "{error}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}
