//! The last passes: usage marking, pagination the client cannot follow dropped, and the
//! warnings they leave.

use crate::ir::{DataKind, MemberName, Primitive, Service, ShapeRef, Target};

/// The passes over the whole service: patterns the client cannot check are dropped, then
/// the shapes that check constraints are marked (a shape whose only constraint was such a
/// pattern checks nothing); returns what the client leaves out, one line each.
pub(super) fn finish(service: &mut Service) -> Vec<String> {
    let mut warnings: Vec<String> = service
        .operations
        .iter()
        .filter(|operation| service.lacks_event_support(operation))
        .map(|operation| {
            format!(
                "{}: event streams are not supported by this generator in this protocol; its method returns an error saying so",
                operation.id
            )
        })
        .collect();
    warnings.extend(crate::ir::patterns::drop_unsupported(service));
    warnings.extend(drop_non_string_pagination(service));
    crate::ir::recursion::mark_reaching(
        &mut service.shapes,
        |member| !member.constraints.is_empty(),
        |shape| shape.checks_constraints,
        |shape| shape.checks_constraints = true,
    );
    warnings
}

/// The target of the member at `path` (a member, then a member of its target, ...) of
/// structure `shape`.
pub(super) fn path_target(
    service: &Service,
    shape: ShapeRef,
    path: &[MemberName],
) -> Option<Target> {
    let mut target = Target::Shape(shape);
    for segment in path {
        let Target::Shape(current) = target else {
            return None;
        };
        let DataKind::Structure(_) = &service.shape(current).kind else {
            return None;
        };
        target = service.shape(current).member(segment)?.target;
    }
    Some(target)
}

/// True when `target` is a string (the prelude's or a named one).
pub(super) fn is_string(service: &Service, target: Target) -> bool {
    match target {
        Target::Primitive(primitive) => primitive == Primitive::String,
        Target::Shape(shape) => matches!(
            service.shape(shape).kind,
            DataKind::Alias {
                primitive: Primitive::String,
                ..
            }
        ),
    }
}

/// Drops the paginators whose tokens are not strings (DynamoDB pages by a map of its key
/// attributes), with a warning each: the operation is still there, paged by hand.
pub(super) fn drop_non_string_pagination(service: &mut Service) -> Vec<String> {
    let mut warnings = Vec::new();
    for index in 0..service.operations.len() {
        let operation = &service.operations[index];
        let Some(pagination) = &operation.pagination else {
            continue;
        };
        let tokens = [
            (
                operation.input,
                std::slice::from_ref(&pagination.input_token),
            ),
            (operation.output, pagination.output_token.as_slice()),
        ];
        let strings = tokens.iter().all(|(shape, path)| {
            path_target(service, *shape, path).is_some_and(|target| is_string(service, target))
        });
        if !strings {
            warnings.push(format!(
                "{}: its pagination tokens are not strings, so it gets no paginator (send the token yourself)",
                operation.id
            ));
            service.operations[index].pagination = None;
        }
    }
    warnings
}

/// A warning for each endpoint parameter whose path the generator does not read.
pub(super) fn unread_context_params(service: &Service) -> Vec<String> {
    service
        .operations
        .iter()
        .flat_map(|operation| {
            operation.context_params.iter().filter_map(move |param| match &param.value {
                crate::ir::endpoint::context_params::ContextValue::Unsupported(path) => Some(format!(
                    "{}: the endpoint parameter `{}` comes from the path `{path}`, which this generator does not read; it is left to the configuration",
                    operation.id, param.parameter
                )),
                _ => None,
            })
        })
        .collect()
}
