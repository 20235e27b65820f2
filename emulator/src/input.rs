//! Reading and checking request members: each failure is a `ValidationException` naming the
//! field and the rule.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};

use regex_lite::Regex;
use serde_json::{Map, Value};

use crate::error::ApiError;

/// The rule a string member must follow.
#[derive(Clone, Copy, Debug)]
pub struct Text {
    /// Fewest characters.
    pub min: usize,
    /// Most characters.
    pub max: usize,
    /// A pattern the value must match.
    pub pattern: Option<&'static str>,
}

impl Text {
    /// Length limits only.
    pub const fn length(min: usize, max: usize) -> Self {
        Self {
            min,
            max,
            pattern: None,
        }
    }

    /// Length limits and a pattern.
    pub const fn pattern(min: usize, max: usize, pattern: &'static str) -> Self {
        Self {
            min,
            max,
            pattern: Some(pattern),
        }
    }
}

/// A room ARN (the model's pattern).
pub const ROOM_ARN: Text = Text::pattern(
    1,
    128,
    "^arn:aws:ivschat:[a-z0-9-]+:[0-9]+:room/[a-zA-Z0-9-]+$",
);
/// A logging-configuration ARN.
pub const LOGGING_ARN: Text = Text::pattern(
    1,
    128,
    "^arn:aws:ivschat:[a-z0-9-]+:[0-9]+:logging-configuration/[a-zA-Z0-9-]+$",
);
/// A taggable resource ARN (the model's pattern, with its one-character type fixed to `[a-z-]+`).
pub const RESOURCE_ARN: Text = Text::pattern(
    1,
    128,
    "^arn:aws:ivschat:[a-z0-9-]+:[0-9]+:[a-z-]+/[a-zA-Z0-9-]+$",
);
/// A room or logging-configuration name.
pub const NAME: Text = Text::pattern(0, 128, "^[a-zA-Z0-9-_]*$");
/// A message or event id.
pub const ID: Text = Text::pattern(12, 12, "^[a-zA-Z0-9]+$");
/// A pagination token.
pub const TOKEN: Text = Text::length(0, 1024);

fn matches(pattern: &'static str, value: &str) -> bool {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, Regex>>> = OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    cache
        .entry(pattern)
        .or_insert_with(|| Regex::new(pattern).expect("the emulator's patterns compile"))
        .is_match(value)
}

/// Checks a string against a rule.
pub fn check(field: &str, value: &str, rule: Text) -> Result<(), ApiError> {
    let length = value.chars().count();
    if length < rule.min || length > rule.max {
        return Err(ApiError::validation(
            field,
            format!(
                "length {length} is not between {} and {}",
                rule.min, rule.max
            ),
        ));
    }
    if let Some(pattern) = rule.pattern {
        if !matches(pattern, value) {
            return Err(ApiError::validation(
                field,
                format!("does not match {pattern}"),
            ));
        }
    }
    Ok(())
}

/// The members of a JSON body (an empty body has none).
pub fn body(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice(bytes) {
        Ok(Value::Object(fields)) => Ok(fields),
        Ok(_) => Err(ApiError::bad_request("the body must be a JSON object")),
        Err(error) => Err(ApiError::bad_request(format!(
            "the body is not JSON: {error}"
        ))),
    }
}

/// A request's members, read with checks.
pub struct Input<'a> {
    fields: &'a Map<String, Value>,
}

impl<'a> Input<'a> {
    /// Reads from these members.
    pub fn new(fields: &'a Map<String, Value>) -> Self {
        Self { fields }
    }

    fn get(&self, field: &str) -> Option<&'a Value> {
        self.fields.get(field).filter(|value| !value.is_null())
    }

    /// An optional string member.
    pub fn string(&self, field: &str, rule: Text) -> Result<Option<String>, ApiError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(text)) => check(field, text, rule).map(|()| Some(text.clone())),
            Some(_) => Err(ApiError::validation(field, "must be a string")),
        }
    }

    /// A required string member.
    pub fn required(&self, field: &str, rule: Text) -> Result<String, ApiError> {
        self.string(field, rule)?
            .ok_or_else(|| ApiError::validation(field, "is required"))
    }

    /// An optional integer member within `min..=max`.
    pub fn integer(&self, field: &str, min: i64, max: i64) -> Result<Option<i64>, ApiError> {
        match self.get(field) {
            None => Ok(None),
            Some(value) => match value.as_i64() {
                Some(number) if (min..=max).contains(&number) => Ok(Some(number)),
                Some(number) => Err(ApiError::validation(
                    field,
                    format!("{number} is not between {min} and {max}"),
                )),
                None => Err(ApiError::validation(field, "must be an integer")),
            },
        }
    }

    /// An optional list of strings, each checked, with at most `max` items.
    pub fn strings(
        &self,
        field: &str,
        max: usize,
        rule: Text,
    ) -> Result<Option<Vec<String>>, ApiError> {
        let Some(value) = self.get(field) else {
            return Ok(None);
        };
        let items = value
            .as_array()
            .ok_or_else(|| ApiError::validation(field, "must be a list"))?;
        if items.len() > max {
            return Err(ApiError::validation(
                field,
                format!("has {} items, at most {max} are allowed", items.len()),
            ));
        }
        items
            .iter()
            .map(|item| match item {
                Value::String(text) => check(field, text, rule).map(|()| text.clone()),
                _ => Err(ApiError::validation(field, "items must be strings")),
            })
            .collect::<Result<_, _>>()
            .map(Some)
    }

    /// An optional string map with at most `max` entries and checked keys and values.
    pub fn string_map(
        &self,
        field: &str,
        max: usize,
        keys: Text,
        values: Text,
    ) -> Result<Option<BTreeMap<String, String>>, ApiError> {
        let Some(value) = self.get(field) else {
            return Ok(None);
        };
        let entries = value
            .as_object()
            .ok_or_else(|| ApiError::validation(field, "must be a map"))?;
        if entries.len() > max {
            return Err(ApiError::validation(
                field,
                format!("has {} entries, at most {max} are allowed", entries.len()),
            ));
        }
        let mut map = BTreeMap::new();
        for (key, value) in entries {
            check(field, key, keys)?;
            let text = value
                .as_str()
                .ok_or_else(|| ApiError::validation(field, "values must be strings"))?;
            check(field, text, values)?;
            map.insert(key.clone(), text.to_owned());
        }
        Ok(Some(map))
    }

    /// An optional object member.
    pub fn object(&self, field: &str) -> Result<Option<&'a Map<String, Value>>, ApiError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::Object(fields)) => Ok(Some(fields)),
            Some(_) => Err(ApiError::validation(field, "must be an object")),
        }
    }
}

/// Tags: at most 50, keys 1-128 characters, values 0-256.
pub fn tags(input: &Input, field: &str) -> Result<Option<BTreeMap<String, String>>, ApiError> {
    input.string_map(field, 50, Text::length(1, 128), Text::length(0, 256))
}

/// Attributes of a chat token or event: string map of at most 1 KB in all.
pub fn attributes(
    input: &Input,
    field: &str,
) -> Result<Option<BTreeMap<String, String>>, ApiError> {
    let attributes = input.string_map(
        field,
        usize::MAX,
        Text::length(0, 1024),
        Text::length(0, 1024),
    )?;
    if let Some(map) = &attributes {
        let size: usize = map.iter().map(|(key, value)| key.len() + value.len()).sum();
        if size > 1024 {
            return Err(ApiError::validation(
                field,
                format!("holds {size} bytes, at most 1024 are allowed"),
            ));
        }
    }
    Ok(attributes)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn message(error: ApiError) -> (u16, &'static str, String) {
        let message = error.body["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        (error.status, error.code, message)
    }

    fn fields(value: Value) -> Map<String, Value> {
        value.as_object().cloned().expect("an object")
    }

    #[test]
    fn bodies_are_objects_or_empty() {
        assert!(body(b"  \n")
            .expect("empty bodies have no members")
            .is_empty());
        assert_eq!(body(br#"{"a": 1}"#).expect("an object")["a"], json!(1));
        let (status, code, text) = message(body(b"[1]").expect_err("an array is refused"));
        assert_eq!(
            (status, code, text.as_str()),
            (400, "ValidationException", "the body must be a JSON object")
        );
        let (status, _, text) = message(body(b"{\"a\":").expect_err("truncated JSON is refused"));
        assert!(
            status == 400 && text.starts_with("the body is not JSON: EOF"),
            "{text}"
        );
    }

    #[test]
    fn strings_are_checked_by_characters_and_pattern() {
        // Characters, not bytes: 128 two-byte characters fit a 128-character name.
        assert!(check("name", &"é".repeat(128), Text::length(0, 128)).is_ok());
        let (_, code, text) = message(check("name", &"a".repeat(129), NAME).expect_err("too long"));
        assert_eq!(
            (code, text.as_str()),
            (
                "ValidationException",
                "name: length 129 is not between 0 and 128"
            )
        );
        let (_, _, text) = message(check("name", "a b", NAME).expect_err("a space"));
        assert_eq!(text, "name: does not match ^[a-zA-Z0-9-_]*$");
        assert!(check(
            "arn",
            "arn:aws:ivschat:us-east-1:123456789012:room/AbC1",
            ROOM_ARN
        )
        .is_ok());
    }

    #[test]
    fn members_of_the_wrong_type_or_size_name_the_field() {
        let body = fields(json!({
            "name": 5,
            "count": 1.5,
            "ids": ["a", 1],
            "tags": {"k": 1},
            "big": (0..51).map(|n| (n.to_string(), json!("v"))).collect::<Map<_, _>>(),
            "gone": null,
        }));
        let input = Input::new(&body);
        let refused = |result: Result<(), ApiError>| message(result.expect_err("refused")).2;
        assert_eq!(
            refused(input.string("name", NAME).map(drop)),
            "name: must be a string"
        );
        assert_eq!(
            refused(input.integer("count", 1, 10).map(drop)),
            "count: must be an integer"
        );
        assert_eq!(
            refused(input.strings("ids", 5, TOKEN).map(drop)),
            "ids: items must be strings"
        );
        assert_eq!(
            refused(tags(&input, "tags").map(drop)),
            "tags: values must be strings"
        );
        assert_eq!(
            refused(tags(&input, "big").map(drop)),
            "big: has 51 entries, at most 50 are allowed"
        );
        assert_eq!(
            refused(input.required("gone", NAME).map(drop)),
            "gone: is required"
        );
        assert_eq!(input.string("absent", NAME).expect("absent is fine"), None);
    }

    #[test]
    fn attributes_are_bounded_in_total_bytes() {
        let body = fields(json!({"attributes": {"a": "x".repeat(600), "b": "y".repeat(600)}}));
        let (_, _, text) =
            message(attributes(&Input::new(&body), "attributes").expect_err("over 1 KB"));
        assert_eq!(
            text,
            "attributes: holds 1202 bytes, at most 1024 are allowed"
        );
    }
}
