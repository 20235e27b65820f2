//! Route 53: its answers give ids with a type prefix (`/hostedzone/Z1`, `/change/C2`,
//! `/delegationset/N3`) that its requests refuse (the id is a URI label, at most 32
//! characters); the SDKs trim the prefix from input ids, so an answer's id can be passed back.

use super::{Customization, TrimmedPrefixes};
use crate::error::Error;
use crate::ir::Service;
use crate::smithy::{Model, ShapeKind};

/// The id shapes whose members are trimmed.
const ID_SHAPES: [&str; 3] = ["ResourceId", "DelegationSetId", "ChangeId"];

/// The prefixes trimmed, with and without the leading slash, as the SDKs trim them.
const PREFIXES: &[&str] = &[
    "/hostedzone/",
    "hostedzone/",
    "/change/",
    "change/",
    "/delegationset/",
    "delegationset/",
];

/// Route 53's id prefix trimming.
pub struct IdPrefixes;

impl Customization for IdPrefixes {
    fn name(&self) -> &'static str {
        "route53-id-prefixes"
    }

    fn applies_to(&self, sdk_id: &str) -> bool {
        sdk_id == "Route 53"
    }

    fn apply(&self, model: &Model, service: &mut Service) -> Result<(), Error> {
        let mut trimmed = Vec::new();
        for operation in &service.operations {
            let input = service.shape(operation.input);
            let Some(ShapeKind::Structure(members)) =
                model.shapes.get(&input.id).map(|shape| &shape.kind)
            else {
                continue;
            };
            for member in members {
                let target = &member.target;
                if target.namespace() == service.id.namespace()
                    && ID_SHAPES.contains(&target.name())
                {
                    trimmed.push(TrimmedPrefixes {
                        input: operation.input,
                        member: member.name.clone(),
                        prefixes: PREFIXES,
                    });
                }
            }
        }
        service.customizations.trimmed_prefixes = trimmed;
        Ok(())
    }
}
