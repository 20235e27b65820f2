//! Generates a Rust client crate from a Smithy service model (JSON AST or IDL files).
//!
//! The flow is one way: model files -> [`smithy::Model`] -> [`ir::Service`] -> rendered files.
//! Nothing here touches the disk: [`generate`] returns the files and the caller writes them.

mod error;
pub mod ir;
mod render;
pub mod rust;
pub mod smithy;

use std::collections::BTreeMap;

pub use error::Error;
pub use render::{api_listing, Options};
pub use smithy::Source;

/// The generated crate, in memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    /// File contents by path relative to the crate root, e.g. `src/types/room.rs`.
    pub files: BTreeMap<String, String>,
    /// Data shapes rendered (including synthetic inputs and outputs).
    pub shape_count: usize,
    /// Operations rendered.
    pub operation_count: usize,
    /// What the client leaves out (e.g. `@pattern`s it cannot check), one line each.
    pub warnings: Vec<String>,
    /// The service customizations applied ([`ir::customize`]), by name.
    pub customizations: Vec<&'static str>,
}

/// Generates the client crate for `service` (or the model's only service) from the text of
/// one model file (IDL when `file` ends with `.smithy`, else JSON AST). `file` names the
/// model in error messages.
pub fn generate(
    text: &str,
    file: &str,
    service: Option<&str>,
    options: &Options,
) -> Result<Generated, Error> {
    generate_sources(&[Source { name: file, text }], service, options)
}

/// Generates the client crate for `service` (or the model's only service) from a model made
/// of several files, JSON AST and IDL mixed.
pub fn generate_sources(
    sources: &[Source],
    service: Option<&str>,
    options: &Options,
) -> Result<Generated, Error> {
    generate_with(sources, service, options, Renderer::Crate)
}

/// Generates the runtime's table of AWS partitions (`runtime/src/endpoint/partitions.rs`) from
/// the partitions data; `options.source` names the data in the header.
pub fn generate_partitions(json: &str, options: &Options) -> Result<String, Error> {
    let partitions = ir::endpoint::partitions::read(json)?;
    Ok(render::render_partitions(&partitions, options))
}

/// Generates only the endpoint resolver (with its tests) of a model's service, as a crate.
pub fn generate_endpoint_crate(
    sources: &[Source],
    service: Option<&str>,
    options: &Options,
) -> Result<Generated, Error> {
    generate_with(sources, service, options, Renderer::Endpoints)
}

/// A crate with its protocol compliance tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtocolTestCrate {
    /// File contents by path relative to the crate root.
    pub files: BTreeMap<String, String>,
    /// Test functions rendered, as (function name in `protocol_tests`, case id); cases named
    /// in the skip list are among them, as ignored tests.
    pub tests: Vec<(String, String)>,
}

/// Generates the client crate for `service` with the client cases of its Smithy protocol
/// tests for `protocol` (e.g. `aws.protocols#restJson1`) as tests; `skips` maps case ids to
/// the reason they are ignored.
pub fn generate_protocol_tests(
    sources: &[Source],
    service: &str,
    protocol: &str,
    options: &Options,
    skips: &BTreeMap<String, String>,
) -> Result<ProtocolTestCrate, Error> {
    let model = smithy::load_sources(sources)?;
    let file = model_name(sources);
    let ir = service_for_rust(&model, &file, Some(service), None, false)?;
    let suite = ir::protocol_tests::read(&ir, &model, &file, protocol)?;
    Ok(render::render_with_protocol_tests(
        &ir, &suite, options, &file, skips,
    ))
}

/// How errors name a model: its file, or its first file and how many more.
fn model_name(sources: &[Source]) -> String {
    match sources {
        [only] => only.name.to_owned(),
        [first, rest @ ..] => format!("{} (and {} more files)", first.name, rest.len()),
        [] => "an empty model".to_owned(),
    }
}

/// The IR of the chosen service and operations, its shapes' and members' Rust names made
/// distinct (a warning for each renamed one).
fn service_for_rust(
    model: &smithy::Model,
    file: &str,
    service: Option<&str>,
    operations: Option<&[String]>,
    endpoints_only: bool,
) -> Result<ir::Service, Error> {
    let mut service = ir::build_selected(model, file, service, operations, endpoints_only)?;
    let renamed = rust::collisions::rename_colliding_shapes(&mut service);
    service.warnings.extend(renamed);
    let renamed = rust::collisions::rename_colliding_members(&mut service);
    service.warnings.extend(renamed);
    let renamed = rust::collisions::rename_colliding_operations(&mut service);
    service.warnings.extend(renamed);
    Ok(service)
}

/// What [`generate_with`] renders.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Renderer {
    /// The whole client crate.
    Crate,
    /// Only the endpoint resolver and its tests (the service needs no protocol).
    Endpoints,
}

/// Loads the model, builds the IR and renders it with `render`.
/// Refuses options the generated code could not be named by: a crate name that is not a
/// Rust crate name, a module root that is not an identifier.
fn check_options(options: &Options, file: &str) -> Result<(), Error> {
    let name = options.crate_name.replace('-', "_");
    if !smithy::is_identifier(&name) || name.starts_with('_') {
        return Err(error::Location::root(file).error(format!(
            "the crate name `{}` is not a Rust crate name (letters, digits, `-` and `_`, starting with a letter)",
            options.crate_name
        )));
    }
    match &options.module_root {
        Some(root) if !smithy::is_identifier(root) => Err(error::Location::root(file)
            .error(format!("the module root `{root}` is not a Rust identifier"))),
        _ => Ok(()),
    }
}

fn generate_with(
    sources: &[Source],
    service: Option<&str>,
    options: &Options,
    renderer: Renderer,
) -> Result<Generated, Error> {
    let model = smithy::load_sources(sources)?;
    let file = model_name(sources);
    check_options(options, &file)?;
    let endpoints_only = renderer == Renderer::Endpoints;
    let operations = options.operations.as_deref();
    let service = service_for_rust(&model, &file, service, operations, endpoints_only)?;
    let files = match (renderer, &service.endpoint_rules) {
        (Renderer::Crate, _) => render::render(&service, options, &file),
        (Renderer::Endpoints, Some(rules)) => {
            render::render_endpoint_crate(&service, rules, options, &file)
        }
        (Renderer::Endpoints, None) => {
            return Err(error::Location::shape(&file, &service.id.to_string())
                .error("the service has no endpoint rule set"))
        }
    };
    Ok(Generated {
        files,
        shape_count: service.shapes.len(),
        operation_count: service.operations.len(),
        warnings: service.warnings.clone(),
        customizations: service.customizations.applied.clone(),
    })
}
