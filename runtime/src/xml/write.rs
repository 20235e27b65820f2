//! Writing XML request bodies (restXml): elements opened and closed in order, attributes
//! before content, text and attribute values escaped.

/// An XML document being written into a `String`.
#[derive(Debug, Default)]
pub struct XmlWriter {
    out: String,
}

impl XmlWriter {
    /// An empty document.
    pub fn new() -> Self {
        Self::default()
    }

    /// Opens the root element.
    pub fn root(&mut self, name: &str) -> ElementWriter<'_> {
        ElementWriter::open(&mut self.out, name)
    }

    /// The document.
    pub fn finish(self) -> String {
        self.out
    }
}

/// An open element: attributes may be added until the first child or text is written;
/// [`finish`](Self::finish) closes it.
#[derive(Debug)]
pub struct ElementWriter<'w> {
    out: &'w mut String,
    name: String,
    start_open: bool,
}

impl<'w> ElementWriter<'w> {
    fn open(out: &'w mut String, name: &str) -> Self {
        out.push('<');
        out.push_str(name);
        Self {
            out,
            name: name.to_owned(),
            start_open: true,
        }
    }

    fn close_start(&mut self) {
        if self.start_open {
            self.out.push('>');
            self.start_open = false;
        }
    }

    /// Adds an attribute (before any child or text).
    pub fn attribute(&mut self, name: &str, value: &str) {
        debug_assert!(self.start_open, "attributes come before content");
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        escape_into(self.out, value, true);
        self.out.push('"');
    }

    /// Opens a child element.
    pub fn child(&mut self, name: &str) -> ElementWriter<'_> {
        self.close_start();
        ElementWriter::open(self.out, name)
    }

    /// Writes text content.
    pub fn text(&mut self, text: &str) {
        self.close_start();
        escape_into(self.out, text, false);
    }

    /// A child element holding only `text`.
    pub fn text_child(&mut self, name: &str, text: &str) {
        let mut child = self.child(name);
        child.text(text);
        child.finish();
    }

    /// Closes the element (`<name/>` when it has no content).
    pub fn finish(self) {
        if self.start_open {
            self.out.push_str("/>");
        } else {
            self.out.push_str("</");
            self.out.push_str(&self.name);
            self.out.push('>');
        }
    }
}

/// Appends `text` escaped: `&`, `<` and `>` always, carriage returns as character references
/// (a parser turns a raw one into a line feed), and in attributes quotes, line feeds and tabs
/// too (a parser turns raw ones into spaces).
fn escape_into(out: &mut String, text: &str, attribute: bool) {
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\r' => out.push_str("&#xD;"),
            '\n' if attribute => out.push_str("&#xA;"),
            '\t' if attribute => out.push_str("&#x9;"),
            other => out.push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_attributes_and_text_are_written_escaped() {
        let mut writer = XmlWriter::new();
        let mut root = writer.root("Request");
        root.attribute("xmlns", "https://example.com/");
        root.attribute("test", "<a&\"b\">");
        root.text_child("Name", "x < y & z\r\n");
        let mut list = root.child("List");
        list.text_child("member", "1");
        list.finish();
        root.child("Empty").finish();
        root.finish();
        assert_eq!(
            writer.finish(),
            "<Request xmlns=\"https://example.com/\" test=\"&lt;a&amp;&quot;b&quot;&gt;\">\
             <Name>x &lt; y &amp; z&#xD;\n</Name><List><member>1</member></List><Empty/></Request>"
        );
    }

    #[test]
    fn what_is_written_parses_back_to_the_same_text() {
        let text = "tricky <&> \" ' \r\n\t text";
        let mut writer = XmlWriter::new();
        let mut root = writer.root("R");
        root.attribute("a", text);
        root.text(text);
        root.finish();
        let parsed = super::super::parse(writer.finish().as_bytes()).unwrap();
        assert_eq!(parsed.attribute("a"), Some(text));
        assert_eq!(parsed.text(), text);
    }
}
