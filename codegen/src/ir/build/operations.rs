//! Operations built from the model: input and output, errors (the service's too), HTTP route,
//! auth, pagination.

use super::waiters::waiters_at;
use super::Builder;
use crate::error::{Error, Location};
use crate::ir::{
    DataKind, HttpChecksum, HttpRoute, MemberName, Operation, Pagination, Role, ShapeRef, Target,
};
use crate::smithy::{ShapeId, ShapeKind, Traits};

impl Builder<'_> {
    pub(super) fn operation(
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
        let waiters = crate::ir::waiters::read(traits.raw("smithy.waiters#waitable"))
            .map_err(|why| waiters_at(self.file, id).error(why))?;
        self.waiters.push(waiters);
        let http = self.route(id, traits, input)?;
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
            http_checksum: self.http_checksum(id, traits, &definition.input)?,
            auth: operation_auth(traits),
            event_stream: self.streams_events(&definition.input)
                || self.streams_events(&definition.output),
            gzip_requests: traits
                .request_compression
                .iter()
                .any(|encoding| encoding == "gzip"),
            unit_input: definition.input == crate::smithy::unit(),
            waiters: Vec::new(),
            context_params: crate::ir::endpoint::context_params::read(
                traits,
                self.structure_members(&definition.input),
            ),
            discovered_endpoint: traits.client_discovered_endpoint,
        })
    }

    /// The operation's `@http` route, checked against its `input`.
    fn route(
        &self,
        id: &ShapeId,
        traits: &Traits,
        input: ShapeRef,
    ) -> Result<Option<HttpRoute>, Error> {
        match (&traits.http, &self.shapes[input.0].kind) {
            (Some(http), DataKind::Structure(members)) => Ok(Some(crate::ir::http::route(
                http,
                members,
                &self.at(id).field("traits").key("smithy.api#http"),
            )?)),
            _ => Ok(None),
        }
    }

    /// The operation's `@httpChecksum`, its members checked against the input's.
    fn http_checksum(
        &self,
        id: &ShapeId,
        traits: &Traits,
        input: &ShapeId,
    ) -> Result<Option<HttpChecksum>, Error> {
        let Some(given) = &traits.http_checksum else {
            return Ok(None);
        };
        let at = self
            .at(id)
            .field("traits")
            .key("aws.protocols#httpChecksum");
        crate::ir::checksum::http_checksum(&at, given, self.structure_members(input)).map(Some)
    }

    /// The errors of the operation `id`: its own, then the service's, each once.
    pub(super) fn operation_errors(
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

    pub(super) fn pagination(
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
        let input_token = required(
            pick(&paginated.input_token, &defaults.input_token),
            "inputToken",
        )?;
        let output_token = required(
            pick(&paginated.output_token, &defaults.output_token),
            "outputToken",
        )?;
        let items = pick(&paginated.items, &defaults.items);
        let pagination = Pagination {
            input_token: MemberName(input_token),
            output_token: member_path(&output_token),
            page_size: pick(&paginated.page_size, &defaults.page_size).map(MemberName),
            items: match items {
                Some(items) => Some(member_path(&items)),
                None => self.only_list_member(output).map(|only| vec![only]),
            },
        };
        self.check_pagination(&pagination, input, output, &at)?;
        Ok(Some(pagination))
    }

    /// Checks that the pagination's paths name members of the input and output (`at` locates
    /// the trait), and that the items it names directly are a list or a map.
    fn check_pagination(
        &self,
        pagination: &Pagination,
        input: ShapeRef,
        output: ShapeRef,
        at: &Location,
    ) -> Result<(), Error> {
        let checks = [
            (input, Some(std::slice::from_ref(&pagination.input_token))),
            (output, Some(pagination.output_token.as_slice())),
            (
                input,
                pagination.page_size.as_ref().map(std::slice::from_ref),
            ),
            (output, pagination.items.as_deref()),
        ];
        for (shape, path) in checks {
            let Some(first) = path.and_then(<[MemberName]>::first) else {
                continue;
            };
            let shape = &self.shapes[shape.0];
            let Some(member) = shape.member(first) else {
                return Err(at.error(format!("`{first}` names no member of {}", shape.name)));
            };
            let is_items = path == pagination.items.as_deref();
            let collection = matches!(member.target, Target::Shape(target)
                if matches!(self.shapes[target.0].kind, DataKind::List { .. } | DataKind::Map { .. }));
            if is_items && path.is_some_and(|path| path.len() == 1) && !collection {
                return Err(at.error(format!(
                    "the items `{first}` of {} are neither a list nor a map",
                    shape.name
                )));
            }
        }
        Ok(())
    }

    /// The output's only list member: the items of a paginated operation whose trait names none.
    pub(super) fn only_list_member(&self, output: ShapeRef) -> Option<MemberName> {
        let DataKind::Structure(members) = &self.shapes[output.0].kind else {
            return None;
        };
        let mut lists = members.iter().filter(|member| {
            matches!(member.target, Target::Shape(shape) if matches!(self.shapes[shape.0].kind, DataKind::List { .. }))
        });
        match (lists.next(), lists.next()) {
            (Some(only), None) => Some(MemberName(only.wire_name.clone())),
            _ => None,
        }
    }
}

/// The members of a pagination path (`a.b`: the member `a`, then its target's `b`).
fn member_path(path: &str) -> Vec<MemberName> {
    path.split('.')
        .map(|segment| MemberName(segment.to_owned()))
        .collect()
}

/// An operation's authentication: `@auth([])` (or a list without SigV4) sends unsigned,
/// `@optionalAuth` signs only with credentials, `@unsignedPayload` leaves the body unhashed.
pub(super) fn operation_auth(traits: &Traits) -> crate::ir::OperationAuth {
    let signs = traits
        .auth
        .as_ref()
        .is_none_or(|schemes| schemes.iter().any(|scheme| scheme == "aws.auth#sigv4"));
    if !signs {
        crate::ir::OperationAuth::None
    } else if traits.optional_auth {
        crate::ir::OperationAuth::Optional
    } else if traits.unsigned_payload {
        crate::ir::OperationAuth::SigV4UnsignedPayload
    } else {
        crate::ir::OperationAuth::SigV4
    }
}
