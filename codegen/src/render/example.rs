//! Doc examples for client methods: the call with every required member set to a sample
//! value, compiled by rustdoc (`no_run`).

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::Context;
use crate::ir::{DataKind, EnumVariant, Member, Operation, Primitive, Target};
use crate::rust::{names, types};

/// The path users name the client by: the crate, or its module in a hand-written crate.
fn crate_ident(context: &Context) -> TokenStream {
    let options = context.options;
    let krate = Ident::new(&options.crate_name.replace('-', "_"), Span::call_site());
    match &options.module_root {
        Some(root) => {
            let root = Ident::new(root, Span::call_site());
            quote!(#krate::#root)
        }
        None => quote!(#krate),
    }
}

/// How deep samples nest before giving up (a cycle of required members has no finite sample).
const MAX_DEPTH: usize = 8;

/// Setter arguments with sample values, or `None` when no sample can be made.
fn setter_arguments(context: &Context, member: &Member, depth: usize) -> Option<TokenStream> {
    if depth > MAX_DEPTH {
        return None;
    }
    match member.target {
        Target::Shape(shape) => match &context.service.shape(shape).kind {
            DataKind::List {
                member: element, ..
            } => sample(context, element, depth),
            DataKind::Map { key, value, .. } => {
                let (key, value) = (sample(context, key, depth)?, sample(context, value, depth)?);
                Some(quote!(#key, #value))
            }
            _ => sample(context, member, depth),
        },
        Target::Primitive(_) => sample(context, member, depth),
    }
}

/// A sample value of a member's type.
fn sample(context: &Context, member: &Member, depth: usize) -> Option<TokenStream> {
    let service = context.service;
    if service.is_streaming(member.target) {
        let crate_name = crate_ident(context);
        return Some(quote!(#crate_name::primitives::ByteStream::from("example")));
    }
    if let Some(primitive) = service.primitive_of(member.target) {
        let crate_name = crate_ident(context);
        return Some(match primitive {
            Primitive::String => quote!("example"),
            Primitive::Boolean => quote!(true),
            Primitive::Byte | Primitive::Short | Primitive::Integer | Primitive::Long => quote!(1),
            Primitive::Float | Primitive::Double => quote!(1.0),
            Primitive::Timestamp => quote!(#crate_name::primitives::DateTime::from_secs(0)),
            Primitive::Blob => quote!(#crate_name::primitives::Blob::new(b"example".to_vec())),
            _ => return None,
        });
    }
    let Target::Shape(shape) = member.target else {
        return None;
    };
    let data = service.shape(shape);
    let crate_name = crate_ident(context);
    let path = types::shape_path_from(service, shape, &quote!(#crate_name));
    match &data.kind {
        DataKind::Enum(variants) => first_variant(&path, variants),
        DataKind::IntEnum(variants) => first_variant(&path, variants),
        // A variant holds its value as stored: an owned string, a box; the first member with
        // such a sample is taken.
        DataKind::Union(members) => union_sample(context, &path, members, depth),
        DataKind::Structure(members) => structure_sample(context, &path, members, depth),
        _ => None,
    }
}

/// A union of type `path` holding a sample of its first member that can have one (not a
/// collection). A variant holds its value as stored: an owned string, a box.
fn union_sample(
    context: &Context,
    path: &TokenStream,
    members: &[Member],
    depth: usize,
) -> Option<TokenStream> {
    let service = context.service;
    members.iter().find_map(|member| {
        let collection = matches!(member.target, Target::Shape(target) if matches!(
            service.shape(target).kind,
            DataKind::List { .. } | DataKind::Map { .. }
        ));
        if collection {
            return None;
        }
        let value = sample(context, member, depth + 1)?;
        let value = match service.primitive_of(member.target) {
            Some(Primitive::String) => quote!(#value.to_owned()),
            _ => value,
        };
        let value = if member.boxed {
            quote!(Box::new(#value))
        } else {
            value
        };
        let variant = names::variant_ident(&member.name);
        Some(quote!(#path::#variant(#value)))
    })
}

/// A structure of type `path` built with samples of its required members.
fn structure_sample(
    context: &Context,
    path: &TokenStream,
    members: &[Member],
    depth: usize,
) -> Option<TokenStream> {
    let required: Vec<&Member> = members
        .iter()
        .filter(|member| member.required && member.default.is_none())
        .collect();
    let mut calls = Vec::new();
    for member in &required {
        let setter = names::field_ident(&member.name);
        let arguments = setter_arguments(context, member, depth + 1)?;
        calls.push(quote!(.#setter(#arguments)));
    }
    let build = if !required.is_empty() {
        quote!(.build().expect("a complete example"))
    } else {
        quote!(.build())
    };
    Some(quote!(#path::builder() #(#calls)* #build))
}

/// The doc lines of an example calling `operation`, or none when no sample can be made.
pub fn for_operation(context: &Context, operation: &Operation) -> Vec<String> {
    let Some(call) = call(context, operation) else {
        return Vec::new();
    };
    let crate_name = crate_ident(context);
    let function = quote! {
        async fn example(client: #crate_name::Client) -> Result<(), #crate_name::Error> {
            let output = #call.await?;
            println!("{output:?}");
            Ok(())
        }
    };
    let mut lines = vec![
        String::new(),
        "# Example".to_owned(),
        String::new(),
        "```no_run".to_owned(),
    ];
    lines.extend(unparse(function).lines().map(str::to_owned));
    lines.push("```".to_owned());
    lines
}

/// `client.op().required(sample)...send()`, or `None` when a required member has no sample.
pub fn call(context: &Context, operation: &Operation) -> Option<TokenStream> {
    let DataKind::Structure(members) = &context.service.shape(operation.input).kind else {
        return None;
    };
    let method = names::operation(&operation.rust_name).module;
    let mut calls = Vec::new();
    for member in members
        .iter()
        .filter(|member| member.required && member.default.is_none())
    {
        let setter = names::field_ident(&member.name);
        let arguments = setter_arguments(context, member, 0)?;
        calls.push(quote!(.#setter(#arguments)));
    }
    Some(quote!(client.#method() #(#calls)* .send()))
}

/// Formatted Rust of a generated item.
pub fn unparse(item: TokenStream) -> String {
    let file: syn::File = syn::parse2(item).expect("an example is valid Rust");
    prettyplease::unparse(&file)
}

/// The README's quickstart: a client from the environment and a call of the operation with
/// the fewest required members (a read-only one first); `None` when no operation has a sample.
pub fn quickstart(context: &Context) -> Option<String> {
    let required = |operation: &Operation| match &context.service.shape(operation.input).kind {
        DataKind::Structure(members) => members.iter().filter(|member| member.required).count(),
        _ => 0,
    };
    let mut operations: Vec<&Operation> = context.service.operations.iter().collect();
    operations.sort_by_key(|operation| (!operation.readonly, required(operation)));
    let (call, crate_name) = operations
        .into_iter()
        .find_map(|operation| call(context, operation))
        .map(|call| (call, crate_ident(context)))?;
    Some(unparse(quote! {
        async fn example() -> Result<(), Box<dyn std::error::Error>> {
            let client = #crate_name::Client::from_env().await?;
            let output = #call.await?;
            println!("{output:?}");
            Ok(())
        }
    }))
}

/// The first variant of the enum at `path`, as a sample.
fn first_variant<V>(path: &TokenStream, variants: &[EnumVariant<V>]) -> Option<TokenStream> {
    let variant = names::variant_ident(&variants.first()?.name);
    Some(quote!(#path::#variant))
}
