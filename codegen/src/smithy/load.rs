//! Reads the Smithy JSON AST into a [`Model`], checking types, ids and references as it goes.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::prelude::{add_prelude, unit};
use super::{
    Member, Model, Operation, Resource, Service, Shape, ShapeId, ShapeKind, SimpleType, Traits,
};
use crate::error::{json_type, Error, Location};

/// The JSON AST versions this loader reads.
const SUPPORTED_VERSIONS: &[&str] = &["1", "1.0", "2", "2.0"];

/// What a reference must point at.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expected {
    AnyShape,
    Operation,
    Resource,
    Structure,
}

/// A reference found while reading, checked once every shape is known.
struct Reference<'a> {
    target: ShapeId,
    expected: Expected,
    at: Location<'a>,
}

/// One shape entry of a model file: the shape id (or `apply` target) and its JSON AST body.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    /// The file the entry comes from.
    pub file: String,
    /// The shape id as written in `shapes`.
    pub id: String,
    /// The JSON AST body.
    pub body: Value,
}

/// The shape entries of a JSON AST document, version checked.
pub(crate) fn json_entries(file: &str, json: &str) -> Result<Vec<Entry>, Error> {
    let root = Location::root(file);
    let document: Value =
        serde_json::from_str(json).map_err(|error| root.error(format!("invalid JSON: {error}")))?;
    let top = document.as_object().ok_or_else(|| {
        root.error(format!(
            "a model must be an object, found {}",
            json_type(&document)
        ))
    })?;
    check_version(top, &root)?;
    let Some(shapes) = top.get("shapes") else {
        return Ok(Vec::new());
    };
    let shapes = shapes
        .as_object()
        .ok_or_else(|| root.field("shapes").error("`shapes` must be an object"))?;
    Ok(shapes
        .iter()
        .map(|(id, body)| Entry {
            file: file.to_owned(),
            id: id.clone(),
            body: body.clone(),
        })
        .collect())
}

/// Builds and validates the model from every file's entries.
pub(crate) fn load_entries(entries: &[Entry]) -> Result<Model, Error> {
    let mut loader = Loader {
        model: Model::default(),
        references: Vec::new(),
        applies: Vec::new(),
        mixins: BTreeMap::new(),
    };
    for entry in entries {
        loader.shape(&entry.file, &entry.id, &entry.body)?;
    }
    add_prelude(&mut loader.model);
    loader.check_references()?;
    let files: BTreeMap<&str, &str> = entries
        .iter()
        .map(|entry| (entry.id.as_str(), entry.file.as_str()))
        .collect();
    let file_of = |id: &ShapeId| {
        files
            .get(id.to_string().as_str())
            .copied()
            .unwrap_or("the prelude")
    };
    super::collections::check_map_keys(&loader.model, file_of)?;
    super::collections::check_collection_cycles(&loader.model, file_of)?;
    loader.resolve_mixins()?;
    loader.apply_traits()?;
    Ok(loader.model)
}

fn check_version(top: &Map<String, Value>, root: &Location) -> Result<(), Error> {
    let at = root.field("smithy");
    let version = top
        .get("smithy")
        .ok_or_else(|| at.error("the `smithy` version is missing"))?;
    match version.as_str() {
        Some(text) if SUPPORTED_VERSIONS.contains(&text) => Ok(()),
        Some(text) => Err(at.error(format!(
            "unsupported smithy version `{text}` (this generator reads 1.0 and 2.0)"
        ))),
        None => Err(at.error(format!(
            "`smithy` must be a string, found {}",
            json_type(version)
        ))),
    }
}

struct Loader<'a> {
    model: Model,
    references: Vec<Reference<'a>>,
    applies: Vec<(ShapeId, Traits, Location<'a>)>,
    /// Shapes that use mixins, with the mixins in order.
    mixins: BTreeMap<ShapeId, (Vec<ShapeId>, Location<'a>)>,
}

impl<'a> Loader<'a> {
    fn shape(&mut self, file: &'a str, id_text: &str, body: &Value) -> Result<(), Error> {
        let at = Location::shape(file, id_text);
        let id = ShapeId::parse(id_text).map_err(|message| at.error(message))?;
        let fields = body.as_object().ok_or_else(|| {
            at.error(format!(
                "a shape must be an object, found {}",
                json_type(body)
            ))
        })?;
        let type_name = fields.get("type").and_then(Value::as_str).ok_or_else(|| {
            at.field("type")
                .error("the shape `type` is missing or not a string")
        })?;
        let traits = Traits::parse(fields.get("traits"), &at.field("traits"))?;
        if type_name == "apply" {
            self.applies.push((id, traits, at));
            return Ok(());
        }
        let kind = self.kind(type_name, fields, &at)?;
        if fields.contains_key("mixins") {
            let mixins = self.reference_list(fields, "mixins", &at, Expected::AnyShape)?;
            self.mixins.insert(id.clone(), (mixins, at.field("mixins")));
        }
        self.model
            .shapes
            .insert(id.clone(), Shape { id, kind, traits });
        Ok(())
    }

    fn kind(
        &mut self,
        type_name: &str,
        fields: &Map<String, Value>,
        at: &Location<'a>,
    ) -> Result<ShapeKind, Error> {
        if let Some(simple) = SimpleType::from_name(type_name) {
            if let Some(field) = ["members", "member", "key", "value"]
                .into_iter()
                .find(|field| fields.contains_key(*field))
            {
                return Err(at
                    .field(field)
                    .error(format!("a `{type_name}` shape cannot have members")));
            }
            return Ok(ShapeKind::Simple(simple));
        }
        Ok(match type_name {
            "enum" => ShapeKind::Enum(self.members(fields, at)?),
            "intEnum" => ShapeKind::IntEnum(self.members(fields, at)?),
            "list" | "set" => ShapeKind::List {
                member: Box::new(self.named_member(fields, "member", at)?),
                unique: type_name == "set",
            },
            "map" => ShapeKind::Map {
                key: Box::new(self.named_member(fields, "key", at)?),
                value: Box::new(self.named_member(fields, "value", at)?),
            },
            "structure" => ShapeKind::Structure(self.members(fields, at)?),
            "union" => ShapeKind::Union(self.members(fields, at)?),
            "service" => ShapeKind::Service(self.service(fields, at)?),
            "operation" => ShapeKind::Operation(self.operation(fields, at)?),
            "resource" => ShapeKind::Resource(self.resource(fields, at)?),
            other => {
                return Err(at
                    .field("type")
                    .error(format!("unknown shape type `{other}`")))
            }
        })
    }

    fn members(
        &mut self,
        fields: &Map<String, Value>,
        at: &Location<'a>,
    ) -> Result<Vec<Member>, Error> {
        let Some(members) = fields.get("members") else {
            return Ok(Vec::new());
        };
        let at = at.field("members");
        let members = members.as_object().ok_or_else(|| {
            at.error(format!(
                "`members` must be an object, found {}",
                json_type(members)
            ))
        })?;
        members
            .iter()
            .map(|(name, body)| self.member(name, body, &at.field(name)))
            .collect()
    }

    fn named_member(
        &mut self,
        fields: &Map<String, Value>,
        field: &str,
        at: &Location<'a>,
    ) -> Result<Member, Error> {
        let body = fields
            .get(field)
            .ok_or_else(|| at.error(format!("the `{field}` member is missing")))?;
        self.member(field, body, &at.field(field))
    }

    fn member(&mut self, name: &str, body: &Value, at: &Location<'a>) -> Result<Member, Error> {
        if !super::is_identifier(name) {
            return Err(at.error(format!(
                "member name `{name}` is not a Smithy identifier ([A-Za-z_][A-Za-z0-9_]*)"
            )));
        }
        let target = self.reference(body, at, Expected::AnyShape)?;
        let traits = Traits::parse(body.get("traits"), &at.field("traits"))?;
        Ok(Member {
            name: name.to_owned(),
            target,
            traits,
        })
    }

    /// Reads `{"target": "ns#Name"}` and records it for checking.
    fn reference(
        &mut self,
        body: &Value,
        at: &Location<'a>,
        expected: Expected,
    ) -> Result<ShapeId, Error> {
        let target_at = at.field("target");
        let text = body
            .get("target")
            .and_then(Value::as_str)
            .ok_or_else(|| target_at.error("`target` is missing or not a string"))?;
        let target = ShapeId::parse(text).map_err(|message| target_at.error(message))?;
        self.references.push(Reference {
            target: target.clone(),
            expected,
            at: target_at,
        });
        Ok(target)
    }

    fn optional_reference(
        &mut self,
        fields: &Map<String, Value>,
        field: &str,
        at: &Location<'a>,
        expected: Expected,
    ) -> Result<Option<ShapeId>, Error> {
        fields
            .get(field)
            .map(|body| self.reference(body, &at.field(field), expected))
            .transpose()
    }

    fn reference_list(
        &mut self,
        fields: &Map<String, Value>,
        field: &str,
        at: &Location<'a>,
        expected: Expected,
    ) -> Result<Vec<ShapeId>, Error> {
        let Some(list) = fields.get(field) else {
            return Ok(Vec::new());
        };
        let at = at.field(field);
        let list = list.as_array().ok_or_else(|| {
            at.error(format!(
                "`{field}` must be an array, found {}",
                json_type(list)
            ))
        })?;
        list.iter()
            .enumerate()
            .map(|(index, body)| self.reference(body, &at.index(index), expected))
            .collect()
    }

    fn reference_map(
        &mut self,
        fields: &Map<String, Value>,
        field: &str,
        at: &Location<'a>,
    ) -> Result<BTreeMap<String, ShapeId>, Error> {
        let Some(entries) = fields.get(field) else {
            return Ok(BTreeMap::new());
        };
        let at = at.field(field);
        let entries = entries.as_object().ok_or_else(|| {
            at.error(format!(
                "`{field}` must be an object, found {}",
                json_type(entries)
            ))
        })?;
        entries
            .iter()
            .map(|(name, body)| {
                Ok((
                    name.clone(),
                    self.reference(body, &at.field(name), Expected::AnyShape)?,
                ))
            })
            .collect()
    }

    fn service(
        &mut self,
        fields: &Map<String, Value>,
        at: &Location<'a>,
    ) -> Result<Service, Error> {
        let version = match fields.get("version") {
            None => None,
            Some(Value::String(text)) => Some(text.clone()),
            Some(other) => {
                return Err(at.field("version").error(format!(
                    "`version` must be a string, found {}",
                    json_type(other)
                )))
            }
        };
        Ok(Service {
            version,
            operations: self.reference_list(fields, "operations", at, Expected::Operation)?,
            resources: self.reference_list(fields, "resources", at, Expected::Resource)?,
            errors: self.reference_list(fields, "errors", at, Expected::Structure)?,
            rename: rename(fields, at)?,
        })
    }

    fn operation(
        &mut self,
        fields: &Map<String, Value>,
        at: &Location<'a>,
    ) -> Result<Operation, Error> {
        let input = self.optional_reference(fields, "input", at, Expected::Structure)?;
        let output = self.optional_reference(fields, "output", at, Expected::Structure)?;
        Ok(Operation {
            input: input.unwrap_or_else(unit),
            output: output.unwrap_or_else(unit),
            errors: self.reference_list(fields, "errors", at, Expected::Structure)?,
        })
    }

    fn resource(
        &mut self,
        fields: &Map<String, Value>,
        at: &Location<'a>,
    ) -> Result<Resource, Error> {
        let mut operations = Vec::new();
        for lifecycle in ["create", "put", "read", "update", "delete", "list"] {
            operations.extend(self.optional_reference(
                fields,
                lifecycle,
                at,
                Expected::Operation,
            )?);
        }
        for field in ["operations", "collectionOperations"] {
            operations.extend(self.reference_list(fields, field, at, Expected::Operation)?);
        }
        Ok(Resource {
            identifiers: self.reference_map(fields, "identifiers", at)?,
            properties: self.reference_map(fields, "properties", at)?,
            operations,
            resources: self.reference_list(fields, "resources", at, Expected::Resource)?,
        })
    }

    /// Gives every shape that uses mixins their members (first, in mixin order; a member the
    /// shape redeclares keeps the mixin's traits under its own) and their traits (under the
    /// shape's own), mixins of mixins first.
    fn resolve_mixins(&mut self) -> Result<(), Error> {
        let pending: Vec<ShapeId> = self.mixins.keys().cloned().collect();
        let mut done = std::collections::BTreeSet::new();
        for id in pending {
            self.resolve_mixins_of(&id, &mut Vec::new(), &mut done)?;
        }
        Ok(())
    }

    fn resolve_mixins_of(
        &mut self,
        id: &ShapeId,
        visiting: &mut Vec<ShapeId>,
        done: &mut std::collections::BTreeSet<ShapeId>,
    ) -> Result<(), Error> {
        let Some((mixins, at)) = self.mixins.get(id).cloned() else {
            return Ok(());
        };
        if done.contains(id) {
            return Ok(());
        }
        if visiting.contains(id) {
            return Err(at.error(format!("mixins of `{id}` form a cycle")));
        }
        visiting.push(id.clone());
        for mixin in &mixins {
            self.resolve_mixins_of(mixin, visiting, done)?;
        }
        visiting.pop();
        let (inherited, mut traits) = self.inherited(&mixins, &at)?;
        let shape = self
            .model
            .shapes
            .get_mut(id)
            .expect("mixin users are shapes");
        traits.merge(&shape.traits, &at)?;
        shape.traits = traits;
        if !inherited.is_empty() && !has_members(&shape.kind) {
            return Err(at.error(format!("`{id}` cannot take members from its mixins")));
        }
        let members = with_own_members(inherited, members_of(&shape.kind), id, &at)?;
        if let ShapeKind::Structure(list)
        | ShapeKind::Union(list)
        | ShapeKind::Enum(list)
        | ShapeKind::IntEnum(list) = &mut shape.kind
        {
            *list = members;
        }
        done.insert(id.clone());
        Ok(())
    }

    /// The members and the inheritable traits of `mixins`, in order (a later mixin's member
    /// replaces an earlier one's of the same name); an error names a shape that is no mixin.
    fn inherited(
        &self,
        mixins: &[ShapeId],
        at: &Location<'a>,
    ) -> Result<(Vec<Member>, Traits), Error> {
        let mut members: Vec<Member> = Vec::new();
        let mut traits = Traits::default();
        for mixin in mixins {
            let source = &self.model.shapes[mixin];
            if source.traits.raw("smithy.api#mixin").is_none() {
                return Err(at.error(format!("`{mixin}` is not a mixin (it lacks @mixin)")));
            }
            traits.merge(&source.traits.inherited(at)?, at)?;
            for member in members_of(&source.kind) {
                members.retain(|existing| existing.name != member.name);
                members.push(member.clone());
            }
        }
        Ok((members, traits))
    }

    /// Merges the traits of `apply` statements into the shapes (or members) they name.
    fn apply_traits(&mut self) -> Result<(), Error> {
        for (id, traits, at) in std::mem::take(&mut self.applies) {
            let text = id.to_string();
            let (shape_text, member) = match text.split_once('$') {
                Some((shape, member)) => (shape.to_owned(), Some(member.to_owned())),
                None => (text.clone(), None),
            };
            let shape_id = ShapeId::parse(&shape_text).map_err(|message| at.error(message))?;
            let shape =
                self.model.shapes.get_mut(&shape_id).ok_or_else(|| {
                    at.error(format!("`apply` names `{text}`, which does not exist"))
                })?;
            let slot = match member {
                None => &mut shape.traits,
                Some(name) => {
                    &mut members_mut(&mut shape.kind)
                        .into_iter()
                        .find(|candidate| candidate.name == name)
                        .ok_or_else(|| {
                            at.error(format!("`apply` names `{text}`, which does not exist"))
                        })?
                        .traits
                }
            };
            slot.apply(&traits, &at)?;
        }
        Ok(())
    }

    fn check_references(&self) -> Result<(), Error> {
        for reference in &self.references {
            let Some(shape) = self.model.get(&reference.target) else {
                return Err(reference.at.error(format!(
                    "target `{}` does not resolve to a shape in the model or the prelude",
                    reference.target
                )));
            };
            let kind_ok = match reference.expected {
                Expected::AnyShape => true,
                Expected::Operation => matches!(shape.kind, ShapeKind::Operation(_)),
                Expected::Resource => matches!(shape.kind, ShapeKind::Resource(_)),
                Expected::Structure => matches!(shape.kind, ShapeKind::Structure(_)),
            };
            if !kind_ok {
                let expected = match reference.expected {
                    Expected::Operation => "an operation",
                    Expected::Resource => "a resource",
                    _ => "a structure",
                };
                return Err(reference
                    .at
                    .error(format!("target `{}` must be {expected}", reference.target)));
            }
        }
        Ok(())
    }
}

/// The members a shape kind holds in a list (structures, unions, enums).
fn members_of(kind: &ShapeKind) -> &[Member] {
    match kind {
        ShapeKind::Enum(members)
        | ShapeKind::IntEnum(members)
        | ShapeKind::Structure(members)
        | ShapeKind::Union(members) => members,
        _ => &[],
    }
}

/// The members of `id`: the `inherited` ones, their traits merged with the shape's `own`
/// members of the same name (which must keep their target), then its other own members.
fn with_own_members(
    mut members: Vec<Member>,
    own: &[Member],
    id: &ShapeId,
    at: &Location,
) -> Result<Vec<Member>, Error> {
    for member in own {
        match members
            .iter_mut()
            .find(|inherited| inherited.name == member.name)
        {
            Some(inherited) => {
                if inherited.target != member.target {
                    return Err(at.error(format!(
                        "member `{}` of `{id}` targets `{}`, its mixin's targets `{}`",
                        member.name, member.target, inherited.target
                    )));
                }
                inherited.traits.merge(&member.traits, at)?;
            }
            None => members.push(member.clone()),
        }
    }
    Ok(members)
}

fn has_members(kind: &ShapeKind) -> bool {
    matches!(
        kind,
        ShapeKind::Enum(_) | ShapeKind::IntEnum(_) | ShapeKind::Structure(_) | ShapeKind::Union(_)
    )
}

fn members_mut(kind: &mut ShapeKind) -> Vec<&mut Member> {
    match kind {
        ShapeKind::Enum(members)
        | ShapeKind::IntEnum(members)
        | ShapeKind::Structure(members)
        | ShapeKind::Union(members) => members.iter_mut().collect(),
        ShapeKind::List { member, .. } => vec![member.as_mut()],
        ShapeKind::Map { key, value } => vec![key.as_mut(), value.as_mut()],
        _ => Vec::new(),
    }
}

fn rename(fields: &Map<String, Value>, at: &Location) -> Result<BTreeMap<ShapeId, String>, Error> {
    let Some(entries) = fields.get("rename") else {
        return Ok(BTreeMap::new());
    };
    let at = at.field("rename");
    let entries = entries
        .as_object()
        .ok_or_else(|| at.error("`rename` must be an object"))?;
    entries
        .iter()
        .map(|(id, name)| {
            let entry_at = at.key(id);
            let id = ShapeId::parse(id).map_err(|message| entry_at.error(message))?;
            let name = name
                .as_str()
                .ok_or_else(|| entry_at.error("a rename must be a string"))?;
            Ok((id, name.to_owned()))
        })
        .collect()
}
