//! Credentials for roles, through STS: `AssumeRole`, signed with the credentials before it in
//! the chain, and `AssumeRoleWithWebIdentity`, unsigned, with the token read from its file on
//! every call (Kubernetes rotates it) and sent as the file holds it, as the AWS SDKs do.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use ivschat_runtime::config::{Config, ConfigBuilder};
use ivschat_runtime::credentials::{Credentials, CredentialsError};
use ivschat_runtime::env::Env;
use ivschat_runtime::transport::HttpClient;

use crate::role_chain::{RoleLink, WebIdentityLink};
use crate::sts;

/// The largest web identity token file read (real tokens are a few kilobytes).
const TOKEN_FILE_LIMIT: u64 = 64 * 1024;

/// Answers the code of an MFA device (its serial number given) when a role needs one.
pub type MfaTokenCode = Arc<dyn Fn(&str) -> Result<String, String> + Send + Sync>;

/// What an STS call needs besides its own inputs.
#[derive(Clone)]
pub(crate) struct StsContext<'c> {
    /// The process environment (endpoints, region, the shared files).
    pub env: &'c Env,
    /// The profile whose settings (region, FIPS, endpoints) the STS client takes.
    pub profile: Option<&'c str>,
    /// The transport.
    pub http: &'c Arc<dyn HttpClient>,
}

/// An STS client over `builder`, in `us-east-1` when no region is configured (as the SDKs do
/// for STS).
fn client(
    context: &StsContext,
    builder: ConfigBuilder,
    source: &str,
) -> Result<sts::Client, CredentialsError> {
    let mut builder = builder.http_client(context.http.clone());
    if let Some(profile) = context.profile {
        builder = builder.profile(profile);
    }
    let failed = |error: ivschat_runtime::config::ConfigError| CredentialsError::Service {
        source: source.to_owned(),
        message: error.to_string(),
    };
    let client = sts::Client::from_builder_with(builder.clone(), context.env).map_err(failed)?;
    if client.config().region.is_some() {
        return Ok(client);
    }
    sts::Client::from_builder_with(builder.region("us-east-1"), context.env).map_err(failed)
}

/// The account in an assumed role's ARN (`arn:aws:sts::123456789012:assumed-role/...`).
fn account_of(arn: &str) -> Option<String> {
    let account = arn.split(':').nth(4)?;
    (!account.is_empty()).then(|| account.to_owned())
}

/// Our credentials from STS's, with the account of the assumed role.
fn converted(
    returned: Option<&sts::types::Credentials>,
    role_arn: Option<&str>,
    source: &str,
) -> Result<Credentials, CredentialsError> {
    let returned = returned.ok_or_else(|| CredentialsError::Service {
        source: source.to_owned(),
        message: "STS returned no credentials".to_owned(),
    })?;
    let expiry = u64::try_from(returned.expiration().secs())
        .ok()
        .map(|secs| SystemTime::UNIX_EPOCH + Duration::from_secs(secs));
    Ok(Credentials::new(
        returned.access_key_id(),
        returned.secret_access_key(),
        Some(returned.session_token().to_owned()),
        expiry,
    )
    .with_account_id(role_arn.and_then(account_of)))
}

/// A session name for a role assumed without one: `prefix-<milliseconds since the epoch>`.
fn session_name(given: Option<&str>, prefix: &str) -> String {
    match given {
        Some(name) => name.to_owned(),
        None => {
            let millis = SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |elapsed| elapsed.as_millis());
            format!("{prefix}-{millis}")
        }
    }
}

/// Assumes `link`'s role with `source` credentials.
pub(crate) async fn assume_role(
    context: &StsContext<'_>,
    source: Credentials,
    link: &RoleLink,
    mfa: Option<&MfaTokenCode>,
) -> Result<Credentials, CredentialsError> {
    let label = format!(
        "STS AssumeRole (role {}, profile `{}`)",
        link.role_arn, link.profile
    );
    let failed = |message: String| CredentialsError::Service {
        source: label.clone(),
        message,
    };
    let client = client(context, Config::builder().credentials(source), &label)?;
    let mut request = client
        .assume_role()
        .role_arn(link.role_arn.clone())
        .role_session_name(session_name(
            link.session_name.as_deref(),
            "assume-role-from-profile",
        ))
        .set_external_id(link.external_id.clone())
        .set_duration_seconds(link.duration_seconds);
    if let Some(serial) = &link.mfa_serial {
        let ask = mfa.ok_or_else(|| {
            failed(format!(
                "the role needs an MFA code (mfa_serial {serial}): give the profile provider a \
                 token-code callback (ProfileProvider::with_mfa_token_code)"
            ))
        })?;
        let code =
            ask(serial).map_err(|error| failed(format!("no MFA code for {serial}: {error}")))?;
        request = request.serial_number(serial.clone()).token_code(code);
    }
    let output = request
        .send()
        .await
        .map_err(|error| failed(error.to_string()))?;
    let arn = output.assumed_role_user().map(|user| user.arn());
    converted(output.credentials(), arn, &label)
}

/// Exchanges the token in `link`'s file for the role's credentials.
pub(crate) async fn assume_role_with_web_identity(
    context: &StsContext<'_>,
    link: &WebIdentityLink,
) -> Result<Credentials, CredentialsError> {
    let label = format!("STS AssumeRoleWithWebIdentity (role {})", link.role_arn);
    let failed = |message: String| CredentialsError::Service {
        source: label.clone(),
        message,
    };
    let token = ivschat_runtime::file::read_text_limited(
        std::path::Path::new(&link.token_file),
        TOKEN_FILE_LIMIT,
    )
    .map_err(|error| {
        failed(format!(
            "cannot read the web identity token file {}: {error}",
            link.token_file
        ))
    })?;
    let client = client(context, Config::builder().anonymous(), &label)?;
    let output = client
        .assume_role_with_web_identity()
        .role_arn(link.role_arn.clone())
        .role_session_name(session_name(
            link.session_name.as_deref(),
            "web-identity-token",
        ))
        .web_identity_token(token)
        .send()
        .await
        .map_err(|error| failed(error.to_string()))?;
    let arn = output.assumed_role_user().map(|user| user.arn());
    converted(output.credentials(), arn, &label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_comes_from_the_assumed_role_arn() {
        let arn = "arn:aws:sts::123456789012:assumed-role/integration-test/session";
        assert_eq!(account_of(arn).as_deref(), Some("123456789012"));
        assert_eq!(account_of("arn:aws:sts:::x"), None);
        assert_eq!(account_of("not an arn"), None);
    }

    #[test]
    fn session_names_are_given_or_timestamped() {
        assert_eq!(session_name(Some("mine"), "p"), "mine");
        let made = session_name(None, "assume-role-from-profile");
        let millis = made.strip_prefix("assume-role-from-profile-").unwrap();
        assert!(millis.parse::<u128>().unwrap() > 1_600_000_000_000);
    }
}
