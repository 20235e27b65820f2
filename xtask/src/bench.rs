//! `cargo xtask bench`: ours, aws-sdk-ivschat and a plain-hyper floor against the same
//! emulator, interleaved with warm-up and repetitions, plus the build figures of a minimal
//! program per client and the big-model build row ([`crate::big_model`]); writes
//! `BENCHMARKS.md` and README.md's paragraph of figures made from it.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use crate::atomic;

/// Repetitions of every measured run (after one warm-up run); each repetition starts with the
/// next client in turn, so no client always runs first or last.
const REPETITIONS: usize = 5;
/// The widest spread (largest over smallest of the repetitions' ratios) at which a ratio is
/// reported as a figure; a wider one is reported as unresolved.
const RESOLVED_SPREAD: f64 = 1.5;
/// The rooms an emulator pair holds for a scenario.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rooms {
    /// The rooms the scenarios themselves create.
    Own,
    /// 1,000 rooms without tags: 20 pages of 50.
    Thousand,
    /// 50 rooms with 50 tags of the longest key and value each: one page of about 1 MB.
    Tagged,
}

/// One measured scenario: its name in the results, the driver's scenario, its size (requests
/// or passes) and the rooms it runs against.
struct Scenario {
    name: &'static str,
    driver: &'static str,
    size: usize,
    rooms: Rooms,
}

const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "create",
        driver: "create",
        size: 300,
        rooms: Rooms::Own,
    },
    Scenario {
        name: "get",
        driver: "get",
        size: 2000,
        rooms: Rooms::Own,
    },
    Scenario {
        name: "concurrent",
        driver: "concurrent",
        size: 6400,
        rooms: Rooms::Own,
    },
    Scenario {
        name: "paginate",
        driver: "paginate",
        size: 5,
        rooms: Rooms::Thousand,
    },
    Scenario {
        name: "large-page",
        driver: "paginate",
        size: 100,
        rooms: Rooms::Tagged,
    },
];
/// The clients; repetition `r` runs them starting with the one at `r` (rotated).
const CLIENTS: &[&str] = &["ours", "aws", "floor"];

/// The clients in the order repetition `repetition` runs them.
fn rotated(repetition: usize) -> impl Iterator<Item = &'static str> {
    (0..CLIENTS.len()).map(move |index| CLIENTS[(index + repetition) % CLIENTS.len()])
}

/// A running emulator process, stopped on drop.
struct EmulatorProcess {
    child: Child,
    url: String,
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

use crate::scratch::{cargo_command as cargo, run};

fn start_emulator(binary: &Path, anonymous: bool) -> Result<EmulatorProcess, String> {
    let mut command = Command::new(binary);
    command
        .args(["--port", "0", "--room-quota", "1000000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if anonymous {
        command.arg("--anonymous");
    }
    let mut child = command
        .spawn()
        .map_err(|error| format!("cannot start the emulator: {error}"))?;
    let stdout = child.stdout.take().ok_or("the emulator has no stdout")?;
    let mut reader = BufReader::new(stdout);
    let mut first = String::new();
    reader
        .read_line(&mut first)
        .map_err(|error| format!("cannot read the emulator's address: {error}"))?;
    // Keep reading what the emulator prints, so it never writes to a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
    let url = first
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .ok_or_else(|| format!("the emulator said `{first}`, not its address"))?
        .to_owned();
    Ok(EmulatorProcess { child, url })
}

/// The JSON lines of the drivers, grouped by scenario and client, in repetition order.
type Results = BTreeMap<(String, String), Vec<serde_json::Value>>;

/// A pair of emulators: one that checks signatures (for the SDKs) and an anonymous one (for
/// the floor), holding the same rooms.
type Pair = (EmulatorProcess, EmulatorProcess);

/// Runs everything and writes `BENCHMARKS.md`.
pub fn run_all(root: &Path) -> Result<PathBuf, String> {
    let bench = root.join("bench");
    build_binaries(root, &bench)?;
    let emulator = root.join("target/release/ivschat-local");
    let drivers = bench.join("target/release");
    // One pair of emulators for each set of rooms, so the rooms that CreateRoom adds do not
    // change what pagination sees.
    let pair = || -> Result<Pair, String> {
        Ok((
            start_emulator(&emulator, false)?,
            start_emulator(&emulator, true)?,
        ))
    };
    let (main, paging, tagged) = (pair()?, pair()?, pair()?);
    for (pair, populate, rooms) in [
        (&paging, "populate", "1000"),
        (&tagged, "populate-tagged", "50"),
    ] {
        for url in [&pair.0.url, &pair.1.url] {
            run(
                Command::new(drivers.join("ours")).args([populate, url, rooms]),
                "populating",
            )?;
        }
    }
    let mut results = Results::new();
    for scenario in SCENARIOS {
        let pair = match scenario.rooms {
            Rooms::Own => &main,
            Rooms::Thousand => &paging,
            Rooms::Tagged => &tagged,
        };
        measure_scenario(&drivers, scenario, pair, &mut results)?;
    }
    let builds = minimal_builds(&bench)?;
    let big_model = crate::big_model::measure(root)?;
    let report = report(&results, &builds) + &crate::big_model::section(&big_model);
    let path = root.join("BENCHMARKS.md");
    atomic::write(&path, report.as_bytes())?;
    let readme_path = root.join("README.md");
    let readme = std::fs::read_to_string(&readme_path)
        .map_err(|error| format!("cannot read {}: {error}", readme_path.display()))?;
    let readme = crate::bench_readme::with_paragraph(&readme, &report)?;
    atomic::write(&readme_path, readme.as_bytes())?;
    Ok(path)
}

/// Builds the emulator and, one build each, the drivers: Cargo unifies features across the
/// packages of one build, which would put the AWS SDK's (HTTP/2, its TLS backend) into our
/// binary and the floor's.
fn build_binaries(root: &Path, bench: &Path) -> Result<(), String> {
    run(
        cargo()
            .args(["build", "--release", "-q", "-p", "ivschat-local"])
            .current_dir(root),
        "building the emulator",
    )?;
    for driver in ["driver-ours", "driver-aws", "driver-floor"] {
        run(
            cargo()
                .args(["build", "--release", "-q", "-p", driver])
                .current_dir(bench),
            &format!("building {driver}"),
        )?;
    }
    Ok(())
}

/// Runs `scenario` with every client against `pair`, a warm-up and [`REPETITIONS`] measured
/// runs, adding the measured JSON lines to `results`.
fn measure_scenario(
    drivers: &Path,
    scenario: &Scenario,
    pair: &Pair,
    results: &mut Results,
) -> Result<(), String> {
    for repetition in 0..=REPETITIONS {
        for client in rotated(repetition) {
            let url = if client == "floor" {
                &pair.1.url
            } else {
                &pair.0.url
            };
            let line = run(
                Command::new(drivers.join(client)).args([
                    scenario.driver,
                    url.as_str(),
                    &scenario.size.to_string(),
                ]),
                client,
            )?;
            if repetition > 0 {
                let value: serde_json::Value = serde_json::from_str(line.trim())
                    .map_err(|error| format!("{client}: {error}"))?;
                results
                    .entry((scenario.name.to_owned(), client.to_string()))
                    .or_default()
                    .push(value);
            }
        }
    }
    Ok(())
}

/// Build time, crates and stripped size of each minimal program, each built in a fresh target
/// dir with two jobs.
fn minimal_builds(bench: &Path) -> Result<Vec<(String, f64, usize, u64)>, String> {
    let mut builds = Vec::new();
    for package in [
        "minimal-ours",
        "minimal-aws-default",
        "minimal-aws-lean",
        "minimal-floor",
    ] {
        let target = std::env::temp_dir().join(format!("ivschat-bench-{package}"));
        let _ = std::fs::remove_dir_all(&target);
        let started = Instant::now();
        run(
            cargo()
                .args(["build", "--release", "-q", "-j", "2", "-p", package])
                .env("CARGO_TARGET_DIR", &target)
                .current_dir(bench),
            package,
        )?;
        let seconds = started.elapsed().as_secs_f64();
        let tree = run(
            cargo()
                .args(["tree", "-p", package, "-e", "normal", "--prefix", "none"])
                .current_dir(bench),
            "cargo tree",
        )?;
        let crates = tree
            .lines()
            .map(|line| line.trim_end_matches(" (*)"))
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let size = std::fs::metadata(target.join("release").join(package))
            .map(|meta| meta.len())
            .unwrap_or(0);
        let _ = std::fs::remove_dir_all(&target);
        builds.push((package.to_owned(), seconds, crates, size));
    }
    Ok(builds)
}

fn median_min_max(values: &mut [f64]) -> (f64, f64, f64) {
    values.sort_by(f64::total_cmp);
    (
        values[values.len() / 2],
        values[0],
        values[values.len() - 1],
    )
}

/// A client's values of `key` in a scenario, one per repetition.
fn values(results: &Results, scenario: &str, client: &str, key: &str) -> Vec<f64> {
    results
        .get(&(scenario.to_owned(), client.to_owned()))
        .into_iter()
        .flatten()
        .filter_map(|line| line[key].as_f64())
        .collect()
}

fn figure(results: &Results, scenario: &str, client: &str, key: &str) -> Option<(f64, f64, f64)> {
    let mut values = values(results, scenario, client, key);
    (!values.is_empty()).then(|| median_min_max(&mut values))
}

/// Ours over `other`, repetition by repetition (the two ran back to back), as the median
/// with its range; `unresolved` with the range when the ratios spread wider than
/// [`RESOLVED_SPREAD`].
fn ratio_cell(ours: &[f64], other: &[f64]) -> String {
    let mut ratios: Vec<f64> = ours
        .iter()
        .zip(other)
        .filter(|(_, other)| **other > 0.0)
        .map(|(ours, other)| ours / other)
        .collect();
    if ratios.is_empty() {
        return "-".to_owned();
    }
    let (median, min, max) = median_min_max(&mut ratios);
    if min <= 0.0 || max / min > RESOLVED_SPREAD {
        return format!("unresolved ({min:.2}-{max:.2}x)");
    }
    format!("{median:.2}x ({min:.2}-{max:.2})")
}

/// The rows of the runtime table: scenario, key of the drivers' JSON line, label.
const ROWS: &[(&str, &str, &str)] = &[
    ("create", "mean_us", "CreateRoom latency, mean (us)"),
    (
        "create",
        "cpu_us_per_unit",
        "CreateRoom client CPU per request (us)",
    ),
    (
        "create",
        "allocations_per_unit",
        "CreateRoom heap allocations per request",
    ),
    ("get", "mean_us", "GetRoom latency, mean (us)"),
    ("get", "p50_us", "GetRoom latency, p50 (us)"),
    ("get", "p99_us", "GetRoom latency, p99 (us)"),
    (
        "get",
        "cpu_us_per_unit",
        "GetRoom client CPU per request (us)",
    ),
    (
        "get",
        "allocations_per_unit",
        "GetRoom heap allocations per request",
    ),
    (
        "concurrent",
        "per_second",
        "GetRoom, 64 in flight (requests/s)",
    ),
    (
        "paginate",
        "per_second",
        "ListRooms over 1,000 rooms (pages/s)",
    ),
    (
        "paginate",
        "cpu_us_per_unit",
        "ListRooms client CPU per page of 50 rooms (us)",
    ),
    (
        "paginate",
        "allocations_per_unit",
        "ListRooms heap allocations per page of 50 rooms",
    ),
    (
        "large-page",
        "cpu_us_per_unit",
        "ListRooms client CPU per 1 MB page (50 rooms, 50 tags each) (us)",
    ),
    (
        "large-page",
        "per_second",
        "ListRooms, 1 MB pages (pages/s)",
    ),
    ("get", "peak_rss_kb", "peak RSS after GetRoom run (KB)"),
];

/// `BENCHMARKS.md` but for the big-model section: how it was measured, the runtime table and
/// the minimal programs' builds.
fn report(results: &Results, builds: &[(String, f64, usize, u64)]) -> String {
    let mut out = String::from("# Benchmarks\n\nWritten by `cargo xtask bench`. Each client talks to `ivschat-local` (release build) on loopback; the two SDKs to an emulator that checks signatures. The floor is plain hyper sending the same method, path and JSON body with none of the SDK's work (no signature, no retries, no typed output) to an emulator in anonymous mode, which skips signature checks: it bounds what any client could cost, it does not do the same job. Every run is repeated ");
    out.push_str(&format!("{REPETITIONS} times after a warm-up run, each repetition starting with the next client in turn; figures are medians with min-max over the repetitions. A ratio is the median of the repetitions' own ratios (ours and the other client ran back to back) with their range, and is reported only when the largest is at most {RESOLVED_SPREAD}x the smallest: otherwise it says `unresolved` and gives the range. Heap allocations are counted by each driver's global allocator (allocations and reallocations, every thread of the process).\n\n"));
    out.push_str(&format!(
        "Machine: {} cores, {}.\n\n",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0),
        std::env::consts::OS
    ));
    out.push_str(&runtime_table(results));
    out.push_str(&builds_table(builds));
    out
}

/// The runtime figures of the three clients, with ours' ratios to the other two.
fn runtime_table(results: &Results) -> String {
    let mut out = String::from("| figure | ours | aws-sdk-ivschat | floor | ours/aws | ours/floor |\n|---|---|---|---|---|---|\n");
    for (scenario, key, label) in ROWS {
        let cell = |client| {
            figure(results, scenario, client, key)
                .map(|(median, min, max)| format!("{median:.1} ({min:.1}-{max:.1})"))
                .unwrap_or_else(|| "-".to_owned())
        };
        let ratio = |other| {
            ratio_cell(
                &values(results, scenario, "ours", key),
                &values(results, scenario, other, key),
            )
        };
        out.push_str(&format!(
            "| {label} | {} | {} | {} | {} | {} |\n",
            cell("ours"),
            cell("aws"),
            cell("floor"),
            ratio("aws"),
            ratio("floor")
        ));
    }
    out
}

/// The minimal programs' clean builds, crate counts and binary sizes.
fn builds_table(builds: &[(String, f64, usize, u64)]) -> String {
    let mut out = String::from("\n## Minimal program: a client from configuration, one GetRoom\n\nBuilt alone in a fresh target dir with `cargo build --release -j 2`, once each (a clean build varies by 10-20% between runs here); binaries stripped.\n\n| program | clean build (s) | crates (`cargo tree -e normal`) | binary (MB) |\n|---|---|---|---|\n");
    for (package, seconds, crates, size) in builds {
        out.push_str(&format!(
            "| {package} | {seconds:.1} | {crates} | {:.2} |\n",
            *size as f64 / 1e6
        ));
    }
    out.push_str("\n`minimal-aws-lean` turns the SDK's default features off (`rt-tokio` and `default-https-client` only). `minimal-floor` is tokio, hyper, rustls (ring, webpki roots), serde_json, hmac/sha2 and tracing making one HTTPS call.\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_client_leads_a_repetition_in_turn() {
        let orders: Vec<Vec<&str>> = (0..3).map(|r| rotated(r).collect()).collect();
        assert_eq!(orders[0], ["ours", "aws", "floor"]);
        assert_eq!(orders[1], ["aws", "floor", "ours"]);
        assert_eq!(orders[2], ["floor", "ours", "aws"]);
    }

    #[test]
    fn ratios_are_paired_by_repetition_and_reported_only_when_they_agree() {
        assert_eq!(
            ratio_cell(&[40.0, 44.0, 42.0], &[100.0, 100.0, 100.0]),
            "0.42x (0.40-0.44)"
        );
        assert_eq!(
            ratio_cell(&[20.0, 40.0, 60.0], &[100.0, 100.0, 100.0]),
            "unresolved (0.20-0.60x)"
        );
        assert_eq!(ratio_cell(&[], &[]), "-");
    }
}
