//! Doc comment and deprecation attributes.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Constraints;
use crate::rust::docs::html_to_markdown;
use crate::smithy::Deprecated;

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
        parts.push(format!("pattern `{}`", pattern.replace('`', "'")));
    }
    (!parts.is_empty()).then(|| format!("Constraints: {}.", parts.join("; ")))
}
