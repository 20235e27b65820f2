//! Amazon Glacier's upload hashes: the SHA-256 of the whole payload and its tree hash (the
//! SHA-256 of each MiB, combined pairwise up to one root), both hex.

use sha2::{Digest, Sha256};

use crate::sigv4::hex;

/// The size of the chunks a tree hash starts from.
const CHUNK: usize = 1024 * 1024;

/// The payload's linear SHA-256 and its tree hash, hex (equal for one MiB or less).
pub fn upload_hashes(payload: &[u8]) -> (String, String) {
    let linear = hex(&Sha256::digest(payload));
    let mut level: Vec<[u8; 32]> = payload
        .chunks(CHUNK)
        .map(|chunk| Sha256::digest(chunk).into())
        .collect();
    if level.is_empty() {
        level.push(Sha256::digest(b"").into());
    }
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [left, right] => {
                    let mut hasher = Sha256::new();
                    hasher.update(left);
                    hasher.update(right);
                    hasher.finalize().into()
                }
                [single] => *single,
                _ => unreachable!("chunks of two"),
            })
            .collect();
    }
    (linear, hex(&level[0]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_payloads_hash_alike_and_large_ones_as_a_tree() {
        let (linear, tree) = upload_hashes(b"hello world");
        assert_eq!(
            linear,
            "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
        );
        assert_eq!(tree, linear);
        let payload = vec![7u8; CHUNK * 3 + 10];
        let (linear, tree) = upload_hashes(&payload);
        let leaf =
            |range: std::ops::Range<usize>| -> [u8; 32] { Sha256::digest(&payload[range]).into() };
        let pair = |a: [u8; 32], b: [u8; 32]| -> [u8; 32] {
            let mut hasher = Sha256::new();
            hasher.update(a);
            hasher.update(b);
            hasher.finalize().into()
        };
        let left = pair(leaf(0..CHUNK), leaf(CHUNK..2 * CHUNK));
        let right = pair(leaf(2 * CHUNK..3 * CHUNK), leaf(3 * CHUNK..payload.len()));
        assert_eq!(tree, hex(&pair(left, right)));
        assert_ne!(tree, linear);
    }
}
