//! The model-to-IR passes: reachability from the service, synthetic operation inputs and
//! outputs, service errors applied to operations, usage and recursion marking.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::waiters::{ParsedPath, Waiter};
use super::{
    recursion, Constraints, DataKind, DataShape, EnumLiteral, EnumVariant, JsonVersion, Member,
    Operation, Pagination, Primitive, Protocol, Role, Service, ShapeRef, ShapeXml, Target, Usage,
    XmlForm,
};
use crate::error::{Error, Location};
use crate::smithy::{self, EnumValue, Model, ShapeId, ShapeKind, Traits};

/// Builds the IR of `service` (or the model's only service) from a loaded model.
pub fn build(model: &Model, file: &str, service: Option<&str>) -> Result<Service, Error> {
    build_selected(model, file, service, None, false)
}

/// [`build`], keeping only the operations named in `only` (shape names, e.g.
/// `GetRoleCredentials`) and the shapes they reach; a name the service lacks is an error.
/// `endpoints_only` builds the IR of an endpoint resolver, which needs no protocol: a
/// service that names none is read as awsJson1_0, whose operations need no routes.
pub fn build_selected(
    model: &Model,
    file: &str,
    service: Option<&str>,
    only: Option<&[String]>,
    endpoints_only: bool,
) -> Result<Service, Error> {
    let service_id = model.select_service(file, service)?;
    let service_shape = &model.shapes[&service_id];
    let ShapeKind::Service(definition) = &service_shape.kind else {
        unreachable!("select_service returns service shapes");
    };
    let (operations, shapes, waiters) = operations_and_shapes(model, file, &service_id, only)?;
    let traits = &service_shape.traits;
    let at = Location::shape(file, &service_id.to_string());
    let rules = traits
        .raw("smithy.rules#endpointRuleSet")
        .map(|rules| {
            super::endpoint::rules::read(rules, traits.raw("smithy.rules#endpointTests"), &at)
        })
        .transpose()?;
    let uses_sigv4a = traits.sigv4a
        || rules
            .as_ref()
            .is_some_and(|rules| rules.offers_auth_scheme("sigv4a"));
    let rules_at = at.field("traits").key("smithy.rules#endpointRuleSet");
    let endpoint_rules = rules
        .map(|rules| super::endpoint::check::check(rules, &rules_at))
        .transpose()?;
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
    let mut service = Service {
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
    crate::ir::customize::apply(model, &mut service)?;
    let (discovery, warning) =
        super::discovery::read(&service, traits.raw("aws.api#clientEndpointDiscovery"));
    service.endpoint_discovery = discovery;
    shape_for_protocol(&mut service);
    check_waiters(&mut service, waiters, file)?;
    super::defaults::check_written(&service, file)?;
    super::readable::check(&service, file)?;
    service.warnings = finish(&mut service);
    service.warnings.extend(warning);
    service.warnings.extend(unread_context_params(&service));
    Ok(service)
}

/// The operations, the shapes they reach and each operation's waiters as parsed.
type OperationsAndShapes = (Vec<Operation>, Vec<DataShape>, Vec<Vec<Waiter<ParsedPath>>>);

/// The selected operations of the service `service_id` and the shapes they reach, marked for
/// their usage and boxing.
fn operations_and_shapes(
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

/// Where an operation's waiters are in the model.
fn waiters_at<'f>(file: &'f str, id: &ShapeId) -> Location<'f> {
    Location::shape(file, &id.to_string())
        .field("traits")
        .key("smithy.waiters#waitable")
}

/// Checks each operation's parsed waiters against the final shapes and sets them.
fn check_waiters(
    service: &mut Service,
    parsed: Vec<Vec<Waiter<ParsedPath>>>,
    file: &str,
) -> Result<(), Error> {
    for (index, waiters) in parsed.into_iter().enumerate() {
        let operation = &service.operations[index];
        let checked = waiters
            .into_iter()
            .map(|waiter| waiter.check(|path| super::waiters::check(service, operation, path)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|why| waiters_at(file, &operation.id).error(why))?;
        service.operations[index].waiters = checked;
    }
    Ok(())
}

/// What the protocol changes in the shapes: no HTTP bindings outside restJson1 and restXml,
/// no `@timestampFormat` in RPC v2 CBOR, errors named by shape outside the query protocols.
fn shape_for_protocol(service: &mut Service) {
    if !service.protocol.binds_http() {
        unbind_http(&mut service.shapes);
    }
    if service.protocol == Protocol::RpcV2Cbor {
        drop_timestamp_formats(&mut service.shapes);
    }
    if !service.protocol.is_query() {
        name_errors_by_shape(&mut service.shapes, service.query_compatible);
    }
}

/// A warning for each endpoint parameter whose path the generator does not read.
fn unread_context_params(service: &Service) -> Vec<String> {
    service
        .operations
        .iter()
        .flat_map(|operation| {
            operation.context_params.iter().filter_map(move |param| match &param.value {
                super::endpoint::context_params::ContextValue::Unsupported(path) => Some(format!(
                    "{}: the endpoint parameter `{}` comes from the path `{path}`, which this generator does not read; it is left to the configuration",
                    operation.id, param.parameter
                )),
                _ => None,
            })
        })
        .collect()
}

/// True when the service names a protocol this generator speaks.
fn names_protocol(traits: &Traits) -> bool {
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
fn protocol(
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

/// Names every error by its shape: `@awsQueryError` codes are the query protocols' own (an
/// `awsQueryCompatible` service sends the shape name as the error type, and the awsQuery code
/// beside it, which the error keeps as its `query_code`).
fn name_errors_by_shape(shapes: &mut [DataShape], query_compatible: bool) {
    for shape in shapes {
        if let Role::Error {
            code, query_code, ..
        } = &mut shape.role
        {
            let name = shape.id.name().to_owned();
            if query_compatible && *code != name {
                *query_code = Some(std::mem::replace(code, name));
            } else {
                *code = name;
            }
        }
    }
}

/// Drops the `@timestampFormat` of every member: RPC v2 CBOR sends every timestamp as tag 1
/// over epoch seconds.
fn drop_timestamp_formats(shapes: &mut [DataShape]) {
    for shape in shapes {
        if let DataKind::Structure(members) | DataKind::Union(members) = &mut shape.kind {
            for member in members {
                member.timestamp_format = None;
            }
        }
    }
}

/// Drops the HTTP binding traits of every member: protocols that do not bind members to the
/// HTTP message (awsJson, awsQuery, ec2Query, RPC v2 CBOR) put them all in the body, but for
/// an event stream, which is the body (the other members come in its `initial-response`).
fn unbind_http(shapes: &mut [DataShape]) {
    let events: Vec<bool> = shapes.iter().map(|shape| shape.event_stream).collect();
    for shape in shapes {
        if let DataKind::Structure(members) = &mut shape.kind {
            for member in members {
                let streams = matches!(member.target, Target::Shape(target) if events[target.0]);
                member.http =
                    streams.then_some(super::HttpBinding::Payload(super::PayloadForm::EventStream));
            }
        }
    }
}

/// The passes over the whole service: patterns the client cannot check are dropped, then
/// the shapes that check constraints are marked (a shape whose only constraint was such a
/// pattern checks nothing); returns what the client leaves out, one line each.
fn finish(service: &mut Service) -> Vec<String> {
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
    warnings.extend(super::patterns::drop_unsupported(service));
    warnings.extend(drop_non_string_pagination(service));
    super::mark_reaching(
        &mut service.shapes,
        |member| !member.constraints.is_empty(),
        |shape| shape.checks_constraints,
        |shape| shape.checks_constraints = true,
    );
    warnings
}

/// The target of the member at `path` (members joined by dots) of structure `shape`.
fn path_target(service: &Service, shape: ShapeRef, path: &str) -> Option<Target> {
    let mut target = Target::Shape(shape);
    for segment in path.split('.') {
        let Target::Shape(current) = target else {
            return None;
        };
        let DataKind::Structure(members) = &service.shape(current).kind else {
            return None;
        };
        target = members.iter().find(|member| member.name == segment)?.target;
    }
    Some(target)
}

/// True when `target` is a string (the prelude's or a named one).
fn is_string(service: &Service, target: Target) -> bool {
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
fn drop_non_string_pagination(service: &mut Service) -> Vec<String> {
    let mut warnings = Vec::new();
    for index in 0..service.operations.len() {
        let operation = &service.operations[index];
        let Some(pagination) = &operation.pagination else {
            continue;
        };
        let tokens = [
            (operation.input, &pagination.input_token),
            (operation.output, &pagination.output_token),
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

/// The operations of `all` that `only` names (all of them when `None`).
fn selected(
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
fn operation_ids(model: &Model, service: &ShapeId) -> Vec<ShapeId> {
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

struct Builder<'m> {
    model: &'m Model,
    file: &'m str,
    rename: &'m BTreeMap<ShapeId, String>,
    shapes: Vec<DataShape>,
    refs: HashMap<ShapeId, ShapeRef>,
    names: BTreeMap<String, ShapeId>,
    /// Each operation's waiters as parsed, by operation index, to be checked once the
    /// shapes are final.
    waiters: Vec<Vec<Waiter<ParsedPath>>>,
    /// How many shapes deep the shape being built is.
    depth: usize,
}

/// The deepest nesting of shapes built (a structure holding a structure, and so on).
const MAX_SHAPE_DEPTH: usize = 64;

impl Builder<'_> {
    fn at(&self, id: &ShapeId) -> Location<'_> {
        Location::shape(self.file, &id.to_string())
    }

    fn operation(
        &mut self,
        id: &ShapeId,
        service_errors: &[ShapeId],
        service_traits: &Traits,
        index: usize,
    ) -> Result<Operation, Error> {
        let shape = &self.model.shapes[id];
        let ShapeKind::Operation(definition) = &shape.kind else {
            unreachable!("operation references are checked by the loader");
        };
        let input = self.synthetic(id, &definition.input, Role::Input(index), "Input")?;
        let output = self.synthetic(id, &definition.output, Role::Output(index), "Output")?;
        let errors = self.operation_errors(id, &definition.errors, service_errors)?;
        let traits = &shape.traits;
        let waiters = super::waiters::read(traits.raw("smithy.waiters#waitable"))
            .map_err(|why| waiters_at(self.file, id).error(why))?;
        self.waiters.push(waiters);
        let http = match (&traits.http, &self.shapes[input.0].kind) {
            (Some(http), DataKind::Structure(members)) => Some(super::http::route(
                http,
                members,
                &self.at(id).field("traits").key("smithy.api#http"),
            )?),
            _ => None,
        };
        Ok(Operation {
            id: id.clone(),
            name: id.name().to_owned(),
            rust_name: id.name().to_owned(),
            docs: traits.documentation.clone(),
            deprecated: traits.deprecated.clone(),
            http,
            pagination: self.pagination(id, traits, service_traits, input, output)?,
            input,
            output,
            errors,
            readonly: traits.readonly,
            idempotent: traits.idempotent,
            host_prefix: traits.host_prefix.clone(),
            checksum_required: traits.http_checksum_required,
            unwrapped_xml_output: traits
                .raw("aws.customizations#s3UnwrappedXmlOutput")
                .is_some(),
            http_checksum: match traits.raw("aws.protocols#httpChecksum") {
                Some(value) => Some(super::checksum::http_checksum(
                    &self
                        .at(id)
                        .field("traits")
                        .key("aws.protocols#httpChecksum"),
                    value,
                    self.structure_members(&definition.input),
                )?),
                None => None,
            },
            auth: operation_auth(traits),
            event_stream: self.streams_events(&definition.input)
                || self.streams_events(&definition.output),
            gzip_requests: traits
                .request_compression
                .iter()
                .any(|encoding| encoding == "gzip"),
            unit_input: definition.input == crate::smithy::unit(),
            waiters: Vec::new(),
            context_params: super::endpoint::context_params::read(
                traits,
                self.structure_members(&definition.input),
                &self.at(id),
            )?,
            discovered_endpoint: traits.client_discovered_endpoint,
        })
    }

    /// The errors of the operation `id`: its own, then the service's, each once.
    fn operation_errors(
        &mut self,
        id: &ShapeId,
        own: &[ShapeId],
        service_errors: &[ShapeId],
    ) -> Result<Vec<ShapeRef>, Error> {
        let mut errors = Vec::new();
        for error in own.iter().chain(service_errors) {
            if self.model.shapes[error].traits.error.is_none() {
                return Err(self.at(id).field("errors").error(format!(
                    "error `{error}` is a structure without the @error trait"
                )));
            }
            let error = self.shape_ref(error)?;
            if !errors.contains(&error) {
                errors.push(error);
            }
        }
        Ok(errors)
    }

    /// The members of a structure (none for anything else).
    fn structure_members(&self, structure: &ShapeId) -> &[crate::smithy::Member] {
        match self.model.get(structure).map(|shape| &shape.kind) {
            Some(ShapeKind::Structure(members)) => members,
            _ => &[],
        }
    }

    /// Whether a structure has a member targeting a `@streaming` union (an event stream).
    fn streams_events(&self, structure: &ShapeId) -> bool {
        self.structure_members(structure).iter().any(|member| {
            self.model.get(&member.target).is_some_and(|target| {
                matches!(target.kind, ShapeKind::Union(_)) && target.traits.streaming
            })
        })
    }

    /// A copy of an operation's input or output structure, named after the operation.
    fn synthetic(
        &mut self,
        operation: &ShapeId,
        structure: &ShapeId,
        role: Role,
        suffix: &str,
    ) -> Result<ShapeRef, Error> {
        let shape = &self.model.shapes[structure];
        let ShapeKind::Structure(members) = &shape.kind else {
            unreachable!("operation input and output references are checked by the loader");
        };
        let members = self.members(structure, members)?;
        let id = if structure == &smithy::unit() {
            operation
        } else {
            structure
        };
        let synthetic = DataShape {
            id: id.clone(),
            name: format!("{}{suffix}", operation.name()),
            docs: shape.traits.documentation.clone(),
            deprecated: shape.traits.deprecated.clone(),
            sensitive: shape.traits.sensitive,
            role,
            usage: Usage::default(),
            checks_constraints: false,
            checks_patterns: false,
            xml: ShapeXml {
                name: shape.traits.xml_name.clone(),
                namespace: shape.traits.xml_namespace.clone(),
            },
            event_stream: false,
            kind: DataKind::Structure(members),
        };
        self.shapes.push(synthetic);
        Ok(ShapeRef(self.shapes.len() - 1))
    }

    /// The data shape of a model shape, created on first use.
    fn shape_ref(&mut self, id: &ShapeId) -> Result<ShapeRef, Error> {
        if let Some(found) = self.refs.get(id) {
            return Ok(*found);
        }
        let name = self
            .rename
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.name().to_owned());
        if let Some(other) = self.names.insert(name.clone(), id.clone()) {
            return Err(self.at(id).error(format!(
                "the name `{name}` is also used by `{other}`; add a `rename` to the service"
            )));
        }
        let shape = &self.model.shapes[id];
        let reference = ShapeRef(self.shapes.len());
        self.refs.insert(id.clone(), reference);
        let role = match &shape.traits.error {
            Some(fault) => Role::Error {
                server_fault: fault == "server",
                http_status: shape.traits.http_error,
                code: (shape.traits.aws_query_error.clone())
                    .unwrap_or_else(|| id.name().to_owned()),
                query_code: None,
            },
            None => Role::Plain,
        };
        self.shapes.push(DataShape {
            id: id.clone(),
            name,
            docs: shape.traits.documentation.clone(),
            deprecated: shape.traits.deprecated.clone(),
            sensitive: shape.traits.sensitive,
            role,
            usage: Usage::default(),
            checks_constraints: false,
            checks_patterns: false,
            xml: ShapeXml {
                name: shape.traits.xml_name.clone(),
                namespace: shape.traits.xml_namespace.clone(),
            },
            event_stream: matches!(shape.kind, ShapeKind::Union(_)) && shape.traits.streaming,
            kind: DataKind::Structure(Vec::new()),
        });
        // Each level of nesting is a level of recursion here and in later passes: bounded,
        // far above what models use (17 levels at most in the practice sets).
        if self.depth == MAX_SHAPE_DEPTH {
            return Err(self.at(id).error(format!(
                "shapes nest more than {MAX_SHAPE_DEPTH} levels deep here (a structure, list or map holding another, and so on): more than the generator takes"
            )));
        }
        self.depth += 1;
        let kind = self.kind(id);
        self.depth -= 1;
        self.shapes[reference.0].kind = kind?;
        Ok(reference)
    }

    fn kind(&mut self, id: &ShapeId) -> Result<DataKind, Error> {
        let shape = &self.model.shapes[id];
        let traits = &shape.traits;
        Ok(match &shape.kind {
            ShapeKind::Simple(Primitive::String) if traits.enum_definitions.is_some() => {
                DataKind::Enum(enum_trait_variants(traits))
            }
            ShapeKind::Simple(primitive) => DataKind::Alias {
                primitive: *primitive,
                constraints: constraints(traits, None),
                media_type: traits.media_type.clone(),
                streaming: *primitive == Primitive::Blob && traits.streaming,
                requires_length: traits.requires_length,
            },
            ShapeKind::Enum(members) => DataKind::Enum(self.enum_variants(id, members, false)?),
            ShapeKind::IntEnum(members) => {
                DataKind::IntEnum(self.enum_variants(id, members, true)?)
            }
            ShapeKind::List { member, .. } => DataKind::List {
                member: Box::new(self.member(id, member)?),
                sparse: traits.sparse,
            },
            ShapeKind::Map { key, value } => DataKind::Map {
                key: Box::new(self.member(id, key)?),
                value: Box::new(self.member(id, value)?),
                sparse: traits.sparse,
            },
            ShapeKind::Structure(members) => DataKind::Structure(self.members(id, members)?),
            ShapeKind::Union(members) => {
                if traits.streaming {
                    self.check_events(id, members)?;
                }
                DataKind::Union(self.members(id, members)?)
            }
            ShapeKind::Service(_) | ShapeKind::Operation(_) | ShapeKind::Resource(_) => {
                return Err(self
                    .at(id)
                    .error("a member cannot target a service, operation or resource"))
            }
        })
    }

    /// Each member of an event stream is an event: a structure.
    fn check_events(&self, id: &ShapeId, members: &[smithy::Member]) -> Result<(), Error> {
        for member in members {
            let is_structure = matches!(
                self.model
                    .shapes
                    .get(&member.target)
                    .map(|shape| &shape.kind),
                Some(ShapeKind::Structure(_))
            );
            if !is_structure {
                return Err(self
                    .at(id)
                    .field("members")
                    .field(&member.name)
                    .error("a member of a @streaming union (an event) must target a structure"));
            }
        }
        Ok(())
    }

    fn members(
        &mut self,
        owner: &ShapeId,
        members: &[smithy::Member],
    ) -> Result<Vec<Member>, Error> {
        members
            .iter()
            .map(|member| self.member(owner, member))
            .collect()
    }

    fn member(&mut self, owner: &ShapeId, member: &smithy::Member) -> Result<Member, Error> {
        let target_shape = &self.model.shapes[&member.target];
        let target = match &target_shape.kind {
            ShapeKind::Simple(primitive) if member.target.is_prelude() => {
                Target::Primitive(*primitive)
            }
            _ => Target::Shape(self.shape_ref(&member.target)?),
        };
        let own = &member.traits;
        let inherited = &target_shape.traits;
        if let Some(why) = event_binding_refusal(own, &target_shape.kind) {
            return Err(self
                .at(owner)
                .field("members")
                .field(&member.name)
                .error(why));
        }
        let default = own
            .default
            .as_ref()
            .or(inherited.default.as_ref())
            .filter(|value| !value.is_null())
            .map(|value| super::defaults::resolve(target_shape, value));
        let converted = Member {
            name: member.name.clone(),
            wire_name: member.name.clone(),
            target,
            docs: own
                .documentation
                .clone()
                .or_else(|| inherited.documentation.clone()),
            required: own.required,
            default,
            client_optional: own.client_optional,
            constraints: constraints(own, Some(inherited)),
            sensitive: self.is_sensitive(&member.target)
                || super::secrets::names_a_secret(&member.name),
            deprecated: own.deprecated.clone(),
            json_name: own.json_name.clone(),
            xml: XmlForm {
                name: own.xml_name.clone(),
                flattened: own.xml_flattened,
                attribute: own.xml_attribute,
                ec2_query_name: own.ec2_query_name.clone(),
                namespace: own.xml_namespace.clone(),
            },
            http: super::http::binding(
                self.model,
                member,
                &self.at(owner).field("members").field(&member.name),
            )?,
            timestamp_format: own.timestamp_format.or(inherited.timestamp_format),
            idempotency_token: own.idempotency_token,
            boxed: false,
            event: if own.event_header {
                Some(super::EventBinding::Header)
            } else if own.event_payload {
                Some(super::EventBinding::Payload)
            } else {
                None
            },
            lenient: false,
        };
        Ok(converted)
    }

    /// True when the shape, or what its collection holds, is `@sensitive`.
    fn is_sensitive(&self, id: &ShapeId) -> bool {
        let shape = &self.model.shapes[id];
        shape.traits.sensitive
            || match &shape.kind {
                ShapeKind::List { member, .. } => self.is_sensitive(&member.target),
                ShapeKind::Map { key, value } => {
                    self.is_sensitive(&key.target) || self.is_sensitive(&value.target)
                }
                _ => false,
            }
    }

    fn enum_variants(
        &self,
        id: &ShapeId,
        members: &[smithy::Member],
        int: bool,
    ) -> Result<Vec<EnumVariant>, Error> {
        members
            .iter()
            .map(|member| {
                let value = match (&member.traits.enum_value, int) {
                    (None, false) => EnumLiteral::String(member.name.clone()),
                    (Some(EnumValue::String(text)), false) => EnumLiteral::String(text.clone()),
                    (Some(EnumValue::Int(number)), true) => EnumLiteral::Int(*number),
                    _ => {
                        let expected = if int { "an integer" } else { "a string" };
                        return Err(self
                            .at(id)
                            .field("members")
                            .field(&member.name)
                            .error(format!("@enumValue must be {expected} here")));
                    }
                };
                Ok(EnumVariant {
                    name: member.name.clone(),
                    value,
                    docs: member.traits.documentation.clone(),
                    deprecated: member.traits.deprecated.is_some(),
                })
            })
            .collect()
    }

    fn pagination(
        &self,
        id: &ShapeId,
        own: &Traits,
        service: &Traits,
        input: ShapeRef,
        output: ShapeRef,
    ) -> Result<Option<Pagination>, Error> {
        let Some(paginated) = &own.paginated else {
            return Ok(None);
        };
        let defaults = service.paginated.clone().unwrap_or_default();
        let at = self.at(id).field("traits").key("smithy.api#paginated");
        let pick = |own: &Option<String>, default: &Option<String>| {
            own.clone().or_else(|| default.clone())
        };
        let required = |value: Option<String>, field: &str| {
            value.ok_or_else(|| {
                at.error(format!("`{field}` is set neither here nor on the service"))
            })
        };
        let pagination = Pagination {
            input_token: required(
                pick(&paginated.input_token, &defaults.input_token),
                "inputToken",
            )?,
            output_token: required(
                pick(&paginated.output_token, &defaults.output_token),
                "outputToken",
            )?,
            page_size: pick(&paginated.page_size, &defaults.page_size),
            items: pick(&paginated.items, &defaults.items),
        };
        let pagination = Pagination {
            items: pagination
                .items
                .clone()
                .or_else(|| self.only_list_member(output)),
            ..pagination
        };
        let checks = [
            (input, Some(&pagination.input_token)),
            (output, Some(&pagination.output_token)),
            (input, pagination.page_size.as_ref()),
            (output, pagination.items.as_ref()),
        ];
        for (shape, path) in checks {
            let Some(path) = path else { continue };
            let first = path.split('.').next().unwrap_or(path);
            let DataKind::Structure(members) = &self.shapes[shape.0].kind else {
                unreachable!("synthetic shapes are structures");
            };
            let Some(member) = members.iter().find(|member| member.name == first) else {
                return Err(at.error(format!(
                    "`{path}` names no member of {}",
                    self.shapes[shape.0].name
                )));
            };
            let is_items = pagination.items.as_ref() == Some(path);
            let collection = matches!(member.target, Target::Shape(target)
                if matches!(self.shapes[target.0].kind, DataKind::List { .. } | DataKind::Map { .. }));
            if is_items && path == first && !collection {
                return Err(at.error(format!(
                    "the items `{path}` of {} are neither a list nor a map",
                    self.shapes[shape.0].name
                )));
            }
        }
        Ok(Some(pagination))
    }
}

impl Builder<'_> {
    /// The output's only list member: the items of a paginated operation whose trait names none.
    fn only_list_member(&self, output: ShapeRef) -> Option<String> {
        let DataKind::Structure(members) = &self.shapes[output.0].kind else {
            return None;
        };
        let mut lists = members.iter().filter(|member| {
            matches!(member.target, Target::Shape(shape) if matches!(self.shapes[shape.0].kind, DataKind::List { .. }))
        });
        match (lists.next(), lists.next()) {
            (Some(only), None) => Some(only.name.clone()),
            _ => None,
        }
    }
}

fn enum_trait_variants(traits: &Traits) -> Vec<EnumVariant> {
    traits
        .enum_definitions
        .iter()
        .flatten()
        .map(|definition| EnumVariant {
            name: definition
                .name
                .clone()
                .unwrap_or_else(|| definition.value.clone()),
            value: EnumLiteral::String(definition.value.clone()),
            docs: definition.documentation.clone(),
            deprecated: definition.deprecated,
        })
        .collect()
}

/// The member's constraint traits, each falling back to the target's.
fn constraints(own: &Traits, target: Option<&Traits>) -> Constraints {
    let inherited = |pick: fn(&Traits) -> Option<_>| target.and_then(pick);
    Constraints {
        length: own.length.or_else(|| inherited(|traits| traits.length)),
        range: own.range.or_else(|| inherited(|traits| traits.range)),
        pattern: own
            .pattern
            .clone()
            .or_else(|| target.and_then(|traits| traits.pattern.clone())),
    }
}

/// An operation's authentication: `@auth([])` (or a list without SigV4) sends unsigned,
/// `@optionalAuth` signs only with credentials, `@unsignedPayload` leaves the body unhashed.
fn operation_auth(traits: &Traits) -> super::OperationAuth {
    let signs = traits
        .auth
        .as_ref()
        .is_none_or(|schemes| schemes.iter().any(|scheme| scheme == "aws.auth#sigv4"));
    if !signs {
        super::OperationAuth::None
    } else if traits.optional_auth {
        super::OperationAuth::Optional
    } else if traits.unsigned_payload {
        super::OperationAuth::SigV4UnsignedPayload
    } else {
        super::OperationAuth::SigV4
    }
}

/// Marks every shape reachable from an input (sent) or from an output or error (received).
fn mark_usage(shapes: &mut [DataShape]) {
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

/// Why an `@eventHeader` or `@eventPayload` member cannot travel as its trait says: headers
/// hold booleans, integers up to long, blobs, strings (and enums) and timestamps; a payload is
/// a blob, a string, a structure or a union.
fn event_binding_refusal(own: &crate::smithy::Traits, target: &ShapeKind) -> Option<&'static str> {
    use crate::smithy::SimpleType as S;
    let header_fits = matches!(
        target,
        ShapeKind::Simple(
            S::Boolean
                | S::Byte
                | S::Short
                | S::Integer
                | S::Long
                | S::Blob
                | S::String
                | S::Timestamp
        ) | ShapeKind::Enum(_)
            | ShapeKind::IntEnum(_)
    );
    let payload_fits = matches!(
        target,
        ShapeKind::Simple(S::Blob | S::String) | ShapeKind::Structure(_) | ShapeKind::Union(_)
    );
    if own.event_header && !header_fits {
        return Some("an @eventHeader must target a boolean, byte, short, integer, long, blob, string, enum, intEnum or timestamp");
    }
    if own.event_payload && !payload_fits {
        return Some("an @eventPayload must target a blob, string, structure or union");
    }
    None
}
