//! XML deserializers: `read_xml` on every shape received from the service (awsQuery), with
//! `@xmlName`, `@xmlFlattened` and `@xmlAttribute` applied. Unknown elements are ignored,
//! unknown enum and union values kept, and a required member the service left out gets its
//! zero value, as in the JSON readers.

use proc_macro2::TokenStream;
use quote::quote;

use super::deserialize::{bound_placeholder, read_or_missing};
use super::members::{entry_names, item_name, wire_name};
use super::serialize::format_tokens;
use super::Context;
use crate::ir::TimestampFormat;
use crate::ir::{DataKind, DataShape, Member, Primitive, Protocol, Role, Target};
use crate::rust::{names, types};

/// The closure parameters every reader takes, typed so that it accepts any path lifetime.
fn params() -> TokenStream {
    quote!(|element: &ivschat_runtime::xml::Element, path: &read::Path<'_>|)
}

/// A reader of `member`'s values (`fn(&Element, &Path) -> Result<T, _>`), the element being
/// the one that holds the value.
fn reader(context: &Context, member: &Member) -> TokenStream {
    let service = context.service;
    if let Some(primitive) = service.primitive_of(member.target) {
        return match primitive {
            Primitive::String => quote!(read::string),
            Primitive::Boolean => quote!(read::boolean),
            Primitive::Byte => quote!(read::integer::<i8>),
            Primitive::Short => quote!(read::integer::<i16>),
            Primitive::Integer => quote!(read::integer::<i32>),
            Primitive::Long => quote!(read::integer::<i64>),
            Primitive::Float => {
                let params = params();
                quote!(#params read::float(element, path).map(|value| value as f32))
            }
            Primitive::Double => quote!(read::float),
            Primitive::Timestamp => {
                let format = format_tokens(member.timestamp_format, TimestampFormat::DateTime);
                quote!(read::timestamp_in(#format))
            }
            Primitive::Blob => quote!(read::blob),
            // Never in a received shape: `ir::readable` refuses such models.
            Primitive::Document | Primitive::BigInteger | Primitive::BigDecimal => {
                let params = params();
                quote!(#params Err(ivschat_runtime::deserialize::DeserializeError::new(path.to_string(), format!("{} cannot be read from XML", element.name()))))
            }
        };
    }
    let Target::Shape(shape) = member.target else {
        unreachable!("primitives are handled above")
    };
    let path_type = types::shape_path(service, shape);
    let params = params();
    match &service.shape(shape).kind {
        DataKind::Enum(_) => quote!(read::string_enum::<#path_type>),
        DataKind::IntEnum(_) => quote!(read::int_enum::<#path_type>),
        DataKind::Structure(_) | DataKind::Union(_) if member.boxed => {
            quote!(#params #path_type::read_xml(element, path).map(Box::new))
        }
        DataKind::Structure(_) | DataKind::Union(_) => quote!(#path_type::read_xml),
        DataKind::List {
            member: element, ..
        } => {
            let name = item_name(element);
            let item = reader(context, element);
            quote!(#params read::list(element, #name, path, #item))
        }
        DataKind::Map { key, value, .. } => {
            let (key_name, value_name) = entry_names(key, value);
            let item = reader(context, value);
            quote!(#params read::map(element, read::MapNames { entry: "entry", key: #key_name, value: #value_name }, path, #item))
        }
        DataKind::Alias { .. } => unreachable!("aliases are primitives"),
    }
}

/// An expression reading `member` out of `element` (its parent) as an `Option`.
fn optional_member(context: &Context, owner: &DataShape, member: &Member) -> TokenStream {
    let service = context.service;
    let name = wire_name(member);
    let collection = match member.target {
        Target::Shape(shape) => Some(&service.shape(shape).kind),
        Target::Primitive(_) => None,
    };
    match collection {
        Some(DataKind::List {
            member: element, ..
        }) if member.xml.flattened => {
            let item = reader(context, element);
            quote!(read::flat_list(element, #name, path, #item)?)
        }
        Some(DataKind::Map { key, value, .. }) if member.xml.flattened => {
            let (key_name, value_name) = entry_names(key, value);
            let item = reader(context, value);
            quote!(read::flat_map(element, read::MapNames { entry: #name, key: #key_name, value: #value_name }, path, #item)?)
        }
        _ if member.xml.attribute => {
            let read = reader(context, member);
            quote!(read::attribute(element, #name, path, #read)?)
        }
        // An error's message arrives as `<Message>` whatever the member's case.
        _ if matches!(owner.role, Role::Error { .. })
            && name != "Message"
            && name.eq_ignore_ascii_case("message") =>
        {
            let read = reader(context, member);
            quote!(match read::optional(element, #name, path, #read)? {
                Some(value) => Some(value),
                None => read::optional(element, "Message", path, #read)?,
            })
        }
        _ => {
            let read = reader(context, member);
            quote!(read::optional(element, #name, path, #read)?)
        }
    }
}

/// `read_xml` for a structure received from the service; `extra_fields` completes the
/// struct literal (an error's request id).
pub fn structure(
    context: &Context,
    shape: &DataShape,
    members: &[Member],
    extra_fields: TokenStream,
) -> TokenStream {
    if !shape.usage.output {
        return TokenStream::new();
    }
    let mut fields = Vec::new();
    for member in members {
        let field = names::field_ident(&member.name);
        if member.bound_in_response() {
            let placeholder = bound_placeholder(context, shape, member);
            fields.push(quote!(#field: #placeholder,));
            continue;
        }
        let value = optional_member(context, shape, member);
        let value = if shape.is_plain(member) {
            read_or_missing(context, member, value)
        } else {
            value
        };
        fields.push(quote!(#field: #value,));
    }
    let (element, path) = if members.iter().all(Member::bound_in_response) {
        (quote!(_element), quote!(_path))
    } else {
        (quote!(element), quote!(path))
    };
    quote! {
        /// Reads the shape from the XML element that holds it; `path` names it in errors.
        pub(crate) fn read_xml(#element: &ivschat_runtime::xml::Element, #path: &ivschat_runtime::deserialize::Path<'_>) -> Result<Self, ivschat_runtime::deserialize::DeserializeError> {
            #[allow(unused_imports)]
            use ivschat_runtime::xml::read;
            Ok(Self { #(#fields)* #extra_fields })
        }
    }
}

/// `read_xml` for a union: the first child element that names a member; an unknown one is
/// kept with its text.
pub fn union(context: &Context, shape: &DataShape, members: &[Member]) -> TokenStream {
    if !shape.usage.output {
        return TokenStream::new();
    }
    let mut arms = Vec::new();
    for member in members {
        let variant = names::variant_ident(&member.name);
        let name = wire_name(member);
        let read = reader(context, member);
        arms.push(
            quote!(#name => Self::#variant((#read)(child, &read::Path::Member(path, #name))?),),
        );
    }
    quote! {
        /// Reads the union from the XML element that holds it: its first child is the member set.
        pub(crate) fn read_xml(element: &ivschat_runtime::xml::Element, path: &ivschat_runtime::deserialize::Path<'_>) -> Result<Self, ivschat_runtime::deserialize::DeserializeError> {
            use ivschat_runtime::xml::read;
            let Some(child) = element.children().first() else {
                return Err(ivschat_runtime::deserialize::DeserializeError::new(path.to_string(), "a union must have exactly one member set"));
            };
            Ok(match child.name() {
                #(#arms)*
                name => Self::Unknown { name: name.to_owned(), value: crate::primitives::Document::String(child.text().to_owned()) },
            })
        }
    }
}

/// `from_response` of an output: `<OpResponse><OpResult>` holds the members (ec2Query:
/// `<OpResponse>` itself).
pub fn from_response(protocol: Protocol, operation_name: &str) -> TokenStream {
    let response_name = format!("{operation_name}Response");
    if protocol == Protocol::Ec2Query {
        return quote! {
            /// Reads the output from a successful response.
            pub(crate) fn from_response(response: &ivschat_runtime::transport::HttpResponse) -> Result<Self, ivschat_runtime::deserialize::DeserializeError> {
                use ivschat_runtime::xml::read;
                let root = read::response_root(response.body(), #response_name)?;
                Self::read_xml(&root, &read::Path::Root(#response_name))
            }
        };
    }
    let result_name = format!("{operation_name}Result");
    quote! {
        /// Reads the output from a successful response.
        pub(crate) fn from_response(response: &ivschat_runtime::transport::HttpResponse) -> Result<Self, ivschat_runtime::deserialize::DeserializeError> {
            use ivschat_runtime::xml::read;
            let result = read::query_result(response.body(), #response_name, #result_name)?;
            Self::read_xml(&result, &read::Path::Root(#result_name))
        }
    }
}

/// `read_error` of an error: `<ErrorResponse><Error>` holds the members (ec2Query:
/// `<Response><Errors><Error>`); the request id is the header's, else the body's.
pub fn read_error(protocol: Protocol, shape: &DataShape) -> TokenStream {
    let label = names::type_name(&shape.name);
    if protocol == Protocol::Ec2Query {
        return quote! {
            /// Reads the error from an error response.
            pub(crate) fn read_error(response: &ivschat_runtime::transport::HttpResponse, request_id: Option<String>) -> Result<Self, ivschat_runtime::deserialize::DeserializeError> {
                use ivschat_runtime::xml::read;
                let body = read::parse(response.body())?;
                let root = read::root(&body, "Response")?;
                let errors = read::required_child(root, "Errors", &read::Path::Root("Response"))?;
                let error = read::required_child(errors, "Error", &read::Path::Root("Errors"))?;
                let mut output = Self::read_xml(error, &read::Path::Root(#label))?;
                output.request_id = request_id.or_else(|| root.child("RequestID").map(|id| id.text().to_owned()));
                Ok(output)
            }
        };
    }
    quote! {
        /// Reads the error from an error response.
        pub(crate) fn read_error(response: &ivschat_runtime::transport::HttpResponse, request_id: Option<String>) -> Result<Self, ivschat_runtime::deserialize::DeserializeError> {
            use ivschat_runtime::xml::read;
            let body = read::parse(response.body())?;
            let root = read::root(&body, "ErrorResponse")?;
            let error = read::required_child(root, "Error", &read::Path::Root("ErrorResponse"))?;
            let mut output = Self::read_xml(error, &read::Path::Root(#label))?;
            output.request_id = request_id.or_else(|| root.child("RequestId").map(|id| id.text().to_owned()));
            Ok(output)
        }
    }
}
