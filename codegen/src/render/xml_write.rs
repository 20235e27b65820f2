//! restXml serializers: `write_xml` on every shape sent to the service, writing the members
//! without an HTTP binding as child elements (`@xmlAttribute` ones as attributes), with
//! `@xmlName`, `@xmlFlattened` and `@xmlNamespace` applied; and the root element of a body.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::members::{entry_names, is_plain, item_name, wire_name};
use super::serialize::format_tokens;
use super::Context;
use crate::ir::{DataKind, DataShape, Member, Primitive, Target, XmlNamespace};
use crate::rust::{names, types};
use crate::smithy::TimestampFormat;

fn ident(prefix: &str, depth: usize) -> Ident {
    Ident::new(&format!("{prefix}{depth}"), Span::call_site())
}

/// Statements declaring `namespace` on the element `element`.
pub fn namespace_attribute(namespace: Option<&XmlNamespace>, element: &Ident) -> TokenStream {
    let Some(namespace) = namespace else {
        return TokenStream::new();
    };
    let attribute = match &namespace.prefix {
        Some(prefix) => format!("xmlns:{prefix}"),
        None => "xmlns".to_owned(),
    };
    let uri = &namespace.uri;
    quote!(#element.attribute(#attribute, #uri);)
}

/// An expression for the text of a scalar `value` (a `&T`), or `None` for other shapes.
fn scalar_text(context: &Context, member: &Member, value: &TokenStream) -> Option<TokenStream> {
    let service = context.service;
    if let Some(primitive) = types::primitive_of(service, member.target) {
        return Some(match primitive {
            Primitive::String => quote!(#value.as_str()),
            Primitive::Boolean
            | Primitive::Byte
            | Primitive::Short
            | Primitive::Integer
            | Primitive::Long => quote!(&#value.to_string()),
            Primitive::Float | Primitive::Double => {
                quote!(&ivschat_runtime::operation::request::float_text(*#value))
            }
            Primitive::Timestamp => {
                let format = format_tokens(member.timestamp_format, TimestampFormat::DateTime);
                quote!(&#value.fmt(#format))
            }
            Primitive::Blob => quote!(&ivschat_runtime::json::base64::encode(#value.as_ref())),
            Primitive::Document | Primitive::BigInteger | Primitive::BigDecimal => {
                quote!(&#value.to_string())
            }
        });
    }
    let Target::Shape(shape) = member.target else {
        return None;
    };
    match &service.shape(shape).kind {
        DataKind::Enum(_) => Some(quote!(#value.as_str())),
        DataKind::IntEnum(_) => Some(quote!(&#value.as_i32().to_string())),
        _ => None,
    }
}

/// Statements writing `value` (a `&T`) of `member` into `parent` as element(s) named `name`;
/// `flattened` lists and maps put their entries directly in `parent`.
fn write_value(
    context: &Context,
    member: &Member,
    flattened: bool,
    value: TokenStream,
    parent: &Ident,
    name: &str,
    depth: usize,
) -> TokenStream {
    let element = ident("element", depth);
    let declare = namespace_attribute(member.xml.namespace.as_ref(), &element);
    if let Some(text) = scalar_text(context, member, &value) {
        if declare.is_empty() {
            return quote!(#parent.text_child(#name, #text););
        }
        return quote! {
            let mut #element = #parent.child(#name);
            #declare
            #element.text(#text);
            #element.finish();
        };
    }
    let Target::Shape(shape) = member.target else {
        unreachable!("primitives are scalars")
    };
    match &context.service.shape(shape).kind {
        DataKind::Structure(_) | DataKind::Union(_) => quote! {
            let mut #element = #parent.child(#name);
            #declare
            #value.write_xml(&mut #element);
            #element.finish();
        },
        DataKind::List { member: item, .. } => {
            let each = ident("item", depth);
            if flattened {
                let inner =
                    write_value(context, item, false, quote!(#each), parent, name, depth + 1);
                return quote!(for #each in #value.iter() { #inner });
            }
            let inner = write_value(
                context,
                item,
                false,
                quote!(#each),
                &element,
                item_name(item),
                depth + 1,
            );
            quote! {
                let mut #element = #parent.child(#name);
                #declare
                for #each in #value.iter() { #inner }
                #element.finish();
            }
        }
        DataKind::Map {
            key,
            value: entry_value,
            ..
        } => {
            let (key_name, value_name) = entry_names(key, entry_value);
            let entries = ident("entries", depth);
            let entry = ident("entry", depth);
            let entry_key = ident("key", depth);
            let entry_item = ident("value", depth);
            let inner = write_value(
                context,
                entry_value,
                false,
                quote!(#entry_item),
                &entry,
                value_name,
                depth + 1,
            );
            let key_element = ident("key_element", depth);
            let declare_key = namespace_attribute(key.xml.namespace.as_ref(), &key_element);
            let (entry_tag, holder) = if flattened {
                (name, parent.clone())
            } else {
                ("entry", element.clone())
            };
            let each = quote! {
                // Sorted, so that the same map always makes the same body.
                let mut #entries: Vec<_> = #value.iter().collect();
                #entries.sort_by(|a, b| a.0.cmp(b.0));
                for (#entry_key, #entry_item) in #entries {
                    let mut #entry = #holder.child(#entry_tag);
                    let mut #key_element = #entry.child(#key_name);
                    #declare_key
                    #key_element.text(#entry_key);
                    #key_element.finish();
                    #inner
                    #entry.finish();
                }
            };
            if flattened {
                return each;
            }
            quote! {
                let mut #element = #parent.child(#name);
                #declare
                #each
                #element.finish();
            }
        }
        DataKind::Alias { .. } | DataKind::Enum(_) | DataKind::IntEnum(_) => {
            unreachable!("scalars are handled above")
        }
    }
}

/// Statements writing one member's `value` into `element`: an attribute or child element(s).
fn write_member(context: &Context, member: &Member, value: TokenStream) -> TokenStream {
    let name = wire_name(member);
    let parent = Ident::new("element", Span::call_site());
    if member.xml.attribute {
        let text = scalar_text(context, member, &value).unwrap_or_else(|| quote!(""));
        return quote!(element.attribute(#name, #text););
    }
    write_value(
        context,
        member,
        member.xml.flattened,
        value,
        &parent,
        name,
        0,
    )
}

/// `write_xml` for a structure sent to the service: attributes first, then the elements of
/// the members without an HTTP binding.
pub fn structure(context: &Context, shape: &DataShape, members: &[Member]) -> TokenStream {
    if !super::members::writes_body(shape, members) {
        return TokenStream::new();
    }
    let body: Vec<&Member> = members
        .iter()
        .filter(|member| member.http.is_none())
        .collect();
    let (attributes, elements): (Vec<&Member>, Vec<&Member>) =
        body.into_iter().partition(|member| member.xml.attribute);
    let statements = attributes.into_iter().chain(elements).map(|member| {
        let field = names::field_ident(&member.name);
        let write = write_member(context, member, quote!(value));
        if is_plain(shape, member) {
            quote!({ let value = &self.#field; #write })
        } else {
            quote!(if let Some(value) = &self.#field { #write })
        }
    });
    let statements: Vec<TokenStream> = statements.collect();
    let element = if statements.is_empty() {
        quote!(_element)
    } else {
        quote!(element)
    };
    quote! {
        /// Writes the members that go in the XML body into `element`.
        pub(crate) fn write_xml(&self, #element: &mut ivschat_runtime::xml::ElementWriter<'_>) {
            #(#statements)*
        }
    }
}

/// `write_xml` for a union: the member that is set.
pub fn union(context: &Context, shape: &DataShape, members: &[Member]) -> TokenStream {
    if !shape.usage.input {
        return TokenStream::new();
    }
    let arms = members.iter().map(|member| {
        let variant = names::variant_ident(&member.name);
        let write = write_member(context, member, quote!(value));
        quote!(Self::#variant(value) => { #write })
    });
    quote! {
        /// Writes the member that is set (an unknown member cannot be sent and is skipped).
        pub(crate) fn write_xml(&self, element: &mut ivschat_runtime::xml::ElementWriter<'_>) {
            match self {
                #(#arms)*
                Self::Unknown { .. } => {}
            }
        }
    }
}

/// Statements that make `body` (`Bytes`) from `value` (a structure or union reference)
/// written under a root element `root_name`, declaring the shape's or else the service's
/// namespace, and set the XML content type unless a header member set one.
pub fn body(
    context: &Context,
    value: TokenStream,
    root_name: &str,
    namespace: Option<&XmlNamespace>,
) -> TokenStream {
    let root = Ident::new("root", Span::call_site());
    let declare = namespace_attribute(namespace.or(context.service.xml_namespace.as_ref()), &root);
    quote! {
        headers.entry("content-type").or_insert(ivschat_runtime::http::HeaderValue::from_static("application/xml"));
        let mut writer = ivschat_runtime::xml::XmlWriter::new();
        let mut #root = writer.root(#root_name);
        #declare
        #value.write_xml(&mut #root);
        #root.finish();
        ivschat_runtime::bytes::Bytes::from(writer.finish())
    }
}
