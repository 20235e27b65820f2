//! For unit tests: running a future on a Tokio runtime of its own (file and timer work needs
//! one).

/// Runs `future` to completion on a new current-thread runtime.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a current-thread runtime")
        .block_on(future)
}
