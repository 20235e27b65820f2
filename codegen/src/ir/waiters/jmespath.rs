//! The JMESPath subset waiters use (`smithy.waiters#waitable` paths), parsed into an AST the
//! renderer compiles to Rust over the typed output: field paths, `[]` / `[*]` projections and
//! flattening, `.*` object projections, `[a, b]` multi-select lists and `{k: a}` multi-select
//! hashes, `[N]` indexes, `[?...]` filters, comparisons, `&&` `||` `!`, literals, `length()`,
//! `contains()`. Anything else is an error naming the expression.

use std::iter::Peekable;
use std::str::Chars;

/// A parsed expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// `@`, the current value.
    Current,
    /// A member of the current value (`Table`).
    Field(String),
    /// `left.right`, or `right` applied after a projection step.
    Pipe(Box<Expr>, Box<Expr>),
    /// `list[]` or `list[*]`: the following steps apply to each element.
    Project(Box<Expr>),
    /// `object.*`: the following steps apply to each value of an object.
    Values(Box<Expr>),
    /// `value.[a, b]`: a list of the items, each evaluated against `value`.
    SelectList(Box<Expr>, Vec<Expr>),
    /// `value.{k: a}`: an object of the items, each evaluated against `value`.
    SelectHash(Box<Expr>, Vec<(String, Expr)>),
    /// `list[?condition]`: the elements for which the condition holds.
    Filter(Box<Expr>, Box<Expr>),
    /// `list[N]` (negative from the end).
    Index(Box<Expr>, i64),
    /// A literal (`` `0` ``, `'text'`).
    Literal(serde_json::Value),
    /// A comparison.
    Compare(Box<Expr>, Comparison, Box<Expr>),
    /// `a && b`.
    And(Box<Expr>, Box<Expr>),
    /// `a || b`.
    Or(Box<Expr>, Box<Expr>),
    /// `!a`.
    Not(Box<Expr>),
    /// `length(x)` or `contains(list, value)`.
    Function(String, Vec<Expr>),
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    /// `==`
    Equal,
    /// `!=`
    NotEqual,
    /// `<`
    Less,
    /// `<=`
    LessOrEqual,
    /// `>`
    Greater,
    /// `>=`
    GreaterOrEqual,
}

/// How deeply an expression may nest.
const MAX_DEPTH: usize = 32;

/// Parses `text`; the error says what was expected where.
pub fn parse(text: &str) -> Result<Expr, String> {
    let mut parser = Parser {
        chars: text.chars().peekable(),
        depth: 0,
    };
    let expr = parser.or()?;
    parser.skip_spaces();
    match parser.chars.peek() {
        None => Ok(expr),
        Some(c) => Err(format!("unexpected `{c}` in `{text}`")),
    }
}

struct Parser<'a> {
    chars: Peekable<Chars<'a>>,
    depth: usize,
}

impl Parser<'_> {
    fn skip_spaces(&mut self) {
        while self.chars.peek().is_some_and(|c| c.is_whitespace()) {
            self.chars.next();
        }
    }

    fn eat(&mut self, text: &str) -> bool {
        self.skip_spaces();
        let mut probe = self.chars.clone();
        for expected in text.chars() {
            if probe.next() != Some(expected) {
                return false;
            }
        }
        self.chars = probe;
        true
    }

    fn expect(&mut self, text: &str) -> Result<(), String> {
        if self.eat(text) {
            return Ok(());
        }
        let found = self
            .chars
            .peek()
            .map_or_else(|| "the end".to_owned(), |c| format!("`{c}`"));
        Err(format!("expected `{text}`, found {found}"))
    }

    fn nested<T>(
        &mut self,
        parse: impl FnOnce(&mut Self) -> Result<T, String>,
    ) -> Result<T, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!(
                "the expression nests deeper than {MAX_DEPTH} levels"
            ));
        }
        let result = parse(self);
        self.depth -= 1;
        result
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.eat("||") {
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.not()?;
        while self.eat("&&") {
            left = Expr::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, String> {
        if self.eat("!=") {
            return Err("`!=` needs a left operand".to_owned());
        }
        if self.eat("!") {
            return self.nested(|parser| Ok(Expr::Not(Box::new(parser.not()?))));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, String> {
        let left = self.path()?;
        let operators = [
            ("==", Comparison::Equal),
            ("!=", Comparison::NotEqual),
            ("<=", Comparison::LessOrEqual),
            (">=", Comparison::GreaterOrEqual),
            ("<", Comparison::Less),
            (">", Comparison::Greater),
        ];
        for (text, operator) in operators {
            if self.eat(text) {
                let right = self.path()?;
                return Ok(Expr::Compare(Box::new(left), operator, Box::new(right)));
            }
        }
        Ok(left)
    }

    /// A primary followed by `.field`, `.*`, `.[..]`, `.{..}`, `[]`, `[*]`, `[N]` and `[?...]`
    /// steps.
    fn path(&mut self) -> Result<Expr, String> {
        let mut expr = self.primary()?;
        loop {
            if self.eat(".") {
                expr = self.dot_step(expr)?;
            } else if self.eat("[]") || self.eat("[*]") {
                expr = Expr::Project(Box::new(expr));
            } else if self.eat("[?") {
                let condition = self.nested(Parser::or)?;
                self.expect("]")?;
                expr = Expr::Filter(Box::new(expr), Box::new(condition));
            } else if self.eat("[") {
                let index = self.integer()?;
                self.expect("]")?;
                expr = Expr::Index(Box::new(expr), index);
            } else {
                return Ok(expr);
            }
        }
    }

    /// What follows a `.`: a field, `*`, a multi-select list or hash.
    fn dot_step(&mut self, of: Expr) -> Result<Expr, String> {
        if self.eat("*") {
            return Ok(Expr::Values(Box::new(of)));
        }
        if self.eat("[") {
            return self.nested(|parser| parser.select_list(of));
        }
        if self.eat("{") {
            return self.nested(|parser| parser.select_hash(of));
        }
        let field = self.identifier()?;
        Ok(Expr::Pipe(Box::new(of), Box::new(Expr::Field(field))))
    }

    /// The items of `[a, b]` after its `[`.
    fn select_list(&mut self, of: Expr) -> Result<Expr, String> {
        let mut items = vec![self.or()?];
        while !self.eat("]") {
            self.expect(",")?;
            items.push(self.or()?);
        }
        Ok(Expr::SelectList(Box::new(of), items))
    }

    /// The items of `{k: a, l: b}` after its `{`.
    fn select_hash(&mut self, of: Expr) -> Result<Expr, String> {
        let mut items = Vec::new();
        loop {
            let key = self.identifier()?;
            if items.iter().any(|(seen, _)| *seen == key) {
                return Err(format!("the key `{key}` is selected twice"));
            }
            self.expect(":")?;
            items.push((key, self.or()?));
            if self.eat("}") {
                return Ok(Expr::SelectHash(Box::new(of), items));
            }
            self.expect(",")?;
        }
    }

    fn primary(&mut self) -> Result<Expr, String> {
        self.skip_spaces();
        if self.starts_select_list() {
            self.chars.next();
            return self.nested(|parser| parser.select_list(Expr::Current));
        }
        match self.chars.peek().copied() {
            Some('@') => {
                self.chars.next();
                Ok(Expr::Current)
            }
            Some('*') => {
                self.chars.next();
                Ok(Expr::Values(Box::new(Expr::Current)))
            }
            Some('{') => {
                self.chars.next();
                self.nested(|parser| parser.select_hash(Expr::Current))
            }
            // `[]`, `[*]`, `[?..]` or `[N]` of the current value: the steps follow.
            Some('[') => Ok(Expr::Current),
            Some('(') => {
                self.chars.next();
                let inner = self.nested(Parser::or)?;
                self.expect(")")?;
                Ok(inner)
            }
            Some('`') => self.json_literal(),
            Some('\'') => self.raw_string(),
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let name = self.identifier()?;
                if self.eat("(") {
                    return self.nested(|parser| parser.function(name));
                }
                Ok(Expr::Field(name))
            }
            Some(c) => Err(format!("unexpected `{c}`")),
            None => Err("the expression ends too early".to_owned()),
        }
    }

    /// A `[` that opens a multi-select list rather than a projection, filter or index.
    fn starts_select_list(&self) -> bool {
        let mut probe = self.chars.clone();
        if probe.next() != Some('[') {
            return false;
        }
        let next = probe.find(|c| !c.is_whitespace());
        !matches!(next, Some(']' | '*' | '?' | '-') | None)
            && !next.is_some_and(|c| c.is_ascii_digit())
    }

    fn function(&mut self, name: String) -> Result<Expr, String> {
        let mut args = Vec::new();
        if !self.eat(")") {
            loop {
                args.push(self.or()?);
                if self.eat(")") {
                    break;
                }
                self.expect(",")?;
            }
        }
        match (name.as_str(), args.len()) {
            ("length", 1) | ("contains", 2) => Ok(Expr::Function(name, args)),
            _ => Err(format!(
                "the function `{name}` with {} arguments is not supported",
                args.len()
            )),
        }
    }

    fn identifier(&mut self) -> Result<String, String> {
        self.skip_spaces();
        let mut name = String::new();
        while let Some(c) = self.chars.peek().copied() {
            if c.is_ascii_alphanumeric() || c == '_' {
                name.push(c);
                self.chars.next();
            } else {
                break;
            }
        }
        if name.is_empty() {
            return Err("expected a field name".to_owned());
        }
        Ok(name)
    }

    fn integer(&mut self) -> Result<i64, String> {
        self.skip_spaces();
        let mut text = String::new();
        while let Some(c) = self
            .chars
            .peek()
            .copied()
            .filter(|c| c.is_ascii_digit() || *c == '-')
        {
            text.push(c);
            self.chars.next();
        }
        text.parse()
            .map_err(|_| format!("expected an index, found `{text}`"))
    }

    fn json_literal(&mut self) -> Result<Expr, String> {
        self.chars.next();
        let mut text = String::new();
        loop {
            match self.chars.next() {
                Some('`') => break,
                Some('\\') => text.extend(self.chars.next()),
                Some(c) => text.push(c),
                None => return Err("a `literal` is not closed".to_owned()),
            }
        }
        serde_json::from_str(&text)
            .map(Expr::Literal)
            .map_err(|_| format!("`{text}` is not a JSON literal"))
    }

    fn raw_string(&mut self) -> Result<Expr, String> {
        self.chars.next();
        let mut text = String::new();
        loop {
            match self.chars.next() {
                Some('\'') => break,
                Some('\\') if self.chars.peek() == Some(&'\'') => text.extend(self.chars.next()),
                Some(c) => text.push(c),
                None => return Err("a 'string' is not closed".to_owned()),
            }
        }
        Ok(Expr::Literal(serde_json::Value::String(text)))
    }
}

#[cfg(test)]
mod tests;
