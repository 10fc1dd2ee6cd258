//! Errors of the generator: every problem names the spec file and the JSON pointer of the place it
//! was found, and a failed run reports all problems it found at once. `Display` is one line a
//! problem (for logs and tests); [`Diagnostic::render`] and [`render_report`] show people the
//! source line with a caret, the path as written, the operation and a suggestion.

use std::fmt;

/// One problem found in a spec, located as precisely as the loader knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The spec file as the user named it.
    pub file: String,
    /// JSON pointer (RFC 6901) of the offending node, `""` for the whole document.
    pub pointer: String,
    /// 1-based line in the spec file, where known.
    pub line: Option<usize>,
    /// 1-based column in the spec file, where known.
    pub column: Option<usize>,
    /// The operation the problem belongs to, if any.
    pub operation: Option<String>,
    pub message: String,
    /// What would probably fix it (a "did you mean"), where something is known.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(file: &str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_owned(),
            pointer: pointer.into(),
            line: None,
            column: None,
            operation: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn in_operation(mut self, operation: &str) -> Self {
        self.operation = Some(operation.to_owned());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, ": at #{pointer}")?;
        if let Some(operation) = &self.operation {
            write!(f, " (operation `{operation}`)")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "; {help}")?;
        }
        Ok(())
    }
}

impl Diagnostic {
    /// The pointer as people write the path: segments unescaped (`~1` is `/` again), joined
    /// with ` › `, so `/paths/~1a~1{b}/get` reads `paths › /a/{b} › get`.
    pub fn path_as_written(&self) -> String {
        if self.pointer.is_empty() {
            return "the document itself".to_owned();
        }
        self.pointer
            .split('/')
            .skip(1)
            .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
            .collect::<Vec<_>>()
            .join(" › ")
    }

    /// The problem for people: the source line with a caret under the offending key when the
    /// line is known and `text` (the spec's text) is given, then where it is in the document,
    /// the operation and any suggestion.
    pub fn render(&self, text: Option<&str>) -> String {
        use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
        let location = match (self.line, self.column) {
            (Some(line), Some(column)) => format!("{}:{line}:{column}", self.file),
            (Some(line), None) => format!("{}:{line}", self.file),
            _ => self.file.clone(),
        };
        let source_line = self
            .line
            .and_then(|line| text?.lines().nth(line.checked_sub(1)?))
            .map(|line| line.trim_end_matches('\r'));
        let title = Level::ERROR.primary_title(self.message.as_str());
        let mut group = match source_line {
            Some(source) => {
                let span = caret_span(source, self.column.unwrap_or(1));
                title.element(
                    Snippet::source(source)
                        .line_start(self.line.unwrap_or(1))
                        .path(self.file.as_str())
                        .annotation(AnnotationKind::Primary.span(span)),
                )
            }
            None => title.element(Origin::path(location.as_str())),
        };
        let at = if self.pointer.is_empty() {
            "at the document itself".to_owned()
        } else {
            format!("at {} (#{})", self.path_as_written(), self.pointer)
        };
        group = group.element(Level::NOTE.message(at));
        if let Some(operation) = &self.operation {
            group = group.element(Level::NOTE.message(format!("in operation `{operation}`")));
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let report: [Group; 1] = [group];
        Renderer::plain().render(&report).to_string()
    }
}

/// The bytes of `line` to underline for a problem at 1-based character `column`: the key or
/// scalar starting there (a quoted one to its closing quote), at least one character.
fn caret_span(line: &str, column: usize) -> std::ops::Range<usize> {
    let start = line
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(index, _)| index);
    let rest = &line[start..];
    let length = match rest.chars().next() {
        Some(quote @ ('\'' | '"')) => rest[1..].find(quote).map_or(rest.len(), |end| end + 2),
        Some('-') if rest.starts_with("- ") => 1,
        Some(_) => rest
            .find(|c: char| c.is_whitespace() || c == ':' || c == ',')
            .filter(|end| *end > 0)
            .unwrap_or(rest.len()),
        None => 0,
    };
    if length == 0 {
        // Past the end of the line: underline its last character, if any.
        return line.len().saturating_sub(1)..line.len();
    }
    start..start + length
}

/// Every problem of `error` rendered for people with [`Diagnostic::render`], the text of each
/// spec file read with `text_of`; errors without diagnostics as their `Display` with causes.
pub fn render_report(error: &CodegenError, text_of: impl Fn(&str) -> Option<String>) -> String {
    let diagnostics = error.diagnostics();
    if diagnostics.is_empty() {
        let mut out = format!("error: {error}");
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            out.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        out.push('\n');
        return out;
    }
    let mut texts: std::collections::BTreeMap<&str, Option<String>> = Default::default();
    let mut out = String::new();
    if diagnostics.len() > 1 {
        out.push_str(&format!(
            "{} problem(s) in the spec:\n\n",
            diagnostics.len()
        ));
    }
    for d in diagnostics {
        let text = texts
            .entry(d.file.as_str())
            .or_insert_with(|| text_of(&d.file));
        out.push_str(&d.render(text.as_deref()));
        out.push_str("\n\n");
    }
    out
}

/// Why a generation run failed. Nothing is written when any of these is returned.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    // The cause is the source, not part of the text, so a report of the chain names it once.
    #[error("cannot read spec file {file}")]
    Read {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Parse(Box<Diagnostic>),
    #[error("{} problem(s) in the spec:\n{}", .0.len(), render_list(.0))]
    Invalid(Vec<Diagnostic>),
    #[error("generated code for {file} is not valid Rust: {message}")]
    Format { file: String, message: String },
    #[error("the emitter left out {}: {}", .0.len(), .0.join(", "))]
    Incomplete(Vec<String>),
    #[error("cannot write generated files to {path}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The output folder holds files the generator did not write; nothing was written.
    #[error("refusing to write generated files to {path}: {reason}")]
    Refused { path: String, reason: String },
    /// A release could not be recorded or read.
    #[error("{file}: {message}")]
    Release { file: String, message: String },
    /// A setting of the generated crate that cannot be used as given (a package name Cargo
    /// refuses, a runtime folder that is not there).
    #[error("{message}")]
    Settings {
        message: String,
        #[source]
        source: Option<std::io::Error>,
    },
    #[error("{count} generated file(s) are stale:\n{diff}\nRun `{command}` to update them.")]
    Stale {
        count: usize,
        diff: String,
        command: String,
    },
}

impl CodegenError {
    /// All diagnostics carried by this error (empty for I/O and formatting failures).
    pub fn diagnostics(&self) -> Vec<&Diagnostic> {
        match self {
            CodegenError::Parse(d) => vec![d.as_ref()],
            CodegenError::Invalid(list) => list.iter().collect(),
            _ => Vec::new(),
        }
    }
}

fn render_list(list: &[Diagnostic]) -> String {
    list.iter()
        .map(|d| format!("  - {d}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "openapi: 3.0.3\npaths:\n  /a/{b}:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          $ref: '#/components/responses/Mising'\n";

    fn located() -> Diagnostic {
        let mut d = Diagnostic::new(
            "spec.yaml",
            "/paths/~1a~1{b}/get/responses/200/$ref",
            "dangling reference: `#/components/responses/Mising` does not exist in this document",
        );
        d.line = Some(8);
        d.column = Some(11);
        d.operation = Some("getA".into());
        d.help = Some("did you mean `#/components/responses/Missing`?".into());
        d
    }

    #[test]
    fn the_pointer_reads_as_the_path_was_written() {
        assert_eq!(
            located().path_as_written(),
            "paths › /a/{b} › get › responses › 200 › $ref"
        );
        let tilde = Diagnostic::new("s", "/paths/~1a~0b", "m");
        assert_eq!(tilde.path_as_written(), "paths › /a~b");
        assert_eq!(
            Diagnostic::new("s", "", "m").path_as_written(),
            "the document itself"
        );
    }

    #[test]
    fn a_rendered_problem_shows_the_line_a_caret_the_operation_and_the_help() {
        let rendered = located().render(Some(TEXT));
        assert!(
            rendered.starts_with("error: dangling reference"),
            "{rendered}"
        );
        assert!(rendered.contains("spec.yaml:8:11"), "{rendered}");
        assert!(
            rendered.contains("8 |           $ref: '#/components/responses/Mising'"),
            "{rendered}"
        );
        let caret = rendered
            .lines()
            .find(|line| line.contains('^'))
            .expect("a caret line");
        assert_eq!(
            caret.trim_start_matches([' ', '|']).trim_end(),
            "^^^^",
            "{rendered}"
        );
        assert_eq!(
            caret.find('^'),
            rendered
                .lines()
                .find(|l| l.contains("$ref"))
                .unwrap()
                .find('$')
        );
        assert!(
            rendered.contains("paths › /a/{b} › get › responses › 200 › $ref"),
            "{rendered}"
        );
        assert!(rendered.contains("in operation `getA`"), "{rendered}");
        assert!(
            rendered.contains("help: did you mean `#/components/responses/Missing`?"),
            "{rendered}"
        );
    }

    #[test]
    fn without_a_line_the_file_is_named_and_display_stays_one_line() {
        let mut d = located();
        d.line = None;
        d.column = None;
        let rendered = d.render(Some(TEXT));
        assert!(rendered.contains("spec.yaml"), "{rendered}");
        assert!(!rendered.contains('^'), "{rendered}");
        let shown = located().to_string();
        assert_eq!(
            shown,
            "spec.yaml:8:11: at #/paths/~1a~1{b}/get/responses/200/$ref (operation `getA`): \
             dangling reference: `#/components/responses/Mising` does not exist in this document; \
             did you mean `#/components/responses/Missing`?"
        );
    }

    #[test]
    fn carets_cover_the_token_at_the_column() {
        assert_eq!(caret_span("  name: x", 3), 2..6);
        assert_eq!(caret_span("  'quoted key': x", 3), 2..14);
        assert_eq!(caret_span("  - item", 3), 2..3);
        assert_eq!(caret_span("ab", 9), 1..2);
        assert_eq!(caret_span("  größe: x", 3), 2..9);
    }

    #[test]
    fn a_report_renders_every_problem_and_errors_without_them_keep_their_causes() {
        let error = CodegenError::Invalid(vec![
            located(),
            Diagnostic::new("spec.yaml", "/info", "second"),
        ]);
        let report = render_report(&error, |_| Some(TEXT.to_owned()));
        assert!(report.starts_with("2 problem(s) in the spec:"), "{report}");
        assert_eq!(report.matches("error: ").count(), 2, "{report}");
        let read = CodegenError::Read {
            file: "x.yaml".into(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "No such file"),
        };
        assert_eq!(
            render_report(&read, |_| None),
            "error: cannot read spec file x.yaml: No such file\n"
        );
    }
}
