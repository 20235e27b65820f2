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

fn test_of(
    path: &str,
    expected: &str,
    comparator: &str,
) -> Result<crate::ir::waiters::paths::Test, String> {
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
    use crate::ir::waiters::paths::{BooleanOf, Borrow, Node, Source, Test, TextOf};
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
    use crate::ir::waiters::paths::{Length, Node, Operands, Test};
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
        (
            crate::ir::waiters::paths::Source::Each,
            Some(crate::ir::waiters::paths::Borrow::AsDeref),
            false
        )
    );
    assert!(matches!(*of, Node::Elements { map: false, .. }));
    let Ok(Test::ConditionIs(Node::Compare(operands, _), true)) = test_of(
        "length(Items[?State == 'on']) > `1`",
        "true",
        "booleanEquals",
    ) else {
        panic!("a comparison of numbers")
    };
    let Operands::Numbers(crate::ir::waiters::paths::NumberOf::Computed(Node::Length(counted)), _) =
        *operands
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
    use crate::ir::waiters::paths::{Length, Node, NumberOf, Operands, Source, Test};
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
            optional: Some(crate::ir::waiters::paths::Borrow::AsDeref),
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
    let NumberOf::Computed(Node::Length(counted)) = lengths("length(Items[].[State]) > `0`") else {
        panic!("a counted length")
    };
    assert!(matches!(*counted, Length::Count(Node::Elements { .. })));
    assert!(matches!(
        test_of("{n: Name}.n", "x", "stringEquals"),
        Ok(Test::TextIs(
            crate::ir::waiters::paths::TextOf::Borrowed(Node::Field { .. }),
            _
        ))
    ));
    assert!(matches!(
        test_of("[Count, Name][-1]", "x", "stringEquals"),
        Ok(Test::TextIs(
            crate::ir::waiters::paths::TextOf::Borrowed(Node::Field { .. }),
            _
        ))
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
