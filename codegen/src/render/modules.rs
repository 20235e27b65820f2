//! The module tree of the generated crate: which item goes in which file, and the `mod.rs`
//! files that declare and re-export them.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::{aliases, client, docs, enums, errors, fluent, structure, union, Context};
use crate::ir::{DataKind, DataShape, Operation, Role, ShapeRef, Target};
use crate::rust::names;
use crate::rust::types;

/// Rust files of the crate (paths relative to the crate root) with their tokens.
pub fn render(context: &Context) -> Vec<(String, TokenStream)> {
    let mut files = Vec::new();
    let (types_module, errors_module) = type_files(context, &mut files);
    files.extend(operation_files(context));
    files.push((
        "src/types/mod.rs".to_owned(),
        types_module.declarations(
            "Data types of the service.",
            !errors_module.files.is_empty(),
        ),
    ));
    if !errors_module.files.is_empty() {
        files.push((
            "src/types/error/mod.rs".to_owned(),
            errors_module.declarations("The errors the service can return.", false),
        ));
    }
    files.push(("src/lib.rs".to_owned(), crate_root(context)));
    if context.options.module_root.is_none() {
        files.push(("src/mock.rs".to_owned(), super::mock::render(context)));
        files.push((
            "src/blocking.rs".to_owned(),
            super::blocking::render(context),
        ));
    }
    files.push((
        "src/primitives.rs".to_owned(),
        primitives(context.service.has_event_streams()),
    ));
    files.push(("src/error.rs".to_owned(), errors::service_error(context)));
    files.push((
        "src/client.rs".to_owned(),
        client::client(context, context.options),
    ));
    match &context.service.endpoint_rules {
        Some(rules) => files.extend(super::endpoint::render(context, rules)),
        None => files.push(("src/endpoint.rs".to_owned(), client::endpoint(context))),
    }
    files
}

/// The files of `types/` and `types/error/`: one per structure, union and enum, the aliases
/// of simple, list and map shapes in `aliases.rs`, the collection readers in `readers.rs`;
/// returns what the two modules declare.
fn type_files(context: &Context, files: &mut Vec<(String, TokenStream)>) -> (Module, Module) {
    let service = context.service;
    let mut types_module = Module::default();
    let mut errors_module = Module::default();
    let mut alias_items = Vec::new();
    let mut readers = Vec::new();
    let read_collections = super::protocols::wire(service.protocol)
        .codec()
        .collection_readers(service);
    for (reference, shape) in service.shapes() {
        let (module, directory) = match shape.role {
            Role::Plain => (&mut types_module, "types"),
            Role::Error { .. } => (&mut errors_module, "types/error"),
            Role::Input(_) | Role::Output(_) => continue,
        };
        let type_name = names::type_name(&shape.name);
        let tokens = match type_item(context, reference, shape) {
            TypeItem::File(tokens) => tokens,
            TypeItem::Alias(alias) => {
                alias_items.push((type_name.clone(), alias));
                let is_collection =
                    matches!(shape.kind, DataKind::List { .. } | DataKind::Map { .. });
                if is_collection && read_collections.contains(&reference) {
                    if let Some(reader) =
                        super::codecs::json_read::collection_reader(context, shape)
                    {
                        readers.push((type_name.clone(), reader));
                    }
                }
                module.aliases.push(type_name.clone());
                continue;
            }
        };
        if matches!(shape.kind, DataKind::Structure(_)) {
            module.exports_builder.push(shape.name.clone());
        }
        let file = names::shape_module_name(&type_name);
        module.files.insert(file.clone(), shape.name.clone());
        files.push((
            format!("src/{directory}/{file}.rs"),
            with_module_docs(shape, tokens),
        ));
    }
    types_module.aliases.sort();
    types_module.has_readers = !readers.is_empty();
    files.extend(sorted_file(
        "src/types/aliases.rs",
        "Named simple, list and map shapes of the model, as type aliases.",
        quote!(),
        alias_items,
    ));
    files.extend(sorted_file(
        "src/types/readers.rs",
        "Readers of the model's list and map shapes from JSON, shared by every shape that holds one.",
        quote!(use ivschat_runtime::json::read;),
        readers,
    ));
    (types_module, errors_module)
}

/// What a data shape renders to in `types/`.
enum TypeItem {
    /// A file of its own (a structure, union or enum with its impls).
    File(TokenStream),
    /// A type alias in `aliases.rs` (a named simple, list or map shape).
    Alias(TokenStream),
}

/// The type of the data shape `reference`.
fn type_item(context: &Context, reference: ShapeRef, shape: &DataShape) -> TypeItem {
    let service = context.service;
    let alias_parts = || {
        let target = types::value_type(service, Target::Shape(reference));
        let fallback = docs::undocumented_shape(service, Target::Shape(reference));
        (target, fallback)
    };
    match &shape.kind {
        DataKind::Alias { constraints, .. } => {
            let (target, fallback) = alias_parts();
            TypeItem::Alias(aliases::render(shape, target, constraints, &fallback))
        }
        DataKind::List { .. } | DataKind::Map { .. } => {
            let (target, fallback) = alias_parts();
            TypeItem::Alias(collection_alias(shape, target, &fallback))
        }
        DataKind::Structure(members) => TypeItem::File(structure::render(context, shape, members)),
        DataKind::Union(members) => {
            let mut tokens = union::render(context, shape, members);
            tokens.extend(super::serde::union_impls(context, shape, members));
            TypeItem::File(tokens)
        }
        DataKind::Enum(variants) => {
            let mut tokens = enums::render_string(shape, variants);
            tokens.extend(super::serde::enum_impls(context, shape, false));
            TypeItem::File(tokens)
        }
        DataKind::IntEnum(variants) => {
            let mut tokens = enums::render_int(shape, variants);
            tokens.extend(super::serde::enum_impls(context, shape, true));
            TypeItem::File(tokens)
        }
    }
}

/// A file of `items` sorted by name, after its doc line and `prelude`; none without items.
fn sorted_file(
    path: &str,
    doc: &str,
    prelude: TokenStream,
    mut items: Vec<(String, TokenStream)>,
) -> Option<(String, TokenStream)> {
    if items.is_empty() {
        return None;
    }
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let items = items.into_iter().map(|(_, tokens)| tokens);
    let module_docs = docs::inner(&[doc.to_owned()]);
    Some((path.to_owned(), quote!(#module_docs #prelude #(#items)*)))
}

fn collection_alias(shape: &DataShape, target: TokenStream, fallback: &str) -> TokenStream {
    let name = names::type_ident(&shape.name);
    let docs = docs::item(shape.docs.as_deref(), fallback);
    quote!(#docs pub type #name = #target;)
}

fn with_module_docs(shape: &DataShape, tokens: TokenStream) -> TokenStream {
    let line = format!("The `{}` shape.", names::type_name(&shape.name));
    let module_docs = docs::inner(&[line]);
    quote!(#module_docs #tokens)
}

/// The items of one module directory: files (module name -> shape name) and aliases.
#[derive(Default)]
struct Module {
    files: BTreeMap<String, String>,
    exports_builder: Vec<String>,
    aliases: Vec<String>,
    /// The module has `readers.rs`, the readers of list and map shapes.
    has_readers: bool,
}

impl Module {
    fn declarations(&self, doc: &str, has_errors: bool) -> TokenStream {
        let module_docs = docs::inner(&[doc.to_owned()]);
        let items = self.files.iter().map(|(file, shape_name)| {
            let module = syn::Ident::new(file, proc_macro2::Span::call_site());
            let name = names::type_ident(shape_name);
            if self.exports_builder.contains(shape_name) {
                let builder = names::builder_ident(shape_name);
                quote!(mod #module; pub use #module::{#name, #builder};)
            } else {
                quote!(mod #module; pub use #module::#name;)
            }
        });
        let aliases = (!self.aliases.is_empty()).then(|| {
            let aliases = self.aliases.iter().map(|name| names::type_ident(name));
            quote!(mod aliases; pub use aliases::{#(#aliases),*};)
        });
        let errors = has_errors.then(|| {
            quote!(
                pub mod error;
            )
        });
        let readers = self.has_readers.then(|| {
            quote!(
                pub(crate) mod readers;
            )
        });
        quote!(#module_docs #aliases #readers #errors #(#items)*)
    }
}

fn operation_files(context: &Context) -> Vec<(String, TokenStream)> {
    let service = context.service;
    let mut files = Vec::new();
    let mut modules = Vec::new();
    for operation in &service.operations {
        let module = names::operation(&operation.rust_name).module;
        let lines = docs::doc_lines(
            operation.docs.as_deref(),
            &format!("The `{}` operation.", operation.name),
        );
        let module_docs = docs::inner(&lines);
        let summary = docs::doc_lines(operation.docs.as_deref(), "")
            .into_iter()
            .next()
            .filter(|summary| !summary.is_empty())
            .unwrap_or_else(|| format!("The `{}` operation.", operation.name));
        let deprecated = docs::deprecated(operation.deprecated.as_ref());
        let summary = docs::outer(&[summary]);
        modules.push(quote!(#summary #deprecated pub mod #module;));
        let parts = operation_parts(context, operation);
        // An event-stream operation's method fails before using its serializers.
        let allow_unused = context
            .service
            .lacks_event_support(operation)
            .then(|| quote!(#![allow(dead_code)]));
        let declarations = parts.iter().map(|(name, _, _)| {
            let crate_only = *name == "discovery";
            let name = proc_macro2::Ident::new(name, proc_macro2::Span::call_site());
            // Endpoint discovery is the client's own business: nothing of it is public.
            if crate_only {
                quote!(mod #name; pub(crate) use #name::*;)
            } else {
                quote!(mod #name; pub use #name::*;)
            }
        });
        files.push((
            format!("src/operation/{module}/mod.rs"),
            quote!(#module_docs #allow_unused #(#declarations)*),
        ));
        for (name, doc, tokens) in parts {
            let doc = docs::inner(&[doc]);
            files.push((
                format!("src/operation/{module}/{name}.rs"),
                quote!(#doc #tokens),
            ));
        }
    }
    let module_docs = docs::inner(&[
        "The operations of the service: each module holds an operation's input and output."
            .to_owned(),
    ]);
    files.push((
        "src/operation/mod.rs".to_owned(),
        quote!(#module_docs #(#modules)*),
    ));
    files
}

/// The files of an operation's folder, each as (name, doc line, items): input, output,
/// error, fluent builder, and the paginator of a paginated operation.
fn operation_parts(
    context: &Context,
    operation: &Operation,
) -> Vec<(&'static str, String, TokenStream)> {
    let service = context.service;
    // Operation inputs and outputs are structures (the IR makes them).
    let structure_of = |shape| {
        let data = service.shape(shape);
        structure::render(context, data, data.members())
    };
    let input_members = service.shape(operation.input).members();
    let fluent = fluent::render(context, operation, input_members);
    let op = &operation.name;
    let builder = fluent.builder;
    let mut parts = vec![
        (
            "input",
            format!("The input of `{op}`, its builder and its HTTP request."),
            structure_of(operation.input),
        ),
        (
            "output",
            format!("The output of `{op}`, its builder and how it is read from a response."),
            structure_of(operation.output),
        ),
        (
            "error",
            format!("The errors `{op}` can return."),
            errors::operation_error(context, operation),
        ),
        (
            "fluent",
            format!("The fluent builder that sends `{op}`."),
            quote!(use super::*; #builder),
        ),
    ];
    if let Some(discovery) = super::discovery::discovered_endpoint(context, operation) {
        parts.push((
            "discovery",
            "Endpoint discovery: the address this operation gives, cached.".to_owned(),
            quote!(use super::*; #discovery),
        ));
    }
    if let Some(paginator) = fluent.paginator {
        parts.push((
            "paginator",
            format!("Paging through `{op}`."),
            quote!(use super::*; #paginator),
        ));
    }
    parts
}

/// The crate doc: the service's title and documentation, then (for a crate of its own) how
/// to use it.
fn crate_docs(context: &Context) -> TokenStream {
    let service = context.service;
    let title = service
        .title
        .clone()
        .unwrap_or_else(|| service.sdk_id.clone());
    let mut lines = vec![format!("{title}."), String::new()];
    lines.extend(docs::doc_lines(
        service.docs.as_deref(),
        "The service has no documentation.",
    ));
    if context.options.module_root.is_none() {
        lines.push(String::new());
        lines.extend(super::manifest::usage(context).lines().map(str::to_owned));
    }
    docs::inner(&lines)
}

fn crate_root(context: &Context) -> TokenStream {
    let service = context.service;
    let module_docs = crate_docs(context);
    let waiter_types = client::has_waiters(service).then(|| {
        quote!(
            pub use client::{WaitError, WaitSettings};
        )
    });
    let account_mode = super::endpoint_params::routes_by_account(service).then(|| {
        quote!(
            pub use client::AccountIdEndpointMode;
        )
    });
    // Test doubles, where the crate is a crate of its own (it then has the feature).
    let mock = context.options.module_root.is_none().then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod blocking;
            #[cfg(feature = "test-util")]
            #[rustfmt::skip]
            pub mod mock;
        }
    });
    quote! {
        #module_docs
        #![allow(deprecated)]
        #![allow(clippy::large_enum_variant, reason = "unions hold their members by value, as the model shapes them; boxing the large ones would make the API depend on sizes")]
        #![allow(clippy::result_large_err, reason = "operation errors hold the modelled error structures by value, to be matched and read; boxing the large ones would make the API depend on sizes")]
        #![warn(missing_docs)]

        // The generator formats these files itself; `cargo fmt` leaves them alone.
        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        pub mod endpoint;
        #[rustfmt::skip]
        pub mod error;
        #[rustfmt::skip]
        pub mod operation;
        #[rustfmt::skip]
        pub mod primitives;
        #[rustfmt::skip]
        pub mod types;
        #mock

        pub use client::{Client, Config, ConfigBuilder, ConfigError, Credentials, RetryMode};
        #account_mode
        #waiter_types
        pub use error::Error;
    }
}

/// The primitive types, with the event-stream types when the service has event streams.
fn primitives(event_streams: bool) -> TokenStream {
    let events = event_streams.then(|| {
        quote!(
            pub use ivschat_runtime::event_stream::{EventStream, ReceiveError};
        )
    });
    quote! {
        //! The primitive types that model shapes map to, and `StreamExt` for `next()` on
        //! paginators and streams.
        pub use ivschat_runtime::{BigDecimal, BigInteger, Blob, ByteStream, DateTime, DateTimeFormat, Document, Number, Stream, StreamExt, UnknownValue};
        #events
    }
}
