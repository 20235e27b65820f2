//! The generator's modules depend one way: `smithy` -> `ir` -> `rust` -> `render`, each stage
//! using only earlier ones. Read from the sources, so a new `use` that breaks this fails here,
//! naming it. (No module of any crate imports another around a circle: `xtask`'s
//! `module_graph` test.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The stages in order; each may use the ones before it (and `error`, used by all).
const STAGES: &[&str] = &["smithy", "ir", "rust", "render"];

fn sources(folder: &str) -> BTreeMap<String, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(folder);
    let mut files = BTreeMap::new();
    let mut pending = vec![root.clone()];
    while let Some(directory) = pending.pop() {
        for entry in std::fs::read_dir(&directory).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                let name = path
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(name, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    files
}

/// The identifiers that follow `prefix` in `text` (`crate::ir::X` gives `ir` for `crate::`),
/// and the names inside a `prefix{a, b::c}` group.
fn segments_after(text: &str, prefix: &str) -> BTreeSet<String> {
    let identifier = |rest: &str| -> String {
        rest.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut found = BTreeSet::new();
    for (at, _) in text.match_indices(prefix) {
        let rest = &text[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inside = &group[..group.find('}').unwrap_or(group.len())];
            found.extend(inside.split(',').map(|item| identifier(item.trim())));
        } else {
            found.insert(identifier(rest));
        }
    }
    found.retain(|name| !name.is_empty());
    found
}

#[test]
fn each_stage_uses_only_the_stages_before_it() {
    let mut problems = Vec::new();
    for (index, stage) in STAGES.iter().enumerate() {
        let later = &STAGES[index + 1..];
        for (file, text) in sources(stage) {
            for used in segments_after(&text, "crate::") {
                if later.contains(&used.as_str()) {
                    problems.push(format!(
                        "src/{stage}/{file} uses crate::{used}, a later stage"
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Render turns a checked IR into tokens and cannot fail: no file under `src/render` reads the
/// model (`crate::smithy`), parses JSON (`serde_json`) or makes a generator error
/// (`crate::error`). The generated code's own `Result`s are tokens, not render's.
#[test]
fn render_reads_only_the_checked_ir_and_cannot_fail() {
    let mut problems = Vec::new();
    for (file, text) in sources("render") {
        for (line_number, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for forbidden in [
                "crate::smithy",
                "serde_json",
                "crate::error",
                "crate::Error",
            ] {
                if code.contains(forbidden) {
                    problems.push(format!(
                        "src/render/{file}:{}: {forbidden}",
                        line_number + 1
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "render can fail or reads the model: {problems:#?}"
    );
}

#[test]
fn the_reader_of_imports_sees_groups_and_paths() {
    let text = "use super::{builder, docs::outer, Context};\nlet x = crate::ir::Service; super::members::is_plain";
    assert_eq!(
        segments_after(text, "super::"),
        ["Context", "builder", "docs", "members"]
            .map(str::to_owned)
            .into()
    );
    assert_eq!(
        segments_after(text, "crate::"),
        ["ir"].map(str::to_owned).into()
    );
}
