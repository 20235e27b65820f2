//! Behaviour of the `enum_keyed_maps` fixture's generated client, run by `cargo xtask
//! check-fixtures`: an awsQuery response's maps keyed by an enum, wrapped and flattened, and
//! lists of enums, read into the model's types (unknown keys kept as unknown values).

use std::collections::HashMap;
use std::sync::Arc;

use fixture_enum_keyed_maps::types::Kind;
use fixture_enum_keyed_maps::{Client, Config};
use ivschat_runtime::config::ServiceInfo;
use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::env::Env;
use ivschat_runtime::protocol_test::block_on;
use ivschat_runtime::transport::{ReplayClient, ReplayEvent};

const ANSWER: &str = r#"<GetLimitsResponse xmlns="https://example.com/doc/2020-01-01/"><GetLimitsResult>
<Limits><entry><key>SMALL</key><value>1</value></entry><entry><key>LARGE</key><value>9</value></entry></Limits>
<Flat><key>LARGE</key><value>7</value></Flat><Flat><key>HUGE</key><value>99</value></Flat>
<Names><entry><key>SMALL</key><value><member>SMALL</member><member>LARGE</member></value></entry></Names>
<Kinds><member>LARGE</member></Kinds>
</GetLimitsResult></GetLimitsResponse>"#;

#[test]
fn maps_keyed_by_an_enum_and_lists_of_enums_are_read_into_their_types() {
    let replay = ReplayClient::new([ReplayEvent::status(200, ANSWER)]);
    let service = ServiceInfo { sdk_id: "QueryMaps", signing_name: "maps", crate_name: "fixture", crate_version: "0" };
    let config = Config::builder()
        .region("us-west-2")
        .endpoint_url("https://maps.example.test")
        .credentials(Credentials::new("AKID", "SECRET", None, None))
        .max_attempts(1)
        .http_client(Arc::new(replay.clone()))
        .build_with_env(service, &Env::from_pairs([]))
        .unwrap();
    let output = block_on(Client::new(config).get_limits().kinds(Kind::Small).send()).unwrap();
    let limits: &HashMap<Kind, i32> = output.limits().unwrap();
    assert_eq!(limits.get(&Kind::Small), Some(&1));
    assert_eq!(limits.get(&Kind::Large), Some(&9));
    let flat = output.flat().unwrap();
    assert_eq!(flat.get(&Kind::Large), Some(&7));
    assert_eq!(flat.get(&Kind::from("HUGE")), Some(&99), "an unknown key is kept");
    assert_eq!(output.names().unwrap()[&Kind::Small], [Kind::Small, Kind::Large]);
    assert_eq!(output.kinds().unwrap(), [Kind::Large]);
    let sent = String::from_utf8(replay.requests()[0].body().to_vec()).unwrap();
    assert!(sent.contains("Kinds.member.1=SMALL"), "{sent}");
}
