//! The event-stream codec against the frames of the Smithy restJson1 event-stream tests
//! (`eventStreamTests`): each frame's `bytes` decode to the case's headers, and encode back to
//! the same bytes; the frames are then the seeds of a fuzz run of the decoder.

use ivschat_codegen::smithy::{load_sources, Source};
use ivschat_fuzz::{suite_folder, text_files, Campaign};
use ivschat_runtime::event_stream::{Decoder, HeaderValue, Message};
use ivschat_runtime::json::base64;
use serde_json::Value;

/// A frame of the suite: its case, its bytes and the headers the case gives it.
struct Frame {
    case: String,
    bytes: Vec<u8>,
    headers: serde_json::Map<String, Value>,
}

/// Every frame of the suite.
fn frames() -> Option<Vec<Frame>> {
    let folder = suite_folder("protocol-tests")?;
    let mut paths = text_files(&folder.join("model"), ".smithy");
    for traits in [
        "smithy-aws-traits",
        "smithy-protocol-test-traits",
        "smithy-validation-model",
    ] {
        paths.extend(text_files(&folder.join(traits), ".smithy"));
    }
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|path| {
            (
                path.display().to_string(),
                std::fs::read_to_string(path).unwrap(),
            )
        })
        .collect();
    let sources: Vec<Source> = files
        .iter()
        .map(|(name, text)| Source { name, text })
        .collect();
    let model = load_sources(&sources).unwrap();
    let mut frames = Vec::new();
    for shape in model.shapes.values() {
        let cases = shape
            .traits
            .raw("smithy.test#eventStreamTests")
            .and_then(Value::as_array);
        for case in cases.into_iter().flatten() {
            let id = case["id"].as_str().unwrap_or_default();
            for event in case["events"].as_array().into_iter().flatten() {
                let (Some(bytes), Some(headers)) =
                    (event["bytes"].as_str(), event["headers"].as_object())
                else {
                    continue;
                };
                frames.push(Frame {
                    case: id.to_owned(),
                    bytes: base64::decode(bytes).unwrap(),
                    headers: headers.clone(),
                });
            }
        }
    }
    Some(frames)
}

/// A header of the case as the decoder gives it.
fn expected_value(typed: &Value) -> HeaderValue {
    let (kind, value) = typed.as_object().unwrap().iter().next().unwrap();
    match kind.as_str() {
        "boolean" => HeaderValue::Bool(value.as_bool().unwrap()),
        "byte" => HeaderValue::Byte(value.as_i64().unwrap() as i8),
        "short" => HeaderValue::Short(value.as_i64().unwrap() as i16),
        "integer" => HeaderValue::Int(value.as_i64().unwrap() as i32),
        "long" => HeaderValue::Long(value.as_i64().unwrap()),
        "blob" => HeaderValue::Bytes(base64::decode(value.as_str().unwrap()).unwrap().into()),
        "string" => HeaderValue::String(value.as_str().unwrap().to_owned()),
        "timestamp" => {
            let time = ivschat_runtime::DateTime::parse(
                value.as_str().unwrap(),
                ivschat_runtime::DateTimeFormat::DateTime,
            )
            .unwrap();
            HeaderValue::Timestamp(time.secs() * 1000 + i64::from(time.subsec_nanos() / 1_000_000))
        }
        "uuid" => {
            let hex: String = value
                .as_str()
                .unwrap()
                .chars()
                .filter(char::is_ascii_hexdigit)
                .collect();
            let mut uuid = [0; 16];
            for (index, byte) in uuid.iter_mut().enumerate() {
                *byte = u8::from_str_radix(&hex[index * 2..index * 2 + 2], 16).unwrap();
            }
            HeaderValue::Uuid(uuid)
        }
        other => panic!("unknown header type {other}"),
    }
}

#[test]
fn the_suites_frames_decode_to_their_headers_and_encode_back() {
    let Some(frames) = frames() else {
        return;
    };
    assert!(frames.len() >= 80, "{} frames", frames.len());
    for Frame {
        case: id,
        bytes,
        headers,
    } in &frames
    {
        let mut decoder = Decoder::new();
        decoder.push(bytes);
        let message: Message = decoder
            .next_message()
            .unwrap_or_else(|error| panic!("{id}: {error}"))
            .unwrap();
        assert!(!decoder.has_partial(), "{id}: one frame");
        for (name, typed) in headers {
            assert_eq!(
                message.header(name),
                Some(&expected_value(typed)),
                "{id}: header {name}"
            );
        }
        assert_eq!(message.headers.len(), headers.len(), "{id}: header count");
        assert_eq!(&message.encode().unwrap(), bytes, "{id}: encodes back");
    }
    println!(
        "event-stream vectors: {} frames decode and encode back",
        frames.len()
    );
    let corpus: Vec<Vec<u8>> = frames.into_iter().map(|frame| frame.bytes).collect();
    Campaign::new("event-stream-vectors").run(&corpus, |input| {
        let mut decoder = Decoder::new();
        decoder.push(input);
        while let Ok(Some(_)) = decoder.next_message() {}
    });
}
