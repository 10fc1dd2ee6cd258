//! Load: read a spec file (YAML or JSON, optionally gzipped) into a raw JSON value and into
//! `openapiv3` types, turning every syntax or shape error into a [`Diagnostic`] that names the
//! file, the JSON pointer and the line.

use crate::error::{CodegenError, Diagnostic};
use std::io::Read;
use std::path::Path;

/// A parsed spec: the typed document, and the raw tree for extensions and reference checks.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The spec file as the user named it, used in every diagnostic.
    pub file: String,
    pub text: String,
    pub raw: serde_json::Value,
    pub openapi: openapiv3::OpenAPI,
}

impl LoadedSpec {
    /// Fills in line and column of each diagnostic from the spec text. Only called on the error
    /// path: indexing a 3 MB spec costs more than parsing it.
    pub fn locate(&self, diagnostics: &mut [Diagnostic]) {
        locate_all(&self.text, diagnostics);
    }
}

/// Reads and parses a spec file. `.gz` files are decompressed first; `.json` files are parsed as
/// JSON, everything else as YAML.
pub fn load_file(path: &Path) -> Result<LoadedSpec, CodegenError> {
    let (text, format) = read_text(path)?;
    load_text(&path.display().to_string(), text, format)
}

/// Reads a spec file's text, decompressing `.gz` files, and tells its format by the name left
/// once `.gz` is taken off (`.json` is JSON, anything else YAML).
pub fn read_text(path: &Path) -> Result<(String, Format), CodegenError> {
    let file = path.display().to_string();
    let read_error = |source| CodegenError::Read {
        file: file.clone(),
        source,
    };
    let bytes = std::fs::read(path).map_err(read_error)?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let (bytes, name) = match name.strip_suffix(".gz") {
        Some(inner) => {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(bytes.as_slice())
                .read_to_end(&mut out)
                .map_err(read_error)?;
            (out, inner)
        }
        None => (bytes, name),
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        read_error(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            e.utf8_error(),
        ))
    })?;
    let format = if name.ends_with(".json") {
        Format::Json
    } else {
        Format::Yaml
    };
    Ok((text, format))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

/// Parses spec text that came from `file`.
pub fn load_text(file: &str, text: String, format: Format) -> Result<LoadedSpec, CodegenError> {
    let raw: serde_json::Value = match format {
        Format::Yaml => serde_yaml::from_str(&text).map_err(|e| {
            let mut d = Diagnostic::new(file, "", format!("malformed YAML: {}", yaml_message(&e)));
            if let Some(location) = e.location() {
                d.line = Some(location.line());
                d.column = Some(location.column());
            }
            CodegenError::Parse(Box::new(d))
        })?,
        Format::Json => serde_json::from_str(&text).map_err(|e| {
            let mut d = Diagnostic::new(file, "", format!("malformed JSON: {e}"));
            d.line = Some(e.line());
            d.column = Some(e.column());
            CodegenError::Parse(Box::new(d))
        })?,
    };
    check_version(file, &raw)?;
    let openapi: openapiv3::OpenAPI = serde_path_to_error::deserialize(&raw).map_err(|e| {
        let (pointer, message) = match pointer_of_path(e.path()).as_str() {
            "/paths" => path_item_error(&raw)
                .unwrap_or_else(|| ("/paths".to_owned(), e.inner().to_string())),
            other => (other.to_owned(), e.inner().to_string()),
        };
        let mut d = Diagnostic::new(
            file,
            pointer,
            format!("not a valid OpenAPI 3.0 document here: {message}"),
        );
        locate_all(&text, std::slice::from_mut(&mut d));
        CodegenError::Parse(Box::new(d))
    })?;
    Ok(LoadedSpec {
        file: file.to_owned(),
        text,
        raw,
        openapi,
    })
}

/// `openapiv3` reads `paths` (and the objects in it) through flattened maps, which hide where
/// an error is. Reading each operation on its own narrows the place down to the operation.
fn path_item_error(raw: &serde_json::Value) -> Option<(String, String)> {
    let paths = raw.get("paths")?.as_object()?;
    paths.iter().find_map(|(path, item)| {
        let item_pointer = format!("/paths/{}", escape_pointer(path));
        let item = item.as_object()?;
        let found = item.iter().find_map(|(key, node)| {
            let error = match key.as_str() {
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace" => {
                    serde_json::from_value::<openapiv3::Operation>(node.clone()).err()?
                }
                _ => return None,
            };
            Some((
                format!("{item_pointer}/{}", escape_pointer(key)),
                error.to_string(),
            ))
        });
        found.or_else(|| {
            let error = serde_json::from_value::<openapiv3::PathItem>(serde_json::Value::Object(
                item.clone(),
            ))
            .err()?;
            Some((item_pointer, error.to_string()))
        })
    })
}

/// serde_yaml appends "at line X column Y" to its messages; the diagnostic carries those apart.
fn yaml_message(e: &serde_yaml::Error) -> String {
    let text = e.to_string();
    match text.find(" at line ") {
        Some(cut) => text[..cut].to_owned(),
        None => text,
    }
}

/// Only OpenAPI 3.0 is supported: `openapiv3` models 3.0, and 3.1's JSON Schema dialect differs.
fn check_version(file: &str, raw: &serde_json::Value) -> Result<(), CodegenError> {
    let version = raw.get("openapi").and_then(|v| v.as_str());
    match version {
        Some(v) if v.starts_with("3.0.") => Ok(()),
        Some(v) => Err(CodegenError::Parse(Box::new(Diagnostic::new(
            file,
            "/openapi",
            format!("unsupported construct: OpenAPI version {v}; only 3.0.x specs are supported"),
        )))),
        None => Err(CodegenError::Parse(Box::new(Diagnostic::new(
            file,
            "/openapi",
            "not an OpenAPI document: the `openapi` version field is missing",
        )))),
    }
}

fn pointer_of_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&escape_pointer(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

/// Escapes one JSON pointer segment (RFC 6901: `~` → `~0`, `/` → `~1`).
pub fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Reverses [`escape_pointer`].
pub fn unescape_pointer(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// Finds the line and column of each diagnostic's pointer by walking the YAML event stream
/// (a superset of JSON), which knows where every key and item starts. serde_yaml keeps no
/// positions, so this second pass is the only way to point at a line.
fn locate_all(text: &str, diagnostics: &mut [Diagnostic]) {
    use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
    use yaml_rust2::scanner::Marker;

    enum Frame {
        Map {
            key: Option<String>,
            expect_key: bool,
        },
        Seq {
            index: usize,
        },
    }
    struct Walker<'d> {
        stack: Vec<Frame>,
        path: Vec<String>,
        wanted: &'d mut [Diagnostic],
    }
    impl Walker<'_> {
        fn pointer(&self) -> String {
            self.path
                .iter()
                .map(|s| format!("/{}", escape_pointer(s)))
                .collect()
        }
        fn found(&mut self, mark: Marker) {
            let pointer = self.pointer();
            for d in self.wanted.iter_mut() {
                if d.line.is_none() && d.pointer == pointer {
                    d.line = Some(mark.line());
                    d.column = Some(mark.col() + 1);
                }
            }
        }
        /// Called before a value node starts: enters its slot in the parent.
        fn enter_value(&mut self) -> bool {
            match self.stack.last_mut() {
                Some(Frame::Seq { index }) => {
                    self.path.push(index.to_string());
                    *index += 1;
                    true
                }
                Some(Frame::Map { key: Some(_), .. }) => true,
                _ => false,
            }
        }
        fn leave_value(&mut self) {
            match self.stack.last_mut() {
                Some(Frame::Seq { .. }) => {
                    self.path.pop();
                }
                Some(Frame::Map { key, expect_key }) => {
                    if key.take().is_some() {
                        self.path.pop();
                    }
                    *expect_key = true;
                }
                None => {}
            }
        }
    }
    impl MarkedEventReceiver for Walker<'_> {
        fn on_event(&mut self, ev: Event, mark: Marker) {
            match ev {
                Event::Scalar(value, ..) => {
                    if let Some(Frame::Map { key, expect_key }) = self.stack.last_mut() {
                        if *expect_key {
                            *expect_key = false;
                            *key = Some(value.clone());
                            self.path.push(value);
                            self.found(mark);
                            return;
                        }
                    }
                    let in_seq = matches!(self.stack.last(), Some(Frame::Seq { .. }));
                    self.enter_value();
                    if in_seq {
                        self.found(mark);
                    }
                    self.leave_value();
                }
                Event::Alias(_) => {
                    self.enter_value();
                    self.leave_value();
                }
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    let in_seq = matches!(self.stack.last(), Some(Frame::Seq { .. }));
                    self.enter_value();
                    if in_seq || self.stack.is_empty() {
                        self.found(mark);
                    }
                    self.stack.push(match ev {
                        Event::MappingStart(..) => Frame::Map {
                            key: None,
                            expect_key: true,
                        },
                        _ => Frame::Seq { index: 0 },
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    self.stack.pop();
                    self.leave_value();
                }
                _ => {}
            }
        }
    }

    if diagnostics.iter().all(|d| d.line.is_some()) {
        return;
    }
    let mut walker = Walker {
        stack: Vec::new(),
        path: Vec::new(),
        wanted: diagnostics,
    };
    // A spec that failed YAML parsing already has its position; ignore a second failure here.
    let _ = Parser::new_from_str(text).load(&mut walker, false);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_are_located_on_their_line() {
        let text = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a/{b}:\n    get:\n      parameters:\n        - name: b\n          in: path\n";
        let mut list = vec![
            Diagnostic::new("s.yaml", "/paths/~1a~1{b}/get", "x"),
            Diagnostic::new("s.yaml", "/paths/~1a~1{b}/get/parameters/0", "x"),
            Diagnostic::new("s.yaml", "/paths/~1a~1{b}/get/parameters/0/in", "x"),
            Diagnostic::new("s.yaml", "/info/version", "x"),
            Diagnostic::new("s.yaml", "/nowhere", "x"),
        ];
        locate_all(text, &mut list);
        let lines: Vec<_> = list.iter().map(|d| d.line).collect();
        assert_eq!(lines, vec![Some(7), Some(9), Some(10), Some(4), None]);
        assert_eq!(list[2].column, Some(11));
    }

    #[test]
    fn malformed_yaml_names_line_and_column() {
        let err = load_text(
            "bad.yaml",
            "openapi: 3.0.3\ninfo: [unclosed\n".into(),
            Format::Yaml,
        )
        .unwrap_err();
        let d = err.diagnostics()[0].clone();
        assert_eq!(d.file, "bad.yaml");
        assert!(d.message.starts_with("malformed YAML"), "{}", d.message);
        assert!(d.line.is_some());
    }

    #[test]
    fn wrong_shape_names_the_pointer() {
        let text = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      responses: 7\n";
        let err = load_text("s.yaml", text.into(), Format::Yaml).unwrap_err();
        let d = err.diagnostics()[0].clone();
        assert_eq!(d.pointer, "/paths/~1a/get");
        assert_eq!(d.line, Some(7));
        assert!(
            d.message.contains("expected struct Responses"),
            "{}",
            d.message
        );
    }

    #[test]
    fn openapi_31_is_refused() {
        let text = "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\npaths: {}\n";
        let err = load_text("s.yaml", text.into(), Format::Yaml).unwrap_err();
        assert!(err
            .to_string()
            .contains("unsupported construct: OpenAPI version 3.1.0"));
    }
}
