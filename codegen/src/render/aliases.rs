//! Named simple shapes (constrained strings, numbers, timestamps) as documented type aliases.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use crate::ir::{Constraints, DataShape};
use crate::rust::names;

/// `pub type Name = Type;` (a primitive, or `ByteStream` for a `@streaming` blob) with the
/// shape's docs and constraints.
pub fn render(
    shape: &DataShape,
    ty: TokenStream,
    constraints: &Constraints,
    fallback: &str,
) -> TokenStream {
    let name = names::type_ident(&shape.name);
    let mut lines = docs::doc_lines(shape.docs.as_deref(), fallback);
    if let Some(summary) = docs::constraint_summary(constraints) {
        lines.push(String::new());
        lines.push(summary);
    }
    let docs = docs::outer(&lines);
    let deprecated = docs::deprecated(shape.deprecated.as_ref());
    quote! {
        #docs
        #deprecated
        pub type #name = #ty;
    }
}
