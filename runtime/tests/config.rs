//! Configuration precedence (code, environment, profile) and errors that name their source.

use std::fs;

use ivschat_runtime::config::{Config, RetryMode, ServiceInfo};
use ivschat_runtime::env::Env;

const SERVICE: ServiceInfo = ServiceInfo {
    sdk_id: "ivschat",
    signing_name: "ivschat",
    crate_name: "ivschat",
    crate_version: "0.1.0",
};

fn home_with_config(config: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    fs::create_dir(home.path().join(".aws")).unwrap();
    fs::write(home.path().join(".aws/config"), config).unwrap();
    home
}

fn env<'a>(home: &'a tempfile::TempDir, pairs: &[(&'a str, &'a str)]) -> Env {
    Env::from_pairs(
        [("HOME", home.path().to_str().unwrap())]
            .into_iter()
            .chain(pairs.iter().copied()),
    )
}

const PROFILE: &str = "[default]\nregion = eu-west-1\nmax_attempts = 5\nretry_mode = adaptive\nuse_fips_endpoint = true\n\
endpoint_url = http://profile.test\n[profile local]\nservices = emulator\n[services emulator]\nivschat =\n  endpoint_url = http://127.0.0.1:4566\n";

#[test]
fn the_profile_fills_what_nothing_else_sets() {
    let home = home_with_config(PROFILE);
    let config = Config::builder()
        .build_with_env(SERVICE, &env(&home, &[]))
        .unwrap();
    assert_eq!(config.region.as_deref(), Some("eu-west-1"));
    assert_eq!(config.retry.max_attempts, 5);
    assert_eq!(config.retry.mode, RetryMode::Adaptive);
    assert!(config.use_fips);
    assert!(!config.use_dual_stack);
    assert_eq!(config.endpoint_url.as_deref(), Some("http://profile.test"));
}

#[test]
fn the_environment_wins_over_the_profile_and_code_over_both() {
    let home = home_with_config(PROFILE);
    let vars = [
        ("AWS_REGION", "us-east-2"),
        ("AWS_MAX_ATTEMPTS", "2"),
        ("AWS_ENDPOINT_URL", "http://generic.test"),
        ("AWS_ENDPOINT_URL_IVSCHAT", "http://ivschat.test"),
    ];
    let from_env = Config::builder()
        .build_with_env(SERVICE, &env(&home, &vars))
        .unwrap();
    assert_eq!(from_env.region.as_deref(), Some("us-east-2"));
    assert_eq!(from_env.retry.max_attempts, 2);
    assert_eq!(
        from_env.endpoint_url.as_deref(),
        Some("http://ivschat.test")
    );
    let from_code = Config::builder()
        .region("ap-south-1")
        .max_attempts(1)
        .endpoint_url("http://code.test")
        .build_with_env(SERVICE, &env(&home, &vars))
        .unwrap();
    assert_eq!(from_code.region.as_deref(), Some("ap-south-1"));
    assert_eq!(from_code.retry.max_attempts, 1);
    assert_eq!(from_code.endpoint_url.as_deref(), Some("http://code.test"));
}

#[test]
fn services_sections_and_ignoring_configured_endpoints() {
    let home = home_with_config(PROFILE);
    let local = Config::builder()
        .profile("local")
        .build_with_env(SERVICE, &env(&home, &[]))
        .unwrap();
    assert_eq!(local.endpoint_url.as_deref(), Some("http://127.0.0.1:4566"));
    let ignored = Config::builder()
        .build_with_env(
            SERVICE,
            &env(&home, &[("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")]),
        )
        .unwrap();
    assert_eq!(ignored.endpoint_url, None);
}

#[test]
fn invalid_values_name_their_source() {
    let home = home_with_config("[default]\nendpoint_url = not a url\n");
    let error = Config::builder()
        .build_with_env(
            SERVICE,
            &env(
                &home,
                &[
                    ("AWS_MAX_ATTEMPTS", "abc"),
                    ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
                ],
            ),
        )
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "environment variable AWS_MAX_ATTEMPTS: `abc` is not a whole number of at least 1"
    );
    let error = Config::builder()
        .max_attempts(3)
        .build_with_env(SERVICE, &env(&home, &[]))
        .unwrap_err();
    assert!(
        error.to_string().ends_with(".aws/config:2: `endpoint_url` of profile `default`: `not a url` is not an endpoint URL (expected http:// or https:// and a host)"),
        "{error}"
    );
    let error = Config::builder()
        .build_with_env(
            SERVICE,
            &env(
                &home,
                &[
                    ("AWS_USE_FIPS_ENDPOINT", "yes"),
                    ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
                ],
            ),
        )
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "environment variable AWS_USE_FIPS_ENDPOINT: `yes` is not true or false"
    );
}

#[test]
fn checksum_settings_come_from_code_environment_or_profile() {
    use ivschat_runtime::checksum::ChecksumWhen;
    let home = home_with_config("[default]\nrequest_checksum_calculation = WHEN_REQUIRED\n");
    let from_profile = Config::builder()
        .build_with_env(SERVICE, &env(&home, &[]))
        .unwrap();
    assert_eq!(
        from_profile.request_checksum_calculation,
        ChecksumWhen::WhenRequired
    );
    assert_eq!(
        from_profile.response_checksum_validation,
        ChecksumWhen::WhenSupported
    );
    let vars = [
        ("AWS_REQUEST_CHECKSUM_CALCULATION", "when_supported"),
        ("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required"),
    ];
    let from_env = Config::builder()
        .build_with_env(SERVICE, &env(&home, &vars))
        .unwrap();
    assert_eq!(
        from_env.request_checksum_calculation,
        ChecksumWhen::WhenSupported
    );
    assert_eq!(
        from_env.response_checksum_validation,
        ChecksumWhen::WhenRequired
    );
    let from_code = Config::builder()
        .response_checksum_validation(ChecksumWhen::WhenSupported)
        .build_with_env(SERVICE, &env(&home, &vars))
        .unwrap();
    assert_eq!(
        from_code.response_checksum_validation,
        ChecksumWhen::WhenSupported
    );
    let error = Config::builder()
        .build_with_env(
            SERVICE,
            &env(&home, &[("AWS_RESPONSE_CHECKSUM_VALIDATION", "always")]),
        )
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "environment variable AWS_RESPONSE_CHECKSUM_VALIDATION: `always` is not when_supported or when_required"
    );
}

#[test]
fn endpoint_discovery_and_account_id_endpoint_mode_come_from_code_environment_or_profile() {
    use ivschat_runtime::config::AccountIdEndpointMode;
    let home = home_with_config(
        "[default]\nendpoint_discovery_enabled = true\naccount_id_endpoint_mode = disabled\n",
    );
    let unset_home = home_with_config("[default]\n");
    let unset = Config::builder()
        .build_with_env(SERVICE, &env(&unset_home, &[]))
        .unwrap();
    assert_eq!(unset.endpoint_discovery, None);
    assert_eq!(
        unset.account_id_endpoint_mode,
        AccountIdEndpointMode::Preferred
    );
    let from_profile = Config::builder()
        .build_with_env(SERVICE, &env(&home, &[]))
        .unwrap();
    assert_eq!(from_profile.endpoint_discovery, Some(true));
    assert_eq!(
        from_profile.account_id_endpoint_mode,
        AccountIdEndpointMode::Disabled
    );
    let vars = [
        ("AWS_ENABLE_ENDPOINT_DISCOVERY", "false"),
        ("AWS_ACCOUNT_ID_ENDPOINT_MODE", "REQUIRED"),
    ];
    let from_env = Config::builder()
        .build_with_env(SERVICE, &env(&home, &vars))
        .unwrap();
    assert_eq!(from_env.endpoint_discovery, Some(false));
    assert_eq!(
        from_env.account_id_endpoint_mode,
        AccountIdEndpointMode::Required
    );
    let from_code = Config::builder()
        .endpoint_discovery(true)
        .account_id_endpoint_mode(AccountIdEndpointMode::Preferred)
        .build_with_env(SERVICE, &env(&home, &vars))
        .unwrap();
    assert_eq!(from_code.endpoint_discovery, Some(true));
    assert_eq!(
        from_code.account_id_endpoint_mode,
        AccountIdEndpointMode::Preferred
    );
    let error = Config::builder()
        .build_with_env(
            SERVICE,
            &env(&home, &[("AWS_ACCOUNT_ID_ENDPOINT_MODE", "sometimes")]),
        )
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "environment variable AWS_ACCOUNT_ID_ENDPOINT_MODE: `sometimes` is not an account-ID endpoint mode (preferred, disabled or required)"
    );
}
