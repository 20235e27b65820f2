//! restXml: restJson1's HTTP bindings with XML bodies.

use proc_macro2::TokenStream;
use quote::quote;

use super::responses::{self, Requests};
use super::{BodyCodec, Wire};
use crate::ir::{DataShape, Member, Role};
use crate::render::codecs::http_body::BodyFormat;
use crate::render::codecs::xml::Xml;
use crate::render::codecs::xml_read;
use crate::render::members::has_payload;
use crate::render::Context;
use crate::rust::names;

/// restXml, and whether its error bodies are `<Error>` itself (`noErrorWrapping`).
pub struct RestXml {
    pub no_error_wrapping: bool,
}

impl Wire for RestXml {
    fn codec(&self) -> &'static dyn BodyCodec {
        &Xml {
            form_requests: false,
        }
    }

    fn initial_response_in_stream(&self) -> bool {
        false
    }

    fn role_methods(
        &self,
        context: &Context,
        shape: &DataShape,
        members: &[Member],
    ) -> TokenStream {
        responses::role_methods(
            self,
            context,
            shape,
            members,
            Requests::Http(BodyFormat::Xml),
            || body_read(context, shape, members, self.no_error_wrapping),
        )
    }
}

/// The body read of restXml: the members in the body from its root element into `Self` (`?`
/// applies), an error from its `<Error>` (wrapped or not), or from nothing when a payload member
/// takes the body.
fn body_read(
    context: &Context,
    shape: &DataShape,
    members: &[Member],
    no_error_wrapping: bool,
) -> TokenStream {
    let shape_name = names::type_ident(&shape.name);
    let error = matches!(shape.role, Role::Error { .. });
    let root = quote!(&ivschat_runtime::deserialize::Path::Root(
        stringify!(#shape_name)
    ));
    if has_payload(members) {
        return quote!(Self::read_xml(&mut ivschat_runtime::xml::read::Reader::empty(), &ivschat_runtime::xml::read::Start::empty(), #root));
    }
    if let Some(member) = unwrapped_member(context, shape, members) {
        return unwrapped_read(context, shape, member, &root);
    }
    let read = quote!(|reader, start| Self::read_xml(reader, start, #root));
    if error {
        quote!(ivschat_runtime::xml::read::rest_xml_error(response.body(), #no_error_wrapping, #read))
    } else {
        quote!(ivschat_runtime::xml::read::document_root(response.body(), #read))
    }
}

/// The one body member of an output whose operation's response is that member's element
/// itself (`s3UnwrappedXmlOutput`).
fn unwrapped_member<'m>(
    context: &Context,
    shape: &DataShape,
    members: &'m [Member],
) -> Option<&'m Member> {
    let unwrapped = context.service.operations.iter().any(|operation| {
        operation.unwrapped_xml_output
            && std::ptr::eq(context.service.shape(operation.output), shape)
    });
    let mut in_body = members.iter().filter(|member| member.in_body());
    match (unwrapped, in_body.next(), in_body.next()) {
        (true, Some(member), None) => Some(member),
        _ => None,
    }
}

/// Reads `member` from the root element of the body, the other members as if the body were
/// empty.
fn unwrapped_read(
    context: &Context,
    shape: &DataShape,
    member: &Member,
    root: &TokenStream,
) -> TokenStream {
    let field = names::field_ident(&member.name);
    let path = format!("{}.{}", shape.name, member.name);
    let read = xml_read::read_value(
        context,
        member,
        quote!(start),
        quote!(&ivschat_runtime::deserialize::Path::Root(#path)),
    );
    let value = match shape.is_plain(member) {
        true => quote!(#field),
        false => quote!(Some(#field)),
    };
    quote!(ivschat_runtime::xml::read::document_root(response.body(), |reader, start| {
        use ivschat_runtime::xml::read;
        let #field = #read?;
        let mut value = Self::read_xml(&mut read::Reader::empty(), &read::Start::empty(), #root)?;
        value.#field = #value;
        Ok(value)
    }))
}
