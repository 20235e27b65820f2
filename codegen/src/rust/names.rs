//! Every Rust name the generator emits is decided here: casing (heck), acronyms, keywords and
//! collisions with names the generated code itself uses.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

use crate::ir::Role;

/// Rust keywords that become raw identifiers (`r#type`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names the generated code refers to unqualified; a shape with one of these names
/// gets a `Value` suffix so it never shadows them.
const RESERVED_TYPES: &[&str] = &[
    "Box",
    "Clone",
    "Debug",
    "Default",
    "Err",
    "Error",
    "Hash",
    "HashMap",
    "None",
    "Ok",
    "Option",
    "PartialEq",
    "Result",
    "Self",
    "Some",
    "String",
    "ToString",
    "Vec",
];

/// Methods the generated code gives every structure and its builder; a member's Rust name
/// must not take one (the collision pass renames the member).
const STRUCTURE_METHODS: &[&str] = &[
    "build",
    "builder",
    // `Builder::default()`, which `builder()` calls, must stay `Default`'s.
    "default",
    "read_json",
    "validate",
    "validate_at",
    "validate_with",
    "write_json",
];

/// The methods of std traits that clippy's `should_implement_trait` expects a method of that
/// name and shape to implement (a setter `fn add(self, value) -> Self` looks like `Add::add`):
/// members are renamed away from them.
const STD_TRAIT_METHODS: &[&str] = &[
    "add",
    "as_mut",
    "as_ref",
    "bitand",
    "bitor",
    "bitxor",
    "borrow",
    "borrow_mut",
    "clone",
    "cmp",
    "deref",
    "deref_mut",
    "div",
    "drop",
    "eq",
    "from_iter",
    "from_str",
    "hash",
    "index",
    "index_mut",
    "into_iter",
    "mul",
    "neg",
    "next",
    "not",
    "rem",
    "shl",
    "shr",
    "sub",
];

/// What an operation input adds: its request, and the fluent builder's own methods.
const INPUT_METHODS: &[&str] = &[
    "customize",
    "into_paginator",
    "new",
    "presigned",
    "send",
    "to_request",
];

/// What an output adds: its reading, and the body of a streaming one.
const OUTPUT_METHODS: &[&str] = &["from_response", "take_body"];

/// What an error structure adds: its reading and the request id of the answer.
const ERROR_METHODS: &[&str] = &["from_response", "read_error", "request_id"];

/// The methods generated code gives a structure of `role`, which its members' Rust names must
/// not take.
pub fn generated_methods(role: &Role) -> impl Iterator<Item = &'static str> {
    let own: &[&str] = match role {
        Role::Input(_) => INPUT_METHODS,
        Role::Output(_) => OUTPUT_METHODS,
        Role::Error { .. } => ERROR_METHODS,
        Role::Plain => &[],
    };
    STRUCTURE_METHODS
        .iter()
        .chain(STD_TRAIT_METHODS)
        .chain(own)
        .copied()
}

/// The variants every error enum has besides the modelled errors'; an error shape named so
/// is renamed by the collision pass.
pub const ERROR_VARIANTS: &[&str] = &["Sdk", "Unhandled"];

/// Methods of the generated `Client` (and `blocking::Client`) besides the operations'; an
/// operation whose method would be one of them is renamed by the collision pass.
pub const CLIENT_METHODS: &[&str] = &[
    "config",
    "from_builder",
    "from_builder_with",
    "from_env",
    "from_env_with",
    "new",
    "shared_handle",
];

/// The Rust items one operation gives the generated crate.
pub struct OperationNames {
    /// Its module under `operation/` and the client's method: `create_room`.
    pub module: Ident,
    /// The error enum: `CreateRoomError`.
    pub error: Ident,
    /// The fluent builder: `CreateRoomFluentBuilder`.
    pub fluent: Ident,
    /// The paginator: `CreateRoomPaginator`.
    pub paginator: Ident,
    /// The test double's rule method: `on_create_room`.
    pub mock_rule: Ident,
}

/// The names of the items of the operation whose Rust name (`Operation::rust_name`) is
/// `rust_name`.
pub fn operation(rust_name: &str) -> OperationNames {
    OperationNames {
        module: module_ident(rust_name),
        error: type_ident(&format!("{rust_name}Error")),
        fluent: type_ident(&format!("{rust_name}FluentBuilder")),
        paginator: type_ident(&format!("{rust_name}Paginator")),
        mock_rule: prefixed_ident("on", rust_name),
    }
}

/// The marker trait of a fluent builder's type state for a required member: `NameIsSet`.
pub fn is_set_trait(member_name: &str) -> Ident {
    type_ident(&format!("{}IsSet", type_name(member_name)))
}

fn ident(text: &str) -> Ident {
    if NOT_RAW.contains(&text) {
        Ident::new(&format!("{text}_"), Span::call_site())
    } else if KEYWORDS.contains(&text) {
        Ident::new_raw(text, Span::call_site())
    } else {
        Ident::new(text, Span::call_site())
    }
}

/// Makes `text` a valid ASCII identifier: characters outside `[A-Za-z0-9_]` (which a model's
/// enum values may hold) become `_`, and a leading digit or an empty name gets a prefix.
fn leading(text: String, prefix: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    match text.chars().next() {
        Some(first) if first.is_ascii_alphabetic() || first == '_' => text,
        _ => format!("{prefix}{text}"),
    }
}

/// The type name of a shape: `RoomID` -> `RoomId`, `Result` -> `ResultValue`.
pub fn type_name(shape_name: &str) -> String {
    let camel = leading(shape_name.to_upper_camel_case(), "T");
    if RESERVED_TYPES.contains(&camel.as_str()) {
        format!("{camel}Value")
    } else {
        camel
    }
}

/// [`type_name`] as an identifier.
pub fn type_ident(shape_name: &str) -> Ident {
    ident(&type_name(shape_name))
}

/// The builder type of a structure: `CreateRoomInputBuilder`.
pub fn builder_ident(shape_name: &str) -> Ident {
    ident(&format!("{}Builder", type_name(shape_name)))
}

/// A field, accessor or method name: `roomIdentifier` -> `room_identifier`, `type` -> `r#type`.
pub fn field_name(member_name: &str) -> String {
    leading(member_name.to_snake_case(), "_")
}

/// [`field_name`] as an identifier.
pub fn field_ident(member_name: &str) -> Ident {
    ident(&field_name(member_name))
}

/// A method named `prefix_member`, e.g. `set_room_identifier`, `as_text`.
pub fn prefixed_ident(prefix: &str, member_name: &str) -> Ident {
    ident(&format!(
        "{prefix}_{}",
        field_name(member_name).trim_start_matches('_')
    ))
}

/// The module (and file stem) of a shape or operation: `CreateRoom` -> `create_room`.
pub fn module_name(name: &str) -> String {
    let snake = leading(name.to_snake_case(), "m_");
    if KEYWORDS.contains(&snake.as_str()) || NOT_RAW.contains(&snake.as_str()) {
        format!("{snake}_")
    } else {
        snake
    }
}

/// The modules the generator itself puts beside the shapes' in `types/`.
const GENERATED_TYPE_MODULES: &[&str] = &["aliases", "readers", "error"];

/// The file stem of a shape's module in `types/`: its [`module_name`], with `_shape` added when
/// that is a module the generator makes there (CloudFront has a shape named `Aliases`). The
/// module is private (its items are re-exported), so the suffix changes no public path.
pub fn shape_module_name(name: &str) -> String {
    let module = module_name(name);
    if GENERATED_TYPE_MODULES.contains(&module.as_str()) {
        format!("{module}_shape")
    } else {
        module
    }
}

/// The reader function of a list or map shape: `RoomList` -> `read_room_list`.
pub fn reader_ident(shape_name: &str) -> Ident {
    ident(&format!("read_{}", type_name(shape_name).to_snake_case()))
}

/// [`module_name`] as an identifier.
pub fn module_ident(name: &str) -> Ident {
    ident(&module_name(name))
}

/// An enum or union variant: `SEND_MESSAGE` -> `SendMessage`; `Unknown` is kept for the
/// generated catch-all, so a model value named so becomes `UnknownValue`.
pub fn variant_name(name: &str) -> String {
    let camel = name.to_upper_camel_case();
    let camel = if camel.is_empty() {
        "Empty".to_owned()
    } else {
        leading(camel, "V")
    };
    if camel == "Unknown" || camel == "Self" {
        format!("{camel}Value")
    } else {
        camel
    }
}

/// [`variant_name`] as an identifier.
pub fn variant_ident(name: &str) -> Ident {
    ident(&variant_name(name))
}

/// A constant name: `maxResults` -> `MAX_RESULTS`.
pub fn constant_ident(name: &str) -> Ident {
    ident(&leading(name.to_shouty_snake_case(), "C_"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_fold_acronyms_and_avoid_std_names() {
        assert_eq!(type_name("RoomID"), "RoomId");
        assert_eq!(type_name("LambdaArn"), "LambdaArn");
        assert_eq!(type_name("Result"), "ResultValue");
        assert_eq!(type_name("Option"), "OptionValue");
        assert_eq!(type_name("3DModel"), "T3dModel");
    }

    #[test]
    fn field_names_escape_keywords() {
        assert_eq!(field_ident("type").to_string(), "r#type");
        assert_eq!(field_ident("self").to_string(), "self_");
        assert_eq!(field_ident("roomIdentifier").to_string(), "room_identifier");
        assert_eq!(field_ident("ARN").to_string(), "arn");
        assert_eq!(field_ident("2fa").to_string(), "_2fa");
    }

    #[test]
    fn variants_and_modules() {
        assert_eq!(variant_name("SEND_MESSAGE"), "SendMessage");
        assert_eq!(variant_name("UNKNOWN"), "UnknownValue");
        assert_eq!(variant_name("t2.micro"), "T2Micro");
        assert_eq!(variant_name("1024"), "V1024");
        assert_eq!(variant_name("x²"), "X_");
        assert_eq!(field_ident("x²").to_string(), "x_");
        assert_eq!(type_name("Größe"), "Gr__e");
        assert_eq!(module_name("CreateRoom"), "create_room");
        assert_eq!(module_name("Type"), "type_");
        assert_eq!(shape_module_name("Aliases"), "aliases_shape");
        assert_eq!(shape_module_name("Error"), "error_shape");
        assert_eq!(shape_module_name("AliasList"), "alias_list");
        assert_eq!(constant_ident("maxResults").to_string(), "MAX_RESULTS");
    }
}
