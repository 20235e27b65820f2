//! The generated crate's `Cargo.toml` and `README.md`, from minijinja templates.

use minijinja::{context, Environment, Value};

use super::Context;
use crate::ir::{DataKind, Member, Operation, Role, Service, ShapeRef};
use crate::rust::docs::html_to_markdown;
use crate::rust::names;

const CARGO_TOML: &str = include_str!("../../templates/Cargo.toml.j2");
const README: &str = include_str!("../../templates/README.md.j2");
const USAGE: &str = include_str!("../../templates/usage.md.j2");

/// The runtime's optional features the service needs.
fn runtime_features(service: &Service) -> Vec<&'static str> {
    let mut features = Vec::new();
    if service
        .operations
        .iter()
        .any(|operation| operation.checksum_required || operation.http_checksum.is_some())
    {
        features.push("checksum");
    }
    if service
        .operations
        .iter()
        .any(|operation| operation.gzip_requests)
    {
        features.push("compression");
    }
    features.extend(
        super::protocols::wire(service.protocol)
            .codec()
            .runtime_feature(),
    );
    if service.uses_sigv4a {
        features.push("sigv4a");
    }
    if service.has_event_streams() {
        features.push("event-stream");
    }
    if service.has_duplex_streams() {
        features.push("h2");
    }
    features
}

/// The README's operation table: each operation's name and first line of docs.
fn operation_rows(service: &Service) -> Vec<Value> {
    service
        .operations
        .iter()
        .map(|operation| {
            let summary = operation
                .docs
                .as_deref()
                .map(html_to_markdown)
                .and_then(|lines| lines.into_iter().next())
                .unwrap_or_default()
                .replace('|', "\\|");
            context! { name => operation.name, summary => summary }
        })
        .collect()
}

/// The member of a shape that streams (a blob or events).
type StreamingMember = for<'s> fn(&'s Service, ShapeRef) -> Option<&'s Member>;

/// The operations whose input (or output, as `side` picks) has a member `find` finds, with
/// the member.
fn streaming(
    service: &Service,
    side: fn(&Operation) -> ShapeRef,
    find: StreamingMember,
) -> Vec<Value> {
    service
        .operations
        .iter()
        .filter_map(|operation| {
            let member = find(service, side(operation))?;
            Some(context! { name => operation.name, member => names::field_name(&member.name) })
        })
        .collect()
}

/// The service as a crates.io keyword: its sdkId in lower case, spaces as dashes, at most 20
/// characters (crates.io's limit).
fn crate_keyword(sdk_id: &str) -> String {
    let keyword: String = sdk_id
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(20)
        .collect();
    keyword.trim_matches('-').to_owned()
}

/// The operations that page, by name.
fn paginated(service: &Service) -> Vec<String> {
    service
        .operations
        .iter()
        .filter(|operation| operation.pagination.is_some())
        .map(|operation| operation.name.clone())
        .collect()
}

/// The README's waiter list: each waiter, the operation it polls and its method.
fn waiter_rows(service: &Service) -> Vec<Value> {
    service
        .operations
        .iter()
        .flat_map(|operation| {
            operation.waiters.iter().map(move |waiter| {
                context! {
                    name => waiter.name,
                    operation => names::operation(&operation.rust_name).module.to_string(),
                    method => names::prefixed_ident("wait_until", &waiter.name).to_string(),
                    min_delay => waiter.min_delay,
                    max_delay => waiter.max_delay,
                }
            })
        })
        .collect()
}

/// How to use the crate (quickstart, errors, pagination, testing): a part of the README, and
/// of the crate's documentation.
pub fn usage(context: &Context) -> String {
    let mut environment = Environment::new();
    environment
        .add_template("usage.md.j2", USAGE)
        .expect("the usage template is valid");
    let values = context! {
        quickstart => super::example::quickstart(context),
        crate_ident => context.options.crate_name.replace('-', "_"),
        paginated => paginated(context.service),
    };
    environment
        .get_template("usage.md.j2")
        .and_then(|template| template.render(values))
        .expect("the usage template renders with the values given")
}

/// `Cargo.toml`, `README.md` and `API.md`, keyed by path.
pub fn render(context: &Context) -> Vec<(String, String)> {
    let environment = environment();
    let values = template_values(context);
    let mut files: Vec<(String, String)> = ["Cargo.toml", "README.md"]
        .into_iter()
        .map(|name| {
            let text = environment
                .get_template(name)
                .and_then(|template| template.render(&values))
                .expect("templates render with the values given");
            (name.to_owned(), text)
        })
        .collect();
    files.push(("API.md".to_owned(), super::api_listing::render(context)));
    files
}

/// The templates of `Cargo.toml` and `README.md`.
fn environment() -> Environment<'static> {
    let mut environment = Environment::new();
    environment.set_keep_trailing_newline(true);
    environment
        .add_template("Cargo.toml", CARGO_TOML)
        .expect("the Cargo.toml template is valid");
    environment
        .add_template("README.md", README)
        .expect("the README template is valid");
    environment
}

/// What the templates read: the crate's names, versions and dependencies, and the service's
/// title, operations, streams, waiters and shape counts.
fn template_values(context: &Context) -> minijinja::Value {
    let (service, options) = (context.service, context.options);
    let title = service
        .title
        .clone()
        .unwrap_or_else(|| service.sdk_id.clone());
    let summary = service
        .docs
        .as_deref()
        .map(html_to_markdown)
        .unwrap_or_default();
    let count = |wanted: fn(&DataKind) -> bool| {
        service
            .shapes
            .iter()
            .filter(|shape| wanted(&shape.kind))
            .count()
    };
    let operations = operation_rows(service);
    let (input, output) = (
        |operation: &Operation| operation.input,
        |operation: &Operation| operation.output,
    );
    let uploads = streaming(service, input, Service::streaming_payload);
    let downloads = streaming(service, output, Service::streaming_payload);
    let sent_events = streaming(service, input, Service::event_stream_payload);
    let received_events = streaming(service, output, Service::event_stream_payload);
    context! {
        keyword => crate_keyword(&service.sdk_id),
        aws => service.aws_service,
        license => options.license.clone().or_else(|| service.aws_service.then(|| "Apache-2.0".to_owned())),
        usage => usage(context),
        repository => options.repository,
        sent_events => sent_events,
        received_events => received_events,
        waiters => waiter_rows(service),
        uploads => uploads,
        downloads => downloads,
        header => options.header(),
        crate_name => options.crate_name,
        version => options.crate_version,
        description => format!("{title} client, generated by ivschat-codegen"),
        runtime_dependency => options.runtime_dependency,
        credentials_dependency => options.credentials_dependency,
        runtime_features => runtime_features(service),
        title => title,
        service_id => service.id.to_string(),
        sdk_id => service.sdk_id,
        api_version => service.version,
        summary => summary,
        operations => operations,
        shape_count => service.shapes.len(),
        structure_count => count(|kind| matches!(kind, DataKind::Structure(_))),
        enum_count => count(|kind| matches!(kind, DataKind::Enum(_) | DataKind::IntEnum(_))),
        union_count => count(|kind| matches!(kind, DataKind::Union(_))),
        alias_count => count(|kind| matches!(kind, DataKind::Alias { .. })),
        error_count => service.shapes.iter().filter(|shape| matches!(shape.role, Role::Error { .. })).count(),
        regenerate => options.regenerate_command,
    }
}
