//! Members that hold credentials whatever their model says: `Debug` redacts them as it does
//! `@sensitive` ones. Several AWS models leave such members unmarked (STS's `SessionToken`,
//! Sign-In's `codeVerifier` and `idToken`), and printing one in a log is a leak. Only names
//! that mean a credential in every model are listed: `code`, an OAuth authorization code in
//! Sign-In but an error code in S3 and many others, is not.

/// Member names (compared without case or `_`) that always hold a secret.
const SECRET_NAMES: &[&str] = &[
    "accesstoken",
    "clientsecret",
    "codeverifier",
    "devicecode",
    "idtoken",
    "password",
    "privatekey",
    "refreshtoken",
    "samlassertion",
    "secretaccesskey",
    "sessiontoken",
    "webidentitytoken",
];

/// True when a member called `name` holds a credential.
pub fn names_a_secret(name: &str) -> bool {
    let folded: String = name
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    SECRET_NAMES.contains(&folded.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_members_are_known_by_name_in_any_case() {
        for name in [
            "SessionToken",
            "codeVerifier",
            "id_token",
            "WebIdentityToken",
        ] {
            assert!(names_a_secret(name), "{name}");
        }
        for name in [
            "nextToken",
            "token_type",
            "AccessKeyId",
            "errorCode",
            "clientId",
        ] {
            assert!(!names_a_secret(name), "{name}");
        }
    }
}
