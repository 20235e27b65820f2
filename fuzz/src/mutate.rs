//! Inputs made from a corpus: stacked byte-level mutations, tokens that parsers of JSON, INI
//! and HTTP text treat specially, splices of two seeds, deep nesting, and plain random bytes.

/// Text that parsers give meaning to: JSON, the shared config files, HTTP heads, SigV4.
const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b"\\",
    b"\\u",
    b"\\ud800",
    b":",
    b",",
    b"null",
    b"true",
    b"-0",
    b"1e309",
    b"-1",
    b"18446744073709551616",
    b"0.0000000000000000000001",
    b"\x00",
    b"\xff\xfe",
    "\u{1F600}".as_bytes(),
    "\u{e9}".as_bytes(),
    b"=",
    b"[profile ",
    b"[sso-session ",
    b"[services ",
    b"\n",
    b"\r\n",
    b"\t",
    b"#",
    b";",
    b" = ",
    b"%",
    b"%zz",
    b"%00",
    b"/../",
    b"AWS4-HMAC-SHA256 ",
    b"Credential=",
    b"SignedHeaders=",
    b"Signature=",
    b"x-amz-date:",
    b"x-amz-content-sha256:",
    b"x-amz-security-token:",
    b"Host:",
    b"aws4_request",
    b"\"Type\":",
    b"\"Id\":",
    b"\"Attributes\":",
    b"\"SendTime\":",
    b"\"shapes\":",
    b"\"target\":",
    b"\"members\":",
    b"\"traits\":",
    b"\"type\":",
    b"smithy.api#",
    b"\"nextToken\":",
    b"\"__type\":",
];

/// Makes inputs from a corpus with its own seeded generator (same seed, same inputs).
pub struct Mutator {
    rng: fastrand::Rng,
}

impl Mutator {
    /// A mutator whose inputs are fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            rng: fastrand::Rng::with_seed(seed),
        }
    }

    /// Fills `out` with the next input: one in twenty random bytes, else a seed of `corpus`
    /// with one to eight mutations stacked.
    pub fn input(&mut self, corpus: &[Vec<u8>], out: &mut Vec<u8>) {
        out.clear();
        if self.rng.usize(..20) == 0 {
            let length = self.rng.usize(..256);
            out.extend((0..length).map(|_| self.rng.u8(..)));
            return;
        }
        out.extend_from_slice(&corpus[self.rng.usize(..corpus.len())]);
        for _ in 0..self.rng.usize(1..=8) {
            self.mutate(corpus, out);
        }
    }

    /// Fills `out` with a structural mutation of one of `trees`, grafting parts of another.
    pub fn json_input(&mut self, trees: &[serde_json::Value], out: &mut Vec<u8>) {
        let mut document = trees[self.rng.usize(..trees.len())].clone();
        let donor = &trees[self.rng.usize(..trees.len())];
        crate::json::mutate(&mut self.rng, &mut document, donor);
        out.clear();
        out.extend_from_slice(document.to_string().as_bytes());
    }

    fn mutate(&mut self, corpus: &[Vec<u8>], out: &mut Vec<u8>) {
        let at = self.rng.usize(..=out.len());
        match self.rng.usize(..9) {
            0 if !out.is_empty() => {
                let index = self.rng.usize(..out.len());
                out[index] ^= 1 << self.rng.u8(..8);
            }
            1 if !out.is_empty() => {
                let index = self.rng.usize(..out.len());
                out[index] = self.rng.u8(..);
            }
            2 => {
                let bytes: Vec<u8> = (0..self.rng.usize(1..16))
                    .map(|_| self.rng.u8(..))
                    .collect();
                out.splice(at..at, bytes);
            }
            3 if !out.is_empty() => {
                let end = (at + self.rng.usize(1..64)).min(out.len());
                out.drain(at.min(end)..end);
            }
            4 if !out.is_empty() => {
                let start = self.rng.usize(..out.len());
                let end = (start + self.rng.usize(1..64)).min(out.len());
                let copy = out[start..end].to_vec();
                out.splice(at..at, copy);
            }
            5 | 6 => {
                let token = TOKENS[self.rng.usize(..TOKENS.len())];
                out.splice(at..at, token.iter().copied());
            }
            7 => {
                let other = &corpus[self.rng.usize(..corpus.len())];
                let from = self.rng.usize(..=other.len());
                out.truncate(at);
                out.extend_from_slice(&other[from..]);
            }
            _ => {
                let opener: &[u8] = match self.rng.usize(..3) {
                    0 => b"[",
                    1 => b"{\"a\":",
                    _ => b"[{\"x\":[",
                };
                let depth = self.rng.usize(1..5000);
                let nested: Vec<u8> = opener
                    .iter()
                    .copied()
                    .cycle()
                    .take(opener.len() * depth)
                    .collect();
                out.splice(at..at, nested);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_makes_the_same_inputs_and_they_differ_from_the_corpus() {
        let corpus = vec![br#"{"name": "lobby"}"#.to_vec()];
        let inputs = |seed| {
            let mut mutator = Mutator::new(seed);
            (0..100)
                .map(|_| {
                    let mut out = Vec::new();
                    mutator.input(&corpus, &mut out);
                    out
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(inputs(7), inputs(7));
        assert_ne!(inputs(7), inputs(8));
        let changed = inputs(7)
            .iter()
            .filter(|input| **input != corpus[0])
            .count();
        assert!(changed > 90, "{changed} of 100 inputs differ from the seed");
    }
}
