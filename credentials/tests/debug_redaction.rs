//! Every type of the credential chain that holds a secret, formatted with `{:?}` while holding
//! a known secret: the secret must not appear. The generated clients redact `@sensitive`
//! members and members whose name says they hold a credential (STS's `SessionToken`,
//! Sign-In's `codeVerifier` and `idToken`, which their models leave unmarked).

use ivschat_credentials::{sso_oidc, sts};

const SECRET: &str = "KNOWN-SECRET-VALUE";

fn assert_hidden(what: &str, shown: String) {
    assert!(!shown.contains(SECRET), "{what} shows the secret: {shown}");
}

#[test]
fn sts_credentials_and_web_identity_tokens_are_redacted() {
    let credentials = sts::types::Credentials::builder()
        .access_key_id("ASIAEXAMPLE")
        .secret_access_key(SECRET)
        .session_token(SECRET)
        .expiration(ivschat_runtime::DateTime::from_secs(0));
    assert_hidden("STS Credentials builder", format!("{credentials:?}"));
    assert_hidden(
        "STS Credentials",
        format!("{:?}", credentials.build().unwrap()),
    );
    let input =
        sts::operation::assume_role_with_web_identity::AssumeRoleWithWebIdentityInput::builder()
            .role_arn("arn:aws:iam::1:role/r")
            .web_identity_token(SECRET);
    assert_hidden("AssumeRoleWithWebIdentity input", format!("{input:?}"));
}

#[test]
fn sso_oidc_token_requests_are_redacted_member_by_member() {
    let builders = [
        sso_oidc::operation::create_token::CreateTokenInput::builder().client_secret(SECRET),
        sso_oidc::operation::create_token::CreateTokenInput::builder().device_code(SECRET),
        sso_oidc::operation::create_token::CreateTokenInput::builder().refresh_token(SECRET),
        sso_oidc::operation::create_token::CreateTokenInput::builder().code_verifier(SECRET),
    ];
    for builder in builders {
        assert_hidden("CreateToken input", format!("{builder:?}"));
    }
}

#[test]
fn runtime_credentials_are_redacted() {
    let credentials = ivschat_runtime::credentials::Credentials::new(
        "AKIDEXAMPLE",
        SECRET,
        Some(SECRET.to_owned()),
        None,
    );
    assert_hidden("runtime Credentials", format!("{credentials:?}"));
}

#[cfg(feature = "console-login")]
#[test]
fn sign_in_token_bodies_are_redacted() {
    use ivschat_credentials::signin::types::{
        CreateOAuth2TokenRequestBody, CreateOAuth2TokenResponseBody,
    };
    let requests = [
        CreateOAuth2TokenRequestBody::builder().code_verifier(SECRET),
        CreateOAuth2TokenRequestBody::builder().refresh_token(SECRET),
    ];
    for request in requests {
        assert_hidden("Sign-In token request", format!("{request:?}"));
    }
    let response = CreateOAuth2TokenResponseBody::builder().id_token(SECRET);
    assert_hidden("Sign-In token response", format!("{response:?}"));
}
