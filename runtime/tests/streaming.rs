//! Streaming bodies over the default hyper transport and a hand-written HTTP/1.1 server on
//! loopback: uploads of unknown length go chunked, files go with their length, and a
//! response body is handed over before the server has finished sending it.

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method};
use ivschat_runtime::config::{Config, ServiceInfo, StalledStreamProtection};
use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::env::Env;
use ivschat_runtime::operation::{Auth, Endpoint, Handle, OperationRequest};
use ivschat_runtime::ByteStream;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::OwnedReadHalf;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

const SERVICE: ServiceInfo = ServiceInfo {
    sdk_id: "storage",
    signing_name: "storage",
    crate_name: "storage",
    crate_version: "0.1.0",
};

/// What the server received: the head's lines (lower-cased) and the decoded body.
#[derive(Debug)]
struct Received {
    head: Vec<String>,
    body: Vec<u8>,
}

/// Reads one request: its head, then a body by `content-length` or chunked encoding.
async fn read_request(reader: &mut BufReader<OwnedReadHalf>) -> Received {
    let mut head = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).await.unwrap();
        if line == "\r\n" {
            break;
        }
        head.push(line.trim_end().to_ascii_lowercase());
    }
    let length = head
        .iter()
        .find_map(|line| line.strip_prefix("content-length:"))
        .map(|value| value.trim().parse::<usize>().unwrap());
    let mut body = Vec::new();
    match length {
        Some(length) => {
            body.resize(length, 0);
            reader.read_exact(&mut body).await.unwrap();
        }
        None => loop {
            let mut size = String::new();
            reader.read_line(&mut size).await.unwrap();
            let size = usize::from_str_radix(size.trim(), 16).unwrap();
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).await.unwrap();
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        },
    }
    Received { head, body }
}

/// A server for one request: it answers 200 with a chunked body, `first`, then waits for
/// `release` before it sends `second` and ends the body. Returns its URL and what it received.
async fn chunking_server(
    first: &'static str,
    second: &'static str,
    release: oneshot::Receiver<()>,
) -> (String, oneshot::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (report, received) = oneshot::channel();
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let (read, mut write) = stream.into_split();
        let request = read_request(&mut BufReader::new(read)).await;
        let _ = report.send(request);
        let head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
        // An empty text sends no chunk: a chunk of size 0 ends the body.
        let chunk = |text: &str| match text.len() {
            0 => String::new(),
            size => format!("{size:x}\r\n{text}\r\n"),
        };
        write
            .write_all(format!("{head}{}", chunk(first)).as_bytes())
            .await
            .unwrap();
        let _ = release.await;
        write
            .write_all(format!("{}0\r\n\r\n", chunk(second)).as_bytes())
            .await
            .unwrap();
    });
    (url, received)
}

fn handle() -> Handle {
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new("AKID", "SECRET", None, None))
        .max_attempts(1)
        .operation_timeout(Duration::from_secs(20))
        .build_with_env(SERVICE, &Env::from_pairs([]))
        .unwrap();
    Handle::new(config)
}

fn request(body: ByteStream, auth: Auth) -> OperationRequest {
    OperationRequest {
        operation: "Put",
        method: Method::PUT,
        path_and_query: "/objects/k".to_owned(),
        headers: HeaderMap::new(),
        body,
        auth,
        checksums: None,
        idempotent: false,
        event_signing: None,
        error_in_success: false,
    }
}

#[tokio::test]
async fn a_stream_of_unknown_length_goes_chunked_and_the_answer_streams_back() {
    let (release, released) = oneshot::channel();
    let (url, received) = chunking_server("first part;", "second part", released).await;
    let chunks = ["alpha ", "beta ", "gamma"].map(|text| Ok(Bytes::from_static(text.as_bytes())));
    let body = ByteStream::from_stream(futures_util::stream::iter(chunks), None);
    let done = handle()
        .invoke_streaming(
            &Endpoint::url(url),
            request(body, Auth::SigV4UnsignedPayload),
        )
        .await
        .unwrap();
    let received = received.await.unwrap();
    assert_eq!(received.body, b"alpha beta gamma");
    assert!(
        received
            .head
            .contains(&"transfer-encoding: chunked".to_owned()),
        "{:?}",
        received.head
    );
    assert!(received
        .head
        .contains(&"x-amz-content-sha256: unsigned-payload".to_owned()));
    let mut body = done.response.into_body();
    let first = body.next().await.unwrap().unwrap();
    assert_eq!(
        first.as_ref(),
        b"first part;",
        "the first chunk arrives while the server still holds the rest"
    );
    release.send(()).unwrap();
    assert_eq!(body.collect().await.unwrap().as_ref(), b"second part");
}

#[tokio::test]
async fn a_file_goes_with_its_length_and_a_signature_over_its_hash() {
    let path = std::env::temp_dir().join(format!("ivschat-runtime-stream-{}", std::process::id()));
    let contents: Vec<u8> = (0..150_000u32).map(|index| (index % 7) as u8).collect();
    std::fs::write(&path, &contents).unwrap();
    let (release, released) = oneshot::channel();
    let (url, received) = chunking_server("ok", "", released).await;
    release.send(()).unwrap();
    let body = ByteStream::from_path(&path).await.unwrap();
    let done = handle()
        .invoke(&Endpoint::url(url), request(body, Auth::SigV4))
        .await
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(done.response.body().as_ref(), b"ok");
    let received = received.await.unwrap();
    assert_eq!(received.body, contents);
    assert!(received.head.contains(&"content-length: 150000".to_owned()));
    assert!(received
        .head
        .iter()
        .any(|line| line.starts_with("authorization: aws4-hmac-sha256")));
}

#[tokio::test]
async fn a_file_that_shrinks_after_it_was_opened_fails_naming_it() {
    let path = std::env::temp_dir().join(format!("ivschat-runtime-shrink-{}", std::process::id()));
    std::fs::write(&path, b"0123456789").unwrap();
    let body = ByteStream::from_path(&path).await.unwrap();
    std::fs::write(&path, b"01234").unwrap();
    let error = body.collect().await.unwrap_err();
    std::fs::remove_file(&path).unwrap();
    let message = error.to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(
        message.contains("ended after 5 of its 10 bytes"),
        "{message}"
    );
}

#[tokio::test]
async fn a_body_read_once_fails_when_read_again() {
    let chunks = [Ok(Bytes::from_static(b"once"))];
    let body = ByteStream::from_stream(futures_util::stream::iter(chunks), Some(4));
    let copy = body.clone();
    assert_eq!(body.collect().await.unwrap().as_ref(), b"once");
    let error = copy.collect().await.unwrap_err();
    assert!(error.to_string().contains("can be read once"), "{error}");
}

#[tokio::test]
async fn an_unsigned_file_sends_its_checksum_in_an_aws_chunked_trailer() {
    use ivschat_runtime::checksum::{ChecksumAlgorithm, Checksums};
    let path = std::env::temp_dir().join(format!("ivschat-runtime-trailer-{}", std::process::id()));
    std::fs::write(&path, b"hello world").unwrap();
    let (release, released) = oneshot::channel();
    let (url, received) = chunking_server("ok", "", released).await;
    release.send(()).unwrap();
    let mut put = request(
        ByteStream::from_path(&path).await.unwrap(),
        Auth::SigV4UnsignedPayload,
    );
    put.checksums = Some(Checksums {
        request_algorithm: Some(ChecksumAlgorithm::Sha256),
        ..Checksums::REQUIRED_MD5
    });
    handle().invoke(&Endpoint::url(url), put).await.unwrap();
    std::fs::remove_file(&path).unwrap();
    let received = received.await.unwrap();
    let body = String::from_utf8(received.body.clone()).unwrap();
    assert_eq!(
        body,
        "b\r\nhello world\r\n0\r\nx-amz-checksum-sha256:uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=\r\n\r\n"
    );
    for line in [
        format!("content-length: {}", body.len()),
        "content-encoding: aws-chunked".to_owned(),
        "x-amz-decoded-content-length: 11".to_owned(),
        "x-amz-content-sha256: streaming-unsigned-payload-trailer".to_owned(),
    ] {
        assert!(
            received.head.contains(&line),
            "{line} in {:?}",
            received.head
        );
    }
}

/// A server for one request that waits `head_delay` before answering 200, then sends
/// `chunks` one-byte chunks, one every `every`.
async fn trickling_server(head_delay: Duration, chunks: usize, every: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let (read, mut write) = stream.into_split();
        read_request(&mut BufReader::new(read)).await;
        tokio::time::sleep(head_delay).await;
        let head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
        write.write_all(head.as_bytes()).await.unwrap();
        for _ in 0..chunks {
            tokio::time::sleep(every).await;
            if write.write_all(b"1\r\nx\r\n").await.is_err() {
                return;
            }
        }
        let _ = write.write_all(b"0\r\n\r\n").await;
    });
    url
}

/// A streaming download through a handle whose stalled-stream protection asks 100 bytes/s
/// over 200 ms.
async fn download(url: String) -> Result<Bytes, std::io::Error> {
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new("AKID", "SECRET", None, None))
        .max_attempts(1)
        .stalled_stream_protection(Some(StalledStreamProtection {
            min_throughput: 100,
            grace: Duration::from_millis(200),
        }))
        .build_with_env(SERVICE, &Env::from_pairs([]))
        .unwrap();
    let done = Handle::new(config)
        .invoke_streaming(
            &Endpoint::url(url),
            request(ByteStream::new("get"), Auth::SigV4),
        )
        .await
        .unwrap();
    done.response.into_body().collect().await
}

#[tokio::test]
async fn a_trickling_download_fails_as_stalled_but_a_late_head_does_not() {
    // 1 byte per 50 ms is 20 bytes/s: stalled.
    let url = trickling_server(Duration::ZERO, 200, Duration::from_millis(50)).await;
    let error = download(url).await.unwrap_err();
    assert!(error.to_string().contains("stalled"), "{error}");
    // The head comes after 600 ms (the attempt timeout's matter), then the body at once.
    let url = trickling_server(Duration::from_millis(600), 30, Duration::ZERO).await;
    assert_eq!(download(url).await.unwrap().len(), 30);
}

#[tokio::test]
async fn an_upload_the_server_stops_taking_fails_as_stalled() {
    // The server reads the head and then nothing: once the socket buffers are full, the
    // transport can take no more of the body.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (done, finished) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while reader.read_line(&mut line).await.unwrap() > 2 {
            line.clear();
        }
        let _ = finished.await;
    });
    let chunk = Bytes::from(vec![b'u'; 64 * 1024]);
    let endless = futures_util::StreamExt::take(
        futures_util::stream::repeat_with(move || Ok::<_, std::io::Error>(chunk.clone())),
        100_000,
    );
    let body = ByteStream::from_stream(endless, None);
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new("AKID", "SECRET", None, None))
        .max_attempts(1)
        .stalled_stream_protection(Some(StalledStreamProtection {
            min_throughput: 1000,
            grace: Duration::from_millis(300),
        }))
        .build_with_env(SERVICE, &Env::from_pairs([]))
        .unwrap();
    let started = std::time::Instant::now();
    let error = Handle::new(config)
        .invoke_streaming(
            &Endpoint::url(url),
            request(body, Auth::SigV4UnsignedPayload),
        )
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("request body stalled"),
        "{error}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    drop(done);
}
