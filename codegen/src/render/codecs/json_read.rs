//! JSON deserializers: `read_json` on every shape received from the service. Unknown fields
//! are ignored, unknown enum and union values kept, and a required member the service left out
//! gets its zero value (Smithy's client error correction).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::format_tokens;
use super::json_write::json_key;
use crate::ir::TimestampFormat;
use crate::ir::{
    DataKind, DataShape, HttpBinding, Member, PayloadForm, Primitive, Service, ShapeRef, Target,
    TextForm,
};
use crate::render::Context;
use crate::rust::{names, types};

/// An expression reading the next value of `reader` (a `&mut json::read::Reader`) as
/// `member`'s type; `path` is a `&Path` expression naming it in errors.
pub fn read_value(
    context: &Context,
    member: &Member,
    value: TokenStream,
    path: TokenStream,
) -> TokenStream {
    let service = context.service;
    let shape = match member.target {
        Target::Primitive(primitive) => return read_primitive(primitive, member, value, path),
        Target::Shape(shape) => shape,
    };
    let path_type = types::shape_path(service, shape);
    let boxed = |tokens: TokenStream| {
        if member.boxed {
            quote!(Box::new(#tokens))
        } else {
            tokens
        }
    };
    match &service.shape(shape).kind {
        DataKind::Alias { primitive, .. } => read_primitive(*primitive, member, value, path),
        DataKind::Enum(_) => quote!(read::string_enum::<#path_type>(#value, #path)?),
        DataKind::IntEnum(_) => quote!(#path_type::from(read::integer::<i32>(#value, #path)?)),
        DataKind::Structure(_) | DataKind::Union(_) => {
            boxed(quote!(#path_type::read_json(#value, #path)?))
        }
        DataKind::List { .. } | DataKind::Map { .. } => {
            let reader = names::reader_ident(&service.shape(shape).name);
            quote!(crate::types::readers::#reader(#value, #path)?)
        }
    }
}

/// An expression reading a scalar of type `primitive` (`member`'s timestamp format applies).
fn read_primitive(
    primitive: Primitive,
    member: &Member,
    value: TokenStream,
    path: TokenStream,
) -> TokenStream {
    let read = quote!(read);
    match primitive {
        Primitive::String => quote!(#read::string(#value, #path)?),
        Primitive::Boolean => quote!(#read::boolean(#value, #path)?),
        Primitive::Byte => quote!(#read::integer::<i8>(#value, #path)?),
        Primitive::Short => quote!(#read::integer::<i16>(#value, #path)?),
        Primitive::Integer => quote!(#read::integer::<i32>(#value, #path)?),
        Primitive::Long => quote!(#read::integer::<i64>(#value, #path)?),
        Primitive::Float => quote!(#read::float(#value, #path)? as f32),
        Primitive::Double => quote!(#read::float(#value, #path)?),
        Primitive::Timestamp => {
            let format = format_tokens(member.timestamp_format, TimestampFormat::EpochSeconds);
            quote!(#read::timestamp(#value, #format, #path)?)
        }
        Primitive::Blob => quote!(#read::blob(#value, #path)?),
        Primitive::Document => quote!(#read::document(#value, #path)?),
        // Never in a received shape: `ir::readable` refuses such models.
        Primitive::BigInteger | Primitive::BigDecimal => {
            quote!(return Err(ivschat_runtime::deserialize::DeserializeError::new((#path).to_string(), "big numbers cannot be read")))
        }
    }
}

/// The list and map shapes read from JSON bodies: held by a received structure's body members
/// or a received union, or by such a collection. Only these get a reader.
pub fn read_collections(service: &Service) -> BTreeSet<ShapeRef> {
    let collection = |target: Target| match target {
        Target::Shape(shape)
            if matches!(
                service.shape(shape).kind,
                DataKind::List { .. } | DataKind::Map { .. }
            ) =>
        {
            Some(shape)
        }
        _ => None,
    };
    let mut pending: Vec<ShapeRef> = Vec::new();
    for (_, shape) in service.shapes().filter(|(_, shape)| shape.usage.output) {
        let read: Vec<&Member> = match &shape.kind {
            DataKind::Structure(members) => members
                .iter()
                .filter(|member| !member.bound_in_response())
                .collect(),
            DataKind::Union(members) => members.iter().collect(),
            _ => Vec::new(),
        };
        pending.extend(
            read.into_iter()
                .filter_map(|member| collection(member.target)),
        );
    }
    let mut needed = BTreeSet::new();
    while let Some(shape) = pending.pop() {
        if !needed.insert(shape) {
            continue;
        }
        match &service.shape(shape).kind {
            DataKind::List { member, .. } => pending.extend(collection(member.target)),
            DataKind::Map { value, .. } => pending.extend(collection(value.target)),
            _ => {}
        }
    }
    needed
}

/// `read_NAME` for a list or map shape: its items read one by one (nested collections by their
/// own readers); `None` for other shapes.
pub fn collection_reader(context: &Context, shape: &DataShape) -> Option<TokenStream> {
    let body = match &shape.kind {
        DataKind::List {
            member: element,
            sparse,
        } => list_body(context, element, *sparse),
        DataKind::Map {
            key,
            value: entry,
            sparse,
        } => map_body(context, key, entry, *sparse),
        _ => return None,
    };
    let name = names::reader_ident(&shape.name);
    let type_name = names::type_ident(&shape.name);
    let doc = format!(
        " Reads [`{type_name}`](crate::types::{type_name}) from JSON; `path` names it in errors."
    );
    Some(quote! {
        #[doc = #doc]
        pub(crate) fn #name(reader: &mut read::Reader<'_>, path: &read::Path<'_>) -> Result<crate::types::#type_name, ivschat_runtime::json::DeserializeError> {
            #body
        }
    })
}

/// The body of a list's reader: its items read one by one; a dense list drops the nulls a
/// service may send anyway.
fn list_body(context: &Context, element: &Member, sparse: bool) -> TokenStream {
    let read_item = reader(context, element);
    let at = quote!(&read::Path::Index(path, index));
    let push = if sparse {
        quote!(items.push(if read::null(reader)? { None } else { Some(read_item(reader, #at)?) });)
    } else {
        quote!(if !read::null(reader)? { items.push(read_item(reader, #at)?); })
    };
    quote! {
        let read_item = #read_item;
        let mut items = Vec::new();
        read::array(reader, path, |reader, index| {
            #push
            Ok(())
        })?;
        Ok(items)
    }
}

/// The body of a map's reader: its entries read one by one (enum keys made from their text);
/// a dense map drops null values.
fn map_body(context: &Context, key: &Member, entry: &Member, sparse: bool) -> TokenStream {
    let service = context.service;
    let key_value = match key.target {
        Target::Shape(key_shape) if matches!(service.shape(key_shape).kind, DataKind::Enum(_)) => {
            let key_type = types::shape_path(service, key_shape);
            quote!(#key_type::from(key))
        }
        _ => quote!(key.to_owned()),
    };
    let read_entry = reader(context, entry);
    let at = quote!(&read::Path::Key(path, key));
    let insert = if sparse {
        quote!(let entry = if read::null(reader)? { None } else { Some(read_entry(reader, #at)?) }; entries.insert(#key_value, entry);)
    } else {
        quote!(if !read::null(reader)? { let entry = read_entry(reader, #at)?; entries.insert(#key_value, entry); })
    };
    quote! {
        let read_entry = #read_entry;
        let mut entries = std::collections::HashMap::new();
        read::object(reader, path, |reader, key| {
            #insert
            Ok(())
        })?;
        Ok(entries)
    }
}

/// The value a required member gets when the service leaves it out; `None` when there is no
/// such zero value (structures and unions).
fn zero_value(context: &Context, member: &Member) -> Option<Missing> {
    let service = context.service;
    if let Some(primitive) = service.primitive_of(member.target) {
        return Some(match primitive {
            Primitive::Timestamp => Missing::Value(quote!(ivschat_runtime::DateTime::from_secs(0))),
            Primitive::BigInteger | Primitive::BigDecimal => return None,
            _ => Missing::TypeDefault,
        });
    }
    let Target::Shape(shape) = member.target else {
        return None;
    };
    let path_type = types::shape_path(service, shape);
    match &service.shape(shape).kind {
        DataKind::Enum(_) => Some(Missing::Value(quote!(#path_type::from("")))),
        DataKind::IntEnum(_) => Some(Missing::Value(quote!(#path_type::from(0)))),
        DataKind::List { .. } | DataKind::Map { .. } => Some(Missing::TypeDefault),
        // An event stream without events.
        DataKind::Union(_) if service.shape(shape).event_stream => Some(Missing::TypeDefault),
        _ => None,
    }
}

/// A reader of `member`'s values for `json::read::optional`: the runtime's function or the
/// shape's `read_json` where one fits, else a closure over [`read_value`].
fn reader(context: &Context, member: &Member) -> TokenStream {
    let read = quote!(read);
    let direct = match (context.service.primitive_of(member.target), member.target) {
        (Some(Primitive::String), _) => Some(quote!(#read::string)),
        (Some(Primitive::Boolean), _) => Some(quote!(#read::boolean)),
        (Some(Primitive::Blob), _) => Some(quote!(#read::blob)),
        (Some(Primitive::Byte), _) => Some(quote!(#read::integer::<i8>)),
        (Some(Primitive::Short), _) => Some(quote!(#read::integer::<i16>)),
        (Some(Primitive::Integer), _) => Some(quote!(#read::integer::<i32>)),
        (Some(Primitive::Long), _) => Some(quote!(#read::integer::<i64>)),
        (Some(Primitive::Double), _) => Some(quote!(#read::float)),
        (Some(Primitive::Document), _) => Some(quote!(#read::document_of)),
        (Some(Primitive::Timestamp), _) => {
            let format = format_tokens(member.timestamp_format, TimestampFormat::EpochSeconds);
            Some(quote!(#read::timestamp_in(#format)))
        }
        (None, Target::Shape(shape)) => {
            let path_type = types::shape_path(context.service, shape);
            match context.service.shape(shape).kind {
                DataKind::Structure(_) | DataKind::Union(_) if !member.boxed => {
                    Some(quote!(#path_type::read_json))
                }
                DataKind::Enum(_) => Some(quote!(#read::string_enum::<#path_type>)),
                DataKind::IntEnum(_) => Some(quote!(#read::int_enum::<#path_type>)),
                DataKind::List { .. } | DataKind::Map { .. } => {
                    let reader = names::reader_ident(&context.service.shape(shape).name);
                    Some(quote!(crate::types::readers::#reader))
                }
                _ => None,
            }
        }
        _ => None,
    };
    if let Some(direct) = direct {
        return direct;
    }
    let value = read_value(context, member, quote!(reader), quote!(path));
    // Typed parameters make the closure accept any lifetime of path, as a collection needs.
    quote!(|reader: &mut read::Reader<'_>, path: &read::Path<'_>| {
        let value = #value;
        Ok(value)
    })
}

/// What a required member the service left out becomes.
pub enum Missing {
    /// The type's `Default` value (its default or zero value).
    TypeDefault,
    /// This cheap `Copy` value.
    Copy(TokenStream),
    /// This value, computed when needed.
    Value(TokenStream),
    /// This early return of an error naming the member.
    Fail(TokenStream),
}

impl Missing {
    /// An expression (or `return`) for the `None` arm of a `match`.
    pub fn tokens(&self) -> TokenStream {
        match self {
            Missing::TypeDefault => quote!(Default::default()),
            Missing::Copy(tokens) | Missing::Value(tokens) | Missing::Fail(tokens) => {
                tokens.clone()
            }
        }
    }
}

/// The value a required member takes when the service leaves it out: its default, else its
/// zero value, else an error naming it.
pub fn missing_value(context: &Context, member: &Member) -> Missing {
    if let Some(default) = &member.default {
        return match crate::render::defaults::fill(context, member, default) {
            crate::render::defaults::Fill::TypeDefault => Missing::TypeDefault,
            crate::render::defaults::Fill::Copy(expression) => Missing::Copy(expression),
            crate::render::defaults::Fill::Computed(expression) => Missing::Value(expression),
        };
    }
    match zero_value(context, member) {
        Some(zero) => zero,
        None => {
            let message = format!("required member `{}` is missing", member.name);
            Missing::Fail(
                quote!(return Err(ivschat_runtime::deserialize::DeserializeError::new(path.to_string(), #message))),
            )
        }
    }
}

/// A plain member's value from `read` (an `Option`): what was read, else what a missing
/// member becomes.
pub fn read_or_missing(context: &Context, member: &Member, read: TokenStream) -> TokenStream {
    match missing_value(context, member) {
        Missing::TypeDefault => quote!(#read.unwrap_or_default()),
        Missing::Copy(value) => quote!(#read.unwrap_or(#value)),
        Missing::Value(value) => quote!(#read.unwrap_or_else(|| #value)),
        Missing::Fail(fail) => quote!(match #read { Some(value) => value, None => #fail }),
    }
}

/// The value a body reader gives a member bound to the status, a header or the payload
/// (the response's bindings set it after).
pub fn bound_placeholder(context: &Context, shape: &DataShape, member: &Member) -> TokenStream {
    if !shape.is_plain(member) {
        return quote!(None);
    }
    // Every plain bound member has a zero value: `ir::readable` refuses models where one does not.
    zero_value(context, member).map_or_else(|| quote!(Default::default()), |zero| zero.tokens())
}

/// `read_json` for a structure.
pub fn structure(
    context: &Context,
    shape: &DataShape,
    members: &[Member],
    extra_fields: TokenStream,
) -> TokenStream {
    if !shape.usage.output {
        return TokenStream::new();
    }
    let mut locals = Vec::new();
    let mut arms = Vec::new();
    let mut fields = Vec::new();
    for member in members {
        let field = names::field_ident(&member.name);
        if member.bound_in_response() {
            let placeholder = bound_placeholder(context, shape, member);
            fields.push(quote!(#field: #placeholder,));
            continue;
        }
        // Locals are prefixed: a member named `path` or `reader` must not shadow those.
        let local = names::prefixed_ident("value", &member.name);
        let key = json_key(context, member);
        let member_path = quote!(&read::Path::Member(path, #key));
        locals.push(quote!(let mut #local = None;));
        if shape.is_plain(member) {
            let read = read_value(context, member, quote!(reader), member_path);
            arms.push(quote!(#key => if !read::null(reader)? { #local = Some(#read); },));
            let value = read_or_missing(context, member, quote!(#local));
            fields.push(quote!(#field: #value,));
        } else {
            let reader = reader(context, member);
            arms.push(quote!(#key => #local = read::optional(reader, #member_path, #reader)?,));
            fields.push(quote!(#field: #local,));
        }
    }
    // A body without members to read is still checked to be an object.
    let each = if arms.is_empty() {
        quote!(|reader, _| read::skip(reader))
    } else {
        quote!(|reader, key| {
            match key {
                #(#arms)*
                _ => read::skip(reader)?,
            }
            Ok(())
        })
    };
    quote! {
        /// Reads the shape from JSON; `path` names it in errors.
        pub(crate) fn read_json(reader: &mut ivschat_runtime::json::read::Reader<'_>, path: &ivschat_runtime::json::read::Path<'_>) -> Result<Self, ivschat_runtime::json::DeserializeError> {
            use ivschat_runtime::json::read;
            #(#locals)*
            read::object(reader, path, #each)?;
            Ok(Self { #(#fields)* #extra_fields })
        }
    }
}

/// `read_json` for a union: the one member that is set; an unknown one is kept.
pub fn union(context: &Context, shape: &DataShape, members: &[Member]) -> TokenStream {
    if !shape.usage.output {
        return TokenStream::new();
    }
    let mut arms = Vec::new();
    for member in members {
        let variant = names::variant_ident(&member.name);
        let key = json_key(context, member);
        let read = read_value(
            context,
            member,
            quote!(reader),
            quote!(&read::Path::Member(path, #key)),
        );
        arms.push(quote!(#key => Self::#variant(#read),));
    }
    quote! {
        /// Reads the union from JSON: exactly one member must be set.
        pub(crate) fn read_json(reader: &mut ivschat_runtime::json::read::Reader<'_>, path: &ivschat_runtime::json::read::Path<'_>) -> Result<Self, ivschat_runtime::json::DeserializeError> {
            use ivschat_runtime::json::read;
            let (mut found, mut more) = (None, false);
            read::object(reader, path, |reader, key| {
                if key == "__type" {
                    return read::skip(reader);
                }
                if read::null(reader)? {
                    return Ok(());
                }
                if found.is_some() {
                    more = true;
                    return read::skip(reader);
                }
                found = Some(match key {
                    #(#arms)*
                    _ => Self::Unknown { name: key.to_owned(), value: read::document(reader, path)? },
                });
                Ok(())
            })?;
            match (found, more) {
                (Some(value), false) => Ok(value),
                _ => Err(ivschat_runtime::json::DeserializeError::new(path.to_string(), "a union must have exactly one member set")),
            }
        }
    }
}

/// Statements that set the members bound to the status code, headers or payload of
/// `response` on `output`; empty when the shape has none.
pub fn http_bindings(context: &Context, shape: &DataShape, members: &[Member]) -> TokenStream {
    let response = quote!(ivschat_runtime::operation::response);
    let label = names::type_name(&shape.name);
    let mut statements = Vec::new();
    for member in members {
        let Some(binding) = &member.http else {
            continue;
        };
        let field = names::field_ident(&member.name);
        let path = format!("{label}.{}", member.name);
        let value = match binding {
            HttpBinding::ResponseCode => quote!(Some(i32::from(response.status().as_u16()))),
            HttpBinding::Header(name, form) => header_value(context, member, name, *form, &path),
            HttpBinding::PrefixHeaders(prefix) => {
                quote!(#response::prefix_headers(response, #prefix, #path)?)
            }
            HttpBinding::Payload(form) => match payload_value(context, member, *form, &path) {
                Some(value) => value,
                None => continue,
            },
            HttpBinding::Label(_) | HttpBinding::Query(..) | HttpBinding::QueryParams => continue,
        };
        let value = if member.boxed {
            quote!(#value.map(Box::new))
        } else {
            value
        };
        statements.push(if shape.is_plain(member) {
            quote!(if let Some(value) = #value { output.#field = value; })
        } else {
            quote!(output.#field = #value;)
        });
    }
    quote!(#(#statements)*)
}

/// The element of the list `member` targets; `None` when it targets no list.
fn list_element<'a>(context: &Context<'a>, member: &Member) -> Option<&'a Member> {
    let Target::Shape(target) = member.target else {
        return None;
    };
    match &context.service.shape(target).kind {
        DataKind::List {
            member: element, ..
        } => Some(element.as_ref()),
        _ => None,
    }
}

/// The value of a member bound to a header: a scalar, or a list read item by item.
fn header_value(
    context: &Context,
    member: &Member,
    name: &str,
    form: TextForm,
    path: &str,
) -> TokenStream {
    let name = name.to_ascii_lowercase();
    let element = list_element(context, member);
    let list = element.is_some();
    let value = element.unwrap_or(member);
    let service = context.service;
    let response = quote!(ivschat_runtime::operation::response);
    let [text, timestamp, parse] = header_readers(list);
    // Enum values are made from each item (lists) or from the one value.
    let each = |read: TokenStream, make: TokenStream| {
        if list {
            quote!(#read.map(|items| items.into_iter().map(#make).collect()))
        } else {
            quote!(#read.map(#make))
        }
    };
    let path_type = || match value.target {
        Target::Shape(target) => types::shape_path(service, target),
        Target::Primitive(_) => quote!(String),
    };
    match form {
        TextForm::String if !list && service.media_type(value.target).is_some() => {
            quote!(#response::header_base64_text(response, #name, #path)?)
        }
        TextForm::String => quote!(#response::#text(response, #name, #path)?),
        TextForm::Timestamp if member.lenient => {
            let format = format_tokens(value.timestamp_format, TimestampFormat::HttpDate);
            quote!(#response::#timestamp(response, #name, #format, #path).ok().flatten())
        }
        TextForm::Timestamp => {
            let format = format_tokens(value.timestamp_format, TimestampFormat::HttpDate);
            quote!(#response::#timestamp(response, #name, #format, #path)?)
        }
        TextForm::Boolean | TextForm::Integer | TextForm::Float => {
            quote!(#response::#parse(response, #name, #path)?)
        }
        TextForm::Enum => {
            let path_type = path_type();
            each(
                quote!(#response::#text(response, #name, #path)?),
                quote!(|text: String| #path_type::from(text.as_str())),
            )
        }
        TextForm::IntEnum => {
            let path_type = path_type();
            each(
                quote!(#response::#parse::<i32>(response, #name, #path)?),
                quote!(#path_type::from),
            )
        }
    }
}

/// The runtime's readers of a header's text, timestamp and parsed value, for one value or a
/// list.
fn header_readers(list: bool) -> [proc_macro2::Ident; 3] {
    let names = if list {
        ["header_list", "header_list_timestamps", "header_list_parse"]
    } else {
        ["header_text", "header_timestamp", "header_parse"]
    };
    names.map(|reader| proc_macro2::Ident::new(reader, proc_macro2::Span::call_site()))
}

/// The value of a member bound to the payload, read from the whole body; none for a streaming
/// payload, which is the body itself, moved in last (see `structure`).
fn payload_value(
    context: &Context,
    member: &Member,
    form: PayloadForm,
    path: &str,
) -> Option<TokenStream> {
    let response = quote!(ivschat_runtime::operation::response);
    let empty = quote!(response.body().is_empty());
    let path_type = || match member.target {
        Target::Shape(target) => types::shape_path(context.service, target),
        Target::Primitive(_) => quote!(String),
    };
    Some(match form {
        PayloadForm::Stream | PayloadForm::EventStream => return None,
        PayloadForm::Blob => {
            quote!((!#empty).then(|| ivschat_runtime::Blob::new(response.body().to_vec())))
        }
        PayloadForm::String => {
            quote!(if #empty { None } else { Some(#response::body_text(response, #path)?) })
        }
        PayloadForm::Document => quote!(if #empty { None } else {
            Some(ivschat_runtime::json::read::from_body(response.body(), &ivschat_runtime::json::read::Path::Root(#path), ivschat_runtime::json::read::document)?)
        }),
        PayloadForm::Structure | PayloadForm::Union => {
            let path_type = path_type();
            let read = context
                .codec()
                .read_body(quote!(response.body()), path_type, quote!(#path));
            quote!(if #empty { None } else { Some(#read?) })
        }
        PayloadForm::Enum => {
            let path_type = path_type();
            quote!(if #empty { None } else { Some(#path_type::from(#response::body_text(response, #path)?.as_str())) })
        }
    })
}
