//! JSON and CBOR serializers: `write_json` (`write_cbor` in RPC v2 CBOR) on every shape sent to
//! the service, writing members with no HTTP binding (the body), with `@jsonName` and
//! `@timestampFormat` applied where the protocol has them.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::format_tokens;
use super::numbered;
use crate::ir::TimestampFormat;
use crate::ir::{DataKind, DataShape, Member, Primitive, Protocol, Target};
use crate::render::Context;

/// The body writer method of the service's format and the object type it writes into: JSON,
/// or CBOR for RPC v2 CBOR (the same writer methods over another type).
pub fn body_writer(context: &Context) -> (Ident, TokenStream) {
    if context.service.protocol == Protocol::RpcV2Cbor {
        (
            Ident::new("write_cbor", Span::call_site()),
            quote!(ivschat_runtime::cbor::CborObject<'_>),
        )
    } else {
        (
            Ident::new("write_json", Span::call_site()),
            quote!(ivschat_runtime::json::JsonObject<'_>),
        )
    }
}

/// The JSON key of a member: its model name, or its `@jsonName` in restJson1 (the awsJson
/// protocols ignore the trait).
pub fn json_key<'m>(context: &Context, member: &'m Member) -> &'m str {
    match (context.service.protocol, &member.json_name) {
        (crate::ir::Protocol::RestJson1, Some(name)) => name,
        _ => &member.wire_name,
    }
}

/// Statements writing `value` (a `&T` expression) of `member` into `writer` (a `JsonValue`).
pub fn write_value(
    context: &Context,
    member: &Member,
    value: TokenStream,
    writer: TokenStream,
    depth: usize,
) -> TokenStream {
    let shape = match member.target {
        Target::Primitive(primitive) => return write_primitive(primitive, member, value, writer),
        Target::Shape(shape) => context.service.shape(shape),
    };
    match &shape.kind {
        DataKind::Alias { primitive, .. } => write_primitive(*primitive, member, value, writer),
        DataKind::Enum(_) => quote!(#writer.string(#value.as_str());),
        DataKind::IntEnum(_) => quote!(#writer.integer(i64::from(#value.as_i32()));),
        DataKind::Structure(_) | DataKind::Union(_) => {
            let object = numbered("object", depth);
            let (method, _) = body_writer(context);
            quote! {
                let mut #object = #writer.object();
                #value.#method(&mut #object);
                #object.finish();
            }
        }
        DataKind::List {
            member: element,
            sparse,
        } => write_list(context, element, *sparse, value, writer, depth),
        DataKind::Map {
            value: entry,
            sparse,
            ..
        } => write_map(context, entry, *sparse, value, writer, depth),
    }
}

/// Writes a scalar.
fn write_primitive(
    primitive: Primitive,
    member: &Member,
    value: TokenStream,
    writer: TokenStream,
) -> TokenStream {
    match primitive {
        Primitive::String => quote!(#writer.string(#value);),
        Primitive::Boolean => quote!(#writer.boolean(*#value);),
        Primitive::Long => quote!(#writer.integer(*#value);),
        Primitive::Byte | Primitive::Short | Primitive::Integer => {
            quote!(#writer.integer(i64::from(*#value));)
        }
        Primitive::Double => quote!(#writer.float(*#value);),
        Primitive::Float => quote!(#writer.float(f64::from(*#value));),
        Primitive::Timestamp => {
            let format = format_tokens(member.timestamp_format, TimestampFormat::EpochSeconds);
            quote!(#writer.timestamp(#value, #format);)
        }
        Primitive::Blob => quote!(#writer.blob(#value);),
        Primitive::Document => quote!(#writer.document(#value);),
        Primitive::BigInteger | Primitive::BigDecimal => {
            quote!(#writer.raw_number(#value.as_str());)
        }
    }
}

/// Writes a list as a JSON array (a sparse list's `None` items as `null`).
fn write_list(
    context: &Context,
    element: &Member,
    sparse: bool,
    value: TokenStream,
    writer: TokenStream,
    depth: usize,
) -> TokenStream {
    let array = numbered("array", depth);
    let item = numbered("item", depth);
    let inner = write_value(
        context,
        element,
        quote!(#item),
        quote!(#array.value()),
        depth + 1,
    );
    let body = if sparse {
        quote!(match #item { Some(#item) => { #inner } None => #array.value().null(), })
    } else {
        inner
    };
    quote! {
        let mut #array = #writer.array();
        for #item in #value.iter() { #body }
        #array.finish();
    }
}

/// Writes a map as a JSON object (a sparse map's `None` entries as `null`).
fn write_map(
    context: &Context,
    entry: &Member,
    sparse: bool,
    value: TokenStream,
    writer: TokenStream,
    depth: usize,
) -> TokenStream {
    let object = numbered("map", depth);
    let entry_name = numbered("entry", depth);
    let key_name = numbered("key", depth);
    let key_text = quote!(#key_name.as_str());
    let inner = write_value(
        context,
        entry,
        quote!(#entry_name),
        quote!(#object.key(#key_text)),
        depth + 1,
    );
    let body = if sparse {
        quote!(match #entry_name { Some(#entry_name) => { #inner } None => #object.key(#key_text).null(), })
    } else {
        inner
    };
    quote! {
        let mut #object = #writer.object();
        for (#key_name, #entry_name) in #value.iter() { #body }
        #object.finish();
    }
}

/// `write_json` for a structure: its body members (those without an HTTP binding).
pub fn structure(context: &Context, shape: &DataShape, members: &[Member]) -> TokenStream {
    if !crate::render::members::writes_body(context.service, shape, members) {
        return TokenStream::new();
    }
    let mut statements = Vec::new();
    for member in members.iter().filter(|member| member.in_body()) {
        let key = json_key(context, member);
        let write = write_value(context, member, quote!(value), quote!(object.key(#key)), 0);
        statements.push(crate::render::members::when_set(shape, member, write));
    }
    let object = if statements.is_empty() {
        quote!(_object)
    } else {
        quote!(object)
    };
    let (method, object_type) = body_writer(context);
    let doc = if context.service.protocol == Protocol::RpcV2Cbor {
        " Writes the members that go in the CBOR body."
    } else {
        " Writes the members that go in the JSON body."
    };
    quote! {
        #[doc = #doc]
        pub(crate) fn #method(&self, #object: &mut #object_type) {
            #(#statements)*
        }
    }
}

/// `write_json` for a union: the member that is set, as a one-key object.
pub fn union(context: &Context, shape: &DataShape, members: &[Member]) -> TokenStream {
    if !shape.usage.input {
        return TokenStream::new();
    }
    let set = crate::render::members::union_match(members, |member| {
        let key = json_key(context, member);
        write_value(context, member, quote!(value), quote!(object.key(#key)), 0)
    });
    let (method, object_type) = body_writer(context);
    quote! {
        /// Writes the member that is set (an unknown member cannot be sent and is skipped).
        pub(crate) fn #method(&self, object: &mut #object_type) {
            #set
        }
    }
}
