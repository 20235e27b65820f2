//! The event-stream decoder on mutated message streams, fed in random-sized pieces: every
//! stream yields messages or an error, never a panic, and nothing buffered outgrows the
//! message limit.

use ivschat_fuzz::Campaign;
use ivschat_runtime::event_stream::{Decoder, HeaderValue, Message, MAX_MESSAGE_BYTES};

/// Streams of one to three messages with every header type.
fn corpus() -> Vec<Vec<u8>> {
    let event = Message::new(&br#"{"delta":{"text":"Hello"}}"#[..])
        .with_header(":message-type", HeaderValue::String("event".into()))
        .with_header(
            ":event-type",
            HeaderValue::String("contentBlockDelta".into()),
        )
        .with_header(
            ":content-type",
            HeaderValue::String("application/json".into()),
        );
    let exception = Message::new(&br#"{"message":"slow down"}"#[..])
        .with_header(":message-type", HeaderValue::String("exception".into()))
        .with_header(
            ":exception-type",
            HeaderValue::String("throttlingException".into()),
        );
    let every_type = Message::new(&b"x"[..])
        .with_header("t", HeaderValue::Bool(true))
        .with_header("f", HeaderValue::Bool(false))
        .with_header("b", HeaderValue::Byte(1))
        .with_header("s", HeaderValue::Short(2))
        .with_header("i", HeaderValue::Int(3))
        .with_header("l", HeaderValue::Long(4))
        .with_header("y", HeaderValue::Bytes(vec![0, 1, 2].into()))
        .with_header("d", HeaderValue::Timestamp(5))
        .with_header("u", HeaderValue::Uuid([6; 16]));
    let encode = |messages: &[&Message]| -> Vec<u8> {
        messages
            .iter()
            .flat_map(|message| message.encode().unwrap())
            .collect()
    };
    vec![
        encode(&[&event]),
        encode(&[&exception]),
        encode(&[&every_type]),
        encode(&[&event, &every_type, &exception]),
        encode(&[&Message::default()]),
    ]
}

/// Rewrites the CRCs of the input's first frame, so that mutations of lengths and headers
/// reach the header parser instead of stopping at a CRC.
fn with_fixed_crcs(input: &[u8]) -> Vec<u8> {
    let crc = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);
    let mut bytes = input.to_vec();
    if bytes.len() < 16 {
        return bytes;
    }
    let prelude = crc.checksum(&bytes[..8]);
    bytes[8..12].copy_from_slice(&prelude.to_be_bytes());
    let total = u32::from_be_bytes(bytes[..4].try_into().unwrap()) as usize;
    if (16..=bytes.len()).contains(&total) {
        let message = crc.checksum(&bytes[..total - 4]);
        bytes[total - 4..total].copy_from_slice(&message.to_be_bytes());
    }
    bytes
}

#[test]
fn the_event_stream_decoder_never_panics() {
    let corpus = corpus();
    let mut messages = 0;
    let count = Campaign::new("event-stream").run(&corpus, |input| {
        let fixed = with_fixed_crcs(input);
        let input = if input.len() % 2 == 0 { &fixed } else { input };
        let mut decoder = Decoder::new();
        let piece = 1 + input.first().map_or(0, |byte| usize::from(*byte) % 17);
        for chunk in input.chunks(piece) {
            decoder.push(chunk);
            loop {
                match decoder.next_message() {
                    Ok(Some(_)) => messages += 1,
                    Ok(None) => break,
                    Err(_) => return,
                }
            }
        }
        assert!(input.len() <= MAX_MESSAGE_BYTES || decoder.has_partial());
    });
    println!("event-stream: {count} streams, {messages} messages decoded");
    assert!(messages >= corpus.len(), "the seeds themselves decode");
}

/// A union of the receiver test: any event type is an event; exception types of even length
/// are modelled.
#[derive(Debug)]
enum Named {
    Event,
    Exception,
}

impl ivschat_runtime::event_stream::ReadEvent for Named {
    fn read_event(
        _: &str,
        _: &Message,
    ) -> Result<Self, ivschat_runtime::deserialize::DeserializeError> {
        Ok(Named::Event)
    }

    fn read_exception(
        exception_type: &str,
        _: &Message,
    ) -> Result<Option<Self>, ivschat_runtime::deserialize::DeserializeError> {
        Ok((exception_type.len() % 2 == 0).then_some(Named::Exception))
    }
}

#[test]
fn the_typed_receiver_never_panics_and_ends_after_an_error() {
    use ivschat_runtime::event_stream::EventStream;
    use ivschat_runtime::ByteStream;
    let corpus = corpus();
    let mut events = 0;
    let count = Campaign::new("event-stream-receiver").run(&corpus, |input| {
        let fixed = with_fixed_crcs(input);
        let input = if input.len() % 2 == 0 { &fixed } else { input };
        let piece = 1 + input.first().map_or(0, |byte| usize::from(*byte) % 17);
        let chunks: Vec<std::io::Result<ivschat_runtime::bytes::Bytes>> = input
            .chunks(piece)
            .map(|chunk| Ok(ivschat_runtime::bytes::Bytes::copy_from_slice(chunk)))
            .collect();
        let body = ByteStream::from_stream(futures_util::stream::iter(chunks), None);
        let mut stream = EventStream::<Named>::from_body(body);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime.block_on(async {
            loop {
                match stream.recv().await {
                    Ok(Some(_)) => events += 1,
                    Ok(None) => return,
                    Err(_) => {
                        assert!(
                            matches!(stream.recv().await, Ok(None)),
                            "an error ends the stream"
                        );
                        return;
                    }
                }
            }
        });
    });
    println!("event-stream-receiver: {count} streams, {events} events received");
    assert!(events >= 1, "the seeds' events are received");
}
