//! A pull reader over an XML body: elements are met one start tag at a time and read straight
//! into typed values, with no element tree in between. Nesting is bounded by [`MAX_DEPTH`]
//! whether an element is read or skipped, and every error names the body.
//!
//! The calling convention: [`Reader::child`] hands out the next child element of the element
//! being read, and the caller consumes that child whole ([`Reader::text`], [`Reader::skip`]
//! or a reader that loops over its own children) before asking for the next one.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};

use super::syntax::{entity, invalid, MAX_DEPTH};
use crate::deserialize::DeserializeError;

/// The start of one element: its name and attributes, and whether it closed itself (`<a/>`).
#[derive(Debug)]
pub struct Start<'a> {
    tag: Option<BytesStart<'a>>,
    closed: bool,
}

impl<'a> Start<'a> {
    /// An element with no name, attributes or content: what an empty body reads as.
    pub fn empty() -> Self {
        Self {
            tag: None,
            closed: true,
        }
    }

    /// The local name, e.g. `Credentials` for `<sts:Credentials>`.
    pub fn name(&self) -> &str {
        self.tag
            .as_ref()
            .map_or("", |tag| tag.local_name().into_inner())
    }

    /// The value of the attribute `name` (as written, e.g. `xsi:type`), entities decoded.
    pub fn attribute(&self, name: &str) -> Result<Option<Cow<'_, str>>, DeserializeError> {
        let Some(tag) = &self.tag else {
            return Ok(None);
        };
        for attribute in tag.attributes() {
            let attribute = attribute.map_err(invalid)?;
            if attribute.key.as_ref() == name {
                let value = attribute
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(invalid)?;
                return Ok(Some(value));
            }
        }
        Ok(None)
    }

    fn open(tag: BytesStart<'a>, closed: bool) -> Result<Self, DeserializeError> {
        // Every attribute is checked once, as a parsed tree would be: no duplicates, values
        // with well-formed references.
        for attribute in tag.attributes() {
            attribute
                .map_err(invalid)?
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(invalid)?;
        }
        Ok(Self {
            tag: Some(tag),
            closed,
        })
    }
}

/// A reader of one XML body, positioned between elements.
pub struct Reader<'a> {
    events: quick_xml::Reader<&'a [u8]>,
    depth: usize,
}

/// What one step of the body holds, in the terms the readers need.
enum Step<'a> {
    Open(Start<'a>),
    Close,
    Text(Cow<'a, str>),
    Nothing,
}

impl<'a> Reader<'a> {
    /// A reader of `body`, which must be UTF-8.
    pub fn new(body: &'a [u8]) -> Result<Self, DeserializeError> {
        let text = std::str::from_utf8(body).map_err(|_| invalid("the body is not UTF-8"))?;
        let mut events = quick_xml::Reader::from_str(text);
        events.config_mut().check_end_names = true;
        Ok(Self { events, depth: 0 })
    }

    /// A reader with nothing to read, for an empty body (read through [`Start::empty`]).
    pub fn empty() -> Reader<'static> {
        Reader {
            events: quick_xml::Reader::from_str(""),
            depth: 0,
        }
    }

    fn step(&mut self) -> Result<Step<'a>, DeserializeError> {
        let step = match self.events.read_event().map_err(invalid)? {
            Event::Start(tag) => {
                if self.depth >= MAX_DEPTH {
                    return Err(invalid(format!("elements nest deeper than {MAX_DEPTH}")));
                }
                self.depth += 1;
                Step::Open(Start::open(tag, false)?)
            }
            Event::Empty(tag) => Step::Open(Start::open(tag, true)?),
            Event::End(_) => {
                self.depth = self.depth.saturating_sub(1);
                Step::Close
            }
            Event::Text(content) => Step::Text(content.xml10_content()),
            Event::CData(content) => Step::Text(content.into_inner()),
            Event::GeneralRef(reference) => Step::Text(Cow::Owned(entity(&reference)?)),
            Event::DocType(_) => return Err(invalid("document type declarations are refused")),
            Event::Eof => return Err(invalid("the body ends before its root element does")),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => Step::Nothing,
        };
        Ok(step)
    }

    /// The root element (text, comments and the declaration before it are passed over).
    pub fn root(&mut self) -> Result<Start<'a>, DeserializeError> {
        loop {
            match self.step()? {
                Step::Open(start) => return Ok(start),
                Step::Close => return Err(invalid("unbalanced end tag")),
                Step::Text(_) | Step::Nothing => {}
            }
        }
    }

    /// The next child element of `parent`, or `None` once `parent`'s end tag is read. Text
    /// between the children is passed over.
    pub fn child(&mut self, parent: &Start<'a>) -> Result<Option<Start<'a>>, DeserializeError> {
        if parent.closed {
            return Ok(None);
        }
        loop {
            match self.step()? {
                Step::Open(start) => return Ok(Some(start)),
                Step::Close => return Ok(None),
                Step::Text(_) | Step::Nothing => {}
            }
        }
    }

    /// The text directly inside `element` (entities decoded, line ends normalised), its child
    /// elements skipped; reads through its end tag.
    pub fn text(&mut self, element: &Start<'a>) -> Result<Cow<'a, str>, DeserializeError> {
        let mut text = Cow::Borrowed("");
        if element.closed {
            return Ok(text);
        }
        loop {
            match self.step()? {
                Step::Open(start) => self.skip(&start)?,
                Step::Close => return Ok(text),
                Step::Text(more) if text.is_empty() => text = more,
                Step::Text(more) => text.to_mut().push_str(&more),
                Step::Nothing => {}
            }
        }
    }

    /// Reads past `element`'s end tag, whatever it holds.
    pub fn skip(&mut self, element: &Start<'a>) -> Result<(), DeserializeError> {
        if element.closed {
            return Ok(());
        }
        let mut open = 1usize;
        while open > 0 {
            match self.step()? {
                Step::Open(start) if !start.closed => open += 1,
                Step::Close => open -= 1,
                Step::Open(_) | Step::Text(_) | Step::Nothing => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_and_texts(body: &str) -> Result<Vec<(String, String)>, DeserializeError> {
        let mut reader = Reader::new(body.as_bytes())?;
        let root = reader.root()?;
        let mut seen = Vec::new();
        while let Some(child) = reader.child(&root)? {
            let name = child.name().to_owned();
            seen.push((name, reader.text(&child)?.into_owned()));
        }
        Ok(seen)
    }

    #[test]
    fn children_are_met_in_order_with_their_text() {
        let seen = names_and_texts(
            "<?xml version=\"1.0\"?><a:R xmlns:a=\"u\">lead<a:N>x &lt; y &#x41;</a:N>\
             <E/><T>one\r\ntwo<skipped><deep/>in</skipped>!</T><C><![CDATA[<raw>]]></C></a:R>",
        )
        .unwrap();
        let expected = [
            ("N", "x < y A"),
            ("E", ""),
            ("T", "one\ntwo!"),
            ("C", "<raw>"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn attributes_are_read_from_the_start_tag() {
        let mut reader = Reader::new(b"<R kind='k&amp;v' xsi:type='T'/>").unwrap();
        let root = reader.root().unwrap();
        assert_eq!(root.attribute("kind").unwrap().as_deref(), Some("k&v"));
        assert_eq!(root.attribute("xsi:type").unwrap().as_deref(), Some("T"));
        assert_eq!(root.attribute("none").unwrap(), None);
        assert!(reader.child(&root).unwrap().is_none());
        assert_eq!(Start::empty().name(), "");
    }

    #[test]
    fn hostile_and_broken_bodies_are_errors_not_panics() {
        let deep = format!("<a>{}", "<b>".repeat(MAX_DEPTH));
        let deep_skipped = format!("<a><x>{}", "<b>".repeat(MAX_DEPTH));
        let cases = [
            "",
            "<a>",
            "<a><b></c></a>",
            "<a><b>&custom;</b></a>",
            "<!DOCTYPE a [<!ENTITY x \"y\">]><a><b>&x;</b></a>",
            "<a><b c='1' c='2'/></a>",
            "<a><b c='x&y'/></a>",
            "</a>",
            deep.as_str(),
            deep_skipped.as_str(),
        ];
        for body in cases {
            let error = names_and_texts(body).unwrap_err().to_string();
            assert!(error.starts_with("body: invalid XML: "), "{body}: {error}");
        }
        for body in [deep, deep_skipped] {
            let error = names_and_texts(&body).unwrap_err().to_string();
            assert!(error.contains("deeper than 100"), "{error}");
        }
        let error = Reader::new(b"\xff<a/>").err().unwrap().to_string();
        assert_eq!(error, "body: invalid XML: the body is not UTF-8");
    }
}
