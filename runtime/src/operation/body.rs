//! Response bodies read within bounds: a size limit for bodies read whole, and an idle limit
//! between the chunks of a body handed over as a stream.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_util::Stream;
use tokio::time::Sleep;

use crate::transport::{HttpError, HttpErrorKind};
use crate::ByteStream;

/// The most bytes of an error response read (service errors are a few hundred bytes).
pub const ERROR_BODY_LIMIT: u64 = 1024 * 1024;

/// Reads a response body whole within `limit` bytes ([`crate::transport::collect_limited`]),
/// the error saying which setting raises the limit.
pub async fn collect_limited(body: ByteStream, limit: u64) -> Result<Bytes, HttpError> {
    crate::transport::collect_limited(body, limit)
        .await
        .map_err(|error| match error.kind() {
            HttpErrorKind::BodyTooLarge => HttpError::new(
                HttpErrorKind::BodyTooLarge,
                format!(
                    "{}; raise response_body_limit if the service really sends that much",
                    error.message()
                ),
            ),
            _ => error,
        })
}

/// The body, failing with `TimedOut` when no chunk arrives for `idle` (a server that stalls
/// mid-body never holds a reader forever).
pub fn idle_timeout(body: ByteStream, idle: Duration) -> ByteStream {
    if body.in_memory().is_some() {
        return body;
    }
    let length = body.length();
    let stream = IdleTimeout {
        inner: body,
        idle,
        timer: Box::pin(tokio::time::sleep(idle)),
    };
    ByteStream::from_stream(stream, length)
}

struct IdleTimeout {
    inner: ByteStream,
    idle: Duration,
    timer: Pin<Box<Sleep>>,
}

impl Stream for IdleTimeout {
    type Item = std::io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Poll::Ready(item) = Pin::new(&mut this.inner).poll_next(cx) {
            let deadline = tokio::time::Instant::now() + this.idle;
            this.timer.as_mut().reset(deadline);
            return Poll::Ready(item);
        }
        match this.timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!(
                    "no data from the server for {:?} (the read timeout) while reading the body",
                    this.idle
                ),
            )))),
            Poll::Pending => Poll::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::{stream, StreamExt};

    fn chunks(parts: &[&'static str], length: Option<u64>) -> ByteStream {
        let items: Vec<std::io::Result<Bytes>> = parts
            .iter()
            .map(|part| Ok(Bytes::from_static(part.as_bytes())))
            .collect();
        ByteStream::from_stream(stream::iter(items), length)
    }

    #[test]
    fn a_body_over_the_limit_fails_naming_the_limit() {
        crate::test_runtime::block_on(async {
            let read = collect_limited(chunks(&["abc", "def"], None), 6)
                .await
                .unwrap();
            assert_eq!(read, "abcdef");
            let error = collect_limited(chunks(&["abc", "def"], None), 5)
                .await
                .unwrap_err();
            assert_eq!(error.kind(), HttpErrorKind::BodyTooLarge);
            assert!(error.to_string().contains("limit of 5"), "{error}");
            let declared = collect_limited(chunks(&[], Some(1 << 40)), 5)
                .await
                .unwrap_err();
            assert!(
                declared.to_string().contains("1099511627776 bytes"),
                "{declared}"
            );
        });
    }

    #[test]
    fn bodies_of_any_number_of_chunks_are_read_whole() {
        crate::test_runtime::block_on(async {
            let single = collect_limited(chunks(&["only"], None), 4).await.unwrap();
            assert_eq!(single.as_ptr(), "only".as_ptr(), "one chunk is not copied");
            assert_eq!(collect_limited(chunks(&[], None), 0).await.unwrap(), "");
            let three = collect_limited(chunks(&["a", "bc", "def"], Some(6)), 6);
            assert_eq!(three.await.unwrap(), "abcdef");
            let first_too_large = collect_limited(chunks(&["abcdef", "g"], None), 5).await;
            assert!(first_too_large.unwrap_err().to_string().contains("6 bytes"));
            let last_too_large = collect_limited(chunks(&["ab", "cd", "ef"], None), 5).await;
            assert!(last_too_large.unwrap_err().to_string().contains("6 bytes"));
        });
    }

    #[test]
    fn a_stalled_body_times_out() {
        crate::test_runtime::block_on(async {
            let stalled = ByteStream::from_stream(
                stream::once(async { Ok(Bytes::from_static(b"a")) }).chain(stream::pending()),
                None,
            );
            let mut body = idle_timeout(stalled, Duration::from_millis(20));
            assert_eq!(body.next().await.unwrap().unwrap(), "a");
            let error = body.next().await.unwrap().unwrap_err();
            assert_eq!(error.kind(), std::io::ErrorKind::TimedOut);
        });
    }
}
