//! The binary as a process: out of file descriptors, the accept loop waits instead of spinning
//! and serves again once descriptors are free (a small descriptor limit; `/proc` gives its CPU
//! time); a reader of its output that goes away does not stop it; `--help` and `--version`;
//! the request log of `RUST_LOG=info`.
#![cfg(target_os = "linux")]

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

/// User plus system CPU time of a process, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after_name = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

#[test]
fn out_of_descriptors_the_accept_loop_waits_and_recovers() {
    let (mut child, address) = start(48);
    let held: Vec<TcpStream> = (0..80)
        .filter_map(|_| TcpStream::connect(&address).ok())
        .collect();
    assert!(held.len() > 48, "only {} connections were made", held.len());
    std::thread::sleep(Duration::from_millis(300));
    let before = cpu_ticks(child.id());
    std::thread::sleep(Duration::from_secs(1));
    let spent = cpu_ticks(child.id()) - before;
    drop(held);
    std::thread::sleep(Duration::from_millis(300));
    let answer = list_rooms(&address);
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        spent < 30,
        "the emulator spent {spent} ticks of CPU in one idle second"
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

/// The binary on a free port (the shell sets its descriptor limit to `descriptors`); its
/// process and address. The reader of its output is dropped after the first line.
fn start(descriptors: u32) -> (std::process::Child, String) {
    let mut command = Command::new("sh");
    command
        .args([
            "-c",
            &format!("ulimit -n {descriptors} && exec \"$0\" --port 0 --anonymous"),
        ])
        .arg(env!("CARGO_BIN_EXE_ivschat-local"));
    support::spawn_binary(command)
}

/// A ListRooms over a new connection; the answer's first bytes.
fn list_rooms(address: &str) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream
        .write_all(b"POST /ListRooms HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}")
        .unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
}

#[test]
fn a_closed_output_does_not_stop_the_emulator() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ivschat-local"))
        .args(["--port", &port.to_string(), "--anonymous"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Nobody reads what it prints (as with `ivschat-local | head -0`).
    drop(child.stdout.take());
    let address = format!("127.0.0.1:{port}");
    let listening = (0..100).any(|_| {
        std::thread::sleep(Duration::from_millis(50));
        TcpStream::connect(&address).is_ok()
    });
    // Time for a failed write of its banner to end the process, as it did before.
    std::thread::sleep(Duration::from_millis(500));
    let answer = match listening && TcpStream::connect(&address).is_ok() {
        true => list_rooms(&address),
        false => String::new(),
    };
    let exited = child.try_wait().unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(exited.is_none(), "the emulator exited: {exited:?}");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:?}");
}

#[test]
fn help_and_version_exit_0_and_an_unknown_flag_exits_1() {
    let binary = env!("CARGO_BIN_EXE_ivschat-local");
    let help = Command::new(binary).arg("--help").output().unwrap();
    assert!(help.status.success());
    let text = String::from_utf8(help.stdout).unwrap();
    assert!(
        text.contains("--state-file PATH") && text.contains("usage: ivschat-local"),
        "{text}"
    );
    let version = Command::new(binary).arg("--version").output().unwrap();
    assert!(version.status.success());
    assert_eq!(
        String::from_utf8(version.stdout).unwrap().trim(),
        format!("ivschat-local {}", env!("CARGO_PKG_VERSION"))
    );
    let unknown = Command::new(binary).arg("--frobnicate").output().unwrap();
    assert_eq!(unknown.status.code(), Some(1));
    let text = String::from_utf8(unknown.stderr).unwrap();
    assert!(
        text.starts_with("error: unknown argument `--frobnicate`"),
        "{text}"
    );
}

#[test]
fn rust_log_info_logs_each_request_without_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("stderr.log");
    let mut command = Command::new("sh");
    command
        .args(["-c", "exec \"$0\" --port 0 --anonymous 2>\"$1\""])
        .arg(env!("CARGO_BIN_EXE_ivschat-local"))
        .arg(&log)
        .env("RUST_LOG", "info");
    let (mut child, address) = support::spawn_binary(command);
    let answer = list_rooms(&address);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    std::thread::sleep(Duration::from_millis(200));
    let _ = child.kill();
    let _ = child.wait();
    let logged = std::fs::read_to_string(&log).unwrap();
    let line = logged
        .lines()
        .find(|line| line.contains("operation=\"ListRooms\""))
        .unwrap_or_else(|| panic!("no ListRooms line in {logged}"));
    assert!(
        line.contains("INFO") && line.contains("method=POST") && line.contains("status=200"),
        "{line}"
    );
    assert!(line.contains("latency_ms="), "{line}");
    assert!(
        !logged.contains("Authorization") && !logged.contains("maxResults"),
        "{logged}"
    );
}
