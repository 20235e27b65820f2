//! README.md's paragraph of benchmark figures, made from BENCHMARKS.md alone: `cargo xtask
//! bench` writes it after a run, and a test checks that the README still says what
//! BENCHMARKS.md says, so no figure in it is typed by hand.

use std::collections::BTreeMap;

/// The line before the paragraph in README.md.
pub const START: &str =
    "<!-- figures made from BENCHMARKS.md by `cargo xtask bench`; a test checks them -->";
/// The line after it.
pub const END: &str = "<!-- end of the figures made from BENCHMARKS.md -->";

/// The cells of BENCHMARKS.md's table rows, by their first cell.
fn rows(benchmarks: &str) -> BTreeMap<&str, Vec<&str>> {
    benchmarks
        .lines()
        .filter(|line| line.starts_with("| ") && !line.starts_with("|---"))
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            Some((*cells.first()?, cells[1..].to_vec()))
        })
        .collect()
}

/// The cell `column` (counted after the label) of the row `label`.
fn cell<'a>(
    rows: &BTreeMap<&str, Vec<&'a str>>,
    label: &str,
    column: usize,
) -> Result<&'a str, String> {
    rows.get(label)
        .and_then(|cells| cells.get(column))
        .copied()
        .ok_or_else(|| {
            format!(
                "BENCHMARKS.md has no `{label}` row with {} cells",
                column + 1
            )
        })
}

/// A number cell of the row `label`.
fn number(rows: &BTreeMap<&str, Vec<&str>>, label: &str, column: usize) -> Result<f64, String> {
    let text = cell(rows, label, column)?;
    text.parse()
        .map_err(|_| format!("BENCHMARKS.md's `{label}` row holds `{text}`, not a number"))
}

/// The paragraph, from BENCHMARKS.md's text.
pub fn paragraph(benchmarks: &str) -> Result<String, String> {
    let rows = rows(benchmarks);
    let (to_aws, to_floor) = (3, 4);
    let ratio = |label: &str, column: usize| cell(&rows, label, column);
    let build = |program: &str| -> Result<(f64, f64, f64), String> {
        Ok((
            number(&rows, program, 0)?,
            number(&rows, program, 1)?,
            number(&rows, program, 2)?,
        ))
    };
    let ours = build("minimal-ours")?;
    let default = build("minimal-aws-default")?;
    let lean = build("minimal-aws-lean")?;
    let floor = build("minimal-floor")?;
    let big_model = benchmarks
        .split("Ours/aws per operation: **")
        .nth(1)
        .and_then(|rest| rest.split("**").next())
        .ok_or("BENCHMARKS.md has no big-model ratio (`Ours/aws per operation`)")?;
    Ok(format!(
        "Ours against aws-sdk-ivschat: client CPU per GetRoom {}, against the floor {}; per \
         CreateRoom {}; GetRoom latency {}; requests per second with 64 in flight {}, against the \
         floor {}; client CPU per ListRooms page of 50 rooms {}, per 1 MB page {}; peak RSS after \
         the GetRoom run {}, against the floor {}. The minimal program (a client from configuration, one GetRoom) \
         builds clean in {:.1} s against {:.1} s for aws-sdk-ivschat with its default features \
         ({:.2}x) and {:.1} s with its leanest ({:.2}x), the floor in {:.1} s; {} crates against \
         {} and {}; a {:.2} MB binary against {:.2} MB and {:.2} MB. The crate generated for \
         Amazon Connect compiles its own unit in {big_model} of aws-sdk-connect's time per \
         operation.",
        ratio("GetRoom client CPU per request (us)", to_aws)?,
        ratio("GetRoom client CPU per request (us)", to_floor)?,
        ratio("CreateRoom client CPU per request (us)", to_aws)?,
        ratio("GetRoom latency, mean (us)", to_aws)?,
        ratio("GetRoom, 64 in flight (requests/s)", to_aws)?,
        ratio("GetRoom, 64 in flight (requests/s)", to_floor)?,
        ratio("ListRooms client CPU per page of 50 rooms (us)", to_aws)?,
        ratio("ListRooms client CPU per 1 MB page (50 rooms, 50 tags each) (us)", to_aws)?,
        ratio("peak RSS after GetRoom run (KB)", to_aws)?,
        ratio("peak RSS after GetRoom run (KB)", to_floor)?,
        ours.0,
        default.0,
        ours.0 / default.0,
        lean.0,
        ours.0 / lean.0,
        floor.0,
        ours.1,
        default.1,
        lean.1,
        ours.2,
        default.2,
        lean.2,
    ))
}

/// README.md's text with the paragraph between [`START`] and [`END`] made anew from
/// `benchmarks`.
pub fn with_paragraph(readme: &str, benchmarks: &str) -> Result<String, String> {
    let (before, rest) = readme
        .split_once(START)
        .ok_or("README.md has no line marking the start of the benchmark figures")?;
    let (_, after) = rest
        .split_once(END)
        .ok_or("README.md has no line marking the end of the benchmark figures")?;
    Ok(format!(
        "{before}{START}\n{}\n{END}{after}",
        paragraph(benchmarks)?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BENCHMARKS: &str = "\
| figure | ours | aws-sdk-ivschat | floor | ours/aws | ours/floor |
|---|---|---|---|---|---|
| CreateRoom client CPU per request (us) | 1 | 2 | 1 | 0.43x (0.4-0.5) | 1.57x (1.5-1.6) |
| GetRoom latency, mean (us) | 1 | 2 | 1 | 0.44x (0.4-0.5) | 1.43x (1.4-1.5) |
| GetRoom client CPU per request (us) | 1 | 2 | 1 | 0.40x (0.4-0.5) | 1.42x (1.4-1.5) |
| GetRoom, 64 in flight (requests/s) | 1 | 2 | 1 | 4.92x (4.5-5.0) | unresolved (0.50-0.90x) |
| ListRooms client CPU per page of 50 rooms (us) | 1 | 2 | 1 | 0.59x (0.5-0.6) | 2.96x (2.9-3.0) |
| ListRooms client CPU per 1 MB page (50 rooms, 50 tags each) (us) | 1 | 2 | 1 | 0.49x (0.4-0.5) | 1.48x (1.4-1.5) |
| peak RSS after GetRoom run (KB) | 1 | 2 | 1 | 0.72x (0.7-0.8) | 1.83x (1.8-1.9) |

| program | clean build (s) | crates (`cargo tree -e normal`) | binary (MB) |
|---|---|---|---|
| minimal-ours | 77.2 | 68 | 4.75 |
| minimal-aws-default | 226.3 | 159 | 14.32 |
| minimal-aws-lean | 172.5 | 135 | 10.30 |
| minimal-floor | 50.3 | 60 | 2.85 |

Ours/aws per operation: **0.44x**. Codegen
";

    #[test]
    fn the_paragraph_quotes_the_tables_and_says_which_sdk_setup() {
        let text = paragraph(BENCHMARKS).unwrap();
        assert!(
            text.contains(
                "client CPU per GetRoom 0.40x (0.4-0.5), against the floor 1.42x (1.4-1.5);"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "with 64 in flight 4.92x (4.5-5.0), against the floor unresolved (0.50-0.90x);"
            ),
            "{text}"
        );
        assert!(text.contains("builds clean in 77.2 s against 226.3 s for aws-sdk-ivschat with its default features (0.34x) and 172.5 s with its leanest (0.45x)"), "{text}");
        assert!(
            text.contains("68 crates against 159 and 135; a 4.75 MB binary"),
            "{text}"
        );
        assert!(
            text.ends_with("in 0.44x of aws-sdk-connect's time per operation."),
            "{text}"
        );
    }

    #[test]
    fn a_missing_row_is_named() {
        let error = paragraph("| minimal-ours | 1 | 2 | 3 |").unwrap_err();
        assert!(error.contains("no `minimal-aws-default` row"), "{error}");
    }

    #[test]
    fn the_readme_paragraph_between_the_markers_is_replaced() {
        let readme = format!("# R\n{START}\nold figures\n{END}\nrest\n");
        let updated = with_paragraph(&readme, BENCHMARKS).unwrap();
        assert!(updated.starts_with(&format!("# R\n{START}\nOurs against")));
        assert!(updated.ends_with(&format!("operation.\n{END}\nrest\n")));
    }
}
