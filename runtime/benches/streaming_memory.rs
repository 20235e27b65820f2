//! Peak memory and throughput of streaming bodies against buffered ones, over the default
//! transport and a loopback sink: `cargo bench -p ivschat-runtime --bench streaming_memory`.
//!
//! Each scenario runs in a process of its own (this binary, started again with the scenario's
//! name), so each peak resident set (`VmHWM`) is its own.

use std::process::Command;
use std::time::{Duration, Instant};

use http::{HeaderMap, Method};
use ivschat_runtime::config::{Config, ServiceInfo};
use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::env::Env;
use ivschat_runtime::operation::{Auth, Endpoint, Handle, OperationRequest};
use ivschat_runtime::ByteStream;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// Bytes moved each way.
const SIZE: u64 = 128 * 1024 * 1024;

const SCENARIOS: [(&str, &str); 4] = [
    (
        "upload-file",
        "upload a file, signed (hashed, then streamed)",
    ),
    (
        "upload-buffered",
        "upload the same bytes read into memory first",
    ),
    ("download-stream", "download, reading chunk by chunk"),
    ("download-buffered", "download, reading the body whole"),
];

fn main() {
    let mut arguments = std::env::args()
        .skip(1)
        .filter(|argument| argument != "--bench");
    match arguments.next() {
        Some(scenario) => run_scenario(&scenario),
        None => report(),
    }
}

/// Runs every scenario in a child process and prints a table.
fn report() {
    let this = std::env::current_exe().expect("the bench's own path");
    println!(
        "streaming bodies, {} MiB each way over loopback",
        SIZE >> 20
    );
    println!("| scenario | peak RSS | throughput |");
    println!("|---|---|---|");
    for (scenario, what) in SCENARIOS {
        let output = Command::new(&this)
            .arg(scenario)
            .output()
            .expect("the scenario runs");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{scenario} failed: {text}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        println!("| {what} | {} |", text.trim());
    }
}

fn run_scenario(scenario: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let elapsed = runtime.block_on(async {
        let url = sink_server().await;
        let file = std::env::temp_dir().join(format!("streaming-memory-{}", std::process::id()));
        if scenario.starts_with("upload") {
            write_test_file(&file);
        }
        let started = Instant::now();
        match scenario {
            "upload-file" => upload(&url, ByteStream::from_path(&file).await.unwrap()).await,
            "upload-buffered" => {
                upload(&url, ByteStream::from(std::fs::read(&file).unwrap())).await
            }
            "download-stream" => {
                let done = handle()
                    .invoke_streaming(&Endpoint::url(&url), request(ByteStream::default()))
                    .await
                    .unwrap();
                let mut body = done.response.into_body();
                let mut read = 0u64;
                while let Some(chunk) = body.next().await {
                    read += chunk.unwrap().len() as u64;
                }
                assert_eq!(read, SIZE);
            }
            "download-buffered" => {
                let done = handle()
                    .invoke(&Endpoint::url(&url), request(ByteStream::default()))
                    .await
                    .unwrap();
                assert_eq!(done.response.body().len() as u64, SIZE);
            }
            other => panic!("unknown scenario `{other}`"),
        }
        let elapsed = started.elapsed();
        let _ = std::fs::remove_file(&file);
        elapsed
    });
    println!(
        "{:.1} MiB | {:.0} MiB/s",
        peak_rss_kb() as f64 / 1024.0,
        throughput(elapsed)
    );
}

/// Writes [`SIZE`] bytes, a MiB at a time, so that writing adds nothing to the peak.
fn write_test_file(path: &std::path::Path) {
    use std::io::Write;
    let mut file = std::fs::File::create(path).expect("the test file");
    let block = vec![7u8; 1 << 20];
    for _ in 0..SIZE >> 20 {
        file.write_all(&block).expect("the test file");
    }
}

fn throughput(elapsed: Duration) -> f64 {
    (SIZE >> 20) as f64 / elapsed.as_secs_f64()
}

async fn upload(url: &str, body: ByteStream) {
    let mut request = request(body);
    request.method = Method::PUT;
    let done = handle().invoke(&Endpoint::url(url), request).await.unwrap();
    assert_eq!(done.response.status(), 200);
}

fn handle() -> Handle {
    let service = ServiceInfo {
        sdk_id: "bench",
        signing_name: "bench",
        crate_name: "bench",
        crate_version: "0",
    };
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "SECRET", None, None))
        .max_attempts(1)
        .build_with_env(service, &Env::from_pairs([]))
        .unwrap();
    Handle::new(config)
}

fn request(body: ByteStream) -> OperationRequest {
    OperationRequest {
        operation: "Bench",
        method: Method::GET,
        path_and_query: "/object".to_owned(),
        headers: HeaderMap::new(),
        body,
        auth: Auth::SigV4,
        checksums: None,
        idempotent: false,
        event_signing: None,
        error_in_success: false,
    }
}

/// A server for one request: a PUT's body is read and dropped, then answered 200 with no
/// body; a GET is answered with [`SIZE`] bytes.
async fn sink_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let (read, mut write) = stream.into_split();
        let mut reader = BufReader::new(read);
        let (mut length, mut get) = (0u64, false);
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).await.unwrap();
            let line = line.to_ascii_lowercase();
            get |= line.starts_with("get ");
            if let Some(value) = line.strip_prefix("content-length:") {
                length = value.trim().parse().unwrap();
            }
            if line == "\r\n" {
                break;
            }
        }
        let mut buffer = vec![0u8; 64 * 1024];
        while length > 0 {
            let read = reader.read(&mut buffer).await.unwrap();
            assert!(read > 0, "the upload ended early");
            length -= read as u64;
        }
        let answer_length = if get { SIZE } else { 0 };
        write
            .write_all(
                format!("HTTP/1.1 200 OK\r\ncontent-length: {answer_length}\r\n\r\n").as_bytes(),
            )
            .await
            .unwrap();
        let mut left = answer_length;
        while left > 0 {
            let now = left.min(buffer.len() as u64) as usize;
            write.write_all(&buffer[..now]).await.unwrap();
            left -= now as u64;
        }
    });
    url
}

/// The peak resident set of this process, in KB (`VmHWM`).
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .expect("VmHWM in /proc/self/status")
}
