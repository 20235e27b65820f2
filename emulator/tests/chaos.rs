//! Targeted chaos over the admin API: fault rules by operation, probability and status,
//! applied after authentication; listed, cleared, and a health endpoint.

use ivschat::Client;
use ivschat_local::{Emulator, EmulatorHandle, Fault, FaultRule};
use ivschat_runtime::transport::HttpResponse;
use serde_json::Value;

mod support;
use support::Target;

fn target(emulator: &EmulatorHandle) -> Target {
    Target {
        url: emulator.url(),
        region: emulator.region(),
        credentials: emulator.credentials(),
    }
}

fn json(response: &HttpResponse) -> Value {
    serde_json::from_slice(response.body()).unwrap_or(Value::Null)
}

fn client(emulator: &EmulatorHandle) -> Client {
    Client::from_builder(emulator.config().max_attempts(1)).unwrap()
}

#[tokio::test]
async fn a_rule_hits_only_its_operation_and_never_a_refused_request() {
    let emulator = Emulator::builder().start().await.unwrap();
    let client = client(&emulator);
    let room = client.create_room().send().await.unwrap();
    let arn = room.arn().unwrap();
    let rule = br#"{"fault": "throttle", "count": 1, "operation": "SendEvent", "status": 503}"#;
    let queued = target(&emulator)
        .signed("POST", "/_emulator/faults", rule)
        .await;
    assert_eq!(queued.status(), 200, "{:?}", json(&queued));
    let unsigned = Target {
        credentials: ivschat::Credentials::new("AKIDNOBODY", "wrong", None, None),
        ..target(&emulator)
    };
    let refused = unsigned.signed("POST", "/SendEvent", b"{}").await;
    assert_eq!(
        refused.status(),
        403,
        "a refused request does not take the fault"
    );
    assert!(
        client.list_rooms().send().await.is_ok(),
        "another operation is spared"
    );
    let send = || {
        client
            .send_event()
            .room_identifier(arn)
            .event_name("e")
            .send()
    };
    let error = send().await.unwrap_err();
    assert_eq!(error.code(), Some("ThrottlingException"), "{error}");
    assert!(send().await.is_ok(), "the rule was used up");
}

#[tokio::test]
async fn rules_are_listed_cleared_and_checked_and_health_needs_no_key() {
    let emulator = Emulator::builder().start().await.unwrap();
    let target = target(&emulator);
    for rule in [
        &br#"{"fault": "internal-error", "count": 3, "operation": "GetRoom", "probability": 0.5}"#
            [..],
        br#"{"fault": "delay", "delayMs": 250}"#,
    ] {
        assert_eq!(
            target
                .signed("POST", "/_emulator/faults", rule)
                .await
                .status(),
            200
        );
    }
    let listed = json(&target.signed("GET", "/_emulator/faults", b"").await);
    assert_eq!(
        listed["faults"][0],
        serde_json::json!({"fault": "internal-error", "left": 3, "operation": "GetRoom", "probability": 0.5, "status": null, "delayMs": null})
    );
    assert_eq!(listed["faults"][1]["delayMs"], 250);
    let health = support::Target {
        credentials: ivschat::Credentials::new("AKIDNOBODY", "wrong", None, None),
        ..target.clone()
    }
    .signed("GET", "/_emulator/health", b"")
    .await;
    assert_eq!(health.status(), 200);
    assert_eq!(json(&health)["status"], "ok");
    assert_eq!(json(&health)["faultRules"], 2);
    let cleared = json(&target.signed("DELETE", "/_emulator/faults", b"").await);
    assert_eq!(cleared["cleared"], 2);
    assert!(emulator.faults().is_empty());
    for (rule, complaint) in [
        (
            &br#"{"fault": "throttle", "operation": "GetRooms"}"#[..],
            "operation: must be one of CreateChatToken,",
        ),
        (
            br#"{"fault": "truncate", "operation": "SEND_MESSAGE"}"#,
            "`truncate` does not apply to chat actions",
        ),
        (
            br#"{"fault": "throttle", "probability": 1.5}"#,
            "probability: must be a number from 0 to 1",
        ),
        (
            br#"{"fault": "delay", "status": 503}"#,
            "does not apply to `delay`",
        ),
        (
            br#"{"fault": "throttle", "status": 200}"#,
            "status: must be a whole number from 400 to 599",
        ),
    ] {
        let refused = target.signed("POST", "/_emulator/faults", rule).await;
        assert_eq!(refused.status(), 400);
        let message = json(&refused)["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(message.contains(complaint), "{message}");
    }
}

#[tokio::test]
async fn rules_queued_in_code_take_the_same_filters() {
    let emulator = Emulator::builder().start().await.unwrap();
    assert!(emulator.inject_rule(FaultRule::new(Fault::AccessDenied, 1).operation("ListRooms")));
    let client = client(&emulator);
    assert!(client.create_room().send().await.is_ok());
    let error = client.list_rooms().send().await.unwrap_err();
    assert_eq!(error.code(), Some("AccessDeniedException"), "{error}");
    assert!(emulator.faults().is_empty());
}
