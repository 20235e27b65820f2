//! The clients `cargo xtask codegen` writes, as entries of the checked-in `xtask/clients.json`:
//! each the settings of `cargo xtask generate` for a pinned model, so a client is added to the
//! repository the way a user generates one.

use std::fs;
use std::path::Path;

use ivschat_codegen::Options;
use serde_json::Value;

use crate::REGENERATE;

/// The config file, from the repository root.
pub const CONFIG: &str = "xtask/clients.json";

/// One client `cargo xtask codegen` writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientEntry {
    /// The model's lock in `model/`, e.g. `sso.lock`.
    pub lock: String,
    /// The folder written, from the repository root.
    pub folder: String,
    /// The crate's name (the crate the module is part of, for a module).
    pub crate_name: String,
    /// The crate's version.
    pub crate_version: String,
    /// The `ivschat-runtime` dependency's fields (a crate only).
    pub runtime: Option<String>,
    /// The `ivschat-credentials` dependency's fields, when the crate's chain is that crate's.
    pub credentials: Option<String>,
    /// The repository URL of the crate's manifest.
    pub repository: Option<String>,
    /// For a client generated as a module of another crate: the module.
    pub module: Option<String>,
    /// The operations kept; all when `None`.
    pub only: Option<Vec<String>>,
}

impl ClientEntry {
    /// The generator's options for this client, `source` naming the model file.
    pub fn options(&self, source: &str) -> Options {
        Options {
            crate_name: self.crate_name.clone(),
            crate_version: self.crate_version.clone(),
            runtime_dependency: self.runtime.clone().unwrap_or_default(),
            source: source.to_owned(),
            regenerate_command: REGENERATE.to_owned(),
            credentials_dependency: self.credentials.clone(),
            repository: self.repository.clone(),
            module_root: self.module.clone(),
            operations: self.only.clone(),
            ..Options::default()
        }
    }
}

/// Reads the entries of `xtask/clients.json` under `root`.
pub fn read(root: &Path) -> Result<Vec<ClientEntry>, String> {
    let path = root.join(CONFIG);
    let text = fs::read_to_string(&path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    parse(&text).map_err(|error| format!("{CONFIG}: {error}"))
}

/// The entries of a config file's text; an error names the entry and the key.
pub fn parse(text: &str) -> Result<Vec<ClientEntry>, String> {
    let config: Value = serde_json::from_str(text).map_err(|error| format!("not JSON: {error}"))?;
    let entries = config
        .get("clients")
        .and_then(Value::as_array)
        .ok_or("`clients` must be a list")?;
    entries
        .iter()
        .enumerate()
        .map(|(index, entry)| {
            let at = format!("clients[{index}]");
            let text = |key: &str| -> Result<Option<String>, String> {
                match entry.get(key) {
                    None => Ok(None),
                    Some(Value::String(value)) => Ok(Some(value.clone())),
                    Some(_) => Err(format!("{at}.{key} must be a string")),
                }
            };
            let required = |key: &str| text(key)?.ok_or_else(|| format!("{at}.{key} is missing"));
            let only = match entry.get("only") {
                None => None,
                Some(Value::Array(names)) => Some(
                    names
                        .iter()
                        .map(|name| {
                            name.as_str()
                                .map(str::to_owned)
                                .ok_or_else(|| format!("{at}.only must list operation names"))
                        })
                        .collect::<Result<Vec<_>, _>>()?,
                ),
                Some(_) => return Err(format!("{at}.only must be a list")),
            };
            let entry = ClientEntry {
                lock: required("lock")?,
                folder: required("folder")?,
                crate_name: required("crate_name")?,
                crate_version: required("crate_version")?,
                runtime: text("runtime")?,
                credentials: text("credentials")?,
                repository: text("repository")?,
                module: text("module")?,
                only,
            };
            if entry.module.is_none() && entry.runtime.is_none() {
                return Err(format!(
                    "{at}: a crate needs `runtime` (a module, `module`)"
                ));
            }
            Ok(entry)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_read_and_errors_name_the_entry_and_key() {
        let entries = parse(
            r#"{"clients": [{"lock": "a.lock", "folder": "gen", "crate_name": "a",
                "crate_version": "1.0.0", "runtime": "path = \"../runtime\"", "only": ["Get"]}]}"#,
        )
        .unwrap();
        assert_eq!(entries[0].only, Some(vec!["Get".to_owned()]));
        assert_eq!(entries[0].options("model/a.json").crate_name, "a");
        let error = parse(r#"{"clients": [{"lock": "a.lock"}]}"#).unwrap_err();
        assert_eq!(error, "clients[0].folder is missing");
        let error = parse(
            r#"{"clients": [{"lock": "a.lock", "folder": "f", "crate_name": "a", "crate_version": "1"}]}"#,
        )
        .unwrap_err();
        assert!(error.contains("needs `runtime`"), "{error}");
        let error = parse(r#"{"clients": [{"lock": 3}]}"#).unwrap_err();
        assert_eq!(error, "clients[0].lock must be a string");
    }
}
