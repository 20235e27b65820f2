//! The form-encoded request bodies of the awsQuery and ec2Query protocols:
//! `Action=Op&Version=2011-06-15&Name.member.1=value`, keys and values percent-encoded.
//! The generated writers compose the dotted keys; this writer encodes and joins them.

use crate::sigv4::uri_encode;
use crate::{Blob, DateTime, DateTimeFormat};

/// A form body being written.
#[derive(Debug)]
pub struct QueryWriter {
    body: String,
}

impl QueryWriter {
    /// A body that starts with the operation's `Action` and the service's `Version`.
    pub fn new(action: &str, version: &str) -> Self {
        let mut writer = Self {
            body: String::with_capacity(128),
        };
        writer.pair("Action", action);
        writer.pair("Version", version);
        writer
    }

    /// Appends `key=value`, both percent-encoded.
    pub fn pair(&mut self, key: &str, value: &str) {
        if !self.body.is_empty() {
            self.body.push('&');
        }
        self.body.push_str(&uri_encode(key, false));
        self.body.push('=');
        self.body.push_str(&uri_encode(value, false));
    }

    /// Appends a boolean.
    pub fn boolean(&mut self, key: &str, value: bool) {
        self.pair(key, if value { "true" } else { "false" });
    }

    /// Appends an integer.
    pub fn integer(&mut self, key: &str, value: impl Into<i64>) {
        self.pair(key, &value.into().to_string());
    }

    /// Appends a float (`NaN`, `Infinity` and `-Infinity` as words).
    pub fn float(&mut self, key: &str, value: f64) {
        self.pair(key, &crate::operation::request::float_text(value));
    }

    /// Appends a timestamp in `format`.
    pub fn timestamp(&mut self, key: &str, value: &DateTime, format: DateTimeFormat) {
        self.pair(key, &value.fmt(format));
    }

    /// Appends a blob, base64-encoded.
    pub fn blob(&mut self, key: &str, value: &Blob) {
        self.pair(key, &crate::json::base64::encode(value.as_ref()));
    }

    /// The body.
    pub fn finish(self) -> String {
        self.body
    }
}

/// The key of member `name` under `prefix` (`prefix.name`, or `name` at the top).
pub fn key(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_encoded_and_joined_after_action_and_version() {
        let mut writer = QueryWriter::new("AssumeRole", "2011-06-15");
        writer.pair(&key("", "RoleArn"), "arn:aws:iam::1:role/a b");
        writer.pair(&key("Tags.member.1", "Key"), "k=v&w");
        writer.boolean("Flag", true);
        writer.integer("Count", 7_i32);
        writer.float("Ratio", f64::NEG_INFINITY);
        assert_eq!(
            writer.finish(),
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa%20b\
             &Tags.member.1.Key=k%3Dv%26w&Flag=true&Count=7&Ratio=-Infinity"
        );
    }
}
