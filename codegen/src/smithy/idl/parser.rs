//! The Smithy 2.0 IDL grammar (control, metadata and shape sections), read from tokens into
//! an [`IdlFile`]. Line breaks are not significant here: the grammar's statements are told
//! apart by their first token.

use super::ast::{
    IdlFile, MemberDefinition, Node, OperationBody, Reference, ShapeBody, ShapeDefinition,
    Statement, TraitApplication,
};
use super::lexer::{Spanned, Token};
use super::Position;
use crate::smithy::is_identifier;

/// How deeply node values may nest.
const MAX_NODE_DEPTH: usize = 64;

/// A parse failure: where, and what was expected.
pub(crate) type Failure = (Position, String);

const SIMPLE_TYPES: &[&str] = &[
    "blob",
    "boolean",
    "document",
    "string",
    "byte",
    "short",
    "integer",
    "long",
    "float",
    "double",
    "bigInteger",
    "bigDecimal",
    "timestamp",
];

/// Parses one file's tokens; `end` is the position after the last character.
pub(crate) fn parse(tokens: Vec<Spanned>, end: Position) -> Result<IdlFile, Failure> {
    let mut parser = Parser {
        tokens,
        index: 0,
        end,
        input_suffix: "Input".to_owned(),
        output_suffix: "Output".to_owned(),
        file: IdlFile::default(),
    };
    parser.file_sections()?;
    Ok(parser.file)
}

struct Parser {
    tokens: Vec<Spanned>,
    index: usize,
    end: Position,
    input_suffix: String,
    output_suffix: String,
    file: IdlFile,
}

impl Parser {
    /// The index of the next token that is not a documentation comment.
    fn significant(&self, from: usize) -> usize {
        let mut index = from;
        while matches!(
            self.tokens.get(index),
            Some(Spanned {
                token: Token::Doc(_),
                ..
            })
        ) {
            index += 1;
        }
        index
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens
            .get(self.significant(self.index))
            .map(|spanned| &spanned.token)
    }

    fn peek_second(&self) -> Option<&Token> {
        let first = self.significant(self.index);
        self.tokens
            .get(self.significant(first + 1))
            .map(|spanned| &spanned.token)
    }

    fn position(&self) -> Position {
        self.tokens
            .get(self.significant(self.index))
            .map_or(self.end, |spanned| spanned.at)
    }

    fn next(&mut self) -> Option<Spanned> {
        self.index = self.significant(self.index);
        let spanned = self.tokens.get(self.index).cloned()?;
        self.index += 1;
        Some(spanned)
    }

    /// Consumes the documentation comments at the cursor, joined by line breaks.
    fn take_docs(&mut self) -> Option<String> {
        let mut lines = Vec::new();
        while let Some(Spanned {
            token: Token::Doc(line),
            ..
        }) = self.tokens.get(self.index)
        {
            lines.push(line.clone());
            self.index += 1;
        }
        (!lines.is_empty()).then(|| lines.join("\n"))
    }

    fn unexpected(&self, expected: &str) -> Failure {
        let found = self
            .peek()
            .map_or_else(|| "the end of the file".to_owned(), Token::describe);
        (
            self.position(),
            format!("expected {expected}, found {found}"),
        )
    }

    fn eat_punct(&mut self, mark: char) -> bool {
        if self.peek() == Some(&Token::Punct(mark)) {
            self.next();
            return true;
        }
        false
    }

    fn expect_punct(&mut self, mark: char) -> Result<(), Failure> {
        if self.eat_punct(mark) {
            return Ok(());
        }
        Err(self.unexpected(&format!("`{mark}`")))
    }

    fn eat_word(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Some(Token::Word(found)) if found == word) {
            self.next();
            return true;
        }
        false
    }

    fn word(&mut self, expected: &str) -> Result<Reference, Failure> {
        match self.peek() {
            Some(Token::Word(_)) => {
                let Some(Spanned {
                    token: Token::Word(text),
                    at,
                }) = self.next()
                else {
                    unreachable!("peeked a word")
                };
                Ok(Reference { text, at })
            }
            _ => Err(self.unexpected(expected)),
        }
    }

    fn identifier(&mut self, expected: &str) -> Result<Reference, Failure> {
        let word = self.word(expected)?;
        if !is_identifier(&word.text) {
            return Err((word.at, format!("`{}` is not an identifier", word.text)));
        }
        Ok(word)
    }

    /// A node object key: an identifier or a quoted string.
    fn key(&mut self) -> Result<String, Failure> {
        match self.peek() {
            Some(Token::Text(_)) => match self.next().map(|spanned| spanned.token) {
                Some(Token::Text(text)) => Ok(text),
                _ => unreachable!("peeked a string"),
            },
            _ => Ok(self
                .identifier("a key (an identifier or a quoted string)")?
                .text),
        }
    }

    fn file_sections(&mut self) -> Result<(), Failure> {
        while self.peek() == Some(&Token::Punct('$')) {
            self.control_statement()?;
        }
        loop {
            self.take_docs();
            if self.eat_word("metadata") {
                let _key = self.key()?;
                self.expect_punct('=')?;
                self.node(0)?;
            } else if self.eat_word("namespace") {
                let namespace = self.word("a namespace")?;
                self.file.namespace = Some(namespace.text);
                break;
            } else if self.peek().is_none() {
                return Ok(());
            } else {
                return Err(self.unexpected("`metadata`, `namespace` or the end of the file"));
            }
        }
        while self.eat_word("use") {
            let id = self.word("an absolute shape id")?;
            let Some((_, name)) = id.text.split_once('#') else {
                return Err((
                    id.at,
                    format!("`use {}` needs an absolute shape id", id.text),
                ));
            };
            self.file.uses.insert(name.to_owned(), id);
        }
        while self.peek().is_some() {
            self.shape_or_apply()?;
        }
        Ok(())
    }

    fn control_statement(&mut self) -> Result<(), Failure> {
        self.expect_punct('$')?;
        let key = self.key()?;
        self.expect_punct(':')?;
        let at = self.position();
        let value = self.node(0)?;
        if !matches!(
            key.as_str(),
            "version" | "operationInputSuffix" | "operationOutputSuffix"
        ) {
            return Ok(());
        }
        let Node::Text(text) = value else {
            return Err((at, format!("`${key}` must be a string")));
        };
        match key.as_str() {
            "version" => self.file.version = Some(text),
            "operationInputSuffix" => self.input_suffix = text,
            _ => self.output_suffix = text,
        }
        Ok(())
    }

    fn shape_or_apply(&mut self) -> Result<(), Failure> {
        if self.eat_word("apply") {
            let target = self.word("the shape id to apply traits to")?;
            let traits = if self.eat_punct('{') {
                let (_, traits) = self.trait_statements()?;
                self.expect_punct('}')?;
                traits
            } else {
                if self.peek() != Some(&Token::Punct('@')) {
                    return Err(self.unexpected("a trait (`@...`) or `{`"));
                }
                vec![self.trait_application()?]
            };
            self.file
                .statements
                .push(Statement::Apply { target, traits });
            return Ok(());
        }
        let (docs, traits) = self.trait_statements()?;
        let type_name = self.word("a shape type or `apply`")?;
        let name = self.identifier("a shape name")?;
        let mut shape = ShapeDefinition {
            type_name: type_name.text.clone(),
            name: name.text,
            at: name.at,
            docs,
            traits,
            mixins: Vec::new(),
            for_resource: None,
            body: ShapeBody::None,
        };
        match type_name.text.as_str() {
            simple if SIMPLE_TYPES.contains(&simple) => shape.mixins = self.mixins()?,
            "enum" | "intEnum" => {
                shape.mixins = self.mixins()?;
                shape.body = ShapeBody::Members(self.members(false)?);
            }
            "list" | "set" | "map" | "structure" | "union" => {
                shape.for_resource = self.for_resource()?;
                shape.mixins = self.mixins()?;
                shape.body = ShapeBody::Members(self.members(true)?);
            }
            "service" | "resource" => {
                shape.mixins = self.mixins()?;
                let at = self.position();
                match self.node(0)? {
                    Node::Object(properties) => shape.body = ShapeBody::Properties(properties),
                    _ => return Err((at, format!("a {} body must be `{{...}}`", type_name.text))),
                }
            }
            "operation" => {
                shape.mixins = self.mixins()?;
                shape.body = ShapeBody::Operation(self.operation_body(&shape.name)?);
            }
            other => return Err((type_name.at, format!("unknown shape type `{other}`"))),
        }
        self.file.statements.push(Statement::Shape(Box::new(shape)));
        Ok(())
    }

    fn mixins(&mut self) -> Result<Vec<Reference>, Failure> {
        if !self.eat_word("with") {
            return Ok(Vec::new());
        }
        self.expect_punct('[')?;
        let mut mixins = Vec::new();
        while !self.eat_punct(']') {
            mixins.push(self.word("a mixin's shape id or `]`")?);
        }
        Ok(mixins)
    }

    fn for_resource(&mut self) -> Result<Option<Reference>, Failure> {
        if !self.eat_word("for") {
            return Ok(None);
        }
        Ok(Some(self.word("a resource's shape id")?))
    }

    /// Documentation comments and traits before a shape or member.
    fn trait_statements(&mut self) -> Result<(Option<String>, Vec<TraitApplication>), Failure> {
        let mut docs: Vec<String> = Vec::new();
        let mut traits = Vec::new();
        loop {
            docs.extend(self.take_docs());
            if self.peek() != Some(&Token::Punct('@')) {
                break;
            }
            traits.push(self.trait_application()?);
        }
        Ok(((!docs.is_empty()).then(|| docs.join("\n")), traits))
    }

    fn trait_application(&mut self) -> Result<TraitApplication, Failure> {
        self.expect_punct('@')?;
        let id = self.word("a trait's shape id")?;
        if !self.eat_punct('(') {
            return Ok(TraitApplication {
                id,
                value: Node::Object(Vec::new()),
            });
        }
        if self.eat_punct(')') {
            return Ok(TraitApplication {
                id,
                value: Node::Object(Vec::new()),
            });
        }
        let structure = matches!(self.peek(), Some(Token::Word(_) | Token::Text(_)))
            && self.peek_second() == Some(&Token::Punct(':'));
        if !structure {
            let value = self.node(0)?;
            self.expect_punct(')')?;
            return Ok(TraitApplication { id, value });
        }
        let mut entries = Vec::new();
        while !self.eat_punct(')') {
            let key = self.key()?;
            self.expect_punct(':')?;
            entries.push((key, self.node(1)?));
        }
        Ok(TraitApplication {
            id,
            value: Node::Object(entries),
        })
    }

    /// `{ members }`; `targets` is false for enums, whose members name no target.
    fn members(&mut self, targets: bool) -> Result<Vec<MemberDefinition>, Failure> {
        self.expect_punct('{')?;
        let mut members = Vec::new();
        loop {
            let (docs, traits) = self.trait_statements()?;
            if self.eat_punct('}') {
                return Ok(members);
            }
            let elided = targets && self.eat_punct('$');
            let name = self.identifier("a member name or `}`")?;
            let target = if targets && !elided {
                self.expect_punct(':')?;
                Some(self.word("the member's target shape id")?)
            } else {
                None
            };
            let value = if self.eat_punct('=') {
                Some(self.node(0)?)
            } else {
                None
            };
            members.push(MemberDefinition {
                name: name.text,
                at: name.at,
                target,
                docs,
                traits,
                value,
            });
        }
    }

    fn operation_body(&mut self, operation: &str) -> Result<OperationBody, Failure> {
        self.expect_punct('{')?;
        let mut body = OperationBody::default();
        loop {
            self.take_docs();
            if self.eat_punct('}') {
                return Ok(body);
            }
            let property = self.word("`input`, `output`, `errors` or `}`")?;
            match property.text.as_str() {
                "input" | "output" => {
                    let input = property.text == "input";
                    let reference = if self.peek() == Some(&Token::Walrus) {
                        self.next();
                        self.inline_structure(operation, input)?
                    } else {
                        self.expect_punct(':')?;
                        self.word("a structure's shape id")?
                    };
                    *if input {
                        &mut body.input
                    } else {
                        &mut body.output
                    } = Some(reference);
                }
                "errors" => {
                    self.expect_punct(':')?;
                    self.expect_punct('[')?;
                    while !self.eat_punct(']') {
                        body.errors.push(self.word("an error's shape id or `]`")?);
                    }
                }
                other => {
                    return Err((property.at, format!("unknown operation property `{other}`")))
                }
            }
        }
    }

    /// `input := ... { members }`: a structure named after the operation, defined here.
    fn inline_structure(&mut self, operation: &str, input: bool) -> Result<Reference, Failure> {
        let at = self.position();
        let (docs, mut traits) = self.trait_statements()?;
        let suffix = if input {
            &self.input_suffix
        } else {
            &self.output_suffix
        };
        let name = format!("{operation}{suffix}");
        traits.push(TraitApplication {
            id: Reference {
                text: format!("smithy.api#{}", if input { "input" } else { "output" }),
                at,
            },
            value: Node::Object(Vec::new()),
        });
        let for_resource = self.for_resource()?;
        let mixins = self.mixins()?;
        let members = self.members(true)?;
        self.file
            .statements
            .push(Statement::Shape(Box::new(ShapeDefinition {
                type_name: "structure".to_owned(),
                name: name.clone(),
                at,
                docs,
                traits,
                mixins,
                for_resource,
                body: ShapeBody::Members(members),
            })));
        Ok(Reference { text: name, at })
    }

    fn node(&mut self, depth: usize) -> Result<Node, Failure> {
        if depth > MAX_NODE_DEPTH {
            return Err((
                self.position(),
                format!("node values nest deeper than {MAX_NODE_DEPTH} levels"),
            ));
        }
        let at = self.position();
        let Some(spanned) = self.next() else {
            return Err((
                at,
                "expected a node value, found the end of the file".to_owned(),
            ));
        };
        Ok(match spanned.token {
            Token::Punct('[') => {
                let mut items = Vec::new();
                while !self.eat_punct(']') {
                    items.push(self.node(depth + 1)?);
                }
                Node::Array(items)
            }
            Token::Punct('{') => {
                let mut entries = Vec::new();
                while !self.eat_punct('}') {
                    let key = self.key()?;
                    self.expect_punct(':')?;
                    entries.push((key, self.node(depth + 1)?));
                }
                Node::Object(entries)
            }
            Token::Number(text) => Node::Number(
                serde_json::from_str(&text).map_err(|_| (at, format!("`{text}` is no number")))?,
            ),
            Token::Text(text) | Token::TextBlock(text) => Node::Text(text),
            Token::Word(word) => match word.as_str() {
                "true" => Node::Bool(true),
                "false" => Node::Bool(false),
                "null" => Node::Null,
                _ => Node::ShapeId(Reference { text: word, at }),
            },
            other => {
                return Err((
                    at,
                    format!("expected a node value, found {}", other.describe()),
                ))
            }
        })
    }
}
