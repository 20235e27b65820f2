//! [`EventStream`]: the value of a `@streaming` union member, a stream of typed events either
//! given by the caller (an input stream, sent as signed messages) or received from the service
//! (an output stream, decoded as it arrives).

use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{ready, Context, Poll};

use futures_util::stream::{self, Stream, StreamExt};

use super::signing::Given;
use super::{Decoder, EventStreamError, Message};
use crate::deserialize::DeserializeError;
use crate::ByteStream;

/// A union whose events can be read from messages (implemented by the generated crates).
pub trait ReadEvent: Sized {
    /// The event of an `event` message whose `:event-type` is `event_type`; a type this
    /// client does not know becomes the union's `Unknown` variant.
    fn read_event(event_type: &str, message: &Message) -> Result<Self, DeserializeError>;

    /// The modelled exception of an `exception` message whose `:exception-type` is
    /// `exception_type`; `None` when the union does not model it.
    fn read_exception(
        exception_type: &str,
        message: &Message,
    ) -> Result<Option<Self>, DeserializeError>;
}

/// A union whose events can be written as messages (implemented by the generated crates).
pub trait WriteEvent {
    /// The message of this event (`:message-type`, `:event-type`, headers and payload).
    fn write_event(&self) -> Result<Message, EventStreamError>;
}

/// Why an output stream stopped with an error; the stream ends after it.
#[derive(Debug)]
pub enum ReceiveError<T> {
    /// A modelled exception event: the union with its exception member set.
    Exception(T),
    /// An `error` message, or an exception this client does not model.
    Service {
        /// `:error-code`, or the `:exception-type`.
        code: String,
        /// `:error-message`, or the exception's payload as text.
        message: String,
    },
    /// Bytes or a message that break the event-stream protocol (framing, CRCs, a missing or
    /// malformed `:message-type` or `:event-type`, an unreadable payload).
    Malformed(String),
    /// The connection failed or timed out.
    Transport(std::io::Error),
}

impl<T: fmt::Debug> fmt::Display for ReceiveError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Exception(exception) => write!(f, "the service sent the exception {exception:?}"),
            Self::Service { code, message } => {
                write!(f, "the service sent the error `{code}`: {message}")
            }
            Self::Malformed(why) => write!(f, "malformed event stream: {why}"),
            Self::Transport(error) => write!(f, "the event stream broke: {error}"),
        }
    }
}

impl<T: fmt::Debug> std::error::Error for ReceiveError<T> {}

enum Source<T> {
    /// Events given by the caller, to send.
    Given(Given<T>),
    /// Messages from the service, decoded as they arrive; `pending` is one already decoded
    /// (looked at for an `initial-response`) and not yet handed over.
    Received {
        body: ByteStream,
        decoder: Decoder,
        pending: Option<Message>,
    },
    /// Read to the end, or stopped by an error.
    Finished,
}

/// Where the source is: shared by clones until one of them is read (that one takes it; the
/// others are then empty), like a [`ByteStream`] read once.
enum Slot<T> {
    Shared(Arc<Mutex<Option<Source<T>>>>),
    Taken(Source<T>),
}

/// A stream of events of the union `T`. An input takes one built from the caller's events
/// ([`EventStream::from_stream`], or a `Vec`); an output holds one that reads the service's
/// messages as they arrive: [`recv`](EventStream::recv) or the [`Stream`] impl, which yield
/// events, then `None` at the end, or one [`ReceiveError`] that ends the stream. Nothing is
/// read ahead: the service is slowed down when the caller reads slowly, and at most one
/// message (16 MiB) is buffered.
pub struct EventStream<T> {
    slot: Slot<T>,
}

impl<T> EventStream<T> {
    /// A stream of the caller's events, to send.
    pub fn from_stream(events: impl Stream<Item = T> + Send + 'static) -> Self {
        Self::shared(Source::Given(Mutex::new(Box::pin(events))))
    }

    /// The stream of messages the service sends in `body`.
    pub fn from_body(body: ByteStream) -> Self {
        Self::shared(Source::Received {
            body,
            decoder: Decoder::new(),
            pending: None,
        })
    }

    fn shared(source: Source<T>) -> Self {
        Self {
            slot: Slot::Shared(Arc::new(Mutex::new(Some(source)))),
        }
    }

    /// The source, taken from the slot shared with clones on first use.
    fn source(&mut self) -> &mut Source<T> {
        if let Slot::Shared(shared) = &self.slot {
            let taken = shared
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .take();
            self.slot = Slot::Taken(taken.unwrap_or(Source::Finished));
        }
        match &mut self.slot {
            Slot::Taken(source) => source,
            Slot::Shared(_) => unreachable!("the slot was taken above"),
        }
    }
}

impl<T: ReadEvent> EventStream<T> {
    /// The next event; `Ok(None)` once the stream has ended.
    pub async fn recv(&mut self) -> Result<Option<T>, ReceiveError<T>> {
        self.next().await.transpose()
    }

    /// The `initial-response` message that starts a received stream in the RPC protocols
    /// (awsJson, RPC v2 CBOR), holding the output's other members; `None` when the first
    /// message is something else, which is then the first one [`recv`](Self::recv) reads.
    pub async fn initial_response(&mut self) -> Result<Option<Message>, ReceiveError<T>> {
        let Source::Received {
            body,
            decoder,
            pending,
        } = self.source()
        else {
            return Ok(None);
        };
        let first = std::future::poll_fn(|cx| poll_message(body, decoder, cx)).await?;
        let Some(first) = first else {
            return Ok(None);
        };
        let initial = first.header_str(":message-type") == Some("event")
            && first.header_str(":event-type") == Some("initial-response");
        if initial {
            return Ok(Some(first));
        }
        *pending = Some(first);
        Ok(None)
    }
}

impl<T: Send + 'static> From<Vec<T>> for EventStream<T> {
    fn from(events: Vec<T>) -> Self {
        Self::from_stream(stream::iter(events))
    }
}

impl<T> Default for EventStream<T> {
    /// A stream without events.
    fn default() -> Self {
        Self::shared(Source::Finished)
    }
}

impl<T> Clone for EventStream<T> {
    /// A handle on the same events while neither has been read (whichever reads first gets
    /// them); an empty stream once this one is being read.
    fn clone(&self) -> Self {
        match &self.slot {
            Slot::Shared(shared) => Self {
                slot: Slot::Shared(shared.clone()),
            },
            Slot::Taken(_) => Self::default(),
        }
    }
}

impl<T> PartialEq for EventStream<T> {
    /// Clones of the same unread stream.
    fn eq(&self, other: &Self) -> bool {
        match (&self.slot, &other.slot) {
            (Slot::Shared(left), Slot::Shared(right)) => Arc::ptr_eq(left, right),
            _ => false,
        }
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.slot {
            Slot::Shared(_) => "unread",
            Slot::Taken(Source::Finished) => "finished",
            Slot::Taken(_) => "being read",
        };
        write!(f, "EventStream({state})")
    }
}

impl<T: ReadEvent> Stream for EventStream<T> {
    type Item = Result<T, ReceiveError<T>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // `Slot` holds no self-references: the stream is `Unpin`.
        let this = Pin::into_inner(self);
        let source = this.source();
        let outcome = match source {
            Source::Finished => return Poll::Ready(None),
            Source::Given(events) => {
                let events = events
                    .get_mut()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                return events.poll_next_unpin(cx).map(|event| event.map(Ok));
            }
            Source::Received {
                body,
                decoder,
                pending,
            } => match pending.take() {
                Some(message) => Some(read_message(&message)),
                None => ready!(poll_received(body, decoder, cx)),
            },
        };
        if !matches!(outcome, Some(Ok(_))) {
            *source = Source::Finished;
        }
        Poll::Ready(outcome)
    }
}

impl<T> Unpin for EventStream<T> {}

/// The next event of a received body.
fn poll_received<T: ReadEvent>(
    body: &mut ByteStream,
    decoder: &mut Decoder,
    cx: &mut Context<'_>,
) -> Poll<Option<Result<T, ReceiveError<T>>>> {
    match ready!(poll_message(body, decoder, cx)) {
        Ok(Some(message)) => Poll::Ready(Some(read_message(&message))),
        Ok(None) => Poll::Ready(None),
        Err(error) => Poll::Ready(Some(Err(error))),
    }
}

/// The next message of a received body: decodes what is buffered, reads more when a message
/// is incomplete; `None` at the end.
fn poll_message<T>(
    body: &mut ByteStream,
    decoder: &mut Decoder,
    cx: &mut Context<'_>,
) -> Poll<Result<Option<Message>, ReceiveError<T>>> {
    loop {
        match decoder.next_message() {
            Ok(Some(message)) => return Poll::Ready(Ok(Some(message))),
            Ok(None) => {}
            Err(error) => return Poll::Ready(Err(ReceiveError::Malformed(error.to_string()))),
        }
        match ready!(Pin::new(&mut *body).poll_next(cx)) {
            Some(Ok(bytes)) => decoder.push(&bytes),
            Some(Err(error)) => return Poll::Ready(Err(ReceiveError::Transport(error))),
            None if decoder.has_partial() => {
                return Poll::Ready(Err(ReceiveError::Malformed(
                    "the stream ended within a message".to_owned(),
                )))
            }
            None => return Poll::Ready(Ok(None)),
        }
    }
}

/// One message as an event, or the error it reports.
fn read_message<T: ReadEvent>(message: &Message) -> Result<T, ReceiveError<T>> {
    let malformed = |error: DeserializeError| ReceiveError::Malformed(error.to_string());
    let header = |name: &str| -> Result<&str, ReceiveError<T>> {
        match message.header(name) {
            Some(value) => value.as_str().ok_or_else(|| {
                ReceiveError::Malformed(format!("the `{name}` header is not a string"))
            }),
            None => Err(ReceiveError::Malformed(format!(
                "a message without a `{name}` header"
            ))),
        }
    };
    match header(":message-type")? {
        "event" => T::read_event(header(":event-type")?, message).map_err(malformed),
        "exception" => {
            let code = header(":exception-type")?;
            match T::read_exception(code, message).map_err(malformed)? {
                Some(exception) => Err(ReceiveError::Exception(exception)),
                None => Err(ReceiveError::Service {
                    code: code.to_owned(),
                    message: String::from_utf8_lossy(&message.payload).into_owned(),
                }),
            }
        }
        "error" => Err(ReceiveError::Service {
            code: header(":error-code")?.to_owned(),
            message: message
                .header_str(":error-message")
                .unwrap_or_default()
                .to_owned(),
        }),
        other => Err(ReceiveError::Malformed(format!(
            "the message type `{other}` (event, exception or error)"
        ))),
    }
}

impl<T: WriteEvent + Send + 'static> EventStream<T> {
    /// The request body of these events: each event's message, wrapped in a message signed
    /// in a chain from the request's signature when `signing` gets one (see
    /// [`EventSigning`](crate::operation::EventSigning)), then a signed empty message to end.
    /// A stream received from a service cannot be sent: its body fails, saying so.
    pub fn into_body(mut self, signing: crate::operation::EventSigning) -> ByteStream {
        let events = match std::mem::replace(self.source(), Source::Finished) {
            Source::Given(events) => events,
            Source::Finished => {
                let none: Pin<Box<dyn Stream<Item = T> + Send>> = Box::pin(stream::empty());
                Mutex::new(none)
            }
            Source::Received { .. } => {
                let refused =
                    std::io::Error::other("an event stream received from a service cannot be sent");
                return ByteStream::from_stream(stream::iter([Err(refused)]), None);
            }
        };
        ByteStream::from_stream(super::signing::SignedFrames::new(events, signing), None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event_stream::HeaderValue;

    /// A test union: `note` events carry their payload as text; the `stop` exception too.
    #[derive(Debug, PartialEq)]
    enum Note {
        Text(String),
        Stop(String),
        Unknown(String),
    }

    impl ReadEvent for Note {
        fn read_event(event_type: &str, message: &Message) -> Result<Self, DeserializeError> {
            let text = String::from_utf8_lossy(&message.payload).into_owned();
            Ok(match event_type {
                "note" => Note::Text(text),
                other => Note::Unknown(other.to_owned()),
            })
        }

        fn read_exception(
            exception_type: &str,
            message: &Message,
        ) -> Result<Option<Self>, DeserializeError> {
            let text = String::from_utf8_lossy(&message.payload).into_owned();
            Ok((exception_type == "stop").then_some(Note::Stop(text)))
        }
    }

    impl WriteEvent for Note {
        fn write_event(&self) -> Result<Message, EventStreamError> {
            match self {
                Note::Text(text) => Ok(typed("event", ":event-type", "note", text)),
                _ => Err(EventStreamError::new("only notes are sent")),
            }
        }
    }

    fn typed(kind: &str, type_header: &str, name: &str, payload: &str) -> Message {
        Message::new(bytes::Bytes::from(payload.to_owned()))
            .with_header(":message-type", HeaderValue::String(kind.to_owned()))
            .with_header(type_header, HeaderValue::String(name.to_owned()))
    }

    /// A body of these messages, delivered `chunk` bytes at a time.
    fn body(messages: &[Message], chunk: usize) -> ByteStream {
        let bytes: Vec<u8> = messages
            .iter()
            .flat_map(|message| message.encode().unwrap())
            .collect();
        let pieces: Vec<std::io::Result<bytes::Bytes>> = bytes
            .chunks(chunk)
            .map(|piece| Ok(bytes::Bytes::copy_from_slice(piece)))
            .collect();
        ByteStream::from_stream(stream::iter(pieces), None)
    }

    fn all(mut events: EventStream<Note>) -> (Vec<Note>, Option<ReceiveError<Note>>) {
        crate::test_runtime::block_on(async {
            let mut received = Vec::new();
            loop {
                match events.recv().await {
                    Ok(Some(event)) => received.push(event),
                    Ok(None) => return (received, None),
                    Err(error) => return (received, Some(error)),
                }
            }
        })
    }

    #[test]
    fn events_split_anywhere_arrive_whole_and_in_order() {
        let messages = [
            typed("event", ":event-type", "note", "one"),
            typed("event", ":event-type", "later", ""),
            typed("event", ":event-type", "note", "two"),
        ];
        for chunk in [1, 7, 1000] {
            let (received, error) = all(EventStream::from_body(body(&messages, chunk)));
            assert!(error.is_none(), "{error:?}");
            let expected = [
                Note::Text("one".into()),
                Note::Unknown("later".into()),
                Note::Text("two".into()),
            ];
            assert_eq!(received, expected, "in pieces of {chunk}");
        }
    }

    #[test]
    fn exceptions_errors_and_bad_messages_end_the_stream() {
        let cases = [
            (
                typed("exception", ":exception-type", "stop", "enough"),
                "Exception(Stop(\"enough\"))",
            ),
            (
                typed("exception", ":exception-type", "other", "why"),
                "Service { code: \"other\", message: \"why\" }",
            ),
            (
                typed("error", ":error-code", "Internal", ""),
                "Service { code: \"Internal\", message: \"\" }",
            ),
            (
                typed("chat", ":event-type", "note", ""),
                "Malformed(\"the message type `chat` (event, exception or error)\")",
            ),
            (
                Message::new(bytes::Bytes::new()),
                "Malformed(\"a message without a `:message-type` header\")",
            ),
        ];
        for (message, expected) in cases {
            let after = typed("event", ":event-type", "note", "never read");
            let (received, error) = all(EventStream::from_body(body(&[message, after], 5)));
            assert!(received.is_empty());
            assert_eq!(format!("{:?}", error.unwrap()), expected);
        }
    }

    #[test]
    fn clones_share_an_unread_stream_once() {
        let events = EventStream::from(vec![Note::Text("a".into())]);
        let clone = events.clone();
        assert_eq!(events, clone);
        let (received, _) = all(clone);
        assert_eq!(received, [Note::Text("a".into())]);
        // The clone read the events: the original is now empty.
        assert_eq!(all(events).0, []);
        assert_eq!(
            format!("{:?}", EventStream::<Note>::default()),
            "EventStream(unread)"
        );
    }

    #[test]
    fn sent_events_are_framed_unsigned_without_a_signer_and_a_bad_event_fails_the_body() {
        let events = EventStream::from(vec![Note::Text("hi".into())]);
        let body = events.into_body(crate::operation::EventSigning::new());
        let bytes = crate::test_runtime::block_on(body.collect()).unwrap();
        let mut decoder = Decoder::new();
        decoder.push(&bytes);
        let message = decoder.next_message().unwrap().unwrap();
        assert_eq!(message.header_str(":event-type"), Some("note"));
        assert_eq!(message.payload.as_ref(), b"hi");
        assert!(!decoder.has_partial(), "no end frame when unsigned");

        let bad = EventStream::from(vec![Note::Stop("x".into())]);
        let error = crate::test_runtime::block_on(
            bad.into_body(crate::operation::EventSigning::new())
                .collect(),
        )
        .unwrap_err();
        assert!(error.to_string().contains("only notes are sent"), "{error}");

        let received = EventStream::<Note>::from_body(ByteStream::new(bytes));
        let error = crate::test_runtime::block_on(
            received
                .into_body(crate::operation::EventSigning::new())
                .collect(),
        )
        .unwrap_err();
        assert!(error.to_string().contains("cannot be sent"), "{error}");
    }
}
