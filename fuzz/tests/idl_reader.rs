//! The Smithy IDL reader on mutated `.smithy` files: the AWS protocol-test models, the
//! rules-engine suites and the codegen fixture. Every input is a model or an error naming
//! the line and column, never a panic; deep nesting is refused, not recursed into.

use std::path::Path;

use ivschat_codegen::smithy::{load_sources, Source};
use ivschat_fuzz::{suite_folder, text_files, Campaign};

/// The largest seed taken, in bytes (small seeds mutate into more varied inputs).
const MOST_SEED_BYTES: u64 = 12_000;

#[test]
fn the_idl_reader_never_panics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut paths = text_files(&root.join("codegen/tests/fixtures"), ".smithy");
    for folder in ["protocol-tests/model", "endpoints"] {
        if let Some(folder) = suite_folder(folder) {
            paths.extend(text_files(&folder, ".smithy"));
        }
    }
    let corpus: Vec<Vec<u8>> = paths
        .iter()
        .filter(|path| {
            path.metadata()
                .is_ok_and(|meta| meta.len() <= MOST_SEED_BYTES)
        })
        .map(|path| std::fs::read(path).unwrap())
        .collect();
    let mut read = 0;
    let mut located = 0;
    let count = Campaign::new("idl-reader").run(&corpus, |input| {
        let text = String::from_utf8_lossy(input);
        match load_sources(&[Source {
            name: "fuzzed.smithy",
            text: &text,
        }]) {
            Ok(_) => read += 1,
            Err(error) => {
                located +=
                    usize::from(error.json_path.starts_with("line ") || error.shape.is_some())
            }
        }
    });
    println!(
        "idl-reader: {count} inputs from {} seeds, {read} read as models, {located} errors located",
        corpus.len()
    );
    assert!(read > 0, "no input read as a model");
    assert_eq!(
        read + located,
        count,
        "every error names a line and column or a shape"
    );
}
