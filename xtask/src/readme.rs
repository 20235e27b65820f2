//! README figures that come from a run, never typed by hand: a table row (found by the text
//! it starts with) is compared with the row a command computed, and rewritten when asked.

use std::path::Path;

/// `readme` with the table row that starts with `key` replaced by `row`; an error when no row
/// or more than one starts with it.
pub fn replace_row(readme: &str, key: &str, row: &str) -> Result<String, String> {
    let matching = readme.lines().filter(|line| line.starts_with(key)).count();
    if matching != 1 {
        return Err(format!(
            "README.md has {matching} rows starting with `{key}`, not one"
        ));
    }
    let mut replaced: Vec<&str> = readme
        .lines()
        .map(|line| if line.starts_with(key) { row } else { line })
        .collect();
    if readme.ends_with('\n') {
        replaced.push("");
    }
    Ok(replaced.join("\n"))
}

/// Checks that README.md under `root` holds `row` (the row starting with `key`), or rewrites
/// it when `update`; a stale row is an error that shows the row expected and the command that
/// rewrites it.
pub fn sync_row(
    root: &Path,
    key: &str,
    row: &str,
    update: bool,
    command: &str,
) -> Result<(), String> {
    let path = root.join("README.md");
    let readme = std::fs::read_to_string(&path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    let replaced = replace_row(&readme, key, row)?;
    if replaced == readme {
        return Ok(());
    }
    if update {
        return crate::atomic::write(&path, replaced.as_bytes());
    }
    Err(format!(
        "README.md's row `{key}` does not match this run; expected:\n{row}\n(`{command}` rewrites it)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_one_row_with_the_key_is_replaced() {
        let readme = "# T\n| a | 1 |\n| b | 2 |\n";
        assert_eq!(
            replace_row(readme, "| b |", "| b | 3 |").unwrap(),
            "# T\n| a | 1 |\n| b | 3 |\n"
        );
        assert!(replace_row(readme, "| c |", "| c | 1 |")
            .unwrap_err()
            .contains("0 rows"));
        assert!(replace_row("| b | 1 |\n| b | 2 |\n", "| b |", "x")
            .unwrap_err()
            .contains("2 rows"));
    }
}
