//! Waiter paths checked against the shapes they walk: each JMESPath step of an acceptor
//! typed (a value that is there, an optional one, many, a condition, a number, a literal)
//! and each conversion and comparison decided, so that rendering them cannot fail.

use super::jmespath::{Comparison, Expr};
use super::waiters::{Comparator, ParsedPath, PathTest};
use super::{DataKind, Operation, Primitive, Service, ShapeRef, Target};

/// A typed reference to a structure's member: the structure and the member's position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemberRef {
    /// The structure.
    pub shape: ShapeRef,
    /// The member's index among the structure's members.
    pub index: usize,
}

/// How many values the step a field or projection applies to gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// One value that is there.
    One,
    /// An `Option<&T>`.
    Optional,
    /// An iterator of `&T`.
    Each,
}

/// How an optional member is borrowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Borrow {
    /// `as_ref()`: `Option<&T>`.
    AsRef,
    /// `as_deref()`: an optional string as `Option<&str>`.
    AsDeref,
}

/// A checked expression, each step's Rust form decided.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// The operation's output.
    Output,
    /// The operation's input.
    Input,
    /// The `{input, output}` root of an `inputOutput` path, as a value.
    InputOutput,
    /// The element a filter is testing.
    Item,
    /// The value a multi-select's items (or `.*`'s members) are read from.
    Selected,
    /// A value that is there, as `Some(&value)`.
    Some(Box<Node>),
    /// A string or enum, as an `Option<&str>`.
    AsStr {
        /// The string or enum.
        of: Box<Node>,
        /// It is there (else an `Option<&T>`).
        present: bool,
    },
    /// The set items of a multi-select list (a hash's values, a structure's members for `.*`)
    /// of each value, as many values.
    Flatten {
        /// The value(s) the items are read from, as [`Node::Selected`].
        of: Box<Node>,
        /// How many values `of` gives.
        source: Source,
        /// The items, each an `Option<&T>`.
        items: Vec<Node>,
    },
    /// A member of a structure. `optional` is how an optional member is borrowed; `None`
    /// for a plain member.
    Field {
        /// The structure value(s).
        of: Box<Node>,
        /// How many structures `of` gives.
        source: Source,
        /// The member read.
        member: MemberRef,
        /// How an optional member is borrowed.
        optional: Option<Borrow>,
    },
    /// `[]` / `[*]`: each element of a list (each value of a map).
    Elements {
        /// The collection(s).
        of: Box<Node>,
        /// How many collections `of` gives.
        source: Source,
        /// The collection is a map.
        map: bool,
    },
    /// `[?condition]`: the elements (already many) for which the condition holds.
    Filter {
        /// The elements.
        items: Box<Node>,
        /// The condition, over [`Node::Item`].
        condition: Box<Truth>,
    },
    /// `[N]` of a list (negative from the end), an `Option<&T>`.
    Index {
        /// The list.
        of: Box<Node>,
        /// The list itself is optional.
        optional: bool,
        /// The index.
        index: i64,
    },
    /// A literal string.
    Text(String),
    /// A literal boolean.
    Flag(bool),
    /// A literal number.
    Number(f64),
    /// A comparison, a `bool`.
    Compare(Box<Operands>, Comparison),
    /// `a && b`.
    And(Box<Truth>, Box<Truth>),
    /// `a || b`.
    Or(Box<Truth>, Box<Truth>),
    /// `!a`.
    Not(Box<Truth>),
    /// `length(x)`, an `Option<f64>`.
    Length(Box<Length>),
    /// `contains(list, value)` over strings or enums, a `bool`.
    Contains {
        /// The elements (many).
        items: Box<Node>,
        /// The elements are strings or enums needing `.as_str()` (not borrowed `&str`).
        as_str: bool,
        /// The value looked for.
        item: Box<TextOf>,
    },
}

/// The two sides of a comparison, converted alike.
#[derive(Clone, Debug, PartialEq)]
pub enum Operands {
    /// As `Option<f64>` (the only ordered comparison).
    Numbers(NumberOf, NumberOf),
    /// As `Option<bool>`.
    Booleans(BooleanOf, BooleanOf),
    /// As `Option<&str>`.
    Texts(TextOf, TextOf),
}

/// How a value becomes an `Option<&str>`.
#[derive(Clone, Debug, PartialEq)]
pub enum TextOf {
    /// A literal.
    Literal(String),
    /// Already an `Option<&str>`.
    Borrowed(Node),
    /// A value that is there; `as_str` unless it is a borrowed `&str`.
    Present(Node, bool),
    /// An `Option<&String>` or `Option<&Enum>`.
    Optional(Node),
}

/// How a value becomes an `Option<f64>`.
#[derive(Clone, Debug, PartialEq)]
pub enum NumberOf {
    /// Already one (a literal or a `length()`).
    Computed(Node),
    /// A number that is there.
    Present(Node),
    /// An optional number.
    Optional(Node),
}

/// How a value becomes an `Option<bool>`.
#[derive(Clone, Debug, PartialEq)]
pub enum BooleanOf {
    /// A computed `bool`.
    Computed(Node),
    /// A boolean that is there.
    Present(Node),
    /// An optional boolean.
    Optional(Node),
}

/// How a value becomes the `bool` of a condition.
#[derive(Clone, Debug, PartialEq)]
pub enum Truth {
    /// A computed `bool`.
    Computed(Node),
    /// A boolean that is there.
    Present(Node),
    /// An optional boolean: true when set and true.
    OptionalBoolean(Node),
    /// Any other optional value: true when set.
    IsSet(Node),
    /// A value that is always there.
    Always,
}

/// What `length()` counts.
#[derive(Clone, Debug, PartialEq)]
pub enum Length {
    /// The values of a projection.
    Count(Node),
    /// A collection that is there.
    Collection(Node),
    /// An optional collection.
    OptionalCollection(Node),
    /// The characters of a string that is there.
    Chars(Node),
    /// The characters of an optional string.
    OptionalChars(Node),
    /// A multi-select of this many items over an optional value.
    Selection(Node, usize),
}

/// What an acceptor's path is compared with, and how.
#[derive(Clone, Debug, PartialEq)]
pub enum Test {
    /// `stringEquals`.
    TextIs(TextOf, String),
    /// `booleanEquals` of a computed condition.
    ConditionIs(Node, bool),
    /// `booleanEquals` of a boolean value.
    BooleanIs(BooleanOf, bool),
    /// `anyStringEquals` over many strings or enums (`as_str` as in [`Node::Contains`]).
    AnyTextIs(Node, bool, String),
    /// `allStringEquals`, at least one value.
    AllTextsAre(Node, bool, String),
}

/// What a step reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
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
enum Form {
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
struct Value {
    node: Node,
    form: Form,
    selection: Option<Box<Selection>>,
}

impl Value {
    fn new(node: Node, form: Form) -> Self {
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
struct Selection {
    current: Value,
    items: Vec<(Option<String>, Expr)>,
}

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

impl Selection {
    fn is_hash(&self) -> bool {
        self.items.first().is_some_and(|(key, _)| key.is_some())
    }
}

/// An item of a multi-select as an `Option<&T>`, strings and enums as `Option<&str>`.
fn as_option(value: Value) -> Result<(Node, Ty), String> {
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

fn flag(node: Node) -> Value {
    Value::new(node, Form::Flag)
}

fn literal_value(literal: &serde_json::Value) -> Result<Value, String> {
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

fn length(value: Value) -> Result<Value, String> {
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
fn text(value: Value) -> Result<TextOf, String> {
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
fn number(value: &Value) -> Option<NumberOf> {
    let node = value.node.clone();
    Some(match value.form {
        Form::Number => NumberOf::Computed(node),
        Form::Present(Ty::Number) => NumberOf::Present(node),
        Form::Maybe(Ty::Number) => NumberOf::Optional(node),
        _ => return None,
    })
}

/// An `Option<bool>` of a boolean value.
fn boolean(value: Value) -> Option<BooleanOf> {
    Some(match value.form {
        Form::Flag => BooleanOf::Computed(value.node),
        Form::Present(Ty::Bool) => BooleanOf::Present(value.node),
        Form::Maybe(Ty::Bool) => BooleanOf::Optional(value.node),
        _ => return None,
    })
}

/// A comparison: numbers in any order, else booleans or strings for (in)equality.
fn compare(left: Value, comparison: Comparison, right: Value) -> Result<Value, String> {
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

#[cfg(test)]
mod tests {
    use crate::smithy::{load_sources, Source};

    /// The IR of a one-operation awsJson service whose `Describe` has the waiter
    /// `Done` with this acceptor; its output has `Flag` (boolean), `Count` (integer),
    /// `Items` (a list of `Item { State: String }`) and `Tags` (a map of strings).
    fn build(acceptor: &str) -> Result<crate::ir::Service, String> {
        let model = format!(
            r#"$version: "2"
namespace t
use aws.protocols#awsJson1_0
use smithy.waiters#waitable
@awsJson1_0
service S {{ version: "1", operations: [Describe] }}
@waitable(Done: {{ acceptors: [{acceptor}] }})
operation Describe {{
    input := {{ Name: String }}
    output := {{ Flag: Boolean, Count: Integer, Items: Items, Tags: Tags, Name: String }}
}}
list Items {{ member: Item }}
structure Item {{ State: String }}
map Tags {{ key: String, value: String }}
"#
        );
        let sources = [Source {
            name: "t.smithy",
            text: &model,
        }];
        let model = load_sources(&sources).map_err(|error| error.to_string())?;
        crate::ir::build(&model, "t.smithy", None).map_err(|error| error.to_string())
    }

    fn test_of(path: &str, expected: &str, comparator: &str) -> Result<super::Test, String> {
        let acceptor = format!(
            r#"{{ state: "success", matcher: {{ output: {{ path: "{path}", expected: "{expected}", comparator: "{comparator}" }} }} }}"#
        );
        let service = build(&acceptor)?;
        match &service.operations[0].waiters[0].acceptors[0].matcher {
            crate::ir::waiters::Matcher::Path(path) => Ok(path.test.clone()),
            other => panic!("not a path matcher: {other:?}"),
        }
    }

    #[test]
    fn optional_members_are_borrowed_and_compared_as_options() {
        use super::{BooleanOf, Borrow, Node, Source, Test, TextOf};
        let Ok(Test::TextIs(
            TextOf::Borrowed(Node::Field {
                of,
                source,
                optional,
                ..
            }),
            text,
        )) = test_of("Name", "x", "stringEquals")
        else {
            panic!("an optional string is read with as_deref")
        };
        assert_eq!(
            (*of, source, optional, text.as_str()),
            (Node::Output, Source::One, Some(Borrow::AsDeref), "x")
        );
        assert!(matches!(
            test_of("Flag", "true", "booleanEquals"),
            Ok(Test::BooleanIs(BooleanOf::Optional(_), true))
        ));
    }

    #[test]
    fn projections_filters_and_lengths_are_typed() {
        use super::{Length, Node, Operands, Test};
        let Ok(Test::AllTextsAre(
            Node::Field {
                of,
                source,
                optional,
                ..
            },
            as_str,
            _,
        )) = test_of("Items[].State", "on", "allStringEquals")
        else {
            panic!("a projection of strings")
        };
        // Optional strings of each element, borrowed as `&str` (no `.as_str()` needed).
        assert_eq!(
            (source, optional, as_str),
            (super::Source::Each, Some(super::Borrow::AsDeref), false)
        );
        assert!(matches!(*of, Node::Elements { map: false, .. }));
        let Ok(Test::ConditionIs(Node::Compare(operands, _), true)) = test_of(
            "length(Items[?State == 'on']) > `1`",
            "true",
            "booleanEquals",
        ) else {
            panic!("a comparison of numbers")
        };
        let Operands::Numbers(super::NumberOf::Computed(Node::Length(counted)), _) = *operands
        else {
            panic!("length() of a filter is counted")
        };
        assert!(matches!(*counted, Length::Count(Node::Filter { .. })));
        // A map's projection is its values.
        assert!(matches!(
            test_of("Tags[]", "x", "anyStringEquals"),
            Ok(Test::AnyTextIs(Node::Elements { map: true, .. }, true, _))
        ));
    }

    #[test]
    fn multi_selects_and_object_projections_are_typed() {
        use super::{Length, Node, NumberOf, Operands, Source, Test};
        // `.*` of a map is its values, like `[*]`.
        assert!(matches!(
            test_of("Tags.*", "x", "anyStringEquals"),
            Ok(Test::AnyTextIs(Node::Elements { map: true, .. }, true, _))
        ));
        // A flattened multi-select of each element: its items read as `Option<&str>`.
        let Ok(Test::AllTextsAre(Node::Flatten { source, items, .. }, false, _)) =
            test_of("Items[].[State, State][]", "on", "allStringEquals")
        else {
            panic!("a flattened multi-select of strings")
        };
        assert_eq!((source, items.len()), (Source::Each, 2));
        // An optional string is already an `Option<&str>`; an output (there) is borrowed.
        assert!(matches!(
            &items[0],
            Node::Field {
                optional: Some(super::Borrow::AsDeref),
                ..
            }
        ));
        let Ok(Test::AnyTextIs(Node::Elements { of, map: true, .. }, _, _)) =
            test_of("[Tags, Tags][].*", "x", "anyStringEquals")
        else {
            panic!("the values of a flattened multi-select of maps")
        };
        let Node::Flatten { items, .. } = *of else {
            panic!("a flattened multi-select")
        };
        assert!(matches!(&items[0], Node::Field { .. }));
        // The length of a multi-select over the output is its item count; over each
        // element, the element count; an index picks the item itself.
        let lengths = |path: &str| match test_of(path, "true", "booleanEquals") {
            Ok(Test::ConditionIs(Node::Compare(operands, _), true)) => match *operands {
                Operands::Numbers(left, _) => left,
                other => panic!("numbers compared: {other:?}"),
            },
            other => panic!("a comparison: {other:?}"),
        };
        assert_eq!(
            lengths("length([Name, Name]) == `2`"),
            NumberOf::Computed(Node::Number(2.0))
        );
        let NumberOf::Computed(Node::Length(counted)) = lengths("length(Items[].[State]) > `0`")
        else {
            panic!("a counted length")
        };
        assert!(matches!(*counted, Length::Count(Node::Elements { .. })));
        assert!(matches!(
            test_of("{n: Name}.n", "x", "stringEquals"),
            Ok(Test::TextIs(super::TextOf::Borrowed(Node::Field { .. }), _))
        ));
        assert!(matches!(
            test_of("[Count, Name][-1]", "x", "stringEquals"),
            Ok(Test::TextIs(super::TextOf::Borrowed(Node::Field { .. }), _))
        ));
    }

    #[test]
    fn multi_selects_that_do_not_fit_are_refused_with_why() {
        let refused = |path: &str, comparator: &str| {
            let error = test_of(path, "x", comparator).expect_err("the path was accepted");
            error
                .rsplit_once("`: ")
                .map(|(_, why)| why.to_owned())
                .unwrap_or(error)
        };
        assert_eq!(
            refused("[Name, Flag][]", "anyStringEquals"),
            "the values of a multi-select or of `.*` differ in type"
        );
        assert_eq!(
            refused("[Name, Count][]", "anyStringEquals"),
            "the values of a multi-select or of `.*` must be strings, enums, booleans, structures or collections"
        );
        assert_eq!(
            refused("Items[].[State]", "anyStringEquals"),
            "a multi-select is compared as a list of strings only by anyStringEquals: flatten it with `[]` (which skips unset items)"
        );
        assert_eq!(
            refused("[Name, Name][2]", "stringEquals"),
            "the index 2 is outside the multi-select list of 2 items"
        );
        assert_eq!(
            refused("{a: Name}[]", "anyStringEquals"),
            "`[]` projects a list, and a multi-select hash is an object: its values are `.*`"
        );
        assert_eq!(
            refused("[Name].*", "anyStringEquals"),
            "`.*` takes an object's values, and a multi-select list is a list: flatten it with `[]`"
        );
        assert_eq!(
            refused("Items.*", "anyStringEquals"),
            "`.*` needs a structure or a map"
        );
        assert_eq!(
            refused("[Items[].State]", "anyStringEquals"),
            "each item of a multi-select must be one member's value"
        );
        assert_eq!(
            refused("{a: Name}.b", "stringEquals"),
            "the multi-select hash has no key `b`"
        );
    }

    #[test]
    fn paths_that_do_not_fit_the_shapes_are_refused_with_why() {
        let refused = |path: &str, comparator: &str| {
            test_of(path, "x", comparator).expect_err("the path was accepted")
        };
        let at = "t.smithy: $.shapes[\"t#Describe\"].traits[\"smithy.waiters#waitable\"]: shape `t#Describe`: waiter `Done`: path";
        assert_eq!(
            refused("Missing", "stringEquals"),
            format!("{at} `Missing`: `DescribeOutput` has no member `Missing`")
        );
        assert_eq!(
            refused("Name < `1`", "booleanEquals"),
            format!("{at} `Name < `1``: only numbers are ordered")
        );
        assert_eq!(
            refused("Count", "stringEquals"),
            format!("{at} `Count`: a string is compared with something that is not one")
        );
        assert_eq!(
            refused("Name", "booleanEquals"),
            format!("{at} `Name`: booleanEquals needs a boolean")
        );
        assert_eq!(
            refused("Items[0]", "stringEquals"),
            format!("{at} `Items[0]`: a string is compared with something that is not one")
        );
        assert_eq!(
            refused("Tags[0]", "stringEquals"),
            format!("{at} `Tags[0]`: an index needs a list, not a map")
        );
        assert_eq!(
            refused("contains(Items, 'x')", "booleanEquals"),
            format!("{at} `contains(Items, 'x')`: contains() takes a list of strings")
        );
        assert_eq!(
            refused("Items[]", "booleanEquals"),
            format!("{at} `Items[]`: booleanEquals needs a boolean")
        );
    }
}
