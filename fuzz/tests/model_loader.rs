//! The model loader (and, for one input in ten that loads, the whole generator) on mutated
//! Smithy JSON AST models: our fixtures, the pinned ivschat model and the small practice
//! models. Every input is a model or an error naming the problem, never a panic.

use std::path::{Path, PathBuf};

use ivschat_codegen::{generate, Options};
use ivschat_fuzz::Campaign;

fn options() -> Options {
    Options {
        crate_name: "fuzzed".to_owned(),
        crate_version: "0.0.0".to_owned(),
        runtime_dependency: r#"path = "../runtime""#.to_owned(),
        source: "fuzzed.json".to_owned(),
        regenerate_command: "none".to_owned(),
        ..Options::default()
    }
}

/// The `.json` files of `folder` up to `most_bytes` each.
fn models(folder: &Path, most_bytes: u64) -> Vec<Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .filter(|path| path.metadata().is_ok_and(|meta| meta.len() <= most_bytes))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| std::fs::read(path).unwrap())
        .collect()
}

/// The stack the campaign runs on: a main thread's (where `cargo xtask` runs the generator).
/// On a test thread's 2 MiB, a debug build overflows in `syn` while formatting the code of
/// some mutated models (see the stop-44 note); that is a bound of the formatter, tracked
/// apart from this campaign, which looks for panics.
const STACK_BYTES: usize = 8 * 1024 * 1024;

#[test]
fn the_model_loader_never_panics() {
    let campaign = std::thread::Builder::new()
        .stack_size(STACK_BYTES)
        .spawn(campaign)
        .expect("a thread for the campaign");
    if let Err(panic) = campaign.join() {
        std::panic::resume_unwind(panic);
    }
}

fn campaign() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut corpus = models(&root.join("codegen/tests/fixtures"), 200_000);
    assert!(corpus.len() >= 10, "the codegen fixtures are missing");
    let ivschat = root.join("model/ivschat.json");
    match std::fs::read(&ivschat) {
        Ok(model) => corpus.push(model),
        Err(_) => println!("{} is not fetched yet: not a seed", ivschat.display()),
    }
    match std::env::var_os("SMITHY_MODEL_MIRROR") {
        Some(mirror) => corpus.extend(models(&PathBuf::from(mirror).join("restjson1"), 60_000)),
        None => println!("SMITHY_MODEL_MIRROR is unset: the practice models are not seeds"),
    }
    let mut loaded = 0;
    let mut generated = 0;
    Campaign::new("model-loader").run_json(&corpus, |input| {
        let text = String::from_utf8_lossy(input);
        if ivschat_codegen::smithy::load("fuzzed.json", &text).is_ok() {
            loaded += 1;
            if loaded % 10 == 1 {
                generated += usize::from(generate(&text, "fuzzed.json", None, &options()).is_ok());
            }
        }
    });
    println!("model-loader: {loaded} inputs loaded, {generated} generated a crate");
    assert!(loaded >= corpus.len(), "the seeds themselves must load");
    assert!(generated > 0, "no input reached the renderer");
}
