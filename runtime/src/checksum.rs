//! Payload checksums (`@httpChecksum`, `@httpChecksumRequired`): which algorithm a request
//! sends and a response is checked with, and computing them (SHA-256 always; CRC32, CRC32C,
//! CRC64NVME, SHA1 and MD5 with the `checksum` feature).

use std::fmt;

/// A checksum algorithm of the `x-amz-checksum-*` headers, or MD5 for `Content-MD5`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChecksumAlgorithm {
    /// CRC-32 (ISO-HDLC), `x-amz-checksum-crc32`.
    Crc32,
    /// CRC-32C (Castagnoli), `x-amz-checksum-crc32c`.
    Crc32c,
    /// CRC-64/NVME, `x-amz-checksum-crc64nvme`.
    Crc64Nvme,
    /// SHA-1, `x-amz-checksum-sha1`.
    Sha1,
    /// SHA-256, `x-amz-checksum-sha256`.
    Sha256,
    /// MD5 in `Content-MD5` (`@httpChecksumRequired`).
    Md5,
}

impl ChecksumAlgorithm {
    /// The algorithm a model names (`CRC32`, `CRC32C`, `CRC64NVME`, `SHA1`, `SHA256`, `MD5`),
    /// in any case.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name.to_ascii_uppercase().as_str() {
            "CRC32" => Self::Crc32,
            "CRC32C" => Self::Crc32c,
            "CRC64NVME" => Self::Crc64Nvme,
            "SHA1" => Self::Sha1,
            "SHA256" => Self::Sha256,
            "MD5" => Self::Md5,
            _ => return None,
        })
    }

    /// The name models give it, e.g. `CRC32`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Crc32 => "CRC32",
            Self::Crc32c => "CRC32C",
            Self::Crc64Nvme => "CRC64NVME",
            Self::Sha1 => "SHA1",
            Self::Sha256 => "SHA256",
            Self::Md5 => "MD5",
        }
    }

    /// The header carrying it, e.g. `x-amz-checksum-crc32`.
    pub fn header_name(self) -> &'static str {
        match self {
            Self::Crc32 => "x-amz-checksum-crc32",
            Self::Crc32c => "x-amz-checksum-crc32c",
            Self::Crc64Nvme => "x-amz-checksum-crc64nvme",
            Self::Sha1 => "x-amz-checksum-sha1",
            Self::Sha256 => "x-amz-checksum-sha256",
            Self::Md5 => "content-md5",
        }
    }
}

impl fmt::Display for ChecksumAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What an operation's traits and its input say about checksums; the configuration decides
/// the rest ([`Config::request_checksum_calculation`](crate::config::Config), ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Checksums {
    /// The algorithm the input chose (its `requestAlgorithmMember`), when it chose one.
    pub request_algorithm: Option<ChecksumAlgorithm>,
    /// The operation lets the input choose a request checksum (it has a
    /// `requestAlgorithmMember`).
    pub request_supported: bool,
    /// The operation requires a request checksum.
    pub request_required: bool,
    /// The algorithm of a request checksum the input did not choose.
    pub default_algorithm: ChecksumAlgorithm,
    /// The header of the input's algorithm member (S3's `x-amz-sdk-checksum-algorithm`): a
    /// checksum sent by default names its algorithm there too, as the AWS SDKs do.
    pub algorithm_header: Option<&'static str>,
    /// The input opted in to validating the response (`requestValidationModeMember` is
    /// `ENABLED`).
    pub response_validation: bool,
    /// The response checksums that can be validated, in order of preference.
    pub response_algorithms: &'static [ChecksumAlgorithm],
}

impl Checksums {
    /// `@httpChecksumRequired`: a `Content-MD5` on every request, nothing on responses.
    pub const REQUIRED_MD5: Checksums = Checksums {
        request_algorithm: None,
        request_supported: false,
        request_required: true,
        default_algorithm: ChecksumAlgorithm::Md5,
        algorithm_header: None,
        response_validation: false,
        response_algorithms: &[],
    };

    /// The algorithm of the request's checksum, if one is sent: the input's choice, else the
    /// default when the operation requires one or supports one and `when_supported` is set.
    pub fn request(&self, when_supported: bool) -> Option<ChecksumAlgorithm> {
        let default_applies = self.request_required || (self.request_supported && when_supported);
        self.request_algorithm
            .or(default_applies.then_some(self.default_algorithm))
    }

    /// True when response checksums are validated: the input opted in, or `when_supported`
    /// is set and the operation has response algorithms.
    pub fn validates_response(&self, when_supported: bool) -> bool {
        !self.response_algorithms.is_empty() && (self.response_validation || when_supported)
    }
}

/// When checksums are computed or validated: for every operation that supports them, or only
/// where an operation requires them (or the input asks).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ChecksumWhen {
    /// Whenever the operation supports it (the default, as in the AWS SDKs).
    #[default]
    WhenSupported,
    /// Only when the operation requires it or the input asks for it.
    WhenRequired,
}

impl ChecksumWhen {
    /// `when_supported` or `when_required`, in any case.
    pub fn from_name(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "when_supported" => Some(Self::WhenSupported),
            "when_required" => Some(Self::WhenRequired),
            _ => None,
        }
    }
}

#[cfg(feature = "checksum")]
static CRC32: crc::Crc<u32, crc::Table<16>> =
    crc::Crc::<u32, crc::Table<16>>::new(&crc::CRC_32_ISO_HDLC);
#[cfg(feature = "checksum")]
static CRC32C: crc::Crc<u32, crc::Table<16>> =
    crc::Crc::<u32, crc::Table<16>>::new(&crc::CRC_32_ISCSI);
#[cfg(feature = "checksum")]
static CRC64NVME: crc::Crc<u64, crc::Table<16>> =
    crc::Crc::<u64, crc::Table<16>>::new(&crc::CRC_64_NVME);

/// A checksum being computed over bytes given piece by piece. SHA-256 is always available
/// (signatures need it); the other algorithms need the `checksum` feature.
pub enum Checksummer {
    /// SHA-256.
    Sha256(sha2::Sha256),
    /// CRC-32 or CRC-32C.
    #[cfg(feature = "checksum")]
    Crc32(crc::Digest<'static, u32, crc::Table<16>>),
    /// CRC-64/NVME.
    #[cfg(feature = "checksum")]
    Crc64(crc::Digest<'static, u64, crc::Table<16>>),
    /// SHA-1.
    #[cfg(feature = "checksum")]
    Sha1(sha1::Sha1),
    /// MD5.
    #[cfg(feature = "checksum")]
    Md5(md5::Md5),
}

/// A checksum algorithm this build of the runtime cannot compute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unavailable(pub ChecksumAlgorithm);

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a {} checksum needs ivschat-runtime built with its `checksum` feature",
            self.0
        )
    }
}

impl std::error::Error for Unavailable {}

impl Checksummer {
    /// A checksum of no bytes yet.
    pub fn new(algorithm: ChecksumAlgorithm) -> Result<Self, Unavailable> {
        use sha2::Digest;
        Ok(match algorithm {
            ChecksumAlgorithm::Sha256 => Self::Sha256(sha2::Sha256::new()),
            #[cfg(feature = "checksum")]
            ChecksumAlgorithm::Crc32 => Self::Crc32(CRC32.digest()),
            #[cfg(feature = "checksum")]
            ChecksumAlgorithm::Crc32c => Self::Crc32(CRC32C.digest()),
            #[cfg(feature = "checksum")]
            ChecksumAlgorithm::Crc64Nvme => Self::Crc64(CRC64NVME.digest()),
            #[cfg(feature = "checksum")]
            ChecksumAlgorithm::Sha1 => Self::Sha1(sha1::Sha1::new()),
            #[cfg(feature = "checksum")]
            ChecksumAlgorithm::Md5 => Self::Md5(md5::Md5::new()),
            #[cfg(not(feature = "checksum"))]
            other => return Err(Unavailable(other)),
        })
    }

    /// Adds bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        use sha2::Digest;
        match self {
            Self::Sha256(digest) => digest.update(bytes),
            #[cfg(feature = "checksum")]
            Self::Crc32(digest) => digest.update(bytes),
            #[cfg(feature = "checksum")]
            Self::Crc64(digest) => digest.update(bytes),
            #[cfg(feature = "checksum")]
            Self::Sha1(digest) => digest.update(bytes),
            #[cfg(feature = "checksum")]
            Self::Md5(digest) => digest.update(bytes),
        }
    }

    /// The digest bytes (a CRC big-endian).
    pub fn finish(self) -> Vec<u8> {
        use sha2::Digest;
        match self {
            Self::Sha256(digest) => digest.finalize().to_vec(),
            #[cfg(feature = "checksum")]
            Self::Crc32(digest) => digest.finalize().to_be_bytes().to_vec(),
            #[cfg(feature = "checksum")]
            Self::Crc64(digest) => digest.finalize().to_be_bytes().to_vec(),
            #[cfg(feature = "checksum")]
            Self::Sha1(digest) => digest.finalize().to_vec(),
            #[cfg(feature = "checksum")]
            Self::Md5(digest) => digest.finalize().to_vec(),
        }
    }

    /// The checksum of `bytes` as its header carries it: base64 of the digest.
    pub fn header_value(algorithm: ChecksumAlgorithm, bytes: &[u8]) -> Result<String, Unavailable> {
        let mut checksummer = Self::new(algorithm)?;
        checksummer.update(bytes);
        Ok(crate::json::base64::encode(&checksummer.finish()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_headers() {
        assert_eq!(
            ChecksumAlgorithm::from_name("crc32c"),
            Some(ChecksumAlgorithm::Crc32c)
        );
        assert_eq!(ChecksumAlgorithm::from_name("CRC16"), None);
        assert_eq!(
            ChecksumAlgorithm::Crc64Nvme.header_name(),
            "x-amz-checksum-crc64nvme"
        );
        assert_eq!(
            ChecksumWhen::from_name("WHEN_REQUIRED"),
            Some(ChecksumWhen::WhenRequired)
        );
    }

    #[test]
    fn the_default_algorithm_applies_when_required_or_supported_and_asked() {
        let supported = Checksums {
            request_algorithm: None,
            request_supported: true,
            request_required: false,
            default_algorithm: ChecksumAlgorithm::Crc32,
            algorithm_header: Some("x-amz-sdk-checksum-algorithm"),
            response_validation: false,
            response_algorithms: &[ChecksumAlgorithm::Crc32],
        };
        assert_eq!(supported.request(true), Some(ChecksumAlgorithm::Crc32));
        assert_eq!(supported.request(false), None);
        let chosen = Checksums {
            request_algorithm: Some(ChecksumAlgorithm::Sha256),
            ..supported
        };
        assert_eq!(chosen.request(false), Some(ChecksumAlgorithm::Sha256));
        assert_eq!(
            Checksums::REQUIRED_MD5.request(false),
            Some(ChecksumAlgorithm::Md5)
        );
        assert!(supported.validates_response(true));
        assert!(!supported.validates_response(false));
        assert!(!Checksums::REQUIRED_MD5.validates_response(true));
    }

    #[cfg(feature = "checksum")]
    #[test]
    fn checksums_of_hello_world_match_the_published_values() {
        let cases = [
            (ChecksumAlgorithm::Crc32, "DUoRhQ=="),
            (ChecksumAlgorithm::Crc32c, "yZRlqg=="),
            (ChecksumAlgorithm::Crc64Nvme, "jSnVw/bqjr4="),
            (ChecksumAlgorithm::Sha1, "Kq5sNclPz7QV2+lfQIuc6R7oRu0="),
            (
                ChecksumAlgorithm::Sha256,
                "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=",
            ),
            (ChecksumAlgorithm::Md5, "XrY7u+Ae7tCTyyK7j1rNww=="),
        ];
        for (algorithm, expected) in cases {
            let value = Checksummer::header_value(algorithm, b"hello world").unwrap();
            assert_eq!(value, expected, "{algorithm}");
        }
    }

    #[test]
    fn pieces_give_the_checksum_of_the_whole() {
        let mut checksummer = Checksummer::new(ChecksumAlgorithm::Sha256).unwrap();
        checksummer.update(b"hello ");
        checksummer.update(b"world");
        let whole = Checksummer::header_value(ChecksumAlgorithm::Sha256, b"hello world");
        assert_eq!(
            crate::json::base64::encode(&checksummer.finish()),
            whole.unwrap()
        );
    }

    #[cfg(not(feature = "checksum"))]
    #[test]
    fn without_the_feature_only_sha256_is_computed() {
        let error = Checksummer::new(ChecksumAlgorithm::Crc32).err().unwrap();
        assert_eq!(
            error.to_string(),
            "a CRC32 checksum needs ivschat-runtime built with its `checksum` feature"
        );
    }
}
