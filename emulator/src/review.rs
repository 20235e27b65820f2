//! The emulated message review handler. A room with `messageReviewHandler.uri` set has its
//! messages reviewed before delivery; the emulator cannot invoke Lambda, so a rule given to
//! [`EmulatorBuilder::review_rule`](crate::EmulatorBuilder::review_rule) stands in for it.
//! Without a rule the room's `fallbackResult` decides, as when the real handler fails.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// What the handler is shown (the fields of the Lambda's input).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewRequest<'a> {
    /// The room.
    pub room_arn: &'a str,
    /// The id the message will have.
    pub message_id: &'a str,
    /// Its content.
    pub content: &'a str,
    /// Its attributes.
    pub attributes: &'a BTreeMap<String, String>,
    /// The sender's user id.
    pub user_id: &'a str,
}

/// The handler's verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReviewResult {
    /// Deliver, with the content and attributes replaced where given.
    Allow {
        /// Replacement content.
        content: Option<String>,
        /// Replacement attributes.
        attributes: Option<BTreeMap<String, String>>,
    },
    /// Deliver nothing; the sender gets ERROR 406 with this reason (or "Message rejected").
    Deny {
        /// Why.
        reason: Option<String>,
    },
}

type Rule = dyn Fn(&ReviewRequest) -> ReviewResult + Send + Sync;

/// A review rule: any function from a [`ReviewRequest`] to a [`ReviewResult`].
#[derive(Clone)]
pub struct ReviewRule(Arc<Rule>);

impl ReviewRule {
    /// A rule from a function.
    pub fn new(rule: impl Fn(&ReviewRequest) -> ReviewResult + Send + Sync + 'static) -> Self {
        Self(Arc::new(rule))
    }

    /// Denies messages whose content matches `pattern` (a regular expression), allows the rest.
    pub fn deny_matching(pattern: &str) -> Result<Self, String> {
        let pattern = regex_lite::Regex::new(pattern)
            .map_err(|error| format!("invalid review pattern `{pattern}`: {error}"))?;
        Ok(Self::new(move |request| {
            if pattern.is_match(request.content) {
                ReviewResult::Deny {
                    reason: Some("the content matches the room's review rule".to_owned()),
                }
            } else {
                ReviewResult::Allow {
                    content: None,
                    attributes: None,
                }
            }
        }))
    }

    /// Applies the rule.
    pub fn review(&self, request: &ReviewRequest) -> ReviewResult {
        (self.0)(request)
    }
}

impl fmt::Debug for ReviewRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ReviewRule(..)")
    }
}
