//! Behaviour of the `endpoint_context` fixture's generated client, run by `cargo xtask
//! check-fixtures`: endpoint parameters from an input member, fixed values, a path into the
//! input and the credentials' account, and the account-ID endpoint modes.

use std::sync::Arc;

use fixture_endpoint_context::{AccountIdEndpointMode, Client, Config, ConfigBuilder};
use ivschat_runtime::config::ServiceInfo;
use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::env::Env;
use ivschat_runtime::protocol_test::block_on;
use ivschat_runtime::transport::{ReplayClient, ReplayEvent};

fn new_client(replay: &ReplayClient, account: Option<&str>, configure: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Client {
    let service = ServiceInfo { sdk_id: "Service", signing_name: "context", crate_name: "fixture", crate_version: "0" };
    let credentials = Credentials::new("AKID", "SECRET", None, None).with_account_id(account.map(str::to_owned));
    let builder = Config::builder()
        .region("us-west-2")
        .credentials(credentials)
        .max_attempts(1)
        .http_client(Arc::new(replay.clone()));
    Client::new(configure(builder).build_with_env(service, &Env::from_pairs([])).unwrap())
}

fn host(replay: &ReplayClient) -> String {
    replay.requests()[0].uri().host().unwrap_or_default().to_owned()
}

#[test]
fn an_input_member_fixed_values_and_a_path_set_parameters() {
    let replay = ReplayClient::new([ReplayEvent::status(200, "{}")]);
    block_on(new_client(&replay, None, |b| b).get_item().table_name("users").send()).unwrap();
    assert_eq!(host(&replay), "table-users.example.test");

    let replay = ReplayClient::new([ReplayEvent::status(200, "{}")]);
    let client = new_client(&replay, None, |b| b);
    block_on(client.batch_get().request_items("orders", "k").send()).unwrap();
    assert_eq!(host(&replay), "data.orders.example.test");
}

#[test]
fn the_credentials_account_routes_unless_disabled() {
    let replay = ReplayClient::new([ReplayEvent::status(200, "{}")]);
    block_on(new_client(&replay, Some("123456789012"), |b| b).ping().send()).unwrap();
    assert_eq!(host(&replay), "123456789012.example.test");

    let replay = ReplayClient::new([ReplayEvent::status(200, "{}")]);
    let disabled = new_client(&replay, Some("123456789012"), |b| b.account_id_endpoint_mode(AccountIdEndpointMode::Disabled));
    block_on(disabled.ping().send()).unwrap();
    assert_eq!(host(&replay), "regional.example.test");

    let replay = ReplayClient::new([ReplayEvent::status(200, "{}")]);
    block_on(new_client(&replay, None, |b| b).ping().send()).unwrap();
    assert_eq!(host(&replay), "regional.example.test");
}

#[test]
fn a_required_account_without_one_fails_before_sending() {
    let replay = ReplayClient::new([]);
    let required = new_client(&replay, None, |b| b.account_id_endpoint_mode(AccountIdEndpointMode::Required));
    let error = block_on(required.ping().send()).unwrap_err();
    assert!(error.to_string().contains("an account is required"), "{error}");
    assert!(replay.requests().is_empty());
}
