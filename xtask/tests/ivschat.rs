//! The real model end to end: the checked-in crate is fresh, generation is deterministic,
//! every shape of the model appears with its docs, and every name is pinned by a golden file.

use std::collections::BTreeMap;
use std::fs;

use ivschat_codegen::ir::{self, DataKind};
use ivschat_codegen::rust::{docs, names};
use ivschat_codegen::smithy::{self, ShapeKind};
use xtask::codegen::{check, generate_ivschat, workspace_root};
use xtask::model_source::ensure_model;

fn model() -> smithy::Model {
    let root = workspace_root();
    let (path, _) = ensure_model(&root.join("model/ivschat.lock")).unwrap();
    smithy::load("model/ivschat.json", &fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn generated_crate_is_fresh() {
    let root = workspace_root();
    let generated = generate_ivschat(&root).unwrap();
    let problems = check(&root.join("generated"), &generated.files, true).unwrap();
    assert!(
        problems.is_empty(),
        "run `cargo xtask codegen`:\n{}",
        problems.join("\n")
    );
}

#[test]
fn generation_is_deterministic() {
    let root = workspace_root();
    assert_eq!(
        generate_ivschat(&root).unwrap(),
        generate_ivschat(&root).unwrap()
    );
}

#[test]
fn every_model_shape_appears_with_its_docs() {
    let root = workspace_root();
    let generated = generate_ivschat(&root).unwrap();
    let all_text: String = generated.files.values().cloned().collect();
    let mut missing = Vec::new();
    for shape in model()
        .shapes
        .values()
        .filter(|shape| !shape.id.is_prelude())
    {
        let name = shape.id.name();
        let present = match &shape.kind {
            ShapeKind::Service(_) => generated.files.contains_key("src/lib.rs"),
            ShapeKind::Operation(_) => generated.files.contains_key(&format!(
                "src/operation/{}/mod.rs",
                names::module_name(name)
            )),
            _ => {
                let type_name = names::type_name(name);
                ["struct", "enum", "type"]
                    .iter()
                    .any(|keyword| all_text.contains(&format!("pub {keyword} {type_name} ")))
                    || all_text.contains(&format!("Model shape: `{}`", shape.id))
            }
        };
        let docs_present = shape.traits.documentation.as_deref().is_none_or(|html| {
            let first_line = docs::html_to_markdown(html)
                .into_iter()
                .find(|line| !line.is_empty());
            first_line.is_none_or(|line| all_text.contains(&line))
        });
        if !present || !docs_present {
            missing.push(format!(
                "{} (rendered: {present}, docs: {docs_present})",
                shape.id
            ));
        }
    }
    assert!(
        missing.is_empty(),
        "shapes missing from generated/:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_name_of_the_model() {
    let service = ir::build(&model(), "model/ivschat.json", None).unwrap();
    let mut lines = BTreeMap::new();
    for operation in &service.operations {
        lines.insert(
            operation.name.clone(),
            format!("mod operation::{}", names::module_name(&operation.name)),
        );
    }
    for (_, shape) in service.shapes() {
        let type_name = names::type_name(&shape.name);
        let key = format!("{} as {}", shape.id.name(), shape.name);
        lines.insert(key, format!("type {type_name}"));
        let (members, as_variants): (Vec<&ir::Member>, bool) = match &shape.kind {
            DataKind::Structure(members) => (members.iter().collect(), false),
            DataKind::Union(members) => (members.iter().collect(), true),
            _ => (Vec::new(), false),
        };
        for member in members {
            let rust = if as_variants {
                format!(
                    "variant {}, as_{}",
                    names::variant_name(&member.name),
                    names::field_name(&member.name)
                )
            } else {
                format!(
                    "field {}, set_{}",
                    names::field_ident(&member.name),
                    names::field_name(&member.name)
                )
            };
            lines.insert(format!("{}${}", shape.name, member.name), rust);
        }
        if let DataKind::Enum(variants) = &shape.kind {
            for variant in variants {
                lines.insert(
                    format!("{}={}", shape.name, variant.name),
                    format!("variant {}", names::variant_name(&variant.name)),
                );
            }
        }
    }
    let golden: String = lines
        .iter()
        .map(|(model, rust)| format!("{model} -> {rust}\n"))
        .collect();
    insta::assert_snapshot!(golden);
}

/// README.md's row of the generated crate's size, as a run makes it.
fn generated_row(generated: &ivschat_codegen::Generated) -> String {
    let rust: Vec<(&String, usize)> = generated
        .files
        .iter()
        .filter(|(path, _)| path.ends_with(".rs"))
        .map(|(path, text)| (path, text.lines().count()))
        .collect();
    let lines: usize = rust.iter().map(|(_, lines)| lines).sum();
    let (largest, most) = rust
        .iter()
        .max_by_key(|(_, lines)| *lines)
        .map(|(path, lines)| (path.rsplit('/').next().unwrap_or(path), *lines))
        .unwrap_or_default();
    format!(
        "| generated (checked by `xtask/tests/ivschat.rs`) | {} Rust files, {} lines ({} data shapes, {} operations); the largest file {most} lines (`{largest}`) |",
        rust.len(),
        lines,
        generated.shape_count,
        generated.operation_count
    )
}

#[test]
fn the_readme_states_the_generated_crate_as_it_is() {
    let root = workspace_root();
    let generated = generate_ivschat(&root).unwrap();
    let row = generated_row(&generated);
    let readme = fs::read_to_string(root.join("README.md")).unwrap();
    assert!(
        readme.lines().any(|line| line == row),
        "README.md's row of the generated crate should read:\n{row}"
    );
}
