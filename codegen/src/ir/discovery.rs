//! Endpoint discovery (`aws.api#clientEndpointDiscovery`): the service's discovery operation,
//! checked to answer the shape the trait requires (`Endpoints: [{Address,
//! CachePeriodInMinutes}]`), and the error that says a discovered endpoint went stale.

use super::{DataKind, Primitive, Service, Target};
use crate::smithy::ClientEndpointDiscovery;

/// How the service's clients discover endpoints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointDiscovery {
    /// The discovery operation (`DescribeEndpoints`), by index in the service's operations.
    pub operation: usize,
    /// The error code that says a discovered endpoint is no longer valid.
    pub invalid_endpoint_code: Option<String>,
}

/// The service's endpoint discovery, when the model has it and the selected operations
/// include a discovery operation of the required shape; otherwise `None` and, when some
/// operation wanted discovery, a warning saying why.
pub fn read(
    service: &Service,
    discovery: Option<&ClientEndpointDiscovery>,
) -> (Option<EndpointDiscovery>, Option<String>) {
    let Some(discovery) = discovery else {
        return (None, None);
    };
    let wanted = service
        .operations
        .iter()
        .any(|operation| operation.discovered_endpoint.is_some());
    let refuse = |why: String| {
        let warning = wanted.then(|| format!("endpoint discovery is not generated: {why}"));
        (None, warning)
    };
    let Some(operation_id) = &discovery.operation else {
        return refuse("the trait names no operation".to_owned());
    };
    let Some(index) = service
        .operations
        .iter()
        .position(|operation| operation.id.to_string() == *operation_id)
    else {
        return refuse(format!(
            "its operation `{operation_id}` is not among the generated ones"
        ));
    };
    if !answers_endpoints(service, index) {
        return refuse(format!(
            "`{operation_id}` does not answer `Endpoints: [{{Address, CachePeriodInMinutes}}]`"
        ));
    }
    let invalid_endpoint_code = discovery
        .error
        .as_deref()
        .and_then(|id| id.rsplit_once('#'))
        .map(|(_, name)| name.to_owned());
    (
        Some(EndpointDiscovery {
            operation: index,
            invalid_endpoint_code,
        }),
        None,
    )
}

/// True when the operation's output is `Endpoints`, a list of structures with a string
/// `Address` and a long `CachePeriodInMinutes`.
fn answers_endpoints(service: &Service, operation: usize) -> bool {
    let primitive = |target: Target| match target {
        Target::Primitive(primitive) => Some(primitive),
        Target::Shape(shape) => match &service.shape(shape).kind {
            DataKind::Alias { primitive, .. } => Some(*primitive),
            _ => None,
        },
    };
    let DataKind::Structure(members) = &service.shape(service.operations[operation].output).kind
    else {
        return false;
    };
    let Some(Target::Shape(list)) = members
        .iter()
        .find(|m| m.name == "Endpoints")
        .map(|m| m.target)
    else {
        return false;
    };
    let DataKind::List { member, .. } = &service.shape(list).kind else {
        return false;
    };
    let Target::Shape(endpoint) = member.target else {
        return false;
    };
    let DataKind::Structure(fields) = &service.shape(endpoint).kind else {
        return false;
    };
    let has = |name: &str, expected: Primitive| {
        fields
            .iter()
            .any(|field| field.name == name && primitive(field.target) == Some(expected))
    };
    has("Address", Primitive::String) && has("CachePeriodInMinutes", Primitive::Long)
}
