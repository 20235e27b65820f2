//! `aws-chunked` bodies with a checksum trailer: how an unsigned streaming payload carries its
//! checksum without being read twice or buffered. The body is cut into chunks of [`CHUNK`]
//! bytes (`hex size CRLF data CRLF`), then comes the final chunk `0 CRLF`, the trailer
//! `x-amz-checksum-<alg>:<base64> CRLF` and an empty line. Fixed chunk sizes make the
//! encoded length known before sending.

use std::collections::VecDeque;
use std::io;

use bytes::{Bytes, BytesMut};

use crate::checksum::{ChecksumAlgorithm, Checksummer, Unavailable};
use crate::ByteStream;

/// `x-amz-content-sha256` of such a request: the payload is not signed, a trailer follows.
pub(super) const UNSIGNED_TRAILER: &str = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

/// Data bytes per chunk (the last may be shorter).
const CHUNK: u64 = 64 * 1024;

/// The headers of a request with such a body of `length` data bytes (`Content-Encoding`
/// keeps an encoding the input set, after `aws-chunked`).
pub(super) fn headers(
    algorithm: ChecksumAlgorithm,
    length: u64,
    encoding: Option<&str>,
) -> [(&'static str, String); 4] {
    let encoding = match encoding.filter(|encoding| !encoding.is_empty()) {
        Some(existing) => format!("aws-chunked, {existing}"),
        None => "aws-chunked".to_owned(),
    };
    [
        ("content-encoding", encoding),
        ("x-amz-trailer", algorithm.header_name().to_owned()),
        ("x-amz-decoded-content-length", length.to_string()),
        ("x-amz-content-sha256", UNSIGNED_TRAILER.to_owned()),
    ]
}

/// The length of the encoded body of `length` data bytes with `algorithm`'s trailer.
pub(super) fn encoded_length(length: u64, algorithm: ChecksumAlgorithm) -> u64 {
    let chunk = |size: u64| format!("{size:x}").len() as u64 + 2 + size + 2;
    let last = length % CHUNK;
    let data = (length / CHUNK) * chunk(CHUNK) + if last > 0 { chunk(last) } else { 0 };
    let trailer = algorithm.header_name().len() as u64 + 1 + base64_length(algorithm) + 2;
    data + "0\r\n".len() as u64 + trailer + 2
}

/// Characters of the base64 checksum of `algorithm`.
fn base64_length(algorithm: ChecksumAlgorithm) -> u64 {
    let digest_bytes: u64 = match algorithm {
        ChecksumAlgorithm::Crc32 | ChecksumAlgorithm::Crc32c => 4,
        ChecksumAlgorithm::Crc64Nvme => 8,
        ChecksumAlgorithm::Md5 => 16,
        ChecksumAlgorithm::Sha1 => 20,
        ChecksumAlgorithm::Sha256 => 32,
    };
    digest_bytes.div_ceil(3) * 4
}

/// The encoded body; reading it fails when the body does not hold exactly `length` bytes.
pub(super) fn encode(
    body: ByteStream,
    algorithm: ChecksumAlgorithm,
    length: u64,
) -> Result<ByteStream, Unavailable> {
    let encoder = Encoder {
        body,
        checksummer: Some(Checksummer::new(algorithm)?),
        algorithm,
        pending: BytesMut::new(),
        ready: VecDeque::new(),
        read: 0,
        length,
    };
    let chunks = futures_util::stream::unfold(encoder, |mut encoder| async move {
        let next = encoder.next().await?;
        Some((next, encoder))
    });
    Ok(ByteStream::from_stream(
        chunks,
        Some(encoded_length(length, algorithm)),
    ))
}

/// The state of an encoding: the body, its checksum so far, data not yet cut into a chunk and
/// pieces ready to go.
struct Encoder {
    body: ByteStream,
    /// `None` once the trailer is written.
    checksummer: Option<Checksummer>,
    algorithm: ChecksumAlgorithm,
    pending: BytesMut,
    ready: VecDeque<Bytes>,
    read: u64,
    length: u64,
}

impl Encoder {
    /// The next piece of the encoded body; `None` after the trailer.
    async fn next(&mut self) -> Option<io::Result<Bytes>> {
        loop {
            if let Some(piece) = self.ready.pop_front() {
                return Some(Ok(piece));
            }
            if self.pending.len() as u64 >= CHUNK {
                let data = self.pending.split_to(CHUNK as usize).freeze();
                self.push_chunk(data);
                continue;
            }
            let checksummer = self.checksummer.as_mut()?;
            match self.body.next().await {
                Some(Ok(bytes)) => {
                    checksummer.update(&bytes);
                    self.read += bytes.len() as u64;
                    self.pending.extend_from_slice(&bytes);
                }
                Some(Err(error)) => {
                    self.checksummer = None;
                    return Some(Err(error));
                }
                None => {
                    if let Some(error) = self.finish() {
                        return Some(Err(error));
                    }
                }
            }
        }
    }

    /// Queues a data chunk.
    fn push_chunk(&mut self, data: Bytes) {
        self.ready
            .push_back(Bytes::from(format!("{:x}\r\n", data.len())));
        self.ready.push_back(data);
        self.ready.push_back(Bytes::from_static(b"\r\n"));
    }

    /// Queues the last data, the final chunk and the trailer; an error when the body's length
    /// is not the one declared.
    fn finish(&mut self) -> Option<io::Error> {
        let checksummer = self.checksummer.take()?;
        if self.read != self.length {
            return Some(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "the body held {} bytes, not the {} it declared",
                    self.read, self.length
                ),
            ));
        }
        if !self.pending.is_empty() {
            let data = self.pending.split().freeze();
            self.push_chunk(data);
        }
        let value = crate::json::base64::encode(&checksummer.finish());
        let trailer = format!("0\r\n{}:{value}\r\n\r\n", self.algorithm.header_name());
        self.ready.push_back(Bytes::from(trailer));
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_runtime::block_on;

    #[test]
    fn a_short_body_is_one_chunk_then_the_trailer() {
        let body = ByteStream::from_reader(io::Cursor::new(b"hello world".to_vec()), Some(11));
        let sha256 = ChecksumAlgorithm::Sha256;
        let encoded = encode(body, sha256, 11).unwrap();
        assert_eq!(encoded.length(), Some(encoded_length(11, sha256)));
        let bytes = block_on(encoded.collect()).unwrap();
        assert_eq!(
            std::str::from_utf8(&bytes).unwrap(),
            "b\r\nhello world\r\n0\r\nx-amz-checksum-sha256:uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=\r\n\r\n"
        );
        assert_eq!(bytes.len() as u64, encoded_length(11, sha256));
    }

    #[test]
    fn long_bodies_are_cut_in_fixed_chunks_whatever_the_reads() {
        let length = 2 * CHUNK + 5;
        // SHA-256 is always built; the CRC64NVME trailer is shorter, and needs the feature.
        let algorithms = [
            Some(ChecksumAlgorithm::Sha256),
            cfg!(feature = "checksum").then_some(ChecksumAlgorithm::Crc64Nvme),
        ];
        for algorithm in algorithms.into_iter().flatten() {
            let pieces = (0..length).step_by(1000).map(move |start| {
                let end = (start + 1000).min(length);
                Ok(Bytes::from(vec![b'x'; (end - start) as usize]))
            });
            let body = ByteStream::from_stream(futures_util::stream::iter(pieces), Some(length));
            let bytes = block_on(encode(body, algorithm, length).unwrap().collect()).unwrap();
            assert_eq!(
                bytes.len() as u64,
                encoded_length(length, algorithm),
                "{algorithm}"
            );
            let text = String::from_utf8(bytes.to_vec()).unwrap();
            assert!(text.starts_with("10000\r\n"), "{}", &text[..10]);
            assert_eq!(
                text.matches("\r\n10000\r\n").count(),
                1,
                "a second full chunk"
            );
            assert!(text.contains("\r\n5\r\nxxxxx\r\n0\r\n"));
        }
    }

    #[test]
    fn a_body_shorter_than_declared_fails() {
        let body = ByteStream::from_stream(
            futures_util::stream::iter([Ok(Bytes::from_static(b"abc"))]),
            Some(4),
        );
        let error = block_on(
            encode(body, ChecksumAlgorithm::Sha256, 4)
                .unwrap()
                .collect(),
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "the body held 3 bytes, not the 4 it declared"
        );
    }
}
