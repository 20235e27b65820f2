//! Waiter paths checked against the shapes they walk: each JMESPath step of an acceptor
//! typed (a value that is there, an optional one, many, a condition, a number, a literal)
//! and each conversion and comparison decided, so that rendering them cannot fail.

use super::jmespath::Comparison;
use crate::ir::ShapeRef;

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
