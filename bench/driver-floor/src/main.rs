//! The floor: plain hyper sending the same request bytes over kept-alive connections (to an
//! emulator that does not check signatures), with no SDK work at all.

use bench_drivers::{Args, Counting, Driver};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

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

/// A connection of its own to the emulator, and the body of its GetRoom, made once.
struct Floor {
    sender: SendRequest<Full<Bytes>>,
    authority: String,
    get_body: Bytes,
}

impl Floor {
    async fn post(&mut self, path: &str, body: Bytes) -> Bytes {
        post(&mut self.sender, &self.authority, path, body).await
    }
}

impl Driver for Floor {
    const NAME: &'static str = "floor";

    async fn create_room(&mut self, name: &str) {
        let body = if name == "bench" {
            Bytes::from_static(b"{\"name\":\"bench\"}")
        } else {
            Bytes::from(format!("{{\"name\":\"{name}\"}}"))
        };
        self.post("/CreateRoom", body).await;
    }

    async fn use_new_room(&mut self) {
        let created = self
            .post("/CreateRoom", Bytes::from_static(b"{\"name\":\"bench\"}"))
            .await;
        let arn = field(&created, "arn").expect("a room ARN");
        self.get_body = Bytes::from(format!("{{\"identifier\":\"{arn}\"}}"));
    }

    async fn get_room(&mut self) {
        let body = self.get_body.clone();
        self.post("/GetRoom", body).await;
    }

    async fn list_rooms(&mut self) -> usize {
        let mut pages = 0;
        let mut token: Option<String> = None;
        loop {
            let body = match &token {
                Some(token) => format!("{{\"maxResults\":50,\"nextToken\":\"{token}\"}}"),
                None => "{\"maxResults\":50}".to_owned(),
            };
            let page = self.post("/ListRooms", Bytes::from(body)).await;
            pages += 1;
            token = field(&page, "nextToken");
            if token.is_none() {
                return pages;
            }
        }
    }

    fn for_task(&self) -> impl std::future::Future<Output = Self> + Send + 'static {
        let (authority, get_body) = (self.authority.clone(), self.get_body.clone());
        async move {
            Self {
                sender: connect(&authority).await,
                authority,
                get_body,
            }
        }
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args = Args::parse();
    let authority = args.endpoint.trim_start_matches("http://").to_owned();
    let driver = Floor {
        sender: connect(&authority).await,
        authority,
        get_body: Bytes::new(),
    };
    bench_drivers::run(driver, &args).await;
}
