//! The `serde` feature of a generated crate: `Serialize` and `Deserialize` on every shape type
//! with the model's member names. Structures derive them; enums go through their wire value
//! (unknown values kept); unions are one-entry maps (unknown members kept as documents).
//! Sensitive members are not serialized unless `serde-sensitive` is on. Shapes that hold a
//! stream (a streaming body, an event stream) have none: they cannot be stored.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::defaults::{self, Fill};
use super::Context;
use crate::ir::{DataKind, DataShape, Member, Service, Target};
use crate::rust::{names, types};

/// Whether the crate has the feature: a crate of its own, not modules of another crate.
fn enabled(context: &Context) -> bool {
    context.options.module_root.is_none()
}

/// Whether a member holds a stream, which no format can hold.
fn holds_stream(service: &Service, member: &Member) -> bool {
    let Target::Shape(shape) = member.target else {
        return false;
    };
    let data = service.shape(shape);
    matches!(
        data.kind,
        DataKind::Alias {
            streaming: true,
            ..
        }
    ) || (matches!(data.kind, DataKind::Union(_)) && data.event_stream)
}

/// Whether a structure has the derives: the feature exists and no member holds a stream.
pub fn for_structure(context: &Context, members: &[Member]) -> bool {
    enabled(context)
        && !members
            .iter()
            .any(|member| holds_stream(context.service, member))
}

/// The derives of a structure `for_structure` accepts.
pub fn structure_derives(on: bool) -> TokenStream {
    if !on {
        return TokenStream::new();
    }
    quote!(#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))])
}

/// A structure field's attributes: its model name, unset members left out, members with a
/// model default read as it when missing, sensitive ones serialized only under
/// `serde-sensitive` (read back as unset, or the type's default).
pub fn field_attributes(
    on: bool,
    context: &Context,
    shape: &DataShape,
    member: &Member,
) -> TokenStream {
    if !on {
        return TokenStream::new();
    }
    let name = &member.name;
    let plain = shape.is_plain(member);
    let default = match (&member.default, plain) {
        (Some(value), true) => match defaults::fill(context, member, value) {
            Fill::TypeDefault => quote!(default,),
            Fill::Copy(_) | Fill::Computed(_) => {
                let function = format!(
                    "{}::{}",
                    names::type_ident(&shape.name),
                    default_function(member)
                );
                quote!(default = #function,)
            }
        },
        _ => TokenStream::new(),
    };
    let mut attributes = if plain {
        quote!(#[cfg_attr(feature = "serde", serde(rename = #name, #default))])
    } else {
        quote!(#[cfg_attr(feature = "serde", serde(rename = #name, default, skip_serializing_if = "Option::is_none"))])
    };
    if shape.sensitive || member.sensitive {
        let default = plain.then(|| quote!(default,));
        attributes.extend(quote!(
            #[cfg_attr(all(feature = "serde", not(feature = "serde-sensitive")), serde(#default skip_serializing))]
        ));
    }
    attributes
}

/// The name of the function giving a member's model default when it is missing.
fn default_function(member: &Member) -> syn::Ident {
    names::prefixed_ident("serde_default", &member.name)
}

/// The functions `field_attributes` names for members whose default is not their type's.
pub fn default_functions(
    on: bool,
    context: &Context,
    shape: &DataShape,
    members: &[Member],
) -> TokenStream {
    if !on {
        return TokenStream::new();
    }
    let functions = members.iter().filter_map(|member| {
        let value = member.default.as_ref().filter(|_| shape.is_plain(member))?;
        let (Fill::Copy(expression) | Fill::Computed(expression)) =
            defaults::fill(context, member, value)
        else {
            return None;
        };
        let (function, stored) = (
            default_function(member),
            types::stored_type(context.service, member),
        );
        Some(quote!(fn #function() -> #stored { #expression }))
    });
    let functions: Vec<_> = functions.collect();
    if functions.is_empty() {
        return TokenStream::new();
    }
    let name = names::type_ident(&shape.name);
    quote! {
        /// The model defaults of members missing from serialized data.
        #[cfg(feature = "serde")]
        impl #name {
            #(#functions)*
        }
    }
}

/// The attribute of a field that is not a model member (an error's request id).
pub fn skipped_field(on: bool) -> TokenStream {
    if !on {
        return TokenStream::new();
    }
    quote!(#[cfg_attr(feature = "serde", serde(skip))])
}

/// An enum serialized as its wire value (`as_str()` or `as_i32()`), read through `From`.
pub fn enum_impls(context: &Context, shape: &DataShape, int: bool) -> TokenStream {
    if !enabled(context) {
        return TokenStream::new();
    }
    let name = names::type_ident(&shape.name);
    let (write, read) = if int {
        (
            quote!(serializer.serialize_i32(self.as_i32())),
            quote!(<i32 as serde::Deserialize>::deserialize(deserializer).map(Self::from)),
        )
    } else {
        (
            quote!(serializer.serialize_str(self.as_str())),
            quote!(<String as serde::Deserialize>::deserialize(deserializer)
                .map(|value| Self::from(value.as_str()))),
        )
    };
    quote! {
        #[cfg(feature = "serde")]
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #write
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #read
            }
        }
    }
}

/// `Deserialize` of the union `name` from a map of one entry: `reads` are the arms of its
/// known members; an unknown member is kept as received.
fn union_deserialize(
    name: &Ident,
    expecting: &str,
    reads: impl Iterator<Item = TokenStream>,
) -> TokenStream {
    quote! {
        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct UnionVisitor;

                impl<'de> serde::de::Visitor<'de> for UnionVisitor {
                    type Value = #name;

                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        formatter.write_str(#expecting)
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#name, A::Error> {
                        let Some(key) = map.next_key::<String>()? else {
                            return Err(serde::de::Error::custom(#expecting));
                        };
                        let value = match key.as_str() {
                            #(#reads)*
                            _ => {
                                let value = map.next_value::<crate::primitives::Document>()?;
                                #name::Unknown { name: key, value }
                            }
                        };
                        if map.next_key::<String>()?.is_some() {
                            return Err(serde::de::Error::custom(#expecting));
                        }
                        Ok(value)
                    }
                }

                deserializer.deserialize_map(UnionVisitor)
            }
        }
    }
}

/// The arm of `Serialize` that writes the variant of `member` (refused for a sensitive one
/// without `serde-sensitive`).
fn union_write(shape: &DataShape, member: &Member) -> TokenStream {
    let (variant, key) = (names::variant_ident(&member.name), &member.name);
    let write = quote!(map.serialize_entry(#key, value)?);
    if !(shape.sensitive || member.sensitive) {
        return quote!(Self::#variant(value) => #write,);
    }
    let refused = format!(
        "the `{}` member of `{}` is sensitive: turn on `serde-sensitive` to write it",
        member.name, shape.name
    );
    quote! {
        Self::#variant(value) => {
            #[cfg(feature = "serde-sensitive")]
            #write;
            #[cfg(not(feature = "serde-sensitive"))]
            {
                let _ = value;
                return Err(serde::ser::Error::custom(#refused));
            }
        }
    }
}

/// A union as a map of one entry, member name to value; an unknown member is kept as
/// received. Sensitive variants are written under `serde-sensitive` only (else an error).
pub fn union_impls(context: &Context, shape: &DataShape, members: &[Member]) -> TokenStream {
    let service = context.service;
    if !enabled(context) || shape.event_stream {
        return TokenStream::new();
    }
    let name = names::type_ident(&shape.name);
    let expecting = format!("a `{}` union: a map of one member", shape.name);
    let writes = members.iter().map(|member| union_write(shape, member));
    let reads = members.iter().map(|member| {
        let name = &name;
        let (variant, key) = (names::variant_ident(&member.name), &member.name);
        let stored = types::stored_type(service, member);
        quote!(#key => #name::#variant(map.next_value::<#stored>()?),)
    });
    let deserialize = union_deserialize(&name, &expecting, reads);
    quote! {
        #[cfg(feature = "serde")]
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(Some(1))?;
                match self {
                    #(#writes)*
                    Self::Unknown { name, value } => map.serialize_entry(name, value)?,
                }
                map.end()
            }
        }

        #deserialize

    }
}
