//! Per-key policies, as an IAM identity policy's `Allow` statements would say: the actions a
//! key may call (`ivschat:GetRoom`, `ivschat:List*`, `ivschat:*`) and the resources it may
//! call them on (ARNs, `*` and `?` wildcards). A key without a policy may do everything; one
//! with a policy gets `AccessDeniedException` for the rest, with IAM's wording.

use serde_json::Value;

use crate::error::ApiError;

/// What one key may do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// Allowed actions, `ivschat:OPERATION` with wildcards.
    pub actions: Vec<String>,
    /// Allowed resources: ARNs with wildcards; an operation on no resource (a create, a list)
    /// needs `*`.
    pub resources: Vec<String>,
}

impl Policy {
    /// A policy allowing `actions` on every resource.
    pub fn actions<I, S>(actions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            actions: actions.into_iter().map(Into::into).collect(),
            resources: vec!["*".to_owned()],
        }
    }

    /// The same policy, allowing only these resources.
    pub fn on_resources<I, S>(mut self, resources: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.resources = resources.into_iter().map(Into::into).collect();
        self
    }

    /// Whether `principal` may call `operation` on `resource` (`None`: no resource).
    pub fn check(
        &self,
        principal: &str,
        operation: &str,
        resource: Option<&str>,
    ) -> Result<(), ApiError> {
        let action = format!("ivschat:{operation}");
        let action_allowed = self.actions.iter().any(|pattern| matches(pattern, &action));
        let resource_allowed = self.resources.iter().any(|pattern| match resource {
            Some(arn) => matches(pattern, arn),
            None => pattern == "*",
        });
        if action_allowed && resource_allowed {
            return Ok(());
        }
        Err(ApiError::forbidden(format!(
            "User: {principal} is not authorized to perform: {action} on resource: {} because no identity-based policy allows the {action} action",
            resource.unwrap_or("*")
        )))
    }
}

/// The resource an operation targets: the ARN of its `identifier`, `roomIdentifier` or of
/// the tags path (`/tags/{arn}`).
pub fn resource_of(path: &str, body: &[u8]) -> Option<String> {
    if let Some(encoded) = path.strip_prefix("/tags/") {
        return Some(decode_percent(encoded));
    }
    let body: Value = serde_json::from_slice(body).ok()?;
    ["identifier", "roomIdentifier"]
        .iter()
        .find_map(|field| body.get(*field)?.as_str().map(str::to_owned))
}

/// `%XX` sequences decoded (an ARN in a path is percent-encoded).
fn decode_percent(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (bytes[index], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                index += 3;
            }
            (byte, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// IAM's wildcard match: `*` any run of characters, `?` any one.
fn matches(pattern: &str, text: &str) -> bool {
    let (pattern, text): (Vec<char>, Vec<char>) =
        (pattern.chars().collect(), text.chars().collect());
    // Positions of the pattern reachable after each character of the text.
    let mut reachable = vec![false; pattern.len() + 1];
    reachable[0] = true;
    let close = |reachable: &mut Vec<bool>| {
        for index in 0..pattern.len() {
            if reachable[index] && pattern[index] == '*' {
                reachable[index + 1] = true;
            }
        }
    };
    close(&mut reachable);
    for character in text {
        let mut next = vec![false; pattern.len() + 1];
        for index in 0..pattern.len() {
            if !reachable[index] {
                continue;
            }
            match pattern[index] {
                '*' => next[index] = true,
                '?' => next[index + 1] = true,
                literal if literal == character => next[index + 1] = true,
                _ => {}
            }
        }
        close(&mut next);
        reachable = next;
    }
    reachable[pattern.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_as_iam_reads_them() {
        assert!(matches("ivschat:*", "ivschat:GetRoom"));
        assert!(matches("ivschat:List*", "ivschat:ListRooms"));
        assert!(!matches("ivschat:List*", "ivschat:GetRoom"));
        assert!(matches(
            "arn:aws:ivschat:*:*:room/a?c",
            "arn:aws:ivschat:us-west-2:1:room/abc"
        ));
        assert!(!matches(
            "arn:aws:ivschat:*:*:room/a?c",
            "arn:aws:ivschat:us-west-2:1:room/abcd"
        ));
        assert!(matches("*", ""));
        assert!(!matches("a", ""));
    }

    #[test]
    fn a_policy_allows_its_actions_on_its_resources_only() {
        let policy = Policy::actions(["ivschat:GetRoom", "ivschat:List*"])
            .on_resources(["arn:aws:ivschat:*:*:room/open*", "*"]);
        assert!(policy
            .check("AKID", "GetRoom", Some("arn:aws:ivschat:r:1:room/openA"))
            .is_ok());
        assert!(policy.check("AKID", "ListRooms", None).is_ok());
        let denied = policy
            .check("AKID", "DeleteRoom", Some("arn:x"))
            .unwrap_err();
        assert_eq!(denied.status, 403);
        let message = denied.body["message"].as_str().unwrap();
        assert!(
            message.contains(
                "User: AKID is not authorized to perform: ivschat:DeleteRoom on resource: arn:x"
            ),
            "{message}"
        );
        let narrow =
            Policy::actions(["ivschat:*"]).on_resources(["arn:aws:ivschat:*:*:room/open*"]);
        assert!(narrow
            .check("AKID", "GetRoom", Some("arn:aws:ivschat:r:1:room/closed"))
            .is_err());
        assert!(narrow.check("AKID", "CreateRoom", None).is_err());
        assert_eq!(
            resource_of("/tags/arn%3Aaws%3Aivschat%3Ar%3A1%3Aroom%2Fx", b""),
            Some("arn:aws:ivschat:r:1:room/x".to_owned())
        );
        assert_eq!(
            resource_of("/SendEvent", br#"{"roomIdentifier": "arn:r"}"#),
            Some("arn:r".to_owned())
        );
    }
}
