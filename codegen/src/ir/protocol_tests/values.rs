//! Values of a case's parameter documents, checked against the shapes they fill.

use serde_json::{Map, Value as Json};

use super::Fields;
use crate::error::Error;
use crate::ir::{DataKind, Member, Primitive, Service, ShapeRef, Target};

/// A structure value: its members given, in the case's order.
#[derive(Clone, Debug, PartialEq)]
pub struct StructureValue {
    /// The structure.
    pub shape: ShapeRef,
    /// (member index, value); `None` where the case gives `null`.
    pub members: Vec<(usize, Option<TestValue>)>,
}

/// A value of a member, list element or map entry.
#[derive(Clone, Debug, PartialEq)]
pub enum TestValue {
    /// A streaming blob's bytes, given as text.
    Stream(String),
    /// A value of a simple type.
    Simple(SimpleValue),
    /// A value of an enum shape.
    Enum(ShapeRef, String),
    /// A value of an intEnum shape.
    IntEnum(ShapeRef, i32),
    /// A structure.
    Structure(StructureValue),
    /// A union's one member.
    Union {
        /// The union.
        shape: ShapeRef,
        /// The member's index.
        member: usize,
        /// The value.
        value: Box<TestValue>,
    },
    /// A list's elements.
    List(Vec<Element>),
    /// A map's entries, as (key, value).
    Map(Vec<(TestValue, Element)>),
}

/// A value of a simple type.
#[derive(Clone, Debug, PartialEq)]
pub enum SimpleValue {
    /// A string.
    String(String),
    /// A boolean.
    Boolean(bool),
    /// An integer of any width.
    Integer(i64),
    /// A float (`double` false) or double.
    Float {
        /// A `double`, not a `float`.
        double: bool,
        /// The value.
        value: FloatValue,
    },
    /// A timestamp.
    Timestamp(TimestampValue),
    /// A blob's bytes, given as text.
    Blob(String),
    /// A big integer or big decimal, as written.
    BigNumber(Primitive, String),
    /// A document.
    Document(Document),
}

/// A list element or map value: sparse collections hold options.
#[derive(Clone, Debug, PartialEq)]
pub enum Element {
    /// An element of a dense collection.
    Dense(TestValue),
    /// An element of a sparse collection (`None` for `null`).
    Sparse(Option<TestValue>),
}

/// A float value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FloatValue {
    /// A number.
    Number(f64),
    /// `"NaN"`.
    NaN,
    /// `"Infinity"`.
    Infinity,
    /// `"-Infinity"`.
    NegativeInfinity,
}

/// A timestamp value.
#[derive(Clone, Debug, PartialEq)]
pub enum TimestampValue {
    /// An RFC 3339 date-time.
    DateTime(String),
    /// Seconds since the epoch.
    Seconds(f64),
}

/// A document value.
#[derive(Clone, Debug, PartialEq)]
pub enum Document {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A non-negative integer.
    PositiveInteger(u64),
    /// A negative integer.
    NegativeInteger(i64),
    /// Any other number.
    Float(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Document>),
    /// An object, in the case's order.
    Object(Vec<(String, Document)>),
}

/// Reads values for one case.
pub(super) struct Values<'a> {
    pub(super) service: &'a Service,
    pub(super) fields: &'a Fields<'a>,
}

impl Values<'_> {
    fn error(&self, message: String) -> Error {
        self.fields.error(message)
    }

    /// A structure from `params`.
    pub(super) fn structure(
        &self,
        shape: ShapeRef,
        params: &Map<String, Json>,
        at: &str,
    ) -> Result<StructureValue, Error> {
        let data = self.service.shape(shape);
        let DataKind::Structure(members) = &data.kind else {
            return Err(self.error(format!("{at}: `{}` is not a structure", data.name)));
        };
        let mut values = Vec::new();
        for (name, value) in params {
            let index = members
                .iter()
                .position(|member| member.wire_name == *name)
                .ok_or_else(|| {
                    self.error(format!("{at}.{name}: no such member of `{}`", data.name))
                })?;
            let value = match value {
                Json::Null => None,
                value => Some(self.value(members[index].target, value, &format!("{at}.{name}"))?),
            };
            values.push((index, value));
        }
        Ok(StructureValue {
            shape,
            members: values,
        })
    }

    /// The value `json` of a member targeting `target`.
    pub(super) fn value(&self, target: Target, json: &Json, at: &str) -> Result<TestValue, Error> {
        if self.service.is_streaming(target) {
            let text = json
                .as_str()
                .ok_or_else(|| self.error(format!("{at}: a streaming blob is given as text")))?;
            return Ok(TestValue::Stream(text.to_owned()));
        }
        if let Some(primitive) = self.service.primitive_of(target) {
            return Ok(TestValue::Simple(self.primitive(primitive, json, at)?));
        }
        let Target::Shape(shape) = target else {
            unreachable!("primitives are handled above")
        };
        let data = self.service.shape(shape);
        Ok(match (&data.kind, json) {
            (DataKind::Enum(_), Json::String(text)) => TestValue::Enum(shape, text.clone()),
            (DataKind::IntEnum(_), Json::Number(number)) => {
                TestValue::IntEnum(shape, number.as_i64().unwrap_or_default() as i32)
            }
            (DataKind::Structure(_), Json::Object(params)) => {
                TestValue::Structure(self.structure(shape, params, at)?)
            }
            (DataKind::Union(members), Json::Object(params)) => {
                self.union(shape, members, params, at)?
            }
            (DataKind::List { member, sparse }, Json::Array(items)) => TestValue::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| {
                        self.element(member, *sparse, item, &format!("{at}[{index}]"))
                    })
                    .collect::<Result<_, _>>()?,
            ),
            (DataKind::Map { key, value, sparse }, Json::Object(entries)) => TestValue::Map(
                entries
                    .iter()
                    .map(|(name, item)| {
                        let key = self.value(key.target, &Json::String(name.clone()), at)?;
                        let item = self.element(value, *sparse, item, &format!("{at}.{name}"))?;
                        Ok((key, item))
                    })
                    .collect::<Result<_, Error>>()?,
            ),
            _ => {
                return Err(self.error(format!("{at}: `{json}` is not a value of `{}`", data.name)))
            }
        })
    }

    fn union(
        &self,
        shape: ShapeRef,
        members: &[Member],
        params: &Map<String, Json>,
        at: &str,
    ) -> Result<TestValue, Error> {
        let (name, value) = params
            .iter()
            .next()
            .ok_or_else(|| self.error(format!("{at}: a union value needs one member")))?;
        let member = members
            .iter()
            .position(|member| member.wire_name == *name)
            .ok_or_else(|| self.error(format!("{at}.{name}: no such member")))?;
        let value = self.value(members[member].target, value, &format!("{at}.{name}"))?;
        Ok(TestValue::Union {
            shape,
            member,
            value: Box::new(value),
        })
    }

    /// A list element or map value.
    fn element(
        &self,
        member: &Member,
        sparse: bool,
        json: &Json,
        at: &str,
    ) -> Result<Element, Error> {
        Ok(match (sparse, json) {
            (true, Json::Null) => Element::Sparse(None),
            (true, _) => Element::Sparse(Some(self.value(member.target, json, at)?)),
            (false, _) => Element::Dense(self.value(member.target, json, at)?),
        })
    }

    fn primitive(&self, primitive: Primitive, json: &Json, at: &str) -> Result<SimpleValue, Error> {
        let mismatch = || self.error(format!("{at}: `{json}` is not a {primitive:?}"));
        let text = || json.as_str().map(str::to_owned).ok_or_else(mismatch);
        Ok(match primitive {
            Primitive::String => SimpleValue::String(text()?),
            Primitive::Boolean => SimpleValue::Boolean(json.as_bool().ok_or_else(mismatch)?),
            Primitive::Byte | Primitive::Short | Primitive::Integer | Primitive::Long => {
                SimpleValue::Integer(json.as_i64().ok_or_else(mismatch)?)
            }
            Primitive::Float | Primitive::Double => SimpleValue::Float {
                double: primitive == Primitive::Double,
                value: match json {
                    Json::String(text) if text == "NaN" => FloatValue::NaN,
                    Json::String(text) if text == "Infinity" => FloatValue::Infinity,
                    Json::String(text) if text == "-Infinity" => FloatValue::NegativeInfinity,
                    Json::Number(number) => {
                        FloatValue::Number(number.as_f64().ok_or_else(mismatch)?)
                    }
                    _ => return Err(mismatch()),
                },
            },
            Primitive::Timestamp => SimpleValue::Timestamp(match json {
                Json::String(text) => TimestampValue::DateTime(text.clone()),
                _ => TimestampValue::Seconds(json.as_f64().ok_or_else(mismatch)?),
            }),
            Primitive::Blob => SimpleValue::Blob(text()?),
            Primitive::BigInteger | Primitive::BigDecimal => SimpleValue::BigNumber(
                primitive,
                match json {
                    Json::Number(number) => number.to_string(),
                    Json::String(text) => text.clone(),
                    _ => return Err(mismatch()),
                },
            ),
            Primitive::Document => SimpleValue::Document(document(json)),
        })
    }
}

/// The document of a JSON value.
fn document(json: &Json) -> Document {
    match json {
        Json::Null => Document::Null,
        Json::Bool(value) => Document::Bool(*value),
        Json::Number(number) => match (number.as_u64(), number.as_i64()) {
            (Some(value), _) => Document::PositiveInteger(value),
            (None, Some(value)) => Document::NegativeInteger(value),
            (None, None) => Document::Float(number.as_f64().unwrap_or_default()),
        },
        Json::String(text) => Document::String(text.clone()),
        Json::Array(items) => Document::Array(items.iter().map(document).collect()),
        Json::Object(entries) => Document::Object(
            entries
                .iter()
                .map(|(key, value)| (key.clone(), document(value)))
                .collect(),
        ),
    }
}

/// True when a parameter document holds a `"NaN"`.
pub(super) fn contains_nan(json: &Json) -> bool {
    match json {
        Json::String(text) => text == "NaN",
        Json::Array(items) => items.iter().any(contains_nan),
        Json::Object(entries) => entries.values().any(contains_nan),
        _ => false,
    }
}
