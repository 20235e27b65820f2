//! What the three drivers share: the command line, the measurements (latency, CPU time from
//! getrusage, peak RSS) and the JSON line they print.

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

/// Measures a run: wall time, CPU time and latencies the caller records.
pub struct Measure {
    started: Instant,
    cpu_before: Duration,
    latencies: Vec<Duration>,
}

impl Measure {
    /// Starts measuring.
    pub fn start() -> Self {
        Self {
            started: Instant::now(),
            cpu_before: cpu_time(),
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
            "{{\"client\":\"{client}\",\"scenario\":\"{scenario}\",\"units\":{units},\"wall_s\":{:.4},\"per_second\":{:.1},\"cpu_us_per_unit\":{cpu_us:.1},\"mean_us\":{mean:.1},\"p50_us\":{:.1},\"p99_us\":{:.1},\"peak_rss_kb\":{peak_rss_kb}}}",
            wall.as_secs_f64(),
            units as f64 / wall.as_secs_f64(),
            percentile(0.5),
            percentile(0.99),
        );
    }
}

/// How many requests are in flight in the `concurrent` scenario.
pub const IN_FLIGHT: usize = 64;
