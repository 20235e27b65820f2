//! Loads a model from several files, JSON AST and IDL mixed: every file's shapes are read,
//! IDL ids resolved against the shapes of all files, elided members given their targets, and
//! the whole validated as one model.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::idl;
use super::load::{json_entries, load_entries, Entry};
use super::Model;
use crate::error::Error;

/// How deep mixins of mixins are searched for an elided member's target.
const MAX_MIXIN_DEPTH: usize = 32;

/// One model file: its name (a `.smithy` name is read as IDL, any other as JSON AST) and text.
#[derive(Clone, Copy, Debug)]
pub struct Source<'a> {
    /// The file name, used in error messages and to pick the format.
    pub name: &'a str,
    /// The file's text.
    pub text: &'a str,
}

impl Source<'_> {
    fn is_idl(&self) -> bool {
        self.name.ends_with(".smithy")
    }
}

/// Parses and validates a JSON AST model. `file` names the input in error messages.
pub fn load(file: &str, json: &str) -> Result<Model, Error> {
    load_sources(&[Source {
        name: file,
        text: json,
    }])
}

/// Parses the files and validates them as one model.
pub fn load_sources(sources: &[Source]) -> Result<Model, Error> {
    let mut entries = Vec::new();
    let mut parsed = Vec::new();
    for source in sources {
        if source.is_idl() {
            parsed.push((source.name, idl::parse(source.name, source.text)?));
        } else {
            entries.extend(json_entries(source.name, source.text)?);
        }
    }
    let mut defined: BTreeSet<String> = entries
        .iter()
        .filter(|entry| entry.body.get("type").and_then(Value::as_str) != Some("apply"))
        .map(|entry| entry.id.clone())
        .collect();
    for (_, file) in &parsed {
        defined.extend(idl::defined_ids(file));
    }
    let mut elided = Vec::new();
    for (name, file) in &parsed {
        let resolved = idl::resolve(name, file, &|id| defined.contains(id))?;
        entries.extend(resolved.shapes.into_iter().map(|(id, body)| Entry {
            file: (*name).to_owned(),
            id,
            body,
        }));
        elided.extend(resolved.elided.into_iter().map(|member| (*name, member)));
    }
    check_duplicates(&mut entries)?;
    fill_elided(&mut entries, &elided)?;
    load_entries(&entries)
}

/// Fails when two files define one shape differently; drops identical repeats.
fn check_duplicates(entries: &mut Vec<Entry>) -> Result<(), Error> {
    let mut first: BTreeMap<String, usize> = BTreeMap::new();
    let mut keep = vec![true; entries.len()];
    for (index, entry) in entries.iter().enumerate() {
        if entry.body.get("type").and_then(Value::as_str) == Some("apply") {
            continue;
        }
        let Some(&earlier) = first.get(&entry.id) else {
            first.insert(entry.id.clone(), index);
            continue;
        };
        if entries[earlier].body != entry.body {
            return Err(Error {
                file: entry.file.clone(),
                json_path: "$".to_owned(),
                shape: Some(entry.id.clone()),
                message: format!(
                    "the shape is defined differently in {} and here",
                    entries[earlier].file
                ),
            });
        }
        keep[index] = false;
    }
    let mut index = 0;
    entries.retain(|_| {
        index += 1;
        keep[index - 1]
    });
    Ok(())
}

/// Gives each `$name` member the target of the same-named identifier or property of its
/// resource, else of the member of its mixins (mixins' own elided members first).
fn fill_elided(entries: &mut [Entry], elided: &[(&str, idl::Elided)]) -> Result<(), Error> {
    let index: BTreeMap<String, usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, entry)| entry.body.get("type").and_then(Value::as_str) != Some("apply"))
        .map(|(position, entry)| (entry.id.clone(), position))
        .collect();
    let mut pending: Vec<&(&str, idl::Elided)> = elided.iter().collect();
    while !pending.is_empty() {
        let before = pending.len();
        let mut unresolved = Vec::new();
        for item in pending {
            let (_, member) = item;
            match elided_target(entries, &index, member) {
                Some(target) => {
                    let slot = &mut entries[index[&member.shape]].body;
                    let place = member_slot(slot, &member.member);
                    if let Some(place) = place {
                        place["target"] = Value::String(target);
                    }
                }
                None => unresolved.push(item),
            }
        }
        if unresolved.len() == before {
            let (file, member) = unresolved[0];
            return Err(idl::error_at_member(file, member));
        }
        pending = unresolved;
    }
    Ok(())
}

/// The member `name` of a shape's JSON body (`members.name`, or `member`/`key`/`value`).
fn member_slot<'a>(body: &'a mut Value, name: &str) -> Option<&'a mut Value> {
    if body.get("members").is_some() {
        return body.get_mut("members")?.get_mut(name);
    }
    body.get_mut(name)
}

fn member_target(body: &Value, name: &str) -> Option<String> {
    let member = match body.get("members") {
        Some(members) => members.get(name)?,
        None => body.get(name)?,
    };
    member.get("target")?.as_str().map(str::to_owned)
}

fn elided_target(
    entries: &[Entry],
    index: &BTreeMap<String, usize>,
    member: &idl::Elided,
) -> Option<String> {
    if let Some(resource) = &member.resource {
        let body = &entries[*index.get(resource)?].body;
        for field in ["identifiers", "properties"] {
            let found = body
                .get(field)
                .and_then(|map| map.get(&member.member))
                .and_then(|target| target.get("target"))
                .and_then(Value::as_str);
            if let Some(found) = found {
                return Some(found.to_owned());
            }
        }
    }
    member
        .mixins
        .iter()
        .find_map(|mixin| inherited_target(entries, index, mixin, &member.member, 0))
}

/// The target of member `name` in mixin `id` or, when `id` does not declare it, in its own
/// mixins.
fn inherited_target(
    entries: &[Entry],
    index: &BTreeMap<String, usize>,
    id: &str,
    name: &str,
    depth: usize,
) -> Option<String> {
    let body = &entries[*index.get(id)?].body;
    if let Some(target) = member_target(body, name) {
        return Some(target);
    }
    if depth > MAX_MIXIN_DEPTH {
        return None;
    }
    body.get("mixins")?
        .as_array()?
        .iter()
        .filter_map(|mixin| mixin.get("target")?.as_str())
        .find_map(|mixin| inherited_target(entries, index, mixin, name, depth + 1))
}
