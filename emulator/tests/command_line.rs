//! The binary's command line: `--flag=value` and `--help` anywhere, start errors that say what
//! failed (an address in use, naming it; a corrupt state file, naming it), a banner with the
//! variables to export, and a request log, filtered per crate by `RUST_LOG`, that names
//! operations (STS actions too) and gives a refusal's reason.
#![cfg(target_os = "linux")]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::Duration;

const BINARY: &str = env!("CARGO_BIN_EXE_ivschat-local");

fn output(arguments: &[&str]) -> (Option<i32>, String, String) {
    let ran = Command::new(BINARY).args(arguments).output().unwrap();
    (
        ran.status.code(),
        String::from_utf8_lossy(&ran.stdout).into_owned(),
        String::from_utf8_lossy(&ran.stderr).into_owned(),
    )
}

#[test]
fn help_works_anywhere_and_values_may_follow_an_equals_sign() {
    let (code, stdout, _) = output(&["--port=0", "--anonymous", "--help"]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("usage: ivschat-local"), "{stdout}");
    let (code, _, stderr) = output(&["--port=notanumber"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.starts_with("error: --port needs a number"),
        "{stderr}"
    );
}

#[test]
fn start_errors_say_what_failed() {
    let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = held.local_addr().unwrap().port().to_string();
    let (code, _, stderr) = output(&["--port", &port]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains(&format!("cannot listen on 127.0.0.1:{port}"))
            && stderr.contains("another program holds it"),
        "{stderr}"
    );
    let folder = tempfile::tempdir().unwrap();
    let state = folder.path().join("state.json");
    std::fs::write(&state, "{ not json").unwrap();
    let (code, _, stderr) = output(&["--port", "0", "--state-file", state.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("state.json: not JSON") && !stderr.contains("cannot listen"),
        "{stderr}"
    );
}

/// Sends `request` to `address` and reads the answer.
fn exchange(address: &str, request: &str) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
}

#[test]
fn the_banner_says_what_to_export_and_the_log_names_operations_and_reasons() {
    use std::io::BufRead;
    let folder = tempfile::tempdir().unwrap();
    let log = folder.path().join("stderr.log");
    let mut child = Command::new(BINARY)
        .args(["--port=0", "--web-identity-token=t"])
        // Per crate: warnings elsewhere, the emulator's own request log at info.
        .env("RUST_LOG", "warn,ivschat_local=info")
        .stdout(std::process::Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let banner: Vec<String> = (0..3).map_while(|_| lines.next()?.ok()).collect();
    let address = banner[0]
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .to_owned();
    let json = "content-type: application/json\r\nconnection: close\r\n";
    let refused = exchange(
        &address,
        &format!(
            "POST /ListRooms HTTP/1.1\r\nhost: localhost\r\n{json}content-length: 2\r\n\r\n{{}}"
        ),
    );
    assert!(refused.starts_with("HTTP/1.1 403"), "{refused}");
    let form = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr&RoleSessionName=s1&WebIdentityToken=t";
    let sts = exchange(
        &address,
        &format!("POST / HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/x-www-form-urlencoded\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{form}", form.len()),
    );
    assert!(sts.starts_with("HTTP/1.1 200"), "{sts}");
    std::thread::sleep(Duration::from_millis(200));
    let _ = child.kill();
    let _ = child.wait();
    let banner = banner.join("\n");
    assert!(
        banner.contains(&format!("export AWS_ENDPOINT_URL=http://{address} AWS_REGION=us-west-2 AWS_ACCESS_KEY_ID=AKIDIVSCHATLOCAL AWS_SECRET_ACCESS_KEY=ivschat-local-secret")),
        "{banner}"
    );
    let logged = std::fs::read_to_string(&log).unwrap();
    let refusal = logged
        .lines()
        .find(|line| line.contains("operation=\"ListRooms\""))
        .unwrap_or_else(|| panic!("no ListRooms line in {logged}"));
    assert!(
        refusal.contains("status=403")
            && refusal.contains("reason=")
            && refusal.contains("MissingAuthenticationTokenException"),
        "{refusal}"
    );
    assert!(
        logged.contains("operation=\"AssumeRoleWithWebIdentity\""),
        "{logged}"
    );
    assert!(!logged.contains("WebIdentityToken=t"), "{logged}");
}
