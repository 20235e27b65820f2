//! Soak: the emulator binary under 64 clients, 8 slow-loris connections and a stream of faults
//! for 30 s. Its resident memory stays under a bound, it keeps serving, and the rooms it holds
//! at the end are exactly those the clients know they created and did not delete. Linux only
//! (`/proc` gives the emulator's memory).
#![cfg(target_os = "linux")]

mod support;

use std::collections::BTreeSet;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ivschat::{Client, Config};
use ivschat_local::{DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY};
use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::StreamExt;
use support::Target;
use tokio::io::AsyncWriteExt;

const SOAK: Duration = Duration::from_secs(30);
const CLIENTS: usize = 64;
const SLOW_LORIS: usize = 8;
/// The most rooms a client keeps at once (so the state, and memory, stay bounded).
const ROOMS_PER_CLIENT: usize = 4;
/// The most rounds one client runs, whatever the time left (the loops are bounded in count as
/// well as in time).
const MAX_ROUNDS: usize = 20_000;
/// The most connections one slow-loris task opens.
const MAX_LORIS_CONNECTIONS: usize = 100;
/// The emulator's resident memory may not exceed this at any sample.
const RSS_BOUND_KIB: u64 = 32 * 1024;

/// The emulator binary on a free port; its URL.
fn start_emulator() -> (Child, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ivschat-local"));
    command.args(["--port", "0", "--room-quota", "100000"]);
    let (child, address) = support::spawn_binary(command);
    (child, format!("http://{address}"))
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn client(url: &str) -> Client {
    let config = Config::builder()
        .region("us-west-2")
        .endpoint_url(url)
        .credentials(Credentials::new(
            DEFAULT_ACCESS_KEY_ID,
            DEFAULT_SECRET_ACCESS_KEY,
            None,
            None,
        ))
        .initial_backoff(Duration::from_millis(5))
        .attempt_timeout(Duration::from_secs(5));
    Client::from_builder(config).unwrap()
}

/// One client's loop until `end`: create a room (tagged), read it, issue a token, send an
/// event, and delete its oldest room beyond [`ROOMS_PER_CLIENT`]. Returns the rooms it knows
/// exist: created with a success, not deleted with a success. Faults only ever strike before
/// the emulator acts, so a failed call changed nothing.
async fn work(
    client: Client,
    number: usize,
    end: Instant,
    calls: Arc<AtomicUsize>,
) -> BTreeSet<String> {
    let mut live: Vec<String> = Vec::new();
    let mut sequence = 0;
    while Instant::now() < end && sequence < MAX_ROUNDS {
        sequence += 1;
        calls.fetch_add(1, Ordering::Relaxed);
        let name = format!("c{number}-{sequence}");
        if let Ok(room) = client
            .create_room()
            .name(&name)
            .tags("client", number.to_string())
            .send()
            .await
        {
            live.push(room.arn().unwrap().to_owned());
        }
        let Some(arn) = live.last().cloned() else {
            continue;
        };
        let _ = client.get_room().identifier(&arn).send().await;
        let _ = client
            .create_chat_token()
            .room_identifier(&arn)
            .user_id("u")
            .send()
            .await;
        let _ = client
            .send_event()
            .room_identifier(&arn)
            .event_name("soak")
            .send()
            .await;
        calls.fetch_add(3, Ordering::Relaxed);
        if live.len() > ROOMS_PER_CLIENT {
            calls.fetch_add(1, Ordering::Relaxed);
            let oldest = live[0].clone();
            if client
                .delete_room()
                .identifier(&oldest)
                .send()
                .await
                .is_ok()
            {
                live.remove(0);
            }
        }
    }
    live.into_iter().collect()
}

/// A connection that sends a request head one byte a second, reconnecting whenever the
/// emulator closes it; returns how many times it was closed.
async fn slow_loris(address: String, end: Instant) -> usize {
    let mut closed = 0;
    while Instant::now() < end && closed < MAX_LORIS_CONNECTIONS {
        let Ok(mut stream) = tokio::net::TcpStream::connect(&address).await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        for byte in b"POST /ListRooms HTTP/1.1\r\nhost: slow\r\nx-padding: "
            .iter()
            .cycle()
        {
            if Instant::now() >= end {
                return closed;
            }
            if stream.write_all(&[*byte]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        closed += 1;
    }
    closed
}

/// Queues a fault that strikes before the emulator acts, every 50 ms; returns how many were
/// queued and how many requests broke off in transport.
async fn fault_stream(target: Target, end: Instant) -> (usize, usize) {
    let faults = [
        r#"{"fault": "internal-error", "count": 3}"#,
        r#"{"fault": "throttle", "count": 2}"#,
        r#"{"fault": "drop-before", "count": 1}"#,
        r#"{"fault": "delay", "delayMs": 200, "count": 2}"#,
    ];
    let (mut queued, mut broken) = (0, 0);
    while Instant::now() < end && queued + broken < 1000 {
        let fault = faults[queued % faults.len()];
        match target
            .try_signed_json("/_emulator/faults", fault.as_bytes())
            .await
        {
            Ok(answer) => {
                let body = String::from_utf8_lossy(answer.body()).into_owned();
                assert_eq!(answer.status(), 200, "{body}");
                queued += 1;
            }
            Err(_) => broken += 1,
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (queued, broken)
}

/// Open file descriptors of a process (its sockets, mostly).
fn descriptors(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |entries| entries.count())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_emulator_holds_up_under_load_slow_loris_and_faults() {
    let (mut child, url) = start_emulator();
    let pid = child.id();
    let end = Instant::now() + SOAK;
    let calls = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..CLIENTS)
        .map(|number| tokio::spawn(work(client(&url), number, end, calls.clone())))
        .collect();
    let address = url.trim_start_matches("http://").to_owned();
    let lorises: Vec<_> = (0..SLOW_LORIS)
        .map(|_| tokio::spawn(slow_loris(address.clone(), end)))
        .collect();
    let target = Target {
        url: url.clone(),
        region: "us-west-2".to_owned(),
        credentials: Credentials::new(DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, None, None),
    };
    let faults = tokio::spawn(fault_stream(target, end));
    let (mut peak, mut peak_descriptors) = (0, 0);
    while Instant::now() < end {
        peak = peak.max(rss_kib(pid));
        peak_descriptors = peak_descriptors.max(descriptors(pid));
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let mut expected = BTreeSet::new();
    for worker in workers {
        expected.extend(worker.await.unwrap());
    }
    let closed: usize = futures_util::future::join_all(lorises)
        .await
        .into_iter()
        .map(Result::unwrap)
        .sum();
    let (faults, broken) = faults.await.unwrap();
    peak = peak.max(rss_kib(pid));
    // Drain faults still queued, then read the whole state through a clean client.
    let reader = client(&url);
    let mut held = BTreeSet::new();
    for _ in 0..3 {
        held.clear();
        let mut rooms = reader.list_rooms().into_paginator().items();
        let mut complete = true;
        while let Some(room) = rooms.next().await {
            match room {
                Ok(room) => {
                    held.insert(room.arn().unwrap_or_default().to_owned());
                }
                Err(_) => {
                    complete = false;
                    break;
                }
            }
        }
        if complete {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    println!(
        "soak: {CLIENTS} clients, {} calls, {faults} faults queued ({broken} fault requests broken off), slow-loris connections closed {closed} times, peak RSS {peak} KiB, peak {peak_descriptors} descriptors, {} rooms at the end",
        calls.load(Ordering::Relaxed),
        held.len()
    );
    assert!(
        peak > 0 && peak < RSS_BOUND_KIB,
        "peak RSS {peak} KiB (bound {RSS_BOUND_KIB})"
    );
    assert!(
        closed >= SLOW_LORIS,
        "the slow-loris connections were never cut off ({closed})"
    );
    assert!(
        faults > 100 && broken * 10 < faults,
        "{faults} faults queued, {broken} broken off"
    );
    assert_eq!(
        held, expected,
        "the emulator's rooms differ from what the clients know"
    );
}
