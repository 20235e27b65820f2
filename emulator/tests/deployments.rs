//! `Client::from_env()` in each deployment shape, end to end on loopback: the environment a
//! platform gives its code, fake credential endpoints where the platform runs one (EC2 instance
//! metadata, a container agent), and the emulator verifying every request the client signs
//! with what it found, session token included. `AWS_ENDPOINT_URL` points the client at the
//! emulator, as it would at any local endpoint. (ECS's relative URI names the fixed address
//! 169.254.170.2, so the ECS shape uses a full URI to the fake agent, as ECS Anywhere and other
//! agents do. An SSO laptop gets its credentials from a fake IAM Identity Center named by
//! `AWS_ENDPOINT_URL_SSO` and `AWS_ENDPOINT_URL_SSO_OIDC`; EKS IRSA and an assume-role profile
//! from a fake STS named by `AWS_ENDPOINT_URL_STS`.)

use std::convert::Infallible;

use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use ivschat::{Client, Config};
use ivschat_local::{Emulator, EmulatorHandle};
use ivschat_runtime::bytes::Bytes;
use ivschat_runtime::env::Env;

const KEY: &str = "ASIADEPLOYED";
const SECRET: &str = "deployed-secret";
const TOKEN: &str = "deployed-session-token";
const DOCUMENT: &str = r#"{"Code": "Success", "AccessKeyId": "ASIADEPLOYED", "SecretAccessKey": "deployed-secret", "Token": "deployed-session-token", "Expiration": "2099-01-01T00:00:00Z"}"#;

/// What a fake endpoint answers a request: status and body from method, path, headers and body.
type Answer = fn(&str, &str, &hyper::HeaderMap, &str) -> (u16, String);

/// A fake HTTP endpoint on loopback answering each request's method, path, headers and body
/// with `answer`; returns `http://127.0.0.1:PORT`.
async fn fake(answer: Answer) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let service = service_fn(
                move |request: hyper::Request<hyper::body::Incoming>| async move {
                    let (head, body) = request.into_parts();
                    let body = http_body_util::Limited::new(body, 64 * 1024)
                        .collect()
                        .await
                        .map(|collected| collected.to_bytes())
                        .unwrap_or_default();
                    let (status, body) = answer(
                        head.method.as_str(),
                        head.uri.path(),
                        &head.headers,
                        &String::from_utf8_lossy(&body),
                    );
                    let response = hyper::Response::builder()
                        .status(status)
                        .body(Full::new(Bytes::from(body)))
                        .unwrap();
                    Ok::<_, Infallible>(response)
                },
            );
            tokio::spawn(
                hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service),
            );
        }
    });
    url
}

/// An emulator that accepts only the deployed temporary credentials, and a folder for HOME.
async fn emulator() -> (EmulatorHandle, tempfile::TempDir) {
    let emulator = Emulator::builder()
        .region("eu-central-1")
        .temporary_credentials(KEY, SECRET, TOKEN)
        .start()
        .await
        .unwrap();
    (emulator, tempfile::tempdir().unwrap())
}

/// Builds the client as an application would, then creates a room the emulator verifies.
async fn works_with(emulator: &EmulatorHandle, pairs: &[(&str, &str)]) {
    let url = emulator.url();
    let mut all = vec![
        ("AWS_ENDPOINT_URL", url.as_str()),
        ("AWS_MAX_ATTEMPTS", "1"),
    ];
    all.extend_from_slice(pairs);
    let client = Client::from_env_with(&Env::from_pairs(all)).await.unwrap();
    let room = client.create_room().name("deployed").send().await.unwrap();
    assert!(room
        .arn()
        .unwrap()
        .starts_with("arn:aws:ivschat:eu-central-1:"));
}

#[tokio::test]
async fn lambda_gives_its_environment() {
    let (emulator, home) = emulator().await;
    let home = home.path().to_str().unwrap();
    works_with(
        &emulator,
        &[
            ("HOME", home),
            ("AWS_REGION", "eu-central-1"),
            ("AWS_ACCESS_KEY_ID", KEY),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_SESSION_TOKEN", TOKEN),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ],
    )
    .await;
}

#[tokio::test]
async fn ec2_gives_credentials_and_the_region_through_instance_metadata() {
    let (emulator, home) = emulator().await;
    let imds = fake(|method, path, headers, _| {
        let token = headers
            .get("x-aws-ec2-metadata-token")
            .is_some_and(|value| value == "imds-token");
        match (method, path) {
            ("PUT", "/latest/api/token") => (200, "imds-token".to_owned()),
            _ if !token => (401, String::new()),
            (_, "/latest/meta-data/placement/region") => (200, "eu-central-1".to_owned()),
            (_, "/latest/meta-data/iam/security-credentials/") => (200, "web-servers".to_owned()),
            (_, "/latest/meta-data/iam/security-credentials/web-servers") => {
                (200, DOCUMENT.to_owned())
            }
            _ => (404, String::new()),
        }
    })
    .await;
    let home = home.path().to_str().unwrap();
    let pairs = [("HOME", home), ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds)];
    works_with(&emulator, &pairs).await;
    // Settings made in code: `load_from_builder` asks instance metadata for the region as
    // `from_env` does; `from_builder` (not async) does not.
    let builder = || {
        Config::builder()
            .endpoint_url(emulator.url())
            .max_attempts(1)
    };
    let env = Env::from_pairs(pairs);
    let client = Client::load_from_builder_with(builder(), &env)
        .await
        .unwrap();
    assert_eq!(client.config().region.as_deref(), Some("eu-central-1"));
    let client = Client::from_builder_with(builder(), &env).unwrap();
    assert_eq!(client.config().region, None);
}

fn agent(_: &str, path: &str, headers: &hyper::HeaderMap, _: &str) -> (u16, String) {
    let authorized = headers
        .get("authorization")
        .is_some_and(|value| value == "agent-token");
    match (path, authorized) {
        ("/v1/credentials", true) => (200, DOCUMENT.to_owned()),
        (_, false) => (401, r#"{"message": "bad token"}"#.to_owned()),
        _ => (404, String::new()),
    }
}

#[tokio::test]
async fn ecs_and_eks_pod_identity_give_a_container_endpoint() {
    let (emulator, home) = emulator().await;
    let url = format!("{}/v1/credentials", fake(agent).await);
    let token_file = home.path().join("eks-pod-identity-token");
    std::fs::write(&token_file, "agent-token").unwrap();
    let home = home.path().to_str().unwrap();
    let common = [
        ("HOME", home),
        ("AWS_REGION", "eu-central-1"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    let mut ecs = common.to_vec();
    ecs.extend([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", url.as_str()),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "agent-token"),
    ]);
    works_with(&emulator, &ecs).await;
    let mut eks = common.to_vec();
    eks.extend([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", url.as_str()),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            token_file.to_str().unwrap(),
        ),
    ]);
    works_with(&emulator, &eks).await;
    assert_eq!(emulator.room_count(), 2);
}

#[tokio::test]
async fn a_laptop_profile_with_static_keys_works_and_missing_credentials_say_what_to_set() {
    let (emulator, home) = emulator().await;
    std::fs::create_dir(home.path().join(".aws")).unwrap();
    std::fs::write(
        home.path().join(".aws/credentials"),
        format!("[dev]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\naws_session_token = {TOKEN}\n"),
    )
    .unwrap();
    std::fs::write(
        home.path().join(".aws/config"),
        "[profile dev]\nregion = eu-central-1\n",
    )
    .unwrap();
    let home = home.path().to_str().unwrap();
    works_with(
        &emulator,
        &[
            ("HOME", home),
            ("AWS_PROFILE", "dev"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ],
    )
    .await;
    let empty = tempfile::tempdir().unwrap();
    let nothing = Env::from_pairs([
        ("HOME", empty.path().to_str().unwrap()),
        ("AWS_REGION", "eu-central-1"),
        ("AWS_ENDPOINT_URL", &emulator.url()),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    let client = Client::from_env_with(&nothing).await.unwrap();
    let error = client.create_room().send().await.unwrap_err().to_string();
    assert!(
        error.contains("no AWS credentials found")
            && error.contains("AWS_ACCESS_KEY_ID")
            && error.contains("aws_access_key_id")
            && error.contains("Config::builder().credentials(..)"),
        "{error}"
    );
    // Without a region the error says where to set one (the endpoint rules need it).
    let no_region = Env::from_pairs([
        ("HOME", empty.path().to_str().unwrap()),
        ("AWS_ACCESS_KEY_ID", "AKID"),
        ("AWS_SECRET_ACCESS_KEY", "SECRET"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    let client = Client::from_env_with(&no_region).await.unwrap();
    let error = client.create_room().send().await.unwrap_err().to_string();
    assert_eq!(
        error,
        format!(
            "no endpoint: Invalid Configuration: Missing Region; {}",
            ivschat_runtime::config::NO_REGION
        )
    );
}

/// A fake IAM Identity Center: the portal hands out the deployed credentials for the refreshed
/// token only, and SSO-OIDC refreshes the cached token.
fn identity_center(method: &str, path: &str, headers: &hyper::HeaderMap, _: &str) -> (u16, String) {
    match (method, path) {
        ("POST", "/token") => (
            200,
            r#"{"accessToken": "refreshed-token", "expiresIn": 28800, "tokenType": "Bearer"}"#
                .to_owned(),
        ),
        ("GET", "/federation/credentials")
            if headers
                .get("x-amz-sso_bearer_token")
                .is_some_and(|token| token == "refreshed-token") =>
        {
            let credentials = format!(
                r#"{{"roleCredentials": {{"accessKeyId": "{KEY}", "secretAccessKey": "{SECRET}", "sessionToken": "{TOKEN}", "expiration": 4070908800000}}}}"#
            );
            (200, credentials)
        }
        _ => (
            401,
            r#"{"message": "Session token not found or invalid"}"#.to_owned(),
        ),
    }
}

#[tokio::test]
async fn an_sso_laptop_refreshes_its_token_and_gets_role_credentials() {
    let (emulator, home) = emulator().await;
    let identity_center = fake(identity_center).await;
    let cache = home.path().join(".aws/sso/cache");
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::write(
        home.path().join(".aws/config"),
        "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\n\
         sso_role_name = ChatAdmin\nregion = eu-central-1\n\n\
         [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n",
    )
    .unwrap();
    // sha1("corp"): the name `aws sso login` gives the session's cache file. The token is
    // about to expire, so the client refreshes it first.
    let cached = cache.join("ee0bfd2552fbd840c02cc48b6e823320543c450f.json");
    let soon = ivschat_runtime::DateTime::from(
        std::time::SystemTime::now() + std::time::Duration::from_secs(60),
    )
    .fmt(ivschat_runtime::DateTimeFormat::DateTime);
    std::fs::write(
        &cached,
        format!(
            r#"{{"accessToken": "old-token", "expiresAt": "{soon}", "refreshToken": "r",
                "clientId": "c", "clientSecret": "s", "registrationExpiresAt": "2099-01-01T00:00:00Z",
                "region": "eu-west-1", "startUrl": "https://corp.awsapps.com/start"}}"#
        ),
    )
    .unwrap();
    works_with(
        &emulator,
        &[
            ("HOME", home.path().to_str().unwrap()),
            ("AWS_PROFILE", "dev"),
            ("AWS_ENDPOINT_URL_SSO", &identity_center),
            ("AWS_ENDPOINT_URL_SSO_OIDC", &identity_center),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ],
    )
    .await;
    let written = std::fs::read_to_string(&cached).unwrap();
    assert!(
        written.contains("refreshed-token") && written.contains("\"refreshToken\": \"r\""),
        "{written}"
    );
}

/// STS's answer carrying the deployed credentials for `action`.
fn sts_credentials(action: &str) -> String {
    format!(
        "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><{action}Result>\
         <AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/chat/s</Arn></AssumedRoleUser>\
         <Credentials><AccessKeyId>{KEY}</AccessKeyId><SecretAccessKey>{SECRET}</SecretAccessKey>\
         <SessionToken>{TOKEN}</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>\
         </Credentials></{action}Result></{action}Response>"
    )
}

/// A fake STS: web identity for the projected token only (unsigned), assume role for requests
/// signed with the laptop's base key only.
fn sts(method: &str, _: &str, headers: &hyper::HeaderMap, body: &str) -> (u16, String) {
    let signed_by_base = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("Credential=AKIABASE/"));
    let denied = || {
        (
            403,
            "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>\
             <Message>not this caller</Message></Error><RequestId>r</RequestId></ErrorResponse>"
                .to_owned(),
        )
    };
    if method != "POST" {
        return denied();
    }
    if body.starts_with("Action=AssumeRoleWithWebIdentity&")
        && body.contains("WebIdentityToken=projected-token")
        && !headers.contains_key("authorization")
    {
        return (200, sts_credentials("AssumeRoleWithWebIdentity"));
    }
    if body.starts_with("Action=AssumeRole&")
        && body.contains("RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fchat")
        && signed_by_base
    {
        return (200, sts_credentials("AssumeRole"));
    }
    denied()
}

#[tokio::test]
async fn eks_irsa_exchanges_the_projected_token_through_sts() {
    let (emulator, home) = emulator().await;
    let sts = fake(sts).await;
    let token_file = home.path().join("eks-token");
    std::fs::write(&token_file, "projected-token\n").unwrap();
    works_with(
        &emulator,
        &[
            ("HOME", home.path().to_str().unwrap()),
            ("AWS_REGION", "eu-central-1"),
            ("AWS_ROLE_ARN", "arn:aws:iam::111122223333:role/chat"),
            ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.to_str().unwrap()),
            ("AWS_ENDPOINT_URL_STS", &sts),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ],
    )
    .await;
}

#[tokio::test]
async fn a_laptop_profile_assumes_a_role_with_its_base_keys() {
    let (emulator, home) = emulator().await;
    let sts = fake(sts).await;
    std::fs::create_dir(home.path().join(".aws")).unwrap();
    std::fs::write(
        home.path().join(".aws/config"),
        "[profile chat]\nrole_arn = arn:aws:iam::111122223333:role/chat\nsource_profile = base\n\
         region = eu-central-1\n\n[profile base]\naws_access_key_id = AKIABASE\n\
         aws_secret_access_key = base-secret\n",
    )
    .unwrap();
    works_with(
        &emulator,
        &[
            ("HOME", home.path().to_str().unwrap()),
            ("AWS_PROFILE", "chat"),
            ("AWS_ENDPOINT_URL_STS", &sts),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ],
    )
    .await;
}

#[tokio::test]
async fn a_role_profile_and_irsa_work_against_the_emulators_own_sts() {
    let emulator = Emulator::builder()
        .region("eu-central-1")
        .web_identity_token("the-projected-token")
        .start()
        .await
        .unwrap();
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir(home.path().join(".aws")).unwrap();
    std::fs::write(
        home.path().join(".aws/config"),
        format!(
            "[profile chat]\nrole_arn = arn:aws:iam::111122223333:role/chat\nsource_profile = base\n\
             region = eu-central-1\n\n[profile base]\naws_access_key_id = {}\n\
             aws_secret_access_key = {}\n",
            ivschat_local::DEFAULT_ACCESS_KEY_ID,
            ivschat_local::DEFAULT_SECRET_ACCESS_KEY
        ),
    )
    .unwrap();
    let token_file = home.path().join("eks-token");
    std::fs::write(&token_file, "the-projected-token").unwrap();
    let url = emulator.url();
    let home = home.path().to_str().unwrap();
    let common = [
        ("HOME", home),
        ("AWS_ENDPOINT_URL", url.as_str()),
        ("AWS_MAX_ATTEMPTS", "1"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    let mut role = common.to_vec();
    role.push(("AWS_PROFILE", "chat"));
    let mut irsa = common.to_vec();
    irsa.extend([
        ("AWS_REGION", "eu-central-1"),
        ("AWS_ROLE_ARN", "arn:aws:iam::111122223333:role/chat"),
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.to_str().unwrap()),
    ]);
    for pairs in [role, irsa] {
        let client = Client::from_env_with(&Env::from_pairs(pairs))
            .await
            .unwrap();
        let room = client.create_room().name("via-sts").send().await.unwrap();
        // The room's ARN names the account of the role the emulator's STS handed out.
        assert!(room
            .arn()
            .unwrap()
            .starts_with("arn:aws:ivschat:eu-central-1:"));
    }
    assert_eq!(emulator.room_count(), 2);
}
