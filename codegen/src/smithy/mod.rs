//! Smithy models (JSON AST and IDL): shape ids, shapes, members, typed traits, the prelude, loading and
//! validation.

mod collections;
mod http_method;
mod idl;
mod load;
mod model;
mod prelude;
mod shape_id;
mod sources;
mod traits;

pub(crate) use crate::error::is_identifier;
pub use http_method::HttpMethod;
pub use model::{Member, Model, Operation, Resource, Service, Shape, ShapeKind, SimpleType};
pub use prelude::unit;
pub use shape_id::ShapeId;
pub use sources::load;
pub use sources::{load_sources, Source};
pub use traits::{
    Bounds, ClientEndpointDiscovery, Deprecated, EnumDefinition, EnumValue, Http, HttpChecksum,
    Paginated, StaticValue, TimestampFormat, Traits, XmlNamespace,
};

use crate::error::{Error, Location};

impl Model {
    /// The service to generate: `choice` when given, else the model's only service.
    pub fn select_service(&self, file: &str, choice: Option<&str>) -> Result<ShapeId, Error> {
        let root = Location::root(file);
        if let Some(choice) = choice {
            let id = ShapeId::parse(choice).map_err(|message| root.error(message))?;
            return match self.get(&id).map(|shape| &shape.kind) {
                Some(ShapeKind::Service(_)) => Ok(id),
                Some(_) => Err(root.error(format!("`{id}` is not a service shape"))),
                None => Err(root.error(format!("the model has no shape `{id}`"))),
            };
        }
        let services: Vec<&ShapeId> = self.services().collect();
        match services.as_slice() {
            [] => Err(root.error("the model has no service shape")),
            [only] => Ok((*only).clone()),
            several => Err(root.error(format!(
                "the model has {} service shapes ({}); choose one",
                several.len(),
                several
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }
}
