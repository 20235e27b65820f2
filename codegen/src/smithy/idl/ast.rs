//! What the parser reads from one IDL file, before relative shape ids are resolved.

use std::collections::BTreeMap;

use super::Position;

/// A shape id as written (relative or absolute), and where.
#[derive(Clone, Debug)]
pub(crate) struct Reference {
    /// The id as written.
    pub text: String,
    /// Where it is written.
    pub at: Position,
}

/// A node value; unquoted words stay references until resolution.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number.
    Number(serde_json::Number),
    /// A quoted string or text block.
    Text(String),
    /// An unquoted shape id, resolved to an absolute id string.
    ShapeId(Reference),
    /// `[...]`
    Array(Vec<Node>),
    /// `{...}`, keys in the order written.
    Object(Vec<(String, Node)>),
}

/// A trait application: `@id` or `@id(value)`.
#[derive(Clone, Debug)]
pub(crate) struct TraitApplication {
    /// The trait's shape id.
    pub id: Reference,
    /// Its value (`{}` when the trait has no body).
    pub value: Node,
}

/// A member of an aggregate or enum shape.
#[derive(Clone, Debug)]
pub(crate) struct MemberDefinition {
    /// The member name.
    pub name: String,
    /// Where the member is written.
    pub at: Position,
    /// The target; `None` for enum members and elided (`$name`) members, whose target comes
    /// from the resource or a mixin.
    pub target: Option<Reference>,
    /// Documentation comment, if any.
    pub docs: Option<String>,
    /// Traits applied to the member.
    pub traits: Vec<TraitApplication>,
    /// The `= value` after the member (a default, or an enum value).
    pub value: Option<Node>,
}

/// What follows a shape's name.
#[derive(Clone, Debug)]
pub(crate) enum ShapeBody {
    /// Simple shapes have no body.
    None,
    /// Aggregate and enum shapes: their members.
    Members(Vec<MemberDefinition>),
    /// Service and resource shapes: their properties as a node object.
    Properties(Vec<(String, Node)>),
    /// Operations: input, output and errors.
    Operation(OperationBody),
}

/// An operation's properties.
#[derive(Clone, Debug, Default)]
pub(crate) struct OperationBody {
    /// The input structure.
    pub input: Option<Reference>,
    /// The output structure.
    pub output: Option<Reference>,
    /// The errors.
    pub errors: Vec<Reference>,
}

/// A shape definition.
#[derive(Clone, Debug)]
pub(crate) struct ShapeDefinition {
    /// The shape type as written (`structure`, `string`, ...).
    pub type_name: String,
    /// The shape's name in the file's namespace.
    pub name: String,
    /// Where the shape's name is written.
    pub at: Position,
    /// Documentation comment, if any.
    pub docs: Option<String>,
    /// Traits applied to the shape.
    pub traits: Vec<TraitApplication>,
    /// `with [...]` mixins.
    pub mixins: Vec<Reference>,
    /// `for Resource`, where elided members find their targets.
    pub for_resource: Option<Reference>,
    /// The body.
    pub body: ShapeBody,
}

/// A top-level statement of the shape section.
#[derive(Clone, Debug)]
pub(crate) enum Statement {
    /// A shape definition.
    Shape(Box<ShapeDefinition>),
    /// `apply target @trait` or `apply target { ... }`.
    Apply {
        /// The shape or member the traits go to.
        target: Reference,
        /// The traits.
        traits: Vec<TraitApplication>,
    },
}

/// One parsed IDL file.
#[derive(Clone, Debug, Default)]
pub(crate) struct IdlFile {
    /// The `$version` control statement's value.
    pub version: Option<String>,
    /// The namespace, when the file has a shape section.
    pub namespace: Option<String>,
    /// `use` statements: the imported name and its absolute id.
    pub uses: BTreeMap<String, Reference>,
    /// Shapes and `apply` statements, in order.
    pub statements: Vec<Statement>,
}
