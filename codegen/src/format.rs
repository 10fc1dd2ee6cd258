//! Format: generated tokens → Rust source with `prettyplease`, in process. Parsing with `syn`
//! first means invalid output is caught here, at generation time, and the formatting does not
//! depend on which `rustfmt` happens to be installed.
//!
//! prettyplease prints no blank lines and leaves doc comments as long as the spec's paragraphs;
//! [`layout`] then makes the text read like a hand-written file in one pass over its lines: a
//! blank line between items, and doc prose wrapped at [`WIDTH`] columns.

use crate::error::CodegenError;
use proc_macro2::TokenStream;

/// The column doc prose is wrapped at, indentation and `///` included.
pub const WIDTH: usize = 100;

/// Parses the tokens of one file.
pub fn parse_file(path: &str, tokens: TokenStream) -> Result<syn::File, CodegenError> {
    syn::parse2(tokens).map_err(|e| CodegenError::Format {
        file: path.to_owned(),
        message: e.to_string(),
    })
}

/// Formats a parsed file.
pub fn format_file(file: &syn::File) -> String {
    layout(&prettyplease::unparse(file))
}

/// What an item starts with, as prettyplease prints it.
const ITEM_STARTS: &[&str] = &[
    "///",
    "#[",
    "pub ",
    "pub(",
    "impl ",
    "impl<",
    "fn ",
    "async fn ",
    "const ",
    "static ",
    "type ",
    "struct ",
    "enum ",
    "mod ",
    "use ",
    "trait ",
    "unsafe ",
];

/// Adds a blank line between items (at any depth: top-level items and the items of `impl`
/// blocks) and wraps doc comments at [`WIDTH`] columns. Code blocks in docs, headings, tables
/// and indented lines are left as they are.
pub fn layout(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut previous: Option<&str> = None;
    let mut in_fence = false;
    for line in text.lines() {
        if previous.is_some_and(|p| blank_between(p, line)) {
            out.push('\n');
        }
        previous = Some(line);
        match doc_split(line) {
            Some((prefix, body)) => {
                let body_start = body.trim_start();
                if body_start.starts_with("```") {
                    in_fence = !in_fence;
                } else if !in_fence && line.len() > WIDTH && line.chars().count() > WIDTH {
                    wrap(prefix, body, &mut out);
                    continue;
                }
            }
            None => in_fence = false,
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Whether a blank line goes between two consecutive lines.
fn blank_between(previous: &str, line: &str) -> bool {
    let (p, l) = (previous.trim_start(), line.trim_start());
    if p.is_empty() || l.is_empty() {
        return false;
    }
    // After the module's own docs and attributes.
    let inner = |s: &str| s.starts_with("//!") || s.starts_with("#![");
    if inner(p) {
        return !inner(l);
    }
    let indent = |s: &str| s.len() - s.trim_start().len();
    // Inside a doc comment (its code examples end lines with `;` too).
    if p.starts_with("//") {
        return false;
    }
    if indent(previous) != indent(line) || !(p == "}" || p.ends_with(';')) {
        return false;
    }
    if !ITEM_STARTS.iter().any(|start| l.starts_with(start)) {
        return false;
    }
    // `use` declarations stay together, and so do `mod` declarations and a trait impl's types.
    let uses = |s: &str| s.starts_with("use ") || s.starts_with("pub use ");
    let mods = |s: &str| s.starts_with("mod ") || s.starts_with("pub mod ");
    let types = |s: &str| s.starts_with("type ");
    // An import may carry an attribute of its own (`#[allow(unused_imports)]`).
    let import_start = |s: &str| uses(s) || s == "#[allow(unused_imports)]";
    !(uses(p) && import_start(l)
        || types(p) && types(l)
        || mods(p) && (mods(l) || l == "#[rustfmt::skip]"))
}

/// A doc comment line split into its prefix (indentation and `/// ` or `//! `) and its text.
fn doc_split(line: &str) -> Option<(&str, &str)> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    if !(trimmed.starts_with("///") || trimmed.starts_with("//!")) {
        return None;
    }
    let prefix_len = if trimmed[3..].starts_with(' ') { 4 } else { 3 };
    Some(line.split_at(indent + prefix_len))
}

/// Writes one long doc line as several, breaking only at spaces outside code spans, links and
/// autolinks; continuation lines of a list item are indented under its text.
fn wrap(prefix: &str, body: &str, out: &mut String) {
    let text = body.trim_start();
    let lead = &body[..body.len() - text.len()];
    // Headings, tables, quotes and indented lines (list continuations) stay whole.
    if lead.len() >= 4 || text.starts_with(['#', '|', '>']) {
        push_line(out, prefix, body);
        return;
    }
    let words = words(text);
    let hang = lead.len() + list_marker_len(text).unwrap_or(0);
    let continuation = format!("{prefix}{}", " ".repeat(hang));
    let first = format!("{prefix}{lead}");
    let mut lines: Vec<Vec<&str>> = vec![Vec::new()];
    let mut width = first.chars().count();
    for word in words {
        let len = word.chars().count();
        let current = lines.last_mut().expect("lines is never empty");
        if current.is_empty() || width + 1 + len <= WIDTH {
            if !current.is_empty() {
                width += 1;
            }
            current.push(word);
            width += len;
            continue;
        }
        // A line starting with a list marker, heading or the like would change what the text
        // is: such a word takes the word before it along to the next line.
        let mut next = Vec::new();
        if starts_block(word) && current.len() > 1 {
            next.push(current.pop().expect("the line has words"));
        }
        next.push(word);
        width = continuation.chars().count()
            + next.iter().map(|w| w.chars().count()).sum::<usize>()
            + next.len()
            - 1;
        lines.push(next);
    }
    for (i, words) in lines.iter().enumerate() {
        let start = if i == 0 { &first } else { &continuation };
        out.push_str(start);
        out.push_str(&words.join(" "));
        out.push('\n');
    }
}

fn push_line(out: &mut String, prefix: &str, body: &str) {
    out.push_str(prefix);
    out.push_str(body);
    out.push('\n');
}

/// The words of a line of prose: split at single spaces, except inside code spans, links and
/// autolinks, which are kept whole.
fn words(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut words = Vec::new();
    let (mut start, mut i) = (0, 0);
    let (mut code, mut label, mut target, mut autolink) = (false, 0usize, 0usize, false);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if !code => i += 1,
            b'`' => code = !code,
            b'[' if !code => label += 1,
            b']' if !code && label > 0 => {
                label -= 1;
                if label == 0 && bytes.get(i + 1) == Some(&b'(') {
                    target += 1;
                    i += 1;
                }
            }
            b')' if !code && target > 0 && label == 0 => target -= 1,
            b'<' if !code && text[i..].starts_with("<http") => autolink = true,
            b'>' if autolink => autolink = false,
            b' ' if !code && label == 0 && target == 0 && !autolink => {
                if i > start {
                    words.push(&text[start..i]);
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < text.len() {
        words.push(&text[start..]);
    }
    words
}

/// The length of the marker (with its space) of a list item: `- `, `* `, `+ ` or `1. `.
fn list_marker_len(text: &str) -> Option<usize> {
    if ["- ", "* ", "+ "].iter().any(|m| text.starts_with(m)) {
        return Some(2);
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0 && (text[digits..].starts_with(". ") || text[digits..].starts_with(") ")))
        .then_some(digits + 2)
}

/// Whether a word at the start of a line would begin a block (a list item, heading, quote,
/// table, fence or heading underline) instead of continuing the paragraph.
fn starts_block(word: &str) -> bool {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    matches!(word, "-" | "*" | "+")
        || word.starts_with(['#', '>', '|', '='])
        || word.starts_with("---")
        || word.starts_with("```")
        || word.starts_with("~~~")
        || (digits > 0 && matches!(&word[digits..], "." | ")"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_get_a_blank_line_between_them() {
        let text = "//! Module.\nuse a::b;\nuse c::d;\npub struct A {\n    pub x: u8,\n    pub y: u8,\n}\nimpl A {\n    pub fn new() -> Self {\n        let x = 1;\n        Self { x, y: x }\n    }\n    /// Doc.\n    /// use a::b;\n    /// let c = 1;\n    pub fn x(&self) -> u8 {\n        self.x\n    }\n}\n/// B.\npub type B = A;\n";
        let expected = "//! Module.\n\nuse a::b;\nuse c::d;\n\npub struct A {\n    pub x: u8,\n    pub y: u8,\n}\n\nimpl A {\n    pub fn new() -> Self {\n        let x = 1;\n        Self { x, y: x }\n    }\n\n    /// Doc.\n    /// use a::b;\n    /// let c = 1;\n    pub fn x(&self) -> u8 {\n        self.x\n    }\n}\n\n/// B.\npub type B = A;\n";
        assert_eq!(layout(text), expected);
    }

    #[test]
    fn doc_prose_is_wrapped_at_the_width() {
        let long = "word ".repeat(30);
        let text = format!("    /// {}\n", long.trim_end());
        let wrapped = layout(&text);
        assert!(wrapped.lines().count() > 1, "{wrapped}");
        for line in wrapped.lines() {
            assert!(line.chars().count() <= WIDTH, "{line}");
            assert!(line.starts_with("    /// word"), "{line}");
        }
        assert_eq!(wrapped.lines().flat_map(|l| l[8..].split(' ')).count(), 30);
    }

    #[test]
    fn code_links_and_list_items_survive_wrapping() {
        let link = "[a link with words](https://example.com/a/long/path)";
        let code = "`GET /api/atlas/v2/groups/{groupId}`";
        let text = format!(
            "/// - `x`: {} {link} {} {code} and more words to pass the width at last - here\n/// ```text\n/// {}\n/// ```\n",
            "filler ".repeat(8).trim_end(),
            "more ".repeat(5).trim_end(),
            "x ".repeat(60).trim_end()
        );
        let wrapped = layout(&text);
        assert!(wrapped.contains(link), "{wrapped}");
        assert!(wrapped.contains(code), "{wrapped}");
        let lines: Vec<&str> = wrapped.lines().collect();
        assert!(lines[0].starts_with("/// - `x`:"));
        assert!(lines[1].starts_with("///   "), "{wrapped}");
        assert!(!lines.iter().any(|l| l
            .trim_start_matches("///")
            .trim_start()
            .starts_with("- here")));
        let fenced = lines
            .iter()
            .find(|l| l.starts_with("/// x x"))
            .expect("the code line");
        assert!(
            fenced.chars().count() > WIDTH,
            "code blocks stay as they are"
        );
    }
}
