//! restXml serializers: `write_xml` on every shape sent to the service, writing the members
//! without an HTTP binding as child elements (`@xmlAttribute` ones as attributes), with
//! `@xmlName`, `@xmlFlattened` and `@xmlNamespace` applied; and the root element of a body.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::format_tokens;
use super::numbered;
use crate::ir::TimestampFormat;
use crate::ir::{DataShape, Member, Primitive, Scalar, Value, XmlNamespace};
use crate::render::members::{entry_names, item_name, when_set, wire_name};
use crate::render::Context;

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

/// An expression for the text of `value` (a `&T`), a scalar.
fn text_of(scalar: Scalar, member: &Member, value: &TokenStream) -> TokenStream {
    let primitive = match scalar {
        Scalar::Enum(_) => return quote!(#value.as_str()),
        Scalar::IntEnum(_) => return quote!(&#value.as_i32().to_string()),
        Scalar::Primitive(primitive) => primitive,
    };
    match primitive {
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
    }
}

/// Where a value is written: into `parent`, as element(s) named `name`, at nesting `depth`
/// (which keeps the generated variables apart).
#[derive(Clone, Copy)]
struct Site<'s> {
    parent: &'s Ident,
    name: &'s str,
    depth: usize,
}

/// `body` inside a new child `name` of `parent`, bound to `element`, declaring `declare`.
fn inside(element: &Ident, site: Site, declare: &TokenStream, body: TokenStream) -> TokenStream {
    let (parent, name) = (site.parent, site.name);
    quote! {
        let mut #element = #parent.child(#name);
        #declare
        #body
        #element.finish();
    }
}

/// Statements writing `value` (a `&T`) of `member` at `site`; `flattened` lists and maps put
/// their entries directly in the parent.
fn write_value(
    context: &Context,
    member: &Member,
    flattened: bool,
    value: TokenStream,
    site: Site,
) -> TokenStream {
    let element = numbered("element", site.depth);
    let declare = namespace_attribute(member.xml.namespace.as_ref(), &element);
    match context.service.value(member.target) {
        Value::Scalar(scalar) => {
            let text = text_of(scalar, member, &value);
            if declare.is_empty() {
                let (parent, name) = (site.parent, site.name);
                return quote!(#parent.text_child(#name, #text););
            }
            inside(&element, site, &declare, quote!(#element.text(#text);))
        }
        Value::Structure(_) => inside(
            &element,
            site,
            &declare,
            quote!(#value.write_xml(&mut #element);),
        ),
        Value::List(item) => {
            let each = numbered("item", site.depth);
            let items = |parent: &Ident, name: &str| {
                let item_site = Site {
                    parent,
                    name,
                    depth: site.depth + 1,
                };
                let inner = write_value(context, item, false, quote!(#each), item_site);
                quote!(for #each in #value.iter() { #inner })
            };
            match flattened {
                true => items(site.parent, site.name),
                false => inside(&element, site, &declare, items(&element, item_name(item))),
            }
        }
        Value::Map(key, entry) => {
            if flattened {
                return write_entries(context, (key, entry), value, site.parent, site);
            }
            let entry_site = Site {
                name: "entry",
                ..site
            };
            let entries = write_entries(context, (key, entry), value, &element, entry_site);
            inside(&element, site, &declare, entries)
        }
    }
}

/// The entries of map `value` as elements `entry_site.name` of `holder`, each with its key
/// and value elements, sorted by key so that the same map always makes the same body.
fn write_entries(
    context: &Context,
    (key, entry): (&Member, &Member),
    value: TokenStream,
    holder: &Ident,
    entry_site: Site,
) -> TokenStream {
    let depth = entry_site.depth;
    let (key_name, value_name) = entry_names(key, entry);
    let (entries, element, entry_key, entry_item, key_element) = (
        numbered("entries", depth),
        numbered("entry", depth),
        numbered("key", depth),
        numbered("value", depth),
        numbered("key_element", depth),
    );
    let value_site = Site {
        parent: &element,
        name: value_name,
        depth: depth + 1,
    };
    let inner = write_value(context, entry, false, quote!(#entry_item), value_site);
    let declare_key = namespace_attribute(key.xml.namespace.as_ref(), &key_element);
    let tag = entry_site.name;
    quote! {
        let mut #entries: Vec<_> = #value.iter().collect();
        #entries.sort_by(|a, b| a.0.cmp(b.0));
        for (#entry_key, #entry_item) in #entries {
            let mut #element = #holder.child(#tag);
            let mut #key_element = #element.child(#key_name);
            #declare_key
            #key_element.text(#entry_key);
            #key_element.finish();
            #inner
            #element.finish();
        }
    }
}

/// Statements writing one member's `value` into `element`: an attribute or child element(s).
fn write_member(context: &Context, member: &Member, value: TokenStream) -> TokenStream {
    let name = wire_name(member);
    let parent = Ident::new("element", Span::call_site());
    // `ir` refuses attributes that are not scalars.
    if let (true, Some(scalar)) = (member.xml.attribute, context.service.scalar(member.target)) {
        let text = text_of(scalar, member, &value);
        return quote!(element.attribute(#name, #text););
    }
    let site = Site {
        parent: &parent,
        name,
        depth: 0,
    };
    write_value(context, member, member.xml.flattened, value, site)
}

/// `write_xml` for a structure sent to the service: attributes first, then the elements of
/// the members without an HTTP binding.
pub fn structure(context: &Context, shape: &DataShape, members: &[Member]) -> TokenStream {
    if !crate::render::members::writes_body(context.service, shape, members) {
        return TokenStream::new();
    }
    let body: Vec<&Member> = members
        .iter()
        .filter(|member| member.http.is_none())
        .collect();
    let (attributes, elements): (Vec<&Member>, Vec<&Member>) =
        body.into_iter().partition(|member| member.xml.attribute);
    let statements = attributes
        .into_iter()
        .chain(elements)
        .map(|member| when_set(shape, member, write_member(context, member, quote!(value))));
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
    let set = crate::render::members::union_match(members, |member| {
        write_member(context, member, quote!(value))
    });
    quote! {
        /// Writes the member that is set (an unknown member cannot be sent and is skipped).
        pub(crate) fn write_xml(&self, element: &mut ivschat_runtime::xml::ElementWriter<'_>) {
            #set
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
