//! No crate of the workspace has an import circle between its modules (see
//! `xtask::module_graph` for what counts as a use), the generated ones included.

use std::path::Path;

use xtask::module_graph::{circles, read_crate};

/// Every crate of the workspace, by folder.
const CRATES: &[&str] = &[
    "codegen",
    "runtime",
    "credentials",
    "generated",
    "emulator",
    "messaging",
    "xtask",
    "fuzz",
    "bench/drivers",
];

#[test]
fn no_crate_has_an_import_circle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut problems = Vec::new();
    for name in CRATES {
        let graph = read_crate(&root.join(name).join("src")).unwrap();
        assert!(!graph.is_empty(), "{name}: no modules read");
        for circle in circles(&graph) {
            // Each member's uses inside the circle: the edges to cut.
            let edges: Vec<String> = circle
                .iter()
                .flat_map(|from| {
                    graph[from]
                        .iter()
                        .filter(|to| circle.contains(to))
                        .map(move |to| format!("{from} -> {to}"))
                })
                .collect();
            problems.push(format!("{name}: {}", edges.join(", ")));
        }
    }
    assert!(
        problems.is_empty(),
        "import circles:\n{}",
        problems.join("\n")
    );
}
