//! The credential sources and the default chain, over fake environments and real files.

use std::fs;

use ivschat_runtime::credentials::{
    CredentialsError, DefaultChain, EnvironmentProvider, ProfileProvider, ProvideCredentials,
};
use ivschat_runtime::env::Env;
use ivschat_runtime::transport::ReplayClient;

/// A home folder with `.aws/config` and `.aws/credentials`.
fn home(config: &str, credentials: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    fs::create_dir(home.path().join(".aws")).unwrap();
    fs::write(home.path().join(".aws/config"), config).unwrap();
    fs::write(home.path().join(".aws/credentials"), credentials).unwrap();
    home
}

fn env_with_home<'a>(home: &'a tempfile::TempDir, extra: &[(&'a str, &'a str)]) -> Env {
    let home = home.path().to_str().unwrap();
    Env::from_pairs([("HOME", home)].into_iter().chain(extra.iter().copied()))
}

/// The default chain over `env`, with a transport that answers nothing (no test reaches the
/// network).
fn chain(env: Env) -> DefaultChain {
    DefaultChain::new(env, std::sync::Arc::new(ReplayClient::new([])))
}

async fn key_of(provider: &dyn ProvideCredentials) -> Result<Option<String>, CredentialsError> {
    provider
        .provide_credentials()
        .await
        .map(|found| found.map(|credentials| credentials.access_key_id().to_owned()))
}

#[tokio::test]
async fn environment_needs_both_keys() {
    let full = EnvironmentProvider::new(Env::from_pairs([
        ("AWS_ACCESS_KEY_ID", "AKENV"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
        ("AWS_SESSION_TOKEN", "token"),
    ]));
    let credentials = full.provide_credentials().await.unwrap().unwrap();
    assert_eq!(credentials.session_token(), Some("token"));
    let half = EnvironmentProvider::new(Env::from_pairs([("AWS_ACCESS_KEY_ID", "AKENV")]));
    assert_eq!(
        half.provide_credentials().await.unwrap_err().to_string(),
        "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
    );
}

#[tokio::test]
async fn credentials_file_wins_over_config_and_profiles_select() {
    let home = home(
        "[default]\naws_access_key_id = AKCONFIG\naws_secret_access_key = s\n[profile dev]\naws_access_key_id = AKDEV\naws_secret_access_key = s\n",
        "[default]\naws_access_key_id = AKCREDS\naws_secret_access_key = s\n",
    );
    let default = ProfileProvider::new(env_with_home(&home, &[]), None);
    assert_eq!(key_of(&default).await.unwrap().as_deref(), Some("AKCREDS"));
    let dev = ProfileProvider::new(env_with_home(&home, &[("AWS_PROFILE", "dev")]), None);
    assert_eq!(key_of(&dev).await.unwrap().as_deref(), Some("AKDEV"));
}

#[tokio::test]
async fn profile_errors_name_profile_file_and_line() {
    let home = home(
        "[profile half]\nregion = us-west-2\naws_access_key_id = AKHALF\n",
        "",
    );
    let missing = ProfileProvider::new(env_with_home(&home, &[("AWS_PROFILE", "nope")]), None);
    let error = key_of(&missing).await.unwrap_err().to_string();
    assert!(
        error.starts_with("profile `nope` is in neither "),
        "{error}"
    );
    let half = ProfileProvider::new(env_with_home(&home, &[]), Some("half".to_owned()));
    let error = key_of(&half).await.unwrap_err().to_string();
    assert!(
        error.ends_with(
            "config:3: profile `half` sets only one of aws_access_key_id and aws_secret_access_key"
        ),
        "{error}"
    );
    let malformed = tempfile::tempdir().unwrap();
    fs::create_dir(malformed.path().join(".aws")).unwrap();
    fs::write(
        malformed.path().join(".aws/config"),
        "[profile x]\nno equals sign\n",
    )
    .unwrap();
    let error = key_of(&ProfileProvider::new(env_with_home(&malformed, &[]), None))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.ends_with("config:2: Expected an '=' sign defining a property"),
        "{error}"
    );
}

#[tokio::test]
async fn credential_process_runs_and_its_failures_are_named() {
    let config = concat!(
        "[profile good]\n",
        "credential_process = printf '{\"Version\": 1, \"AccessKeyId\": \"AKPROC\", \"SecretAccessKey\": \"s\"}'\n",
        "[profile bad]\n",
        "credential_process = sh -c 'echo broken >&2; exit 3'\n",
    );
    let home = home(config, "");
    let good = ProfileProvider::new(env_with_home(&home, &[]), Some("good".to_owned()));
    assert_eq!(key_of(&good).await.unwrap().as_deref(), Some("AKPROC"));
    let bad = ProfileProvider::new(env_with_home(&home, &[]), Some("bad".to_owned()));
    let error = key_of(&bad).await.unwrap_err().to_string();
    assert!(
        error.starts_with("credential_process of profile `bad` failed: the command exited with"),
        "{error}"
    );
    assert!(
        !error.contains("broken") && error.contains("standard error (7 bytes) is not shown"),
        "what the command printed is not echoed: {error}"
    );
}

#[tokio::test]
async fn default_chain_prefers_the_environment_then_says_what_it_tried() {
    let home = home(
        "",
        "[default]\naws_access_key_id = AKFILE\naws_secret_access_key = s\n",
    );
    let with_env = chain(env_with_home(
        &home,
        &[
            ("AWS_ACCESS_KEY_ID", "AKENV"),
            ("AWS_SECRET_ACCESS_KEY", "s"),
        ],
    ));
    assert_eq!(key_of(&with_env).await.unwrap().as_deref(), Some("AKENV"));
    let from_file = chain(env_with_home(&home, &[]));
    assert_eq!(key_of(&from_file).await.unwrap().as_deref(), Some("AKFILE"));
    let empty = tempfile::tempdir().unwrap();
    let nothing = chain(env_with_home(
        &empty,
        &[("AWS_EC2_METADATA_DISABLED", "true")],
    ));
    let error = key_of(&nothing).await.unwrap_err().to_string();
    assert!(
        error.starts_with("no AWS credentials found: the credential provider was not enabled (tried: environment variables (AWS_ACCESS_KEY_ID is not set), shared config"),
        "{error}"
    );
    assert!(
        error.contains("EC2 instance metadata: turned off by AWS_EC2_METADATA_DISABLED"),
        "{error}"
    );
}

#[tokio::test]
async fn profiles_that_need_sts_or_sso_say_so() {
    let home = home(
        "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\n\n[profile base]\naws_access_key_id = A\naws_secret_access_key = s\n",
        "",
    );
    let role = ProfileProvider::new(env_with_home(&home, &[]), Some("role".to_owned()));
    let error = key_of(&role).await.unwrap_err().to_string();
    assert!(
        error.contains(".aws/config:2: profile `role` uses `role_arn` (assume role)"),
        "{error}"
    );
    let web = chain(env_with_home(
        &home,
        &[
            ("AWS_WEB_IDENTITY_TOKEN_FILE", "/token"),
            ("AWS_ROLE_ARN", "arn:aws:iam::1:role/r"),
        ],
    ));
    let error = key_of(&web).await.unwrap_err().to_string();
    assert!(
        error.starts_with("AWS_WEB_IDENTITY_TOKEN_FILE is set: web identity (IRSA) needs STS"),
        "{error}"
    );
}
