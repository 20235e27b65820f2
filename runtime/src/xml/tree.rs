//! A body as a tree of elements, parsed by `quick-xml` with the nesting bounded; protocol
//! tests compare request bodies with it.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::syntax::{entity, invalid, MAX_DEPTH};
use crate::deserialize::DeserializeError;

/// One element: its local name (prefix dropped), attributes as written, child elements and
/// the text directly inside it (entities decoded, line ends normalised).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    /// The local name, e.g. `Credentials` for `<sts:Credentials>`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The text directly inside the element.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The value of an attribute, by its name as written (e.g. `xsi:type`).
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The attributes, as written, in document order.
    pub fn attributes(&self) -> &[(String, String)] {
        &self.attributes
    }

    /// The child elements, in document order.
    pub fn children(&self) -> &[Element] {
        &self.children
    }

    /// The first child element named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|child| child.name == name)
    }
}

fn start(tag: &BytesStart) -> Result<Element, DeserializeError> {
    let name = tag.local_name().as_ref().to_owned();
    let mut attributes = Vec::new();
    for attribute in tag.attributes() {
        let attribute = attribute.map_err(invalid)?;
        let key = attribute.key.as_ref().to_owned();
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(invalid)?
            .into_owned();
        attributes.push((key, value));
    }
    Ok(Element {
        name,
        attributes,
        ..Element::default()
    })
}

/// Parses a body into its root element. The body must be UTF-8 and hold one root element;
/// nesting deeper than [`MAX_DEPTH`] is refused.
pub fn parse(body: &[u8]) -> Result<Element, DeserializeError> {
    let text = std::str::from_utf8(body).map_err(|_| invalid("the body is not UTF-8"))?;
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut open: Vec<Element> = Vec::new();
    loop {
        let event = reader.read_event().map_err(invalid)?;
        match event {
            Event::Start(tag) => {
                if open.len() >= MAX_DEPTH {
                    return Err(invalid(format!("elements nest deeper than {MAX_DEPTH}")));
                }
                open.push(start(&tag)?);
            }
            Event::Empty(tag) => {
                let element = start(&tag)?;
                match open.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => return Ok(element),
                }
            }
            Event::End(_) => {
                let element = open.pop().ok_or_else(|| invalid("unbalanced end tag"))?;
                match open.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => return Ok(element),
                }
            }
            Event::Text(content) => {
                if let Some(element) = open.last_mut() {
                    element.text.push_str(&content.xml10_content());
                }
            }
            Event::CData(content) => {
                if let Some(element) = open.last_mut() {
                    element.text.push_str(&content);
                }
            }
            Event::GeneralRef(reference) => {
                if let Some(element) = open.last_mut() {
                    element.text.push_str(&entity(&reference)?);
                }
            }
            Event::DocType(_) => return Err(invalid("document type declarations are refused")),
            Event::Eof => return Err(invalid("the body ends before its root element does")),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_text_and_attributes_are_read_with_entities_decoded() {
        let body = br#"<?xml version="1.0"?>
<a:Root xmlns:a="urn:x" kind="k&amp;v"><Name>x &lt; y &#x41;&#66;</Name><Empty/><![CDATA[<raw>]]></a:Root>"#;
        let root = parse(body).unwrap();
        assert_eq!(root.name(), "Root");
        assert_eq!(root.attribute("kind"), Some("k&v"));
        assert_eq!(root.attribute("xmlns:a"), Some("urn:x"));
        assert_eq!(root.child("Name").unwrap().text(), "x < y AB");
        assert_eq!(root.child("Empty").unwrap().text(), "");
        assert_eq!(root.text(), "<raw>");
    }

    #[test]
    fn line_ends_are_normalised() {
        let root = parse(b"<a>one\r\ntwo\rthree</a>").unwrap();
        assert_eq!(root.text(), "one\ntwo\nthree");
    }

    #[test]
    fn hostile_and_broken_bodies_are_errors_not_panics() {
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        let cases: [&[u8]; 8] = [
            b"",
            b"<a>",
            b"<a></b>",
            b"<a>&custom;</a>",
            b"<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>",
            b"\xff\xfe<a/>",
            b"<a b='1' b='2'/>",
            deep.as_bytes(),
        ];
        for body in cases {
            let error = parse(body).unwrap_err().to_string();
            assert!(error.starts_with("body: invalid XML: "), "{error}");
        }
        assert!(parse(deep.as_bytes())
            .unwrap_err()
            .to_string()
            .contains("deeper than 100"));
    }
}
