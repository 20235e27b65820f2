//! The emulator's resources, in memory.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use ivschat_runtime::{DateTime, DateTimeFormat};
use serde_json::{json, Map, Value};

use crate::hub::Hub;
use crate::limits::Limits;
use crate::review::ReviewRule;

/// Account-wide settings.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The region in ARNs and the signature scope.
    pub region: String,
    /// The account id in ARNs.
    pub account_id: String,
    /// Most rooms (`ServiceQuotaExceededException` beyond).
    pub room_quota: usize,
    /// Most logging configurations.
    pub logging_quota: usize,
    /// How long one minute of a chat session lasts (shortened in tests).
    pub session_minute: Duration,
    /// Whether rooms' message rate limits are enforced.
    pub message_rate_limits: bool,
    /// What reviews messages in rooms with a review handler.
    pub review_rule: Option<ReviewRule>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            region: "us-west-2".to_owned(),
            account_id: "123456789012".to_owned(),
            room_quota: 1000,
            logging_quota: 10,
            session_minute: Duration::from_secs(60),
            message_rate_limits: true,
            review_rule: None,
        }
    }
}

/// A room.
#[derive(Clone, Debug, PartialEq)]
pub struct Room {
    pub arn: String,
    pub id: String,
    pub name: String,
    pub create_time: DateTime,
    pub update_time: DateTime,
    pub maximum_message_rate_per_second: i64,
    pub maximum_message_length: i64,
    /// Lambda ARN and fallback result, when a review handler is attached.
    pub review_handler: Option<(String, String)>,
    pub logging_configuration_identifiers: Vec<String>,
}

/// A logging configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct LoggingConfiguration {
    pub arn: String,
    pub id: String,
    pub name: String,
    pub create_time: DateTime,
    pub update_time: DateTime,
    /// The destination union as JSON (one member).
    pub destination: Value,
    pub state: &'static str,
}

/// A chat token the emulator issued (kept for the messaging endpoint); `Debug` never shows the
/// token.
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedToken {
    /// The principal that asked for it.
    pub issuer: String,
    pub token: String,
    pub room_arn: String,
    pub user_id: String,
    pub capabilities: Vec<String>,
    /// The token's attributes: the `Sender.Attributes` of its user's messages.
    pub attributes: BTreeMap<String, String>,
    pub token_expiration: DateTime,
    pub session_expiration: DateTime,
    /// Whether a connection was opened with it (tokens are single-use).
    pub used: bool,
}

impl std::fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedToken")
            .field("issuer", &self.issuer)
            .field("token", &"** redacted **")
            .field("room_arn", &self.room_arn)
            .field("user_id", &self.user_id)
            .field("capabilities", &self.capabilities)
            .field("token_expiration", &self.token_expiration)
            .field("session_expiration", &self.session_expiration)
            .field("used", &self.used)
            .finish_non_exhaustive()
    }
}

/// What a state file keeps, shared with a save in progress: a change copies a collection only
/// while a save still holds it (`Arc::make_mut`), and a save takes it without copying.
#[derive(Clone, Debug, Default)]
pub struct Kept {
    pub rooms: Arc<BTreeMap<String, Room>>,
    pub logging: Arc<BTreeMap<String, LoggingConfiguration>>,
    pub tags: Arc<BTreeMap<String, BTreeMap<String, String>>>,
}

/// Everything the emulator holds.
#[derive(Clone, Debug, Default)]
pub struct State {
    pub settings: Settings,
    pub limits: Limits,
    pub rooms: Arc<BTreeMap<String, Room>>,
    pub logging: Arc<BTreeMap<String, LoggingConfiguration>>,
    pub tags: Arc<BTreeMap<String, BTreeMap<String, String>>>,
    pub tokens: Vec<IssuedToken>,
    /// The open WebSocket connections.
    pub hub: Hub,
}

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// A new 12-character id of `[a-zA-Z0-9]` (not secret: ids of rooms, messages, requests).
pub fn new_id() -> String {
    (0..12)
        .map(|_| ALPHABET[fastrand::usize(..ALPHABET.len())] as char)
        .collect()
}

/// A new secret of 43 characters of `[a-zA-Z0-9]` (over 256 bits) from the operating system's
/// CSPRNG: chat tokens, which must not be guessable from earlier ones.
pub fn secret_token() -> String {
    let mut token = String::with_capacity(43);
    let mut bytes = [0u8; 64];
    while token.len() < 43 {
        getrandom::getrandom(&mut bytes).expect("the operating system's random source works");
        // 248 = 4 * 62: bytes above it are dropped so every character is equally likely.
        for byte in bytes.iter().filter(|byte| **byte < 248) {
            if token.len() == 43 {
                break;
            }
            token.push(ALPHABET[usize::from(*byte) % ALPHABET.len()] as char);
        }
    }
    token
}

/// RFC 3339 text of a time.
pub fn time(value: DateTime) -> Value {
    Value::String(value.fmt(DateTimeFormat::DateTime))
}

/// The entries of `map` whose key `own` accepts, and the others.
fn split<V: Clone>(
    map: &mut Arc<BTreeMap<String, V>>,
    own: impl Fn(&String) -> bool,
) -> (BTreeMap<String, V>, BTreeMap<String, V>) {
    let all = std::mem::take(Arc::make_mut(map));
    all.into_iter().partition(|(key, _)| own(key))
}

impl State {
    /// What a state file keeps, without copying it.
    pub fn kept(&self) -> Kept {
        Kept {
            rooms: self.rooms.clone(),
            logging: self.logging.clone(),
            tags: self.tags.clone(),
        }
    }

    /// Runs `run` as `account`: it sees, lists, counts against the quota and creates only
    /// that account's rooms, logging configurations and tags (their ARNs carry the account);
    /// the other accounts' are put back afterwards, untouched.
    pub fn in_account<T>(&mut self, account: &str, run: impl FnOnce(&mut State) -> T) -> T {
        let prefix = format!("arn:aws:ivschat:{}:{account}:", self.settings.region);
        let own = |arn: &String| arn.starts_with(&prefix);
        let (rooms, other_rooms) = split(&mut self.rooms, own);
        let (logging, other_logging) = split(&mut self.logging, own);
        let (tags, other_tags) = split(&mut self.tags, own);
        self.rooms = Arc::new(rooms);
        self.logging = Arc::new(logging);
        self.tags = Arc::new(tags);
        let default = std::mem::replace(&mut self.settings.account_id, account.to_owned());
        let result = run(self);
        self.settings.account_id = default;
        Arc::make_mut(&mut self.rooms).extend(other_rooms);
        Arc::make_mut(&mut self.logging).extend(other_logging);
        Arc::make_mut(&mut self.tags).extend(other_tags);
        result
    }

    /// An ARN of this account and region.
    pub fn arn(&self, kind: &str, id: &str) -> String {
        format!(
            "arn:aws:ivschat:{}:{}:{kind}/{id}",
            self.settings.region, self.settings.account_id
        )
    }

    /// The tags of a resource, as JSON.
    pub fn tags_json(&self, arn: &str) -> Value {
        json!(self.tags.get(arn).cloned().unwrap_or_default())
    }

    /// A room as the service returns it (`summary` leaves out the limits).
    pub fn room_json(&self, room: &Room, summary: bool) -> Value {
        let mut fields = Map::new();
        fields.insert("arn".to_owned(), json!(room.arn));
        fields.insert("id".to_owned(), json!(room.id));
        fields.insert("name".to_owned(), json!(room.name));
        fields.insert("createTime".to_owned(), time(room.create_time));
        fields.insert("updateTime".to_owned(), time(room.update_time));
        if !summary {
            fields.insert(
                "maximumMessageRatePerSecond".to_owned(),
                json!(room.maximum_message_rate_per_second),
            );
            fields.insert(
                "maximumMessageLength".to_owned(),
                json!(room.maximum_message_length),
            );
        }
        let handler = match &room.review_handler {
            Some((uri, fallback)) => json!({ "uri": uri, "fallbackResult": fallback }),
            None => json!({}),
        };
        fields.insert("messageReviewHandler".to_owned(), handler);
        fields.insert("tags".to_owned(), self.tags_json(&room.arn));
        fields.insert(
            "loggingConfigurationIdentifiers".to_owned(),
            json!(room.logging_configuration_identifiers),
        );
        Value::Object(fields)
    }

    /// A logging configuration as the service returns it.
    pub fn logging_json(&self, configuration: &LoggingConfiguration) -> Value {
        json!({
            "arn": configuration.arn,
            "id": configuration.id,
            "name": configuration.name,
            "createTime": time(configuration.create_time),
            "updateTime": time(configuration.update_time),
            "destinationConfiguration": configuration.destination,
            "state": configuration.state,
            "tags": self.tags_json(&configuration.arn),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_a_chat_token() {
        let issued = IssuedToken {
            issuer: "AKID".to_owned(),
            token: "SECRETCHATTOKEN".to_owned(),
            room_arn: "arn".to_owned(),
            user_id: "u".to_owned(),
            capabilities: Vec::new(),
            attributes: BTreeMap::new(),
            token_expiration: DateTime::from_secs(0),
            session_expiration: DateTime::from_secs(0),
            used: false,
        };
        let shown = format!("{issued:?}");
        assert!(
            !shown.contains("SECRETCHATTOKEN") && shown.contains("redacted"),
            "{shown}"
        );
    }

    #[test]
    fn secret_tokens_are_long_distinct_and_alphanumeric() {
        let tokens: std::collections::HashSet<String> = (0..1000).map(|_| secret_token()).collect();
        assert_eq!(tokens.len(), 1000);
        assert!(tokens
            .iter()
            .all(|token| token.len() == 43 && token.bytes().all(|b| b.is_ascii_alphanumeric())));
    }
}
