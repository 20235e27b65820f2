//! SigV4a: the ECDSA P-256 key derived from the secret access key (NIST SP 800-108 counter-mode
//! KDF over HMAC-SHA256), and signatures over the string to sign, DER-encoded. Used where the
//! endpoint rules select the `sigv4a` auth scheme (multi-region endpoints).

pub use p256;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};

use super::encode::hex;
use super::key::hmac_sha256;
use crate::credentials::Credentials;

/// The algorithm name in headers, query parameters and strings to sign.
pub const ALGORITHM: &str = super::Algorithm::V4a.name();

/// The order of P-256 minus two, big-endian: derived candidates above it are rejected.
const ORDER_MINUS_TWO: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x4f,
];

/// The private key of `credentials`: the first KDF output (counter 1 to 254) not above
/// n - 2, plus one.
pub fn signing_key(credentials: &Credentials) -> SigningKey {
    let secret = format!("AWS4A{}", credentials.secret_access_key());
    let access_key = credentials.access_key_id().as_bytes();
    for counter in 1..=254u8 {
        let mut fixed_input = Vec::with_capacity(32 + access_key.len());
        fixed_input.extend_from_slice(&1u32.to_be_bytes());
        fixed_input.extend_from_slice(ALGORITHM.as_bytes());
        fixed_input.push(0);
        fixed_input.extend_from_slice(access_key);
        fixed_input.push(counter);
        fixed_input.extend_from_slice(&256u32.to_be_bytes());
        let mut candidate = hmac_sha256(secret.as_bytes(), &fixed_input);
        if candidate > ORDER_MINUS_TWO {
            continue;
        }
        increment(&mut candidate);
        if let Ok(key) = SigningKey::from_bytes(&candidate.into()) {
            return key;
        }
    }
    unreachable!("a KDF output below n - 2 turns up long before 254 tries (odds 2^-32 each)")
}

/// Adds one to a big-endian number (no overflow: the number is at most n - 2).
fn increment(number: &mut [u8; 32]) {
    for byte in number.iter_mut().rev() {
        let (sum, carry) = byte.overflowing_add(1);
        *byte = sum;
        if !carry {
            return;
        }
    }
}

/// The hex DER signature of `string_to_sign` (ECDSA P-256 over its SHA-256, RFC 6979 nonces).
pub fn sign(key: &SigningKey, string_to_sign: &str) -> String {
    let signature: Signature = key.sign(string_to_sign.as_bytes());
    hex(&der(&signature.to_bytes()))
}

/// DER `SEQUENCE { INTEGER r, INTEGER s }` of a fixed-size `r || s` signature.
fn der(fixed: &[u8]) -> Vec<u8> {
    let integer = |value: &[u8]| {
        let trimmed: Vec<u8> = value
            .iter()
            .copied()
            .skip_while(|byte| *byte == 0)
            .collect();
        let mut encoded = vec![0x02];
        let padded = trimmed.first().is_none_or(|first| first & 0x80 != 0);
        encoded.push((trimmed.len() + usize::from(padded)) as u8);
        if padded {
            encoded.push(0);
        }
        encoded.extend(trimmed);
        encoded
    };
    let (r, s) = fixed.split_at(fixed.len() / 2);
    let body = [integer(r), integer(s)].concat();
    let mut out = vec![0x30, body.len() as u8];
    out.extend(body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_pads_high_bits_and_trims_leading_zeros() {
        let mut fixed = [0u8; 64];
        fixed[31] = 0x01;
        fixed[32] = 0x80;
        let encoded = der(&fixed);
        assert_eq!(&encoded[..5], &[0x30, 0x26, 0x02, 0x01, 0x01]);
        assert_eq!(&encoded[5..8], &[0x02, 0x21, 0x00]);
    }

    #[test]
    fn increment_carries() {
        let mut number = [0u8; 32];
        number[31] = 0xff;
        increment(&mut number);
        assert_eq!((number[30], number[31]), (1, 0));
    }
}
