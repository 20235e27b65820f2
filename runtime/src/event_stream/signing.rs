//! The messages of an input stream on the wire: each event's message is the payload of a
//! message carrying `:date` and `:chunk-signature`, a SigV4 signature chained from the
//! request's own (`STREAMING-AWS4-HMAC-SHA256-EVENTS`) through every message before it; an
//! empty signed message ends the stream.

use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::stream::{Stream, StreamExt};

use super::{EventStreamError, Header, HeaderValue, Message, WriteEvent};
use crate::operation::{EventSigner, EventSigning};
use crate::sigv4::{sha256_hex, SigningKeyCache};
use crate::DateTime;

/// The events given by the caller (in a mutex only to be `Sync`: it is reached through
/// `&mut`, never locked).
pub(super) type Given<T> = Mutex<Pin<Box<dyn Stream<Item = T> + Send>>>;

/// The signature chain of one stream.
struct Chain {
    signer: EventSigner,
    prior: String,
    keys: SigningKeyCache,
}

impl Chain {
    fn new(signer: EventSigner) -> Self {
        Self {
            prior: signer.seed.clone(),
            signer,
            keys: SigningKeyCache::default(),
        }
    }

    /// `payload` (an encoded message, or nothing to end) in a message signed at `now`.
    fn sign(&mut self, payload: Bytes, now: DateTime) -> Result<Message, EventStreamError> {
        let date = Header {
            name: ":date".to_owned(),
            value: HeaderValue::Timestamp(now.secs() * 1000),
        };
        let date_bytes = Message {
            headers: vec![date.clone()],
            payload: Bytes::new(),
        }
        .encode_headers()?;
        let amz_date = crate::sigv4::amz_date(now);
        let day = &amz_date[..8];
        let EventSigner {
            credentials,
            region,
            service,
            ..
        } = &self.signer;
        let scope = format!("{day}/{region}/{service}/aws4_request");
        let text = string_to_sign(&amz_date, &scope, &self.prior, &date_bytes, &payload);
        let signature = self.keys.sign(credentials, day, region, service, &text);
        let raw = unhex(&signature);
        self.prior = signature;
        Ok(Message {
            headers: vec![
                date,
                Header {
                    name: ":chunk-signature".to_owned(),
                    value: HeaderValue::Bytes(Bytes::from(raw)),
                },
            ],
            payload,
        })
    }
}

/// The string a message's signature signs.
fn string_to_sign(
    amz_date: &str,
    scope: &str,
    prior: &str,
    date_header: &[u8],
    payload: &[u8],
) -> String {
    format!(
        "AWS4-HMAC-SHA256-PAYLOAD\n{amz_date}\n{scope}\n{prior}\n{}\n{}",
        sha256_hex(date_header),
        sha256_hex(payload)
    )
}

/// The bytes of a hex signature (always 64 valid digits: it comes from [`hex`]).
fn unhex(text: &str) -> Vec<u8> {
    text.as_bytes()
        .chunks(2)
        .map(|pair| {
            let digit = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
            digit(pair[0]) << 4 | pair.get(1).copied().map_or(0, digit)
        })
        .collect()
}

/// The body of an input stream: framed, signed events, then the end message.
pub(super) struct SignedFrames<T> {
    events: Given<T>,
    signing: EventSigning,
    chain: Option<Chain>,
    started: bool,
    ended: bool,
}

impl<T> SignedFrames<T> {
    pub(super) fn new(events: Given<T>, signing: EventSigning) -> Self {
        Self {
            events,
            signing,
            chain: None,
            started: false,
            ended: false,
        }
    }

    /// The frame of `payload`: signed when the request was, else the message itself.
    fn frame(&mut self, payload: Bytes) -> std::io::Result<Bytes> {
        let framed = match &mut self.chain {
            Some(chain) => chain.sign(payload, DateTime::now())?.encode()?,
            None => payload.to_vec(),
        };
        Ok(Bytes::from(framed))
    }
}

impl From<EventStreamError> for std::io::Error {
    fn from(error: EventStreamError) -> Self {
        std::io::Error::other(error)
    }
}

impl<T: WriteEvent> Stream for SignedFrames<T> {
    type Item = std::io::Result<Bytes>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = Pin::into_inner(self);
        if this.ended {
            return Poll::Ready(None);
        }
        if !this.started {
            // The request is signed before its body is first read.
            this.started = true;
            this.chain = this.signing.signer().cloned().map(Chain::new);
        }
        let events = this
            .events
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let next = match events.poll_next_unpin(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(next) => next,
        };
        let frame = match next {
            Some(event) => event
                .write_event()
                .and_then(|message| message.encode())
                .map_err(std::io::Error::from)
                .and_then(|bytes| this.frame(Bytes::from(bytes))),
            None => {
                this.ended = true;
                if this.chain.is_none() {
                    return Poll::Ready(None);
                }
                this.frame(Bytes::new())
            }
        };
        if frame.is_err() {
            this.ended = true;
        }
        Poll::Ready(Some(frame))
    }
}

impl<T> Unpin for SignedFrames<T> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Credentials;

    use crate::sigv4::hex;

    #[test]
    fn the_string_to_sign_matches_the_published_vector() {
        // The event-signing vector of the AWS SDKs (Kotlin's EventStreamSigningTest, from
        // smithy-rs): 123456789 s after the epoch, a prior signature of sha256("last message
        // sts"), the payload `test payload`.
        let now = DateTime::from_secs(123_456_789);
        let date = Message {
            headers: vec![Header {
                name: ":date".to_owned(),
                value: HeaderValue::Timestamp(now.secs() * 1000),
            }],
            payload: Bytes::new(),
        }
        .encode_headers()
        .unwrap();
        let amz_date = crate::sigv4::amz_date(now);
        let day = &amz_date[..8];
        let text = string_to_sign(
            &amz_date,
            &format!("{day}/us-east-1/testservice/aws4_request"),
            &sha256_hex(b"last message sts"),
            &date,
            b"test payload",
        );
        assert_eq!(
            text,
            "AWS4-HMAC-SHA256-PAYLOAD\n19731129T213309Z\n19731129/us-east-1/testservice/aws4_request\n\
             be1f8c7d79ef8e1abc5254a2c70e4da3bfaf4f07328f527444e1fc6ea67273e2\n\
             0c0e3b3bf66b59b976181bd7d401927bbd624107303c713fd1e5f3d3c8dd1b1e\n\
             813ca5285c28ccee5cab8b10ebda9c908fd6d78ed9dc94cc65ea6cb67a7f13ae"
        );
    }

    #[test]
    fn each_signature_chains_from_the_one_before() {
        let signer = EventSigner {
            credentials: Credentials::new("AKID", "SECRET", None, None),
            region: "us-east-1".to_owned(),
            service: "testservice".to_owned(),
            seed: sha256_hex(b"seed"),
        };
        let mut chain = Chain::new(signer.clone());
        let now = DateTime::from_secs(1_700_000_000);
        let first = chain.sign(Bytes::from_static(b"one"), now).unwrap();
        let second = chain.sign(Bytes::from_static(b"one"), now).unwrap();
        let signature = |message: &Message| match message.header(":chunk-signature") {
            Some(HeaderValue::Bytes(bytes)) => hex(bytes),
            other => panic!("no signature: {other:?}"),
        };
        // The same payload at the same time signs differently: the prior signature differs.
        assert_ne!(signature(&first), signature(&second));
        assert_eq!(chain.prior, signature(&second));
        // A fresh chain from the same seed repeats the first signature.
        let again = Chain::new(signer)
            .sign(Bytes::from_static(b"one"), now)
            .unwrap();
        assert_eq!(signature(&again), signature(&first));
        assert_eq!(
            first.header(":date"),
            Some(&HeaderValue::Timestamp(1_700_000_000_000))
        );
        assert_eq!(first.payload, Bytes::from_static(b"one"));
    }
}
