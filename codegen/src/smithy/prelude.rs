//! The `smithy.api` prelude shapes every model may target without defining them.

use serde_json::Value;

use super::{Model, Shape, ShapeId, ShapeKind, SimpleType, Traits};

const SIMPLE: &[(&str, SimpleType)] = &[
    ("Blob", SimpleType::Blob),
    ("Boolean", SimpleType::Boolean),
    ("String", SimpleType::String),
    ("Byte", SimpleType::Byte),
    ("Short", SimpleType::Short),
    ("Integer", SimpleType::Integer),
    ("Long", SimpleType::Long),
    ("Float", SimpleType::Float),
    ("Double", SimpleType::Double),
    ("BigInteger", SimpleType::BigInteger),
    ("BigDecimal", SimpleType::BigDecimal),
    ("Timestamp", SimpleType::Timestamp),
    ("Document", SimpleType::Document),
];

/// The deprecated `Primitive*` shapes, which default to zero or false.
const PRIMITIVE: &[(&str, SimpleType)] = &[
    ("PrimitiveBoolean", SimpleType::Boolean),
    ("PrimitiveByte", SimpleType::Byte),
    ("PrimitiveShort", SimpleType::Short),
    ("PrimitiveInteger", SimpleType::Integer),
    ("PrimitiveLong", SimpleType::Long),
    ("PrimitiveFloat", SimpleType::Float),
    ("PrimitiveDouble", SimpleType::Double),
];

/// The id of `smithy.api#Unit`, the empty structure of operations without input or output.
pub fn unit() -> ShapeId {
    ShapeId::prelude("Unit")
}

/// Adds the prelude shapes the model does not define itself.
pub(crate) fn add_prelude(model: &mut Model) {
    let simple = SIMPLE
        .iter()
        .map(|&(name, kind)| (name, kind, Traits::default()));
    let primitive = PRIMITIVE.iter().map(|&(name, kind)| {
        let zero = if kind == SimpleType::Boolean {
            Value::Bool(false)
        } else {
            Value::from(0)
        };
        (name, kind, Traits::default().with_default(zero))
    });
    for (name, kind, traits) in simple.chain(primitive) {
        insert(model, name, ShapeKind::Simple(kind), traits);
    }
    insert(
        model,
        "Unit",
        ShapeKind::Structure(Vec::new()),
        Traits::default(),
    );
}

fn insert(model: &mut Model, name: &str, kind: ShapeKind, traits: Traits) {
    let id = ShapeId::prelude(name);
    model
        .shapes
        .entry(id.clone())
        .or_insert(Shape { id, kind, traits });
}
