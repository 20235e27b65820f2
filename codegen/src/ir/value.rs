//! What a member's value is, aliases resolved, as the codecs that write scalars as text and
//! composites as nested values match it: one exhaustive match instead of a scalar test
//! followed by arms the test already excluded.

use super::{DataKind, Member, Primitive, Service, ShapeRef, Target};

/// A value of a target, seen through aliases.
#[derive(Clone, Copy, Debug)]
pub enum Value<'a> {
    /// Written as text: a primitive, a string enum or an int enum.
    Scalar(Scalar),
    /// A structure or union, which reads and writes itself.
    Structure(ShapeRef),
    /// A list, by its element member.
    List(&'a Member),
    /// A map, by its key and value members.
    Map(&'a Member, &'a Member),
}

/// A value written as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scalar {
    /// A primitive, or an alias of one.
    Primitive(Primitive),
    /// A string enum.
    Enum(ShapeRef),
    /// An int enum.
    IntEnum(ShapeRef),
}

impl Service {
    /// What values of `target` are.
    pub fn value(&self, target: Target) -> Value<'_> {
        let shape = match target {
            Target::Primitive(primitive) => return Value::Scalar(Scalar::Primitive(primitive)),
            Target::Shape(shape) => shape,
        };
        match &self.shape(shape).kind {
            DataKind::Alias { primitive, .. } => Value::Scalar(Scalar::Primitive(*primitive)),
            DataKind::Enum(_) => Value::Scalar(Scalar::Enum(shape)),
            DataKind::IntEnum(_) => Value::Scalar(Scalar::IntEnum(shape)),
            DataKind::Structure(_) | DataKind::Union(_) => Value::Structure(shape),
            DataKind::List { member, .. } => Value::List(member),
            DataKind::Map { key, value, .. } => Value::Map(key, value),
        }
    }

    /// What scalar values of `target` are, when they are scalars.
    pub fn scalar(&self, target: Target) -> Option<Scalar> {
        match self.value(target) {
            Value::Scalar(scalar) => Some(scalar),
            _ => None,
        }
    }
}
