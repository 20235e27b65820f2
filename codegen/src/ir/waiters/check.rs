//! Checks a waiter's parsed path against the shapes it walks: each JMESPath step typed (a
//! value that is there, an optional one, many, a condition, a number, a literal) and each
//! conversion and comparison decided, so that rendering them cannot fail.

#[cfg(test)]
mod tests;

use super::jmespath::Expr;
use super::paths::{Borrow, MemberRef, Node, Source, Test, Truth};
use super::values::{
    as_option, boolean, compare, flag, length, literal_value, text, Form, Selection, Ty, Value,
};
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
            return match name {
                "input" => Ok(Value::new(
                    Node::Input,
                    Form::Present(Ty::Shape(self.operation.input)),
                )),
                "output" => Ok(Value::new(
                    Node::Output,
                    Form::Present(Ty::Shape(self.operation.output)),
                )),
                _ => Err("an inputOutput path starts with `input` or `output`".to_owned()),
            };
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

    /// `.*`: the values of a map, the members of a structure (all of one type) or the values
    /// of a multi-select hash, as many values.
    fn values(&self, value: Value) -> Result<Value, String> {
        if let Some(selection) = &value.selection {
            if !selection.is_hash() {
                return Err(
                    "`.*` takes an object's values, and a multi-select list is a list: flatten it \
                     with `[]`"
                        .to_owned(),
                );
            }
            return self.flatten(selection);
        }
        let (Form::Present(ty) | Form::Maybe(ty) | Form::Many(ty)) = value.form else {
            return Err("`.*` needs a structure or a map".to_owned());
        };
        match ty {
            Ty::Collection(shape)
                if matches!(self.service.shape(shape).kind, DataKind::Map { .. }) =>
            {
                self.project(value)
            }
            Ty::Shape(shape) => {
                let DataKind::Structure(members) = &self.service.shape(shape).kind else {
                    return Err("`.*` over a union is not supported".to_owned());
                };
                let items = members
                    .iter()
                    .map(|member| {
                        let name = member.wire_name.clone();
                        (Some(name.clone()), Expr::Field(name))
                    })
                    .collect();
                self.flatten(&Selection {
                    current: value,
                    items,
                })
            }
            _ => Err("`.*` needs a structure or a map".to_owned()),
        }
    }

    /// `value.[a, b]` or `value.{k: a}`: each item must be one value read from `value`.
    fn select(&self, current: Value, items: Vec<(Option<String>, Expr)>) -> Result<Value, String> {
        let (source, ty) = match current.form {
            Form::Present(Ty::InputOutput) => {
                return Err(
                    "a multi-select over the inputOutput root is not supported: select from \
                     `input` or `output`"
                        .to_owned(),
                )
            }
            Form::Present(ty) => (Source::One, ty),
            Form::Maybe(ty) => (Source::Optional, ty),
            Form::Many(ty) => (Source::Each, ty),
            _ => return Err("a multi-select needs a value, not a computed one".to_owned()),
        };
        let selected = Value::new(Node::Selected, Form::Present(ty));
        for (_, item) in &items {
            let value = self.compile(item, &selected)?;
            if !matches!(value.form, Form::Present(_) | Form::Maybe(_)) || value.selection.is_some()
            {
                return Err("each item of a multi-select must be one member's value".to_owned());
            }
        }
        let hash = items.first().is_some_and(|(key, _)| key.is_some());
        Ok(Value {
            node: current.node.clone(),
            form: Form::Selection { source, hash },
            selection: Some(Box::new(Selection { current, items })),
        })
    }

    /// `{k: a}.k`: the item of key `name`.
    fn selected_key(&self, selection: &Selection, name: &str) -> Result<Value, String> {
        if !selection.is_hash() {
            return Err(format!("`{name}` is asked of a multi-select list"));
        }
        let (_, item) = selection
            .items
            .iter()
            .find(|(key, _)| key.as_deref() == Some(name))
            .ok_or_else(|| format!("the multi-select hash has no key `{name}`"))?;
        self.compile(item, &selection.current)
    }

    /// `[a, b][N]`: item N (negative from the end).
    fn selected_index(&self, selection: &Selection, index: i64) -> Result<Value, String> {
        if selection.is_hash() {
            return Err("an index needs a list, not a multi-select hash".to_owned());
        }
        let count = selection.items.len();
        let position = if index < 0 {
            usize::try_from(index.unsigned_abs())
                .ok()
                .and_then(|back| count.checked_sub(back))
        } else {
            usize::try_from(index)
                .ok()
                .filter(|position| *position < count)
        };
        let position = position.ok_or_else(|| {
            format!("the index {index} is outside the multi-select list of {count} items")
        })?;
        self.compile(&selection.items[position].1, &selection.current)
    }

    /// The set items of a multi-select (or members of a structure), of each value it reads
    /// from, as many values of one type: strings and enums as `&str`.
    fn flatten(&self, selection: &Selection) -> Result<Value, String> {
        let current = &selection.current;
        let (source, ty) = match current.form {
            Form::Present(ty) => (Source::One, ty),
            Form::Maybe(ty) => (Source::Optional, ty),
            Form::Many(ty) => (Source::Each, ty),
            _ => unreachable!("a selection reads from values"),
        };
        let selected = Value::new(Node::Selected, Form::Present(ty));
        let mut common = None;
        let mut items = Vec::new();
        for (_, item) in &selection.items {
            let (node, ty) = as_option(self.compile(item, &selected)?)?;
            if common.is_some_and(|common| common != ty) {
                return Err("the values of a multi-select or of `.*` differ in type".to_owned());
            }
            common = Some(ty);
            items.push(node);
        }
        let ty = common.ok_or("`.*` over a structure without members")?;
        let node = Node::Flatten {
            of: Box::new(current.node.clone()),
            source,
            items,
        };
        Ok(Value::new(node, Form::Many(ty)))
    }
}
