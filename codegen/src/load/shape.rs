//! Reading the raw tree into `openapiv3` types, and when it does not fit, saying which key is
//! wrong and what it should be, with the operation it is in.

use super::locate::locate_all;
use super::pointer::{escape_pointer, unescape_pointer};
use super::resolve;
use crate::error::{CodegenError, Diagnostic};

/// The spec read into `openapiv3` types from its raw tree, with an error that names the key
/// that is wrong.
pub(super) fn typed_with_path(
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
        let (pointer, message) = resolve(raw, &pointer)
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
pub(super) fn operation_at(raw: &serde_json::Value, pointer: &str) -> Option<String> {
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
pub(super) fn dangling_help(raw: &serde_json::Value, message: &str) -> Option<String> {
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
            let narrowed = resolve(raw, &inner)
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

/// A JSON value's kind as a message names it.
pub(super) fn kind_of(value: &serde_json::Value) -> String {
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
