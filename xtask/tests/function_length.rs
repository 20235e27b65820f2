//! No hand-written function of the workspace is over STYLE's 60 lines (see
//! `xtask::function_length` for what counts), tests and generated code left out.

use std::path::Path;

use xtask::function_length::read_functions;

/// The most lines a function may have, from its `fn` to its closing brace.
const MAX_LINES: usize = 60;

/// Every crate of the workspace written by hand, by folder.
const CRATES: &[&str] = &[
    "codegen",
    "runtime",
    "credentials",
    "emulator",
    "messaging",
    "xtask",
    "fuzz",
    "bench/drivers",
    "bench/driver-ours",
    "bench/driver-aws",
    "bench/driver-floor",
];

#[test]
fn no_function_is_over_sixty_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut long = Vec::new();
    for name in CRATES {
        let functions = read_functions(&root.join(name).join("src")).unwrap();
        assert!(!functions.is_empty(), "{name}: no functions read");
        long.extend(
            functions
                .into_iter()
                .filter(|function| function.lines > MAX_LINES)
                .map(|function| {
                    format!(
                        "{name}/src/{}:{} {}: {} lines",
                        function.file, function.line, function.name, function.lines
                    )
                }),
        );
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_LINES} lines:\n{}",
        long.join("\n")
    );
}
