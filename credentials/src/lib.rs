//! The AWS credential chain as the SDKs define it, with the sources that need AWS services of
//! their own: IAM Identity Center (SSO), assume role and web identity (STS). The runtime's chain
//! (environment, static and process profiles, container, instance metadata) is extended here,
//! over small clients that `ivschat-codegen` writes from the pinned models ([`sso`],
//! [`sso_oidc`], [`sts`]), so the runtime needs no client of its own and no dependency cycle
//! arises.

mod assume;
#[cfg(feature = "console-login")]
pub mod console_login;
pub mod identity_center;
mod profile;
pub mod role_chain;
// The clients `cargo xtask codegen` writes from the pinned models, each in a folder of
// `generated/` that codegen owns (never edited by hand); everything else here is written by hand.
#[cfg(feature = "console-login")]
#[path = "generated/signin/mod.rs"]
pub mod signin;
#[path = "generated/sso/mod.rs"]
pub mod sso;
#[path = "generated/sso_oidc/mod.rs"]
pub mod sso_oidc;
#[path = "generated/sts/mod.rs"]
pub mod sts;
mod web_identity;

use std::sync::Arc;

use ivschat_runtime::config::ConfigBuilder;
use ivschat_runtime::credentials::{DefaultChain, SharedCredentialsProvider};
use ivschat_runtime::env::Env;
use ivschat_runtime::transport::HttpClient;

pub use assume::MfaTokenCode;
pub use identity_center::{SsoToken, SsoTokenProvider};
pub use profile::ProfileProvider;
pub use web_identity::WebIdentityProvider;

/// The full chain: environment variables, the profile (with IAM Identity Center), web
/// identity, the container endpoint, instance metadata; only the profile when one is chosen in
/// code. A [`ivschat_runtime::credentials::CredentialsChain`].
pub fn default_chain(
    env: &Env,
    profile: Option<&str>,
    http: Arc<dyn HttpClient>,
) -> SharedCredentialsProvider {
    let profiles = Arc::new(ProfileProvider::new(
        env.clone(),
        profile.map(str::to_owned),
        http.clone(),
    ));
    match profile {
        Some(_) => profiles,
        None => Arc::new(
            DefaultChain::new(env.clone(), http.clone())
                .with_profile(profiles)
                .with_web_identity(Arc::new(WebIdentityProvider::new(env.clone(), http))),
        ),
    }
}

/// `builder` with [`default_chain`] as the chain that finds credentials not set in code,
/// unless the builder already has a chain.
pub fn complete(builder: ConfigBuilder) -> ConfigBuilder {
    if builder.has_credentials_chain() {
        builder
    } else {
        builder.credentials_chain(default_chain)
    }
}
