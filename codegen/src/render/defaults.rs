//! Rust expressions for `@default` values, used when a builder leaves a plain member unset.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::Context;
use crate::ir::defaults::{DefaultValue, DocumentDefault};
use crate::ir::{Member, Target};
use crate::rust::types;

/// How to fill an unset member from its default.
pub enum Fill {
    /// The default is the type's `Default` value.
    TypeDefault,
    /// A cheap `Copy` expression (`unwrap_or`).
    Copy(TokenStream),
    /// An expression that allocates (`unwrap_or_else`).
    Computed(TokenStream),
}

/// The fill for `member`, whose `@default` is `value`.
pub fn fill(context: &Context, member: &Member, value: &DefaultValue) -> Fill {
    let document = quote!(crate::primitives::Document);
    match value {
        // An unwritten default is never a plain member's: `ir::defaults` refuses such models.
        DefaultValue::Zero | DefaultValue::Unwritten(_) => Fill::TypeDefault,
        DefaultValue::True => Fill::Copy(quote!(true)),
        DefaultValue::Integer(number) => {
            let literal = Literal::i64_unsuffixed(*number);
            Fill::Copy(quote!(#literal))
        }
        DefaultValue::Float(number) => {
            let literal = Literal::f64_unsuffixed(*number);
            Fill::Copy(quote!(#literal))
        }
        DefaultValue::Text(text) => Fill::Computed(quote!(String::from(#text))),
        DefaultValue::Bytes(bytes) => {
            Fill::Computed(quote!(crate::primitives::Blob::new(vec![#(#bytes),*])))
        }
        DefaultValue::Timestamp(seconds) => {
            Fill::Copy(quote!(crate::primitives::DateTime::from_secs(#seconds)))
        }
        DefaultValue::Enum(text) => {
            let path = target_path(context, member);
            Fill::Computed(quote!(#path::from(#text)))
        }
        DefaultValue::IntEnum(number) => {
            let path = target_path(context, member);
            Fill::Copy(quote!(#path::from(#number)))
        }
        DefaultValue::Document(DocumentDefault::EmptyObject) => {
            Fill::Computed(quote!(#document::Object(Default::default())))
        }
        DefaultValue::Document(DocumentDefault::EmptyArray) => {
            Fill::Computed(quote!(#document::Array(Vec::new())))
        }
        DefaultValue::Document(DocumentDefault::Bool(flag)) => {
            Fill::Computed(quote!(#document::from(#flag)))
        }
        DefaultValue::Document(DocumentDefault::Text(text)) => {
            Fill::Computed(quote!(#document::from(#text)))
        }
    }
}

/// The path of an enum member's type.
fn target_path(context: &Context, member: &Member) -> TokenStream {
    match member.target {
        Target::Shape(shape) => types::shape_path(context.service, shape),
        Target::Primitive(_) => quote!(String),
    }
}
