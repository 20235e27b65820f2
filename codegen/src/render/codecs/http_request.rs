//! `to_request()` on operation inputs: method, URI path with labels, query string, headers and
//! JSON body, per the operation's `@http` trait and the members' HTTP binding traits.

use super::http_body::BodyFormat;
use proc_macro2::TokenStream;
use quote::quote;

use super::format_tokens;
use crate::ir::TimestampFormat;
use crate::ir::{
    DataKind, DataShape, HttpBinding, HttpRoute, Member, Operation, PathSegment, PayloadForm,
    Target, TextForm,
};
use crate::render::Context;
use crate::rust::names;

/// An expression that displays a scalar value `value` (`&T`) of `member` as it goes in a URI
/// or header (`Display`; a timestamp in its format).
fn text_of(
    member: &Member,
    form: TextForm,
    value: TokenStream,
    default_format: TimestampFormat,
) -> TokenStream {
    match form {
        TextForm::String | TextForm::Enum | TextForm::Boolean | TextForm::Integer => quote!(#value),
        TextForm::IntEnum => quote!(#value.as_i32()),
        TextForm::Float => quote!(ivschat_runtime::operation::request::float_text(*#value)),
        TextForm::Timestamp => {
            let format = format_tokens(member.timestamp_format, default_format);
            quote!(#value.fmt(#format))
        }
    }
}

fn list_element<'s>(context: &'s Context, member: &Member) -> Option<&'s Member> {
    match member.target {
        Target::Shape(shape) => match &context.service.shape(shape).kind {
            DataKind::List { member, .. } => Some(member),
            _ => None,
        },
        Target::Primitive(_) => None,
    }
}

/// Statements that push query pairs for a member.
fn query(context: &Context, member: &Member, name: &str, form: TextForm) -> TokenStream {
    let field = names::field_ident(&member.name);
    if let Some(element) = list_element(context, member) {
        let text = text_of(element, form, quote!(item), TimestampFormat::DateTime);
        return quote! {
            if let Some(values) = &self.#field {
                for item in values { query.push((#name, #text.to_string())); }
            }
        };
    }
    let text = text_of(member, form, quote!(value), TimestampFormat::DateTime);
    quote!(if let Some(value) = &self.#field { query.push((#name, #text.to_string())); })
}

/// Statements that set a header for a member (lists comma-joined).
fn header(
    context: &Context,
    shape: &DataShape,
    member: &Member,
    name: &str,
    form: TextForm,
) -> TokenStream {
    let field = names::field_ident(&member.name);
    let label = names::type_name(&shape.name);
    let member_name = &member.name;
    let lower = name.to_ascii_lowercase();
    let (value, text) = match list_element(context, member) {
        Some(element) => {
            let text = text_of(element, form, quote!(item), TimestampFormat::HttpDate);
            let text = if matches!(form, TextForm::String | TextForm::Enum) {
                quote!(ivschat_runtime::operation::request::list_item(#text.as_ref()))
            } else {
                text
            };
            (
                quote!(values),
                quote!(values.iter().map(|item| #text.to_string()).collect::<Vec<_>>().join(", ")),
            )
        }
        None => {
            let text = text_of(member, form, quote!(value), TimestampFormat::HttpDate);
            // A string with a media type travels base64-encoded.
            let text = match context.service.media_type(member.target) {
                Some(_) => quote!(ivschat_runtime::json::base64::encode(#text.as_bytes())),
                None => text,
            };
            (quote!(value), text)
        }
    };
    // Empty strings and lists are sent as empty headers; unset members send none.
    quote! {
        if let Some(#value) = &self.#field {
            ivschat_runtime::operation::request::header(&mut headers, #lower, #text, #label, #member_name)
                .map_err(|error| ivschat_runtime::operation::SdkError::Construction(Box::new(error)))?;
        }
    }
}

/// The path-building statements of the route: literal text and the labels' members.
fn path(shape: &DataShape, route: &HttpRoute) -> TokenStream {
    let label_name = names::type_name(&shape.name);
    let DataKind::Structure(members) = &shape.kind else {
        return quote!();
    };
    let statements = route.path.iter().filter_map(|segment| {
        let (label, greedy) = match segment {
            PathSegment::Literal(literal) => return push_literal(literal),
            PathSegment::Label { member, greedy } => (member, *greedy),
        };
        // The IR checked that each label names an @httpLabel member.
        let (member, form) = members.iter().find_map(|member| match &member.http {
            Some(HttpBinding::Label(form)) if member.wire_name == label.as_str() => {
                Some((member, *form))
            }
            _ => None,
        })?;
        let field = names::field_ident(&member.name);
        let text = text_of(member, form, quote!(value), TimestampFormat::DateTime);
        let member_name = &member.name;
        let text = match form {
            TextForm::String => text,
            TextForm::Enum => quote!(#text.as_str()),
            _ => quote!(&#text.to_string()),
        };
        Some(quote! {
            let value = self.#field.as_ref().ok_or_else(|| ivschat_runtime::operation::SdkError::Construction(
                Box::new(ivschat_runtime::BuildError::missing(#label_name, #member_name))))?;
            path.push_str(&ivschat_runtime::operation::request::label(#label_name, #member_name, #text, #greedy)
                .map_err(|error| ivschat_runtime::operation::SdkError::Construction(Box::new(error)))?);
        })
    });
    quote!(#(#statements)*)
}

/// Headers of an `@httpPrefixHeaders` map: the prefix followed by each key.
fn prefix_headers(shape: &DataShape, member: &Member, prefix: &str) -> TokenStream {
    let field = names::field_ident(&member.name);
    let label = names::type_name(&shape.name);
    let member_name = &member.name;
    quote! {
        if let Some(entries) = &self.#field {
            let mut entries: Vec<_> = entries.iter().collect();
            entries.sort();
            for (key, value) in entries {
                ivschat_runtime::operation::request::prefix_header(&mut headers, &format!("{}{}", #prefix, key), value, #label, #member_name)
                    .map_err(|error| ivschat_runtime::operation::SdkError::Construction(Box::new(error)))?;
            }
        }
    }
}

/// Query pairs of an `@httpQueryParams` map (string or list-of-string values), skipping names an
/// `@httpQuery` member has set.
fn query_map(context: &Context, member: &Member) -> TokenStream {
    let field = names::field_ident(&member.name);
    let list_values = match member.target {
        Target::Shape(shape) => match &context.service.shape(shape).kind {
            DataKind::Map { value, .. } => list_element(context, value).is_some(),
            _ => false,
        },
        Target::Primitive(_) => false,
    };
    let push = if list_values {
        quote!(for item in value {
            query.push((key.as_str(), item.clone()));
        })
    } else {
        quote!(query.push((key.as_str(), value.clone()));)
    };
    quote! {
        if let Some(entries) = &self.#field {
            let mut entries: Vec<_> = entries.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            for (key, value) in entries {
                if !query.iter().any(|(name, _)| *name == key.as_str()) {
                    #push
                }
            }
        }
    }
}

/// The body of an event-stream payload: the events are sent as they come, each signed in a
/// chain from the request.
fn event_stream_body(shape: &DataShape, member: &Member) -> TokenStream {
    let field = names::field_ident(&member.name);
    let events = if shape.is_plain(member) {
        quote!(self.#field.clone())
    } else {
        quote!(self.#field.clone().unwrap_or_default())
    };
    quote! {
        headers.insert("content-type", ivschat_runtime::http::HeaderValue::from_static("application/vnd.amazon.eventstream"));
        let event_signing = ivschat_runtime::operation::EventSigning::new();
        let body = #events.into_body(event_signing.clone());
    }
}

/// The body of a streaming payload, handed over unread (clones share a stream read once),
/// after `content_type`; refused without a length when the service needs one.
fn streaming_body(
    context: &Context,
    shape: &DataShape,
    member: &Member,
    content_type: TokenStream,
) -> TokenStream {
    let field = names::field_ident(&member.name);
    let length_check = context.service.requires_length(member.target).then(|| {
        let message = format!(
            "{}.{}: the service needs the body's length before it is sent; give it from bytes, a file, or a stream with its length",
            shape.name, member.name
        );
        quote! {
            if body.length().is_none() {
                return Err(ivschat_runtime::operation::SdkError::Construction(#message.into()));
            }
        }
    });
    quote! {
        #content_type
        let body = self.#field.clone().unwrap_or_default();
        #length_check
    }
}

/// The body of an `@httpPayload` member: a structure or union in the protocol's format, a
/// document as JSON, a blob as bytes, a string or enum as text. An unset payload sends no body
/// (an unset JSON structure an empty object).
fn payload_body(
    context: &Context,
    shape: &DataShape,
    member: &Member,
    form: PayloadForm,
    format: BodyFormat,
) -> TokenStream {
    let field = names::field_ident(&member.name);
    // A header member bound to Content-Type wins over the payload's own type.
    let content_type = |value: &str| quote!(headers.entry("content-type").or_insert(ivschat_runtime::http::HeaderValue::from_static(#value)););
    let media_type = context.service.media_type(member.target);
    let (json, bytes, text) = (
        content_type("application/json"),
        content_type(media_type.unwrap_or("application/octet-stream")),
        content_type(media_type.unwrap_or("text/plain")),
    );
    let structured = super::http_body::structure_payload(context, member, format);
    let encode = match form {
        PayloadForm::EventStream => return event_stream_body(shape, member),
        PayloadForm::Stream => return streaming_body(context, shape, member, bytes),
        PayloadForm::Blob => {
            quote!({ #bytes ivschat_runtime::bytes::Bytes::from(value.as_bytes().to_vec()) })
        }
        PayloadForm::String => quote!({ #text ivschat_runtime::bytes::Bytes::from(value.clone()) }),
        PayloadForm::Enum => {
            quote!({ #text ivschat_runtime::bytes::Bytes::from(value.as_str().to_owned()) })
        }
        PayloadForm::Document => quote!({
            #json
            let mut body = String::new();
            ivschat_runtime::json::JsonValue::new(&mut body).document(value);
            ivschat_runtime::bytes::Bytes::from(body)
        }),
        PayloadForm::Structure | PayloadForm::Union => structured.value,
    };
    // An unset structure payload is an empty object; an unset blob still says its type.
    let unset = match form {
        PayloadForm::Blob => quote!({ #bytes ivschat_runtime::bytes::Bytes::new() }),
        PayloadForm::Structure => structured.unset_structure,
        PayloadForm::Union => structured.unset_union,
        _ => quote!(ivschat_runtime::bytes::Bytes::new()),
    };
    quote! {
        let body = match &self.#field {
            Some(value) => #encode,
            None => #unset,
        };
    }
}

/// Appends literal URI text to `path` (`push` for one character, as clippy prefers).
fn push_literal(literal: &str) -> Option<TokenStream> {
    let mut chars = literal.chars();
    match (chars.next(), chars.next()) {
        (None, _) => None,
        (Some(only), None) => Some(quote!(path.push(#only);)),
        _ => Some(quote!(path.push_str(#literal);)),
    }
}

/// The request code of an input's members bound to the query string and headers, and its
/// payload member.
struct Bindings<'a> {
    /// The statements adding query parameters (`@httpQuery` members, then the maps of
    /// `@httpQueryParams`, whose keys they win over).
    query: Vec<TokenStream>,
    /// The statements setting headers (`@httpPrefixHeaders` first, so that a member's own
    /// header replaces a same-named one).
    headers: Vec<TokenStream>,
    /// The `@httpPayload` member.
    payload: Option<(&'a Member, PayloadForm)>,
}

/// The query, header and payload bindings of `members`, of the input `shape`.
fn bindings<'a>(context: &Context, shape: &DataShape, members: &'a [Member]) -> Bindings<'a> {
    let mut bindings = Bindings {
        query: Vec::new(),
        headers: Vec::new(),
        payload: None,
    };
    let mut query_params = Vec::new();
    for member in members {
        match &member.http {
            Some(HttpBinding::Query(name, form)) => {
                bindings.query.push(query(context, member, name, *form))
            }
            Some(HttpBinding::Header(name, form)) => bindings
                .headers
                .push(header(context, shape, member, name, *form)),
            Some(HttpBinding::PrefixHeaders(prefix)) => bindings
                .headers
                .insert(0, prefix_headers(shape, member, prefix)),
            Some(HttpBinding::QueryParams) => query_params.push(query_map(context, member)),
            Some(HttpBinding::Payload(form)) => bindings.payload = Some((member, *form)),
            Some(HttpBinding::Label(_)) | Some(HttpBinding::ResponseCode) | None => {}
        }
    }
    bindings.query.extend(query_params);
    bindings
}

/// `to_request()` for an operation input, with bodies in `format`.
pub fn to_request(
    context: &Context,
    operation: &Operation,
    route: &HttpRoute,
    shape: &DataShape,
    members: &[Member],
    format: BodyFormat,
) -> TokenStream {
    let path = path(shape, route);
    let Bindings {
        query: query_statements,
        headers: header_statements,
        payload,
    } = bindings(context, shape, members);
    let query = query_string(route, &query_statements);
    let has_body = members.iter().any(|member| member.http.is_none()) || payload.is_some();
    let body = match payload {
        Some((member, form)) => payload_body(context, shape, member, form, format),
        None if has_body => super::http_body::document_body(context, shape, format),
        None => quote!(let body = ivschat_runtime::bytes::Bytes::new();),
    };
    let headers_mut = if header_statements.is_empty() && !has_body {
        quote!()
    } else {
        quote!(mut)
    };
    let request = request_fields(context, operation, route, shape, members);
    let fixed_headers = crate::render::customized::request_headers(context);
    let upload_hashes = crate::render::customized::upload_hashes(context, operation);
    let headers_mut = if fixed_headers.is_empty() && upload_hashes.is_empty() {
        headers_mut
    } else {
        quote!(mut)
    };
    // S3's `/{Bucket}` routes lose their only segment (`crate::ir::customize::s3`).
    let path_mut = match route.path.is_empty() && query.is_empty() {
        true => quote!(),
        false => quote!(mut),
    };
    quote! {
        /// The HTTP request of this input (before endpoint, signature and retries).
        pub(crate) fn to_request(&self) -> Result<ivschat_runtime::operation::OperationRequest, ivschat_runtime::operation::SdkError> {
            let #path_mut path = String::new();
            #path
            #query
            let #headers_mut headers = ivschat_runtime::http::HeaderMap::new();
            #(#header_statements)*
            #fixed_headers
            #body
            #upload_hashes
            Ok(ivschat_runtime::operation::OperationRequest { #request })
        }
    }
}

/// The statements that append the query string: the route's constant pairs and what the
/// members set. A request without query parameters has no query code at all.
fn query_string(route: &HttpRoute, statements: &[TokenStream]) -> TokenStream {
    let constants: Vec<TokenStream> = route
        .query
        .iter()
        .map(|(name, value)| quote!((#name, #value.to_owned())))
        .collect();
    let initial = if constants.is_empty() {
        quote!(Vec::new())
    } else {
        quote!(vec![#(#constants),*])
    };
    let append = quote! {
        path.push('?');
        path.push_str(&ivschat_runtime::operation::request::query_string(&query));
    };
    match (constants.is_empty(), statements.is_empty()) {
        (true, true) => quote!(),
        (false, true) => quote! {
            let query: Vec<(&str, String)> = #initial;
            #append
        },
        (_, false) => quote! {
            let mut query: Vec<(&str, String)> = #initial;
            #(#statements)*
            if !query.is_empty() {
                #append
            }
        },
    }
}

/// The fields of the `OperationRequest`: operation, method, path, headers, body, auth,
/// checksums and whether it may be sent again.
fn request_fields(
    context: &Context,
    operation: &Operation,
    route: &HttpRoute,
    shape: &DataShape,
    members: &[Member],
) -> TokenStream {
    let method = syn::Ident::new(route.method.as_str(), proc_macro2::Span::call_site());
    let name = &operation.name;
    let auth = crate::render::sending::auth_variant(operation.auth);
    let events = context
        .service
        .event_stream_payload(operation.input)
        .is_some();
    let streaming = events || context.service.streaming_payload(operation.input).is_some();
    let checksums = crate::render::checksums::checksums(operation, shape);
    let body_field = if streaming {
        quote!(body)
    } else {
        quote!(body: body.into())
    };
    let event_signing = if events {
        quote!(Some(event_signing))
    } else {
        quote!(None)
    };
    let idempotent = crate::render::sending::may_resend(operation, members);
    let error_in_success = context
        .service
        .customizations
        .error_in_success
        .contains(&operation.name);
    quote! {
        operation: #name,
        method: ivschat_runtime::http::Method::#method,
        path_and_query: path,
        headers,
        #body_field,
        auth: ivschat_runtime::operation::Auth::#auth,
        checksums: #checksums,
        idempotent: #idempotent,
        event_signing: #event_signing,
        error_in_success: #error_in_success,
    }
}
