//! Percent-encoding as SigV4 defines it (RFC 3986 unreserved characters kept, all else `%XX`).

/// True for the characters SigV4 never encodes.
pub(crate) fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~')
}

/// Encodes every byte but the unreserved ones; `/` is kept when `keep_slash`.
pub fn uri_encode(text: &str, keep_slash: bool) -> String {
    const UPPER: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len() + 8);
    for &byte in text.as_bytes() {
        if is_unreserved(byte) || (keep_slash && byte == b'/') {
            out.push(byte as char);
        } else {
            out.push('%');
            out.push(UPPER[usize::from(byte >> 4)] as char);
            out.push(UPPER[usize::from(byte & 0xf)] as char);
        }
    }
    out
}

/// Decodes `%XX` escapes; a `%` not followed by two hex digits is kept as it is.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escaped = (bytes[index] == b'%')
            .then(|| bytes.get(index + 1..index + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                index += 3;
            }
            None => {
                out.push(bytes[index]);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    push_hex(&mut out, bytes);
    out
}

/// Appends the lowercase hex of `bytes` to `out`.
pub(crate) fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.reserve(bytes.len() * 2);
    for &byte in bytes {
        out.push(DIGITS[usize::from(byte >> 4)] as char);
        out.push(DIGITS[usize::from(byte & 0xf)] as char);
    }
}

/// The lowercase hex SHA-256 of `bytes` (payload hashes, event signatures).
pub fn sha256_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(64);
    push_sha256_hex(&mut out, bytes);
    out
}

/// Appends the lowercase hex SHA-256 of `bytes` to `out`.
pub(crate) fn push_sha256_hex(out: &mut String, bytes: &[u8]) {
    use sha2::Digest;
    push_hex(out, &sha2::Sha256::digest(bytes));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_all_but_unreserved() {
        assert_eq!(uri_encode("a b/c~ሴ", true), "a%20b/c~%E1%88%B4");
        assert_eq!(uri_encode("a/b%3D", false), "a%2Fb%253D");
    }

    #[test]
    fn decodes_escapes_and_keeps_stray_percents() {
        assert_eq!(percent_decode("%E1%88%B4=%2x%"), "ሴ=%2x%");
    }
}
