//! The rules of lists and maps checked once every reference resolves, before any later stage
//! walks what a collection holds: map keys are strings, and no list or map holds itself
//! without a structure or union between (Smithy lets a shape recur only through one; a value
//! of such a list could not even be written down).

use std::collections::BTreeSet;

use super::{Model, ShapeId, ShapeKind, SimpleType};
use crate::error::{Error, Location};

/// Refuses a map whose key targets anything but a string or an enum (which is one);
/// `file_of` names the file that defines a shape.
pub(crate) fn check_map_keys<'a>(
    model: &Model,
    file_of: impl Fn(&ShapeId) -> &'a str,
) -> Result<(), Error> {
    for (id, shape) in &model.shapes {
        let ShapeKind::Map { key, .. } = &shape.kind else {
            continue;
        };
        let string = matches!(
            model.shapes.get(&key.target).map(|target| &target.kind),
            Some(ShapeKind::Simple(SimpleType::String) | ShapeKind::Enum(_))
        );
        if !string {
            return Err(Location::shape(file_of(id), &id.to_string()).error(format!(
                "a map's key must target a string or an enum, not `{}`",
                key.target
            )));
        }
    }
    Ok(())
}

/// Refuses a list or map whose elements (or values) lead back to it through lists and maps
/// alone; `file_of` names the file that defines a shape.
pub(crate) fn check_collection_cycles<'a>(
    model: &Model,
    file_of: impl Fn(&ShapeId) -> &'a str,
) -> Result<(), Error> {
    let element = |id: &ShapeId| match &model.shapes.get(id)?.kind {
        ShapeKind::List { member, .. } => Some(&member.target),
        ShapeKind::Map { value, .. } => Some(&value.target),
        _ => None,
    };
    // Each collection leads to one shape, so a walk is a chain; a shape once walked from
    // without meeting a cycle is not walked again.
    let mut cleared: BTreeSet<&ShapeId> = BTreeSet::new();
    for start in model.shapes.keys() {
        let mut on_path: BTreeSet<&ShapeId> = BTreeSet::new();
        let mut current = start;
        while !cleared.contains(current) {
            if !on_path.insert(current) {
                return Err(
                    Location::shape(file_of(current), &current.to_string()).error(
                        "a list or map that holds itself with no structure or union between \
                     (Smithy lets a shape recur only through one)",
                    ),
                );
            }
            match element(current) {
                Some(next) => current = next,
                None => break,
            }
        }
        cleared.extend(on_path);
    }
    Ok(())
}
