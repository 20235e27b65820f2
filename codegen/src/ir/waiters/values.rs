//! The values a waiter path's steps compute while it is checked: their Rust form, the
//! conversions between forms and the comparisons.

use super::jmespath::{Comparison, Expr};
use super::paths::{BooleanOf, Length, Node, NumberOf, Operands, Source, TextOf};
use crate::ir::ShapeRef;

/// What a step reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ty {
    Shape(ShapeRef),
    Collection(ShapeRef),
    /// A `String`.
    Str,
    /// A string already borrowed as `&str` (an optional string member, read with `as_deref`).
    Text,
    Enum,
    Bool,
    Number,
    InputOutput,
}

/// The Rust form of a checked node.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Form {
    /// A value that is there.
    Present(Ty),
    /// An `Option<&T>`.
    Maybe(Ty),
    /// An iterator of `&T`.
    Many(Ty),
    /// A computed `bool`.
    Flag,
    /// A computed `Option<f64>`.
    Number,
    /// A literal string.
    Text,
    /// A multi-select list or hash of each value `source` gives; its items are in
    /// [`Value::selection`], compiled where the selection is used.
    Selection {
        /// How many values the items are read from.
        source: Source,
        /// A hash (an object), not a list.
        hash: bool,
    },
}

/// A checked node with its form.
#[derive(Clone)]
pub(super) struct Value {
    pub(super) node: Node,
    pub(super) form: Form,
    pub(super) selection: Option<Box<Selection>>,
}

impl Value {
    pub(super) fn new(node: Node, form: Form) -> Self {
        Self {
            node,
            form,
            selection: None,
        }
    }
}

/// A multi-select: the value(s) its items are read from and the items (with their keys in a
/// hash). An index or a key compiles one item against `current`; a flattening, all of them.
#[derive(Clone)]
pub(super) struct Selection {
    pub(super) current: Value,
    pub(super) items: Vec<(Option<String>, Expr)>,
}

impl Selection {
    pub(super) fn is_hash(&self) -> bool {
        self.items.first().is_some_and(|(key, _)| key.is_some())
    }
}

/// An item of a multi-select as an `Option<&T>`, strings and enums as `Option<&str>`.
pub(super) fn as_option(value: Value) -> Result<(Node, Ty), String> {
    let as_str = |present| Node::AsStr {
        of: Box::new(value.node.clone()),
        present,
    };
    Ok(match value.form {
        Form::Present(Ty::Str | Ty::Enum) => (as_str(true), Ty::Text),
        Form::Maybe(Ty::Str | Ty::Enum) => (as_str(false), Ty::Text),
        Form::Maybe(ty @ (Ty::Text | Ty::Shape(_) | Ty::Collection(_) | Ty::Bool)) => {
            (value.node, ty)
        }
        Form::Present(ty @ (Ty::Shape(_) | Ty::Collection(_) | Ty::Bool)) => {
            (Node::Some(Box::new(value.node)), ty)
        }
        _ => {
            return Err(
                "the values of a multi-select or of `.*` must be strings, enums, \
                 booleans, structures or collections"
                    .to_owned(),
            )
        }
    })
}

pub(super) fn flag(node: Node) -> Value {
    Value::new(node, Form::Flag)
}

pub(super) fn literal_value(literal: &serde_json::Value) -> Result<Value, String> {
    Ok(match literal {
        serde_json::Value::String(text) => Value::new(Node::Text(text.clone()), Form::Text),
        serde_json::Value::Bool(value) => flag(Node::Flag(*value)),
        serde_json::Value::Number(number) => Value::new(
            Node::Number(number.as_f64().unwrap_or_default()),
            Form::Number,
        ),
        _ => return Err("only string, number and boolean literals are supported".to_owned()),
    })
}

pub(super) fn length(value: Value) -> Result<Value, String> {
    if let Some(selection) = &value.selection {
        let count = selection.items.len();
        let counted = match value.form {
            Form::Selection {
                source: Source::One,
                ..
            } => return Ok(Value::new(Node::Number(count as f64), Form::Number)),
            Form::Selection {
                source: Source::Optional,
                ..
            } => Length::Selection(value.node, count),
            _ => Length::Count(value.node),
        };
        return Ok(Value::new(Node::Length(Box::new(counted)), Form::Number));
    }
    let counted = match value.form {
        Form::Many(_) => Length::Count(value.node),
        Form::Present(Ty::Collection(_)) => Length::Collection(value.node),
        Form::Maybe(Ty::Collection(_)) => Length::OptionalCollection(value.node),
        Form::Present(Ty::Str | Ty::Text) => Length::Chars(value.node),
        Form::Maybe(Ty::Str | Ty::Text) => Length::OptionalChars(value.node),
        _ => return Err("length() needs a list, a map or a string".to_owned()),
    };
    Ok(Value::new(Node::Length(Box::new(counted)), Form::Number))
}

/// An `Option<&str>` of a string value.
pub(super) fn text(value: Value) -> Result<TextOf, String> {
    Ok(match (value.form, value.node) {
        (Form::Text, Node::Text(text)) => TextOf::Literal(text),
        (Form::Maybe(Ty::Text), node) => TextOf::Borrowed(node),
        (Form::Present(ty @ (Ty::Str | Ty::Text | Ty::Enum)), node) => {
            TextOf::Present(node, ty != Ty::Text)
        }
        (Form::Maybe(Ty::Str | Ty::Enum), node) => TextOf::Optional(node),
        _ => return Err("a string is compared with something that is not one".to_owned()),
    })
}

/// An `Option<f64>` of a numeric value.
pub(super) fn number(value: &Value) -> Option<NumberOf> {
    let node = value.node.clone();
    Some(match value.form {
        Form::Number => NumberOf::Computed(node),
        Form::Present(Ty::Number) => NumberOf::Present(node),
        Form::Maybe(Ty::Number) => NumberOf::Optional(node),
        _ => return None,
    })
}

/// An `Option<bool>` of a boolean value.
pub(super) fn boolean(value: Value) -> Option<BooleanOf> {
    Some(match value.form {
        Form::Flag => BooleanOf::Computed(value.node),
        Form::Present(Ty::Bool) => BooleanOf::Present(value.node),
        Form::Maybe(Ty::Bool) => BooleanOf::Optional(value.node),
        _ => return None,
    })
}

/// A comparison: numbers in any order, else booleans or strings for (in)equality.
pub(super) fn compare(left: Value, comparison: Comparison, right: Value) -> Result<Value, String> {
    if let (Some(left), Some(right)) = (number(&left), number(&right)) {
        return Ok(flag(Node::Compare(
            Box::new(Operands::Numbers(left, right)),
            comparison,
        )));
    }
    if !matches!(comparison, Comparison::Equal | Comparison::NotEqual) {
        return Err("only numbers are ordered".to_owned());
    }
    let operands = match (boolean(left.clone()), boolean(right.clone())) {
        (Some(left), Some(right)) => Operands::Booleans(left, right),
        _ => Operands::Texts(text(left)?, text(right)?),
    };
    Ok(flag(Node::Compare(Box::new(operands), comparison)))
}
