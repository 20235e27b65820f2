//! The pass that checks each operation's parsed waiters against the final shapes.

use crate::error::{Error, Location};
use crate::ir::waiters::{ParsedPath, Waiter};
use crate::ir::Service;
use crate::smithy::ShapeId;

/// Where an operation's waiters are in the model.
pub(super) fn waiters_at<'f>(file: &'f str, id: &ShapeId) -> Location<'f> {
    Location::shape(file, &id.to_string())
        .field("traits")
        .key("smithy.waiters#waitable")
}

/// Checks each operation's parsed waiters against the final shapes and sets them.
pub(super) fn check_waiters(
    service: &mut Service,
    parsed: Vec<Vec<Waiter<ParsedPath>>>,
    file: &str,
) -> Result<(), Error> {
    for (index, waiters) in parsed.into_iter().enumerate() {
        let operation = &service.operations[index];
        let checked = waiters
            .into_iter()
            .map(|waiter| waiter.check(|path| crate::ir::waiters::check(service, operation, path)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|why| waiters_at(file, &operation.id).error(why))?;
        service.operations[index].waiters = checked;
    }
    Ok(())
}
