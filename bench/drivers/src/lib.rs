//! What the three drivers share: the command line, the scenarios ([`run`] over a [`Driver`]),
//! the measurements (latency, CPU time from getrusage, heap allocations from [`Counting`], peak
//! RSS) and the JSON line they print.

use std::alloc::{GlobalAlloc, Layout, System};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The command line: `DRIVER SCENARIO ENDPOINT REQUESTS`.
pub struct Args {
    /// `create`, `get`, `concurrent`, `paginate`, `populate` or `populate-tagged`.
    pub scenario: String,
    /// The emulator's URL.
    pub endpoint: String,
    /// How many requests (rooms for `populate`, passes for `paginate`).
    pub requests: usize,
}

impl Args {
    /// Reads `SCENARIO ENDPOINT REQUESTS`.
    pub fn parse() -> Self {
        let arguments: Vec<String> = std::env::args().skip(1).collect();
        let [scenario, endpoint, requests] = arguments.as_slice() else {
            panic!("usage: DRIVER SCENARIO ENDPOINT REQUESTS");
        };
        Self {
            scenario: scenario.clone(),
            endpoint: endpoint.clone(),
            requests: requests.parse().expect("REQUESTS is a number"),
        }
    }
}

/// The access key of the emulator (its default).
pub const ACCESS_KEY_ID: &str = "AKIDIVSCHATLOCAL";
/// Its secret.
pub const SECRET_ACCESS_KEY: &str = "ivschat-local-secret";
/// Its region.
pub const REGION: &str = "us-west-2";

fn cpu_time() -> Duration {
    // SAFETY: getrusage writes into the struct we pass and reads nothing else.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let time = |value: libc::timeval| {
        Duration::from_secs(value.tv_sec as u64) + Duration::from_micros(value.tv_usec as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// The peak resident set of this program, in KB: `VmHWM` of `/proc/self/status`.
///
/// Not getrusage's `ru_maxrss`: that survives `execve`, so a driver spawned by a larger
/// process (the xtask) reports its parent's peak whenever its own is smaller.
fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/self/status")
}

/// Heap allocations (and reallocations) made by this process so far.
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

/// The system allocator, counting allocations: a driver makes it its `#[global_allocator]`
/// so the JSON line can say how many allocations a request or a page costs.
pub struct Counting;

// SAFETY: every call is passed unchanged to the system allocator; the counter is a relaxed
// atomic that allocates nothing.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract is System's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Measures a run: wall time, CPU time, allocations and latencies the caller records.
pub struct Measure {
    started: Instant,
    cpu_before: Duration,
    allocations_before: u64,
    latencies: Vec<Duration>,
}

impl Measure {
    /// Starts measuring.
    pub fn start() -> Self {
        Self {
            started: Instant::now(),
            cpu_before: cpu_time(),
            allocations_before: ALLOCATIONS.load(Ordering::Relaxed),
            latencies: Vec::new(),
        }
    }

    /// Records one request's latency.
    pub fn record(&mut self, latency: Duration) {
        self.latencies.push(latency);
    }

    /// Prints the JSON line of this run: `units` done (requests or pages).
    pub fn report(mut self, client: &str, scenario: &str, units: usize) {
        let wall = self.started.elapsed();
        let (cpu_after, peak_rss_kb) = (cpu_time(), peak_rss_kb());
        let cpu_us = (cpu_after - self.cpu_before).as_secs_f64() * 1e6 / units.max(1) as f64;
        let allocations = (ALLOCATIONS.load(Ordering::Relaxed) - self.allocations_before) as f64
            / units.max(1) as f64;
        self.latencies.sort();
        let percentile = |p: f64| {
            self.latencies
                .get(((self.latencies.len() as f64 - 1.0) * p).round() as usize)
                .map_or(0.0, |latency| latency.as_secs_f64() * 1e6)
        };
        let mean = if self.latencies.is_empty() {
            0.0
        } else {
            self.latencies
                .iter()
                .map(Duration::as_secs_f64)
                .sum::<f64>()
                * 1e6
                / self.latencies.len() as f64
        };
        println!(
            "{{\"client\":\"{client}\",\"scenario\":\"{scenario}\",\"units\":{units},\"wall_s\":{:.4},\"per_second\":{:.1},\"cpu_us_per_unit\":{cpu_us:.1},\"allocations_per_unit\":{allocations:.1},\"mean_us\":{mean:.1},\"p50_us\":{:.1},\"p99_us\":{:.1},\"peak_rss_kb\":{peak_rss_kb}}}",
            wall.as_secs_f64(),
            units as f64 / wall.as_secs_f64(),
            percentile(0.5),
            percentile(0.99),
        );
    }
}

/// How many requests are in flight in the `concurrent` scenario.
pub const IN_FLIGHT: usize = 64;

/// One client under test, as the scenarios of [`run`] use it.
pub trait Driver: Sized + Send + 'static {
    /// The client's name in the JSON line.
    const NAME: &'static str;

    /// Creates a room named `name`.
    fn create_room(&mut self, name: &str) -> impl Future<Output = ()> + Send;

    /// Creates the room that [`Driver::get_room`] reads from now on.
    fn use_new_room(&mut self) -> impl Future<Output = ()> + Send;

    /// Reads the room of [`Driver::use_new_room`].
    fn get_room(&mut self) -> impl Future<Output = ()> + Send;

    /// Lists every room in pages of 50; returns how many pages it read.
    fn list_rooms(&mut self) -> impl Future<Output = usize> + Send;

    /// A driver for another task, reading the same room (with a connection of its own where
    /// the client does not pool them: opening it is part of the measured run, as a pool's
    /// growth is).
    fn for_task(&self) -> impl Future<Output = Self> + Send + 'static;
}

/// Runs `args.scenario` with `driver` and prints its JSON line (`populate` prints none).
pub async fn run<D: Driver>(mut driver: D, args: &Args) {
    let requests = args.requests;
    match args.scenario.as_str() {
        "populate" => {
            for index in 0..requests {
                driver.create_room(&format!("bench-{index}")).await;
            }
        }
        "create" => {
            let mut measure = Measure::start();
            for _ in 0..requests {
                let started = Instant::now();
                driver.create_room("bench").await;
                measure.record(started.elapsed());
            }
            measure.report(D::NAME, "create", requests);
        }
        "get" => {
            driver.use_new_room().await;
            for _ in 0..20 {
                driver.get_room().await;
            }
            let mut measure = Measure::start();
            for _ in 0..requests {
                let started = Instant::now();
                driver.get_room().await;
                measure.record(started.elapsed());
            }
            measure.report(D::NAME, "get", requests);
        }
        "concurrent" => {
            driver.use_new_room().await;
            concurrent(&driver, requests / IN_FLIGHT).await;
        }
        "paginate" => {
            let measure = Measure::start();
            let mut pages = 0;
            for _ in 0..requests {
                pages += driver.list_rooms().await;
            }
            measure.report(D::NAME, "paginate", pages);
        }
        other => panic!("unknown scenario {other}"),
    }
}

/// [`IN_FLIGHT`] tasks reading the room `share` times each.
async fn concurrent<D: Driver>(driver: &D, share: usize) {
    let measure = Measure::start();
    let tasks: Vec<_> = (0..IN_FLIGHT)
        .map(|_| {
            let driver = driver.for_task();
            tokio::spawn(async move {
                let mut driver = driver.await;
                for _ in 0..share {
                    driver.get_room().await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("a task");
    }
    measure.report(D::NAME, "concurrent", share * IN_FLIGHT);
}
