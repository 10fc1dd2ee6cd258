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
        // Say where, so the byte can be found and fixed: line and column of the first bad byte.
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        let mut d = Diagnostic::new(
            &file,
            "",
            format!(
                "not UTF-8 text: byte 0x{:02x} at offset {} is not valid UTF-8; save the spec as UTF-8",
                e.as_bytes()[valid.len()],
                valid.len()
            ),
        );
        d.line = Some(valid.matches('\n').count() + 1);
        d.column = Some(valid.rsplit('\n').next().unwrap_or_default().chars().count() + 1);
        CodegenError::Parse(Box::new(d))
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
    let raw = match parsed {
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

/// The spec read into `openapiv3` types from its raw tree, with an error that names the key
/// that is wrong.
fn typed_with_path(
    file: &str,
    text: &str,
    raw: &serde_json::Value,
) -> Result<openapiv3::OpenAPI, CodegenError> {
    serde_path_to_error::deserialize(raw).map_err(|e| {
        let (pointer, message) = match pointer_of_path(e.path()).as_str() {
            "/paths" => {
                path_item_error(raw).unwrap_or_else(|| ("/paths".to_owned(), e.inner().to_string()))
            }
            other => (other.to_owned(), e.inner().to_string()),
        };
        // Schemas are read through untagged enums, whose errors name the outermost schema
        // in serde's words; find the key that is really wrong.
        let (pointer, message) = crate::validate::resolve(raw, &pointer)
            .and_then(|node| bad_schema_below(node, &pointer))
            .unwrap_or((pointer, message));
        let mut d = Diagnostic::new(
            file,
            pointer,
            format!("not a valid OpenAPI 3.0 document here: {message}"),
        );
        locate_all(text, std::slice::from_mut(&mut d));
        d.operation = operation_at(raw, &d.pointer);
        CodegenError::Parse(Box::new(d))
    })
}

/// The operation a pointer below `/paths/{path}/{method}` belongs to: its `operationId`, or
/// `METHOD path` when it has none.
fn operation_at(raw: &serde_json::Value, pointer: &str) -> Option<String> {
    let mut segments = pointer.strip_prefix("/paths/")?.splitn(3, '/');
    let path = segments.next()?;
    let method = segments.next()?;
    if !matches!(
        method,
        "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
    ) {
        return None;
    }
    let operation = raw.get("paths")?.get(unescape_pointer(path))?.get(method)?;
    Some(
        match operation.get("operationId").and_then(|id| id.as_str()) {
            Some(id) => id.to_owned(),
            None => format!("{} {}", method.to_uppercase(), unescape_pointer(path)),
        },
    )
}

/// For a message about a dangling `#/...` reference, the nearest name that exists where the
/// reference stops resolving, as a "did you mean".
fn dangling_help(raw: &serde_json::Value, message: &str) -> Option<String> {
    let target = message.strip_prefix("dangling reference: `#")?;
    let target = &target[..target.find('`')?];
    let segments: Vec<String> = target.split('/').skip(1).map(unescape_pointer).collect();
    let mut node = raw;
    for (depth, segment) in segments.iter().enumerate() {
        if let Some(next) = node.get(segment.as_str()) {
            node = next;
            continue;
        }
        let names = node.as_object()?.keys();
        let (best, score) = names
            .map(|name| (name, strsim::jaro_winkler(segment, name)))
            .max_by(|a, b| a.1.total_cmp(&b.1))?;
        // Below this, names share too little to be the one meant.
        if score < 0.8 {
            return None;
        }
        let mut fixed: Vec<String> = segments[..depth]
            .iter()
            .map(|s| escape_pointer(s))
            .collect();
        fixed.push(escape_pointer(best));
        fixed.extend(segments[depth + 1..].iter().map(|s| escape_pointer(s)));
        return Some(format!("did you mean `#/{}`?", fixed.join("/")));
    }
    None
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
                    serde_path_to_error::deserialize::<_, openapiv3::Operation>(node).err()?
                }
                _ => return None,
            };
            let operation = format!("{item_pointer}/{}", escape_pointer(key));
            let inner = format!("{operation}{}", pointer_of_path(error.path()));
            let message = error.inner().to_string();
            // Parameters are read by their `in`, which hides the key: check the keys here.
            let narrowed = crate::validate::resolve(raw, &inner)
                .filter(|_| is_parameter_pointer(&inner))
                .and_then(|node| bad_parameter_key(node, &inner));
            Some(narrowed.unwrap_or((inner, message)))
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

/// Whether `pointer` is an item of a `parameters` list.
fn is_parameter_pointer(pointer: &str) -> bool {
    pointer.rsplit_once('/').is_some_and(|(parent, index)| {
        parent.ends_with("/parameters") && index.parse::<usize>().is_ok()
    })
}

/// In a parameter object, the first key whose value has the wrong kind.
fn bad_parameter_key(node: &serde_json::Value, pointer: &str) -> Option<(String, String)> {
    let map = node.as_object()?;
    let wrong_key = map.iter().find_map(|(key, value)| {
        let expected = match key.as_str() {
            "name" | "in" | "description" | "style" if !value.is_string() => "a string",
            "required" | "deprecated" | "allowEmptyValue" | "explode" | "allowReserved"
                if !value.is_boolean() =>
            {
                "`true` or `false`"
            }
            "schema" | "content" | "examples" if !value.is_object() => "a mapping",
            _ => return None,
        };
        Some((
            format!("{pointer}/{}", escape_pointer(key)),
            format!("`{key}` must be {expected}, found {}", kind_of(value)),
        ))
    });
    wrong_key.or_else(|| {
        (!map.contains_key("schema") && !map.contains_key("content") && !map.contains_key("$ref"))
            .then(|| {
                (
                    pointer.to_owned(),
                    "a parameter needs a `schema` (or a `content` mapping) saying its type"
                        .to_owned(),
                )
            })
    })
}

/// The first line that uses an alias (`*name`), where an expansion starts.
fn first_alias_line(text: &str) -> Option<usize> {
    let alias = regex::Regex::new(r"(^|[\s\[,{:])\*[A-Za-z0-9_.-]+").ok()?;
    text.lines()
        .position(|line| !line.trim_start().starts_with('#') && alias.is_match(line))
        .map(|index| index + 1)
}

/// The line of the `---` or `...` marker after which a second YAML document starts.
fn second_document_line(text: &str) -> Option<usize> {
    let mut seen_content = false;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_end();
        let is_marker = trimmed == "---" || trimmed.starts_with("--- ") || trimmed == "...";
        if is_marker && seen_content {
            return Some(index + 1);
        }
        if !is_marker && !trimmed.is_empty() && !trimmed.starts_with('#') {
            seen_content = true;
        }
    }
    None
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

/// A JSON value's kind as a message names it.
fn kind_of(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "a mapping".to_owned(),
    }
}

thread_local! {
    /// The keys and indexes from the document root to the value being read.
    static KEY_PATH: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
    /// The pointer of a duplicate key, set when reading fails because of one.
    static DUPLICATE: std::cell::RefCell<Option<(String, String)>> = const { std::cell::RefCell::new(None) };
}

fn with_segment<T>(segment: String, read: impl FnOnce() -> T) -> T {
    KEY_PATH.with(|p| p.borrow_mut().push(segment));
    let result = read();
    KEY_PATH.with(|p| p.borrow_mut().pop());
    result
}

/// A raw document value that refuses duplicate mapping keys: YAML and JSON parsers let the
/// last one win, which silently drops the first definition.
struct UniqueKeys(serde_json::Value);

impl<'de> serde::Deserialize<'de> for UniqueKeys {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(UniqueKeysVisitor)
            .map(UniqueKeys)
    }
}

struct UniqueKeysVisitor;

impl<'de> serde::de::Visitor<'de> for UniqueKeysVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML or JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(UniqueKeys(item)) =
            with_segment(items.len().to_string(), || seq.next_element())?
        {
            items.push(item);
        }
        Ok(serde_json::Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                let pointer = KEY_PATH.with(|p| {
                    p.borrow()
                        .iter()
                        .chain(std::iter::once(&key))
                        .map(|s| format!("/{}", escape_pointer(s)))
                        .collect::<String>()
                });
                let message = format!(
                    "duplicate key `{key}` in a mapping: the second would silently replace the first"
                );
                DUPLICATE.with(|d| *d.borrow_mut() = Some((pointer, message.clone())));
                return Err(serde::de::Error::custom(message));
            }
            let UniqueKeys(value) = with_segment(key.clone(), || map.next_value())?;
            out.insert(key, value);
        }
        Ok(serde_json::Value::Object(out))
    }
}

/// Below `node` (at `pointer`), the first schema that does not read as one, narrowed down to
/// the key that is wrong, with a message about that key.
fn bad_schema_below(node: &serde_json::Value, pointer: &str) -> Option<(String, String)> {
    use serde_json::Value;
    let is_schema = |p: &str| {
        p.ends_with("/schema")
            || p.rsplit_once('/')
                .is_some_and(|(parent, _)| parent.ends_with("/components/schemas"))
    };
    if is_schema(pointer) {
        if let Some(found) = narrow_schema(node, pointer) {
            return Some(found);
        }
    }
    let children: Vec<(String, &Value)> = match node {
        Value::Object(map) => map
            .iter()
            .filter(|(key, _)| !(key.starts_with("x-") || *key == "example" || *key == "examples"))
            .map(|(key, value)| (format!("{pointer}/{}", escape_pointer(key)), value))
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(index, value)| (format!("{pointer}/{index}"), value))
            .collect(),
        _ => Vec::new(),
    };
    children
        .into_iter()
        .find_map(|(child, value)| bad_schema_below(value, &child))
}

/// Where in the schema `node` (at `pointer`) reading fails, if it does: the innermost schema
/// that fails, and in it the key whose value has the wrong kind.
fn narrow_schema(node: &serde_json::Value, pointer: &str) -> Option<(String, String)> {
    use serde_json::Value;
    let error =
        serde_json::from_value::<openapiv3::ReferenceOr<openapiv3::Schema>>(node.clone()).err()?;
    let Value::Object(map) = node else {
        return Some((
            pointer.to_owned(),
            format!(
                "a schema must be a mapping, found {}; a key indented one level too deep \
                 under `properties` is read as a property whose schema is its value",
                kind_of(node)
            ),
        ));
    };
    let mut subschemas: Vec<(String, &Value)> = Vec::new();
    for (key, value) in map {
        let here = format!("{pointer}/{}", escape_pointer(key));
        match (key.as_str(), value) {
            ("properties", Value::Object(properties)) => subschemas.extend(
                properties
                    .iter()
                    .map(|(name, schema)| (format!("{here}/{}", escape_pointer(name)), schema)),
            ),
            ("items" | "not", _) | ("additionalProperties", Value::Object(_)) => {
                subschemas.push((here, value));
            }
            ("allOf" | "oneOf" | "anyOf", Value::Array(items)) => subschemas.extend(
                items
                    .iter()
                    .enumerate()
                    .map(|(index, schema)| (format!("{here}/{index}"), schema)),
            ),
            _ => {}
        }
    }
    if let Some(found) = subschemas
        .iter()
        .find_map(|(child, value)| narrow_schema(value, child))
    {
        return Some(found);
    }
    for (key, value) in map {
        if let Some(expected) = expected_schema_key(key, value) {
            return Some((
                format!("{pointer}/{}", escape_pointer(key)),
                format!("`{key}` must be {expected}, found {}", kind_of(value)),
            ));
        }
    }
    Some((pointer.to_owned(), format!("not a valid schema: {error}")))
}

/// What a schema's `key` must hold, when `value` is not that.
fn expected_schema_key(key: &str, value: &serde_json::Value) -> Option<&'static str> {
    use serde_json::Value;
    let ok = match key {
        "$ref" | "description" | "title" | "format" | "pattern" => value.is_string(),
        "type" => value.is_string(),
        "required" => value
            .as_array()
            .is_some_and(|items| items.iter().all(Value::is_string)),
        "enum" | "allOf" | "oneOf" | "anyOf" => value.is_array(),
        "nullable" | "readOnly" | "writeOnly" | "deprecated" | "uniqueItems"
        | "exclusiveMinimum" | "exclusiveMaximum" => value.is_boolean(),
        "minimum" | "maximum" | "multipleOf" => value.is_number(),
        "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties" => {
            value.is_u64()
        }
        "properties" | "items" | "not" | "discriminator" | "externalDocs" | "xml" => {
            value.is_object()
        }
        "additionalProperties" => value.is_object() || value.is_boolean(),
        _ => true,
    };
    if ok {
        return None;
    }
    Some(match key {
        "required" => "a list of property names",
        "enum" | "allOf" | "oneOf" | "anyOf" => "a list",
        "nullable" | "readOnly" | "writeOnly" | "deprecated" | "uniqueItems"
        | "exclusiveMinimum" | "exclusiveMaximum" => "`true` or `false`",
        "minimum" | "maximum" | "multipleOf" => "a number",
        "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties" => {
            "a non-negative integer"
        }
        "additionalProperties" => "a schema or `true`/`false`",
        "properties" => "a mapping of property names to schemas",
        "items" | "not" => "a schema (a mapping)",
        "discriminator" | "externalDocs" | "xml" => "a mapping",
        _ => "a string",
    })
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
    locate(text, diagnostics, false);
}

/// As [`locate_all`], at the last place each pointer occurs (the second of duplicate keys).
fn locate_last(text: &str, diagnostics: &mut [Diagnostic]) {
    locate(text, diagnostics, true);
}

fn locate(text: &str, diagnostics: &mut [Diagnostic], last: bool) {
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
        /// Keep moving to later places with the same pointer.
        last: bool,
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
                if (d.line.is_none() || self.last) && d.pointer == pointer {
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
        last,
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
