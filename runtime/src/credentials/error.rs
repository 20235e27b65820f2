use std::fmt;

/// Credentials could not be found or loaded. Messages name the variable, file, line or
/// profile concerned and never contain a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CredentialsError {
    /// No source had credentials; lists what was tried.
    NotFound(Vec<String>),
    /// A source was set up wrongly (half-set variables, a profile without keys, ...).
    Invalid(String),
    /// A `credential_process` failed or printed something that is not the JSON contract.
    Process {
        /// The profile naming the process.
        profile: String,
        /// What went wrong.
        message: String,
    },
    /// A service that hands out credentials (IAM Identity Center, STS, ...) refused or failed.
    Service {
        /// The source, e.g. "IAM Identity Center (profile `dev`)".
        source: String,
        /// What went wrong and what to do.
        message: String,
    },
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialsError::NotFound(tried) => write!(
                f,
                "no AWS credentials found: the credential provider was not enabled (tried: {}); set \
                 AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile's aws_access_key_id and \
                 aws_secret_access_key (or its sso_session, role_arn or credential_process; \
                 AWS_PROFILE picks the profile), or pass them in code \
                 (`Config::builder().credentials(..)`), or choose anonymous access",
                tried.join(", ")
            ),
            CredentialsError::Invalid(message) => f.write_str(message),
            CredentialsError::Process { profile, message } => {
                write!(f, "credential_process of profile `{profile}` failed: {message}")
            }
            CredentialsError::Service { source, message } => write!(
                f,
                "an error occurred while loading credentials from {source}: {message}"
            ),
        }
    }
}

impl std::error::Error for CredentialsError {}
