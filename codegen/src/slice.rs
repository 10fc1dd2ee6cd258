//! Slice: cuts chosen operations out of a large spec, with only the components they reach
//! (schemas, parameters, responses, headers, examples, request bodies, security schemes),
//! so a small spec can be kept in step with an upstream one.
//!
//! It works on the YAML tree rather than on `openapiv3` types: mappings keep their order, and
//! everything the typed document would drop (extensions, unknown keys) survives the cut.

use crate::error::{CodegenError, Diagnostic};
use crate::load::{escape_pointer, unescape_pointer};
use serde_yaml::{Mapping, Value};
use std::collections::{BTreeMap, BTreeSet};

/// HTTP methods a path item may hold.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Keys that only document: dropped by `--strip-docs`.
const DOC_KEYS: &[&str] = &[
    "description",
    "summary",
    "example",
    "examples",
    "externalDocs",
];

/// Keys whose mapping value is keyed by names (property names, media types, status codes,
/// component names): those names are data, never documentation, whatever they spell.
const NAMED_MAPS: &[&str] = &[
    "paths",
    "properties",
    "patternProperties",
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "content",
    "encoding",
    "mapping",
    "scopes",
    "variables",
];

/// Keys whose values are literal data (or vendor extensions), left exactly as written.
const DATA_KEYS: &[&str] = &["enum", "default", "const", "example"];

/// What to cut out of a spec.
#[derive(Debug, Clone, Default)]
pub struct SliceOptions {
    /// `operationId`s to keep, in any order.
    pub operations: Vec<String>,
    /// Keep structure only: drop descriptions, summaries, examples and external docs.
    pub strip_docs: bool,
}

/// A slice and what went into it.
#[derive(Debug, Clone)]
pub struct Slice {
    pub document: Value,
    /// The kept operations as `(operationId, METHOD, path)`, in document order.
    pub operations: Vec<(String, String, String)>,
    /// Kept components by kind (`schemas`, `parameters`, ...), with their names.
    pub components: BTreeMap<String, Vec<String>>,
}

/// Parses spec text (YAML or JSON) into a tree that keeps key order.
pub fn parse(file: &str, text: &str) -> Result<Value, CodegenError> {
    let mut value: Value = serde_yaml::from_str(text).map_err(|e| {
        let mut d = Diagnostic::new(file, "", format!("malformed spec: {e}"));
        if let Some(location) = e.location() {
            d.line = Some(location.line());
            d.column = Some(location.column());
        }
        CodegenError::Parse(Box::new(d))
    })?;
    value.apply_merge().map_err(|e| {
        CodegenError::Parse(Box::new(Diagnostic::new(
            file,
            "",
            format!("malformed YAML merge key: {e}"),
        )))
    })?;
    Ok(value)
}

/// Cuts the chosen operations, and everything they reach, out of `spec` (read from `file`).
/// Unknown operation ids, and references that lead outside the slice, are errors.
pub fn slice(file: &str, spec: &Value, options: &SliceOptions) -> Result<Slice, CodegenError> {
    let mut spec = spec.clone();
    if options.strip_docs {
        strip_docs(&mut spec, false);
    }
    let Some(root) = spec.as_mapping() else {
        return Err(invalid(file, "", "the document is not a mapping"));
    };
    let wanted: BTreeSet<&str> = options.operations.iter().map(String::as_str).collect();
    let (paths, operations) = select_operations(root, &wanted);
    let found: BTreeSet<&str> = operations.iter().map(|(id, ..)| id.as_str()).collect();
    let unknown: Vec<Diagnostic> = options
        .operations
        .iter()
        .filter(|id| !found.contains(id.as_str()))
        .map(|id| {
            Diagnostic::new(
                file,
                "/paths",
                format!("no operation has the operationId `{id}`"),
            )
        })
        .collect();
    if !unknown.is_empty() {
        return Err(CodegenError::Invalid(unknown));
    }

    let reached = reach(root, &paths);
    let mut out = Mapping::new();
    for (key, value) in root {
        let kept = match key.as_str() {
            Some("openapi" | "info" | "servers" | "security") => Some(value.clone()),
            Some("tags") => Some(used_tags(value, &paths)),
            Some("paths") => Some(Value::Mapping(paths.clone())),
            Some("components") => Some(kept_components(value, &reached)),
            _ => None,
        };
        if let Some(kept) = kept {
            out.insert(key.clone(), kept);
        }
    }
    let document = Value::Mapping(out);
    let dangling: Vec<Diagnostic> = refs_in(&document)
        .into_iter()
        .filter(|(_, target)| resolve(&document, target).is_none())
        .map(|(pointer, target)| {
            Diagnostic::new(
                file,
                pointer,
                format!("reference `{target}` leads outside the slice"),
            )
        })
        .collect();
    if !dangling.is_empty() {
        return Err(CodegenError::Invalid(dangling));
    }
    let mut components: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (kind, name) in reached {
        components.entry(kind).or_default().push(name);
    }
    Ok(Slice {
        document,
        operations,
        components,
    })
}

fn invalid(file: &str, pointer: &str, message: &str) -> CodegenError {
    CodegenError::Invalid(vec![Diagnostic::new(file, pointer, message)])
}

/// The path items that hold a wanted operation, each with only its wanted operations (and the
/// path-level keys: shared parameters, servers, extensions).
fn select_operations(
    root: &Mapping,
    wanted: &BTreeSet<&str>,
) -> (Mapping, Vec<(String, String, String)>) {
    let mut paths = Mapping::new();
    let mut operations = Vec::new();
    let Some(all) = root.get("paths").and_then(Value::as_mapping) else {
        return (paths, operations);
    };
    for (path, item) in all {
        let Some(item) = item.as_mapping() else {
            continue;
        };
        let mut kept = Mapping::new();
        let mut any = false;
        for (key, value) in item {
            let Some(key_text) = key.as_str() else {
                continue;
            };
            if METHODS.contains(&key_text) {
                let id = value.get("operationId").and_then(Value::as_str);
                if let Some(id) = id.filter(|id| wanted.contains(id)) {
                    any = true;
                    operations.push((
                        id.to_owned(),
                        key_text.to_ascii_uppercase(),
                        path.as_str().unwrap_or_default().to_owned(),
                    ));
                    kept.insert(key.clone(), value.clone());
                }
            } else {
                kept.insert(key.clone(), value.clone());
            }
        }
        if any {
            paths.insert(path.clone(), Value::Mapping(kept));
        }
    }
    (paths, operations)
}

/// Every `(kind, name)` under `#/components` the kept paths reach, following references
/// (and discriminator mappings) transitively, plus the security schemes the operations use.
fn reach(root: &Mapping, paths: &Mapping) -> BTreeSet<(String, String)> {
    let document = Value::Mapping(root.clone());
    let paths = Value::Mapping(paths.clone());
    let mut reached: BTreeSet<(String, String)> = BTreeSet::new();
    let mut queue: Vec<String> = refs_in(&paths).into_iter().map(|(_, t)| t).collect();

    // Operations without `security` of their own fall back to the document's.
    let top_level = root.get("security");
    let mut schemes = BTreeSet::new();
    for item in paths.as_mapping().into_iter().flat_map(|m| m.values()) {
        for (key, op) in item.as_mapping().into_iter().flatten() {
            if !key.as_str().is_some_and(|k| METHODS.contains(&k)) {
                continue;
            }
            let requirements = op.get("security").or(top_level);
            for requirement in requirements
                .and_then(Value::as_sequence)
                .into_iter()
                .flatten()
            {
                for name in requirement.as_mapping().into_iter().flat_map(|m| m.keys()) {
                    if let Some(name) = name.as_str() {
                        schemes.insert(name.to_owned());
                    }
                }
            }
        }
    }
    for name in schemes {
        queue.push(format!(
            "#/components/securitySchemes/{}",
            escape_pointer(&name)
        ));
    }

    while let Some(target) = queue.pop() {
        let Some(segments) = target.strip_prefix("#/components/") else {
            continue;
        };
        let mut parts = segments.splitn(3, '/');
        let (Some(kind), Some(name)) = (parts.next(), parts.next()) else {
            continue;
        };
        let key = (unescape_pointer(kind), unescape_pointer(name));
        if reached.contains(&key) {
            continue;
        }
        let pointer = format!("/components/{kind}/{name}");
        let Some(node) = resolve(&document, &format!("#{pointer}")) else {
            // Left for the dangling-reference check, which names the place.
            continue;
        };
        reached.insert(key);
        queue.extend(refs_in(node).into_iter().map(|(_, t)| t));
    }
    reached
}

/// Every reference below `node` with the pointer (relative to `node`) where it is written:
/// `$ref` values and discriminator mappings. Literal data (examples, enums, defaults) and
/// extensions are not looked into.
fn refs_in(node: &Value) -> Vec<(String, String)> {
    fn walk(node: &Value, pointer: &mut String, out: &mut Vec<(String, String)>) {
        match node {
            Value::Mapping(map) => {
                for (key, value) in map {
                    let Some(key) = key_text(key) else {
                        continue;
                    };
                    let length = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&escape_pointer(&key));
                    match (key.as_str(), value) {
                        ("$ref", Value::String(target)) => {
                            out.push((pointer.clone(), target.clone()));
                        }
                        ("discriminator", Value::Mapping(discriminator)) => {
                            let mapping = discriminator.get("mapping").and_then(Value::as_mapping);
                            for target in mapping.into_iter().flat_map(|m| m.values()) {
                                if let Some(target) = target.as_str() {
                                    out.push((format!("{pointer}/mapping"), schema_ref(target)));
                                }
                            }
                        }
                        (key, _) if DATA_KEYS.contains(&key) || key.starts_with("x-") => {}
                        _ => walk(value, pointer, out),
                    }
                    pointer.truncate(length);
                }
            }
            Value::Sequence(items) => {
                for (index, item) in items.iter().enumerate() {
                    let length = pointer.len();
                    pointer.push_str(&format!("/{index}"));
                    walk(item, pointer, out);
                    pointer.truncate(length);
                }
            }
            Value::Tagged(tagged) => walk(&tagged.value, pointer, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(node, &mut String::new(), &mut out);
    out
}

/// A discriminator mapping value: a reference, or a bare schema name.
fn schema_ref(target: &str) -> String {
    if target.starts_with('#') {
        target.to_owned()
    } else {
        format!("#/components/schemas/{}", escape_pointer(target))
    }
}

/// Mapping keys as text: YAML allows numbers (`200:`) where JSON has strings.
fn key_text(key: &Value) -> Option<String> {
    match key {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Resolves a local reference (`#/a/b`) in `document`.
fn resolve<'v>(document: &'v Value, target: &str) -> Option<&'v Value> {
    let pointer = target.strip_prefix('#')?;
    if pointer.is_empty() {
        return Some(document);
    }
    pointer
        .strip_prefix('/')?
        .split('/')
        .try_fold(document, |node, segment| {
            let segment = unescape_pointer(segment);
            match node {
                Value::Mapping(map) => map
                    .iter()
                    .find(|(key, _)| key_text(key).as_deref() == Some(segment.as_str()))
                    .map(|(_, value)| value),
                Value::Sequence(items) => items.get(segment.parse::<usize>().ok()?),
                _ => None,
            }
        })
}

/// The document's tag list, reduced to the tags a kept operation names.
fn used_tags(tags: &Value, paths: &Mapping) -> Value {
    let used: BTreeSet<&str> = paths
        .values()
        .filter_map(Value::as_mapping)
        .flat_map(|item| item.iter())
        .filter(|(key, _)| key.as_str().is_some_and(|k| METHODS.contains(&k)))
        .filter_map(|(_, op)| op.get("tags").and_then(Value::as_sequence))
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let kept = tags
        .as_sequence()
        .into_iter()
        .flatten()
        .filter(|tag| {
            tag.get("name")
                .and_then(Value::as_str)
                .is_some_and(|name| used.contains(name))
        })
        .cloned()
        .collect();
    Value::Sequence(kept)
}

/// The components table with only the reached entries, in their original order.
fn kept_components(components: &Value, reached: &BTreeSet<(String, String)>) -> Value {
    let mut out = Mapping::new();
    for (kind, table) in components.as_mapping().into_iter().flatten() {
        let Some(kind_text) = kind.as_str() else {
            continue;
        };
        let kept: Mapping = table
            .as_mapping()
            .into_iter()
            .flatten()
            .filter(|(name, _)| {
                key_text(name).is_some_and(|name| reached.contains(&(kind_text.to_owned(), name)))
            })
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        if !kept.is_empty() {
            out.insert(kind.clone(), Value::Mapping(kept));
        }
    }
    Value::Mapping(out)
}

/// Drops documentation keys everywhere except where names are data. A response keeps an empty
/// `description`, which OpenAPI 3.0 requires.
fn strip_docs(node: &mut Value, is_response: bool) {
    match node {
        Value::Mapping(map) => {
            let keys: Vec<Value> = map.keys().cloned().collect();
            for key in keys {
                let text = key_text(&key).unwrap_or_default();
                if DOC_KEYS.contains(&text.as_str()) {
                    if is_response && text == "description" {
                        map.insert(key, Value::String(String::new()));
                    } else {
                        map.remove(&key);
                    }
                    continue;
                }
                if DATA_KEYS.contains(&text.as_str()) || text.starts_with("x-") {
                    continue;
                }
                let Some(value) = map.get_mut(&key) else {
                    continue;
                };
                match value {
                    Value::Mapping(named) if NAMED_MAPS.contains(&text.as_str()) => {
                        for entry in named.values_mut() {
                            strip_docs(entry, text == "responses");
                        }
                    }
                    _ => strip_docs(value, false),
                }
            }
        }
        Value::Sequence(items) => {
            for item in items {
                strip_docs(item, false);
            }
        }
        Value::Tagged(tagged) => strip_docs(&mut tagged.value, is_response),
        _ => {}
    }
}

/// The slice as text: JSON when `json`, YAML otherwise (with a comment saying where it came
/// from).
pub fn render(slice: &Slice, source: &str, json: bool) -> Result<String, String> {
    if json {
        let mut text = serde_json::to_string_pretty(&slice.document).map_err(|e| e.to_string())?;
        text.push('\n');
        Ok(text)
    } else {
        let body = serde_yaml::to_string(&slice.document).map_err(|e| e.to_string())?;
        Ok(format!(
            "# Sliced from {source} by `cargo xtask slice`: {} operation(s) and the components they reach.\n{body}",
            slice.operations.len()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: '1', description: about}
tags:
  - {name: a, description: tag a}
  - {name: b}
paths:
  /a:
    description: shared
    get:
      operationId: getA
      tags: [a]
      summary: Get A
      responses:
        '200':
          description: fine
          content:
            application/json:
              schema: {$ref: '#/components/schemas/A'}
              examples:
                one: {$ref: '#/components/examples/One'}
    post:
      operationId: postA
      tags: [b]
      requestBody: {$ref: '#/components/requestBodies/Body'}
      responses:
        '204': {description: done}
components:
  schemas:
    A:
      type: object
      description: an A
      properties:
        description: {type: string, description: a property named description}
        pet: {$ref: '#/components/schemas/Pet'}
    Pet:
      discriminator: {propertyName: kind, mapping: {cat: Cat}}
      oneOf: [{$ref: '#/components/schemas/Dog'}]
    Dog: {type: object, example: {$ref: 'not a reference'}}
    Cat: {type: object}
    Unused: {type: string}
  examples:
    One: {value: {description: x}}
  requestBodies:
    Body:
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Unused'}
"##;

    fn cut(ids: &[&str], strip_docs: bool) -> Slice {
        let spec = parse("s.yaml", SPEC).unwrap();
        let options = SliceOptions {
            operations: ids.iter().map(|s| (*s).to_owned()).collect(),
            strip_docs,
        };
        slice("s.yaml", &spec, &options).unwrap()
    }

    fn names(slice: &Slice, kind: &str) -> Vec<String> {
        slice.components.get(kind).cloned().unwrap_or_default()
    }

    #[test]
    fn follows_references_and_discriminator_mappings() {
        let slice = cut(&["getA"], false);
        assert_eq!(names(&slice, "schemas"), ["A", "Cat", "Dog", "Pet"]);
        assert_eq!(names(&slice, "examples"), ["One"]);
        assert!(!slice.components.contains_key("requestBodies"));
        let paths = slice.document.get("paths").unwrap();
        assert!(paths.get("/a").unwrap().get("post").is_none());
        let tags = slice.document.get("tags").unwrap().as_sequence().unwrap();
        assert_eq!(tags.len(), 1);
    }

    #[test]
    fn strips_docs_but_not_names() {
        let slice = cut(&["getA"], true);
        let a = &slice.document["components"]["schemas"]["A"];
        assert!(a.get("description").is_none());
        let property = &a["properties"]["description"];
        assert_eq!(property, &parse("x", "{type: string}").unwrap());
        let response = &slice.document["paths"]["/a"]["get"]["responses"]["200"];
        assert_eq!(response["description"], Value::String(String::new()));
        assert!(slice.document["info"].get("description").is_none());
        // Examples go, and with them the example components only they reached.
        assert!(!slice.components.contains_key("examples"));
        let dog = &slice.document["components"]["schemas"]["Dog"];
        assert!(dog.get("example").is_none());
    }

    #[test]
    fn unknown_operations_are_errors() {
        let spec = parse("s.yaml", SPEC).unwrap();
        let options = SliceOptions {
            operations: vec!["getA".into(), "nope".into()],
            strip_docs: false,
        };
        let err = slice("s.yaml", &spec, &options).unwrap_err();
        assert!(err.to_string().contains("`nope`"), "{err}");
        assert!(!err.to_string().contains("`getA`"), "{err}");
    }
}
