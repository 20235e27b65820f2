//! XML deserializers: `read_xml` on every shape received from the service, pulling its
//! elements from the body straight into the value (no element tree), with `@xmlName`,
//! `@xmlFlattened` and `@xmlAttribute` applied. Unknown elements are ignored,
//! unknown enum and union values kept, and a required member the service left out gets its
//! zero value, as in the JSON readers.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::format_tokens;
use super::json_read::{bound_placeholder, read_or_missing};
use crate::ir::TimestampFormat;
use crate::ir::{DataKind, DataShape, Member, Primitive, Role, Scalar, Target, Value};
use crate::render::members::{entry_names, item_name, wire_name};
use crate::render::Context;
use crate::rust::{names, types};

/// The closure parameters of an element reader, typed so that they accept any path lifetime
/// (`'a` is the body's lifetime, declared by the enclosing `read_xml`).
fn params() -> TokenStream {
    quote!(|reader: &mut read::Reader<'a>, start: &read::Start<'a>, path: &read::Path<'_>|)
}

/// A text reader of `member`'s values (`fn(&str, &Path) -> Result<T, _>`), when they are
/// scalars read from text (an element's or an attribute's).
fn text_reader(context: &Context, member: &Member) -> Option<TokenStream> {
    context
        .service
        .scalar(member.target)
        .map(|scalar| scalar_text_reader(context, scalar, member))
}

/// The text reader of a scalar (`member`'s timestamp format applies).
fn scalar_text_reader(context: &Context, scalar: Scalar, member: &Member) -> TokenStream {
    match scalar {
        Scalar::Primitive(primitive) => primitive_text_reader(primitive, member),
        Scalar::Enum(shape) => {
            let path_type = types::shape_path(context.service, shape);
            quote!(read::string_enum::<#path_type>)
        }
        Scalar::IntEnum(shape) => {
            let path_type = types::shape_path(context.service, shape);
            quote!(read::int_enum::<#path_type>)
        }
    }
}

/// The text reader of a scalar of type `primitive` (`member`'s timestamp format applies).
fn primitive_text_reader(primitive: Primitive, member: &Member) -> TokenStream {
    match primitive {
        Primitive::String => quote!(read::string),
        Primitive::Boolean => quote!(read::boolean),
        Primitive::Byte => quote!(read::integer::<i8>),
        Primitive::Short => quote!(read::integer::<i16>),
        Primitive::Integer => quote!(read::integer::<i32>),
        Primitive::Long => quote!(read::integer::<i64>),
        Primitive::Float => quote!(read::float32),
        Primitive::Double => quote!(read::float),
        Primitive::Timestamp => {
            let format = format_tokens(member.timestamp_format, TimestampFormat::DateTime);
            quote!(read::timestamp_in(#format))
        }
        Primitive::Blob => quote!(read::blob),
        // Never in a received shape: `ir::readable` refuses such models.
        Primitive::Document | Primitive::BigInteger | Primitive::BigDecimal => {
            let message = format!("{primitive:?} values cannot be read from XML");
            quote!(|_: &str, path: &read::Path<'_>| Err(read::DeserializeError::new(path.to_string(), #message)))
        }
    }
}

/// An element reader of `member`'s values (`fn(&mut Reader, &Start, &Path) -> Result<T, _>`),
/// consuming the element that holds the value.
fn reader(context: &Context, member: &Member) -> TokenStream {
    let service = context.service;
    if service.primitive_of(member.target) == Some(Primitive::String) {
        return quote!(read::string_element);
    }
    if let Some(text) = text_reader(context, member) {
        return quote!(read::element(#text));
    }
    if let Target::Shape(shape) = member.target {
        let plain_structure = matches!(
            service.shape(shape).kind,
            DataKind::Structure(_) | DataKind::Union(_)
        ) && !member.boxed;
        if plain_structure {
            let path_type = types::shape_path(service, shape);
            return quote!(#path_type::read_xml);
        }
    }
    let params = params();
    let read = read_value(context, member, quote!(start), quote!(path));
    quote!(#params #read)
}

/// An expression reading `member`'s value from the element `start` (errors named by `path`),
/// a `Result`.
pub fn read_value(
    context: &Context,
    member: &Member,
    start: TokenStream,
    path: TokenStream,
) -> TokenStream {
    let service = context.service;
    match service.value(member.target) {
        Value::Scalar(Scalar::Primitive(Primitive::String)) => {
            quote!(read::string_element(reader, #start, #path))
        }
        Value::Scalar(scalar) => {
            let text = scalar_text_reader(context, scalar, member);
            quote!((#text)(&reader.text(#start)?, #path))
        }
        Value::Structure(shape) => {
            let path_type = types::shape_path(service, shape);
            match member.boxed {
                true => quote!(#path_type::read_xml(reader, #start, #path).map(Box::new)),
                false => quote!(#path_type::read_xml(reader, #start, #path)),
            }
        }
        Value::List(element) => {
            let name = item_name(element);
            let item = reader(context, element);
            quote!(read::list(reader, #start, #name, #path, #item))
        }
        Value::Map(key, value) => {
            let (key_name, value_name) = entry_names(key, value);
            let item = reader(context, value);
            quote!(read::map(reader, #start, read::MapNames { entry: "entry", key: #key_name, value: #value_name }, #path, #item))
        }
    }
}

/// The match arms that read `member` from a child element of its structure into `slot` (an
/// `Option` of the value, or of the collection when flattened).
fn member_arms(
    context: &Context,
    owner: &DataShape,
    member: &Member,
    slot: &proc_macro2::Ident,
) -> TokenStream {
    let service = context.service;
    let name = wire_name(member);
    let member_path = quote!(&read::Path::Member(path, #name));
    let collection = match member.target {
        Target::Shape(shape) => Some(&service.shape(shape).kind),
        Target::Primitive(_) => None,
    };
    match collection {
        Some(DataKind::List {
            member: element, ..
        }) if member.xml.flattened => {
            let item = reader(context, element);
            quote!(#name => read::push_item(&mut #slot, reader, &child, #member_path, #item)?,)
        }
        Some(DataKind::Map { key, value, .. }) if member.xml.flattened => {
            let (key_name, value_name) = entry_names(key, value);
            let item = reader(context, value);
            quote!(#name => read::insert_entry(&mut #slot, reader, &child, read::MapNames { entry: #name, key: #key_name, value: #value_name }, #member_path, #item)?,)
        }
        // An error's message arrives as `<Message>` whatever the member's case; the member's
        // own name wins when both come.
        _ if matches!(owner.role, Role::Error { .. })
            && name != "Message"
            && name.eq_ignore_ascii_case("message") =>
        {
            let read = read_value(context, member, quote!(&child), member_path);
            let read_message = read_value(
                context,
                member,
                quote!(&child),
                quote!(&read::Path::Member(path, "Message")),
            );
            quote! {
                #name => #slot = Some(#read?),
                "Message" if #slot.is_none() => #slot = Some(#read_message?),
            }
        }
        _ => {
            let read = read_value(context, member, quote!(&child), member_path);
            quote!(#name if #slot.is_none() => #slot = Some(#read?),)
        }
    }
}

/// For each member of a structure read from XML: the statement declaring its slot (an
/// attribute read at once), the match arms filling it from child elements, and its field of
/// the struct literal.
fn member_reading(
    context: &Context,
    shape: &DataShape,
    members: &[Member],
) -> (Vec<TokenStream>, Vec<TokenStream>, Vec<TokenStream>) {
    let mut slots = Vec::new();
    let mut arms = Vec::new();
    let mut fields = Vec::new();
    for (index, member) in members.iter().enumerate() {
        let field = names::field_ident(&member.name);
        if member.bound_in_response() {
            let placeholder = bound_placeholder(context, shape, member);
            fields.push(quote!(#field: #placeholder,));
            continue;
        }
        let slot = format_ident!("member_{index}");
        // `ir` refuses attributes that are not scalars.
        if let (true, Some(text)) = (member.xml.attribute, text_reader(context, member)) {
            let name = wire_name(member);
            slots.push(quote!(let #slot = read::attribute(start, #name, path, #text)?;));
        } else {
            slots.push(quote!(let mut #slot = None;));
            arms.push(member_arms(context, shape, member, &slot));
        }
        let value = if shape.is_plain(member) {
            read_or_missing(context, member, quote!(#slot))
        } else {
            quote!(#slot)
        };
        fields.push(quote!(#field: #value,));
    }
    (slots, arms, fields)
}

/// `read_xml` for a structure received from the service: attributes read from its start tag,
/// then its child elements in whatever order they come (the first of a repeated member
/// wins); `extra_fields` completes the struct literal (an error's request id).
pub fn structure(
    context: &Context,
    shape: &DataShape,
    members: &[Member],
    extra_fields: TokenStream,
) -> TokenStream {
    if !shape.usage.output {
        return TokenStream::new();
    }
    let (slots, arms, fields) = member_reading(context, shape, members);
    let children = if arms.is_empty() {
        quote!(reader.skip(start)?;)
    } else {
        quote! {
            while let Some(child) = reader.child(start)? {
                match child.name() {
                    #(#arms)*
                    _ => reader.skip(&child)?,
                }
            }
        }
    };
    let path = if slots.is_empty() {
        quote!(_path)
    } else {
        quote!(path)
    };
    quote! {
        /// Reads the shape from the XML element `start` (through its end tag); `path` names it
        /// in errors.
        pub(crate) fn read_xml<'a>(reader: &mut ivschat_runtime::xml::read::Reader<'a>, start: &ivschat_runtime::xml::read::Start<'a>, #path: &ivschat_runtime::deserialize::Path<'_>) -> Result<Self, ivschat_runtime::deserialize::DeserializeError> {
            #[allow(unused_imports)]
            use ivschat_runtime::xml::read;
            #(#slots)*
            #children
            Ok(Self { #(#fields)* #extra_fields })
        }
    }
}

/// `read_xml` for a union: its first child element names the member set (an unknown one is
/// kept with its text); the rest is skipped.
pub fn union(context: &Context, shape: &DataShape, members: &[Member]) -> TokenStream {
    if !shape.usage.output {
        return TokenStream::new();
    }
    let mut arms = Vec::new();
    for member in members {
        let variant = names::variant_ident(&member.name);
        let name = wire_name(member);
        let read = read_value(
            context,
            member,
            quote!(&child),
            quote!(&read::Path::Member(path, #name)),
        );
        arms.push(quote!(#name => Self::#variant(#read?),));
    }
    quote! {
        /// Reads the union from the XML element `start` (through its end tag): its first child
        /// is the member set.
        pub(crate) fn read_xml<'a>(reader: &mut ivschat_runtime::xml::read::Reader<'a>, start: &ivschat_runtime::xml::read::Start<'a>, path: &ivschat_runtime::deserialize::Path<'_>) -> Result<Self, ivschat_runtime::deserialize::DeserializeError> {
            use ivschat_runtime::xml::read;
            let Some(child) = reader.child(start)? else {
                return Err(ivschat_runtime::deserialize::DeserializeError::new(path.to_string(), "a union must have exactly one member set"));
            };
            let value = match child.name() {
                #(#arms)*
                name => Self::Unknown { name: name.to_owned(), value: crate::primitives::Document::String(reader.text(&child)?.into_owned()) },
            };
            reader.skip(start)?;
            Ok(value)
        }
    }
}

/// `from_response` of an output: `<OpResponse><OpResult>` holds the members (ec2Query:
/// `<OpResponse>` itself).
pub fn from_response(ec2: bool, operation_name: &str) -> TokenStream {
    let response_name = format!("{operation_name}Response");
    let read_output = |root: &str| quote!(|reader, start| Self::read_xml(reader, start, &read::Path::Root(#root)));
    let read = if ec2 {
        let read_output = read_output(&response_name);
        quote!(read::response_root(response.body(), #response_name, #read_output))
    } else {
        let result_name = format!("{operation_name}Result");
        let read_output = read_output(&result_name);
        quote!(read::query_result(response.body(), #response_name, #result_name, #read_output))
    };
    quote! {
        /// Reads the output from a successful response.
        pub(crate) fn from_response(response: &ivschat_runtime::transport::HttpResponse) -> Result<Self, ivschat_runtime::deserialize::DeserializeError> {
            use ivschat_runtime::xml::read;
            #read
        }
    }
}

/// `read_error` of an error: `<ErrorResponse><Error>` holds the members (ec2Query:
/// `<Response><Errors><Error>`); the request id is the header's, else the body's.
pub fn read_error(ec2: bool, shape: &DataShape) -> TokenStream {
    let label = names::type_name(&shape.name);
    let envelope = if ec2 {
        quote!(read::ErrorEnvelope {
            root: "Response",
            list: Some("Errors"),
            request_id: "RequestID"
        })
    } else {
        quote!(read::ErrorEnvelope {
            root: "ErrorResponse",
            list: None,
            request_id: "RequestId"
        })
    };
    quote! {
        /// Reads the error from an error response.
        pub(crate) fn read_error(response: &ivschat_runtime::transport::HttpResponse, request_id: Option<String>) -> Result<Self, ivschat_runtime::deserialize::DeserializeError> {
            use ivschat_runtime::xml::read;
            let (mut output, body_request_id) = read::query_error(response.body(), #envelope, |reader, start| Self::read_xml(reader, start, &read::Path::Root(#label)))?;
            output.request_id = request_id.or(body_request_id);
            Ok(output)
        }
    }
}
