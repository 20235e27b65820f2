//! `credential_process`: an external command that prints credentials as JSON
//! (`{"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ..., "SessionToken": ..., "Expiration": ...}`).

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use super::{Credentials, CredentialsError};

/// How long a `credential_process` may run before it is killed (60 s unless changed).
pub const DEFAULT_PROCESS_TIMEOUT: Duration = Duration::from_secs(60);
/// The most bytes of standard output read from a `credential_process` (credentials JSON is a few
/// kilobytes; more fails the provider).
pub const PROCESS_OUTPUT_LIMIT: u64 = 1024 * 1024;
/// The most bytes of standard error kept, for the first line of a failure.
const PROCESS_STDERR_LIMIT: u64 = 64 * 1024;

/// Runs the command through the shell and reads its output, killing it after `timeout` or
/// when its output exceeds [`PROCESS_OUTPUT_LIMIT`]. Errors never include stdout, which holds
/// secrets.
pub async fn run_credential_process(
    profile: &str,
    command: &str,
    timeout: Duration,
) -> Result<Credentials, CredentialsError> {
    let failed = |message: String| CredentialsError::Process {
        profile: profile.to_owned(),
        message,
    };
    let mut child = shell(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| failed(format!("cannot start the command: {error}")))?;
    let stdout = read_bounded(child.stdout.take(), PROCESS_OUTPUT_LIMIT);
    let stderr = read_bounded(child.stderr.take(), PROCESS_STDERR_LIMIT);
    let finished = tokio::time::timeout(timeout, async {
        let (stdout, stderr) = (stdout.await, stderr.await);
        loop {
            match child.try_wait() {
                Ok(Some(status)) => return Ok((status, stdout, stderr)),
                Ok(None) => tokio::time::sleep(Duration::from_millis(5)).await,
                Err(error) => return Err(format!("cannot wait for the command: {error}")),
            }
        }
    })
    .await;
    let outcome = match finished {
        Ok(outcome) => outcome,
        Err(_) => Err(format!(
            "the command did not finish within {timeout:?}; it was killed"
        )),
    };
    let (status, stdout, stderr) = match outcome {
        Ok(done) => done,
        Err(message) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(failed(message));
        }
    };
    let stdout = stdout.map_err(&failed)?;
    if !status.success() {
        let stderr = String::from_utf8_lossy(&stderr.unwrap_or_default()).into_owned();
        let first_line = stderr.lines().next().unwrap_or("").trim().to_owned();
        return Err(failed(format!(
            "the command exited with {status} ({first_line})"
        )));
    }
    parse_output(&stdout).map_err(failed)
}

/// Reads a child's pipe on a blocking thread, up to `limit` bytes: more is an error.
async fn read_bounded(
    pipe: Option<impl Read + Send + 'static>,
    limit: u64,
) -> Result<Vec<u8>, String> {
    let Some(pipe) = pipe else {
        return Ok(Vec::new());
    };
    let read = tokio::task::spawn_blocking(move || {
        let mut bytes = Vec::new();
        pipe.take(limit + 1).read_to_end(&mut bytes).map(|_| bytes)
    })
    .await
    .map_err(|error| format!("the output reader failed: {error}"))?
    .map_err(|error| format!("cannot read the output: {error}"))?;
    if read.len() as u64 > limit {
        return Err(format!("its output exceeds {limit} bytes"));
    }
    Ok(read)
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
    super::document::parse(&document, "SessionToken", "its output")
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

#[cfg(all(test, unix))]
mod process_tests {
    use super::*;

    fn run(command: &str, timeout: Duration) -> Result<Credentials, CredentialsError> {
        crate::test_runtime::block_on(run_credential_process("p", command, timeout))
    }

    #[test]
    fn a_hanging_command_is_killed_at_the_timeout() {
        let started = std::time::Instant::now();
        let error = run("exec sleep 30", Duration::from_millis(200)).unwrap_err();
        assert!(
            error.to_string().contains("did not finish within 200ms"),
            "{error}"
        );
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn endless_output_is_cut_off() {
        let error = run("exec yes SECRETLINE", Duration::from_secs(20)).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("exceeds 1048576 bytes"), "{message}");
        assert!(!message.contains("SECRETLINE"), "{message}");
    }

    #[test]
    fn a_good_command_gives_credentials() {
        let json = r#"{"Version": 1, "AccessKeyId": "AK", "SecretAccessKey": "S"}"#;
        let credentials = run(&format!("echo '{json}'"), Duration::from_secs(20)).unwrap();
        assert_eq!(credentials.access_key_id(), "AK");
    }
}
