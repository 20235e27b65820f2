//! Response bodies read within bounds: a size limit for bodies read whole, and for a body
//! handed over as a stream an idle limit between its chunks and a least throughput
//! (stalled-stream protection).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_util::Stream;
use tokio::time::Sleep;

use crate::config::StalledStreamProtection;
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

/// The body, failing when, over `protection.grace` of waiting for it, fewer than
/// `min_throughput` bytes a second arrive. Only time spent waiting counts (from a poll that
/// found nothing to the chunk that ends the wait), so a reader that takes its time between
/// chunks never trips it.
pub fn stall_protection(body: ByteStream, protection: StalledStreamProtection) -> ByteStream {
    if body.in_memory().is_some() || protection.grace.is_zero() {
        return body;
    }
    let length = body.length();
    let stream = StallGuard {
        inner: body,
        protection,
        waited: Duration::ZERO,
        bytes: 0,
        waiting_since: None,
        timer: Box::pin(tokio::time::sleep(protection.grace)),
        pending: None,
        ended: false,
    };
    ByteStream::from_stream(stream, length)
}

struct StallGuard {
    inner: ByteStream,
    protection: StalledStreamProtection,
    /// Time spent waiting in the current window, up to the current wait.
    waited: Duration,
    /// Bytes received in the current window.
    bytes: u64,
    /// When the current wait began, while waiting.
    waiting_since: Option<tokio::time::Instant>,
    /// Fires when the window's waiting time reaches the grace period.
    timer: Pin<Box<Sleep>>,
    /// The stall found as a chunk arrived, reported on the next read.
    pending: Option<std::io::Error>,
    /// The stall was reported: the stream has ended.
    ended: bool,
}

impl StallGuard {
    /// Closes the window once its waiting time reaches the grace period: the error when too
    /// few bytes came, else a new window.
    fn check(&mut self, now: tokio::time::Instant) -> Option<std::io::Error> {
        let waiting = self
            .waiting_since
            .map_or(Duration::ZERO, |since| now - since);
        let waited = self.waited + waiting;
        if waited < self.protection.grace {
            return None;
        }
        let least = self.protection.min_throughput as f64 * self.protection.grace.as_secs_f64();
        if (self.bytes as f64) < least {
            return Some(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!(
                    "the response body stalled: {} bytes in {waited:?} of waiting, under the least \
                     throughput of {} bytes/s over {:?} (stalled_stream_protection sets it)",
                    self.bytes, self.protection.min_throughput, self.protection.grace
                ),
            ));
        }
        self.waited = Duration::ZERO;
        self.bytes = 0;
        self.waiting_since = self.waiting_since.map(|_| now);
        None
    }
}

impl Stream for StallGuard {
    type Item = std::io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Some(error) = this.pending.take() {
            this.ended = true;
            return Poll::Ready(Some(Err(error)));
        }
        if this.ended {
            return Poll::Ready(None);
        }
        let now = tokio::time::Instant::now();
        if let Poll::Ready(item) = Pin::new(&mut this.inner).poll_next(cx) {
            if let Some(since) = this.waiting_since.take() {
                this.waited += now - since;
            }
            if let Some(Ok(chunk)) = &item {
                this.bytes += chunk.len() as u64;
                // The chunk is handed over; a stall it closes is reported on the next read.
                this.pending = this.check(now);
            }
            return Poll::Ready(item);
        }
        this.waiting_since.get_or_insert(now);
        if let Some(error) = this.check(now) {
            this.ended = true;
            return Poll::Ready(Some(Err(error)));
        }
        let waiting = this
            .waiting_since
            .map_or(Duration::ZERO, |since| now - since);
        let remaining = this.protection.grace.saturating_sub(this.waited + waiting);
        this.timer.as_mut().reset(now + remaining);
        if this.timer.as_mut().poll(cx).is_ready() {
            cx.waker().wake_by_ref();
        }
        Poll::Pending
    }
}

/// How much of an upload the transport has taken, shared by the body and its watchdog.
#[derive(Debug, Default)]
pub struct UploadProgress {
    bytes: std::sync::atomic::AtomicU64,
    finished: std::sync::atomic::AtomicBool,
}

/// The body, counting in `progress` the bytes the transport takes from it and marking when
/// it has taken them all.
pub fn count_upload(body: ByteStream, progress: std::sync::Arc<UploadProgress>) -> ByteStream {
    use std::sync::atomic::Ordering;
    let length = body.length();
    let at_end = progress.clone();
    let counted = futures_util::StreamExt::map(body, move |chunk| {
        match &chunk {
            Ok(bytes) => {
                progress
                    .bytes
                    .fetch_add(bytes.len() as u64, Ordering::Relaxed);
            }
            Err(_) => progress.finished.store(true, Ordering::Relaxed),
        }
        chunk
    });
    let end = futures_util::stream::poll_fn(move |_| {
        at_end.finished.store(true, Ordering::Relaxed);
        Poll::<Option<std::io::Result<Bytes>>>::Ready(None)
    });
    ByteStream::from_stream(futures_util::StreamExt::chain(counted, end), length)
}

/// Ends (with the error to report) when an upload's transport takes fewer than
/// `min_throughput` bytes a second over a grace period before the body is all taken: the
/// server stopped reading. Never ends while the upload goes on.
pub async fn upload_stalled(
    progress: std::sync::Arc<UploadProgress>,
    protection: StalledStreamProtection,
    length: Option<u64>,
) -> String {
    use std::sync::atomic::Ordering;
    let least = protection.min_throughput as f64 * protection.grace.as_secs_f64();
    // Windows start once the transport first takes from the body: connecting is the connect
    // timeout's matter.
    while progress.bytes.load(Ordering::Relaxed) == 0 && !progress.finished.load(Ordering::Relaxed)
    {
        tokio::time::sleep(protection.grace / 10).await;
    }
    let mut before = 0;
    loop {
        tokio::time::sleep(protection.grace).await;
        let taken = progress.bytes.load(Ordering::Relaxed);
        let all_taken = progress.finished.load(Ordering::Relaxed)
            || length.is_some_and(|length| taken >= length);
        if !all_taken && ((taken - before) as f64) < least {
            return format!(
                "the request body stalled: the server took {} bytes in {:?}, under the least \
                 throughput of {} bytes/s (stalled_stream_protection sets it)",
                taken - before,
                protection.grace,
                protection.min_throughput
            );
        }
        before = taken;
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

    fn protection(min_throughput: u64, grace_ms: u64) -> StalledStreamProtection {
        StalledStreamProtection {
            min_throughput,
            grace: Duration::from_millis(grace_ms),
        }
    }

    /// A body of `count` chunks of `size` bytes, one every `every`.
    fn trickle(count: usize, size: usize, every: Duration) -> ByteStream {
        let chunks = stream::iter(0..count).then(move |_| async move {
            tokio::time::sleep(every).await;
            Ok(Bytes::from(vec![b'x'; size]))
        });
        ByteStream::from_stream(chunks, None)
    }

    #[test]
    fn a_body_under_the_least_throughput_fails_saying_so_after_its_last_chunk() {
        crate::test_runtime::block_on(async {
            // 1 byte per 20 ms is 50 bytes/s, under 1000 bytes/s over 100 ms.
            let mut body = stall_protection(
                trickle(100, 1, Duration::from_millis(20)),
                protection(1000, 100),
            );
            let mut received = 0;
            let error = loop {
                match body.next().await.unwrap() {
                    Ok(chunk) => received += chunk.len(),
                    Err(error) => break error,
                }
            };
            assert!(
                (4..20).contains(&received),
                "{received} bytes before the stall"
            );
            assert_eq!(error.kind(), std::io::ErrorKind::TimedOut);
            assert!(error.to_string().contains("stalled"), "{error}");
            assert!(body.next().await.is_none(), "the body ends after the stall");
        });
    }

    #[test]
    fn a_silent_body_stalls_and_fast_or_slowly_read_bodies_do_not() {
        crate::test_runtime::block_on(async {
            let silent = ByteStream::from_stream(stream::pending(), None);
            let error = stall_protection(silent, protection(1, 50))
                .next()
                .await
                .unwrap()
                .unwrap_err();
            assert!(error.to_string().contains("0 bytes"), "{error}");
            // 1000 bytes per 10 ms is fast enough.
            let fast = stall_protection(
                trickle(20, 1000, Duration::from_millis(10)),
                protection(1000, 50),
            );
            assert_eq!(fast.collect().await.unwrap().len(), 20_000);
            // Everything is there at once; the reader takes 30 ms per chunk (longer than the
            // grace period in all): its own slowness is not a stall.
            let ready = stall_protection(trickle(5, 1, Duration::ZERO), protection(1_000_000, 20));
            let mut ready = Box::pin(ready);
            let mut count = 0;
            while let Some(chunk) = ready.next().await {
                chunk.unwrap();
                count += 1;
                tokio::time::sleep(Duration::from_millis(30)).await;
            }
            assert_eq!(count, 5);
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
