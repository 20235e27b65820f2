//! Checks a waiter's parsed path against the shapes it walks: each JMESPath step typed (a
//! value that is there, an optional one, many, a condition, a number, a literal) and each
//! conversion and comparison decided, so that rendering them cannot fail.

mod selections;
#[cfg(test)]
mod tests;

use super::jmespath::Expr;
use super::paths::{Borrow, MemberRef, Node, Source, Test, Truth};
use super::values::{boolean, compare, flag, length, literal_value, text, Form, Ty, Value};
use super::{Comparator, ParsedPath, PathTest};
use crate::ir::{DataKind, Operation, Primitive, Service, ShapeRef, Target};

/// Checks a parsed path of `operation`'s waiter; the error says what does not fit.
pub fn check(
    service: &Service,
    operation: &Operation,
    path: &ParsedPath,
) -> Result<PathTest, String> {
    let checker = Checker { service, operation };
    let root = if path.with_input {
        Value::new(Node::InputOutput, Form::Present(Ty::InputOutput))
    } else {
        Value::new(Node::Output, Form::Present(Ty::Shape(operation.output)))
    };
    let value = checker.compile(&path.path, &root)?;
    Ok(PathTest {
        with_input: path.with_input,
        test: checker.test(value, &path.expected, path.comparator)?,
    })
}

struct Checker<'a> {
    service: &'a Service,
    operation: &'a Operation,
}

impl Checker<'_> {
    fn ty_of(&self, target: Target) -> Option<Ty> {
        if let Some(primitive) = self.service.primitive_of(target) {
            return match primitive {
                Primitive::String => Some(Ty::Str),
                Primitive::Boolean => Some(Ty::Bool),
                Primitive::Byte
                | Primitive::Short
                | Primitive::Integer
                | Primitive::Long
                | Primitive::Float
                | Primitive::Double => Some(Ty::Number),
                _ => None,
            };
        }
        let Target::Shape(shape) = target else {
            return None;
        };
        Some(match &self.service.shape(shape).kind {
            DataKind::Structure(_) | DataKind::Union(_) => Ty::Shape(shape),
            DataKind::List { .. } | DataKind::Map { .. } => Ty::Collection(shape),
            DataKind::Enum(_) => Ty::Enum,
            DataKind::IntEnum(_) => Ty::Number,
            DataKind::Alias { .. } => return None,
        })
    }

    fn compile(&self, expr: &Expr, current: &Value) -> Result<Value, String> {
        Ok(match expr {
            Expr::Current => current.clone(),
            Expr::Field(name) => self.field(current, name)?,
            Expr::Pipe(left, right) => self.compile(right, &self.compile(left, current)?)?,
            Expr::Project(list) => self.project(self.compile(list, current)?)?,
            Expr::Values(object) => self.values(self.compile(object, current)?)?,
            Expr::SelectList(of, items) => {
                let items = items.iter().map(|item| (None, item.clone())).collect();
                self.select(self.compile(of, current)?, items)?
            }
            Expr::SelectHash(of, items) => {
                let items = items
                    .iter()
                    .map(|(key, item)| (Some(key.clone()), item.clone()))
                    .collect();
                self.select(self.compile(of, current)?, items)?
            }
            Expr::Filter(list, condition) => self.filter(list, condition, current)?,
            Expr::Index(list, index) => self.index(self.compile(list, current)?, *index)?,
            Expr::Literal(literal) => literal_value(literal)?,
            Expr::Compare(left, comparison, right) => {
                let (left, right) = (self.compile(left, current)?, self.compile(right, current)?);
                compare(left, *comparison, right)?
            }
            Expr::And(left, right) => flag(Node::And(
                Box::new(self.condition(left, current)?),
                Box::new(self.condition(right, current)?),
            )),
            Expr::Or(left, right) => flag(Node::Or(
                Box::new(self.condition(left, current)?),
                Box::new(self.condition(right, current)?),
            )),
            Expr::Not(inner) => flag(Node::Not(Box::new(self.condition(inner, current)?))),
            Expr::Function(name, args) if name == "length" => {
                length(self.compile(&args[0], current)?)?
            }
            Expr::Function(_, args) => self.contains(&args[0], &args[1], current)?,
        })
    }

    fn field(&self, current: &Value, name: &str) -> Result<Value, String> {
        if let Some(selection) = &current.selection {
            return self.selected_key(selection, name);
        }
        if current.form == Form::Present(Ty::InputOutput) {
            return self.input_or_output(name);
        }
        let (shape, source) = match current.form {
            Form::Present(Ty::Shape(shape)) => (shape, Source::One),
            Form::Maybe(Ty::Shape(shape)) => (shape, Source::Optional),
            Form::Many(Ty::Shape(shape)) => (shape, Source::Each),
            _ => {
                return Err(format!(
                    "`{name}` is asked of something that is not a structure"
                ))
            }
        };
        let data = self.service.shape(shape);
        let (DataKind::Structure(members) | DataKind::Union(members)) = &data.kind else {
            unreachable!("Ty::Shape is a structure or union")
        };
        let index = members
            .iter()
            .position(|member| member.wire_name == name)
            .ok_or_else(|| format!("`{}` has no member `{name}`", data.name))?;
        let member = &members[index];
        let ty = self
            .ty_of(member.target)
            .ok_or_else(|| format!("`{name}` is of a type paths cannot compare"))?;
        // Union members are variants, not fields: only structures are walked.
        if matches!(data.kind, DataKind::Union(_)) {
            return Err("paths through unions are not supported".to_owned());
        }
        // An optional string is borrowed as `&str` right away (`as_deref`).
        let (optional, ty) = match (data.is_plain(member), ty) {
            (true, ty) => (None, ty),
            (false, Ty::Str) => (Some(Borrow::AsDeref), Ty::Text),
            (false, ty) => (Some(Borrow::AsRef), ty),
        };
        let form = match (source, optional) {
            (Source::One, None) => Form::Present(ty),
            (Source::Each, _) => Form::Many(ty),
            _ => Form::Maybe(ty),
        };
        let node = Node::Field {
            of: Box::new(current.node.clone()),
            source,
            member: MemberRef { shape, index },
            optional,
        };
        Ok(Value::new(node, form))
    }

    /// The first step of an `inputOutput` path: the operation's input or output.
    fn input_or_output(&self, name: &str) -> Result<Value, String> {
        match name {
            "input" => Ok(Value::new(
                Node::Input,
                Form::Present(Ty::Shape(self.operation.input)),
            )),
            "output" => Ok(Value::new(
                Node::Output,
                Form::Present(Ty::Shape(self.operation.output)),
            )),
            _ => Err("an inputOutput path starts with `input` or `output`".to_owned()),
        }
    }

    /// The element type of a list (map values for a map), and whether it is a map.
    fn element(&self, shape: ShapeRef) -> Result<(Ty, bool), String> {
        let (target, map) = match &self.service.shape(shape).kind {
            DataKind::List { member, .. } => (member.target, false),
            DataKind::Map { value, .. } => (value.target, true),
            _ => unreachable!("Ty::Collection is a list or map"),
        };
        let ty = self
            .ty_of(target)
            .ok_or("the elements are of a type paths cannot compare")?;
        Ok((ty, map))
    }

    /// `[]` / `[*]`: every element of a list (or value of a map); many values stay as they are.
    fn project(&self, value: Value) -> Result<Value, String> {
        if let Some(selection) = &value.selection {
            if selection.is_hash() {
                return Err(
                    "`[]` projects a list, and a multi-select hash is an object: its values are `.*`"
                        .to_owned(),
                );
            }
            return self.flatten(selection);
        }
        let (shape, source) = match value.form {
            Form::Many(ty) if !matches!(ty, Ty::Collection(_)) => return Ok(value),
            Form::Present(Ty::Collection(shape)) => (shape, Source::One),
            Form::Maybe(Ty::Collection(shape)) => (shape, Source::Optional),
            Form::Many(Ty::Collection(shape)) => (shape, Source::Each),
            _ => return Err("a projection needs a list".to_owned()),
        };
        let (ty, map) = self.element(shape)?;
        let node = Node::Elements {
            of: Box::new(value.node),
            source,
            map,
        };
        Ok(Value::new(node, Form::Many(ty)))
    }

    fn filter(&self, list: &Expr, condition: &Expr, current: &Value) -> Result<Value, String> {
        let items = self.project(self.compile(list, current)?)?;
        let Form::Many(ty) = items.form else {
            unreachable!("a projection is many values")
        };
        let condition = self.condition(condition, &Value::new(Node::Item, Form::Present(ty)))?;
        let node = Node::Filter {
            items: Box::new(items.node),
            condition: Box::new(condition),
        };
        Ok(Value::new(node, Form::Many(ty)))
    }

    fn index(&self, value: Value, index: i64) -> Result<Value, String> {
        if let Some(selection) = &value.selection {
            return self.selected_index(selection, index);
        }
        let (shape, optional) = match value.form {
            Form::Present(Ty::Collection(shape)) => (shape, false),
            Form::Maybe(Ty::Collection(shape)) => (shape, true),
            _ => return Err("an index needs a list".to_owned()),
        };
        let (ty, map) = self.element(shape)?;
        if map {
            return Err("an index needs a list, not a map".to_owned());
        }
        let node = Node::Index {
            of: Box::new(value.node),
            optional,
            index,
        };
        Ok(Value::new(node, Form::Maybe(ty)))
    }

    fn contains(&self, list: &Expr, item: &Expr, current: &Value) -> Result<Value, String> {
        let (list, item) = (self.compile(list, current)?, self.compile(item, current)?);
        let items = self.project(list)?;
        let Form::Many(ty @ (Ty::Str | Ty::Text | Ty::Enum)) = items.form else {
            return Err("contains() takes a list of strings".to_owned());
        };
        Ok(flag(Node::Contains {
            items: Box::new(items.node),
            as_str: ty != Ty::Text,
            item: Box::new(text(item)?),
        }))
    }

    /// A condition: a computed flag, a set boolean, or a value that is there.
    fn condition(&self, expr: &Expr, current: &Value) -> Result<Truth, String> {
        let value = self.compile(expr, current)?;
        Ok(match value.form {
            Form::Selection {
                source: Source::One,
                ..
            } => Truth::Always,
            Form::Selection {
                source: Source::Optional,
                ..
            } => Truth::IsSet(value.node),
            Form::Selection {
                source: Source::Each,
                ..
            } => return Err("many multi-selects are not a condition".to_owned()),
            Form::Flag => Truth::Computed(value.node),
            Form::Present(Ty::Bool) => Truth::Present(value.node),
            Form::Maybe(Ty::Bool) => Truth::OptionalBoolean(value.node),
            Form::Maybe(_) => Truth::IsSet(value.node),
            Form::Present(_) | Form::Text => Truth::Always,
            Form::Many(_) | Form::Number => return Err("this is not a condition".to_owned()),
        })
    }

    /// The matcher's test of `value` against `expected`.
    fn test(&self, value: Value, expected: &str, comparator: Comparator) -> Result<Test, String> {
        let expected_text = expected.to_owned();
        Ok(match comparator {
            Comparator::StringEquals => Test::TextIs(text(value)?, expected_text),
            Comparator::BooleanEquals => {
                let expected = expected == "true";
                if value.form == Form::Flag {
                    Test::ConditionIs(value.node, expected)
                } else {
                    let flag = boolean(value).ok_or("booleanEquals needs a boolean")?;
                    Test::BooleanIs(flag, expected)
                }
            }
            Comparator::AllStringEquals | Comparator::AnyStringEquals => {
                if let Form::Selection { source, hash } = value.form {
                    if source == Source::Each || hash || comparator == Comparator::AllStringEquals {
                        return Err("a multi-select is compared as a list of strings only by \
                             anyStringEquals: flatten it with `[]` (which skips unset items)"
                            .to_owned());
                    }
                }
                let items = self.project(value)?;
                let Form::Many(ty @ (Ty::Str | Ty::Text | Ty::Enum)) = items.form else {
                    return Err(
                        "allStringEquals and anyStringEquals need a list of strings".to_owned()
                    );
                };
                let as_str = ty != Ty::Text;
                if comparator == Comparator::AnyStringEquals {
                    Test::AnyTextIs(items.node, as_str, expected_text)
                } else {
                    Test::AllTextsAre(items.node, as_str, expected_text)
                }
            }
        })
    }
}
