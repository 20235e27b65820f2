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

/// Runs the command through the shell, in a process group of its own, and reads its output,
/// killing the whole group (the shell and whatever it started) after `timeout` or when its
/// output exceeds [`PROCESS_OUTPUT_LIMIT`]. Errors never include what it printed: standard
/// output holds secrets, and standard error may.
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
            kill_group(&mut child);
            return Err(failed(message));
        }
    };
    let stdout = stdout.map_err(&failed)?;
    if !status.success() {
        let said = stderr.map_or(0, |stderr| stderr.len());
        return Err(failed(format!(
            "the command exited with {status}; its standard error ({said} bytes) is not shown, \
             as it may hold secrets: run the command yourself to read it"
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

/// Kills the child and, on Unix, every process of its group (what the shell started too, which
/// may hold the output pipes open), then reaps the child.
fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    if let Ok(group) = i32::try_from(child.id()) {
        // SAFETY: kill(2) with a negative pid signals the process group the child leads (it was
        // started with `process_group(0)`); it touches no memory of ours.
        unsafe {
            libc::kill(-group, libc::SIGKILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The command line run by the platform's shell, in a process group of its own on Unix.
fn shell(command: &str) -> Command {
    if cfg!(windows) {
        let mut shell = Command::new("cmd");
        shell.args(["/C", command]);
        shell
    } else {
        let mut shell = Command::new("sh");
        shell.args(["-c", command]);
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut shell, 0);
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
    fn a_timeout_kills_what_the_shell_started_too() {
        let folder = tempfile::tempdir().unwrap();
        let pid_file = folder.path().join("pid");
        let command = format!("sleep 30 & echo $! > {}; wait", pid_file.display());
        let error = run(&command, Duration::from_millis(500)).unwrap_err();
        assert!(error.to_string().contains("did not finish"), "{error}");
        let pid = std::fs::read_to_string(&pid_file).unwrap();
        let proc = format!("/proc/{}", pid.trim());
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while std::path::Path::new(&proc).exists() && std::time::Instant::now() < deadline {
            let state = std::fs::read_to_string(format!("{proc}/stat")).unwrap_or_default();
            if state.split_whitespace().nth(2) == Some("Z") {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let state = std::fs::read_to_string(format!("{proc}/stat")).unwrap_or_default();
        assert!(
            state.is_empty() || state.split_whitespace().nth(2) == Some("Z"),
            "the grandchild {} still runs: {state}",
            pid.trim()
        );
    }

    #[test]
    fn a_failing_command_s_standard_error_is_not_echoed() {
        let error = run("echo SECRET-IN-STDERR >&2; exit 3", Duration::from_secs(20)).unwrap_err();
        let message = error.to_string();
        assert!(!message.contains("SECRET-IN-STDERR"), "{message}");
        assert!(message.contains("exited with exit status: 3"), "{message}");
        assert!(
            message.contains("standard error (17 bytes) is not shown"),
            "{message}"
        );
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
