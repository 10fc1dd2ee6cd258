//! Load: read a spec file (YAML or JSON, optionally gzipped) into a raw JSON value and into
//! `openapiv3` types, turning every syntax or shape error into a [`Diagnostic`] that names the
//! file, the JSON pointer and the line.
//!
//! One concern a part: [`read_text`] gets the text off disk ([`read`]); [`syntax`] parses it
//! into a raw tree, refusing duplicate keys and saying where YAML went wrong; this module checks
//! the OpenAPI version and reads the tree into `openapiv3` types, which [`shape`] explains when
//! they do not fit; [`locate`] puts lines and columns on every diagnostic; [`pointer`] writes and
//! follows JSON pointers.

mod locate;
mod pointer;
mod read;
mod shape;
mod syntax;

pub use pointer::{escape_pointer, resolve, unescape_pointer};
pub use read::read_text;

use crate::error::{CodegenError, Diagnostic};
use locate::{locate_all, locate_last};
use shape::{dangling_help, kind_of, operation_at, typed_with_path};
use std::path::Path;
use syntax::{
    first_alias_line, second_document_line, yaml_message, UniqueKeys, DUPLICATE, KEY_PATH,
};

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
        for d in diagnostics.iter_mut() {
            if d.operation.is_none() {
                d.operation = operation_at(&self.raw, &d.pointer);
            }
            if d.help.is_none() {
                d.help = dangling_help(&self.raw, &d.message);
            }
        }
    }
}

/// Reads and parses a spec file. `.gz` files are decompressed first; `.json` files are parsed as
/// JSON, everything else as YAML.
pub fn load_file(path: &Path) -> Result<LoadedSpec, CodegenError> {
    let (text, format) = read_text(path)?;
    load_text(&path.display().to_string(), text, format)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

/// Parses spec text that came from `file`.
pub fn load_text(file: &str, text: String, format: Format) -> Result<LoadedSpec, CodegenError> {
    load_text_fixed(file, text, format, |_| {})
}

/// Parses spec text that came from `file`, letting `fix` change the raw tree before it is read
/// into `openapiv3` types (the differ's lenient reading).
pub(crate) fn load_text_fixed(
    file: &str,
    text: String,
    format: Format,
    fix: impl FnOnce(&mut serde_json::Value),
) -> Result<LoadedSpec, CodegenError> {
    // Editors on Windows save a byte-order mark; it is not content, and YAML parsers read it as
    // the start of a second document.
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    };
    DUPLICATE.with(|d| d.borrow_mut().take());
    KEY_PATH.with(|p| p.borrow_mut().clear());
    let parsed = match format {
        Format::Yaml => serde_yaml::from_str::<UniqueKeys>(&text).map_err(|e| {
            let mut d = Diagnostic::new(file, "", format!("malformed YAML: {}", yaml_message(&e)));
            if let Some(location) = e.location() {
                d.line = Some(location.line());
                d.column = Some(location.column());
            }
            if d.message.contains("repetition limit exceeded") {
                d.message = "malformed YAML: aliases expand to too many nodes (repetition limit \
                             exceeded), as in a billion-laughs document; a spec needs no nested aliases"
                    .to_owned();
                d.line = first_alias_line(&text);
                d.column = d.line.map(|_| 1);
            }
            if d.message.contains("more than one document") {
                d.message = "malformed YAML: the file holds more than one YAML document; a spec \
                             is one document, so remove the `---` that starts the second"
                    .to_owned();
                d.line = second_document_line(&text);
                d.column = d.line.map(|_| 1);
            }
            d
        }),
        Format::Json => serde_json::from_str::<UniqueKeys>(&text).map_err(|e| {
            let message = e.to_string();
            let message = message.split(" at line ").next().unwrap_or_default();
            let mut d = Diagnostic::new(file, "", format!("malformed JSON: {message}"));
            d.line = Some(e.line());
            d.column = Some(e.column());
            d
        }),
    };
    let mut raw = match parsed {
        Ok(UniqueKeys(raw)) => raw,
        Err(mut d) => {
            if let Some((pointer, message)) = DUPLICATE.with(|d| d.borrow_mut().take()) {
                // The parser's position is the end of the mapping; the second key is the place,
                // and the pointer says where, so the parser's own path prefix goes.
                d.pointer = pointer;
                d.message = match format {
                    Format::Yaml => format!("malformed YAML: {message}"),
                    Format::Json => format!("malformed JSON: {message}"),
                };
                if format == Format::Yaml {
                    d.line = None;
                    d.column = None;
                    locate_last(&text, std::slice::from_mut(&mut d));
                }
            }
            return Err(CodegenError::Parse(Box::new(d)));
        }
    };
    if let Err(CodegenError::Parse(mut d)) = check_version(file, &raw) {
        locate_all(&text, std::slice::from_mut(&mut d));
        return Err(CodegenError::Parse(d));
    }
    fix(&mut raw);
    // Tracking the path costs a fair part of a full spec's load, and only an error needs it:
    // a document that does not read is read again to say where.
    let openapi = match serde::Deserialize::deserialize(&raw) {
        Ok(openapi) => openapi,
        Err(_) => typed_with_path(file, &text, &raw)?,
    };
    Ok(LoadedSpec {
        file: file.to_owned(),
        text,
        raw,
        openapi,
    })
}

/// Only OpenAPI 3.0 is supported: `openapiv3` models 3.0, and 3.1's JSON Schema dialect differs.
/// Each refusal says what the document is and what would be accepted.
fn check_version(file: &str, raw: &serde_json::Value) -> Result<(), CodegenError> {
    use serde_json::Value;
    const SUPPORTED: &str = "only OpenAPI 3.0.x documents (`openapi: 3.0.3`) are supported";
    let refuse = |pointer: &str, message: String| {
        Err(CodegenError::Parse(Box::new(Diagnostic::new(
            file, pointer, message,
        ))))
    };
    let Some(document) = raw.as_object() else {
        let found = match raw {
            Value::Null => "an empty document".to_owned(),
            other => format!("{} at the top level", kind_of(other)),
        };
        let mut d = Diagnostic::new(
            file,
            "",
            format!("not an OpenAPI document: found {found}, where a mapping with `openapi`, `info` and `paths` belongs; {SUPPORTED}"),
        );
        // The whole document is wrong: point at its start.
        d.line = Some(1);
        d.column = Some(1);
        return Err(CodegenError::Parse(Box::new(d)));
    };
    match (document.get("openapi"), document.get("swagger")) {
        (Some(Value::String(v)), _) if v.starts_with("3.0.") => Ok(()),
        (Some(Value::String(v)), _) if v.starts_with("3.1") || v.starts_with("3.2") => refuse(
            "/openapi",
            format!(
                "unsupported construct: OpenAPI version {v}: this is an OpenAPI {} document, \
                 whose schemas use a newer JSON Schema dialect; {SUPPORTED}",
                &v[..3]
            ),
        ),
        (Some(Value::String(v)), _) => refuse(
            "/openapi",
            format!("unsupported construct: OpenAPI version {v}; {SUPPORTED}"),
        ),
        (Some(Value::Number(n)), _) => refuse(
            "/openapi",
            format!(
                "the `openapi` version is the number {n}, not a version string: YAML reads an \
                 unquoted `{n}` as a number; write the full version as text, such as \
                 `openapi: 3.0.3` or `openapi: \"{n}.0\"`; {SUPPORTED}"
            ),
        ),
        (Some(other), _) => refuse(
            "/openapi",
            format!(
                "the `openapi` version is {}, not a version string; {SUPPORTED}",
                kind_of(other)
            ),
        ),
        (None, Some(swagger)) => {
            let version = match swagger {
                Value::String(v) => v.clone(),
                other => other.to_string(),
            };
            refuse(
                "/swagger",
                format!(
                    "unsupported construct: this is a Swagger {version} (OpenAPI 2) document; \
                     {SUPPORTED}: convert it to OpenAPI 3.0 first (for example with \
                     swagger2openapi)"
                ),
            )
        }
        (None, None) => refuse(
            "/openapi",
            format!("not an OpenAPI document: the `openapi` version field is missing; {SUPPORTED}"),
        ),
    }
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
        // The key that is wrong, not the operation around it.
        assert_eq!(d.pointer, "/paths/~1a/get/responses");
        assert_eq!(d.line, Some(8));
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

    fn refusal(text: &str, format: Format) -> Diagnostic {
        let err = load_text("s.yaml", text.into(), format).unwrap_err();
        err.diagnostics()[0].clone()
    }

    const REST: &str = "info:\n  title: t\n  version: '1'\npaths: {}\n";

    #[test]
    fn a_byte_order_mark_is_not_content() {
        let text = format!("\u{feff}openapi: 3.0.3\n{REST}");
        let spec = load_text("s.yaml", text, Format::Yaml).unwrap();
        assert_eq!(spec.openapi.openapi, "3.0.3");
        assert!(!spec.text.starts_with('\u{feff}'));
        let json = "\u{feff}{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {}}";
        assert!(load_text("s.json", json.into(), Format::Json).is_ok());
    }

    #[test]
    fn version_refusals_say_what_the_document_is_and_what_is_supported() {
        let numeric = refusal(&format!("openapi: 3.0\n{REST}"), Format::Yaml);
        assert_eq!(
            (numeric.pointer.as_str(), numeric.line),
            ("/openapi", Some(1))
        );
        assert!(
            numeric
                .message
                .contains("the number 3.0, not a version string"),
            "{}",
            numeric.message
        );
        assert!(
            numeric.message.contains("only OpenAPI 3.0.x"),
            "{}",
            numeric.message
        );

        let swagger = refusal(&format!("swagger: '2.0'\n{REST}"), Format::Yaml);
        assert_eq!(swagger.pointer, "/swagger");
        assert!(
            swagger.message.contains("Swagger 2.0 (OpenAPI 2) document"),
            "{}",
            swagger.message
        );
        assert!(
            swagger.message.contains("convert it to OpenAPI 3.0"),
            "{}",
            swagger.message
        );

        let v31 = refusal(&format!("openapi: 3.1.0\n{REST}"), Format::Yaml);
        assert!(
            v31.message.contains("OpenAPI 3.1 document"),
            "{}",
            v31.message
        );
        assert!(
            v31.message.contains("only OpenAPI 3.0.x"),
            "{}",
            v31.message
        );

        for (text, found) in [
            ("", "an empty document"),
            ("- a\n", "a list at the top level"),
        ] {
            let d = refusal(text, Format::Yaml);
            assert!(d.message.contains(found), "{}", d.message);
            assert!(
                !d.message.contains("more than one document"),
                "{}",
                d.message
            );
        }
    }

    #[test]
    fn a_duplicate_key_is_an_error_at_the_second_one() {
        let text = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      responses: {}\n    get:\n      responses: {}\n";
        let d = refusal(text, Format::Yaml);
        assert_eq!(
            d.message,
            "malformed YAML: duplicate key `get` in a mapping: the second would silently replace the first"
        );
        assert_eq!(d.pointer, "/paths/~1a/get");
        assert_eq!(d.line, Some(9));

        let json = "{\"openapi\": \"3.0.3\",\n \"info\": {\"title\": \"t\", \"title\": \"u\", \"version\": \"1\"}, \"paths\": {}}";
        let d = refusal(json, Format::Json);
        assert!(d.message.contains("duplicate key `title`"), "{}", d.message);
        assert_eq!((d.pointer.as_str(), d.line), ("/info/title", Some(2)));
        assert!(
            !d.message.contains("at line"),
            "the line is carried apart: {}",
            d.message
        );
    }

    #[test]
    fn a_wrong_key_in_a_schema_is_reported_at_that_key() {
        let head = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths: {}\ncomponents:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        name:\n          type: string\n";
        let misindented = refusal(
            &format!("{head}        description: A thing\n"),
            Format::Yaml,
        );
        assert_eq!(
            misindented.pointer,
            "/components/schemas/Thing/properties/description"
        );
        assert_eq!(misindented.line, Some(13));
        assert!(
            misindented.message.contains("indented one level too deep"),
            "{}",
            misindented.message
        );

        let wrong_type = refusal(&format!("{head}      required: name\n"), Format::Yaml);
        assert_eq!(wrong_type.pointer, "/components/schemas/Thing/required");
        assert_eq!(wrong_type.line, Some(13));
        assert!(
            wrong_type
                .message
                .contains("`required` must be a list of property names, found the string \"name\""),
            "{}",
            wrong_type.message
        );

        let nested = refusal(&format!("{head}        tags:\n          type: array\n          items:\n            type: string\n            maxLength: -1\n"), Format::Yaml);
        assert_eq!(
            nested.pointer,
            "/components/schemas/Thing/properties/tags/items/maxLength"
        );
        assert!(
            nested.message.contains("a non-negative integer"),
            "{}",
            nested.message
        );
    }

    #[test]
    fn a_wrong_key_in_a_parameter_is_reported_at_that_key() {
        let text = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      parameters:\n        - name: q\n          in: query\n          required: 'yes'\n          schema:\n            type: string\n      responses: {}\n";
        let d = refusal(text, Format::Yaml);
        assert_eq!(d.pointer, "/paths/~1a/get/parameters/0/required");
        assert_eq!(d.line, Some(11));
        assert!(
            d.message
                .contains("`required` must be `true` or `false`, found the string \"yes\""),
            "{}",
            d.message
        );
        assert_eq!(d.operation.as_deref(), Some("GET /a"));

        let no_schema = text.replace(
            "          required: 'yes'\n          schema:\n            type: string\n",
            "",
        );
        let d = refusal(&no_schema, Format::Yaml);
        assert_eq!(
            (d.pointer.as_str(), d.line),
            ("/paths/~1a/get/parameters/0", Some(9))
        );
        assert!(d.message.contains("needs a `schema`"), "{}", d.message);
    }

    #[test]
    fn a_schema_inside_an_operation_is_narrowed_too() {
        let text = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                nullable: maybe\n";
        let d = refusal(text, Format::Yaml);
        assert_eq!(
            d.pointer,
            "/paths/~1a/get/responses/200/content/application~1json/schema/nullable"
        );
        assert_eq!(d.line, Some(15));
        assert_eq!(d.operation.as_deref(), Some("GET /a"));
    }

    #[test]
    fn located_problems_name_their_operation_and_suggest_the_nearest_name() {
        let text = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a/{b}:\n    get:\n      operationId: getA\n      responses: {}\n    put:\n      responses: {}\ncomponents:\n  schemas:\n    ClusterDescription: {}\n    Group: {}\n";
        let spec = load_text("s.yaml", text.into(), Format::Yaml).unwrap();
        let mut list = vec![
            Diagnostic::new("s.yaml", "/paths/~1a~1{b}/get/responses", "dangling reference: `#/components/schemas/ClusterDescripton` does not exist in this document"),
            Diagnostic::new("s.yaml", "/paths/~1a~1{b}/put", "dangling reference: `#/components/schemas/Zzz` does not exist in this document"),
            Diagnostic::new("s.yaml", "/components/schemas/Group", "dangling reference: `#/components/schema/Group` does not exist in this document"),
        ];
        spec.locate(&mut list);
        assert_eq!(list[0].operation.as_deref(), Some("getA"));
        assert_eq!(
            list[0].help.as_deref(),
            Some("did you mean `#/components/schemas/ClusterDescription`?")
        );
        assert_eq!(list[1].operation.as_deref(), Some("PUT /a/{b}"));
        assert_eq!(list[1].help, None, "nothing is near enough");
        assert_eq!(list[2].operation, None);
        assert_eq!(
            list[2].help.as_deref(),
            Some("did you mean `#/components/schemas/Group`?")
        );
    }

    #[test]
    fn two_documents_and_bytes_that_are_not_utf8_are_located() {
        let text = format!("---\nopenapi: 3.0.3\n{REST}---\nopenapi: 3.0.3\n");
        let d = refusal(&text, Format::Yaml);
        assert!(
            d.message.contains("more than one YAML document"),
            "{}",
            d.message
        );
        assert_eq!(d.line, Some(7));

        let laughs = "openapi: 3.0.3\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n";
        let d = refusal(laughs, Format::Yaml);
        assert!(d.message.contains("billion-laughs"), "{}", d.message);
        assert_eq!(d.line, Some(3));

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("latin1.yaml");
        std::fs::write(&path, b"openapi: 3.0.3\ninfo:\n  title: caf\xe9\n").unwrap();
        let err = load_file(&path).unwrap_err();
        let d = err.diagnostics()[0].clone();
        assert_eq!((d.line, d.column), (Some(3), Some(13)));
        assert!(
            d.message.contains("byte 0xe9 at offset 33"),
            "{}",
            d.message
        );
    }
}
