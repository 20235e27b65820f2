//! Splits Smithy IDL text into tokens, each with the line and column it starts at. Commas and
//! `//` comments are whitespace; `///` comments are kept as documentation tokens.

use super::text::{text_block, unescape};
use super::Position;

/// One lexical token.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Token {
    /// An identifier or shape id (`Foo`, `smithy.api#String`, `Foo$bar`), or a keyword.
    Word(String),
    /// A quoted string, escapes decoded.
    Text(String),
    /// A text block (`"""`), incidental whitespace removed and escapes decoded.
    TextBlock(String),
    /// A number, as written.
    Number(String),
    /// One line of a `///` documentation comment, without the slashes.
    Doc(String),
    /// A punctuation mark: one of `{ } [ ] ( ) : = @ $`, or `:=` as `Walrus`.
    Punct(char),
    /// `:=`, which binds an inline input or output structure.
    Walrus,
}

impl Token {
    /// How the token reads in an error message.
    pub(crate) fn describe(&self) -> String {
        match self {
            Token::Word(word) => format!("`{word}`"),
            Token::Text(_) => "a quoted string".to_owned(),
            Token::TextBlock(_) => "a text block".to_owned(),
            Token::Number(number) => format!("the number {number}"),
            Token::Doc(_) => "a documentation comment".to_owned(),
            Token::Punct(mark) => format!("`{mark}`"),
            Token::Walrus => "`:=`".to_owned(),
        }
    }
}

/// A token and where it starts.
#[derive(Clone, Debug)]
pub(crate) struct Spanned {
    /// The token.
    pub token: Token,
    /// Where it starts.
    pub at: Position,
}

/// Splits `text` into tokens; the error names the position of the first character that
/// starts no token.
pub(crate) fn tokenize(text: &str) -> Result<Vec<Spanned>, (Position, String)> {
    let mut lexer = Lexer {
        chars: text.char_indices().peekable(),
        text,
        line: 1,
        column: 1,
    };
    let mut tokens = Vec::new();
    while let Some(spanned) = lexer.next_token()? {
        tokens.push(spanned);
    }
    Ok(tokens)
}

struct Lexer<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    text: &'a str,
    line: usize,
    column: usize,
}

impl Lexer<'_> {
    fn position(&self) -> Position {
        Position {
            line: self.line,
            column: self.column,
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.chars.peek().map(|&(_, c)| c)
    }

    fn offset(&mut self) -> usize {
        self.chars
            .peek()
            .map_or(self.text.len(), |&(offset, _)| offset)
    }

    fn bump(&mut self) -> Option<char> {
        let (_, c) = self.chars.next()?;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn rest_starts_with(&mut self, prefix: &str) -> bool {
        let offset = self.offset();
        self.text[offset..].starts_with(prefix)
    }

    fn next_token(&mut self) -> Result<Option<Spanned>, (Position, String)> {
        loop {
            match self.peek() {
                None => return Ok(None),
                Some(' ' | '\t' | '\r' | '\n' | ',') => {
                    self.bump();
                }
                Some('/') => {
                    let at = self.position();
                    if !self.rest_starts_with("//") {
                        return Err((
                            at,
                            "a single `/` starts no token (comments use `//`)".into(),
                        ));
                    }
                    let doc = self.rest_starts_with("///");
                    let line = self.rest_of_line();
                    if doc {
                        let text = line.strip_prefix("///").unwrap_or(&line);
                        let text = text.strip_prefix(' ').unwrap_or(text);
                        return Ok(Some(Spanned {
                            token: Token::Doc(text.trim_end_matches('\r').to_owned()),
                            at,
                        }));
                    }
                }
                Some(c) => {
                    let at = self.position();
                    let token = self.token(c, at)?;
                    return Ok(Some(Spanned { token, at }));
                }
            }
        }
    }

    fn rest_of_line(&mut self) -> String {
        let mut line = String::new();
        while let Some(c) = self.peek() {
            if c == '\n' {
                break;
            }
            line.push(c);
            self.bump();
        }
        line
    }

    fn token(&mut self, first: char, at: Position) -> Result<Token, (Position, String)> {
        match first {
            '{' | '}' | '[' | ']' | '(' | ')' | '=' | '@' | '$' => {
                self.bump();
                Ok(Token::Punct(first))
            }
            ':' => {
                self.bump();
                if self.peek() == Some('=') {
                    self.bump();
                    return Ok(Token::Walrus);
                }
                Ok(Token::Punct(':'))
            }
            '"' if self.rest_starts_with("\"\"\"") => self.text_block(at),
            '"' => self.quoted(at),
            '-' | '0'..='9' => self.number(at),
            c if c.is_ascii_alphabetic() || c == '_' => Ok(Token::Word(self.word())),
            other => Err((at, format!("unexpected character {other:?}"))),
        }
    }

    fn word(&mut self) -> String {
        let mut word = String::new();
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '#' | '$') {
                word.push(c);
                self.bump();
            } else {
                break;
            }
        }
        word
    }

    fn number(&mut self, at: Position) -> Result<Token, (Position, String)> {
        let mut number = String::new();
        while let Some(c) = self.peek() {
            if c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E') {
                number.push(c);
                self.bump();
            } else {
                break;
            }
        }
        if serde_json::from_str::<serde_json::Number>(&number).is_err() {
            return Err((at, format!("`{number}` is not a number")));
        }
        Ok(Token::Number(number))
    }

    /// The raw text up to the closing `delimiter`, a backslash keeping the next character.
    fn raw_until(&mut self, delimiter: &str, at: Position) -> Result<String, (Position, String)> {
        let mut raw = String::new();
        loop {
            if self.rest_starts_with(delimiter) {
                for _ in 0..delimiter.len() {
                    self.bump();
                }
                return Ok(raw);
            }
            match self.bump() {
                None => return Err((at, "the string is not closed".to_owned())),
                Some('\\') => {
                    raw.push('\\');
                    if let Some(next) = self.bump() {
                        raw.push(next);
                    }
                }
                Some(c) => raw.push(c),
            }
        }
    }

    fn quoted(&mut self, at: Position) -> Result<Token, (Position, String)> {
        self.bump();
        let raw = self.raw_until("\"", at)?;
        let text = unescape(&raw).map_err(|message| (at, message))?;
        Ok(Token::Text(text))
    }

    fn text_block(&mut self, at: Position) -> Result<Token, (Position, String)> {
        for _ in 0..3 {
            self.bump();
        }
        let opening = self.rest_of_line();
        if !opening.trim().is_empty() {
            return Err((
                at,
                "a text block's opening `\"\"\"` must end its line".to_owned(),
            ));
        }
        self.bump();
        let raw = self.raw_until("\"\"\"", at)?;
        let text = unescape(&text_block(&raw)).map_err(|message| (at, message))?;
        Ok(Token::TextBlock(text))
    }
}
