//! Validate: checks a loaded spec up front and reports every problem at once, so the model
//! builder can assume references resolve and names are unique. A spec that passes comes back
//! as a [`ValidatedSpec`], which is what the model builder takes.

use crate::dialect::REPLACED_BY_EXTENSION;
use crate::error::{CodegenError, Diagnostic};
use crate::load::{escape_pointer, resolve, LoadedSpec};
use serde_json::Value;
use std::collections::BTreeMap;

/// The path item keys that are operations: every HTTP method of OpenAPI 3.0, each of which
/// the generator emits.
const OPERATION_KEYS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A spec that passed [`validate`]. Only [`validate`] makes one, so a function that takes it
/// (the model builder) can rely on its checks without repeating them.
#[derive(Debug, Clone, Copy)]
pub struct ValidatedSpec<'s> {
    spec: &'s LoadedSpec,
}

impl<'s> ValidatedSpec<'s> {
    pub fn spec(&self) -> &'s LoadedSpec {
        self.spec
    }
}

/// Checks the spec, and returns it as validated or every problem found, each located in the
/// spec text.
pub fn validate(spec: &LoadedSpec) -> Result<ValidatedSpec<'_>, CodegenError> {
    let mut problems = Vec::new();
    check_refs(spec, &spec.raw, String::new(), &mut problems);
    check_operations(spec, &mut problems);
    if problems.is_empty() {
        Ok(ValidatedSpec { spec })
    } else {
        spec.locate(&mut problems);
        Err(CodegenError::Invalid(problems))
    }
}

/// Keys of OpenAPI and schema objects whose values are literal data, never references.
const DATA_KEYS: &[&str] = &["const", "default", "enum", "example"];

/// Keys whose values are maps from names (property names, component names, paths, statuses,
/// media types) to objects: a child named `example` or `enum` there is an object, not data.
const NAMED_MAPS: &[&str] = &[
    "callbacks",
    "content",
    "encoding",
    "headers",
    "links",
    "mapping",
    "parameters",
    "paths",
    "patternProperties",
    "properties",
    "requestBodies",
    "responses",
    "schemas",
    "securitySchemes",
    "variables",
];

/// Every `$ref` must be local (`#/...`) and point at something that exists. Example values and
/// `x-` extension values are data, where a `$ref` key is just a key, so they are not looked into.
fn check_refs(spec: &LoadedSpec, node: &Value, pointer: String, out: &mut Vec<Diagnostic>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                check_ref(spec, target, format!("{pointer}/$ref"), out);
            }
            for (key, value) in map {
                let here = format!("{pointer}/{}", escape_pointer(key));
                if DATA_KEYS.contains(&key.as_str()) || key.starts_with("x-") {
                    continue;
                }
                match (key.as_str(), value) {
                    // An Example Object may be a reference to `#/components/examples/...`; only
                    // its `value` is data. A schema's `examples` (a list) is data throughout.
                    ("examples", Value::Object(examples)) => {
                        for (name, example) in examples {
                            if let Some(Value::String(target)) = example.get("$ref") {
                                let at = format!("{here}/{}/$ref", escape_pointer(name));
                                check_ref(spec, target, at, out);
                            }
                        }
                    }
                    ("examples", _) => {}
                    ("discriminator", Value::Object(discriminator)) => {
                        let mapping = discriminator.get("mapping").and_then(Value::as_object);
                        for (name, target) in mapping.into_iter().flatten() {
                            let Some(target) = target.as_str() else {
                                continue;
                            };
                            // A bare name means the schema of that name in the components.
                            let target = if target.starts_with('#') {
                                target.to_owned()
                            } else {
                                format!("#/components/schemas/{}", escape_pointer(target))
                            };
                            let at = format!("{here}/mapping/{}", escape_pointer(name));
                            check_ref(spec, &target, at, out);
                        }
                    }
                    (key, Value::Object(named)) if NAMED_MAPS.contains(&key) => {
                        for (name, entry) in named {
                            // `paths` and `responses` may hold extensions beside their entries.
                            if name.starts_with("x-") && matches!(key, "paths" | "responses") {
                                continue;
                            }
                            check_refs(
                                spec,
                                entry,
                                format!("{here}/{}", escape_pointer(name)),
                                out,
                            );
                        }
                    }
                    _ => check_refs(spec, value, here, out),
                }
            }
        }
        Value::Array(items) => {
            for (index, value) in items.iter().enumerate() {
                check_refs(spec, value, format!("{pointer}/{index}"), out);
            }
        }
        _ => {}
    }
}

/// The most `$ref`s followed from one reference to what it means. Validation refuses longer
/// chains (and cycles), so every later step follows references with this same bound and never
/// stops short.
pub const MAX_REF_HOPS: usize = 32;

fn check_ref(spec: &LoadedSpec, target: &str, here: String, out: &mut Vec<Diagnostic>) {
    match target.strip_prefix('#') {
        Some(local) if resolve(&spec.raw, local).is_some() => {
            if let Some(problem) = chain_problem(&spec.raw, target) {
                out.push(Diagnostic::new(&spec.file, here, problem));
            }
        }
        Some(_) => out.push(Diagnostic::new(
            &spec.file,
            here,
            format!("dangling reference: `{target}` does not exist in this document"),
        )),
        None => out.push(Diagnostic::new(
            &spec.file,
            here,
            format!("unsupported construct: external reference `{target}`; only references within the document (`#/...`) are supported"),
        )),
    }
}

/// What is wrong with the chain of references starting at `target`, when it never reaches
/// something that is not a reference: a cycle, or more than [`MAX_REF_HOPS`] hops.
fn chain_problem(root: &Value, target: &str) -> Option<String> {
    let mut chain = vec![target.to_owned()];
    let mut node = resolve(root, target.strip_prefix('#')?)?;
    while let Some(next) = node.get("$ref").and_then(Value::as_str) {
        // A dangling or external link is reported where it is written.
        let found = resolve(root, next.strip_prefix('#')?)?;
        if chain.iter().any(|seen| seen == next) {
            chain.push(next.to_owned());
            let shown: Vec<String> = chain.iter().map(|t| format!("`{t}`")).collect();
            return Some(format!(
                "reference cycle: {} never reaches a definition; one of them must define what \
                 the others refer to",
                shown.join(" → ")
            ));
        }
        chain.push(next.to_owned());
        if chain.len() > MAX_REF_HOPS {
            return Some(format!(
                "chain of references too long: more than {MAX_REF_HOPS} `$ref`s from `{target}` \
                 (through `{next}`) without reaching a definition"
            ));
        }
        node = found;
    }
    None
}

/// Follows `$ref`s (local ones, already checked) until a node without one.
pub fn deref<'v>(root: &'v Value, mut node: &'v Value) -> &'v Value {
    // Validation has refused cycles and longer chains; the bound keeps this total regardless.
    for _ in 0..MAX_REF_HOPS {
        match node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        {
            Some(pointer) => match resolve(root, pointer) {
                Some(next) => node = next,
                None => return node,
            },
            None => return node,
        }
    }
    node
}

fn check_operations(spec: &LoadedSpec, out: &mut Vec<Diagnostic>) {
    let Some(Value::Object(paths)) = spec.raw.get("paths") else {
        return;
    };
    let mut seen_ids: BTreeMap<String, String> = BTreeMap::new();
    let mut replaced_by: Vec<(String, String, String)> = Vec::new();
    for (path, item) in paths {
        let item_pointer = format!("/paths/{}", escape_pointer(path));
        let Value::Object(item) = deref(&spec.raw, item) else {
            continue;
        };
        for (method, op) in item {
            let op_pointer = format!("{item_pointer}/{method}");
            if !OPERATION_KEYS.contains(&method.as_str()) {
                continue;
            }
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                out.push(Diagnostic::new(
                    &spec.file,
                    op_pointer,
                    "operation has no `operationId`; the generator names methods after it",
                ));
                continue;
            };
            if let Some(first) = seen_ids.get(id) {
                out.push(
                    Diagnostic::new(
                        &spec.file,
                        format!("{op_pointer}/operationId"),
                        format!("duplicate operationId `{id}`: also used at #{first}"),
                    )
                    .in_operation(id),
                );
            } else {
                seen_ids.insert(id.to_owned(), op_pointer.clone());
            }
            if let Some(target) = op.get(REPLACED_BY_EXTENSION).and_then(Value::as_str) {
                replaced_by.push((
                    id.to_owned(),
                    format!("{op_pointer}/{REPLACED_BY_EXTENSION}"),
                    target.to_owned(),
                ));
            }
            check_parameters(spec, path, item, op, &op_pointer, id, out);
        }
    }
    for (id, pointer, target) in replaced_by {
        if !seen_ids.contains_key(&target) {
            out.push(
                Diagnostic::new(
                    &spec.file,
                    pointer,
                    format!("`{REPLACED_BY_EXTENSION}` names operation `{target}`, which does not exist"),
                )
                .in_operation(&id),
            );
        }
    }
}

fn check_parameters(
    spec: &LoadedSpec,
    path: &str,
    item: &serde_json::Map<String, Value>,
    op: &Value,
    op_pointer: &str,
    id: &str,
    out: &mut Vec<Diagnostic>,
) {
    let item_pointer = op_pointer
        .rsplit_once('/')
        .map(|(p, _)| p)
        .unwrap_or_default();
    let mut params = listed_parameters(spec, item.get("parameters"), item_pointer);
    params.extend(listed_parameters(spec, op.get("parameters"), op_pointer));

    let mut path_names = Vec::new();
    for (pointer, param) in &params {
        let name = param
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let location = param.get("in").and_then(Value::as_str).unwrap_or_default();
        match location {
            "path" => path_names.push(name.to_owned()),
            "query" | "header" => {}
            other => out.push(
                Diagnostic::new(
                    &spec.file,
                    format!("{pointer}/in"),
                    format!("unsupported construct: `{other}` parameter `{name}`; only path, query and header parameters are supported"),
                )
                .in_operation(id),
            ),
        }
        if param.get("schema").is_none() {
            out.push(
                Diagnostic::new(
                    &spec.file,
                    pointer.clone(),
                    format!("unsupported construct: parameter `{name}` has no `schema` (`content` parameters are not supported)"),
                )
                .in_operation(id),
            );
        }
    }
    for placeholder in template_names(path) {
        if !path_names.contains(&placeholder) {
            out.push(
                Diagnostic::new(
                    &spec.file,
                    op_pointer.to_owned(),
                    format!("path placeholder `{{{placeholder}}}` has no path parameter"),
                )
                .in_operation(id),
            );
        }
    }
    for name in path_names {
        if !template_names(path).contains(&name) {
            out.push(
                Diagnostic::new(
                    &spec.file,
                    op_pointer.to_owned(),
                    format!("path parameter `{name}` does not appear in the path `{path}`"),
                )
                .in_operation(id),
            );
        }
    }
}

/// The parameters listed at `pointer`, each with its pointer, references followed.
fn listed_parameters<'v>(
    spec: &'v LoadedSpec,
    list: Option<&'v Value>,
    pointer: &str,
) -> Vec<(String, &'v Value)> {
    list.and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .enumerate()
                .map(|(i, p)| (format!("{pointer}/parameters/{i}"), deref(&spec.raw, p)))
                .collect()
        })
        .unwrap_or_default()
}

/// The `{placeholder}` names of a path template, in order.
pub fn template_names(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> LoadedSpec {
        crate::load::load_text("s.yaml", text.into(), crate::load::Format::Yaml).unwrap()
    }

    #[test]
    fn a_valid_spec_comes_back_validated() {
        let spec = load(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses: {'200': {description: ok}}\n",
        );
        let validated = validate(&spec).unwrap();
        assert!(std::ptr::eq(validated.spec(), &spec));
    }

    #[test]
    fn every_problem_is_reported_and_located() {
        let spec = load(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      responses: {'200': {description: ok}}\n    put:\n      operationId: a\n      requestBody: {$ref: '#/components/requestBodies/Nowhere'}\n      responses: {'200': {description: ok}}\n",
        );
        let Err(CodegenError::Invalid(problems)) = validate(&spec) else {
            panic!("an invalid spec passed");
        };
        let read: Vec<(&str, Option<usize>)> = problems
            .iter()
            .map(|p| (p.pointer.as_str(), p.line))
            .collect();
        assert_eq!(
            read,
            [
                ("/paths/~1a~1{id}/put/requestBody/$ref", Some(9)),
                ("/paths/~1a~1{id}/get", Some(5)),
                ("/paths/~1a~1{id}/put", Some(7)),
            ]
        );
    }

    #[test]
    fn examples_and_extensions_are_data_and_mapping_targets_are_references() {
        let spec = load(
            r##"
openapi: 3.0.3
info: {title: t, version: '1'}
x-top: {$ref: '#/nowhere'}
paths:
  x-paths: {$ref: '#/nowhere'}
  /a:
    get:
      operationId: a
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
              examples:
                data: {value: {$ref: 'not-a-reference.json'}}
                shared: {$ref: '#/components/examples/Missing'}
components:
  schemas:
    Pet:
      type: object
      x-schema: {$ref: '#/nowhere'}
      example: {$ref: '#/nowhere'}
      properties:
        example: {$ref: '#/components/schemas/Gone'}
        kind: {type: string, default: {$ref: '#/nowhere'}}
      discriminator:
        propertyName: kind
        mapping:
          cat: Pet
          dog: Dog
          fish: '#/components/schemas/Fish'
"##,
        );
        let Err(CodegenError::Invalid(problems)) = validate(&spec) else {
            panic!("an invalid spec passed");
        };
        let pointers: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/components/schemas/Pet/discriminator/mapping/dog",
                "/components/schemas/Pet/discriminator/mapping/fish",
                "/components/schemas/Pet/properties/example/$ref",
                "/paths/~1a/get/responses/200/content/application~1json/examples/shared/$ref",
            ]
        );
    }

    #[test]
    fn reference_cycles_and_chains_past_the_limit_are_refused_where_they_start() {
        let mut text = String::from(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Loop: {$ref: '#/components/schemas/Loop'}\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n  parameters:\n",
        );
        // `P0` → ... → `P32` is one hop too many; `Q0` → ... → `Q31` reaches `Q32` in the limit.
        for (name, hops) in [("P", MAX_REF_HOPS + 1), ("Q", MAX_REF_HOPS)] {
            for i in 0..hops {
                text.push_str(&format!(
                    "    {name}{i}: {{$ref: '#/components/parameters/{name}{}'}}\n",
                    i + 1
                ));
            }
            text.push_str(&format!(
                "    {name}{hops}: {{name: p, in: query, schema: {{type: string}}}}\n"
            ));
        }
        let spec = load(&text);
        let Err(CodegenError::Invalid(problems)) = validate(&spec) else {
            panic!("an invalid spec passed");
        };
        let read: Vec<(&str, &str)> = problems
            .iter()
            .map(|p| {
                (
                    p.pointer.as_str(),
                    p.message.split(':').next().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            read,
            [
                (
                    "/components/parameters/P0/$ref",
                    "chain of references too long"
                ),
                ("/components/schemas/A/$ref", "reference cycle"),
                ("/components/schemas/B/$ref", "reference cycle"),
                ("/components/schemas/Loop/$ref", "reference cycle"),
            ]
        );
        assert!(
            problems[1].message.contains(
                "`#/components/schemas/B` → `#/components/schemas/A` → `#/components/schemas/B`"
            ),
            "{}",
            problems[1].message
        );
    }
}
