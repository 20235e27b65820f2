//! DPoP proofs (RFC 9449) for AWS Sign-In: an ES256-signed JWT naming the request's method and
//! URL, made with the key `aws login` stored in the cache, and a transport that adds one to
//! every request it sends (the proof binds to the exact URL, which only the transport knows).

use std::sync::Arc;
use std::time::SystemTime;

use ivschat_runtime::credentials::BoxFuture;
use ivschat_runtime::json::base64;
use ivschat_runtime::transport::{HttpClient, HttpError, HttpRequest, HttpResponse};
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};

/// The P-256 key a login session's refresh token is bound to.
#[derive(Clone)]
pub struct DpopKey {
    key: SigningKey,
}

impl std::fmt::Debug for DpopKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DpopKey(..)")
    }
}

/// `bytes` as unpadded base64url.
fn base64url(bytes: &[u8]) -> String {
    base64::encode(bytes)
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_")
}

impl DpopKey {
    /// Reads a SEC1 `EC PRIVATE KEY` PEM block (what `aws login` writes) holding a P-256 key.
    pub fn from_pem(pem: &str) -> Result<Self, String> {
        const BEGIN: &str = "-----BEGIN EC PRIVATE KEY-----";
        const END: &str = "-----END EC PRIVATE KEY-----";
        let body = pem
            .trim()
            .strip_prefix(BEGIN)
            .and_then(|rest| rest.trim_end().strip_suffix(END))
            .ok_or("is not an `EC PRIVATE KEY` PEM block")?;
        let text: String = body.split_whitespace().collect();
        let der = base64::decode(&text).ok_or("holds text that is not base64")?;
        Self::from_sec1_der(&der)
    }

    /// The 32-byte scalar of a SEC1 `ECPrivateKey` (`SEQUENCE { INTEGER 1, OCTET STRING, ... }`).
    fn from_sec1_der(der: &[u8]) -> Result<Self, String> {
        // SEQUENCE (short or one-byte long form), version 1, then the 32-byte octet string.
        let rest = match der {
            [0x30, 0x81, _, rest @ ..] => rest,
            [0x30, length, rest @ ..] if *length < 0x80 => rest,
            _ => return Err("is not a SEC1 EC private key".to_owned()),
        };
        let scalar = match rest {
            [0x02, 0x01, 0x01, 0x04, 0x20, scalar @ ..] if scalar.len() >= 32 => &scalar[..32],
            _ => return Err("is not a P-256 SEC1 private key".to_owned()),
        };
        let key = SigningKey::from_slice(scalar).map_err(|_| "is not a valid P-256 key")?;
        Ok(Self { key })
    }

    /// The public key as a JWK (`kty`, `crv`, `x`, `y`).
    fn jwk(&self) -> serde_json::Value {
        let point = self.key.verifying_key().to_sec1_point(false);
        let bytes = point.as_bytes();
        serde_json::json!({
            "kty": "EC",
            "crv": "P-256",
            "x": base64url(&bytes[1..33]),
            "y": base64url(&bytes[33..65]),
        })
    }

    /// A proof for `method` on `url` at `now`, with the unique id `jti`.
    pub fn proof(&self, method: &str, url: &str, now: SystemTime, jti: &str) -> String {
        let header = serde_json::json!({"typ": "dpop+jwt", "alg": "ES256", "jwk": self.jwk()});
        let issued_at = now
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        let claims = serde_json::json!({"jti": jti, "htm": method, "htu": url, "iat": issued_at});
        let signing_input = format!(
            "{}.{}",
            base64url(header.to_string().as_bytes()),
            base64url(claims.to_string().as_bytes())
        );
        let signature: Signature = self.key.sign(signing_input.as_bytes());
        format!("{signing_input}.{}", base64url(&signature.to_bytes()))
    }
}

/// A transport that adds a `DPoP` proof for each request's method and URL (without its query),
/// then sends it through `inner`.
#[derive(Debug)]
pub struct DpopTransport {
    /// The transport requests go through.
    pub inner: Arc<dyn HttpClient>,
    /// The key proofs are signed with.
    pub key: DpopKey,
    /// The clock of the proofs' `iat`.
    pub now: fn() -> SystemTime,
}

impl HttpClient for DpopTransport {
    fn send(&self, mut request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        let uri = request.uri();
        let url = format!(
            "{}://{}{}",
            uri.scheme_str().unwrap_or("https"),
            uri.authority().map_or("", |authority| authority.as_str()),
            uri.path()
        );
        let proof = self.key.proof(
            request.method().as_str(),
            &url,
            (self.now)(),
            &ivschat_runtime::uuid_v4(),
        );
        match ivschat_runtime::http::HeaderValue::try_from(proof) {
            Ok(value) => {
                request.headers_mut().insert("dpop", value);
                self.inner.send(request)
            }
            Err(_) => Box::pin(std::future::ready(Err(HttpError::new(
                ivschat_runtime::transport::HttpErrorKind::Request,
                "the DPoP proof is not a valid header value".to_owned(),
            )))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::signature::Verifier;

    /// The key of the official login-provider cases.
    pub(crate) const TEST_KEY: &str = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIPt/u8InPLpQeQLJTvVX+sNDzni8vMDMt3Liu+nMBigfoAoGCCqGSM49\nAwEHoUQDQgAEILkGG7rNOnxiIJlMgimY1UPP8eDMFP0DAY6WGjngP4bvTAiUCQ/I\nffut2379uP+OBCm2ovGpBOJRgrl1RspUOQ==\n-----END EC PRIVATE KEY-----\n";

    fn base64url_decode(text: &str) -> Vec<u8> {
        let mut standard = text.replace('-', "+").replace('_', "/");
        while standard.len() % 4 != 0 {
            standard.push('=');
        }
        base64::decode(&standard).unwrap()
    }

    #[test]
    fn a_proof_names_the_request_and_verifies_with_the_key_in_its_header() {
        let key = DpopKey::from_pem(TEST_KEY).unwrap();
        let at = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_763_510_400);
        let proof = key.proof(
            "POST",
            "https://us-east-1.signin.aws.amazon.com/v1/token",
            at,
            "id-1",
        );
        let parts: Vec<&str> = proof.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header: serde_json::Value =
            serde_json::from_slice(&base64url_decode(parts[0])).unwrap();
        let claims: serde_json::Value =
            serde_json::from_slice(&base64url_decode(parts[1])).unwrap();
        assert_eq!(header["typ"], "dpop+jwt");
        assert_eq!(header["alg"], "ES256");
        assert_eq!(claims["htm"], "POST");
        assert_eq!(
            claims["htu"],
            "https://us-east-1.signin.aws.amazon.com/v1/token"
        );
        assert_eq!(claims["iat"], 1_763_510_400);
        assert_eq!(claims["jti"], "id-1");
        let mut point = vec![4u8];
        point.extend(base64url_decode(header["jwk"]["x"].as_str().unwrap()));
        point.extend(base64url_decode(header["jwk"]["y"].as_str().unwrap()));
        let verifying = p256::ecdsa::VerifyingKey::from_sec1_bytes(&point).unwrap();
        let signature = Signature::from_slice(&base64url_decode(parts[2])).unwrap();
        let signed = format!("{}.{}", parts[0], parts[1]);
        assert!(verifying.verify(signed.as_bytes(), &signature).is_ok());
    }

    #[test]
    fn keys_that_are_not_p256_sec1_pem_are_refused_by_name() {
        for (pem, expected) in [
            ("not a key", "is not an `EC PRIVATE KEY` PEM block"),
            (
                "-----BEGIN EC PRIVATE KEY-----\n!!!\n-----END EC PRIVATE KEY-----",
                "not base64",
            ),
            (
                "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----",
                "not a SEC1",
            ),
        ] {
            let error = DpopKey::from_pem(pem).unwrap_err();
            assert!(error.contains(expected), "{error}");
        }
    }
}
