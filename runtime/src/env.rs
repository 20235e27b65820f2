//! Environment variables, read from the process or, in tests, from a fixed set.

use std::collections::BTreeMap;
use std::time::SystemTime;

/// Where configuration reads environment variables from. `Debug` names the variables of a
/// fixed set, never their values (they hold secret keys).
#[derive(Clone, Default)]
pub struct Env {
    fixed: Option<BTreeMap<String, String>>,
    time: Option<SystemTime>,
}

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.fixed {
            None => f.write_str("Env(process)"),
            Some(fixed) => f
                .debug_tuple("Env")
                .field(&fixed.keys().collect::<Vec<_>>())
                .finish(),
        }
    }
}

impl Env {
    /// The process environment.
    pub fn process() -> Self {
        Self::default()
    }

    /// A fixed set of variables (nothing else is visible).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Self {
            fixed: Some(
                pairs
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect(),
            ),
            time: None,
        }
    }

    /// This environment with its clock stopped at `time` (tests replaying recorded traffic).
    pub fn with_time(mut self, time: SystemTime) -> Self {
        self.time = Some(time);
        self
    }

    /// The time: the system's, unless [`with_time`](Self::with_time) stopped the clock.
    pub fn now(&self) -> SystemTime {
        self.time.unwrap_or_else(SystemTime::now)
    }

    /// The variable's value; an empty or blank value counts as unset, as the AWS SDKs treat it.
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &self.fixed {
            Some(fixed) => fixed.get(name).cloned(),
            None => std::env::var(name).ok(),
        };
        value.filter(|value| !value.trim().is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_names_variables_without_their_values() {
        let env = Env::from_pairs([("AWS_SECRET_ACCESS_KEY", "SECRETVALUE")]);
        let printed = format!("{env:?}");
        assert!(printed.contains("AWS_SECRET_ACCESS_KEY"), "{printed}");
        assert!(!printed.contains("SECRETVALUE"), "{printed}");
    }
}
