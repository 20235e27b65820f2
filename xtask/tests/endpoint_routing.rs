//! Requests go where the model's endpoint rules say, from the client's configuration (region,
//! FIPS, dual-stack, endpoint URL), and a rule-set error stops the call before anything is sent.

use std::sync::Arc;

use ivschat::{Client, Config, Credentials};
use ivschat_runtime::config::ServiceInfo;
use ivschat_runtime::env::Env;
use ivschat_runtime::transport::{ReplayClient, ReplayEvent};

const SERVICE: ServiceInfo = ServiceInfo {
    sdk_id: "ivschat",
    signing_name: "ivschat",
    crate_name: "ivschat",
    crate_version: "0.1.0",
};

fn client(
    configure: impl FnOnce(ivschat::ConfigBuilder) -> ivschat::ConfigBuilder,
    replay: &ReplayClient,
) -> Client {
    let builder = Config::builder()
        .credentials(Credentials::new("AKIDEXAMPLE", "secret", None, None))
        .http_client(Arc::new(replay.clone()));
    Client::new(
        configure(builder)
            .build_with_env(SERVICE, &Env::from_pairs([]))
            .unwrap(),
    )
}

async fn host_for(
    configure: impl FnOnce(ivschat::ConfigBuilder) -> ivschat::ConfigBuilder,
) -> String {
    let replay = ReplayClient::new([ReplayEvent::status(200, "{}")]);
    client(configure, &replay)
        .get_room()
        .identifier("room")
        .send()
        .await
        .unwrap();
    let request = &replay.requests()[0];
    request.uri().host().unwrap().to_owned()
}

#[tokio::test]
async fn fips_and_dual_stack_follow_the_rules() {
    assert_eq!(
        host_for(|b| b.region("us-west-2")).await,
        "ivschat.us-west-2.amazonaws.com"
    );
    assert_eq!(
        host_for(|b| b.region("us-west-2").use_fips(true)).await,
        "ivschat-fips.us-west-2.amazonaws.com"
    );
    assert_eq!(
        host_for(|b| b.region("us-west-2").use_dual_stack(true)).await,
        "ivschat.us-west-2.api.aws"
    );
    assert_eq!(
        host_for(|b| b
            .region("us-gov-west-1")
            .use_fips(true)
            .use_dual_stack(true))
        .await,
        "ivschat-fips.us-gov-west-1.api.aws"
    );
    assert_eq!(
        host_for(|b| b.region("cn-north-1")).await,
        "ivschat.cn-north-1.amazonaws.com.cn"
    );
}

#[tokio::test]
async fn rule_set_errors_stop_the_call_before_sending() {
    let replay = ReplayClient::new([]);
    let custom_fips = client(
        |b| {
            b.region("us-west-2")
                .endpoint_url("http://127.0.0.1:4566")
                .use_fips(true)
        },
        &replay,
    );
    let error = custom_fips
        .get_room()
        .identifier("room")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "no endpoint: Invalid Configuration: FIPS and custom endpoint are not supported"
    );
    let no_region = client(|b| b, &replay);
    let error = no_region
        .get_room()
        .identifier("room")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "no endpoint: Invalid Configuration: Missing Region; {}",
            ivschat_runtime::config::NO_REGION
        )
    );
    assert!(replay.requests().is_empty());
}
