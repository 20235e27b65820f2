//! The two ways a generated fluent builder sends: [`Async`] (`send().await`, the default) and
//! [`Blocking`] (`send()` blocks the calling thread), the mode being the builder's last type
//! parameter. A generated crate's `blocking::Client` makes builders in the blocking mode.

use std::future::Future;
use std::sync::Arc;

/// The default mode: `send()` is an `async fn`, run on the caller's Tokio runtime.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Async;

/// The blocking mode: `send()` runs the call to completion on a current-thread Tokio runtime
/// the client owns (timers and sockets enabled), blocking the calling thread. Any number of
/// threads may call at once (the runtime is driven by one of them at a time). It must not be
/// used from async code: blocking inside a runtime is refused by Tokio.
#[derive(Clone, Debug)]
pub struct Blocking {
    runtime: Arc<tokio::runtime::Runtime>,
}

impl Blocking {
    /// A runtime for blocking calls; fails only when the system refuses its I/O driver.
    pub fn new() -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .enable_io()
            .build()?;
        Ok(Self {
            runtime: Arc::new(runtime),
        })
    }

    /// Runs `future` to completion on the runtime, blocking this thread.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }
}

/// The items of a stream (a paginator's pages or items) in the blocking mode: each `next()`
/// blocks the calling thread until the next item is read. It ends where the stream ends.
pub struct BlockingIter<T, E> {
    stream: crate::paginator::BoxStream<T, E>,
    mode: Blocking,
}

impl<T, E> BlockingIter<T, E> {
    /// The items of `stream`, each awaited on `mode`'s runtime.
    pub fn new(stream: crate::paginator::BoxStream<T, E>, mode: Blocking) -> Self {
        Self { stream, mode }
    }
}

impl<T, E> Iterator for BlockingIter<T, E> {
    type Item = Result<T, E>;

    fn next(&mut self) -> Option<Self::Item> {
        use futures_util::StreamExt;
        self.mode.block_on(self.stream.next())
    }
}

impl<T, E> std::fmt::Debug for BlockingIter<T, E> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("BlockingIter")
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blocking_iterator_yields_the_stream_items_then_ends() {
        let stream = futures_util::stream::iter([Ok(1), Err("broken"), Ok(3)]);
        let items: Vec<Result<i32, &str>> =
            BlockingIter::new(Box::pin(stream), Blocking::new().unwrap()).collect();
        assert_eq!(items, [Ok(1), Err("broken"), Ok(3)]);
    }

    #[test]
    fn many_threads_block_on_one_runtime() {
        let blocking = Blocking::new().unwrap();
        std::thread::scope(|scope| {
            for index in 0..4u64 {
                let blocking = blocking.clone();
                scope.spawn(move || {
                    let slept = blocking.block_on(async move {
                        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                        index
                    });
                    assert_eq!(slept, index);
                });
            }
        });
    }
}
