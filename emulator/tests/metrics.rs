//! The client's metrics (the generated crate's `metrics` feature) over calls to the emulator,
//! collected by an in-memory recorder: the AWS SDKs' names, `rpc.service` and `rpc.method`
//! labels, one attempt counted per attempt and one error per failed call.

use std::sync::{Arc, Mutex};

use ivschat_local::Emulator;
use metrics::{Counter, Gauge, Histogram, Key, KeyName, Metadata, Recorder, SharedString, Unit};

/// One recorded value: the metric, its labels, the value.
type Sample = (String, Vec<(String, String)>, f64);

/// Keeps every value recorded.
#[derive(Clone, Default)]
struct Memory {
    samples: Arc<Mutex<Vec<Sample>>>,
}

/// A handle of [`Memory`] for one key.
struct Entry {
    samples: Arc<Mutex<Vec<Sample>>>,
    key: Key,
}

impl Entry {
    fn push(&self, value: f64) {
        let labels = self
            .key
            .labels()
            .map(|label| (label.key().to_owned(), label.value().to_owned()))
            .collect();
        self.samples
            .lock()
            .unwrap()
            .push((self.key.name().to_owned(), labels, value));
    }
}

impl metrics::CounterFn for Entry {
    fn increment(&self, value: u64) {
        self.push(value as f64);
    }

    fn absolute(&self, value: u64) {
        self.push(value as f64);
    }
}

impl metrics::HistogramFn for Entry {
    fn record(&self, value: f64) {
        self.push(value);
    }
}

impl Memory {
    fn entry(&self, key: &Key) -> Arc<Entry> {
        Arc::new(Entry {
            samples: self.samples.clone(),
            key: key.clone(),
        })
    }

    /// The values of `name` recorded for `method`.
    fn values(&self, name: &str, method: &str) -> Vec<f64> {
        let labels = [
            ("rpc.service".to_owned(), "ivschat".to_owned()),
            ("rpc.method".to_owned(), method.to_owned()),
        ];
        self.samples
            .lock()
            .unwrap()
            .iter()
            .filter(|(metric, seen, _)| metric == name && seen.as_slice() == labels)
            .map(|(_, _, value)| *value)
            .collect()
    }
}

impl Recorder for Memory {
    fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}

    fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
        Counter::from_arc(self.entry(key))
    }

    fn register_gauge(&self, _: &Key, _: &Metadata<'_>) -> Gauge {
        Gauge::noop()
    }

    fn register_histogram(&self, key: &Key, _: &Metadata<'_>) -> Histogram {
        Histogram::from_arc(self.entry(key))
    }
}

#[test]
fn calls_record_durations_attempts_and_errors_under_the_sdk_names() {
    let memory = Memory::default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    metrics::with_local_recorder(&memory, || {
        runtime.block_on(async {
            let emulator = Emulator::builder().start().await.unwrap();
            let client = ivschat::Client::from_builder(emulator.config().max_attempts(1)).unwrap();
            client.create_room().name("lobby").send().await.unwrap();
            let missing = "arn:aws:ivschat:us-west-2:123456789012:room/nope";
            let error = client.get_room().identifier(missing).send().await;
            assert!(error.is_err());
        })
    });
    for (method, errors) in [("CreateRoom", 0), ("GetRoom", 1)] {
        for phase in [
            "duration",
            "attempt_duration",
            "resolve_endpoint_duration",
            "serialization_duration",
            "deserialization_duration",
        ] {
            let name = format!("smithy.client.call.{phase}");
            let values = memory.values(&name, method);
            assert_eq!(values.len(), 1, "{name} of {method}: {values:?}");
            assert!(values[0] >= 0.0 && values[0] < 60.0, "{name}: {values:?}");
        }
        assert_eq!(memory.values("smithy.client.call.attempts", method), [1.0]);
        assert_eq!(
            memory.values("smithy.client.call.errors", method).len(),
            errors,
            "{method}"
        );
    }
}
