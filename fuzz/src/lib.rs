//! Mutation fuzzing on stable Rust, run by `cargo test`: a [`Campaign`] feeds a target
//! thousands of inputs made by mutating a seed corpus (real files of the official suites, real
//! models, real responses) or drawn at random, and fails naming the seed and the input when the
//! target panics. Parsers of untrusted input must answer every input with a value or an error.
//!
//! `IVSCHAT_FUZZ_ITERATIONS` sets the inputs per target (10,000 unless set) and
//! `IVSCHAT_FUZZ_SEED` replays a run (the seed is printed with every count).

mod json;
mod mutate;
mod suites;

use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

pub use mutate::Mutator;
pub use suites::{in_ci, suite_folder, text_files};

/// The inputs per target unless `IVSCHAT_FUZZ_ITERATIONS` says otherwise.
pub const DEFAULT_ITERATIONS: usize = 10_000;

/// One fuzzing run of one target.
pub struct Campaign {
    name: String,
    seed: u64,
    iterations: usize,
}

impl Campaign {
    /// A campaign for the target `name`, with the seed and count from the environment.
    pub fn new(name: &str) -> Self {
        let seed = std::env::var("IVSCHAT_FUZZ_SEED")
            .ok()
            .and_then(|text| text.parse().ok())
            .unwrap_or_else(|| fastrand::u64(..));
        let iterations = std::env::var("IVSCHAT_FUZZ_ITERATIONS")
            .ok()
            .and_then(|text| text.parse().ok())
            .unwrap_or(DEFAULT_ITERATIONS);
        Self {
            name: name.to_owned(),
            seed,
            iterations,
        }
    }

    /// Runs `target` on every seed of `corpus` and then on mutated or random inputs until the
    /// campaign's count is reached; returns how many inputs it ran. A panic fails the test,
    /// with the seed to replay and the input saved under `target/fuzz-failures/`.
    pub fn run(&self, corpus: &[Vec<u8>], target: impl FnMut(&[u8])) -> usize {
        self.run_with(corpus, false, target)
    }

    /// [`run`](Self::run) for JSON targets: half the inputs are structural mutations of the
    /// seeds' JSON trees (still JSON, so they reach past the parser), half byte-level ones.
    pub fn run_json(&self, corpus: &[Vec<u8>], target: impl FnMut(&[u8])) -> usize {
        self.run_with(corpus, true, target)
    }

    fn run_with(
        &self,
        corpus: &[Vec<u8>],
        structural: bool,
        mut target: impl FnMut(&[u8]),
    ) -> usize {
        assert!(
            !corpus.is_empty(),
            "{}: the seed corpus is empty",
            self.name
        );
        let trees: Vec<serde_json::Value> = match structural {
            true => corpus
                .iter()
                .filter_map(|seed| serde_json::from_slice(seed).ok())
                .collect(),
            false => Vec::new(),
        };
        // Said first, and straight to the process's stderr: a stack overflow aborts the
        // process before any later line, and the test harness would drop what `eprintln!`
        // captured.
        let _ = writeln!(
            std::io::stderr(),
            "fuzz {}: starting (IVSCHAT_FUZZ_SEED={})",
            self.name,
            self.seed
        );
        let mut mutator = Mutator::new(self.seed);
        let mut input = Vec::new();
        for index in 0..self.iterations.max(corpus.len()) {
            match corpus.get(index) {
                Some(seed) => input.clone_from(seed),
                None if !trees.is_empty() && index % 2 == 0 => {
                    mutator.json_input(&trees, &mut input)
                }
                None => mutator.input(corpus, &mut input),
            }
            if catch_unwind(AssertUnwindSafe(|| target(&input))).is_err() {
                let saved = self.save(index, &input);
                panic!(
                    "fuzz {}: input {index} panicked (replay with IVSCHAT_FUZZ_SEED={}); saved to {}",
                    self.name,
                    self.seed,
                    saved.display()
                );
            }
        }
        let ran = self.iterations.max(corpus.len());
        println!(
            "fuzz {}: {ran} inputs from {} seeds, no panic (IVSCHAT_FUZZ_SEED={})",
            self.name,
            corpus.len(),
            self.seed
        );
        ran
    }

    fn save(&self, index: usize, input: &[u8]) -> PathBuf {
        let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/fuzz-failures");
        let path = folder.join(format!("{}-{}-{index}.bin", self.name, self.seed));
        let _ = std::fs::create_dir_all(&folder);
        let _ = std::fs::write(&path, input);
        path
    }
}
