//! How long generating a whole crate takes for one model file (by default the largest of
//! `$SMITHY_MODEL_MIRROR`'s practice folders): read, IR, render and format, in memory.
//! `cargo bench -p ivschat-codegen --bench generate_model [-- MODEL.json]` prints one JSON line
//! (model, operations, generated lines, median and min-max seconds of 5 runs after a warm-up);
//! `cargo xtask bench` reads it. A bench binary, not a timed test.

use std::path::{Path, PathBuf};
use std::time::Instant;

use ivschat_codegen::{generate_sources, Options, Source};

/// Measured runs (after one warm-up run).
const RUNS: usize = 5;

/// The largest `.json` model of the mirror's folders (one level down).
fn largest_model(mirror: &Path) -> Option<PathBuf> {
    let folders = std::fs::read_dir(mirror).ok()?;
    folders
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.is_dir())
        .filter_map(|folder| std::fs::read_dir(folder).ok())
        .flatten()
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "json")
        })
        .max_by_key(|path| std::fs::metadata(path).map(|meta| meta.len()).unwrap_or(0))
}

fn main() {
    let argument = std::env::args()
        .skip(1)
        .find(|argument| !argument.starts_with("--"));
    let model = match (argument, std::env::var_os("SMITHY_MODEL_MIRROR")) {
        (Some(path), _) => PathBuf::from(path),
        (None, Some(mirror)) => match largest_model(Path::new(&mirror)) {
            Some(path) => path,
            None => return println!("no .json model under {}", mirror.to_string_lossy()),
        },
        (None, None) => {
            return println!(
                "SMITHY_MODEL_MIRROR is unset and no model was given: nothing to measure"
            )
        }
    };
    let text = std::fs::read_to_string(&model)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", model.display()));
    let name = model
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let sources = [Source {
        name: &name,
        text: &text,
    }];
    let options = Options {
        crate_name: "model".to_owned(),
        crate_version: "0.0.0".to_owned(),
        runtime_dependency: r#"path = "../runtime""#.to_owned(),
        source: name.clone(),
        ..Options::default()
    };
    let mut seconds = Vec::new();
    let (mut lines, mut operations) = (0, 0);
    for run in 0..=RUNS {
        let started = Instant::now();
        let generated = generate_sources(&sources, None, &options)
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        if run > 0 {
            seconds.push(started.elapsed().as_secs_f64());
        }
        lines = generated
            .files
            .values()
            .map(|file| file.lines().count())
            .sum();
        operations = generated.operation_count;
    }
    seconds.sort_by(f64::total_cmp);
    println!(
        "{{\"model\":\"{name}\",\"operations\":{operations},\"lines\":{lines},\"seconds\":{:.3},\"min\":{:.3},\"max\":{:.3}}}",
        seconds[RUNS / 2],
        seconds[0],
        seconds[RUNS - 1]
    );
}
