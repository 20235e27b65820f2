//! The emulator's web console driven in headless Chromium over the DevTools protocol: create a
//! room, watch a message sent by this crate's chat client appear, disconnect that user, queue a
//! fault and see the next call fail; screenshots go to `target/console-screenshots/`.
//!
//! Needs Chromium (`chromium` on the PATH, or `IVSCHAT_CHROMIUM`); without it the test says so
//! and passes, except under `CI=true`, where a missing browser is a failure.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use ivschat::types::ChatTokenCapability;
use ivschat_local::Emulator;
use ivschat_messaging::{ChatEvent, ChatRoom, ChatToken, ConnectionState, DisconnectCause};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::Message;

type Socket = tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>;

/// The browser, killed when dropped.
struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The Chromium to run, or `None` (with the reason printed) when there is none.
fn chromium() -> Option<PathBuf> {
    let named = std::env::var_os("IVSCHAT_CHROMIUM").map(PathBuf::from);
    let found = named.or_else(|| {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .map(|folder| folder.join("chromium"))
            .find(|candidate| candidate.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "no Chromium (`chromium` on the PATH or IVSCHAT_CHROMIUM): .ci/run installs Debian's"
        );
        eprintln!("skipped: no Chromium (install Debian's `chromium` or set IVSCHAT_CHROMIUM)");
    }
    found
}

/// Starts headless Chromium with a DevTools port and answers its page's DevTools socket.
async fn launch(binary: &Path) -> (Browser, Socket) {
    let profile = tempfile::tempdir().unwrap();
    let child = Command::new(binary)
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--remote-debugging-port=0",
            "--window-size=1400,900",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("about:blank")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let browser = Browser {
        child,
        _profile: profile,
    };
    let port_file = browser._profile.path().join("DevToolsActivePort");
    let port = poll(Duration::from_secs(30), || {
        let text = std::fs::read_to_string(&port_file).ok()?;
        text.lines().next()?.trim().parse::<u16>().ok()
    })
    .await
    .expect("Chromium wrote its DevTools port");
    // The port file may come before the server answers: ask until the list is there.
    let mut targets = Value::Null;
    for _ in 0..100 {
        if let Ok(listed) = serde_json::from_str::<Value>(&http_get(port, "/json/list").await) {
            targets = listed;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let page = targets
        .as_array()
        .unwrap()
        .iter()
        .find(|target| target["type"] == "page")
        .expect("a page target");
    let url = page["webSocketDebuggerUrl"].as_str().unwrap();
    let stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let (socket, _) = tokio_tungstenite::client_async(url, stream).await.unwrap();
    (browser, socket)
}

/// The body of a GET to Chromium's DevTools HTTP endpoint (read by its `Content-Length`: the
/// endpoint keeps the connection open); empty when it does not answer in 5 s.
async fn http_get(port: u16, path: &str) -> String {
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .ok()?;
        let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
        stream.write_all(request.as_bytes()).await.ok()?;
        let mut reader = tokio::io::BufReader::new(stream);
        let mut length = 0;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).await.ok()? == 0 {
                return None;
            }
            let line = line.trim_end().to_ascii_lowercase();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("content-length:") {
                length = value.trim().parse::<usize>().ok()?.min(1 << 20);
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).await.ok()?;
        String::from_utf8(body).ok()
    };
    tokio::time::timeout(Duration::from_secs(5), exchange)
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// Polls `check` until it gives a value or `limit` passes.
async fn poll<T>(limit: Duration, mut check: impl FnMut() -> Option<T>) -> Option<T> {
    let started = Instant::now();
    loop {
        if let Some(value) = check() {
            return Some(value);
        }
        if started.elapsed() > limit {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A DevTools session on one page.
struct Page {
    socket: Socket,
    next_id: u64,
}

impl Page {
    /// Sends a DevTools command and answers its result.
    async fn command(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let text = json!({ "id": id, "method": method, "params": params }).to_string();
        self.socket.send(Message::text(text)).await.unwrap();
        loop {
            let message = tokio::time::timeout(Duration::from_secs(30), self.socket.next())
                .await
                .expect("Chromium answers within 30 s")
                .expect("the DevTools socket is open")
                .unwrap();
            let Message::Text(text) = message else {
                continue;
            };
            let answer: Value = serde_json::from_str(&text).unwrap();
            if answer["id"] == id {
                assert!(answer.get("error").is_none(), "{method}: {answer}");
                return answer["result"].clone();
            }
        }
    }

    /// The value of a JavaScript expression in the page.
    async fn evaluate(&mut self, expression: &str) -> Value {
        let params =
            json!({ "expression": expression, "awaitPromise": true, "returnByValue": true });
        let result = self.command("Runtime.evaluate", params).await;
        assert!(
            result.get("exceptionDetails").is_none(),
            "{expression}: {result}"
        );
        result["result"]["value"].clone()
    }

    /// Waits until `condition` (JavaScript) holds in the page, failing with `what`.
    async fn wait_for(&mut self, condition: &str, what: &str) {
        let started = Instant::now();
        while self.evaluate(condition).await != json!(true) {
            if started.elapsed() > Duration::from_secs(15) {
                let shown = self.evaluate("document.body.innerText").await;
                panic!("the console never showed {what}; it shows:\n{shown}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves a screenshot as `target/console-screenshots/NAME.png`.
    async fn screenshot(&mut self, name: &str) {
        let shot = self
            .command("Page.captureScreenshot", json!({ "format": "png" }))
            .await;
        let bytes = ivschat_runtime::json::base64::decode(shot["data"].as_str().unwrap()).unwrap();
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/console-screenshots");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join(format!("{name}.png")), bytes).unwrap();
    }
}

/// JavaScript: the list item of `list` whose text has `text`.
fn item(list: &str, text: &str) -> String {
    format!("[...document.querySelectorAll('#{list} li')].find(li => li.textContent.includes({text:?}))")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_creates_watches_kicks_and_injects_faults_in_a_real_browser() {
    let Some(binary) = chromium() else { return };
    let emulator = Emulator::builder().start().await.unwrap();
    let client = ivschat::Client::from_builder(emulator.config().max_attempts(1)).unwrap();
    let (_browser, socket) = launch(&binary).await;
    let mut page = Page { socket, next_id: 0 };
    page.command("Page.enable", json!({})).await;
    page.command("Page.navigate", json!({ "url": emulator.console_url() }))
        .await;
    page.wait_for(
        "document.getElementById('status')?.textContent === 'ready'",
        "that it is ready",
    )
    .await;

    // Create a room in the page, and open it.
    page.evaluate(
        "document.getElementById('room-name').value = 'created-room'; \
         document.getElementById('create-room').click(); true",
    )
    .await;
    let created = item("rooms", "created-room");
    page.wait_for(&format!("!!{created}"), "the new room").await;
    // Renamed in the page (UpdateRoom).
    page.evaluate(&format!(
        "{created}.querySelector('.rename').value = 'browser-room'; \
         {created}.querySelector('.rename-room').click(); true"
    ))
    .await;
    let room = item("rooms", "browser-room");
    page.wait_for(&format!("!!{room}"), "the renamed room")
        .await;
    let arn = page.evaluate(&format!("{room}.dataset.arn")).await;
    let arn = arn.as_str().unwrap().to_owned();
    page.evaluate(&format!("{room}.querySelector('.open-room').click(); true"))
        .await;
    page.wait_for(&format!("!!{}", item("live", "watching")), "the live view")
        .await;

    // A message sent by this crate's chat client appears in the page.
    let (arn_for_tokens, tokens) = (arn.clone(), client.clone());
    let provider = move || {
        let request = tokens
            .create_chat_token()
            .room_identifier(&arn_for_tokens)
            .user_id("alice")
            .capabilities(ChatTokenCapability::SendMessage);
        async move {
            let output = request.send().await?;
            Ok(ChatToken::from_output(
                output.token().unwrap_or_default(),
                None,
            ))
        }
    };
    let (alice, mut events) = ChatRoom::builder()
        .url(&emulator.messaging_url())
        .token_provider(provider)
        .connect()
        .await
        .unwrap();
    alice
        .send_message("hello from rust", Default::default())
        .await
        .unwrap();
    page.wait_for(
        &format!("!!{}", item("live", "alice: hello from rust")),
        "alice's message",
    )
    .await;
    page.wait_for(
        "!!document.querySelector('#users li[data-user-id=\"alice\"]')",
        "alice among the connected users",
    )
    .await;
    page.screenshot("room").await;

    // Disconnecting her in the page ends her connection.
    page.evaluate(
        "document.querySelector('#users li[data-user-id=\"alice\"] .disconnect-user').click(); true",
    )
    .await;
    let cause = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match events.next().await {
                Some(ChatEvent::State(ConnectionState::Disconnected { cause, .. })) => break cause,
                Some(_) => {}
                None => panic!("alice's events ended without a disconnection"),
            }
        }
    })
    .await
    .expect("alice was disconnected");
    assert_eq!(cause, DisconnectCause::Server);
    page.wait_for(
        &format!("!!{}", item("live", "alice (by the console)")),
        "the kick",
    )
    .await;

    // A fault queued in the page fails the next ListRooms, and the request log shows it.
    page.evaluate(
        "document.getElementById('fault-operation').value = 'ListRooms'; \
         document.getElementById('queue-fault').click(); true",
    )
    .await;
    page.wait_for(
        &format!("!!{}", item("faults", "internal-error")),
        "the queued fault",
    )
    .await;
    let error = client.list_rooms().send().await.unwrap_err();
    assert!(error.to_string().contains("InternalServer"), "{error}");
    page.wait_for(
        "[...document.querySelectorAll('#requests tr')].some(row => row.textContent.includes('ListRooms') && row.textContent.includes('500'))",
        "the failed ListRooms in the request log",
    )
    .await;
    page.screenshot("faults").await;
}
