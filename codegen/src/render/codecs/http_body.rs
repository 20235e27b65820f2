//! Request bodies of the HTTP-bound protocols: the document of an input's unbound members and
//! a structure or union payload, as JSON (restJson1) or XML (restXml).

use proc_macro2::TokenStream;
use quote::quote;

use super::xml_write;
use crate::ir::{DataShape, Member};

/// The format of an HTTP-bound protocol's bodies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyFormat {
    /// restJson1.
    Json,
    /// restXml.
    Xml,
}
use crate::render::Context;

/// Statements that make `body` from an input's members without an HTTP binding and set its
/// content type: a JSON object, or an XML document rooted at the input's name.
pub fn document_body(context: &Context, shape: &DataShape, format: BodyFormat) -> TokenStream {
    match format {
        BodyFormat::Xml => {
            let root = shape
                .xml
                .name
                .clone()
                .unwrap_or_else(|| shape.id.name().to_owned());
            let body = xml_write::body(context, quote!(self), &root, shape.xml.namespace.as_ref());
            quote!(let body = { #body };)
        }
        BodyFormat::Json => quote! {
            headers.insert("content-type", ivschat_runtime::http::HeaderValue::from_static("application/json"));
            let body = ivschat_runtime::json::object_body(|object| self.write_json(object));
        },
    }
}

/// The bodies of a structure or union `@httpPayload`, as `Bytes` expressions that set the
/// content type unless a header member did.
pub struct PayloadBodies {
    /// The set payload, `value`.
    pub value: TokenStream,
    /// An unset structure payload.
    pub unset_structure: TokenStream,
    /// An unset union payload.
    pub unset_union: TokenStream,
}

/// [`PayloadBodies`] of `member`: JSON (an unset structure is `{}`, an unset union no body),
/// or an XML document rooted at the member's or target's name (unset: no body, still typed).
pub fn structure_payload(context: &Context, member: &Member, format: BodyFormat) -> PayloadBodies {
    let content_type = |value: &str| quote!(headers.entry("content-type").or_insert(ivschat_runtime::http::HeaderValue::from_static(#value)););
    let target = match member.target {
        crate::ir::Target::Shape(shape) => Some(context.service.shape(shape)),
        crate::ir::Target::Primitive(_) => None,
    };
    if let (BodyFormat::Xml, Some(target)) = (format, target) {
        let root = member
            .xml
            .name
            .clone()
            .or_else(|| target.xml.name.clone())
            .unwrap_or_else(|| target.id.name().to_owned());
        let namespace = member
            .xml
            .namespace
            .as_ref()
            .or(target.xml.namespace.as_ref());
        let body = xml_write::body(context, quote!(value), &root, namespace);
        let xml = content_type("application/xml");
        let unset = quote!({ #xml ivschat_runtime::bytes::Bytes::new() });
        return PayloadBodies {
            value: quote!({ #body }),
            unset_structure: unset.clone(),
            unset_union: unset,
        };
    }
    let json = content_type("application/json");
    PayloadBodies {
        value: quote!({
            #json
            ivschat_runtime::json::object_body(|object| value.write_json(object))
        }),
        unset_structure: quote!({ #json ivschat_runtime::bytes::Bytes::from_static(b"{}") }),
        unset_union: quote!(ivschat_runtime::bytes::Bytes::new()),
    }
}
