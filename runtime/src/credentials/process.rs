//! `credential_process`: an external command that prints credentials as JSON
//! (`{"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ..., "SessionToken": ..., "Expiration": ...}`).

use std::process::Command;
use std::time::SystemTime;

use serde_json::Value;

use super::{Credentials, CredentialsError};
use crate::{DateTime, DateTimeFormat};

/// Runs the command through the shell and reads its output. Errors never include stdout,
/// which holds secrets.
pub async fn run_credential_process(
    profile: &str,
    command: &str,
) -> Result<Credentials, CredentialsError> {
    let profile = profile.to_owned();
    let command = command.to_owned();
    let failed = |profile: &str, message: String| CredentialsError::Process {
        profile: profile.to_owned(),
        message,
    };
    let task_profile = profile.clone();
    let output = tokio::task::spawn_blocking(move || shell(&command).output())
        .await
        .map_err(|error| failed(&task_profile, format!("the process task failed: {error}")))?
        .map_err(|error| failed(&profile, format!("cannot start the command: {error}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first_line = stderr.lines().next().unwrap_or("").trim();
        return Err(failed(
            &profile,
            format!("the command exited with {} ({first_line})", output.status),
        ));
    }
    parse_output(&output.stdout).map_err(|message| failed(&profile, message))
}

fn shell(command: &str) -> Command {
    if cfg!(windows) {
        let mut shell = Command::new("cmd");
        shell.args(["/C", command]);
        shell
    } else {
        let mut shell = Command::new("sh");
        shell.args(["-c", command]);
        shell
    }
}

/// Reads the JSON contract; the message names the field at fault.
pub fn parse_output(stdout: &[u8]) -> Result<Credentials, String> {
    let document: Value =
        serde_json::from_slice(stdout).map_err(|_| "its output is not JSON".to_owned())?;
    match document.get("Version").and_then(Value::as_u64) {
        Some(1) => {}
        _ => return Err("its output must have \"Version\": 1".to_owned()),
    }
    let text = |field: &str| {
        document
            .get(field)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let key = text("AccessKeyId").ok_or("its output has no AccessKeyId string")?;
    let secret = text("SecretAccessKey").ok_or("its output has no SecretAccessKey string")?;
    let expiration = match text("Expiration") {
        Some(expiration) => Some(SystemTime::from(
            DateTime::parse(&expiration, DateTimeFormat::DateTime)
                .map_err(|_| format!("its Expiration `{expiration}` is not an RFC 3339 time"))?,
        )),
        None => None,
    };
    Ok(Credentials::new(
        key,
        secret,
        text("SessionToken"),
        expiration,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_json_contract() {
        let credentials = parse_output(
            br#"{"Version": 1, "AccessKeyId": "AK", "SecretAccessKey": "S", "SessionToken": "T", "Expiration": "2030-01-01T00:00:00Z"}"#,
        )
        .unwrap();
        assert_eq!(credentials.access_key_id(), "AK");
        assert_eq!(credentials.session_token(), Some("T"));
        assert!(credentials.expires_at().is_some());
    }

    #[test]
    fn names_what_is_wrong_without_echoing_output() {
        assert_eq!(
            parse_output(b"SECRET").unwrap_err(),
            "its output is not JSON"
        );
        assert_eq!(
            parse_output(br#"{"Version": 2}"#).unwrap_err(),
            "its output must have \"Version\": 1"
        );
        assert_eq!(
            parse_output(br#"{"Version": 1, "AccessKeyId": "AK"}"#).unwrap_err(),
            "its output has no SecretAccessKey string"
        );
    }
}
