//! Errors of the generator: every problem names the spec file and the JSON pointer of the place it
//! was found, and a failed run reports all problems it found at once.

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
        write!(f, ": {}", self.message)
    }
}

/// Why a generation run failed. Nothing is written when any of these is returned.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    #[error("cannot read spec file {file}: {source}")]
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
    #[error("cannot write generated files to {path}: {source}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: {message}")]
    Release { file: String, message: String },
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
