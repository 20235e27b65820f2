//! Interceptors seen from a client of the emulator: every hook runs, in order, once per call
//! or once per attempt (a throttled first attempt is retried), a header added before signing
//! is signed (the emulator verifies the signature) and sent, and the hooks see the typed input
//! and output.

use std::sync::{Arc, Mutex};

use ivschat::operation::create_room::{CreateRoomInput, CreateRoomOutput};
use ivschat::Client;
use ivschat_local::{Emulator, Fault};
use ivschat_runtime::operation::{Inspect, Interceptor};
use ivschat_runtime::transport::{HttpError, StreamingRequest};

/// Records each hook as a line.
#[derive(Debug, Default)]
struct Recorder {
    lines: Arc<Mutex<Vec<String>>>,
}

impl Recorder {
    fn push(&self, line: String) {
        self.lines.lock().unwrap().push(line);
    }
}

impl Interceptor for Recorder {
    fn before_serialization(&self, operation: &'static str, input: &dyn Inspect) {
        let name = input
            .as_any()
            .downcast_ref::<CreateRoomInput>()
            .and_then(|input| input.name().map(str::to_owned));
        self.push(format!("before_serialization {operation} {name:?}"));
    }

    fn before_signing(
        &self,
        operation: &'static str,
        attempt: u32,
        request: &mut StreamingRequest,
    ) {
        request.headers_mut().insert(
            "x-trace-id",
            ivschat_runtime::http::HeaderValue::from_static("trace-1"),
        );
        self.push(format!("before_signing {operation} {attempt}"));
    }

    fn before_transmit(&self, operation: &'static str, attempt: u32, request: &StreamingRequest) {
        let authorization = request.headers()["authorization"].to_str().unwrap();
        let signed = authorization.contains("x-trace-id");
        self.push(format!(
            "before_transmit {operation} {attempt} signed-trace={signed}"
        ));
    }

    fn after_response(
        &self,
        operation: &'static str,
        attempt: u32,
        outcome: Result<u16, &HttpError>,
    ) {
        self.push(format!(
            "after_response {operation} {attempt} {:?}",
            outcome.map_err(|_| ())
        ));
    }

    fn after_deserialization(
        &self,
        operation: &'static str,
        outcome: Result<&dyn Inspect, &dyn std::error::Error>,
    ) {
        let arn = outcome
            .ok()
            .and_then(|output| output.as_any().downcast_ref::<CreateRoomOutput>())
            .map(|output| output.arn().is_some());
        self.push(format!("after_deserialization {operation} arn={arn:?}"));
    }
}

#[tokio::test]
async fn hooks_run_in_order_once_per_call_and_per_attempt() {
    let emulator = Emulator::builder().start().await.unwrap();
    let recorder = Recorder::default();
    let lines = recorder.lines.clone();
    let builder = emulator
        .config()
        .initial_backoff(std::time::Duration::from_millis(1))
        .interceptor(recorder);
    let client = Client::from_builder(builder).unwrap();
    assert!(emulator.inject(Fault::Throttle, 1));
    client.create_room().name("traced").send().await.unwrap();
    assert_eq!(
        lines.lock().unwrap().as_slice(),
        [
            "before_serialization CreateRoom Some(\"traced\")",
            "before_signing CreateRoom 1",
            "before_transmit CreateRoom 1 signed-trace=true",
            "after_response CreateRoom 1 Ok(429)",
            "before_signing CreateRoom 2",
            "before_transmit CreateRoom 2 signed-trace=true",
            "after_response CreateRoom 2 Ok(200)",
            "after_deserialization CreateRoom arn=Some(true)",
        ]
    );
}
