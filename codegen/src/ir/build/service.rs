//! The first pass: the service assembled from the model, its operations (all, or those
//! selected) with the shapes they reach, its endpoint rules and its protocol.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::Builder;
use crate::error::{Error, Location};
use crate::ir::endpoint::resolver::Resolver;
use crate::ir::waiters::{ParsedPath, Waiter};
use crate::ir::{
    recursion, DataKind, DataShape, JsonVersion, Member, Operation, Protocol, Role, Service,
    ShapeRef, Target,
};
use crate::smithy::{Model, ShapeId, ShapeKind, Traits};

/// The service as the model gives it: the selected operations, the shapes they reach (with
/// each operation's waiters as parsed), its endpoint rules checked, and its protocol.
pub(super) fn assemble(
    model: &Model,
    file: &str,
    service: Option<&str>,
    only: Option<&[String]>,
    endpoints_only: bool,
) -> Result<(Service, ParsedWaiters), Error> {
    let service_id = model.select_service(file, service)?;
    let service_shape = &model.shapes[&service_id];
    let ShapeKind::Service(definition) = &service_shape.kind else {
        unreachable!("select_service returns service shapes");
    };
    let (operations, shapes, waiters) = operations_and_shapes(model, file, &service_id, only)?;
    let traits = &service_shape.traits;
    let (endpoint_rules, rules_offer_sigv4a) =
        endpoint_rules(traits, &Location::shape(file, &service_id.to_string()))?;
    let uses_sigv4a = traits.sigv4a || rules_offer_sigv4a;
    let protocol = match protocol(
        traits,
        &operations,
        definition.version.is_some(),
        file,
        &service_id,
    ) {
        Err(_) if endpoints_only && !names_protocol(traits) => Protocol::AwsJson(JsonVersion::V1_0),
        chosen => chosen?,
    };
    let service = Service {
        endpoint_rules,
        sdk_id: traits
            .aws_sdk_id
            .clone()
            .unwrap_or_else(|| service_id.name().to_owned()),
        version: definition.version.clone(),
        signing_name: traits.sigv4_name.clone(),
        protocol,
        xml_namespace: traits.xml_namespace.clone(),
        title: traits.title.clone(),
        docs: traits.documentation.clone(),
        id: service_id,
        operations,
        shapes,
        warnings: Vec::new(),
        uses_sigv4a,
        query_compatible: traits.aws_query_compatible,
        endpoint_discovery: None,
        aws_service: traits.aws_sdk_id.is_some(),
        customizations: crate::ir::customize::Customizations::default(),
    };
    Ok((service, waiters))
}

/// The service's endpoint rules read and checked (`at` locates the service), and whether
/// they offer SigV4a.
fn endpoint_rules(traits: &Traits, at: &Location) -> Result<(Option<Resolver>, bool), Error> {
    let Some(rules) = traits.raw("smithy.rules#endpointRuleSet") else {
        return Ok((None, false));
    };
    let rules =
        crate::ir::endpoint::read::read(rules, traits.raw("smithy.rules#endpointTests"), at)?;
    let sigv4a = rules.offers_auth_scheme("sigv4a");
    let rules_at = at.field("traits").key("smithy.rules#endpointRuleSet");
    let resolver = crate::ir::endpoint::check::check(rules, &rules_at)?;
    Ok((Some(resolver), sigv4a))
}

/// The operations, the shapes they reach and each operation's waiters as parsed.
type OperationsAndShapes = (Vec<Operation>, Vec<DataShape>, ParsedWaiters);

/// Each operation's waiters as parsed, by operation index, to be checked once the shapes are
/// final.
pub(super) type ParsedWaiters = Vec<Vec<Waiter<ParsedPath>>>;

/// The selected operations of the service `service_id` and the shapes they reach, marked for
/// their usage and boxing.
pub(super) fn operations_and_shapes(
    model: &Model,
    file: &str,
    service_id: &ShapeId,
    only: Option<&[String]>,
) -> Result<OperationsAndShapes, Error> {
    let service_shape = &model.shapes[service_id];
    let ShapeKind::Service(definition) = &service_shape.kind else {
        unreachable!("select_service returns service shapes");
    };
    let mut builder = Builder {
        model,
        file,
        rename: &definition.rename,
        shapes: Vec::new(),
        refs: HashMap::new(),
        names: BTreeMap::new(),
        waiters: Vec::new(),
        depth: 0,
    };
    let mut operations = Vec::new();
    for id in selected(operation_ids(model, service_id), only, file, service_id)? {
        operations.push(builder.operation(
            &id,
            &definition.errors,
            &service_shape.traits,
            operations.len(),
        )?);
    }
    let mut shapes = builder.shapes;
    mark_usage(&mut shapes);
    recursion::mark_boxed(&mut shapes);
    Ok((operations, shapes, builder.waiters))
}

/// The operations of `all` that `only` names (all of them when `None`).
pub(super) fn selected(
    all: Vec<ShapeId>,
    only: Option<&[String]>,
    file: &str,
    service: &ShapeId,
) -> Result<Vec<ShapeId>, Error> {
    let Some(only) = only else {
        return Ok(all);
    };
    if let Some(missing) = only
        .iter()
        .find(|name| !all.iter().any(|id| id.name() == name.as_str()))
    {
        return Err(Location::shape(file, &service.to_string()).error(format!(
            "the operation `{missing}` chosen for generation is not an operation of the service"
        )));
    }
    Ok(all
        .into_iter()
        .filter(|id| only.iter().any(|name| name == id.name()))
        .collect())
}

/// Every operation bound to the service or its resources, ordered by name.
pub(super) fn operation_ids(model: &Model, service: &ShapeId) -> Vec<ShapeId> {
    let mut found = BTreeSet::new();
    let mut pending = vec![service.clone()];
    while let Some(id) = pending.pop() {
        match &model.shapes[&id].kind {
            ShapeKind::Service(service) => {
                found.extend(service.operations.iter().cloned());
                pending.extend(service.resources.iter().cloned());
            }
            ShapeKind::Resource(resource) => {
                found.extend(resource.operations.iter().cloned());
                pending.extend(resource.resources.iter().cloned());
            }
            _ => {}
        }
    }
    let mut ids: Vec<ShapeId> = found.into_iter().collect();
    ids.sort_by(|a, b| a.name().cmp(b.name()).then_with(|| a.cmp(b)));
    ids
}

/// True when the service names a protocol this generator speaks.
pub(super) fn names_protocol(traits: &Traits) -> bool {
    traits.rest_json1
        || traits.rpcv2_cbor
        || traits.rest_xml
        || traits.aws_json1_0
        || traits.aws_json1_1
        || traits.aws_query
        || traits.ec2_query
}

/// The service's protocol; every operation of an HTTP-bound protocol needs its `@http` route,
/// and an awsQuery service its version.
pub(super) fn protocol(
    traits: &Traits,
    operations: &[Operation],
    has_version: bool,
    file: &str,
    service: &ShapeId,
) -> Result<Protocol, Error> {
    // RPC v2 CBOR first: a service that lists it beside an older protocol is moving to it.
    if traits.rpcv2_cbor {
        return Ok(Protocol::RpcV2Cbor);
    }
    let json_rpc = if traits.aws_json1_0 {
        Some(Protocol::AwsJson(JsonVersion::V1_0))
    } else if traits.aws_json1_1 {
        Some(Protocol::AwsJson(JsonVersion::V1_1))
    } else {
        None
    };
    if let Some(json_rpc) = json_rpc.filter(|_| !traits.rest_json1) {
        return Ok(json_rpc);
    }
    let query = match (traits.aws_query, traits.ec2_query) {
        _ if traits.rest_json1 => None,
        (true, _) => Some(Protocol::AwsQuery),
        (false, true) => Some(Protocol::Ec2Query),
        (false, false) => None,
    };
    if let Some(query) = query {
        if !has_version {
            return Err(Location::shape(file, &service.to_string())
                .error("an awsQuery service needs a version (every request sends it)"));
        }
        return Ok(query);
    }
    let (protocol, name) = if traits.rest_json1 {
        (Protocol::RestJson1, "restJson1")
    } else if traits.rest_xml {
        let no_error_wrapping = traits.no_error_wrapping;
        (Protocol::RestXml { no_error_wrapping }, "restXml")
    } else {
        return Err(Location::shape(file, &service.to_string()).error(
            "the service uses no protocol this generator supports (aws.protocols#restJson1, aws.protocols#restXml, aws.protocols#awsJson1_0, aws.protocols#awsJson1_1, aws.protocols#awsQuery, aws.protocols#ec2Query)",
        ));
    };
    if let Some(unrouted) = operations.iter().find(|operation| operation.http.is_none()) {
        return Err(
            Location::shape(file, &unrouted.id.to_string()).error(format!(
                "the operation has no @http trait, which {name} needs"
            )),
        );
    }
    Ok(protocol)
}

/// Marks every shape reachable from an input (sent) or from an output or error (received).
pub(super) fn mark_usage(shapes: &mut [DataShape]) {
    let roots: Vec<(usize, bool)> = shapes
        .iter()
        .enumerate()
        .filter_map(|(index, shape)| match shape.role {
            Role::Input(_) => Some((index, true)),
            Role::Output(_) | Role::Error { .. } => Some((index, false)),
            Role::Plain => None,
        })
        .collect();
    for (root, input) in roots {
        let mut pending = vec![root];
        while let Some(index) = pending.pop() {
            let usage = &mut shapes[index].usage;
            let seen = if input {
                &mut usage.input
            } else {
                &mut usage.output
            };
            if std::mem::replace(seen, true) {
                continue;
            }
            pending.extend(shapes[index].kind.member_targets().map(|target| target.0));
        }
    }
}

impl DataKind {
    /// The data shapes this shape's members refer to.
    pub fn member_targets(&self) -> impl Iterator<Item = ShapeRef> + '_ {
        let members: Vec<&Member> = match self {
            DataKind::Structure(members) | DataKind::Union(members) => members.iter().collect(),
            DataKind::List { member, .. } => vec![member],
            DataKind::Map { key, value, .. } => vec![key, value],
            DataKind::Alias { .. } | DataKind::Enum(_) | DataKind::IntEnum(_) => Vec::new(),
        };
        members
            .into_iter()
            .filter_map(|member| match member.target {
                Target::Shape(shape) => Some(shape),
                Target::Primitive(_) => None,
            })
    }
}
