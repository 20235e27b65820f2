//! The event codecs of a `@streaming` union: `ReadEvent` reads each event (and each modelled
//! exception) from its message, `WriteEvent` writes one. An event's `@eventHeader` members are
//! typed headers, its `@eventPayload` member the payload, else its other members a JSON object
//! (`:content-type: application/json`).

use proc_macro2::TokenStream;
use quote::quote;

use super::Context;
use crate::ir::{
    DataKind, DataShape, EventBinding, Member, Primitive, Role, ShapeRef, Target, Value,
};
use crate::rust::{names, types};

/// The `ReadEvent` impl (when events are received) and the `WriteEvent` impl (when they are
/// sent) of an event-stream union.
pub fn render(context: &Context, shape: &DataShape, members: &[Member]) -> TokenStream {
    let name = names::type_ident(&shape.name);
    let read = shape
        .usage
        .output
        .then(|| read_impl(context, &name, members));
    let write = shape
        .usage
        .input
        .then(|| write_impl(context, &name, members));
    quote!(#read #write)
}

/// The event structure a member of the union targets. The IR refuses event-stream members
/// that are not structures; only a reference typed by shape kind could say so here.
fn event_shape<'a>(
    context: &'a Context,
    member: &Member,
) -> (ShapeRef, &'a DataShape, &'a [Member]) {
    let Value::Structure(target) = context.service.value(member.target) else {
        unreachable!("the IR refuses event-stream members that are not structures")
    };
    let shape = context.service.shape(target);
    (target, shape, shape.members())
}

fn is_exception(context: &Context, member: &Member) -> bool {
    matches!(event_shape(context, member).1.role, Role::Error { .. })
}

fn read_impl(context: &Context, name: &proc_macro2::Ident, members: &[Member]) -> TokenStream {
    let mut events = Vec::new();
    let mut exceptions = Vec::new();
    for member in members {
        let wire = &member.wire_name;
        let variant = names::variant_ident(&member.name);
        let read = read_event_value(context, member);
        let value = if member.boxed {
            quote!(Box::new(#read))
        } else {
            read
        };
        if is_exception(context, member) {
            exceptions.push(quote!(#wire => Some(Self::#variant(#value)),));
        } else {
            events.push(quote!(#wire => Self::#variant(#value),));
        }
    }
    let message = |arms: &[TokenStream]| {
        if arms.is_empty() {
            quote!(_message)
        } else {
            quote!(message)
        }
    };
    let (event_message, exception_message) = (message(&events), message(&exceptions));
    let unknown = quote!(Self::Unknown {
        name: event_type.to_owned(),
        value: crate::primitives::Document::Null
    });
    let event = if events.is_empty() {
        unknown
    } else {
        quote!(match event_type { #(#events)* _ => #unknown })
    };
    let (exception_type, exception) = if exceptions.is_empty() {
        (quote!(_exception_type), quote!(None))
    } else {
        (
            quote!(exception_type),
            quote!(match exception_type { #(#exceptions)* _ => None }),
        )
    };
    quote! {
        impl ivschat_runtime::event_stream::ReadEvent for #name {
            fn read_event(event_type: &str, #event_message: &ivschat_runtime::event_stream::Message) -> Result<Self, ivschat_runtime::deserialize::DeserializeError> {
                Ok(#event)
            }

            fn read_exception(#exception_type: &str, #exception_message: &ivschat_runtime::event_stream::Message) -> Result<Option<Self>, ivschat_runtime::deserialize::DeserializeError> {
                Ok(#exception)
            }
        }
    }
}

/// The event structure of `member` read from `message`: the JSON members from the payload (an
/// empty payload is an empty object), then the payload member and the headers.
fn read_event_value(context: &Context, member: &Member) -> TokenStream {
    let (target, shape, members) = event_shape(context, member);
    let path_type = types::shape_path(context.service, target);
    let label = &shape.name;
    let implicit = members.iter().any(Member::in_body);
    // Without members in the payload, the structure reads from an empty object.
    let bytes = if implicit {
        quote!(&message.payload)
    } else {
        quote!(&[])
    };
    let read = context
        .codec()
        .read_body(bytes, path_type.clone(), quote!(#label));
    let sets: Vec<TokenStream> = members
        .iter()
        .filter_map(|field| match field.event? {
            EventBinding::Header => Some(read_header(context, shape, field)),
            EventBinding::Payload => Some(read_payload(context, shape, field)),
        })
        .collect();
    let binding = if sets.is_empty() {
        quote!(value)
    } else {
        quote!(mut value)
    };
    quote!({
        let #binding = #read?;
        #(#sets)*
        value
    })
}

/// Sets an `@eventHeader` member from its header, when the message has it.
fn read_header(context: &Context, shape: &DataShape, member: &Member) -> TokenStream {
    let field = names::field_ident(&member.name);
    let wire = &member.wire_name;
    let (read_as, make) = header_type(context, member);
    let value = match make {
        Some(make) => quote!(#make(found)),
        None => quote!(found),
    };
    let value = if shape.is_plain(member) {
        value
    } else {
        quote!(Some(#value))
    };
    quote! {
        if let Some(found) = ivschat_runtime::event_stream::headers::header::<#read_as>(message, #wire)? {
            value.#field = #value;
        }
    }
}

/// The type a header is read as, and how the member's value is made from it (enums).
fn header_type(context: &Context, member: &Member) -> (TokenStream, Option<TokenStream>) {
    let service = context.service;
    if let Target::Shape(target) = member.target {
        let path_type = types::shape_path(service, target);
        match &service.shape(target).kind {
            DataKind::Enum(_) => {
                return (
                    quote!(String),
                    Some(quote!(|text: String| #path_type::from(text.as_str()))),
                )
            }
            DataKind::IntEnum(_) => return (quote!(i32), Some(quote!(#path_type::from))),
            _ => {}
        }
    }
    let read_as = match service.primitive_of(member.target) {
        Some(Primitive::Boolean) => quote!(bool),
        Some(Primitive::Byte) => quote!(i8),
        Some(Primitive::Short) => quote!(i16),
        Some(Primitive::Integer) => quote!(i32),
        Some(Primitive::Long) => quote!(i64),
        Some(Primitive::Blob) => quote!(ivschat_runtime::Blob),
        Some(Primitive::Timestamp) => quote!(ivschat_runtime::DateTime),
        _ => quote!(String),
    };
    (read_as, None)
}

/// Sets the `@eventPayload` member from the payload: bytes, text, or a JSON structure or
/// union (left unset when the payload is empty).
fn read_payload(context: &Context, shape: &DataShape, member: &Member) -> TokenStream {
    let field = names::field_ident(&member.name);
    let path = format!("{}.{}", shape.name, member.name);
    let value = match member.target {
        Target::Shape(target)
            if matches!(
                context.service.shape(target).kind,
                DataKind::Structure(_) | DataKind::Union(_)
            ) =>
        {
            let path_type = types::shape_path(context.service, target);
            let read =
                context
                    .codec()
                    .read_body(quote!(&message.payload), path_type, quote!(#path));
            let read = quote!(#read?);
            let read = if member.boxed {
                quote!(Box::new(#read))
            } else {
                read
            };
            return quote! {
                if !message.payload.is_empty() {
                    value.#field = Some(#read);
                }
            };
        }
        _ if context.service.primitive_of(member.target) == Some(Primitive::Blob) => {
            quote!(ivschat_runtime::Blob::new(message.payload.to_vec()))
        }
        _ => {
            quote!(String::from_utf8(message.payload.to_vec()).map_err(|_| ivschat_runtime::deserialize::DeserializeError::new(#path, "the payload is not UTF-8 text"))?)
        }
    };
    let value = if shape.is_plain(member) {
        value
    } else {
        quote!(Some(#value))
    };
    quote!(value.#field = #value;)
}

fn write_impl(context: &Context, name: &proc_macro2::Ident, members: &[Member]) -> TokenStream {
    let arms = members.iter().map(|member| {
        let variant = names::variant_ident(&member.name);
        let wire = &member.wire_name;
        let (kind, type_header) = if is_exception(context, member) {
            ("exception", ":exception-type")
        } else {
            ("event", ":event-type")
        };
        let (_, shape, fields) = event_shape(context, member);
        let payload = write_payload(context, fields);
        let headers: Vec<TokenStream> = fields
            .iter()
            .filter(|field| field.event == Some(EventBinding::Header))
            .map(|field| write_header(context, shape, field))
            .collect();
        let message = quote! {
            Message::new(ivschat_runtime::bytes::Bytes::new())
                .with_header(":message-type", HeaderValue::String(#kind.to_owned()))
                .with_header(#type_header, HeaderValue::String(#wire.to_owned()))
        };
        // An event with neither payload nor headers is its type alone.
        if payload.is_empty() && headers.is_empty() {
            return quote!(Self::#variant(_) => #message,);
        }
        quote! {
            Self::#variant(value) => {
                let mut message = #message;
                #payload
                #(#headers)*
                message
            }
        }
    });
    quote! {
        impl ivschat_runtime::event_stream::WriteEvent for #name {
            fn write_event(&self) -> Result<ivschat_runtime::event_stream::Message, ivschat_runtime::event_stream::EventStreamError> {
                use ivschat_runtime::event_stream::{HeaderValue, Message};
                Ok(match self {
                    #(#arms)*
                    Self::Unknown { name, .. } => {
                        return Err(ivschat_runtime::event_stream::EventStreamError::new(format!("the event `{name}` is unknown to this client and cannot be sent")));
                    }
                })
            }
        }
    }
}

/// Statements that set the message's payload and `:content-type` from the event `value`.
fn write_payload(context: &Context, fields: &[Member]) -> TokenStream {
    let content_type = |media: &str| quote!(message = message.with_header(":content-type", HeaderValue::String(#media.to_owned())););
    let json = content_type("application/json");
    let Some(payload) = fields
        .iter()
        .find(|field| field.event == Some(EventBinding::Payload))
    else {
        if !fields.iter().any(Member::in_body) {
            return TokenStream::new();
        }
        return quote! {
            let mut body = String::new();
            let mut object = ivschat_runtime::json::JsonValue::new(&mut body).object();
            value.write_json(&mut object);
            object.finish();
            message.payload = body.into();
            #json
        };
    };
    let field = names::field_ident(&payload.name);
    let media = context.service.media_type(payload.target);
    let set = match payload.target {
        Target::Shape(target)
            if matches!(
                context.service.shape(target).kind,
                DataKind::Structure(_) | DataKind::Union(_)
            ) =>
        {
            quote! {
                let mut body = String::new();
                let mut object = ivschat_runtime::json::JsonValue::new(&mut body).object();
                payload.write_json(&mut object);
                object.finish();
                message.payload = body.into();
                #json
            }
        }
        _ if context.service.primitive_of(payload.target) == Some(Primitive::Blob) => {
            let bytes = content_type(media.unwrap_or("application/octet-stream"));
            quote! {
                message.payload = payload.as_bytes().to_vec().into();
                #bytes
            }
        }
        _ => {
            let text = content_type(media.unwrap_or("text/plain"));
            quote! {
                message.payload = payload.clone().into();
                #text
            }
        }
    };
    quote! {
        if let Some(payload) = &value.#field {
            #set
        }
    }
}

/// Adds an `@eventHeader` member's header, when it is set.
fn write_header(context: &Context, shape: &DataShape, member: &Member) -> TokenStream {
    let field = names::field_ident(&member.name);
    let wire = &member.wire_name;
    let service = context.service;
    let header = match member.target {
        Target::Shape(target) if matches!(service.shape(target).kind, DataKind::Enum(_)) => {
            quote!(HeaderValue::String(found.as_str().to_owned()))
        }
        Target::Shape(target) if matches!(service.shape(target).kind, DataKind::IntEnum(_)) => {
            quote!(HeaderValue::Int(i32::from(found.clone())))
        }
        _ => match service.primitive_of(member.target) {
            Some(Primitive::String | Primitive::Blob) => quote!(HeaderValue::from(found.clone())),
            _ => quote!(HeaderValue::from(*found)),
        },
    };
    if shape.is_plain(member) {
        quote! {
            let found = &value.#field;
            message = message.with_header(#wire, #header);
        }
    } else {
        quote! {
            if let Some(found) = &value.#field {
                message = message.with_header(#wire, #header);
            }
        }
    }
}
