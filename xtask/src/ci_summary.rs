//! The closing lines of a CI run, read from its log: each cargo test counted once (a test that
//! a later step runs again, to print its suite's counts, is still one test), and the xtask's
//! own checks beside them: protocol cases, endpoint tests of generated crates, model and
//! fixture crates. The last line is the plain `tests: N passed, N failed`.

use std::collections::BTreeMap;

/// How a test ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Passed,
    Ignored,
    Failed,
}

/// Passed and failed counts of one kind of check.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Count {
    /// Passed.
    pub passed: usize,
    /// Failed.
    pub failed: usize,
}

/// What a CI log says.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Cargo tests, each once.
    pub cargo: Count,
    /// Cargo tests ignored.
    pub ignored: usize,
    /// Results of tests run again, not counted again.
    pub reruns: usize,
    /// Protocol-test cases (listed failing cases are neither).
    pub protocol: Count,
    /// Protocol-test cases listed as failing, with their reasons.
    pub protocol_listed: usize,
    /// Endpoint tests of generated crates.
    pub endpoints: Count,
    /// Generated model crates checked.
    pub models: Count,
    /// Fixture crates checked.
    pub fixtures: usize,
}

impl Summary {
    /// Every check counted: cargo tests, protocol cases, endpoint tests, model and fixture
    /// crates.
    pub fn total(&self) -> Count {
        let parts = [&self.cargo, &self.protocol, &self.endpoints, &self.models];
        Count {
            passed: parts.iter().map(|count| count.passed).sum::<usize>() + self.fixtures,
            failed: parts.iter().map(|count| count.failed).sum(),
        }
    }

    /// The closing lines.
    pub fn lines(&self) -> Vec<String> {
        let total = self.total();
        vec![
            format!(
                "cargo tests: {} passed, {} failed, {} ignored, each counted once ({} results of re-runs not counted again)",
                self.cargo.passed, self.cargo.failed, self.ignored, self.reruns
            ),
            format!(
                "protocol cases: {} passed, {} failed, {} listed as failing",
                self.protocol.passed, self.protocol.failed, self.protocol_listed
            ),
            format!(
                "endpoint tests of generated crates: {} passed, {} failed",
                self.endpoints.passed, self.endpoints.failed
            ),
            format!(
                "model crates: {} passed, {} failed; fixture crates: {} passed",
                self.models.passed, self.models.failed, self.fixtures
            ),
            format!("tests: {} passed, {} failed", total.passed, total.failed),
        ]
    }
}

/// The test binary a `Running` or `Doc-tests` line starts: its source and its name without
/// the build hash, so that the same tests built with other features are the same tests.
fn binary(line: &str) -> Option<String> {
    let line = line.trim();
    if let Some(name) = line.strip_prefix("Doc-tests ") {
        return Some(format!("doc {name}"));
    }
    let rest = line.strip_prefix("Running ")?;
    let (source, path) = rest.split_once(" (")?;
    let stem = path.trim_end_matches(')').rsplit('/').next()?;
    let name = stem.rsplit_once('-').map_or(stem, |(name, _hash)| name);
    Some(format!("{source} {name}"))
}

/// A `test NAME ... RESULT` report anywhere in the line (a test's own output may come first).
fn test_report(line: &str) -> Option<(&str, Outcome)> {
    let (before, after) = line.rsplit_once(" ... ")?;
    let outcome = match after.trim() {
        "ok" => Outcome::Passed,
        "FAILED" => Outcome::Failed,
        result if result.starts_with("ignored") => Outcome::Ignored,
        _ => return None,
    };
    let start = before.rfind("test ")?;
    Some((&before[start + 5..], outcome))
}

/// The numbers before each of `labels` in `text` (`3 passed, 1 failed`).
fn numbers<const N: usize>(text: &str, labels: [&str; N]) -> Option<[usize; N]> {
    let mut found = [0; N];
    for (slot, label) in found.iter_mut().zip(labels) {
        let before = text
            .split(label)
            .next()
            .filter(|before| before.len() < text.len())?;
        *slot = before
            .split_whitespace()
            .last()?
            .trim_start_matches('(')
            .parse()
            .ok()?;
    }
    Some(found)
}

/// Adds a line of the xtask's own summaries to `summary`.
fn xtask_line(summary: &mut Summary, line: &str) {
    if line.contains(" protocol tests: ") {
        if let Some([passed, failed, listed]) = numbers(line, [" passed", " failed", " skipped"]) {
            summary.protocol.passed += passed;
            summary.protocol.failed += failed;
            summary.protocol_listed += listed;
        }
    } else if let Some(rest) = line.strip_prefix("check-endpoints: ") {
        if let Some((passed, total)) = rest.split_once(" endpoint tests").and_then(|(counts, _)| {
            let (passed, total) = counts.split_once('/')?;
            Some((passed.parse::<usize>().ok()?, total.parse::<usize>().ok()?))
        }) {
            summary.endpoints.passed += passed;
            summary.endpoints.failed += total.saturating_sub(passed);
        }
    } else if let Some(rest) = line.strip_prefix("check-models: ") {
        if let Some([passed, failed]) = numbers(rest, [" ok", " failed"]) {
            summary.models.passed += passed;
            summary.models.failed += failed;
        }
    } else if let Some(rest) = line.strip_prefix("check-fixtures: ") {
        if let Some([passed]) = numbers(rest, [" fixture crates"]) {
            summary.fixtures += passed;
        }
    }
}

/// Reads a CI log.
pub fn summarize(log: &str) -> Summary {
    let mut summary = Summary::default();
    let mut current = String::new();
    let mut tests: BTreeMap<(String, String), Outcome> = BTreeMap::new();
    for line in log.lines() {
        if let Some(started) = binary(line) {
            current = started;
        } else if let Some((name, outcome)) = test_report(line) {
            let key = (current.clone(), name.to_owned());
            match tests.get_mut(&key) {
                Some(seen) => {
                    summary.reruns += 1;
                    *seen = (*seen).max(outcome);
                }
                None => {
                    tests.insert(key, outcome);
                }
            }
        } else {
            xtask_line(&mut summary, line);
        }
    }
    for outcome in tests.values() {
        match outcome {
            Outcome::Passed => summary.cargo.passed += 1,
            Outcome::Failed => summary.cargo.failed += 1,
            Outcome::Ignored => summary.ignored += 1,
        }
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "\
     Running unittests src/lib.rs (target/debug/deps/ivschat_runtime-0123abcd)
test sigv4::tests::signs ... ok
test file::tests::writes ... ok
     Running tests/sigv4_suite.rs (target/debug/deps/sigv4_suite-aaaa)
test the_official_suite_passes ... ok
test slow ... ignored, needs a network
   Doc-tests ivschat
test src/lib.rs - Client (line 10) ... ok
     Running tests/sigv4_suite.rs (target/debug/deps/sigv4_suite-bbbb)
sigv4 suite: 40/40 casestest the_official_suite_passes ... FAILED
restJson1 protocol tests: 326 passed, 0 failed, 2 skipped
check-endpoints: 306/306 endpoint tests passed in 9 models, 0 failed
check-endpoints: 95/96 endpoint tests passed in 40 models, 1 failed
check-models: 9 ok, 1 failed
check-fixtures: 21 fixture crates pass clippy with -D warnings
test result: ok. 4 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out
";

    #[test]
    fn each_test_counts_once_and_a_failed_rerun_wins() {
        let summary = summarize(LOG);
        assert_eq!(
            summary.cargo,
            Count {
                passed: 3,
                failed: 1
            }
        );
        assert_eq!((summary.ignored, summary.reruns), (1, 1));
    }

    #[test]
    fn the_xtasks_checks_are_counted_beside_the_tests() {
        let summary = summarize(LOG);
        assert_eq!(
            summary.protocol,
            Count {
                passed: 326,
                failed: 0
            }
        );
        assert_eq!(summary.protocol_listed, 2);
        assert_eq!(
            summary.endpoints,
            Count {
                passed: 401,
                failed: 1
            }
        );
        assert_eq!(
            summary.models,
            Count {
                passed: 9,
                failed: 1
            }
        );
        assert_eq!(summary.fixtures, 21);
        assert_eq!(
            summary.lines().last().unwrap(),
            "tests: 760 passed, 3 failed"
        );
    }
}
