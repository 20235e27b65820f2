//! The binary as a process: out of file descriptors, the accept loop waits instead of spinning
//! and serves again once descriptors are free (a small descriptor limit; `/proc` gives its CPU
//! time); and a reader of its output that goes away does not stop it.
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
        .write_all(b"POST /ListRooms HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}")
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
