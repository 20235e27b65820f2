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
}

/// A checked node with its form.
#[derive(Clone)]
struct Value {
    node: Node,
    form: Form,
}

impl Value {
    fn new(node: Node, form: Form) -> Self {
        Self { node, form }
    }
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
