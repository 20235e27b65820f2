//! Where the shared files are and which profile is selected, from the environment.

use std::path::PathBuf;

use crate::env::Env;

/// The operating-system family, which decides how the home folder is found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    /// Linux, macOS and other Unix systems.
    Unix,
    /// Windows.
    Windows,
}

impl Platform {
    /// The platform this program runs on.
    pub fn current() -> Self {
        if cfg!(windows) {
            Platform::Windows
        } else {
            Platform::Unix
        }
    }
}

/// The paths of the two files and the selected profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileFiles {
    /// The config file.
    pub config: String,
    /// The credentials file.
    pub credentials: String,
    /// The selected profile (`AWS_PROFILE`, else `default`).
    pub profile: String,
}

impl ProfileFiles {
    /// Resolves `AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE` (with `~` expansion) and
    /// `AWS_PROFILE`, defaulting to `~/.aws/config` and `~/.aws/credentials`.
    pub fn locate(env: &Env, platform: Platform) -> Self {
        let home = home_folder(env, platform);
        let separator = if platform == Platform::Windows {
            '\\'
        } else {
            '/'
        };
        let path = |variable: &str, default: &str| match env.get(variable) {
            Some(path) => expand_home(&path, home.as_deref(), separator),
            None => format!(
                "{}{separator}.aws{separator}{default}",
                home.as_deref().unwrap_or("~")
            ),
        };
        Self {
            config: path("AWS_CONFIG_FILE", "config"),
            credentials: path("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
            profile: env
                .get("AWS_PROFILE")
                .unwrap_or_else(|| "default".to_owned()),
        }
    }

    /// The config path as a [`PathBuf`].
    pub fn config_path(&self) -> PathBuf {
        PathBuf::from(&self.config)
    }

    /// The credentials path as a [`PathBuf`].
    pub fn credentials_path(&self) -> PathBuf {
        PathBuf::from(&self.credentials)
    }
}

/// The user's home folder: `HOME`, else on Windows `USERPROFILE` or `HOMEDRIVE` + `HOMEPATH`.
pub fn home_folder(env: &Env, platform: Platform) -> Option<String> {
    if let Some(home) = env.get("HOME") {
        return Some(home);
    }
    if platform == Platform::Windows {
        if let Some(profile) = env.get("USERPROFILE") {
            return Some(profile);
        }
        if let (Some(drive), Some(path)) = (env.get("HOMEDRIVE"), env.get("HOMEPATH")) {
            return Some(format!("{drive}{path}"));
        }
    }
    None
}

fn expand_home(path: &str, home: Option<&str>, separator: char) -> String {
    match (path.strip_prefix('~'), home) {
        (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with(['/', separator]) => {
            format!("{home}{rest}")
        }
        _ => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_a_leading_tilde() {
        let env = Env::from_pairs([("HOME", "/home/u"), ("AWS_CONFIG_FILE", "~/custom/config")]);
        let files = ProfileFiles::locate(&env, Platform::Unix);
        assert_eq!(files.config, "/home/u/custom/config");
        assert_eq!(files.credentials, "/home/u/.aws/credentials");
        assert_eq!(files.profile, "default");
    }
}
