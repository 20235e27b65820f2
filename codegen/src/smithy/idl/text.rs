//! The IDL's string forms: escape sequences, and text blocks' incidental whitespace.

/// Decodes the escapes of a quoted string or text block: `\" \\ \/ \b \f \n \r \t \uXXXX`
/// (surrogate pairs joined) and a backslash before a line break, which removes both.
pub(crate) fn unescape(raw: &str) -> Result<String, String> {
    let mut text = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            continue;
        }
        if c != '\\' {
            text.push(c);
            continue;
        }
        match chars.next() {
            Some('"') => text.push('"'),
            Some('\'') => text.push('\''),
            Some('\\') => text.push('\\'),
            Some('/') => text.push('/'),
            Some('b') => text.push('\u{8}'),
            Some('f') => text.push('\u{c}'),
            Some('n') => text.push('\n'),
            Some('r') => text.push('\r'),
            Some('t') => text.push('\t'),
            Some('\n') => {}
            Some('\r') if chars.peek() == Some(&'\n') => {
                chars.next();
            }
            Some('u') => text.push(unicode_escape(&mut chars)?),
            Some(other) => return Err(format!("unknown escape `\\{other}` in a string")),
            None => return Err("a string ends with a lone `\\`".to_owned()),
        }
    }
    Ok(text)
}

/// Reads the four hex digits after `\u` (and a low surrogate after a high one).
fn unicode_escape(chars: &mut std::iter::Peekable<std::str::Chars>) -> Result<char, String> {
    let first = hex4(chars)?;
    if !(0xD800..0xDC00).contains(&first) {
        return char::from_u32(first).ok_or_else(|| format!("`\\u{first:04X}` is no character"));
    }
    let low = match (chars.next(), chars.next()) {
        (Some('\\'), Some('u')) => hex4(chars)?,
        _ => return Err(format!("`\\u{first:04X}` needs a low surrogate after it")),
    };
    if !(0xDC00..0xE000).contains(&low) {
        return Err(format!("`\\u{low:04X}` is not a low surrogate"));
    }
    let code = 0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00);
    char::from_u32(code).ok_or_else(|| format!("`\\u{code:X}` is no character"))
}

fn hex4(chars: &mut std::iter::Peekable<std::str::Chars>) -> Result<u32, String> {
    let digits: String = chars.take(4).collect();
    if digits.len() != 4 {
        return Err("`\\u` needs four hex digits".to_owned());
    }
    u32::from_str_radix(&digits, 16).map_err(|_| format!("`\\u{digits}` is not hexadecimal"))
}

/// Removes a text block's incidental whitespace: the indentation common to its non-blank
/// lines and its closing line, and every line's trailing spaces. `raw` is the text between
/// the line after the opening `"""` and the closing `"""`, escapes not yet decoded.
pub(crate) fn text_block(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n");
    let lines: Vec<&str> = raw.split('\n').collect();
    let last = lines.len() - 1;
    let indent = lines
        .iter()
        .enumerate()
        .filter(|(index, line)| *index == last || !line.trim().is_empty())
        .map(|(_, line)| line.len() - line.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|line| {
            if line.trim().is_empty() {
                ""
            } else {
                line[indent..].trim_end_matches([' ', '\t'])
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_decoded() {
        assert_eq!(unescape(r#"a\"b\\c\/\n\t\u00e9"#).unwrap(), "a\"b\\c/\n\té");
        assert_eq!(unescape(r"\uD83D\uDE00").unwrap(), "😀");
        assert_eq!(unescape("one \\\ntwo").unwrap(), "one two");
        assert!(unescape(r"\q").unwrap_err().contains("unknown escape"));
        assert!(unescape(r"\uD83D").unwrap_err().contains("low surrogate"));
        assert!(unescape(r"\u12").unwrap_err().contains("four hex digits"));
    }

    #[test]
    fn text_blocks_lose_incidental_whitespace() {
        assert_eq!(
            text_block("    foo\n      bar  \n\n    baz\n    "),
            "foo\n  bar\n\nbaz\n"
        );
        assert_eq!(text_block("    foo\n    bar"), "foo\nbar");
        assert_eq!(text_block("    foo\n  "), "  foo\n");
    }
}
