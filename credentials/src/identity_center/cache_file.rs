//! The token cache file `~/.aws/sso/cache/<sha1 of the session name or start URL>.json`, as
//! the AWS CLI writes it: read bounded, written back whole or not at all, readable by its owner
//! only.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use ivschat_runtime::credentials::CredentialsError;
use ivschat_runtime::env::Env;
use ivschat_runtime::file::{read_text_limited, write_atomically, Readers};
use ivschat_runtime::profile::{home_folder, Platform};
use ivschat_runtime::{DateTime, DateTimeFormat};
use serde_json::{Map, Value};
use sha1::{Digest, Sha1};

use super::settings::TokenSettings;

/// The largest cache file read (the CLI's are well under a kilobyte).
const CACHE_FILE_LIMIT: u64 = 1024 * 1024;

/// A cached token and the client registration that can refresh it.
#[derive(Clone, PartialEq)]
pub(crate) struct CachedToken {
    /// The whole document, so fields this crate does not use survive a write-back.
    document: Map<String, Value>,
    pub access_token: String,
    pub expires_at: SystemTime,
    pub refresh_token: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub registration_expires_at: Option<SystemTime>,
}

impl std::fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachedToken")
            .field("expires_at", &self.expires_at)
            .field("registration_expires_at", &self.registration_expires_at)
            .finish_non_exhaustive()
    }
}

/// The cache file of `settings` under the home folder `env` names.
pub(crate) fn cache_path(env: &Env, settings: &TokenSettings) -> Result<PathBuf, CredentialsError> {
    let home = home_folder(env, Platform::current()).ok_or_else(|| {
        CredentialsError::Invalid(format!(
            "profile `{}` uses IAM Identity Center, but no home folder is set (HOME) to find \
             its token cache in",
            settings.profile
        ))
    })?;
    let digest = Sha1::digest(settings.cache_key().as_bytes());
    let name: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    Ok(Path::new(&home)
        .join(".aws")
        .join("sso")
        .join("cache")
        .join(format!("{name}.json")))
}

impl CachedToken {
    /// Reads and parses the cache file; every failure names the file and says how to sign in.
    pub fn read(path: &Path, settings: &TokenSettings) -> Result<Self, CredentialsError> {
        let failed = |what: String| {
            CredentialsError::Invalid(format!(
                "IAM Identity Center token cache of profile `{}`: {what}; {}",
                settings.profile,
                settings.login_hint()
            ))
        };
        let text = read_text_limited(path, CACHE_FILE_LIMIT)
            .map_err(|error| failed(format!("failed to read `{}`: {error}", path.display())))?;
        Self::parse(&text).map_err(|what| failed(format!("`{}` {what}", path.display())))
    }

    /// Parses a cache document; the error says which field is wrong.
    fn parse(text: &str) -> Result<Self, String> {
        let document = match serde_json::from_str(text) {
            Ok(Value::Object(document)) => document,
            Ok(_) => return Err("is not a JSON object".to_owned()),
            Err(error) => return Err(format!("is not JSON: {error}")),
        };
        let text_field = |name: &str| {
            document
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let time_field = |name: &str| -> Result<Option<SystemTime>, String> {
            text_field(name)
                .map(|value| {
                    DateTime::parse(&value, DateTimeFormat::DateTime)
                        .map(SystemTime::from)
                        .map_err(|_| {
                            format!("has `{name}` {value:?}, which is not an RFC 3339 time")
                        })
                })
                .transpose()
        };
        let access_token = text_field("accessToken").ok_or("has no `accessToken`")?;
        let expires_at = time_field("expiresAt")?.ok_or("has no `expiresAt`")?;
        Ok(Self {
            access_token,
            expires_at,
            refresh_token: text_field("refreshToken"),
            client_id: text_field("clientId"),
            client_secret: text_field("clientSecret"),
            registration_expires_at: time_field("registrationExpiresAt")?,
            document,
        })
    }

    /// True when the token can be refreshed at `now`: a refresh token and a client registration
    /// that has not expired.
    pub fn can_refresh_at(&self, now: SystemTime) -> bool {
        self.refresh_token.is_some()
            && self.client_id.is_some()
            && self.client_secret.is_some()
            && self
                .registration_expires_at
                .is_none_or(|expiry| expiry > now)
    }

    /// The token after a refresh: the new access token and expiry, and the new refresh token
    /// when the service rotated it.
    pub fn refreshed(
        mut self,
        access_token: String,
        expires_at: SystemTime,
        refresh_token: Option<String>,
    ) -> Self {
        let expiry = DateTime::from(expires_at).fmt(DateTimeFormat::DateTime);
        self.document
            .insert("accessToken".to_owned(), Value::from(access_token.as_str()));
        self.document
            .insert("expiresAt".to_owned(), Value::from(expiry));
        if let Some(rotated) = &refresh_token {
            self.document
                .insert("refreshToken".to_owned(), Value::from(rotated.as_str()));
            self.refresh_token = refresh_token;
        }
        self.access_token = access_token;
        self.expires_at = expires_at;
        self
    }

    /// Writes the document back atomically, readable by its owner only.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(&self.document).map_err(std::io::Error::other)?;
        write_atomically(path, text.as_bytes(), Readers::Owner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(session: Option<&str>) -> TokenSettings {
        TokenSettings {
            profile: "dev".to_owned(),
            session: session.map(str::to_owned),
            start_url: "https://d-abc123.awsapps.com/start".to_owned(),
            region: "us-east-1".to_owned(),
        }
    }

    #[test]
    fn the_file_is_named_by_the_sha1_of_the_session_or_the_start_url() {
        // The names the official scenarios use.
        let env = Env::from_pairs([("HOME", "/home")]);
        let by_session = cache_path(&env, &settings(Some("dev"))).unwrap();
        assert!(
            by_session.ends_with(".aws/sso/cache/34c6fceca75e456f25e7e99531e2425c6c1de443.json")
        );
        let mut legacy = settings(None);
        legacy.start_url = "https://ssotest.awsapps.com/start".to_owned();
        let by_url = cache_path(&env, &legacy).unwrap();
        assert!(by_url.ends_with("dace00cba5f8355ec9d274ceb2bcebdfbeed0e12.json"));
    }

    #[test]
    fn bad_documents_are_named_by_field() {
        let cases = [
            ("[]", "is not a JSON object"),
            ("{", "is not JSON"),
            (
                r#"{"expiresAt":"2080-01-01T00:00:00Z"}"#,
                "has no `accessToken`",
            ),
            (r#"{"accessToken":"t"}"#, "has no `expiresAt`"),
            (
                r#"{"accessToken":"t","expiresAt":"tomorrow"}"#,
                "`expiresAt` \"tomorrow\"",
            ),
        ];
        for (text, wanted) in cases {
            let error = CachedToken::parse(text).unwrap_err();
            assert!(error.contains(wanted), "{text}: {error}");
        }
    }

    #[test]
    fn a_refresh_is_written_back_whole_and_private() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("token.json");
        std::fs::write(
            &path,
            r#"{"accessToken":"old","expiresAt":"2021-01-01T00:00:00Z","refreshToken":"r1",
                "clientId":"c","clientSecret":"s","region":"us-east-1","startUrl":"u"}"#,
        )
        .unwrap();
        let cached = CachedToken::read(&path, &settings(Some("dev"))).unwrap();
        assert!(cached.can_refresh_at(SystemTime::now()));
        let later = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(4_000_000_000);
        let fresh = cached.refreshed("new".to_owned(), later, Some("r2".to_owned()));
        fresh.write(&path).unwrap();
        let again = CachedToken::read(&path, &settings(Some("dev"))).unwrap();
        assert_eq!(again, fresh);
        assert_eq!(again.document["startUrl"], "u", "unknown fields survive");
        assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_missing_or_huge_file_says_how_to_sign_in() {
        let folder = tempfile::tempdir().unwrap();
        let missing = folder.path().join("missing.json");
        let error = CachedToken::read(&missing, &settings(Some("dev")))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("failed to read") && error.contains("aws sso login --profile dev"),
            "{error}"
        );
        let huge = folder.path().join("huge.json");
        std::fs::write(&huge, vec![b' '; 2 * 1024 * 1024]).unwrap();
        let error = CachedToken::read(&huge, &settings(Some("dev")))
            .unwrap_err()
            .to_string();
        assert!(error.contains("larger than"), "{error}");
    }
}
