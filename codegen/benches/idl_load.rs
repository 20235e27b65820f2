//! How long reading the Smithy protocol-test models from IDL takes: every `.smithy` file of
//! `$IVSCHAT_TESTSUITES/protocol-tests` (the AWS and core suites and the trait definitions)
//! loaded as one model, against the JSON AST build of the AWS suite. A bench binary
//! (`cargo bench -p ivschat-codegen --bench idl_load`), not a timed test.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use ivschat_codegen::smithy::{load, load_sources, Source};
use ivschat_fuzz::text_files;

/// Loads per measurement; the median is reported.
const ROUNDS: usize = 15;

fn measure(mut run: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let Some(root) = std::env::var_os("IVSCHAT_TESTSUITES") else {
        println!(
            "IVSCHAT_TESTSUITES is unset: nothing to measure (CI sets it to ../shared/testsuites)"
        );
        return;
    };
    let folder = PathBuf::from(root).join("protocol-tests");
    let mut paths = text_files(&folder, ".smithy");
    // Two modules define `smithy.test`; the protocol tests need the protocol-test one.
    paths.retain(|path| !path.to_string_lossy().contains("smithy-smoke-test-traits"));
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|path| {
            (
                path.display().to_string(),
                std::fs::read_to_string(path).unwrap(),
            )
        })
        .collect();
    let bytes: usize = files.iter().map(|(_, text)| text.len()).sum();
    let sources: Vec<Source> = files
        .iter()
        .map(|(name, text)| Source { name, text })
        .collect();
    let mut shapes = 0;
    let idl = measure(|| {
        shapes = load_sources(&sources)
            .expect("the suites load")
            .shapes
            .len()
    });
    println!(
        "IDL: {} files, {bytes} bytes, {shapes} shapes: median {:.1} ms of {ROUNDS} loads",
        files.len(),
        idl.as_secs_f64() * 1000.0
    );
    let json = std::fs::read_to_string(folder.join("json-ast/aws-protocol-tests.json")).unwrap();
    let json_time =
        measure(|| shapes = load("aws-protocol-tests.json", &json).unwrap().shapes.len());
    println!(
        "JSON AST build: {} bytes, {shapes} shapes: median {:.1} ms of {ROUNDS} loads",
        json.len(),
        json_time.as_secs_f64() * 1000.0
    );
}
