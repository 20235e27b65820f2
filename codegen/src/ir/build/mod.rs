//! The model-to-IR stage as a list of passes over one [`Service`]: [`service`] assembles it
//! (the operations selected, the shapes they reach, endpoint rules, protocol), then each pass
//! in [`build_selected`]'s order: the service customizations, endpoint discovery, what the
//! protocol changes in the shapes, the waiters checked against the final shapes, defaults and
//! readability checks, and the finishing touches that leave warnings.

mod finish;
mod for_protocol;
mod members;
mod operations;
mod service;
mod shapes;
mod waiters;

use std::collections::{BTreeMap, HashMap};

use super::waiters::{ParsedPath, Waiter};
use super::{DataShape, Service, ShapeRef};
use crate::error::{Error, Location};
use crate::smithy::{Model, ShapeId};

/// Builds the IR of `service` (or the model's only service) from a loaded model.
pub fn build(model: &Model, file: &str, service: Option<&str>) -> Result<Service, Error> {
    build_selected(model, file, service, None, false)
}

/// [`build`], keeping only the operations named in `only` (shape names, e.g.
/// `GetRoleCredentials`) and the shapes they reach; a name the service lacks is an error.
/// `endpoints_only` builds the IR of an endpoint resolver, which needs no protocol: a
/// service that names none is read as awsJson1_0, whose operations need no routes.
pub fn build_selected(
    model: &Model,
    file: &str,
    service: Option<&str>,
    only: Option<&[String]>,
    endpoints_only: bool,
) -> Result<Service, Error> {
    let (mut service, waiters) = service::assemble(model, file, service, only, endpoints_only)?;
    super::customize::apply(model, &mut service)?;
    let traits = &model.shapes[&service.id].traits;
    let (discovery, warning) =
        super::discovery::read(&service, traits.client_endpoint_discovery.as_ref());
    service.endpoint_discovery = discovery;
    for_protocol::shape_for_protocol(&mut service);
    waiters::check_waiters(&mut service, waiters, file)?;
    super::defaults::check_written(&service, file)?;
    super::readable::check(&service, file)?;
    service.warnings = finish::finish(&mut service);
    service.warnings.extend(warning);
    service
        .warnings
        .extend(finish::unread_context_params(&service));
    Ok(service)
}

/// What the shape passes share while they walk the model from the service.
struct Builder<'m> {
    model: &'m Model,
    file: &'m str,
    rename: &'m BTreeMap<ShapeId, String>,
    shapes: Vec<DataShape>,
    refs: HashMap<ShapeId, ShapeRef>,
    names: BTreeMap<String, ShapeId>,
    /// Each operation's waiters as parsed, by operation index, to be checked once the
    /// shapes are final.
    waiters: Vec<Vec<Waiter<ParsedPath>>>,
    /// How many shapes deep the shape being built is.
    depth: usize,
}

/// The deepest nesting of shapes built (a structure holding a structure, and so on).
const MAX_SHAPE_DEPTH: usize = 64;

impl Builder<'_> {
    fn at(&self, id: &ShapeId) -> Location<'_> {
        Location::shape(self.file, &id.to_string())
    }
}
