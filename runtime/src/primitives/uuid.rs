//! Random UUID v4 text: invocation ids, idempotency tokens, chat request ids.

/// A random UUID v4, e.g. `6fa459ea-ee8a-4ca4-894e-db77e160355e`.
pub fn uuid_v4() -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let bits = fastrand::u128(..);
    // Version 4 in bits 76-79, variant 0b10 in bits 62-63.
    let bits = (bits & !(0xf << 76) | (0x4 << 76)) & !(0x3 << 62) | (0x2 << 62);
    let mut out = String::with_capacity(36);
    for nibble in 0..32 {
        if matches!(nibble, 8 | 12 | 16 | 20) {
            out.push('-');
        }
        let digit = (bits >> (124 - 4 * nibble)) & 0xf;
        out.push(char::from(DIGITS[digit as usize]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_the_version_and_variant_of_a_v4() {
        let id = uuid_v4();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!("89ab".contains(&id[19..20]), "{id}");
        assert_ne!(uuid_v4(), id);
        let groups: Vec<usize> = id.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12], "{id}");
        assert!(id
            .bytes()
            .all(|byte| byte == b'-' || byte.is_ascii_hexdigit() && !byte.is_ascii_uppercase()));
    }
}
