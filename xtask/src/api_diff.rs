//! The API change between two `API.md` listings (see `ivschat_codegen`'s `api_listing`):
//! items added and removed, which of them break callers, and the version bump that implies.

use std::collections::BTreeSet;

use ivschat_codegen::api_listing::BLOCK_START;

/// The items of a listing: the lines of its text block.
pub fn items(listing: &str) -> BTreeSet<String> {
    listing
        .lines()
        .skip_while(|line| *line != BLOCK_START)
        .skip(1)
        .take_while(|line| !line.starts_with("```"))
        .map(str::to_owned)
        .collect()
}

/// What changed, each line an item of the listing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Change {
    /// Items only the new listing has.
    pub added: Vec<String>,
    /// Items only the old listing has (a changed item is removed and added).
    pub removed: Vec<String>,
    /// The added or removed items that break callers.
    pub breaking: Vec<String>,
}

/// The change from `old` to `new`. Breaking: any removed or changed item, and a required
/// member added to an operation input that existed (callers must now set it). New operations,
/// shapes, optional members, enum values and union variants are not (enums and unions are
/// `#[non_exhaustive]`).
pub fn diff(old: &str, new: &str) -> Change {
    let (old, new) = (items(old), items(new));
    let removed: Vec<String> = old.difference(&new).cloned().collect();
    let added: Vec<String> = new.difference(&old).cloned().collect();
    let new_required_input = |line: &&String| {
        let Some(rest) = line.strip_prefix("field ") else {
            return false;
        };
        let owner = rest.split('.').next().unwrap_or_default();
        line.ends_with(" required")
            && owner.ends_with("Input")
            && old.contains(&format!("struct {owner}"))
    };
    let breaking = removed
        .iter()
        .chain(added.iter().filter(new_required_input))
        .cloned()
        .collect();
    Change {
        added,
        removed,
        breaking,
    }
}

impl Change {
    /// The version after this change, by semver (before 1.0, a breaking change bumps the
    /// minor version and anything else the patch).
    pub fn bump(&self, version: &str) -> String {
        let mut parts = version
            .split('.')
            .map(|part| part.parse::<u64>().unwrap_or(0));
        let (major, minor, patch) = (
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
        );
        let breaking = !self.breaking.is_empty();
        let changed = breaking || !self.added.is_empty();
        match (major, breaking, changed) {
            (_, _, false) => version.to_owned(),
            (0, true, _) => format!("0.{}.0", minor + 1),
            (0, false, _) => format!("0.{minor}.{}", patch + 1),
            (_, true, _) => format!("{}.0.0", major + 1),
            (_, false, _) => format!("{major}.{}.0", minor + 1),
        }
    }

    /// The summary printed after a model update.
    pub fn report(&self, version: &str) -> String {
        let mut lines = vec![format!(
            "API change: {} added, {} removed, {} breaking",
            self.added.len(),
            self.removed.len(),
            self.breaking.len()
        )];
        let mark = |item: &String| match self.breaking.contains(item) {
            true => " (breaking)",
            false => "",
        };
        lines.extend(
            self.removed
                .iter()
                .map(|item| format!("- {item}{}", mark(item))),
        );
        lines.extend(
            self.added
                .iter()
                .map(|item| format!("+ {item}{}", mark(item))),
        );
        let bump = self.bump(version);
        lines.push(match bump == version {
            true => format!("version: {version} (no API change)"),
            false => format!("version: {version} -> {bump}"),
        });
        lines.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(items: &[&str]) -> String {
        format!("# x\n\n{BLOCK_START}\n{}\n```\n", items.join("\n"))
    }

    #[test]
    fn removals_and_new_required_inputs_break_additions_do_not() {
        let old = listing(&[
            "struct GetInput",
            "field GetInput.id: String required",
            "enum Kind",
        ]);
        let new = listing(&[
            "struct GetInput",
            "field GetInput.id: String required",
            "field GetInput.scope: String required",
            "struct PutInput",
            "field PutInput.name: String required",
            "value Kind::New = \"NEW\"",
        ]);
        let change = diff(&old, &new);
        assert_eq!(change.removed, ["enum Kind"]);
        assert_eq!(
            change.breaking,
            ["enum Kind", "field GetInput.scope: String required"]
        );
        assert_eq!(change.bump("0.1.3"), "0.2.0");
        assert_eq!(change.bump("1.4.2"), "2.0.0");
        let additive = diff(
            &old,
            &listing(&[
                "struct GetInput",
                "field GetInput.id: String required",
                "enum Kind",
                "value Kind::New = \"NEW\"",
            ]),
        );
        assert!(additive.breaking.is_empty());
        assert_eq!(additive.bump("0.1.3"), "0.1.4");
        assert_eq!(additive.bump("1.4.2"), "1.5.0");
        assert_eq!(
            diff(&old, &old).report("0.1.0"),
            "API change: 0 added, 0 removed, 0 breaking\nversion: 0.1.0 (no API change)"
        );
    }
}
