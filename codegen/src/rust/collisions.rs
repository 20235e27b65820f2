//! Members whose Rust names would clash: with another member of the same structure or union
//! (`fooBar` and `foo_bar` both become `foo_bar`), with a member's own setter or getter
//! (`name`'s `set_name` and a member `set_name`), or, in a structure, with a method the
//! generator adds (`build`, `send`, ...; see [`names::generated_methods`]). The later member
//! is renamed for Rust with a number (`foo_bar2`), its wire name kept, and a warning says so.
//! The IR refers to members by their model names ([`crate::ir::MemberName`]), which stay: a
//! rename needs no reference to follow it.

use std::collections::BTreeSet;

use super::names;
use crate::ir::{DataKind, Role, Service};

/// Renames shapes whose Rust type names would clash in their module (`types` or
/// `types::error`) or, for errors, with the error enums' own variants
/// ([`names::ERROR_VARIANTS`]): a later shape whose name, or its builder's, is taken gets a
/// number (`StringValue2`); returns one warning per renamed shape. Error codes keep the model name.
pub fn rename_colliding_shapes(service: &mut Service) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut taken: BTreeSet<(bool, String)> = names::ERROR_VARIANTS
        .iter()
        .map(|&variant| (true, variant.to_owned()))
        .collect();
    for shape in &mut service.shapes {
        let error = match shape.role {
            Role::Plain => false,
            Role::Error { .. } => true,
            Role::Input(_) | Role::Output(_) => continue,
        };
        let builds = matches!(shape.kind, DataKind::Structure(_));
        let original = shape.name.clone();
        let mut candidate = original.clone();
        let mut number = 2;
        loop {
            let type_name = names::type_name(&candidate);
            let mut claims = vec![(error, type_name.clone())];
            if builds {
                claims.push((error, format!("{type_name}Builder")));
            }
            if claims.iter().all(|claim| !taken.contains(claim)) {
                taken.extend(claims);
                break;
            }
            candidate = format!("{original}{number}");
            number += 1;
        }
        if candidate != original {
            warnings.push(format!(
                "{}: its Rust name `{}` is taken by another shape or a generated variant; it is `{}` in Rust",
                shape.id,
                names::type_name(&original),
                names::type_name(&candidate)
            ));
            shape.name = candidate;
        }
    }
    warnings
}

/// Renames colliding members of `service`; returns one warning per renamed member.
pub fn rename_colliding_members(service: &mut Service) -> Vec<String> {
    let mut warnings = Vec::new();
    for shape in &mut service.shapes {
        let (members, structure) = match &mut shape.kind {
            DataKind::Structure(members) => (members, true),
            DataKind::Union(members) => (members, false),
            _ => continue,
        };
        let mut taken: BTreeSet<String> = BTreeSet::new();
        if structure {
            taken.extend(names::generated_methods(&shape.role).map(str::to_owned));
        }
        for member in members.iter_mut() {
            let original = member.name.clone();
            let mut candidate = original.clone();
            let mut number = 2;
            loop {
                let field = names::field_name(&candidate);
                // A structure member also claims its builder's `set_` and `get_` methods.
                let claims = if structure {
                    vec![format!("set_{field}"), format!("get_{field}"), field]
                } else {
                    vec![field]
                };
                if claims.iter().all(|claim| !taken.contains(claim)) {
                    taken.extend(claims);
                    break;
                }
                candidate = format!("{original}{number}");
                number += 1;
            }
            if candidate != original {
                warnings.push(format!(
                    "{}${original}: its Rust name is taken by another member or a generated method; it is `{}` in Rust",
                    shape.id,
                    names::field_name(&candidate)
                ));
                member.name = candidate;
            }
        }
    }
    warnings
}

/// Renames operations whose Rust names would clash: two operations with one module and client
/// method (`GetFoo`, `Get_Foo`), or an operation whose method is one the client has already
/// (`Config` and `Client::config`, see [`names::CLIENT_METHODS`]). The later one gets a number
/// in Rust (`config2`); its wire name stays. Returns one warning per renamed operation.
pub fn rename_colliding_operations(service: &mut Service) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut taken: BTreeSet<String> = names::CLIENT_METHODS
        .iter()
        .map(|&method| method.to_owned())
        .collect();
    for operation in &mut service.operations {
        let mut candidate = operation.rust_name.clone();
        let mut number = 2;
        while taken.contains(&names::module_name(&candidate)) {
            candidate = format!("{}{number}", operation.rust_name);
            number += 1;
        }
        taken.insert(names::module_name(&candidate));
        if candidate != operation.rust_name {
            warnings.push(format!(
                "{}: its Rust name `{}` is taken by another operation or a client method; it is `{}` in Rust",
                operation.id,
                names::module_name(&operation.rust_name),
                names::module_name(&candidate)
            ));
            operation.rust_name = candidate;
        }
    }
    warnings
}
