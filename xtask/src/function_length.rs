//! The length of every hand-written function of a crate, read from its sources, for STYLE's
//! "functions under ~60 lines".
//!
//! A function runs from the line of its `fn` to the line of its closing brace. Comments,
//! string and character literals are blanked before braces are matched, so a `{` in a string
//! counts for nothing. Items under `#[cfg(test)]`, `tests.rs` files and `tests/` folders are
//! left out: STYLE's rule is for the code that ships. A function nested in another (or written
//! inside a `quote!`) is listed on its own and counts in its parent too.

use std::path::Path;

/// One function of a crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// The file, relative to the folder read.
    pub file: String,
    /// The function's name.
    pub name: String,
    /// The line of its `fn`, from 1.
    pub line: usize,
    /// Lines from its `fn` to its closing brace, both counted.
    pub lines: usize,
}

/// Every function with a body in the `.rs` files under `src`, without `tests.rs` files,
/// `tests` folders and `generated` folders (code the generator wrote, such as the credential
/// clients).
pub fn read_functions(src: &Path) -> Result<Vec<Function>, String> {
    let mut functions = Vec::new();
    for (file, text) in crate::sources::read_rust_files(src, &["tests", "tests.rs", "generated"])? {
        functions.extend(
            functions_of(&text)
                .into_iter()
                .map(|(name, line, lines)| Function {
                    file: file.clone(),
                    name,
                    line,
                    lines,
                }),
        );
    }
    Ok(functions)
}

/// The functions with a body in `text` (name, first line, length in lines), test items left
/// out.
pub fn functions_of(text: &str) -> Vec<(String, usize, usize)> {
    let code = without_test_items(&blanked(text));
    let bytes = code.as_bytes();
    let mut found = Vec::new();
    for (at, _) in code.match_indices("fn ") {
        let starts_word = at == 0 || !is_identifier_byte(bytes[at - 1]);
        let after = code[at + 3..].trim_start();
        let name: String = after
            .strip_prefix("r#")
            .unwrap_or(after)
            .bytes()
            .take_while(|byte| is_identifier_byte(*byte))
            .map(char::from)
            .collect();
        if !starts_word || name.is_empty() {
            continue;
        }
        // A body starts at the first `{` before any `;` (a `;` first: a declaration).
        let Some(open) = code[at..].find(['{', ';']).map(|offset| at + offset) else {
            continue;
        };
        if bytes[open] == b';' {
            continue;
        }
        let close = matching_brace(bytes, open);
        let line = line_of(&code, at);
        found.push((name, line, line_of(&code, close) - line + 1));
    }
    found
}

/// The 1-based line of byte `at`.
fn line_of(text: &str, at: usize) -> usize {
    text[..at].bytes().filter(|byte| *byte == b'\n').count() + 1
}

/// The index of the `}` that closes the `{` at `open` (the last byte when none does).
fn matching_brace(bytes: &[u8], open: usize) -> usize {
    let mut depth = 0usize;
    for (at, byte) in bytes.iter().enumerate().skip(open) {
        match byte {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return at;
                }
            }
            _ => {}
        }
    }
    bytes.len().saturating_sub(1)
}

/// `code` with each item under `#[cfg(test)]` blanked (lines kept).
fn without_test_items(code: &str) -> String {
    let mut text = code.to_owned();
    while let Some(at) = text.find("#[cfg(test)]") {
        let after = at + "#[cfg(test)]".len();
        let end = match text[after..].find(['{', ';']).map(|offset| after + offset) {
            Some(open) if text.as_bytes()[open] == b'{' => matching_brace(text.as_bytes(), open),
            Some(semicolon) => semicolon,
            None => text.len() - 1,
        };
        text = blank_range(&text, at, end + 1);
    }
    text
}

/// `text` with the bytes of `start..end` turned to spaces, newlines kept.
fn blank_range(text: &str, start: usize, end: usize) -> String {
    let blanked: String = text[start..end]
        .chars()
        .map(|ch| if ch == '\n' { '\n' } else { ' ' })
        .collect();
    format!("{}{blanked}{}", &text[..start], &text[end..])
}

/// `text` with comments, string literals and character literals turned to spaces, newlines
/// kept, so only code is left to match braces in.
fn blanked(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while at < chars.len() {
        let end = literal_or_comment_end(&chars, at);
        if end == at {
            out.push(chars[at]);
            at += 1;
        } else {
            for ch in &chars[at..end] {
                out.push(if *ch == '\n' { '\n' } else { ' ' });
            }
            at = end;
        }
    }
    out
}

/// Where the comment or literal starting at `at` ends (`at` itself when none starts there).
fn literal_or_comment_end(chars: &[char], at: usize) -> usize {
    let next = |offset: usize| chars.get(at + offset).copied();
    let follows_identifier = at > 0 && (chars[at - 1].is_alphanumeric() || chars[at - 1] == '_');
    match (chars[at], next(1)) {
        ('/', Some('/')) => position_from(chars, at, '\n'),
        ('/', Some('*')) => block_comment_end(chars, at),
        ('"', _) => quoted_end(chars, at + 1, '"'),
        ('r', Some('#' | '"')) if !follows_identifier => {
            raw_string_end(chars, at + 1).unwrap_or(at)
        }
        ('b', Some('r')) if !follows_identifier => raw_string_end(chars, at + 2).unwrap_or(at),
        ('b', Some('\'')) if !follows_identifier => quoted_end(chars, at + 2, '\''),
        ('\'', Some('\\')) => quoted_end(chars, at + 1, '\''),
        // `'x'` is a character; `'a` with no closing quote two on is a lifetime.
        ('\'', Some(_)) if next(2) == Some('\'') => at + 3,
        _ => at,
    }
}

/// The index of the first `target` from `at` (the end when there is none).
fn position_from(chars: &[char], at: usize, target: char) -> usize {
    chars[at..]
        .iter()
        .position(|ch| *ch == target)
        .map_or(chars.len(), |offset| at + offset)
}

/// The end of the block comment at `at` (they nest in Rust).
fn block_comment_end(chars: &[char], at: usize) -> usize {
    let mut depth = 0usize;
    let mut index = at;
    while index + 1 < chars.len() {
        match (chars[index], chars[index + 1]) {
            ('/', '*') => {
                depth += 1;
                index += 2;
            }
            ('*', '/') => {
                depth -= 1;
                index += 2;
                if depth == 0 {
                    return index;
                }
            }
            _ => index += 1,
        }
    }
    chars.len()
}

/// The end of a literal whose body starts at `at` and ends at an unescaped `quote`.
fn quoted_end(chars: &[char], at: usize, quote: char) -> usize {
    let mut index = at;
    while index < chars.len() {
        match chars[index] {
            '\\' => index += 2,
            ch if ch == quote => return index + 1,
            _ => index += 1,
        }
    }
    chars.len()
}

/// The end of a raw string whose hashes start at `at` (`r#"..."#`); none when no `"` follows
/// the hashes (a raw identifier such as `r#type`, a name such as `br`).
fn raw_string_end(chars: &[char], at: usize) -> Option<usize> {
    let hashes = chars[at..].iter().take_while(|ch| **ch == '#').count();
    if chars.get(at + hashes) != Some(&'"') {
        return None;
    }
    let mut index = at + hashes + 1;
    while index < chars.len() {
        let closes = chars[index] == '"'
            && chars[index + 1..]
                .iter()
                .take_while(|ch| **ch == '#')
                .count()
                >= hashes;
        if closes {
            return Some(index + 1 + hashes);
        }
        index += 1;
    }
    Some(chars.len())
}

fn is_identifier_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_function_runs_from_its_fn_to_its_closing_brace() {
        let text = "fn short() {}\n\npub fn long(a: u8)\n    -> u8\n{\n    a\n}\n";
        assert_eq!(
            functions_of(text),
            vec![("short".to_owned(), 1, 1), ("long".to_owned(), 3, 5)]
        );
    }

    #[test]
    fn braces_in_literals_and_comments_count_for_nothing() {
        let text = "fn f() {\n    let s = \"}\";\n    let c = '}';\n    // }\n    /* } /* } */ */\n    let r = r#\"}\"#;\n    let l: &'static str = s;\n}\nfn g() {}\n";
        assert_eq!(
            functions_of(text),
            vec![("f".to_owned(), 1, 8), ("g".to_owned(), 9, 1)]
        );
    }

    #[test]
    fn declarations_pointers_and_test_items_are_no_functions() {
        let text = "trait T { fn d(&self); }\ntype P = fn(u8) -> u8;\nfn r#type() {}\nfn br() {}\n#[cfg(test)]\nmod tests {\n    fn t() {}\n}\n#[cfg(test)]\nfn u() {}\nfn after() {}\n";
        assert_eq!(
            functions_of(text),
            vec![
                ("type".to_owned(), 3, 1),
                ("br".to_owned(), 4, 1),
                ("after".to_owned(), 11, 1)
            ]
        );
    }

    #[test]
    fn unbalanced_text_ends() {
        let text = format!("fn f() {}\"", "{".repeat(10_000));
        assert_eq!(functions_of(&text).len(), 1);
        assert_eq!(blanked("r##\"never closed"), " ".repeat(16));
    }
}
