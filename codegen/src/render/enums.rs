//! String enums and intEnums: named variants plus `Unknown`, which keeps values this version
//! of the client does not know.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use crate::ir::{DataShape, EnumVariant};
use crate::rust::names;

/// A string enum.
pub fn render_string(shape: &DataShape, variants: &[EnumVariant]) -> TokenStream {
    let name = names::type_ident(&shape.name);
    let header = header(shape);
    let idents: Vec<_> = variants
        .iter()
        .map(|variant| names::variant_ident(&variant.name))
        .collect();
    let definitions = variants.iter().zip(&idents).map(|(variant, ident)| {
        let attributes = variant_attributes(variant);
        quote!(#attributes #ident,)
    });
    let values: Vec<&str> = variants
        .iter()
        .map(|variant| variant.value.as_str())
        .collect();
    let text_impls = text_impls(&name);
    quote! {
        #header
        pub enum #name {
            #(#definitions)*
            /// A value this version of the client does not know, kept as received.
            Unknown(ivschat_runtime::UnknownValue),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #values,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Every value this version of the client knows.
            pub const fn values() -> &'static [&'static str] {
                &[#(#values),*]
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#values => Self::#idents,)*
                    other => Self::Unknown(ivschat_runtime::UnknownValue::new(other)),
                }
            }
        }

        #text_impls
    }
}

/// `FromStr`, `AsRef<str>` and `Display` of the string enum `name`, from its `From<&str>` and
/// `as_str`.
fn text_impls(name: &proc_macro2::Ident) -> TokenStream {
    quote! {
        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

/// An intEnum.
pub fn render_int(shape: &DataShape, variants: &[EnumVariant<i64>]) -> TokenStream {
    let name = names::type_ident(&shape.name);
    let header = header(shape);
    let idents: Vec<_> = variants
        .iter()
        .map(|variant| names::variant_ident(&variant.name))
        .collect();
    let definitions = variants.iter().zip(&idents).map(|(variant, ident)| {
        let attributes = variant_attributes(variant);
        quote!(#attributes #ident,)
    });
    let values: Vec<i32> = variants
        .iter()
        .map(|variant| variant.value as i32)
        .collect();
    quote! {
        #header
        pub enum #name {
            #(#definitions)*
            /// A value this version of the client does not know, kept as received.
            Unknown(i32),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_i32(&self) -> i32 {
                match self {
                    #(Self::#idents => #values,)*
                    Self::Unknown(value) => *value,
                }
            }

            /// Every value this version of the client knows.
            pub const fn values() -> &'static [i32] {
                &[#(#values),*]
            }
        }

        impl From<i32> for #name {
            fn from(value: i32) -> Self {
                match value {
                    #(#values => Self::#idents,)*
                    other => Self::Unknown(other),
                }
            }
        }
    }
}

/// Docs, derives and attributes of an enum.
fn header(shape: &DataShape) -> TokenStream {
    let docs = docs::item(
        shape.docs.as_deref(),
        &format!("The `{}` enumeration.", shape.name),
    );
    let deprecated = docs::deprecated(shape.deprecated.as_ref());
    quote! {
        #docs
        #deprecated
        #[non_exhaustive]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    }
}

/// The docs and deprecation of one variant.
fn variant_attributes<V: std::fmt::Display>(variant: &EnumVariant<V>) -> TokenStream {
    let value = format!("`{}`", variant.value);
    let docs = docs::item(variant.docs.as_deref(), &format!("The value {value}."));
    let deprecated = variant.deprecated.then(|| quote!(#[deprecated]));
    quote!(#docs #deprecated)
}
