//! `API.md`: every public item of the crate on one line, sorted, so a model update's review
//! starts from the API's own diff (`cargo xtask update-model` prints its summary).

use proc_macro2::TokenStream;

use super::Context;
use crate::ir::{DataKind, EnumVariant, Operation, Role, Target};
use crate::rust::{names, types};

/// The opening line of the listing's block: readers of `API.md` find the items after it.
pub const BLOCK_START: &str = "```text";

/// A type as a reader names it: no spaces, no `crate::` paths.
fn shown(tokens: TokenStream) -> String {
    let text: String = tokens.to_string().split_whitespace().collect();
    text.replace("crate::types::error::", "")
        .replace("crate::types::", "")
        .replace("crate::primitives::", "")
        .replace("ivschat_runtime::", "")
}

/// The lines of the listing.
pub fn lines(context: &Context) -> Vec<String> {
    let service = context.service;
    let mut lines = Vec::new();
    for operation in &service.operations {
        lines.extend(operation_lines(context, operation));
    }
    for (reference, shape) in service.shapes() {
        let name = names::type_name(&shape.name);
        match &shape.kind {
            DataKind::Structure(members) => {
                let kind = match shape.role {
                    Role::Error { .. } => "error",
                    _ => "struct",
                };
                lines.push(format!("{kind} {name}"));
                for member in members {
                    let required = if member.required { " required" } else { "" };
                    lines.push(format!(
                        "field {name}.{}: {}{required}",
                        names::field_name(&member.name),
                        shown(types::stored_type(service, member))
                    ));
                }
            }
            DataKind::Union(members) => {
                lines.push(format!("union {name}"));
                lines.extend(members.iter().map(|member| {
                    format!(
                        "variant {name}::{}({})",
                        names::variant_ident(&member.name),
                        shown(types::stored_type(service, member))
                    )
                }));
            }
            DataKind::Enum(variants) => {
                lines.push(format!("enum {name}"));
                lines.extend(values(&name, variants, |text| format!("{text:?}")));
            }
            DataKind::IntEnum(variants) => {
                lines.push(format!("enum {name}"));
                lines.extend(values(&name, variants, i64::to_string));
            }
            DataKind::Alias { .. } | DataKind::List { .. } | DataKind::Map { .. } => {
                let value = types::value_type(service, Target::Shape(reference));
                lines.push(format!("type {name} = {}", shown(value)));
            }
        }
    }
    lines.sort();
    lines.dedup();
    lines
}

/// The lines of one operation: its input, output and errors, and its waiters.
fn operation_lines(context: &Context, operation: &Operation) -> Vec<String> {
    let service = context.service;
    let mut lines = Vec::new();
    let errors: Vec<String> = operation
        .errors
        .iter()
        .map(|error| service.shape(*error).name.clone())
        .collect();
    let input = &service.shape(operation.input).name;
    let output = &service.shape(operation.output).name;
    lines.push(format!(
        "operation {}: {input} -> {output} errors [{}]",
        names::operation(&operation.rust_name).module,
        errors.join(", ")
    ));
    lines.extend(operation.waiters.iter().map(|waiter| {
        format!(
            "waiter {}: {}",
            names::operation(&operation.rust_name).module,
            waiter.name
        )
    }));
    lines
}

/// The file: a header, what it is, and the sorted lines in a text block.
pub fn render(context: &Context) -> String {
    let crate_name = &context.options.crate_name;
    format!(
        "<!-- {} -->\n# The API of {crate_name}\n\nEvery public item on one line, sorted: a model update's diff of this file is the API's.\n\n{BLOCK_START}\n{}\n```\n",
        context.options.header(),
        lines(context).join("\n")
    )
}

/// The `value` lines of an enum named `name`, each wire value as `wire` shows it.
fn values<'v, V>(
    name: &'v str,
    variants: &'v [EnumVariant<V>],
    wire: impl Fn(&V) -> String + 'v,
) -> impl Iterator<Item = String> + 'v {
    variants.iter().map(move |variant| {
        format!(
            "value {name}::{} = {}",
            names::variant_ident(&variant.name),
            wire(&variant.value)
        )
    })
}
