//! A CA bundle (set in code, `AWS_CA_BUNDLE` or a profile's `ca_bundle`) is trusted by the
//! default transport, against a TLS server on loopback whose certificate a test CA signed;
//! without it the same server is refused, and an unusable bundle is a configuration error
//! that says where it was set.

mod origin;

use std::path::PathBuf;

use ivschat_runtime::config::Config;
use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::env::Env;
use ivschat_runtime::operation::{Endpoint, Handle, SdkError};
use origin::{data, request, SERVICE};

fn config(env: &[(&str, String)], bundle: Option<PathBuf>) -> Result<Config, String> {
    let mut builder = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new("AKID", "SECRET", None, None))
        .max_attempts(1);
    if let Some(path) = bundle {
        builder = builder.ca_bundle(path);
    }
    let pairs: Vec<(&str, &str)> = env
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect();
    builder
        .build_with_env(SERVICE, &Env::from_pairs(pairs))
        .map_err(|error| error.to_string())
}

async fn call(config: Config, url: &str) -> Result<u16, SdkError> {
    let done = Handle::new(config)
        .invoke(&Endpoint::url(url), request())
        .await?;
    Ok(done.response.status().as_u16())
}

#[tokio::test]
async fn a_bundle_set_in_code_or_by_variable_or_profile_is_trusted_and_nothing_else_is() {
    let (url, _) = origin::start(true).await;
    let refused = call(config(&[], None).unwrap(), &url).await.unwrap_err();
    assert!(
        refused.to_string().to_lowercase().contains("certificate"),
        "the test CA is not trusted by default: {refused}"
    );
    let in_code = config(&[], Some(data("test-ca.pem"))).unwrap();
    assert_eq!(call(in_code, &url).await.unwrap(), 200);
    let bundle = data("test-ca.pem").display().to_string();
    let by_variable = config(&[("AWS_CA_BUNDLE", bundle.clone())], None).unwrap();
    assert_eq!(call(by_variable, &url).await.unwrap(), 200);
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("config");
    std::fs::write(&profile, format!("[default]\nca_bundle = {bundle}\n")).unwrap();
    let from_profile = config(&[("AWS_CONFIG_FILE", profile.display().to_string())], None).unwrap();
    assert_eq!(call(from_profile, &url).await.unwrap(), 200);
}

#[test]
fn an_unusable_bundle_names_where_it_was_set() {
    let error = config(&[("AWS_CA_BUNDLE", "/nonexistent/ca.pem".to_owned())], None).unwrap_err();
    assert!(
        error.starts_with(
            "environment variable AWS_CA_BUNDLE: cannot read the CA bundle /nonexistent/ca.pem"
        ),
        "{error}"
    );
    let error = config(&[], Some(data("localhost.key"))).unwrap_err();
    assert_eq!(
        error,
        format!(
            "ca_bundle set in code: the CA bundle {} holds no PEM certificate",
            data("localhost.key").display()
        )
    );
}

#[tokio::test]
async fn a_ready_tls_configuration_is_used_as_it_is() {
    let (url, _) = origin::start(true).await;
    let test_ca = ivschat_runtime::transport::read_ca_bundle(&data("test-ca.pem")).unwrap();
    let trusting = ivschat_runtime::transport::tls_client_config_with(&test_ca);
    let builder = || {
        Config::builder()
            .region("us-west-2")
            .credentials(Credentials::new("AKID", "SECRET", None, None))
            .max_attempts(1)
    };
    let with_ca = builder()
        .tls_config(trusting)
        .build_with_env(SERVICE, &Env::from_pairs([]))
        .unwrap();
    assert_eq!(call(with_ca, &url).await.unwrap(), 200);
    // The ready configuration wins over a CA bundle: without the test CA, refused.
    let without = builder()
        .ca_bundle(data("test-ca.pem"))
        .tls_config(ivschat_runtime::transport::tls_client_config())
        .build_with_env(SERVICE, &Env::from_pairs([]))
        .unwrap();
    let refused = call(without, &url).await.unwrap_err();
    assert!(
        refused.to_string().to_lowercase().contains("certificate"),
        "{refused}"
    );
}
