//! The floor: plain hyper sending the same request bytes over kept-alive connections (to an
//! emulator that does not check signatures), with no SDK work at all.

use std::time::Instant;

use bench_drivers::{Args, Measure, IN_FLIGHT};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;

async fn connect(authority: &str) -> SendRequest<Full<Bytes>> {
    let stream = tokio::net::TcpStream::connect(authority)
        .await
        .expect("the emulator is up");
    stream.set_nodelay(true).expect("nodelay");
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .expect("a handshake");
    tokio::spawn(connection);
    sender
}

async fn post(
    sender: &mut SendRequest<Full<Bytes>>,
    authority: &str,
    path: &str,
    body: Bytes,
) -> Bytes {
    let request = hyper::Request::post(path)
        .header("host", authority)
        .header("content-type", "application/json")
        .header("content-length", body.len())
        .body(Full::new(body))
        .expect("a request");
    sender.ready().await.expect("the connection is ready");
    let response = sender.send_request(request).await.expect("a response");
    response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes()
}

/// The text of a JSON string field, found without parsing the document.
fn field(body: &[u8], name: &str) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let key = format!("\"{name}\":\"");
    let start = text.find(&key)? + key.len();
    Some(text[start..start + text[start..].find('"')?].to_owned())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args = Args::parse();
    let authority = args.endpoint.trim_start_matches("http://").to_owned();
    let mut sender = connect(&authority).await;
    // The GetRoom scenarios read a room of their own; pagination must see only the rooms the
    // emulator was populated with.
    let get_body = if matches!(args.scenario.as_str(), "get" | "concurrent") {
        let created = post(
            &mut sender,
            &authority,
            "/CreateRoom",
            Bytes::from_static(b"{\"name\":\"bench\"}"),
        )
        .await;
        let arn = field(&created, "arn").expect("a room ARN");
        Bytes::from(format!("{{\"identifier\":\"{arn}\"}}"))
    } else {
        Bytes::new()
    };
    match args.scenario.as_str() {
        "create" => {
            let mut measure = Measure::start();
            for _ in 0..args.requests {
                let started = Instant::now();
                post(
                    &mut sender,
                    &authority,
                    "/CreateRoom",
                    Bytes::from_static(b"{\"name\":\"bench\"}"),
                )
                .await;
                measure.record(started.elapsed());
            }
            measure.report("floor", "create", args.requests);
        }
        "get" => {
            let mut measure = Measure::start();
            for _ in 0..args.requests {
                let started = Instant::now();
                post(&mut sender, &authority, "/GetRoom", get_body.clone()).await;
                measure.record(started.elapsed());
            }
            measure.report("floor", "get", args.requests);
        }
        "concurrent" => {
            let measure = Measure::start();
            let mut tasks = Vec::new();
            for _ in 0..IN_FLIGHT {
                let (authority, body) = (authority.clone(), get_body.clone());
                let share = args.requests / IN_FLIGHT;
                tasks.push(tokio::spawn(async move {
                    let mut sender = connect(&authority).await;
                    for _ in 0..share {
                        post(&mut sender, &authority, "/GetRoom", body.clone()).await;
                    }
                }));
            }
            for task in tasks {
                task.await.expect("a task");
            }
            measure.report("floor", "concurrent", args.requests / IN_FLIGHT * IN_FLIGHT);
        }
        "paginate" => {
            let measure = Measure::start();
            let mut pages = 0;
            for _ in 0..args.requests {
                let mut token: Option<String> = None;
                loop {
                    let body = match &token {
                        Some(token) => format!("{{\"maxResults\":50,\"nextToken\":\"{token}\"}}"),
                        None => "{\"maxResults\":50}".to_owned(),
                    };
                    let page = post(&mut sender, &authority, "/ListRooms", Bytes::from(body)).await;
                    pages += 1;
                    token = field(&page, "nextToken");
                    if token.is_none() {
                        break;
                    }
                }
            }
            measure.report("floor", "paginate", pages);
        }
        other => panic!("unknown scenario {other}"),
    }
}
