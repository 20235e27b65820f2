//! Turns a parsed IDL file into JSON AST shapes: relative shape ids resolved (a `use`, then a
//! shape of the namespace in any file of the model, then the prelude), documentation comments
//! and `= value` assignments made traits, inline inputs and outputs made structures.

use serde_json::{Map, Value};

use super::ast::{
    IdlFile, MemberDefinition, Node, OperationBody, Reference, ShapeBody, ShapeDefinition,
    Statement, TraitApplication,
};
use super::Position;
use crate::error::Error;
use crate::smithy::prelude;

/// A member written `$name`, whose target the loader takes from the shape's resource or
/// mixins once every file is read.
#[derive(Clone, Debug)]
pub(crate) struct Elided {
    /// The shape's absolute id.
    pub shape: String,
    /// The member name.
    pub member: String,
    /// The `for` resource, resolved.
    pub resource: Option<String>,
    /// The mixins, resolved.
    pub mixins: Vec<String>,
    /// Where the member is written.
    pub at: Position,
}

/// A file's shapes as JSON AST entries (`apply` statements included, with type `apply`).
#[derive(Debug, Default)]
pub(crate) struct Resolved {
    /// `(absolute id, JSON AST body)` in file order.
    pub shapes: Vec<(String, Value)>,
    /// Members whose targets are still to be found.
    pub elided: Vec<Elided>,
}

/// What an unresolvable relative id becomes.
#[derive(Clone, Copy)]
enum Fallback {
    /// A shape target: the namespace's (the loader reports it missing).
    Namespace,
    /// A trait: the prelude's.
    Prelude,
    /// A node value: the text as written.
    AsWritten,
}

/// Resolves `idl` (read from `file`); `defined` tells whether an absolute id names a shape in
/// any file of the model.
pub(crate) fn resolve(
    file: &str,
    idl: &IdlFile,
    defined: &dyn Fn(&str) -> bool,
) -> Result<Resolved, Error> {
    let Some(namespace) = &idl.namespace else {
        return Ok(Resolved::default());
    };
    let resolver = Resolver {
        file,
        idl,
        namespace,
        defined,
    };
    let mut resolved = Resolved::default();
    for statement in &idl.statements {
        match statement {
            Statement::Shape(shape) => resolver.shape(shape, &mut resolved)?,
            Statement::Apply { target, traits } => {
                let id = resolver.absolute(&target.text, Fallback::Namespace);
                let mut body = Map::new();
                body.insert("type".into(), "apply".into());
                body.insert("traits".into(), resolver.traits(traits, None)?);
                resolved.shapes.push((id, Value::Object(body)));
            }
        }
    }
    Ok(resolved)
}

struct Resolver<'a> {
    file: &'a str,
    idl: &'a IdlFile,
    namespace: &'a str,
    defined: &'a dyn Fn(&str) -> bool,
}

impl Resolver<'_> {
    fn error(&self, at: Position, message: String) -> Error {
        super::error_at(self.file, at, message)
    }

    fn absolute(&self, text: &str, fallback: Fallback) -> String {
        if text.contains('#') {
            return text.to_owned();
        }
        let (root, member) = match text.find('$') {
            Some(split) => text.split_at(split),
            None => (text, ""),
        };
        if let Some(used) = self.idl.uses.get(root) {
            return format!("{}{member}", used.text);
        }
        let local = format!("{}#{root}", self.namespace);
        if (self.defined)(&local) {
            return format!("{local}{member}");
        }
        let in_prelude = prelude::defines(root) || (self.defined)(&format!("smithy.api#{root}"));
        match fallback {
            Fallback::Prelude => format!("smithy.api#{text}"),
            _ if in_prelude => format!("smithy.api#{text}"),
            Fallback::Namespace => format!("{local}{member}"),
            Fallback::AsWritten => text.to_owned(),
        }
    }

    fn target(&self, reference: &Reference) -> Value {
        let mut target = Map::new();
        target.insert(
            "target".into(),
            self.absolute(&reference.text, Fallback::Namespace).into(),
        );
        Value::Object(target)
    }

    fn targets(&self, references: &[Reference]) -> Value {
        references.iter().map(|r| self.target(r)).collect()
    }

    fn node(&self, node: &Node) -> Value {
        match node {
            Node::Null => Value::Null,
            Node::Bool(flag) => Value::Bool(*flag),
            Node::Number(number) => Value::Number(number.clone()),
            Node::Text(text) => Value::String(text.clone()),
            Node::ShapeId(reference) => {
                Value::String(self.absolute(&reference.text, Fallback::AsWritten))
            }
            Node::Array(items) => items.iter().map(|item| self.node(item)).collect(),
            Node::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(key, value)| (key.clone(), self.node(value)))
                    .collect(),
            ),
        }
    }

    /// The traits object: documentation comment first, then the traits as written.
    fn traits(&self, traits: &[TraitApplication], docs: Option<&str>) -> Result<Value, Error> {
        let mut object = Map::new();
        if let Some(docs) = docs {
            object.insert("smithy.api#documentation".into(), docs.into());
        }
        for application in traits {
            let id = self.absolute(&application.id.text, Fallback::Prelude);
            let value = self.node(&application.value);
            if id == "smithy.api#documentation" && docs.is_some() {
                object.insert(id, value);
                continue;
            }
            match object.get_mut(&id) {
                None => {
                    object.insert(id, value);
                }
                Some(Value::Array(items)) if value.is_array() => {
                    items.extend(value.as_array().into_iter().flatten().cloned());
                }
                Some(existing) if *existing == value => {}
                Some(_) => {
                    return Err(self.error(
                        application.id.at,
                        format!("the trait `{id}` is applied twice with different values"),
                    ))
                }
            }
        }
        Ok(Value::Object(object))
    }

    fn shape(&self, shape: &ShapeDefinition, resolved: &mut Resolved) -> Result<(), Error> {
        let id = format!("{}#{}", self.namespace, shape.name);
        let mut body = Map::new();
        body.insert("type".into(), shape.type_name.clone().into());
        let mixins: Vec<String> = shape
            .mixins
            .iter()
            .map(|mixin| self.absolute(&mixin.text, Fallback::Namespace))
            .collect();
        if !mixins.is_empty() {
            body.insert("mixins".into(), self.targets(&shape.mixins));
        }
        match &shape.body {
            ShapeBody::None => {}
            ShapeBody::Members(members) => {
                let context = MemberContext {
                    shape: &id,
                    enum_values: matches!(shape.type_name.as_str(), "enum" | "intEnum"),
                    resource: shape
                        .for_resource
                        .as_ref()
                        .map(|resource| self.absolute(&resource.text, Fallback::Namespace)),
                    mixins: &mixins,
                };
                self.members(&shape.type_name, members, &context, &mut body, resolved)?
            }
            ShapeBody::Properties(properties) => self.properties(shape, properties, &mut body)?,
            ShapeBody::Operation(operation) => self.operation(operation, &mut body),
        }
        let traits = self.traits(&shape.traits, shape.docs.as_deref())?;
        if traits.as_object().is_some_and(|traits| !traits.is_empty()) {
            body.insert("traits".into(), traits);
        }
        resolved.shapes.push((id, Value::Object(body)));
        Ok(())
    }

    fn members(
        &self,
        type_name: &str,
        members: &[MemberDefinition],
        context: &MemberContext,
        body: &mut Map<String, Value>,
        resolved: &mut Resolved,
    ) -> Result<(), Error> {
        let mut object = Map::new();
        for member in members {
            let entry = self.member(type_name, member, context, resolved)?;
            if object.insert(member.name.clone(), entry).is_some() {
                return Err(self.error(
                    member.at,
                    format!("member `{}` is defined twice", member.name),
                ));
            }
        }
        let named: &[&str] = match type_name {
            "list" | "set" => &["member"],
            "map" => &["key", "value"],
            _ => {
                body.insert("members".into(), Value::Object(object));
                return Ok(());
            }
        };
        for (name, value) in object {
            if !named.contains(&name.as_str()) {
                let at = members
                    .iter()
                    .find(|m| m.name == name)
                    .map(|m| m.at)
                    .unwrap_or_default();
                return Err(self.error(
                    at,
                    format!(
                        "a {type_name} has only {}, not `{name}`",
                        named.join(" and ")
                    ),
                ));
            }
            body.insert(name, value);
        }
        Ok(())
    }

    /// One member as JSON AST: its target (recorded as elided when it has none) and its
    /// traits, with `= value` as `@default` or `@enumValue`.
    fn member(
        &self,
        type_name: &str,
        member: &MemberDefinition,
        context: &MemberContext,
        resolved: &mut Resolved,
    ) -> Result<Value, Error> {
        let mut traits = self.traits(&member.traits, member.docs.as_deref())?;
        match (&member.value, type_name) {
            (Some(value), "enum" | "intEnum") => traits["smithy.api#enumValue"] = self.node(value),
            (Some(value), _) => traits["smithy.api#default"] = self.node(value),
            // As the JSON AST build writes it: an enum member's value is its name.
            (None, "enum") if traits.get("smithy.api#enumValue").is_none() => {
                traits["smithy.api#enumValue"] = member.name.clone().into()
            }
            (None, _) => {}
        }
        let target = match &member.target {
            Some(target) => self.absolute(&target.text, Fallback::Namespace).into(),
            None if context.enum_values => {
                if type_name == "intEnum" && member.value.is_none() {
                    return Err(self.error(
                        member.at,
                        format!("intEnum member `{}` needs `= <integer>`", member.name),
                    ));
                }
                "smithy.api#Unit".into()
            }
            None => {
                resolved.elided.push(Elided {
                    shape: context.shape.to_owned(),
                    member: member.name.clone(),
                    resource: context.resource.clone(),
                    mixins: context.mixins.to_vec(),
                    at: member.at,
                });
                Value::Null
            }
        };
        let mut entry = Map::new();
        entry.insert("target".into(), target);
        if traits.as_object().is_some_and(|traits| !traits.is_empty()) {
            entry.insert("traits".into(), traits);
        }
        Ok(Value::Object(entry))
    }

    fn properties(
        &self,
        shape: &ShapeDefinition,
        properties: &[(String, Node)],
        body: &mut Map<String, Value>,
    ) -> Result<(), Error> {
        for (name, node) in properties {
            let value = match (shape.type_name.as_str(), name.as_str()) {
                (_, "version" | "rename") => self.node(node),
                ("resource", "identifiers" | "properties") => match node {
                    Node::Object(entries) => Value::Object(
                        entries
                            .iter()
                            .map(|(key, value)| Ok((key.clone(), self.node_target(shape, value)?)))
                            .collect::<Result<_, Error>>()?,
                    ),
                    _ => return Err(self.error(shape.at, format!("`{name}` must be an object"))),
                },
                ("resource", "create" | "put" | "read" | "update" | "delete" | "list") => {
                    self.node_target(shape, node)?
                }
                (_, _) => match node {
                    Node::Array(items) => items
                        .iter()
                        .map(|item| self.node_target(shape, item))
                        .collect::<Result<_, Error>>()?,
                    _ => return Err(self.error(shape.at, format!("`{name}` must be a list"))),
                },
            };
            body.insert(name.clone(), value);
        }
        Ok(())
    }

    /// A node that names a shape, as a JSON AST target.
    fn node_target(&self, shape: &ShapeDefinition, node: &Node) -> Result<Value, Error> {
        let text = match node {
            Node::ShapeId(reference) => &reference.text,
            Node::Text(text) => text,
            _ => {
                return Err(self.error(
                    shape.at,
                    format!("a property of `{}` must name a shape", shape.name),
                ))
            }
        };
        let mut target = Map::new();
        target.insert(
            "target".into(),
            self.absolute(text, Fallback::Namespace).into(),
        );
        Ok(Value::Object(target))
    }

    fn operation(&self, operation: &OperationBody, body: &mut Map<String, Value>) {
        if let Some(input) = &operation.input {
            body.insert("input".into(), self.target(input));
        }
        if let Some(output) = &operation.output {
            body.insert("output".into(), self.target(output));
        }
        if !operation.errors.is_empty() {
            body.insert("errors".into(), self.targets(&operation.errors));
        }
    }
}

/// What a shape's members need from the shape.
struct MemberContext<'a> {
    shape: &'a str,
    enum_values: bool,
    resource: Option<String>,
    mixins: &'a [String],
}
