//! What every item about members shares: its doc comment, and the `Debug` impl that redacts
//! sensitive members.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use crate::ir::{DataShape, HttpBinding, Member, Service};
use crate::rust::names;

/// Docs for a member: the model's, else a sentence naming it, plus its constraints.
pub fn member_docs(member: &Member) -> TokenStream {
    let mut lines = docs::doc_lines(member.docs.as_deref(), docs::MISSING);
    if member.required {
        lines.push(String::new());
        lines.push("This member is required.".to_owned());
    }
    if let Some(summary) = docs::constraint_summary(&member.constraints) {
        lines.push(String::new());
        lines.push(summary);
    }
    docs::outer(&lines)
}

/// True when `Debug` must hide some or all of the members.
pub fn redacts(shape: &DataShape, members: &[Member]) -> bool {
    shape.sensitive || members.iter().any(|member| member.sensitive)
}

/// A `Debug` impl that prints sensitive members (or all, for a sensitive shape) as redacted.
pub fn debug_impl(shape: &DataShape, members: &[Member], type_name: &syn::Ident) -> TokenStream {
    let label = type_name.to_string();
    let fields = members.iter().map(|member| {
        let field = names::field_ident(&member.name);
        let label = names::field_name(&member.name);
        if shape.sensitive || member.sensitive {
            quote!(formatter.field(#label, &ivschat_runtime::REDACTED);)
        } else {
            quote!(formatter.field(#label, &self.#field);)
        }
    });
    quote! {
        impl std::fmt::Debug for #type_name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let mut formatter = f.debug_struct(#label);
                #(#fields)*
                formatter.finish()
            }
        }
    }
}

/// True when values of the shape are written into request bodies: a shape reached from an
/// input, except an input whose members are all bound elsewhere or whose payload member is the
/// body.
pub fn writes_body(service: &Service, shape: &DataShape, members: &[Member]) -> bool {
    let has_body = members.iter().any(Member::in_body) && !has_payload(members);
    // An event whose members are all headers or its payload (or that has none) writes no JSON.
    let bodiless_event = !has_body && service.is_event(shape);
    shape.usage.input
        && (has_body || !(matches!(shape.role, crate::ir::Role::Input(_)) || bodiless_event))
}

/// True when one of the members is the `@httpPayload`, so the body is its alone.
pub fn has_payload(members: &[Member]) -> bool {
    members
        .iter()
        .any(|member| matches!(member.http, Some(HttpBinding::Payload(_))))
}

/// The name a member goes by in keys and elements: `@xmlName`, else the model name.
pub fn wire_name(member: &Member) -> &str {
    member.xml.name.as_deref().unwrap_or(&member.wire_name)
}

/// The name of a list's items inside a wrapped list (`member` unless renamed).
pub fn item_name(element: &Member) -> &str {
    element.xml.name.as_deref().unwrap_or("member")
}

/// The names of a map entry's key and value (`key` and `value` unless renamed).
pub fn entry_names<'m>(key: &'m Member, value: &'m Member) -> (&'m str, &'m str) {
    (
        key.xml.name.as_deref().unwrap_or("key"),
        value.xml.name.as_deref().unwrap_or("value"),
    )
}

/// A statement running `write` (which writes `value`, a reference) for a member of `shape`
/// when it is set; a plain member is always set.
pub fn when_set(shape: &DataShape, member: &Member, write: TokenStream) -> TokenStream {
    let field = names::field_ident(&member.name);
    if shape.is_plain(member) {
        quote!({ let value = &self.#field; #write })
    } else {
        quote!(if let Some(value) = &self.#field { #write })
    }
}

/// The `match self` of a union writer: `write` for the member that is set (binding `value`),
/// nothing for an unknown member, which cannot be sent.
pub fn union_match(members: &[Member], write: impl Fn(&Member) -> TokenStream) -> TokenStream {
    let arms = members.iter().map(|member| {
        let variant = names::variant_ident(&member.name);
        let statements = write(member);
        quote!(Self::#variant(value) => { #statements })
    });
    quote! {
        match self {
            #(#arms)*
            Self::Unknown { .. } => {}
        }
    }
}
