//! Rust types for IR members and shapes.

use proc_macro2::TokenStream;
use quote::quote;

use super::names;
use crate::ir::{DataKind, Member, Primitive, Role, Service, ShapeRef, Target};

/// How an accessor hands out a member's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// A string, lent as `&str`.
    Str,
    /// A `Copy` value, returned by value.
    Copy,
    /// A list, lent as a slice.
    Slice,
    /// Anything else, lent by reference.
    Ref,
}

/// The path of a named data shape's type, e.g. `crate::types::Room`.
pub fn shape_path(service: &Service, shape: ShapeRef) -> TokenStream {
    shape_path_from(service, shape, &quote!(crate))
}

/// The path of a named data shape's type below `root` (`crate`, or the crate's name for code
/// written from a user's point of view, such as doc examples).
pub fn shape_path_from(service: &Service, shape: ShapeRef, root: &TokenStream) -> TokenStream {
    let data = service.shape(shape);
    let ident = names::type_ident(&data.name);
    match data.role {
        Role::Error { .. } => quote!(#root::types::error::#ident),
        Role::Input(index) | Role::Output(index) => {
            let module = names::operation(&service.operations[index].rust_name).module;
            quote!(#root::operation::#module::#ident)
        }
        Role::Plain => quote!(#root::types::#ident),
    }
}

/// The Rust type of a primitive.
pub fn primitive_type(primitive: Primitive) -> TokenStream {
    match primitive {
        Primitive::Blob => quote!(crate::primitives::Blob),
        Primitive::Boolean => quote!(bool),
        Primitive::String => quote!(String),
        Primitive::Byte => quote!(i8),
        Primitive::Short => quote!(i16),
        Primitive::Integer => quote!(i32),
        Primitive::Long => quote!(i64),
        Primitive::Float => quote!(f32),
        Primitive::Double => quote!(f64),
        Primitive::BigInteger => quote!(crate::primitives::BigInteger),
        Primitive::BigDecimal => quote!(crate::primitives::BigDecimal),
        Primitive::Timestamp => quote!(crate::primitives::DateTime),
        Primitive::Document => quote!(crate::primitives::Document),
    }
}

/// The Rust type of a member's value (without `Option` or `Box`).
pub fn value_type(service: &Service, target: Target) -> TokenStream {
    let shape = match target {
        Target::Primitive(primitive) => return primitive_type(primitive),
        Target::Shape(shape) => shape,
    };
    match &service.shape(shape).kind {
        DataKind::List { .. } => {
            let element = list_element(service, target);
            quote!(Vec<#element>)
        }
        DataKind::Map { key, value, sparse } => {
            let key = value_type(service, key.target);
            let value = optional_if(*sparse, value_type(service, value.target));
            quote!(std::collections::HashMap<#key, #value>)
        }
        DataKind::Alias {
            streaming: true, ..
        } => quote!(crate::primitives::ByteStream),
        DataKind::Alias { primitive, .. } => primitive_type(*primitive),
        DataKind::Union(_) if service.shape(shape).event_stream => {
            let events = shape_path(service, shape);
            quote!(crate::primitives::EventStream<#events>)
        }
        _ => shape_path(service, shape),
    }
}

/// What a paginator's `items()` yields for the items member's target: the element of a list,
/// the `(key, value)` pair of a map; with whether it is a map (its pages are turned into
/// `Vec`s of pairs).
pub fn page_item(service: &Service, target: Target) -> Option<(TokenStream, bool)> {
    let Target::Shape(shape) = target else {
        return None;
    };
    match &service.shape(shape).kind {
        DataKind::List { .. } => Some((list_element(service, target), false)),
        DataKind::Map { key, value, sparse } => {
            let key = value_type(service, key.target);
            let value = optional_if(*sparse, value_type(service, value.target));
            Some((quote!((#key, #value)), true))
        }
        _ => None,
    }
}

/// The element type of a list target (`T` of `Vec<T>`).
pub fn list_element(service: &Service, target: Target) -> TokenStream {
    match target {
        Target::Shape(shape) => match &service.shape(shape).kind {
            DataKind::List { member, sparse } => {
                optional_if(*sparse, value_type(service, member.target))
            }
            _ => unreachable!("list_element is only asked of lists"),
        },
        Target::Primitive(_) => unreachable!("list_element is only asked of lists"),
    }
}

fn optional_if(optional: bool, inner: TokenStream) -> TokenStream {
    if optional {
        quote!(Option<#inner>)
    } else {
        inner
    }
}

/// The member's type as stored in a field: boxed when it closes a cycle.
pub fn stored_type(service: &Service, member: &Member) -> TokenStream {
    let value = value_type(service, member.target);
    if member.boxed {
        quote!(Box<#value>)
    } else {
        value
    }
}

/// How an accessor should return this target's value.
pub fn access(service: &Service, target: Target) -> Access {
    if let Target::Shape(shape) = target {
        if matches!(service.shape(shape).kind, DataKind::List { .. }) {
            return Access::Slice;
        }
    }
    match service.primitive_of(target) {
        Some(Primitive::String) => Access::Str,
        Some(
            Primitive::Boolean
            | Primitive::Byte
            | Primitive::Short
            | Primitive::Integer
            | Primitive::Long
            | Primitive::Float
            | Primitive::Double
            | Primitive::Timestamp,
        ) => Access::Copy,
        _ => Access::Ref,
    }
}
