//! SigV4 header signing of a GetRoom-like request (the headers the call loop sends), the
//! per-request work of the signer: `cargo bench -p ivschat-runtime --bench signing` prints the
//! median time per signature over 25 rounds of 20,000 (after 3 warm-up rounds). A bench
//! binary, not a timed test: figures vary with the machine.

use std::time::{Duration, Instant};

use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::sigv4::{
    sign_headers, SignableBody, SignableRequest, SigningKeyCache, SigningParams, SigningSettings,
};
use ivschat_runtime::DateTime;

const ROUNDS: usize = 25;
const PER_ROUND: u32 = 20_000;

fn main() {
    let credentials = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
        None,
    );
    let body = br#"{"identifier":"arn:aws:ivschat:us-west-2:123456789012:room/abcdEFGH1234"}"#;
    let request = SignableRequest {
        method: "POST",
        path: "/GetRoom",
        query: "",
        headers: vec![
            ("content-type", "application/json"),
            ("host", "ivschat.us-west-2.amazonaws.com"),
            (
                "user-agent",
                "ivschat/0.1.0 ivschat-runtime/0.1.0 os/linux lang/rust",
            ),
            (
                "amz-sdk-invocation-id",
                "6fa459ea-ee8a-4ca4-894e-db77e160355e",
            ),
            ("amz-sdk-request", "attempt=1; max=3"),
            ("content-length", "73"),
        ],
        body: SignableBody::Bytes(body),
    };
    let keys = SigningKeyCache::default();
    let params = SigningParams {
        credentials: &credentials,
        region: "us-west-2",
        service: "ivschat",
        time: DateTime::from_secs(1_764_806_400),
        settings: SigningSettings::default(),
    };
    let mut rounds: Vec<Duration> = (0..ROUNDS + 3)
        .map(|_| {
            let started = Instant::now();
            for _ in 0..PER_ROUND {
                std::hint::black_box(sign_headers(std::hint::black_box(&request), &params, &keys));
            }
            started.elapsed() / PER_ROUND
        })
        .skip(3)
        .collect();
    rounds.sort();
    println!(
        "sign_headers, GetRoom-like request: {:.0} ns per signature (median of {ROUNDS} rounds; min {:.0}, max {:.0})",
        rounds[ROUNDS / 2].as_nanos(),
        rounds[0].as_nanos(),
        rounds[ROUNDS - 1].as_nanos()
    );
}
