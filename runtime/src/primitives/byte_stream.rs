//! Streaming binary data (a `@streaming` blob): a request body taken from memory, a file or any
//! stream, and a response body read as it arrives, never buffered unless asked.

use std::fmt;
use std::io;
use std::path::Path;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_util::stream::{Stream, StreamExt};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// Chunks of a stream, or the I/O failure that ended it (`Sync` too, so that values holding a
/// body can be shared between threads).
type Chunks = Pin<Box<dyn Stream<Item = io::Result<Bytes>> + Send + Sync>>;

/// How much of a file or reader is read at a time.
const CHUNK: usize = 64 * 1024;

/// A body of bytes that need not be in memory: from bytes, a file (read again from the start
/// when a request is retried) or any stream (read once); a response body as it arrives.
///
/// Read it chunk by chunk with [`next`](Self::next) (it is also a [`Stream`]), all at once with
/// [`collect`](Self::collect), or into a writer with [`write_to`](Self::write_to).
pub struct ByteStream {
    state: State,
}

enum State {
    /// Unread, all in memory.
    Memory(Bytes),
    /// Unread: this many bytes of a file, opened when reading starts.
    File { path: Arc<Path>, length: u64 },
    /// Unread: a stream that can be read once; clones share it and the first to read takes it.
    Once {
        chunks: Arc<Mutex<Option<Chunks>>>,
        length: Option<u64>,
    },
    /// Being read.
    Reading(Chunks),
    /// Read to the end.
    Done,
}

impl ByteStream {
    /// A body of these bytes.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        Self {
            state: State::Memory(bytes.into()),
        }
    }

    /// A body read from the file at `path` (its current length), opened again for every read
    /// so that retries resend it whole. The error names the path.
    pub async fn from_path(path: impl AsRef<Path>) -> io::Result<Self> {
        let path = path.as_ref();
        let metadata = tokio::fs::metadata(path)
            .await
            .map_err(|error| named(error, &path.display()))?;
        if !metadata.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} is not a file", path.display()),
            ));
        }
        Ok(Self {
            state: State::File {
                path: Arc::from(path),
                length: metadata.len(),
            },
        })
    }

    /// A body read once from `stream`; `length`, when known, is sent as its `Content-Length`
    /// (otherwise the body goes chunked). A request with such a body is not retried, and is
    /// buffered in memory when its signature must cover the payload.
    pub fn from_stream<S>(stream: S, length: Option<u64>) -> Self
    where
        S: Stream<Item = io::Result<Bytes>> + Send + Sync + 'static,
    {
        Self {
            state: State::Once {
                chunks: Arc::new(Mutex::new(Some(Box::pin(stream)))),
                length,
            },
        }
    }

    /// A body read once from an async reader, such as a socket or a child's output.
    pub fn from_reader<R>(reader: R, length: Option<u64>) -> Self
    where
        R: AsyncRead + Send + Sync + Unpin + 'static,
    {
        let chunks = read_chunks(async { Ok(reader) }, length, "the body's reader".to_owned());
        Self::from_stream(chunks, length)
    }

    /// The length in bytes when known before reading.
    pub fn length(&self) -> Option<u64> {
        match &self.state {
            State::Memory(bytes) => Some(bytes.len() as u64),
            State::File { length, .. } => Some(*length),
            State::Once { length, .. } => *length,
            State::Reading(_) | State::Done => None,
        }
    }

    /// The bytes, when the body is unread and in memory.
    pub fn in_memory(&self) -> Option<&Bytes> {
        match &self.state {
            State::Memory(bytes) => Some(bytes),
            _ => None,
        }
    }

    /// True when a clone reads the same bytes again from the start (bytes in memory, a file).
    pub fn is_replayable(&self) -> bool {
        matches!(self.state, State::Memory(_) | State::File { .. })
    }

    /// The next chunk; `None` at the end.
    pub async fn next(&mut self) -> Option<io::Result<Bytes>> {
        StreamExt::next(self).await
    }

    /// Reads the rest of the body into memory (without copying a body already in memory).
    pub async fn collect(mut self) -> io::Result<Bytes> {
        if let State::Memory(bytes) = &mut self.state {
            return Ok(std::mem::take(bytes));
        }
        // One chunk is returned as it is; more are joined.
        let Some(first) = self.next().await.transpose()? else {
            return Ok(Bytes::new());
        };
        let Some(second) = self.next().await.transpose()? else {
            return Ok(first);
        };
        let mut joined = BytesMut::from(first);
        joined.extend_from_slice(&second);
        while let Some(chunk) = self.next().await {
            joined.extend_from_slice(&chunk?);
        }
        Ok(joined.freeze())
    }

    /// Writes the rest of the body to `writer` as it arrives and flushes it; returns how many
    /// bytes were written.
    pub async fn write_to<W: AsyncWrite + Unpin>(mut self, writer: &mut W) -> io::Result<u64> {
        let mut written = 0;
        while let Some(chunk) = self.next().await {
            let chunk = chunk?;
            writer.write_all(&chunk).await?;
            written += chunk.len() as u64;
        }
        writer.flush().await?;
        Ok(written)
    }

    /// Writes the rest of the body to a new file at `path` (replacing one that is there);
    /// returns how many bytes were written. Errors name the path.
    pub async fn write_to_path(self, path: impl AsRef<Path>) -> io::Result<u64> {
        let path = path.as_ref();
        let mut file = tokio::fs::File::create(path)
            .await
            .map_err(|error| named(error, &path.display()))?;
        self.write_to(&mut file)
            .await
            .map_err(|error| named(error, &path.display()))
    }
}

impl Stream for ByteStream {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            let state = &mut self.state;
            match state {
                State::Memory(bytes) => {
                    let bytes = std::mem::take(bytes);
                    *state = State::Done;
                    return Poll::Ready((!bytes.is_empty()).then_some(Ok(bytes)));
                }
                State::File { path, length } => {
                    let (opened, what) = (path.clone(), path.display().to_string());
                    let open = async move { tokio::fs::File::open(&opened).await };
                    *state = State::Reading(read_chunks(open, Some(*length), what));
                }
                State::Once { chunks, .. } => {
                    let taken = chunks
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                        .take();
                    let Some(taken) = taken else {
                        *state = State::Done;
                        return Poll::Ready(Some(Err(io::Error::other(
                            "this body was already read: a body made from a stream or a reader can be read once",
                        ))));
                    };
                    *state = State::Reading(taken);
                }
                State::Reading(chunks) => {
                    let next = std::task::ready!(chunks.poll_next_unpin(cx));
                    if next.is_none() {
                        *state = State::Done;
                    }
                    return Poll::Ready(next);
                }
                State::Done => return Poll::Ready(None),
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.state {
            State::Memory(bytes) if bytes.is_empty() => (0, Some(0)),
            State::Memory(_) => (1, Some(1)),
            State::Done => (0, Some(0)),
            _ => (0, None),
        }
    }
}

/// The chunks of the reader that `open` makes, read [`CHUNK`] bytes at a time. With a
/// `length`, a reader that ends before it or holds more is an error naming `what`.
fn read_chunks<R, F>(open: F, length: Option<u64>, what: String) -> Chunks
where
    R: AsyncRead + Send + Sync + Unpin + 'static,
    F: std::future::Future<Output = io::Result<R>> + Send + Sync + 'static,
{
    enum Reader<R, F> {
        Closed(F),
        Open(tokio::io::Take<R>),
        Finished,
    }
    let limit = length.unwrap_or(u64::MAX);
    let chunks = futures_util::stream::unfold(Reader::Closed(open), move |reader| {
        let what = what.clone();
        async move {
            let mut reader = match reader {
                Reader::Closed(open) => match open.await {
                    Ok(opened) => opened.take(limit),
                    Err(error) => return Some((Err(named(error, &what)), Reader::Finished)),
                },
                Reader::Open(reader) => reader,
                Reader::Finished => return None,
            };
            let mut buffer = BytesMut::with_capacity(CHUNK);
            match reader.read_buf(&mut buffer).await {
                Ok(0) if length.is_some() && reader.limit() > 0 => {
                    let read = limit - reader.limit();
                    let message = format!("{what} ended after {read} of its {limit} bytes");
                    Some((
                        Err(io::Error::new(io::ErrorKind::UnexpectedEof, message)),
                        Reader::Finished,
                    ))
                }
                // At the declared length, a reader with more to give is an error too.
                Ok(0) if length.is_some() => match reader.get_mut().read(&mut [0]).await {
                    Ok(0) => None,
                    Ok(_) => {
                        let message = format!("{what} holds more than its {limit} bytes");
                        Some((
                            Err(io::Error::new(io::ErrorKind::InvalidData, message)),
                            Reader::Finished,
                        ))
                    }
                    Err(error) => Some((Err(named(error, &what)), Reader::Finished)),
                },
                Ok(0) => None,
                Ok(_) => Some((Ok(buffer.freeze()), Reader::Open(reader))),
                Err(error) => Some((Err(named(error, &what)), Reader::Finished)),
            }
        }
    });
    Box::pin(chunks)
}

/// The I/O error with what it is about (a path, a reader).
fn named(error: io::Error, what: &dyn fmt::Display) -> io::Error {
    io::Error::new(error.kind(), format!("{what}: {error}"))
}

impl Clone for ByteStream {
    /// A body with the same bytes for bodies in memory and files; a shared handle for a body
    /// read once (whichever reads first gets the bytes); a body that fails, saying so, when
    /// this one is being read or has been read.
    fn clone(&self) -> Self {
        let state = match &self.state {
            State::Memory(bytes) => State::Memory(bytes.clone()),
            State::File { path, length } => State::File {
                path: path.clone(),
                length: *length,
            },
            State::Once { chunks, length } => State::Once {
                chunks: chunks.clone(),
                length: *length,
            },
            State::Reading(_) | State::Done => State::Once {
                chunks: Arc::new(Mutex::new(None)),
                length: None,
            },
        };
        Self { state }
    }
}

impl PartialEq for ByteStream {
    /// Unread bodies in memory with the same bytes, the same file, or clones of the same
    /// stream; never bodies that are being read.
    fn eq(&self, other: &Self) -> bool {
        match (&self.state, &other.state) {
            (State::Memory(left), State::Memory(right)) => left == right,
            (
                State::File { path, length },
                State::File {
                    path: other_path,
                    length: other_length,
                },
            ) => path == other_path && length == other_length,
            (State::Once { chunks, .. }, State::Once { chunks: other, .. }) => {
                Arc::ptr_eq(chunks, other)
            }
            _ => false,
        }
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.state {
            State::Memory(bytes) => write!(f, "ByteStream(memory, {} bytes)", bytes.len()),
            State::File { path, length } => {
                write!(f, "ByteStream(file {}, {length} bytes)", path.display())
            }
            State::Once { length, .. } => match length {
                Some(length) => write!(f, "ByteStream(stream, {length} bytes)"),
                None => write!(f, "ByteStream(stream)"),
            },
            State::Reading(_) => write!(f, "ByteStream(being read)"),
            State::Done => write!(f, "ByteStream(read)"),
        }
    }
}

impl Default for ByteStream {
    /// An empty body.
    fn default() -> Self {
        Self::new(Bytes::new())
    }
}

impl From<Bytes> for ByteStream {
    fn from(bytes: Bytes) -> Self {
        Self::new(bytes)
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> Self {
        Self::new(bytes)
    }
}

impl From<String> for ByteStream {
    fn from(text: String) -> Self {
        Self::new(text)
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(bytes: &'static [u8]) -> Self {
        Self::new(Bytes::from_static(bytes))
    }
}

impl From<&'static str> for ByteStream {
    fn from(text: &'static str) -> Self {
        Self::new(Bytes::from_static(text.as_bytes()))
    }
}

impl From<crate::Blob> for ByteStream {
    fn from(blob: crate::Blob) -> Self {
        Self::new(blob.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_runtime::block_on;

    #[test]
    fn chunks_are_joined_and_one_chunk_is_returned_as_it_is() {
        let chunks = ["ab", "c", "de"].map(|text| Ok(Bytes::from_static(text.as_bytes())));
        let body = ByteStream::from_stream(futures_util::stream::iter(chunks), None);
        assert_eq!(block_on(body.collect()).unwrap().as_ref(), b"abcde");
        let one = ByteStream::from_stream(
            futures_util::stream::iter([Ok(Bytes::from_static(b"x"))]),
            None,
        );
        assert_eq!(block_on(one.collect()).unwrap().as_ref(), b"x");
        assert!(block_on(ByteStream::default().collect())
            .unwrap()
            .is_empty());
    }

    #[test]
    fn a_reader_must_hold_its_declared_length() {
        let short = ByteStream::from_reader(io::Cursor::new(b"abc".to_vec()), Some(4));
        let error = block_on(short.collect()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the body's reader ended after 3 of its 4 bytes"
        );
        let long = ByteStream::from_reader(io::Cursor::new(b"abcde".to_vec()), Some(4));
        let error = block_on(long.collect()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the body's reader holds more than its 4 bytes"
        );
        let exact = ByteStream::from_reader(io::Cursor::new(b"abcd".to_vec()), Some(4));
        assert_eq!(block_on(exact.collect()).unwrap().as_ref(), b"abcd");
    }

    #[test]
    fn clones_equality_and_debug_follow_the_source() {
        let memory = ByteStream::from("bytes");
        assert_eq!(memory.clone(), memory);
        assert!(memory.is_replayable());
        assert_eq!(format!("{memory:?}"), "ByteStream(memory, 5 bytes)");
        let once = ByteStream::from_reader(io::Cursor::new(Vec::new()), Some(0));
        assert_eq!(once.clone(), once, "clones share the stream");
        assert!(!once.is_replayable());
        assert_ne!(
            once,
            ByteStream::from_reader(io::Cursor::new(Vec::new()), Some(0))
        );
        let mut reading = ByteStream::from("x");
        assert!(block_on(reading.next()).is_some());
        let error = block_on(reading.clone().collect()).unwrap_err();
        assert!(error.to_string().contains("already read"), "{error}");
    }
}
