//! `@requestCompression`: gzip request bodies of at least the configured size, adding `gzip` to
//! `Content-Encoding` (after any encoding the input set). Built with the `compression` feature.
//! Streaming bodies are sent uncompressed.

use std::io::Write;

use flate2::write::GzEncoder;
use flate2::Compression;
use http::HeaderValue;

use super::{OperationRequest, SdkError};
use crate::config::Config;

/// Compresses the body with gzip unless compression is disabled or the body is smaller than
/// the configured minimum.
pub fn gzip(mut request: OperationRequest, config: &Config) -> Result<OperationRequest, SdkError> {
    // A streaming body is sent as it is.
    let Some(body) = request.body.in_memory() else {
        return Ok(request);
    };
    let small = body.len() < config.request_min_compression_size_bytes as usize;
    if config.disable_request_compression || small {
        return Ok(request);
    }
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder
        .write_all(body)
        .and_then(|()| encoder.finish())
        .map(|compressed| request.body = compressed.into())
        .map_err(|error| SdkError::Construction(Box::new(error)))?;
    let encoding = match request
        .headers
        .get("content-encoding")
        .and_then(|value| value.to_str().ok())
    {
        Some(existing) if !existing.is_empty() => format!("{existing}, gzip"),
        _ => "gzip".to_owned(),
    };
    let value = HeaderValue::from_str(&encoding)
        .map_err(|error| SdkError::Construction(Box::new(error)))?;
    request.headers.insert("content-encoding", value);
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ServiceInfo;
    use crate::env::Env;
    use crate::ByteStream;

    fn config(builder: crate::config::ConfigBuilder) -> Config {
        let service = ServiceInfo {
            sdk_id: "S",
            signing_name: "s",
            crate_name: "s",
            crate_version: "0",
        };
        builder
            .region("us-east-1")
            .anonymous()
            .build_with_env(service, &Env::from_pairs([]))
            .unwrap()
    }

    fn request(body: &[u8], encoding: Option<&str>) -> OperationRequest {
        let mut headers = http::HeaderMap::new();
        if let Some(encoding) = encoding {
            headers.insert("content-encoding", HeaderValue::from_str(encoding).unwrap());
        }
        OperationRequest {
            operation: "Put",
            method: http::Method::POST,
            path_and_query: "/".to_owned(),
            headers,
            body: body.to_vec().into(),
            auth: super::super::Auth::None,
            checksums: None,
            idempotent: false,
            event_signing: None,
            error_in_success: false,
        }
    }

    #[test]
    fn large_bodies_are_gzipped_after_the_given_encoding() {
        let body = vec![b'a'; 20_000];
        let compressed = gzip(request(&body, Some("custom")), &config(Default::default())).unwrap();
        assert_eq!(compressed.headers["content-encoding"], "custom, gzip");
        let sent = compressed.body.in_memory().unwrap();
        assert_eq!(&sent[..2], &[0x1f, 0x8b], "a gzip stream");
        assert!(sent.len() < body.len());
        let mut decoded = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&sent[..]), &mut decoded)
            .unwrap();
        assert_eq!(decoded, body);
    }

    #[test]
    fn small_bodies_and_disabled_compression_are_left_alone() {
        let small = gzip(request(b"tiny", None), &config(Default::default())).unwrap();
        assert_eq!(small.body, ByteStream::from("tiny"));
        assert!(small.headers.get("content-encoding").is_none());
        let disabled = config(crate::config::Config::builder().disable_request_compression(true));
        let large = gzip(request(&[b'a'; 20_000], None), &disabled).unwrap();
        assert_eq!(large.body.length(), Some(20_000));
        let low = config(crate::config::Config::builder().request_min_compression_size_bytes(0));
        assert_eq!(
            gzip(request(b"tiny", None), &low).unwrap().headers["content-encoding"],
            "gzip"
        );
    }

    #[test]
    fn streaming_bodies_are_sent_as_they_are() {
        let mut streaming = request(b"", None);
        let chunks = futures_util::stream::iter([Ok(bytes::Bytes::from(vec![b'a'; 20_000]))]);
        streaming.body = ByteStream::from_stream(chunks, Some(20_000));
        let low = config(crate::config::Config::builder().request_min_compression_size_bytes(0));
        let sent = gzip(streaming, &low).unwrap();
        assert!(sent.headers.get("content-encoding").is_none());
        assert_eq!(sent.body.length(), Some(20_000));
    }
}
