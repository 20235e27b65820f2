use std::collections::BTreeMap;

use super::{ShapeId, Traits};

/// A loaded, validated Smithy model: every shape by id, prelude included.
#[derive(Clone, Debug, Default)]
pub struct Model {
    /// All shapes, ordered by id.
    pub shapes: BTreeMap<ShapeId, Shape>,
}

/// One shape: its id, what kind of shape it is, and its traits.
#[derive(Clone, Debug)]
pub struct Shape {
    /// The shape's absolute id.
    pub id: ShapeId,
    /// The shape type and its type-specific properties.
    pub kind: ShapeKind,
    /// The traits applied to the shape.
    pub traits: Traits,
}

/// The Smithy 2.0 simple shape types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimpleType {
    /// `blob`
    Blob,
    /// `boolean`
    Boolean,
    /// `string`
    String,
    /// `byte`
    Byte,
    /// `short`
    Short,
    /// `integer`
    Integer,
    /// `long`
    Long,
    /// `float`
    Float,
    /// `double`
    Double,
    /// `bigInteger`
    BigInteger,
    /// `bigDecimal`
    BigDecimal,
    /// `timestamp`
    Timestamp,
    /// `document`
    Document,
}

impl SimpleType {
    /// The simple type named by a JSON AST `type` value.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "blob" => Self::Blob,
            "boolean" => Self::Boolean,
            "string" => Self::String,
            "byte" => Self::Byte,
            "short" => Self::Short,
            "integer" => Self::Integer,
            "long" => Self::Long,
            "float" => Self::Float,
            "double" => Self::Double,
            "bigInteger" => Self::BigInteger,
            "bigDecimal" => Self::BigDecimal,
            "timestamp" => Self::Timestamp,
            "document" => Self::Document,
            _ => return None,
        })
    }
}

/// A member of an aggregate shape (or of an enum).
#[derive(Clone, Debug)]
pub struct Member {
    /// The member name as written in the model.
    pub name: String,
    /// The shape the member refers to.
    pub target: ShapeId,
    /// Traits applied to the member.
    pub traits: Traits,
}

/// The shape type, with the properties that type carries.
#[derive(Clone, Debug)]
pub enum ShapeKind {
    /// A simple shape.
    Simple(SimpleType),
    /// A Smithy 2.0 `enum` shape (members target `smithy.api#Unit`).
    Enum(Vec<Member>),
    /// An `intEnum` shape.
    IntEnum(Vec<Member>),
    /// A `list` (`set` is read as a list with unique items).
    List {
        /// The element member.
        member: Box<Member>,
        /// True for the Smithy 1.0 `set` type.
        unique: bool,
    },
    /// A `map`.
    Map {
        /// The key member.
        key: Box<Member>,
        /// The value member.
        value: Box<Member>,
    },
    /// A `structure`.
    Structure(Vec<Member>),
    /// A `union`.
    Union(Vec<Member>),
    /// A `service`.
    Service(Service),
    /// An `operation`.
    Operation(Operation),
    /// A `resource`.
    Resource(Resource),
}

/// A service shape's properties.
#[derive(Clone, Debug, Default)]
pub struct Service {
    /// The service version.
    pub version: Option<String>,
    /// Operations bound directly to the service.
    pub operations: Vec<ShapeId>,
    /// Resources bound to the service.
    pub resources: Vec<ShapeId>,
    /// Errors every operation of the service can return.
    pub errors: Vec<ShapeId>,
    /// Shape renames that disambiguate names within the service closure.
    pub rename: BTreeMap<ShapeId, String>,
}

/// An operation shape's properties.
#[derive(Clone, Debug)]
pub struct Operation {
    /// The input structure (`smithy.api#Unit` when none).
    pub input: ShapeId,
    /// The output structure (`smithy.api#Unit` when none).
    pub output: ShapeId,
    /// Errors the operation can return.
    pub errors: Vec<ShapeId>,
}

/// A resource shape's properties.
#[derive(Clone, Debug, Default)]
pub struct Resource {
    /// Identifier names and their target shapes.
    pub identifiers: BTreeMap<String, ShapeId>,
    /// Property names and their target shapes.
    pub properties: BTreeMap<String, ShapeId>,
    /// Lifecycle and bound operations, in the order the JSON AST lists them.
    pub operations: Vec<ShapeId>,
    /// Child resources.
    pub resources: Vec<ShapeId>,
}

impl Model {
    /// The shape with this id, if the model has it.
    pub fn get(&self, id: &ShapeId) -> Option<&Shape> {
        self.shapes.get(id)
    }

    /// The ids of every service shape, in id order.
    pub fn services(&self) -> impl Iterator<Item = &ShapeId> {
        self.shapes
            .values()
            .filter(|shape| matches!(shape.kind, ShapeKind::Service(_)))
            .map(|shape| &shape.id)
    }
}
