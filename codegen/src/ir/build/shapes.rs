//! Data shapes built from the model as operations reach them: synthetic inputs and outputs,
//! members, enums, constraints, event-stream bindings; nesting bounded.

use super::members::constraints;
use super::{Builder, MAX_SHAPE_DEPTH};
use crate::error::Error;
use crate::ir::{
    DataKind, DataShape, EnumVariant, Member, Primitive, Role, ShapeRef, ShapeXml, Usage,
};
use crate::smithy::{self, EnumValue, ShapeId, ShapeKind, Traits};

impl Builder<'_> {
    /// The members of a structure (none for anything else).
    pub(super) fn structure_members(&self, structure: &ShapeId) -> &[crate::smithy::Member] {
        match self.model.get(structure).map(|shape| &shape.kind) {
            Some(ShapeKind::Structure(members)) => members,
            _ => &[],
        }
    }

    /// Whether a structure has a member targeting a `@streaming` union (an event stream).
    pub(super) fn streams_events(&self, structure: &ShapeId) -> bool {
        self.structure_members(structure).iter().any(|member| {
            self.model.get(&member.target).is_some_and(|target| {
                matches!(target.kind, ShapeKind::Union(_)) && target.traits.streaming
            })
        })
    }

    /// A copy of an operation's input or output structure, named after the operation.
    pub(super) fn synthetic(
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
    pub(super) fn shape_ref(&mut self, id: &ShapeId) -> Result<ShapeRef, Error> {
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

    pub(super) fn kind(&mut self, id: &ShapeId) -> Result<DataKind, Error> {
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
            ShapeKind::Enum(members) => {
                DataKind::Enum(self.enum_variants(id, members, "a string", |member| {
                    match &member.traits.enum_value {
                        None => Some(member.name.clone()),
                        Some(EnumValue::String(text)) => Some(text.clone()),
                        Some(EnumValue::Int(_)) => None,
                    }
                })?)
            }
            ShapeKind::IntEnum(members) => {
                DataKind::IntEnum(self.enum_variants(id, members, "an integer", |member| {
                    match &member.traits.enum_value {
                        Some(EnumValue::Int(number)) => Some(*number),
                        _ => None,
                    }
                })?)
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
    pub(super) fn check_events(
        &self,
        id: &ShapeId,
        members: &[smithy::Member],
    ) -> Result<(), Error> {
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

    pub(super) fn members(
        &mut self,
        owner: &ShapeId,
        members: &[smithy::Member],
    ) -> Result<Vec<Member>, Error> {
        members
            .iter()
            .map(|member| self.member(owner, member))
            .collect()
    }

    /// True when the shape, or what its collection holds, is `@sensitive`.
    pub(super) fn is_sensitive(&self, id: &ShapeId) -> bool {
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

    /// The variants of an enum or intEnum, each member's value as `value` reads it (`None`:
    /// its `@enumValue` is not `expected`).
    pub(super) fn enum_variants<V>(
        &self,
        id: &ShapeId,
        members: &[smithy::Member],
        expected: &str,
        value: impl Fn(&smithy::Member) -> Option<V>,
    ) -> Result<Vec<EnumVariant<V>>, Error> {
        members
            .iter()
            .map(|member| {
                let value = value(member).ok_or_else(|| {
                    self.at(id)
                        .field("members")
                        .field(&member.name)
                        .error(format!("@enumValue must be {expected} here"))
                })?;
                Ok(EnumVariant {
                    name: member.name.clone(),
                    value,
                    docs: member.traits.documentation.clone(),
                    deprecated: member.traits.deprecated.is_some(),
                })
            })
            .collect()
    }
}

pub(super) fn enum_trait_variants(traits: &Traits) -> Vec<EnumVariant> {
    traits
        .enum_definitions
        .iter()
        .flatten()
        .map(|definition| EnumVariant {
            name: definition
                .name
                .clone()
                .unwrap_or_else(|| definition.value.clone()),
            value: definition.value.clone(),
            docs: definition.documentation.clone(),
            deprecated: definition.deprecated,
        })
        .collect()
}
