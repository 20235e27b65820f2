//! A pull reader of JSON values: the generated readers ask for the value they expect next and
//! it is read straight from the body bytes, with no document tree in between. Strings without
//! escapes are borrowed from the body; unknown members are skipped without allocating; nesting
//! is bounded. The same reader reads RPC v2 CBOR bodies item by item in the JSON data model
//! (see [`crate::cbor`]), so both protocols' readers share one interface.

use std::borrow::Cow;

use crate::cbor::pull::{self as cbor, Item};
pub use crate::deserialize::JsonNumber as Number;
use crate::deserialize::{DeserializeError, Path};

/// How deeply arrays and objects may nest (serde_json's default limit).
pub const MAX_DEPTH: usize = 128;

/// The kind of the next value, as error messages name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Boolean,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

impl Kind {
    /// "a string", "an object", ...
    pub fn described(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Boolean => "a boolean",
            Kind::Number => "a number",
            Kind::String => "a string",
            Kind::Array => "an array",
            Kind::Object => "an object",
        }
    }

    fn of(item: &Item) -> Self {
        match item {
            Item::Null => Kind::Null,
            Item::Boolean(_) => Kind::Boolean,
            Item::Number(_) => Kind::Number,
            Item::Text(_) => Kind::String,
            Item::Array(_) => Kind::Array,
            Item::Map(_) => Kind::Object,
        }
    }
}

/// The reader of one value (and, through [`Reader::object`] and [`Reader::array`], of the
/// values inside it).
pub struct Reader<'b> {
    source: Source<'b>,
    depth: usize,
    /// A JSON body as text when it is UTF-8 throughout (checked once, so that its strings are
    /// slices of it rather than validated one by one).
    text: Option<&'b str>,
}

enum Source<'b> {
    /// JSON text, read from `at`.
    Text { bytes: &'b [u8], at: usize },
    /// CBOR, read from `at`; `pending` is the item [`Reader::peek`] read and nothing took yet.
    Cbor {
        bytes: &'b [u8],
        at: usize,
        pending: Option<Item<'b>>,
    },
}

/// The body of an empty response, read as an empty object.
const EMPTY_OBJECT: &[u8] = b"{}";

fn syntax(message: impl std::fmt::Display, at: usize) -> DeserializeError {
    DeserializeError::new("body", format!("invalid JSON: {message} at byte {at}"))
}

impl<'b> Reader<'b> {
    /// A reader of a JSON body; an empty (or blank) body reads as an empty object.
    pub fn new(bytes: &'b [u8]) -> Self {
        let bytes = if bytes.iter().all(u8::is_ascii_whitespace) {
            EMPTY_OBJECT
        } else {
            bytes
        };
        Self {
            source: Source::Text { bytes, at: 0 },
            depth: 0,
            text: std::str::from_utf8(bytes).ok(),
        }
    }

    /// A reader of a CBOR body; an empty body reads as an empty map.
    pub fn cbor(bytes: &'b [u8]) -> Self {
        const EMPTY_MAP: &[u8] = &[0xa0];
        Self {
            source: Source::Cbor {
                bytes: if bytes.is_empty() { EMPTY_MAP } else { bytes },
                at: 0,
                pending: None,
            },
            depth: 0,
            text: None,
        }
    }

    /// Fails unless nothing but white space (JSON text) follows the value read.
    pub fn finish(&mut self) -> Result<(), DeserializeError> {
        match &mut self.source {
            Source::Text { bytes, at } => {
                *at = skip_spaces(bytes, *at);
                if *at < bytes.len() {
                    return Err(syntax("trailing characters", *at));
                }
            }
            Source::Cbor { bytes, at, pending } => {
                if pending.is_some() || *at < bytes.len() {
                    return Err(cbor::invalid(*at, "bytes after the body's value"));
                }
            }
        }
        Ok(())
    }

    /// The CBOR item [`peek`](Self::peek) read, taken (the caller peeked first).
    fn take_item(&mut self) -> Item<'b> {
        match &mut self.source {
            Source::Cbor { pending, .. } => pending.take(),
            Source::Text { .. } => None,
        }
        .expect("peek read the CBOR item")
    }

    /// The kind of the next value.
    pub fn peek(&mut self) -> Result<Kind, DeserializeError> {
        match &mut self.source {
            Source::Cbor { bytes, at, pending } => match pending {
                Some(item) => Ok(Kind::of(item)),
                None => Ok(Kind::of(pending.insert(cbor::next(bytes, at)?))),
            },
            Source::Text { bytes, at } => {
                *at = skip_spaces(bytes, *at);
                match bytes.get(*at) {
                    Some(b'n') => Ok(Kind::Null),
                    Some(b't' | b'f') => Ok(Kind::Boolean),
                    Some(b'"') => Ok(Kind::String),
                    Some(b'[') => Ok(Kind::Array),
                    Some(b'{') => Ok(Kind::Object),
                    Some(b'-' | b'0'..=b'9') => Ok(Kind::Number),
                    Some(byte) => Err(syntax(format!("unexpected `{}`", char::from(*byte)), *at)),
                    None => Err(syntax("unexpected end", *at)),
                }
            }
        }
    }

    /// Reads a `null` when one is next (true), else leaves the value (false).
    pub fn null(&mut self) -> Result<bool, DeserializeError> {
        if self.peek()? != Kind::Null {
            return Ok(false);
        }
        match &mut self.source {
            Source::Cbor { pending, .. } => *pending = None,
            Source::Text { bytes, at } => *at = literal(bytes, *at, b"null")?,
        }
        Ok(true)
    }

    /// The next value as a boolean, or the kind found instead.
    pub fn boolean(&mut self) -> Result<Result<bool, Kind>, DeserializeError> {
        let kind = self.peek()?;
        if kind != Kind::Boolean {
            return Ok(Err(kind));
        }
        Ok(Ok(match &mut self.source {
            Source::Cbor { .. } => matches!(self.take_item(), Item::Boolean(true)),
            Source::Text { bytes, at } => {
                let flag = bytes[*at] == b't';
                *at = literal(bytes, *at, if flag { b"true" } else { b"false" })?;
                flag
            }
        }))
    }

    /// The next value as a number, or the kind found instead.
    pub fn number(&mut self) -> Result<Result<Number, Kind>, DeserializeError> {
        let kind = self.peek()?;
        if kind != Kind::Number {
            return Ok(Err(kind));
        }
        Ok(Ok(match &mut self.source {
            Source::Cbor { .. } => match self.take_item() {
                Item::Number(number) => number,
                _ => unreachable!("peek saw a number"),
            },
            Source::Text { bytes, at } => {
                let (number, end) = number(bytes, *at)?;
                *at = end;
                number
            }
        }))
    }

    /// The next value as a string (borrowed from the body when it has no escapes), or the
    /// kind found instead.
    pub fn string(&mut self) -> Result<Result<Cow<'b, str>, Kind>, DeserializeError> {
        let kind = self.peek()?;
        if kind != Kind::String {
            return Ok(Err(kind));
        }
        Ok(Ok(match &mut self.source {
            Source::Cbor { .. } => match self.take_item() {
                Item::Text(text) => text,
                _ => unreachable!("peek saw a string"),
            },
            Source::Text { bytes, at } => {
                let (text, end) = string(bytes, self.text, *at)?;
                *at = end;
                text
            }
        }))
    }

    fn nested(&self, path: &Path) -> Result<usize, DeserializeError> {
        if self.depth >= MAX_DEPTH {
            return Err(DeserializeError::new(
                path.to_string(),
                format!("nested deeper than {MAX_DEPTH} levels"),
            ));
        }
        Ok(self.depth + 1)
    }

    /// Reads an object, calling `each` with the reader positioned on each member's value and
    /// the member's name; `each` must read (or [`skip`](Self::skip)) that value. Returns the
    /// kind found instead of an object.
    pub fn object(
        &mut self,
        path: &Path,
        mut each: impl FnMut(&mut Reader<'b>, &str) -> Result<(), DeserializeError>,
    ) -> Result<Result<(), Kind>, DeserializeError> {
        let kind = self.peek()?;
        if kind != Kind::Object {
            return Ok(Err(kind));
        }
        let depth = self.nested(path)?;
        self.depth = depth;
        match &mut self.source {
            Source::Cbor { .. } => {
                let Item::Map(mut left) = self.take_item() else {
                    unreachable!("peek saw a map")
                };
                while let Some(key) = self.next_cbor_entry(&mut left, true)? {
                    each(self, &key)?;
                }
            }
            Source::Text { at, .. } => {
                *at += 1;
                let mut first = true;
                while let Some(key) = self.next_key(first)? {
                    first = false;
                    each(self, &key)?;
                }
            }
        }
        self.depth -= 1;
        Ok(Ok(()))
    }

    /// The next member's name of an object being read (its `:` read too), or `None` at its
    /// closing brace.
    fn next_key(&mut self, first: bool) -> Result<Option<Cow<'b, str>>, DeserializeError> {
        let Source::Text { bytes, at } = &mut self.source else {
            unreachable!("members are read one by one from text only")
        };
        let bytes: &'b [u8] = bytes;
        *at = skip_spaces(bytes, *at);
        match (bytes.get(*at), first) {
            (Some(b'}'), _) => {
                *at += 1;
                return Ok(None);
            }
            (Some(b','), false) => *at = skip_spaces(bytes, *at + 1),
            (_, false) => return Err(syntax("expected `,` or `}`", *at)),
            (_, true) => {}
        }
        if bytes.get(*at) != Some(&b'"') {
            return Err(syntax("expected a member name", *at));
        }
        let (key, end) = string(bytes, self.text, *at)?;
        let colon = skip_spaces(bytes, end);
        if bytes.get(colon) != Some(&b':') {
            return Err(syntax("expected `:`", colon));
        }
        *at = colon + 1;
        Ok(Some(key))
    }

    /// Reads an array, calling `each` with the reader positioned on each element and its
    /// index; `each` must read (or skip) it. Returns the kind found instead of an array.
    pub fn array(
        &mut self,
        path: &Path,
        mut each: impl FnMut(&mut Reader<'b>, usize) -> Result<(), DeserializeError>,
    ) -> Result<Result<(), Kind>, DeserializeError> {
        let kind = self.peek()?;
        if kind != Kind::Array {
            return Ok(Err(kind));
        }
        let depth = self.nested(path)?;
        self.depth = depth;
        let mut index = 0;
        match &mut self.source {
            Source::Cbor { .. } => {
                let Item::Array(mut left) = self.take_item() else {
                    unreachable!("peek saw an array")
                };
                while self.next_cbor_entry(&mut left, false)?.is_some() {
                    each(self, index)?;
                    index += 1;
                }
            }
            Source::Text { at, .. } => {
                *at += 1;
                while self.next_element(index == 0)? {
                    each(self, index)?;
                    index += 1;
                }
            }
        }
        self.depth -= 1;
        Ok(Ok(()))
    }

    /// True when another element of an array being read follows (its `,` read), false at its
    /// closing bracket.
    fn next_element(&mut self, first: bool) -> Result<bool, DeserializeError> {
        let Source::Text { bytes, at } = &mut self.source else {
            unreachable!("elements are read one by one from text only")
        };
        *at = skip_spaces(bytes, *at);
        match (bytes.get(*at), first) {
            (Some(b']'), _) => {
                *at += 1;
                Ok(false)
            }
            (Some(b','), false) => {
                *at += 1;
                Ok(true)
            }
            (_, false) => Err(syntax("expected `,` or `]`", *at)),
            (_, true) => Ok(true),
        }
    }

    /// The next entry of a CBOR map (its key, when `keyed`) or array being read, with `left`
    /// the entries still to come (`None`: up to a break); `None` at its end.
    fn next_cbor_entry(
        &mut self,
        left: &mut Option<u64>,
        keyed: bool,
    ) -> Result<Option<Cow<'b, str>>, DeserializeError> {
        let Source::Cbor { bytes, at, .. } = &mut self.source else {
            unreachable!("entries are read one by one from CBOR only here")
        };
        let bytes: &'b [u8] = bytes;
        match left {
            Some(0) => return Ok(None),
            Some(count) => *count -= 1,
            None if cbor::at_break(bytes, at)? => return Ok(None),
            None => {}
        }
        match keyed {
            true => cbor::key(bytes, at).map(Some),
            false => Ok(Some(Cow::Borrowed(""))),
        }
    }

    /// Skips the next value (checking its syntax, bounded in depth, allocating nothing for
    /// JSON text).
    pub fn skip(&mut self) -> Result<(), DeserializeError> {
        let allowed = MAX_DEPTH.saturating_sub(self.depth);
        match &mut self.source {
            Source::Cbor { bytes, at, pending } => {
                let item = match pending.take() {
                    Some(item) => item,
                    None => cbor::next(bytes, at)?,
                };
                cbor::skip_rest(bytes, at, item, allowed)
            }
            Source::Text { bytes, at } => {
                *at = skip_value(bytes, *at, allowed)?;
                Ok(())
            }
        }
    }
}

fn skip_spaces(bytes: &[u8], mut at: usize) -> usize {
    while matches!(bytes.get(at), Some(b' ' | b'\n' | b'\r' | b'\t')) {
        at += 1;
    }
    at
}

fn literal(bytes: &[u8], at: usize, word: &[u8]) -> Result<usize, DeserializeError> {
    if bytes[at..].starts_with(word) {
        Ok(at + word.len())
    } else {
        Err(syntax("expected a literal (true, false or null)", at))
    }
}

/// The number at `at` and the offset after it.
fn number(bytes: &[u8], start: usize) -> Result<(Number, usize), DeserializeError> {
    let digits = |mut at: usize| {
        let from = at;
        while bytes.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        (at, at > from)
    };
    let mut at = start + usize::from(bytes[start] == b'-');
    let (end, any) = digits(at);
    if !any || (bytes[at] == b'0' && end > at + 1) {
        return Err(syntax("invalid number", start));
    }
    at = end;
    let mut integer = true;
    if bytes.get(at) == Some(&b'.') {
        let (end, any) = digits(at + 1);
        if !any {
            return Err(syntax("invalid number", start));
        }
        (at, integer) = (end, false);
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(at + 1), Some(b'+' | b'-')));
        let (end, any) = digits(at + 1 + sign);
        if !any {
            return Err(syntax("invalid number", start));
        }
        (at, integer) = (end, false);
    }
    // The text is ASCII digits, signs, `.` and exponents: valid UTF-8.
    let text = std::str::from_utf8(&bytes[start..at]).unwrap_or_default();
    let parsed = if integer && bytes[start] == b'-' {
        text.parse().ok().map(Number::Negative)
    } else if integer {
        text.parse().ok().map(Number::Positive)
    } else {
        None
    };
    let number = match parsed {
        Some(number) => number,
        None => Number::Float(text.parse().map_err(|_| syntax("invalid number", start))?),
    };
    Ok((number, at))
}

/// The offset in `bytes` (from `from`) of the next quote or backslash, scanned eight bytes at
/// a time; a control character before it, or no such byte at all, is an error (`start` is the
/// string's opening quote, for the message).
fn plain_run(bytes: &[u8], from: usize, start: usize) -> Result<usize, DeserializeError> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte of `word` that is zero (exact for the lowest such byte).
    let zero_bytes = |word: u64| word.wrapping_sub(ONES) & !word & HIGH;
    let mut at = from;
    while let Some(Ok(word)) = bytes.get(at..at + 8).map(<[u8; 8]>::try_from) {
        let word = u64::from_le_bytes(word);
        let special = zero_bytes(word ^ (ONES * u64::from(b'"')))
            | zero_bytes(word ^ (ONES * u64::from(b'\\')))
            | word.wrapping_sub(ONES * 0x20) & !word & HIGH;
        if special != 0 {
            at += (special.trailing_zeros() / 8) as usize;
            break;
        }
        at += 8;
    }
    loop {
        match bytes.get(at) {
            Some(b'"' | b'\\') => return Ok(at),
            Some(0..=0x1f) => return Err(syntax("a control character in a string", at)),
            Some(_) => at += 1,
            None => return Err(syntax("an unterminated string", start)),
        }
    }
}

/// The string whose opening quote is at `start`, and the offset after its closing quote;
/// `text` is `bytes` as text when it is known to be UTF-8.
fn string<'b>(
    bytes: &'b [u8],
    text: Option<&'b str>,
    start: usize,
) -> Result<(Cow<'b, str>, usize), DeserializeError> {
    let from = start + 1;
    let at = plain_run(bytes, from, start)?;
    if bytes[at] == b'\\' {
        return unescape(bytes, from, at);
    }
    // Both ends sit next to ASCII quotes, so slicing the text never splits a character.
    let plain = match text.and_then(|text| text.get(from..at)) {
        Some(plain) => plain,
        None => std::str::from_utf8(&bytes[from..at])
            .map_err(|_| syntax("a string that is not UTF-8", from))?,
    };
    Ok((Cow::Borrowed(plain), at + 1))
}

/// A string with escapes: the plain text before `escape`, then the rest unescaped.
fn unescape(
    bytes: &[u8],
    from: usize,
    escape: usize,
) -> Result<(Cow<'_, str>, usize), DeserializeError> {
    let mut text: Vec<u8> = bytes[from..escape].to_vec();
    let mut at = escape;
    while bytes[at] == b'\\' {
        let (character, end) = escaped(bytes, at)?;
        let mut buffer = [0; 4];
        text.extend_from_slice(character.encode_utf8(&mut buffer).as_bytes());
        let stop = plain_run(bytes, end, from - 1)?;
        text.extend_from_slice(&bytes[end..stop]);
        at = stop;
    }
    let text = String::from_utf8(text).map_err(|_| syntax("a string that is not UTF-8", from))?;
    Ok((Cow::Owned(text), at + 1))
}

/// The character of the escape at `at` (a backslash) and the offset after it.
fn escaped(bytes: &[u8], at: usize) -> Result<(char, usize), DeserializeError> {
    let simple = match bytes.get(at + 1) {
        Some(b'"') => '"',
        Some(b'\\') => '\\',
        Some(b'/') => '/',
        Some(b'b') => '\u{8}',
        Some(b'f') => '\u{c}',
        Some(b'n') => '\n',
        Some(b'r') => '\r',
        Some(b't') => '\t',
        Some(b'u') => return unicode_escape(bytes, at),
        _ => return Err(syntax("an invalid escape", at)),
    };
    Ok((simple, at + 2))
}

/// `\uXXXX`, or a surrogate pair `\uD83D\uDE00`.
fn unicode_escape(bytes: &[u8], at: usize) -> Result<(char, usize), DeserializeError> {
    let hex = |from: usize| -> Option<u32> {
        let digits = std::str::from_utf8(bytes.get(from..from + 4)?).ok()?;
        u32::from_str_radix(digits, 16).ok()
    };
    let invalid = || syntax("an invalid \\u escape", at);
    let first = hex(at + 2).ok_or_else(invalid)?;
    if !(0xD800..0xDC00).contains(&first) {
        return char::from_u32(first)
            .map(|c| (c, at + 6))
            .ok_or_else(invalid);
    }
    if bytes.get(at + 6..at + 8) != Some(b"\\u") {
        return Err(invalid());
    }
    let second = hex(at + 8)
        .filter(|low| (0xDC00..0xE000).contains(low))
        .ok_or_else(invalid)?;
    let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
    char::from_u32(code)
        .map(|c| (c, at + 12))
        .ok_or_else(invalid)
}

/// The offset after the value at `at`, nesting at most `depth` levels.
fn skip_value(bytes: &[u8], at: usize, depth: usize) -> Result<usize, DeserializeError> {
    let at = skip_spaces(bytes, at);
    match bytes.get(at) {
        Some(b'"') => {
            // Skip without unescaping: only the end matters.
            let mut end = at + 1;
            loop {
                match bytes.get(end) {
                    Some(b'"') => return Ok(end + 1),
                    Some(b'\\') => end += 2,
                    Some(0..=0x1f) => return Err(syntax("a control character in a string", end)),
                    Some(_) => end += 1,
                    None => return Err(syntax("an unterminated string", at)),
                }
            }
        }
        Some(b'{' | b'[') => skip_container(bytes, at, depth),
        Some(b'n') => literal(bytes, at, b"null"),
        Some(b't') => literal(bytes, at, b"true"),
        Some(b'f') => literal(bytes, at, b"false"),
        Some(b'-' | b'0'..=b'9') => number(bytes, at).map(|(_, end)| end),
        Some(byte) => Err(syntax(format!("unexpected `{}`", char::from(*byte)), at)),
        None => Err(syntax("unexpected end", at)),
    }
}

fn skip_container(bytes: &[u8], start: usize, depth: usize) -> Result<usize, DeserializeError> {
    if depth == 0 {
        return Err(DeserializeError::new(
            "body",
            format!("nested deeper than {MAX_DEPTH} levels"),
        ));
    }
    let object = bytes[start] == b'{';
    let close = if object { b'}' } else { b']' };
    let mut at = skip_spaces(bytes, start + 1);
    if bytes.get(at) == Some(&close) {
        return Ok(at + 1);
    }
    loop {
        if object {
            if bytes.get(at) != Some(&b'"') {
                return Err(syntax("expected a member name", at));
            }
            at = skip_spaces(bytes, skip_value(bytes, at, depth)?);
            if bytes.get(at) != Some(&b':') {
                return Err(syntax("expected `:`", at));
            }
            at += 1;
        }
        at = skip_spaces(bytes, skip_value(bytes, at, depth - 1)?);
        match bytes.get(at) {
            Some(b',') => at = skip_spaces(bytes, at + 1),
            Some(byte) if *byte == close => return Ok(at + 1),
            _ => return Err(syntax("expected `,` or the container's end", at)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_end_at_the_first_quote_or_escape_in_any_word() {
        let long = "é".repeat(20);
        for text in [
            "",
            "a",
            "abcdefg",
            "abcdefgh",
            "abcdefghi",
            &long,
            "0123456789abcdef01",
        ] {
            let body = format!("\"{text}\" ");
            for known in [None, Some(body.as_str())] {
                let (read, end) = string(body.as_bytes(), known, 0).unwrap();
                assert_eq!((read.as_ref(), end), (text, text.len() + 2), "{text:?}");
            }
        }
        let escaped = br#""0123456789\n0123456789\u00e9x""#;
        let (read, end) = string(escaped, None, 0).unwrap();
        assert_eq!(
            (read.as_ref(), end),
            ("0123456789\n0123456789éx", escaped.len())
        );
        for (body, message) in [
            (
                &b"\"0123456789\x01\""[..],
                "a control character in a string at byte 11",
            ),
            (b"\"\x1f\"", "a control character in a string at byte 1"),
            (b"\"0123456789abcdef", "an unterminated string at byte 0"),
            (b"\"01234567\\q\"", "invalid escape"),
        ] {
            let error = string(body, None, 0).unwrap_err().to_string();
            assert!(error.contains(message), "{error}");
        }
    }
}
