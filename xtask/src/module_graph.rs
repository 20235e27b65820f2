//! The import graph of a crate's modules, read from its sources, and the circles in it.
//!
//! A module is a file (`src/json/read.rs` is `json::read`, `src/json/mod.rs` is `json`). A file
//! uses a module when its code names a path into it (`crate::json::read::X`, `super::tree`,
//! `use crate::{json::read, xml}`); the path goes to the deepest module it names. A module's
//! own children are left out (a parent declares and re-exports them), and so is code under
//! `#[cfg(test)]` (test modules may reach anywhere) and comments. A circle is a set of modules that reach
//! each other through these uses.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Modules (as `a::b` paths; the crate root is ``) and the modules each uses.
pub type Graph = BTreeMap<String, BTreeSet<String>>;

/// Reads the crate whose sources are under `src` (its `lib.rs` or `main.rs` tree).
pub fn read_crate(src: &Path) -> Result<Graph, String> {
    let texts = crate::sources::read_rust_files(src, &[])?
        .into_iter()
        .map(|(file, text)| (module_of(&file), text))
        .collect();
    Ok(graph_of(&texts))
}

/// The module path of a file under `src/` (`json/mod.rs` -> `json`, `lib.rs` -> ``).
fn module_of(file: &str) -> String {
    let stem = file.trim_end_matches(".rs");
    let stem = stem.strip_suffix("/mod").unwrap_or(stem);
    match stem {
        "lib" | "main" => String::new(),
        _ => stem.replace('/', "::"),
    }
}

/// The graph of modules given by their source text.
pub fn graph_of(texts: &BTreeMap<String, String>) -> Graph {
    let modules: BTreeSet<&str> = texts.keys().map(String::as_str).collect();
    texts
        .iter()
        .map(|(module, text)| {
            let code = code_lines(without_tests(text));
            let used = used_paths(module, &code)
                .iter()
                .filter_map(|path| deepest_module(&modules, path))
                .filter(|used| used != module && !is_within(used, module))
                .collect();
            (module.clone(), used)
        })
        .collect()
}

/// `text` without its comment lines (doc links name paths but use nothing).
fn code_lines(text: &str) -> String {
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` up to its first `#[cfg(test)]` item.
fn without_tests(text: &str) -> &str {
    text.find("#[cfg(test)]").map_or(text, |at| &text[..at])
}

/// Whether `inner` is `outer` or one of its descendants.
fn is_within(inner: &str, outer: &str) -> bool {
    outer.is_empty()
        || inner == outer
        || inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.starts_with("::"))
}

/// The longest module path that `path` starts with, if any but the root.
fn deepest_module(modules: &BTreeSet<&str>, path: &[String]) -> Option<String> {
    (1..=path.len())
        .rev()
        .map(|length| path[..length].join("::"))
        .find(|candidate| modules.contains(candidate.as_str()))
}

/// Every path named from the crate root or relative to `module` (`super::`, `self::`), as
/// segments from the crate root; use groups are expanded.
fn used_paths(module: &str, text: &str) -> Vec<Vec<String>> {
    let own: Vec<String> = if module.is_empty() {
        Vec::new()
    } else {
        module.split("::").map(str::to_owned).collect()
    };
    let mut paths = Vec::new();
    let bytes = text.as_bytes();
    for (at, keyword) in keyword_positions(text) {
        // A longer identifier that ends in the keyword (`my_super::`) is not one.
        if at > 0 && is_identifier_byte(bytes[at - 1]) {
            continue;
        }
        let mut base = match keyword {
            "crate" => Vec::new(),
            "self" => own.clone(),
            _ => own[..own.len().saturating_sub(1)].to_vec(),
        };
        let mut rest = &text[at + keyword.len() + 2..];
        while let Some(after) = rest.strip_prefix("super::") {
            base.pop();
            rest = after;
        }
        for tail in use_tree(rest) {
            let mut path = base.clone();
            path.extend(tail);
            paths.push(path);
        }
    }
    paths
}

/// Where `crate::`, `super::` and `self::` start a path in `text` (a `super::` that follows
/// another is part of that path and not listed).
fn keyword_positions(text: &str) -> Vec<(usize, &'static str)> {
    let mut found = Vec::new();
    for keyword in ["crate", "super", "self"] {
        let pattern = format!("{keyword}::");
        for (at, _) in text.match_indices(&pattern) {
            let follows_path = text[..at].ends_with("::");
            if !follows_path {
                found.push((at, keyword));
            }
        }
    }
    found
}

fn is_identifier_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// The paths of a use tree at the start of `text` (`a::b`, `a::{b, c::d}`, `*`), each as
/// segments; an identifier path ends at the first character that continues no path.
fn use_tree(text: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    tree_at(text.trim_start(), &mut Vec::new(), &mut paths, 0);
    paths
}

/// The deepest use group followed (real code nests two or three).
const MAX_GROUP_DEPTH: usize = 16;

/// Reads one use tree at the start of `text` with `prefix` before it into `paths`; returns
/// how much of `text` it took.
fn tree_at(
    text: &str,
    prefix: &mut Vec<String>,
    paths: &mut Vec<Vec<String>>,
    depth: usize,
) -> usize {
    let mut at = 0;
    let start_length = prefix.len();
    loop {
        let rest = &text[at..];
        if let Some(group) = rest.strip_prefix('{') {
            at += 1 + group_at(group, prefix, paths, depth + 1);
            break;
        }
        let identifier: String = rest
            .bytes()
            .take_while(|byte| is_identifier_byte(*byte))
            .map(char::from)
            .collect();
        if identifier.is_empty() {
            // `*` or the end of the path: what was named so far is the path.
            if prefix.len() > start_length || rest.starts_with('*') {
                paths.push(prefix.clone());
            }
            break;
        }
        at += identifier.len();
        prefix.push(identifier);
        match text[at..].strip_prefix("::") {
            Some(_) => at += 2,
            None => {
                paths.push(prefix.clone());
                break;
            }
        }
    }
    prefix.truncate(start_length);
    at
}

/// Reads the items of a use group (after its `{`) up to its `}`; returns how much it took.
fn group_at(
    text: &str,
    prefix: &mut Vec<String>,
    paths: &mut Vec<Vec<String>>,
    depth: usize,
) -> usize {
    if depth > MAX_GROUP_DEPTH {
        return text.len();
    }
    let mut at = 0;
    loop {
        let skipped = text[at..].len() - text[at..].trim_start().len();
        at += skipped;
        match text[at..].chars().next() {
            None => return at,
            Some('}') => return at + 1,
            Some(',') => at += 1,
            Some(_) => {
                let taken = tree_at(&text[at..], prefix, paths, depth);
                // Skip what follows the item (`as name`) up to the next separator.
                let tail = &text[at + taken..];
                let skip = tail.find([',', '}']).unwrap_or(tail.len());
                at += taken + skip;
            }
        }
    }
}

/// The circles of `graph`: each set of two or more modules that reach each other, as the
/// modules in order.
pub fn circles(graph: &Graph) -> Vec<Vec<String>> {
    let reach = |start: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut pending = vec![start.to_owned()];
        while let Some(module) = pending.pop() {
            for next in graph.get(&module).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    pending.push(next.clone());
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&String, BTreeSet<String>> =
        graph.keys().map(|module| (module, reach(module))).collect();
    let mut circles: Vec<Vec<String>> = Vec::new();
    let mut placed = BTreeSet::new();
    for (module, reaches) in &reached {
        if placed.contains(*module) || !reaches.contains(*module) {
            continue;
        }
        let members: Vec<String> = reaches
            .iter()
            .filter(|other| reached[other].contains(*module))
            .cloned()
            .collect();
        placed.extend(members.iter().cloned());
        circles.push(members);
    }
    circles
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(files: &[(&str, &str)]) -> Graph {
        graph_of(
            &files
                .iter()
                .map(|(module, text)| (module.to_string(), text.to_string()))
                .collect(),
        )
    }

    #[test]
    fn files_name_their_modules() {
        assert_eq!(module_of("lib.rs"), "");
        assert_eq!(module_of("json/mod.rs"), "json");
        assert_eq!(module_of("json/read.rs"), "json::read");
    }

    #[test]
    fn paths_go_to_the_deepest_module_they_name() {
        let found = graph(&[
            ("", "mod a; mod b;"),
            ("a", "use crate::b::c::{Item, d::{self, Other}};"),
            ("b", ""),
            ("b::c", ""),
            ("b::c::d", ""),
            (
                "b::e",
                "use super::c::Item; fn f() { super::super::a::g() }",
            ),
        ]);
        assert_eq!(found["a"], ["b::c", "b::c::d"].map(str::to_owned).into());
        assert_eq!(found["b::e"], ["a", "b::c"].map(str::to_owned).into());
    }

    #[test]
    fn children_tests_and_look_alike_names_are_no_uses() {
        let found = graph(&[
            (
                "a",
                "pub use self::b::X; let my_super::y = 1;\n/// See [`crate::c`].",
            ),
            ("a::b", "#[cfg(test)]\nmod tests { use crate::c::Y; }"),
            ("c", ""),
        ]);
        assert!(found["a"].is_empty(), "{:?}", found["a"]);
        assert!(found["a::b"].is_empty(), "{:?}", found["a::b"]);
    }

    #[test]
    fn circles_are_the_modules_that_reach_each_other() {
        let found = graph(&[
            ("a", "use crate::b::X;"),
            ("b", "use crate::c::{Y, Z};"),
            ("c", "use crate::a::W;"),
            ("d", "use crate::a::W;"),
            ("e", "use super::f;"),
            ("f", "use crate::e as x;"),
        ]);
        assert_eq!(
            circles(&found),
            vec![
                vec!["a".to_owned(), "b".to_owned(), "c".to_owned()],
                vec!["e".to_owned(), "f".to_owned()]
            ]
        );
    }

    #[test]
    fn hostile_nesting_ends() {
        let text = format!("use crate::{}", "{a::".repeat(10_000));
        let found = graph(&[("x", &text), ("a", "")]);
        assert!(
            found["x"].iter().all(|used| used == "a"),
            "{:?}",
            found["x"]
        );
    }
}
