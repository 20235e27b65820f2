//! Object projections (`.*`) and multi-selects (`[a, b]`, `{k: a}`) checked: the items, a key
//! or index picked from them, their flattening.

use super::Checker;
use crate::ir::waiters::jmespath::Expr;
use crate::ir::waiters::paths::{Node, Source};
use crate::ir::waiters::values::{as_option, Form, Selection, Ty, Value};
use crate::ir::DataKind;

impl Checker<'_> {
    /// `.*`: the values of a map, the members of a structure (all of one type) or the values
    /// of a multi-select hash, as many values.
    pub(super) fn values(&self, value: Value) -> Result<Value, String> {
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
    pub(super) fn select(
        &self,
        current: Value,
        items: Vec<(Option<String>, Expr)>,
    ) -> Result<Value, String> {
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
    pub(super) fn selected_key(&self, selection: &Selection, name: &str) -> Result<Value, String> {
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
    pub(super) fn selected_index(
        &self,
        selection: &Selection,
        index: i64,
    ) -> Result<Value, String> {
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
    pub(super) fn flatten(&self, selection: &Selection) -> Result<Value, String> {
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
