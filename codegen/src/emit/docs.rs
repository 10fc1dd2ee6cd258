//! Rustdoc from spec text. Descriptions are Markdown written for a web page; this turns them
//! into doc attributes that `cargo doc` renders without warnings and that never run as doctests:
//! code blocks are fenced as `text`, bare URLs become autolinks, and brackets or angle brackets
//! that rustdoc would read as links or HTML are escaped.

use crate::model::{TypeDef, TypeKind, TypeOrigin};
use proc_macro2::TokenStream;
use quote::quote;

/// One `#[doc = "..."]` attribute per line of the given paragraphs (empty ones skipped),
/// separated by blank doc lines.
pub fn doc_attrs<'a>(paragraphs: impl IntoIterator<Item = Option<&'a str>>) -> TokenStream {
    let lines = doc_lines(paragraphs).map(|line| quote!(#[doc = #line]));
    quote!(#(#lines)*)
}

/// The docs of a named type: its title and description, or a line saying where in the spec it
/// comes from when it has neither, so every public type is documented.
pub fn type_doc_attrs(def: &TypeDef) -> TokenStream {
    if non_empty(def.title.as_deref())
        .or(non_empty(def.description.as_deref()))
        .is_some()
    {
        return doc_attrs([def.title.as_deref(), def.description.as_deref()]);
    }
    let line = match &def.origin {
        TypeOrigin::Component(name) => format!("The `{}` schema of the API.", one_line(name)),
        TypeOrigin::Inline => {
            let property = def
                .pointer
                .rsplit_once("/properties/")
                .map(|(_, rest)| rest.split('/').next().unwrap_or(rest))
                .map(|p| p.replace("~1", "/").replace("~0", "~"));
            match (&def.kind, property) {
                (TypeKind::Enum(_), Some(p)) => {
                    format!("The values of the `{}` property.", one_line(&p))
                }
                (_, Some(p)) => format!("The value of the `{}` property.", one_line(&p)),
                (_, None) => format!("A schema of the API: {}.", describe_pointer(&def.pointer)),
            }
        }
    };
    doc_attrs([Some(line.as_str())])
}

/// Where a JSON pointer into a spec leads, for people: ``the `GET /jobs` operation's
/// `parameters/1/schema` `` for a pointer under `paths`, the pointer itself otherwise.
fn describe_pointer(pointer: &str) -> String {
    let segments: Vec<String> = pointer
        .trim_start_matches('#')
        .trim_start_matches('/')
        .split('/')
        .map(|s| one_line(&s.replace("~1", "/").replace("~0", "~")))
        .collect();
    match segments.as_slice() {
        [paths, path, method, rest @ ..] if paths == "paths" && !rest.is_empty() => format!(
            "the `{} {path}` operation's `{}`",
            method.to_ascii_uppercase(),
            rest.join("/")
        ),
        _ => format!("`{}`", one_line(pointer)),
    }
}

/// A text from the spec, unless it is missing or only whitespace.
pub fn non_empty(text: Option<&str>) -> Option<&str> {
    text.filter(|t| !t.trim().is_empty())
}

/// The first paragraph of a text, for a line that points at a longer description elsewhere.
pub fn first_paragraph(text: &str) -> &str {
    let text = text.trim();
    text.split("\n\n").next().unwrap_or(text).trim()
}

/// As [`doc_attrs`], as inner attributes (`//!`) documenting the enclosing module.
pub fn inner_doc_attrs<'a>(paragraphs: impl IntoIterator<Item = Option<&'a str>>) -> TokenStream {
    let lines = doc_lines(paragraphs).map(|line| quote!(#![doc = #line]));
    quote!(#(#lines)*)
}

fn doc_lines<'a>(
    paragraphs: impl IntoIterator<Item = Option<&'a str>>,
) -> impl Iterator<Item = String> {
    let text = paragraphs
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(sanitize)
        .collect::<Vec<_>>()
        .join("\n\n");
    // prettyplease prints `#[doc = " x"]` as `/// x`: the leading space keeps `///x` away.
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect();
    lines.into_iter()
}

/// Characters that reorder how text is shown (the bidi embeddings, overrides, isolates and
/// marks): rustc denies them in comments, and they can make a doc read unlike the code it sits on.
const BIDI: &[char] = &[
    '\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}',
    '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
];

/// Writes control characters (other than line breaks and tabs) and bidi characters as visible
/// `\u{..}` escapes; carriage returns become line breaks, since rustc refuses a bare CR in a doc
/// comment.
pub fn escape_invisible(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if (c.is_control() && c != '\n' && c != '\t') || BIDI.contains(&c) {
            out.push_str(&format!("\\u{{{:04x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Spec text for a one-line comment or phrase (a title in the `@generated` header): its lines
/// joined by spaces, invisible characters escaped.
pub fn one_line(text: &str) -> String {
    escape_invisible(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Rewrites one Markdown text for rustdoc.
pub fn sanitize(text: &str) -> String {
    let text = escape_invisible(text);
    let mut out: Vec<String> = Vec::new();
    let mut in_fence = false;
    let mut in_indented = false;
    let mut previous_blank = true;
    // Where the text of the list item on the line before starts, if there is one.
    let mut list_content_column: Option<usize> = None;
    for raw in text.lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            if in_indented {
                out.push("```".to_owned());
                in_indented = false;
            }
            if in_fence {
                out.push("```".to_owned());
            } else {
                // Whatever language the spec names, the block is shown, never compiled.
                let _ = info;
                out.push("```text".to_owned());
            }
            in_fence = !in_fence;
            previous_blank = false;
            continue;
        }
        if in_fence {
            out.push(line.to_owned());
            continue;
        }
        let indented = line.starts_with("    ") || line.starts_with('\t');
        if in_indented {
            if indented || line.is_empty() {
                out.push(line.trim_start().to_owned());
                continue;
            }
            close_indented(&mut out);
            in_indented = false;
        } else if indented && previous_blank {
            // Markdown reads this as a code block, and rustdoc would compile it as a doctest.
            out.push("```text".to_owned());
            out.push(trimmed.to_owned());
            in_indented = true;
            continue;
        }
        let indent = line.len() - trimmed.len();
        let marker = list_marker_len(trimmed);
        match list_content_column {
            _ if line.is_empty() => list_content_column = None,
            Some(column) if marker.is_none() && indent < column => {
                // A line not indented under the list item before it would be read as part of
                // that item ("lazy continuation"); in these specs it starts a new paragraph.
                out.push(String::new());
                list_content_column = None;
            }
            _ => {}
        }
        if let Some(marker) = marker {
            list_content_column = Some(indent + marker);
        }
        out.push(escape_inline(line));
        previous_blank = line.is_empty();
    }
    if in_fence {
        out.push("```".to_owned());
    }
    if in_indented {
        close_indented(&mut out);
    }
    out.join("\n")
}

/// The length of the marker (with its space) of a list item: `- `, `* `, `+ ` or `1. `.
fn list_marker_len(trimmed: &str) -> Option<usize> {
    if ["- ", "* ", "+ "].iter().any(|m| trimmed.starts_with(m)) {
        return Some(2);
    }
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0 && trimmed[digits..].starts_with(". ")).then_some(digits + 2)
}

/// Ends an indented block turned fence, keeping blank lines that followed it outside.
fn close_indented(out: &mut Vec<String>) {
    let mut blanks = 0;
    while out.last().is_some_and(String::is_empty) {
        out.pop();
        blanks += 1;
    }
    out.push("```".to_owned());
    out.extend(std::iter::repeat_n(String::new(), blanks));
}

/// Escapes what rustdoc would misread in running text, leaving inline code spans alone.
fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for (index, piece) in line.split('`').enumerate() {
        if index > 0 {
            out.push('`');
        }
        if index % 2 == 1 {
            out.push_str(piece);
        } else {
            out.push_str(&escape_prose(piece));
        }
    }
    out
}

fn escape_prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        // A Markdown link `[label](target)` is kept as written.
        if rest.starts_with('[') {
            if let Some(link_len) = markdown_link_len(rest) {
                out.push_str(&rest[..link_len]);
                rest = &rest[link_len..];
                continue;
            }
        }
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, ')' | '<' | '>' | '"'))
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        let c = rest.chars().next().expect("rest is not empty");
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Length of a `[label](target)` link at the start of `text`, if there is one.
fn markdown_link_len(text: &str) -> Option<usize> {
    let close = text.find("](")?;
    if text[1..close].contains(['[', ']']) {
        return None;
    }
    let target_end = text[close + 2..].find(')')?;
    let target = &text[close + 2..close + 2 + target_end];
    (!target.contains(char::is_whitespace)).then_some(close + 2 + target_end + 1)
}

#[cfg(test)]
mod tests {
    use super::{one_line, sanitize};

    #[test]
    fn control_and_bidi_characters_are_shown_escaped() {
        let table = [
            ("Trojan \u{202E} source", "Trojan \\u{202e} source"),
            (
                "isolate \u{2066}here\u{2069}",
                "isolate \\u{2066}here\\u{2069}",
            ),
            (
                "bell \u{7} escape \u{1b}[31m",
                "bell \\u{0007} escape \\u{001b}\\[31m",
            ),
            ("line one\rline two\r\nthree", "line one\nline two\nthree"),
            ("tab\tkept", "tab\tkept"),
            ("`code \u{202E}`", "`code \\u{202e}`"),
        ];
        for (input, expected) in table {
            assert_eq!(sanitize(input), expected, "sanitizing {input:?}");
        }
        assert_eq!(one_line("Case\nover lines\r\n"), "Case over lines");
        assert_eq!(one_line("a\u{202E}b"), "a\\u{202e}b");
    }

    #[test]
    fn sanitizes_markdown_for_rustdoc() {
        let table = [
            ("plain text", "plain text"),
            ("```\nlet x = 1;\n```", "```text\nlet x = 1;\n```"),
            ("```json\n{\"a\": [1]}\n```", "```text\n{\"a\": [1]}\n```"),
            ("```\nunclosed", "```text\nunclosed\n```"),
            (
                "Intro:\n\n    curl -X GET\n\nAfter.",
                "Intro:\n\n```text\ncurl -X GET\n```\n\nAfter.",
            ),
            ("See https://example.com/a.", "See <https://example.com/a>."),
            (
                "A [link](https://example.com) stays.",
                "A [link](https://example.com) stays.",
            ),
            (
                "Values in [0, 1] or <none>.",
                "Values in \\[0, 1\\] or &lt;none&gt;.",
            ),
            ("Code `a[0] <b>` untouched.", "Code `a[0] <b>` untouched."),
            (
                "Limits:\n\n - one\n - two\n After the list.",
                "Limits:\n\n - one\n - two\n\n After the list.",
            ),
            ("1. first\n2. second\nThen.", "1. first\n2. second\n\nThen."),
            ("- wrapped\n  item\n- next", "- wrapped\n  item\n- next"),
        ];
        for (input, expected) in table {
            assert_eq!(sanitize(input), expected, "sanitizing {input:?}");
        }
    }
}
