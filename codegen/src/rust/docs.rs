//! Model documentation (a small subset of HTML) to rustdoc Markdown.

/// Converts model HTML to Markdown lines fit for `///` comments: paragraphs, lists, code,
/// links, emphasis; text that Markdown or rustdoc would misread is escaped.
pub fn html_to_markdown(html: &str) -> Vec<String> {
    let mut writer = Writer::default();
    let mut rest = html;
    while !rest.is_empty() {
        match rest.find('<') {
            Some(0) => {
                let end = rest.find('>').map_or(rest.len(), |end| end + 1);
                writer.tag(&rest[..end]);
                rest = &rest[end..];
            }
            Some(start) => {
                writer.text(&decode_entities(&rest[..start]));
                rest = &rest[start..];
            }
            None => {
                writer.text(&decode_entities(rest));
                rest = "";
            }
        }
    }
    writer.finish()
}

#[derive(Default)]
struct Writer {
    lines: Vec<String>,
    line: String,
    list_depth: usize,
    in_code: bool,
    link: Option<Option<String>>,
    link_text: String,
    /// A nested list just closed: text that follows belongs to the outer item and must
    /// start a new paragraph, or Markdown reads it as part of the nested list's last item.
    after_nested_list: bool,
}

impl Writer {
    fn tag(&mut self, tag: &str) {
        let inner = tag
            .trim_start_matches('<')
            .trim_end_matches('>')
            .trim_end_matches('/');
        let closing = inner.starts_with('/');
        let inner = inner.trim_start_matches('/');
        let name = inner
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("p" | "div" | "note" | "important" | "dl" | "dd" | "dt", _) => {
                self.paragraph();
                if !closing && matches!(name.as_str(), "note" | "important") {
                    self.push_raw(if name == "note" {
                        "**Note:** "
                    } else {
                        "**Important:** "
                    });
                }
            }
            ("ul" | "ol", false) => {
                self.paragraph();
                self.list_depth += 1;
            }
            ("ul" | "ol", true) => self.close_list(),
            ("li", false) => {
                self.after_nested_list = false;
                self.break_line();
                let indent = "  ".repeat(self.list_depth.saturating_sub(1));
                self.line = format!("{indent}- ");
            }
            ("li", true) => self.break_line(),
            ("br", _) => self.break_line(),
            ("code" | "tt", false) => {
                self.push_raw("`");
                self.in_code = true;
            }
            ("code" | "tt", true) => {
                self.in_code = false;
                self.push_raw("`");
            }
            ("b" | "strong", _) => self.push_raw("**"),
            ("i" | "em", _) => self.push_raw("*"),
            ("a", false) => {
                self.link = Some(attribute(inner, "href"));
                self.link_text.clear();
            }
            ("a", true) => self.close_link(),
            _ => {}
        }
    }

    fn close_list(&mut self) {
        self.break_line();
        self.list_depth = self.list_depth.saturating_sub(1);
        self.after_nested_list = self.list_depth > 0;
        // Text after a top-level list is a paragraph of its own, not part of the last item
        // (Markdown's lazy continuation).
        self.paragraph();
    }

    fn close_link(&mut self) {
        let Some(href) = self.link.take() else { return };
        let text = std::mem::take(&mut self.link_text);
        let text = text.trim();
        match href {
            Some(href) if !text.is_empty() => self.push_raw(&format!("[{text}]({href})")),
            Some(href) => self.push_raw(&format!("<{href}>")),
            None => self.push_raw(&format!("`{text}`")),
        }
    }

    fn text(&mut self, text: &str) {
        if self.link.is_some() {
            self.link_text
                .push_str(&escape(&collapse(text, &self.link_text)));
            return;
        }
        self.indent_continuation();
        let collapsed = collapse(text, &self.line);
        let escaped = if self.in_code {
            collapsed.replace('`', "'")
        } else if starts_block(&self.line) {
            escape_block_marker(&escape(&collapsed))
        } else {
            escape(&collapsed)
        };
        self.line.push_str(&escaped);
    }

    fn push_raw(&mut self, text: &str) {
        if self.link.is_some() {
            self.link_text.push_str(text);
        } else {
            self.indent_continuation();
            self.line.push_str(text);
        }
    }

    /// A new line inside a list item is indented under the item's bullet.
    fn indent_continuation(&mut self) {
        if self.line.is_empty() && self.list_depth > 0 {
            if std::mem::take(&mut self.after_nested_list) {
                self.lines.push(String::new());
            }
            self.line = "  ".repeat(self.list_depth);
        }
    }

    fn break_line(&mut self) {
        let line = self.line.trim_end().to_owned();
        if !line.trim().is_empty() && line.trim() != "-" {
            self.lines.push(line);
        }
        self.line.clear();
    }

    fn paragraph(&mut self) {
        if self.line.trim() == "-" {
            return;
        }
        self.break_line();
        if self.list_depth == 0 && self.lines.last().is_some_and(|last| !last.is_empty()) {
            self.lines.push(String::new());
        }
    }

    fn finish(mut self) -> Vec<String> {
        self.close_link();
        self.break_line();
        while self.lines.last().is_some_and(String::is_empty) {
            self.lines.pop();
        }
        self.lines
    }
}

/// Collapses runs of whitespace; drops leading space at the start of a line.
fn collapse(text: &str, so_far: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = so_far.is_empty() || so_far.ends_with(' ') || so_far.ends_with("- ");
    for c in text.chars() {
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    out
}

/// Escapes what Markdown or rustdoc would read as markup, and wraps bare URLs.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_inclusive(' ') {
        let bare = word.trim_end();
        if bare.starts_with("http://") || bare.starts_with("https://") {
            let url = bare.trim_end_matches(['.', ',', ')', ';']);
            out.push_str(&format!("<{url}>{}", &word[url.len()..]));
            continue;
        }
        for c in word.chars() {
            if matches!(c, '[' | ']' | '<' | '>' | '*' | '`' | '\\' | '#' | '|') {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// Whether text written after `line` begins a Markdown block: the line is empty or only
/// indentation, or a bullet with nothing after it yet.
fn starts_block(line: &str) -> bool {
    let content = line.trim_start();
    content.is_empty() || content == "- "
}

/// Escapes a list marker (`- `, `+ `, `1. `, `1) `) or a setext underline (`===`, `---`) that
/// starts a block, which Markdown would read as a list or a heading (and clippy as a lazy
/// continuation).
fn escape_block_marker(text: &str) -> String {
    let marker_ends = |rest: &str| rest.is_empty() || rest.starts_with(' ');
    let underline = |mark: char| !text.is_empty() && text.trim_end().chars().all(|c| c == mark);
    if (text.starts_with(['-', '+']) && marker_ends(&text[1..])) || underline('=') || underline('-')
    {
        return format!("\\{text}");
    }
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 && text[digits..].starts_with(['.', ')']) && marker_ends(&text[digits + 1..]) {
        return format!("{}\\{}", &text[..digits], &text[digits..]);
    }
    text.to_owned()
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!("{name}="))? + name.len() + 1;
    let rest = &tag[start..];
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    let end = value.find(quote)?;
    Some(value[..end].trim().to_owned())
}

fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::html_to_markdown;

    #[test]
    fn paragraphs_code_and_links() {
        let html = "<p>Creates a <code>room</code>.</p>\n  <p>See <a href=\"https://x.test/a\"> the\n guide</a> and <a>GetRoom</a>.</p>";
        assert_eq!(
            html_to_markdown(html),
            [
                "Creates a `room`.",
                "",
                "See [the guide](https://x.test/a) and `GetRoom`."
            ]
        );
    }

    #[test]
    fn lists_nest_and_emphasis_is_kept() {
        let html = "<ul><li><p><b>Room</b> — central</p></li><li>Two<ul><li>Inner</li></ul></li></ul><p>After</p>";
        assert_eq!(
            html_to_markdown(html),
            ["- **Room** — central", "- Two", "  - Inner", "", "After"]
        );
    }

    #[test]
    fn markup_in_text_is_escaped_and_urls_wrapped() {
        let html = "<p>Use [a] or &lt;b&gt; * x; see https://x.test/doc.</p>";
        assert_eq!(
            html_to_markdown(html),
            ["Use \\[a\\] or \\<b\\> \\* x; see <https://x.test/doc>."]
        );
    }

    #[test]
    fn text_after_a_list_in_the_same_paragraph_starts_a_new_one() {
        assert_eq!(
            html_to_markdown("<p>Options: <ol><li>gp2</li><li>io1</li></ol> See more.</p>"),
            ["Options:", "", "- gp2", "- io1", "", "See more."]
        );
    }

    #[test]
    fn text_after_a_nested_list_is_a_new_paragraph_of_the_outer_item() {
        let html = "<ul><li>outer<ul><li>inner</li></ul>after</li></ul>";
        assert_eq!(
            html_to_markdown(html),
            ["- outer", "  - inner", "", "  after"]
        );
    }

    #[test]
    fn text_that_starts_a_line_like_a_list_marker_is_escaped() {
        // After `<br>` Markdown would read `- b` as a list and `c` as its lazy continuation.
        assert_eq!(
            html_to_markdown("<p>a<br>- b<br>+ c<br>2. d<br>3) e<br>==<br>-1 and 1.5 stay</p>"),
            [
                "a",
                "\\- b",
                "\\+ c",
                "2\\. d",
                "3\\) e",
                "\\==",
                "-1 and 1.5 stay"
            ]
        );
        // Inside a bullet too, and only at a block's start.
        assert_eq!(
            html_to_markdown("<ul><li>- x - y</li><li>1.5 GB</li></ul>"),
            ["- \\- x - y", "- 1.5 GB"]
        );
    }

    #[test]
    fn plain_text_without_tags() {
        assert_eq!(html_to_markdown("Just   text\n here"), ["Just text here"]);
        assert!(html_to_markdown("<p> </p>").is_empty());
    }
}
