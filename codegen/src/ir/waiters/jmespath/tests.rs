use super::*;

fn field(name: &str) -> Box<Expr> {
    Box::new(Expr::Field(name.to_owned()))
}

#[test]
fn the_waiter_paths_of_aws_models_parse() {
    assert_eq!(
        parse("Table.TableStatus").unwrap(),
        Expr::Pipe(field("Table"), field("TableStatus"))
    );
    assert_eq!(
        parse("length(MetricAlarms[]) > `0`").unwrap(),
        Expr::Compare(
            Box::new(Expr::Function(
                "length".to_owned(),
                vec![Expr::Project(field("MetricAlarms"))]
            )),
            Comparison::Greater,
            Box::new(Expr::Literal(serde_json::json!(0))),
        )
    );
    assert!(matches!(
        parse("Reservations[].Instances[].State.Name").unwrap(),
        Expr::Pipe(..)
    ));
    assert!(parse("Items[?Status == 'failed'] | length(@)").is_err());
    assert!(matches!(
        parse("Items[?Status == 'failed']").unwrap(),
        Expr::Filter(..)
    ));
    assert!(matches!(parse("!(a && b) || c[0]").unwrap(), Expr::Or(..)));
}

#[test]
fn multi_selects_object_projections_and_flattening_parse() {
    let select = |of: Expr, items: &[&str]| {
        Expr::SelectList(
            Box::new(of),
            items
                .iter()
                .map(|item| Expr::Field((*item).to_owned()))
                .collect(),
        )
    };
    assert_eq!(
        parse("a[].[b, c][]").unwrap(),
        Expr::Project(Box::new(select(Expr::Project(field("a")), &["b", "c"])))
    );
    assert_eq!(
        parse("a.*.b").unwrap(),
        Expr::Pipe(Box::new(Expr::Values(field("a"))), field("b"))
    );
    assert_eq!(parse("*").unwrap(), Expr::Values(Box::new(Expr::Current)));
    assert_eq!(
        parse("[a, b][0]").unwrap(),
        Expr::Index(Box::new(select(Expr::Current, &["a", "b"])), 0)
    );
    assert_eq!(
        parse("{k: a, l: b}.*").unwrap(),
        Expr::Values(Box::new(Expr::SelectHash(
            Box::new(Expr::Current),
            vec![
                ("k".to_owned(), Expr::Field("a".to_owned())),
                ("l".to_owned(), Expr::Field("b".to_owned())),
            ]
        )))
    );
    // A `[` that starts an expression and is not a multi-select steps into the current value.
    assert_eq!(
        parse("[0]").unwrap(),
        Expr::Index(Box::new(Expr::Current), 0)
    );
    assert!(matches!(parse("[?a]").unwrap(), Expr::Filter(..)));
}

#[test]
fn unsupported_or_broken_expressions_are_errors() {
    assert_eq!(
        parse("{k: a, k: b}").unwrap_err(),
        "the key `k` is selected twice"
    );
    assert_eq!(parse("a.[b").unwrap_err(), "expected `,`, found the end");
    assert_eq!(parse("{: a}").unwrap_err(), "expected a field name");
    assert!(parse(&"[".repeat(100))
        .unwrap_err()
        .contains("nests deeper"));
    assert_eq!(
        parse("sort_by(a, b)").unwrap_err(),
        "the function `sort_by` with 2 arguments is not supported"
    );
    assert_eq!(parse("sort_by(a, &b)").unwrap_err(), "unexpected `&`");
    assert!(parse("a.").unwrap_err().contains("expected a field name"));
    assert!(parse("`{`").unwrap_err().contains("not a JSON literal"));
    assert!(parse(&"(".repeat(100))
        .unwrap_err()
        .contains("nests deeper"));
}
