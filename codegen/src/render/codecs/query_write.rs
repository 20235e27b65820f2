//! awsQuery and ec2Query serializers: `write_query` on every shape sent to the service,
//! writing form pairs under dotted keys (`Name.member.1`, `Name.entry.1.key`; ec2Query:
//! `Name.1`, keys capitalised or `@ec2QueryName`), with `@xmlName` and `@xmlFlattened`
//! applied; and the operation's `to_request`, a form-encoded POST to `/`.

use proc_macro2::TokenStream;
use quote::quote;

use super::format_tokens;
use super::numbered;
use crate::ir::TimestampFormat;
use crate::ir::{DataKind, DataShape, Member, Operation, Primitive, Protocol, Target};
use crate::render::members::{entry_names, item_name, when_set, wire_name};
use crate::render::Context;

/// The key a member goes by in a request: awsQuery's [`wire_name`]; ec2Query's
/// `@ec2QueryName`, else the `@xmlName` or model name with its first letter capitalised.
fn key_name(protocol: Protocol, member: &Member) -> String {
    if protocol != Protocol::Ec2Query {
        return wire_name(member).to_owned();
    }
    if let Some(name) = &member.xml.ec2_query_name {
        return name.clone();
    }
    let name = wire_name(member);
    let mut characters = name.chars();
    match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => String::new(),
    }
}

/// Statements writing `value` (a `&T` expression) of `member` under `key` (a `&str`
/// expression) into `writer`.
fn write_value(
    context: &Context,
    member: &Member,
    flattened: bool,
    value: TokenStream,
    key: TokenStream,
    depth: usize,
) -> TokenStream {
    let shape = match member.target {
        Target::Primitive(primitive) => return write_primitive(primitive, member, value, key),
        Target::Shape(shape) => context.service.shape(shape),
    };
    match &shape.kind {
        DataKind::Alias { primitive, .. } => write_primitive(*primitive, member, value, key),
        DataKind::Enum(_) => quote!(writer.pair(#key, #value.as_str());),
        DataKind::IntEnum(_) => quote!(writer.integer(#key, #value.as_i32());),
        DataKind::Structure(_) | DataKind::Union(_) => quote!(#value.write_query(writer, #key);),
        DataKind::List {
            member: element, ..
        } => write_list(context, element, flattened, value, key, depth),
        DataKind::Map {
            key: key_member,
            value: value_member,
            ..
        } => write_map(
            context,
            (key_member, value_member),
            flattened,
            value,
            key,
            depth,
        ),
    }
}

/// Statements writing list `value` under `key`: `key.member.N` (`key.N` when flattened, and
/// always in ec2Query); an empty list sends `key=` unless flattened or in ec2Query.
fn write_list(
    context: &Context,
    element: &Member,
    flattened: bool,
    value: TokenStream,
    key: TokenStream,
    depth: usize,
) -> TokenStream {
    let item = numbered("item", depth);
    let index = numbered("index", depth);
    let item_key = numbered("key", depth);
    let ec2 = context.service.protocol == Protocol::Ec2Query;
    let empty =
        (!flattened && !ec2).then(|| quote!(if #value.is_empty() { writer.pair(#key, ""); }));
    let format = if flattened || ec2 {
        quote!(format!("{}.{}", #key, #index + 1))
    } else {
        let name = item_name(element);
        quote!(format!("{}.{}.{}", #key, #name, #index + 1))
    };
    let inner = write_value(
        context,
        element,
        false,
        quote!(#item),
        quote!(&#item_key),
        depth + 1,
    );
    quote! {
        #empty
        for (#index, #item) in #value.iter().enumerate() {
            let #item_key = #format;
            #inner
        }
    }
}

/// Statements writing map `value` under `key`: `key.entry.N.key` and `key.entry.N.value`
/// (`key.N.…` when flattened), sorted by key so that the same map always makes the same body.
fn write_map(
    context: &Context,
    (key_member, value_member): (&Member, &Member),
    flattened: bool,
    value: TokenStream,
    key: TokenStream,
    depth: usize,
) -> TokenStream {
    let (key_name, value_name) = entry_names(key_member, value_member);
    let entries = numbered("entries", depth);
    let index = numbered("index", depth);
    let entry_key = numbered("entry", depth);
    let item = numbered("item", depth);
    let name = numbered("name", depth);
    let prefix = if flattened {
        quote!(format!("{}.{}", #key, #index + 1))
    } else {
        quote!(format!("{}.entry.{}", #key, #index + 1))
    };
    let value_key = quote!(&format!("{}.{}", #entry_key, #value_name));
    let inner = write_value(
        context,
        value_member,
        false,
        quote!(#item),
        value_key,
        depth + 1,
    );
    quote! {
        let mut #entries: Vec<_> = #value.iter().collect();
        #entries.sort_by(|a, b| a.0.cmp(b.0));
        for (#index, (#name, #item)) in #entries.into_iter().enumerate() {
            let #entry_key = #prefix;
            writer.pair(&format!("{}.{}", #entry_key, #key_name), #name);
            #inner
        }
    }
}

fn write_primitive(
    primitive: Primitive,
    member: &Member,
    value: TokenStream,
    key: TokenStream,
) -> TokenStream {
    match primitive {
        Primitive::String => quote!(writer.pair(#key, #value);),
        Primitive::Boolean => quote!(writer.boolean(#key, *#value);),
        Primitive::Byte | Primitive::Short | Primitive::Integer | Primitive::Long => {
            quote!(writer.integer(#key, *#value);)
        }
        Primitive::Float => quote!(writer.float(#key, f64::from(*#value));),
        Primitive::Double => quote!(writer.float(#key, *#value);),
        Primitive::Timestamp => {
            let format = format_tokens(member.timestamp_format, TimestampFormat::DateTime);
            quote!(writer.timestamp(#key, #value, #format);)
        }
        Primitive::Blob => quote!(writer.blob(#key, #value);),
        Primitive::Document | Primitive::BigInteger | Primitive::BigDecimal => {
            quote!(writer.pair(#key, &#value.to_string());)
        }
    }
}

/// Statements writing one member's `value` under `prefix`.
fn write_member(context: &Context, member: &Member, value: TokenStream) -> TokenStream {
    let name = key_name(context.service.protocol, member);
    let write = write_value(
        context,
        member,
        member.xml.flattened,
        value,
        quote!(&key),
        0,
    );
    quote! {
        let key = ivschat_runtime::query::key(prefix, #name);
        #write
    }
}

/// `write_query` for a structure sent to the service.
pub fn structure(context: &Context, shape: &DataShape, members: &[Member]) -> TokenStream {
    if !shape.usage.input {
        return TokenStream::new();
    }
    let statements = members
        .iter()
        .map(|member| when_set(shape, member, write_member(context, member, quote!(value))));
    let (writer, prefix) = if members.is_empty() {
        (quote!(_writer), quote!(_prefix))
    } else {
        (quote!(writer), quote!(prefix))
    };
    quote! {
        /// Writes the members as form pairs under `prefix`.
        pub(crate) fn write_query(&self, #writer: &mut ivschat_runtime::query::QueryWriter, #prefix: &str) {
            #(#statements)*
        }
    }
}

/// `write_query` for a union: the member that is set.
pub fn union(context: &Context, shape: &DataShape, members: &[Member]) -> TokenStream {
    if !shape.usage.input {
        return TokenStream::new();
    }
    let set = crate::render::members::union_match(members, |member| {
        write_member(context, member, quote!(value))
    });
    quote! {
        /// Writes the member that is set (an unknown member cannot be sent and is skipped).
        pub(crate) fn write_query(&self, writer: &mut ivschat_runtime::query::QueryWriter, prefix: &str) {
            #set
        }
    }
}

/// `to_request` of an awsQuery input: `Action`, `Version` and the members, form-encoded.
pub fn to_request(context: &Context, operation: &Operation, members: &[Member]) -> TokenStream {
    let name = &operation.name;
    let version = context.service.version.as_deref().unwrap_or_default();
    let auth = crate::render::sending::auth_variant(operation.auth);
    let idempotent = crate::render::sending::may_resend(operation, members);
    quote! {
        /// The HTTP request of this input (before endpoint, signature and retries).
        pub(crate) fn to_request(&self) -> Result<ivschat_runtime::operation::OperationRequest, ivschat_runtime::operation::SdkError> {
            let mut writer = ivschat_runtime::query::QueryWriter::new(#name, #version);
            self.write_query(&mut writer, "");
            let mut headers = ivschat_runtime::http::HeaderMap::new();
            headers.insert("content-type", ivschat_runtime::http::HeaderValue::from_static("application/x-www-form-urlencoded"));
            Ok(ivschat_runtime::operation::OperationRequest {
                operation: #name,
                method: ivschat_runtime::http::Method::POST,
                path_and_query: "/".to_owned(),
                headers,
                body: ivschat_runtime::bytes::Bytes::from(writer.finish()).into(),
                auth: ivschat_runtime::operation::Auth::#auth,
                checksums: None,
                idempotent: #idempotent,
                event_signing: None,
                error_in_success: false,
            })
        }
    }
}
