//! Web identity from the environment (EKS IRSA and other OIDC federations):
//! `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN`, with `AWS_ROLE_SESSION_NAME`, exchanged
//! for the role's credentials through STS `AssumeRoleWithWebIdentity`.

use std::sync::Arc;

use ivschat_runtime::credentials::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use ivschat_runtime::env::Env;
use ivschat_runtime::transport::HttpClient;

use crate::assume::{self, StsContext};
use crate::role_chain::WebIdentityLink;

/// The web identity step of the default chain; not configured (`Ok(None)`) without
/// `AWS_WEB_IDENTITY_TOKEN_FILE`.
#[derive(Clone, Debug)]
pub struct WebIdentityProvider {
    env: Env,
    http: Arc<dyn HttpClient>,
}

impl WebIdentityProvider {
    /// The provider over `env`, calling STS through `http`.
    pub fn new(env: Env, http: Arc<dyn HttpClient>) -> Self {
        Self { env, http }
    }

    /// The role and token file the environment names; an error when only half is set.
    fn link(&self) -> Result<Option<WebIdentityLink>, CredentialsError> {
        let Some(token_file) = self.env.get("AWS_WEB_IDENTITY_TOKEN_FILE") else {
            return Ok(None);
        };
        let role_arn = self.env.get("AWS_ROLE_ARN").ok_or_else(|| {
            CredentialsError::Invalid(
                "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not: web identity needs \
                 both"
                    .to_owned(),
            )
        })?;
        Ok(Some(WebIdentityLink {
            role_arn,
            token_file,
            session_name: self.env.get("AWS_ROLE_SESSION_NAME"),
        }))
    }

    async fn load(&self) -> Result<Option<Credentials>, CredentialsError> {
        let Some(link) = self.link()? else {
            return Ok(None);
        };
        let context = StsContext {
            env: &self.env,
            profile: None,
            http: &self.http,
        };
        assume::assume_role_with_web_identity(&context, &link)
            .await
            .map(Some)
    }
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        Box::pin(self.load())
    }
}
