//! Doc comment and deprecation attributes.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Deprecated;
use crate::ir::{Constraints, DataKind, Primitive, Service, Target};
use crate::rust::docs::html_to_markdown;
use crate::rust::names;

/// What an item without model documentation says, once.
pub const MISSING: &str = "Documentation missing in model.";

/// What a value of `target` is, in words: "a string", "a list of `Room`", ...
pub fn what_it_is(service: &Service, target: Target) -> String {
    let primitive = |primitive: Primitive| {
        match primitive {
            Primitive::Blob => "binary data",
            Primitive::Boolean => "a boolean",
            Primitive::String => "a string",
            Primitive::Byte => "an 8-bit integer",
            Primitive::Short => "a 16-bit integer",
            Primitive::Integer => "a 32-bit integer",
            Primitive::Long => "a 64-bit integer",
            Primitive::Float => "a 32-bit float",
            Primitive::Double => "a 64-bit float",
            Primitive::BigInteger => "an integer of any size",
            Primitive::BigDecimal => "a decimal of any precision",
            Primitive::Timestamp => "a point in time",
            Primitive::Document => "a JSON document",
        }
        .to_owned()
    };
    let shape = match target {
        Target::Primitive(kind) => return primitive(kind),
        Target::Shape(shape) => shape,
    };
    let data = service.shape(shape);
    match &data.kind {
        DataKind::Alias {
            streaming: true, ..
        } => "a stream of bytes".to_owned(),
        DataKind::Alias {
            primitive: kind, ..
        } => primitive(*kind),
        DataKind::List { member, .. } => {
            format!("a list of {}", what_it_is(service, member.target))
        }
        DataKind::Map { key, value, .. } => format!(
            "a map from {} to {}",
            what_it_is(service, key.target),
            what_it_is(service, value.target)
        ),
        _ => format!("`{}`", names::type_name(&data.name)),
    }
}

/// The docs of a shape without model documentation: what it is, and that docs are missing.
pub fn undocumented_shape(service: &Service, target: Target) -> String {
    let what = what_it_is(service, target);
    let mut chars = what.chars();
    let capital: String = chars
        .next()
        .map(|first| first.to_ascii_uppercase())
        .into_iter()
        .chain(chars)
        .collect();
    format!("{capital}; documentation missing in model.")
}

/// The lines of an item's documentation: the model's, else `fallback`.
pub fn doc_lines(html: Option<&str>, fallback: &str) -> Vec<String> {
    let lines = html.map(html_to_markdown).unwrap_or_default();
    if lines.is_empty() {
        vec![fallback.to_owned()]
    } else {
        lines
    }
}

/// `#[doc = " line"]` for each line.
pub fn outer(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|line| pad(line));
    quote!(#(#[doc = #lines])*)
}

/// `#![doc = " line"]` for each line (module documentation).
pub fn inner(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|line| pad(line));
    quote!(#(#![doc = #lines])*)
}

/// Item docs from model HTML with a fallback sentence.
pub fn item(html: Option<&str>, fallback: &str) -> TokenStream {
    outer(&doc_lines(html, fallback))
}

fn pad(line: &str) -> String {
    if line.is_empty() {
        String::new()
    } else {
        format!(" {line}")
    }
}

/// `#[deprecated]` with the model's message; its `since` (often a date, which `since` may not
/// hold) goes into the note.
pub fn deprecated(deprecated: Option<&Deprecated>) -> TokenStream {
    let Some(deprecated) = deprecated else {
        return TokenStream::new();
    };
    let since = deprecated
        .since
        .as_deref()
        .map(|since| format!("deprecated since {since}"));
    let note = match (deprecated.message.as_deref(), since) {
        (Some(message), Some(since)) => format!("{message} ({since})"),
        (Some(message), None) => message.to_owned(),
        (None, Some(since)) => since,
        (None, None) => return quote!(#[deprecated]),
    };
    quote!(#[deprecated(note = #note)])
}

/// A sentence describing constraints, for documentation; `None` when there are none.
pub fn constraint_summary(constraints: &Constraints) -> Option<String> {
    let mut parts = Vec::new();
    let bounds = |min: Option<f64>, max: Option<f64>| match (min, max) {
        (Some(min), Some(max)) => format!("{min} to {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => "any".to_owned(),
    };
    if let Some(length) = constraints.length {
        parts.push(format!("length {}", bounds(length.min, length.max)));
    }
    if let Some(range) = constraints.range {
        parts.push(format!("value {}", bounds(range.min, range.max)));
    }
    if let Some(pattern) = &constraints.pattern {
        // Control characters (a pattern may hold a raw tab or line break) are shown escaped,
        // so the doc comment stays one line.
        let shown: String = pattern
            .chars()
            .map(|c| match c {
                '`' => "'".to_owned(),
                c if c.is_control() => c.escape_default().to_string(),
                c => c.to_string(),
            })
            .collect();
        parts.push(format!("pattern `{shown}`"));
    }
    (!parts.is_empty()).then(|| format!("Constraints: {}.", parts.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_with_control_characters_stays_on_one_line() {
        let constraints = Constraints {
            pattern: Some("^[a-z\t\r\n`]*$".to_owned()),
            ..Constraints::default()
        };
        assert_eq!(
            constraint_summary(&constraints).unwrap(),
            "Constraints: pattern `^[a-z\\t\\r\\n']*$`."
        );
    }
}
