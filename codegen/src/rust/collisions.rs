//! Members of one structure or union whose Rust names coincide (`fooBar` and `foo_bar` both
//! become `foo_bar`): the later one is renamed for Rust with a number (`foo_bar2`), its wire
//! name kept as its JSON name, and a warning says so.

use std::collections::BTreeSet;

use super::names;
use crate::ir::{DataKind, Service};

/// Renames colliding members of `service`; returns one warning per renamed member.
pub fn rename_colliding_members(service: &mut Service) -> Vec<String> {
    let mut warnings = Vec::new();
    for shape in &mut service.shapes {
        let (DataKind::Structure(members) | DataKind::Union(members)) = &mut shape.kind else {
            continue;
        };
        let mut taken = BTreeSet::new();
        for member in members.iter_mut() {
            let original = member.name.clone();
            let mut candidate = original.clone();
            let mut number = 2;
            while !taken.insert(names::field_name(&candidate)) {
                candidate = format!("{original}{number}");
                number += 1;
            }
            if candidate != original {
                warnings.push(format!(
                    "{}${original}: its Rust name is taken by another member; it is `{}` in Rust",
                    shape.id,
                    names::field_name(&candidate)
                ));
                member.json_name.get_or_insert(original);
                member.name = candidate;
            }
        }
    }
    warnings
}
