//! `@pattern`s the client's regex engine (regex-lite: no Unicode classes such as `\p{L}`, no
//! look-around) cannot compile are not checked client-side: this pass drops them from the IR and
//! returns a warning for each, naming the shape, the member and the pattern. Patterns are only
//! checked on request anyway (`check_patterns(true)`), and the service checks them all.

use super::{Constraints, DataKind, Service};

/// Drops the unsupported patterns of `service` and marks the shapes that still reach a
/// pattern; returns one warning per dropped pattern.
pub fn drop_unsupported(service: &mut Service) -> Vec<String> {
    let mut warnings = Vec::new();
    for shape in &mut service.shapes {
        let name = shape.id.to_string();
        let mut check = |member: &str, constraints: &mut Constraints| {
            let Some(pattern) = &constraints.pattern else {
                return;
            };
            if let Err(problem) = regex_lite::Regex::new(pattern) {
                warnings.push(format!(
                    "{name}{member}: @pattern `{pattern}` is not checked client-side: {problem}"
                ));
                constraints.pattern = None;
            }
        };
        match &mut shape.kind {
            DataKind::Structure(members) | DataKind::Union(members) => {
                for member in members {
                    check(&format!("${}", member.name), &mut member.constraints);
                }
            }
            DataKind::List { member, .. } => check("$member", &mut member.constraints),
            DataKind::Map { key, value, .. } => {
                check("$key", &mut key.constraints);
                check("$value", &mut value.constraints);
            }
            DataKind::Alias { constraints, .. } => check("", constraints),
            DataKind::Enum(_) | DataKind::IntEnum(_) => {}
        }
    }
    super::recursion::mark_reaching(
        &mut service.shapes,
        |member| member.constraints.pattern.is_some(),
        |shape| shape.checks_patterns,
        |shape| shape.checks_patterns = true,
    );
    warnings
}
