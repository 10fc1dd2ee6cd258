//! Repairs of spec defects, applied to the spec Prism mocks: schemas that refuse every value
//! their authors meant them to take, so that Prism checks a request against what the client was
//! generated to send rather than against a contradiction no client can satisfy, and answer
//! examples that break their schema.
//!
//! Unlike the changes of [`super::mock_spec`], which remove differences between Prism's reading
//! and OpenAPI's, these change what the document says. So each one is printed, the report
//! names per operation the repaired defects it reaches, and `--as-written` turns the repairs
//! off to measure the spec as it is. Two contradictions are repaired, both read the way the
//! generator reads them:
//!
//! - `type: object` beside a `oneOf`/`anyOf` whose every branch is a string, number, integer
//!   or boolean (Atlas's event types and regions): no value is both, and the generator types
//!   the branches. The repaired schema drops the `type`.
//! - A `oneOf` without a discriminator in which one branch accepts every value another one
//!   accepts (Atlas's OIDC identity provider updates: the workload form's properties are a
//!   subset of the workforce form's, and neither is closed): a value of the narrower branch
//!   matches both, so none matches exactly one. The repaired schema is the `anyOf` of the same
//!   branches, which is what the client's untagged enum sends.
//!
//! A third defect is an answer's: an example that breaks its schema (Twilio's `"price":
//! "-0.0025"` for a `number`). Prism answers a static run with it, and a client that checks
//! types refuses it. The driver already passes over such examples for the requests it sends;
//! the spec Prism mocks leaves them out of answers, so that Prism makes the static answer
//! from the schema instead.

use super::samples::follow_refs;
use codegen::load::escape_pointer;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// One repair: where (a schema, or an answer's media type whose examples were left out), and
/// the defect.
#[derive(Debug, Clone, PartialEq)]
pub struct Repair {
    pub pointer: String,
    pub defect: &'static str,
}

const OBJECT_BESIDE_SCALARS: &str = "`type: object` beside alternatives that are not objects";
const SUBSUMED_BRANCH: &str = "a `oneOf` whose branch accepts every value of another";
const EXAMPLE_BREAKS_SCHEMA: &str = "an answer's example that breaks its schema";

/// Repairs `spec` in place and returns what it repaired.
pub fn repair(spec: &mut Value) -> Vec<Repair> {
    let mut found = Vec::new();
    find(spec, spec, String::new(), &mut found);
    // Deepest first: renaming a `oneOf` moves the pointers of the repairs under it.
    for repair in found.iter().rev() {
        let Some(schema) = spec
            .pointer_mut(&repair.pointer)
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        match repair.defect {
            OBJECT_BESIDE_SCALARS => {
                schema.remove("type");
            }
            _ => {
                if let Some(branches) = schema.remove("oneOf") {
                    schema.insert("anyOf".into(), branches);
                }
            }
        }
    }
    // Examples are checked against the repaired schemas.
    let broken_examples = answer_examples_that_break_their_schema(spec);
    for (media, names) in &broken_examples {
        let Some(media) = spec.pointer_mut(media).and_then(Value::as_object_mut) else {
            continue;
        };
        for name in names {
            match name {
                None => {
                    media.remove("example");
                }
                Some(name) => {
                    let examples = media.get_mut("examples").and_then(Value::as_object_mut);
                    if let Some(examples) = examples {
                        examples.remove(name);
                        if examples.is_empty() {
                            media.remove("examples");
                        }
                    }
                }
            }
        }
    }
    found.extend(broken_examples.into_keys().map(|pointer| Repair {
        pointer,
        defect: EXAMPLE_BREAKS_SCHEMA,
    }));
    found
}

/// The media types of answers whose examples break their schema, each with the examples that
/// do (`None` for its `example`, the name of each entry of its `examples`).
fn answer_examples_that_break_their_schema(spec: &Value) -> BTreeMap<String, Vec<Option<String>>> {
    let components = draft4(spec.get("components").unwrap_or(&Value::Null));
    let mut broken = BTreeMap::new();
    let mut checked = BTreeSet::new();
    let methods = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let paths = spec.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        for method in methods {
            let Some(responses) = item
                .get(method)
                .and_then(|op| op.get("responses"))
                .and_then(Value::as_object)
            else {
                continue;
            };
            for (status, response) in responses {
                // A response shared through `components/responses` is checked where it is
                // written.
                let (response, at) = match response.get("$ref").and_then(Value::as_str) {
                    Some(target) => match target.strip_prefix('#').and_then(|t| spec.pointer(t)) {
                        Some(found) => (found, target.trim_start_matches('#').to_owned()),
                        None => continue,
                    },
                    None => (
                        response,
                        format!(
                            "/paths/{}/{method}/responses/{}",
                            escape_pointer(path),
                            escape_pointer(status)
                        ),
                    ),
                };
                let content = response.get("content").and_then(Value::as_object);
                for (media_type, media) in content.into_iter().flatten() {
                    let pointer = format!("{at}/content/{}", escape_pointer(media_type));
                    let Some(schema) = media.get("schema") else {
                        continue;
                    };
                    // Atlas shares its error answers among hundreds of operations.
                    if !checked.insert(pointer.clone()) {
                        continue;
                    }
                    let mut examples: Vec<(Option<String>, &Value)> = Vec::new();
                    if let Some(example) = media.get("example") {
                        examples.push((None, example));
                    }
                    let named = media.get("examples").and_then(Value::as_object);
                    for (name, example) in named.into_iter().flatten() {
                        if let Some(value) = follow_refs(spec, example).get("value") {
                            examples.push((Some(name.clone()), value));
                        }
                    }
                    if examples.is_empty() {
                        continue;
                    }
                    // The spec's components go along so that its `$ref`s resolve. Formats
                    // are left unchecked: OpenAPI leaves them open, and Twilio's relative
                    // `uri`s, which no client refuses, would count as broken.
                    let wrapper = json!({"allOf": [draft4(schema)], "components": components});
                    let Ok(validator) = jsonschema::options()
                        .with_draft(jsonschema::Draft::Draft4)
                        .should_validate_formats(false)
                        .build(&wrapper)
                    else {
                        continue;
                    };
                    let breaking: Vec<Option<String>> = examples
                        .into_iter()
                        .filter(|(_, value)| !validator.is_valid(value))
                        .map(|(name, _)| name)
                        .collect();
                    if !breaking.is_empty() {
                        broken.insert(pointer, breaking);
                    }
                }
            }
        }
    }
    broken
}

/// A schema as JSON Schema draft 4 reads what OpenAPI 3.0 means by `nullable: true`: `null`
/// among its types (and its enum values), or beside it where it has no type of its own.
fn draft4(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut converted: serde_json::Map<String, Value> = map
                .iter()
                .filter(|(key, _)| key.as_str() != "nullable")
                .map(|(key, value)| match key.as_str() {
                    "example" | "examples" | "default" | "enum" => (key.clone(), value.clone()),
                    _ => (key.clone(), draft4(value)),
                })
                .collect();
            if map.get("nullable") != Some(&Value::Bool(true)) {
                return Value::Object(converted);
            }
            if let Some(values) = converted.get_mut("enum").and_then(Value::as_array_mut) {
                values.push(Value::Null);
            }
            match converted.get("type").and_then(Value::as_str) {
                Some(ty) => {
                    let types = json!([ty, "null"]);
                    converted.insert("type".into(), types);
                    Value::Object(converted)
                }
                None => json!({"anyOf": [{"type": "null"}, converted]}),
            }
        }
        Value::Array(items) => Value::Array(items.iter().map(draft4).collect()),
        other => other.clone(),
    }
}

/// Collects the defects under `value` (at `pointer`), leaving examples alone.
fn find(spec: &Value, value: &Value, pointer: String, out: &mut Vec<Repair>) {
    match value {
        Value::Object(map) => {
            if let Some(defect) = defect_of(spec, value) {
                out.push(Repair {
                    pointer: pointer.clone(),
                    defect,
                });
            }
            for (key, item) in map {
                if matches!(key.as_str(), "example" | "examples" | "default" | "enum") {
                    continue;
                }
                find(
                    spec,
                    item,
                    format!("{pointer}/{}", escape_pointer(key)),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                find(spec, item, format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn defect_of(spec: &Value, schema: &Value) -> Option<&'static str> {
    let branches = |key| schema.get(key).and_then(Value::as_array);
    let alternatives = branches("oneOf").or_else(|| branches("anyOf"));
    if let Some(alternatives) = alternatives {
        let scalar = |branch: &Value| {
            let branch = follow_refs(spec, branch);
            match branch.get("type").and_then(Value::as_str) {
                Some(ty) => ty != "object" && ty != "array",
                None => branch
                    .get("enum")
                    .and_then(Value::as_array)
                    .is_some_and(|values| values.iter().all(|v| !v.is_object() && !v.is_array())),
            }
        };
        if schema.get("type").and_then(Value::as_str) == Some("object")
            && !alternatives.is_empty()
            && alternatives.iter().all(scalar)
        {
            return Some(OBJECT_BESIDE_SCALARS);
        }
    }
    let one_of = branches("oneOf")?;
    if schema.get("discriminator").is_some() {
        return None;
    }
    let resolved: Vec<&Value> = one_of.iter().map(|b| follow_refs(spec, b)).collect();
    for (i, wider) in resolved.iter().enumerate() {
        for (j, narrower) in resolved.iter().enumerate() {
            if i != j && accepts_all_of(spec, wider, narrower) {
                return Some(SUBSUMED_BRANCH);
            }
        }
    }
    None
}

/// Whether every value `narrower` accepts is accepted by `wider`, judged conservatively on
/// plain object schemas: `wider` is open (no `additionalProperties` limit), requires nothing
/// `narrower` does not, and each property it declares is declared alike by `narrower`.
fn accepts_all_of(spec: &Value, wider: &Value, narrower: &Value) -> bool {
    const PLAIN: &[&str] = &[
        "type",
        "properties",
        "required",
        "description",
        "title",
        "example",
        "externalDocs",
    ];
    let (Some(wide), Some(narrow)) = (wider.as_object(), narrower.as_object()) else {
        return false;
    };
    if wider == narrower
        || wide.keys().any(|k| !PLAIN.contains(&k.as_str()))
        || wide.get("type").and_then(Value::as_str) != Some("object")
        || narrow.get("type").and_then(Value::as_str) != Some("object")
        || narrow.get("additionalProperties") == Some(&Value::Bool(false))
    {
        return false;
    }
    let names = |schema: &serde_json::Map<String, Value>, key| -> BTreeSet<String> {
        schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    if !names(wide, "required").is_subset(&names(narrow, "required")) {
        return false;
    }
    let empty = serde_json::Map::new();
    let properties = |schema: &serde_json::Map<String, Value>| {
        schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty)
            .clone()
    };
    let narrow_properties = properties(narrow);
    properties(wide).iter().all(|(name, declared)| {
        narrow_properties.get(name).is_some_and(|other| {
            without_prose(follow_refs(spec, declared)) == without_prose(follow_refs(spec, other))
        })
    })
}

/// A schema without the keywords that do not constrain values.
fn without_prose(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "description" | "title" | "example"))
                .map(|(k, v)| (k.clone(), without_prose(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The defects the operation at `operation` (a JSON pointer) reaches, following references,
/// each once: the schemas repaired for its requests, through its parameters and body, and the
/// examples left out of its answers.
pub fn reached(spec: &Value, operation: &str, repairs: &[Repair]) -> Vec<&'static str> {
    let (answers, requests): (Vec<Found>, Vec<Found>) = repairs
        .iter()
        .map(|r| (r.pointer.as_str(), r.defect))
        .partition(|(_, defect)| *defect == EXAMPLE_BREAKS_SCHEMA);
    let mut reached = Vec::new();
    let path_item = operation.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
    let mut seen = BTreeSet::new();
    for start in [
        format!("{operation}/parameters"),
        format!("{operation}/requestBody"),
        format!("{path_item}/parameters"),
    ] {
        walk(spec, &start, &requests, &mut seen, &mut reached);
    }
    let answers_at = format!("{operation}/responses");
    walk(
        spec,
        &answers_at,
        &answers,
        &mut BTreeSet::new(),
        &mut reached,
    );
    reached
}

/// A repaired place and its defect.
type Found<'r> = (&'r str, &'static str);

fn walk(
    spec: &Value,
    pointer: &str,
    repaired: &[Found],
    seen: &mut BTreeSet<String>,
    reached: &mut Vec<&'static str>,
) {
    if !seen.insert(pointer.to_owned()) {
        return;
    }
    let Some(value) = spec.pointer(pointer) else {
        return;
    };
    if let Some((_, defect)) = repaired.iter().find(|(p, _)| *p == pointer) {
        if !reached.contains(defect) {
            reached.push(defect);
        }
    }
    match value {
        Value::Object(map) => {
            if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                if let Some(target) = target.strip_prefix('#') {
                    walk(spec, target, repaired, seen, reached);
                }
            }
            for key in map.keys() {
                if matches!(key.as_str(), "example" | "examples" | "$ref") {
                    continue;
                }
                walk(
                    spec,
                    &format!("{pointer}/{}", escape_pointer(key)),
                    repaired,
                    seen,
                    reached,
                );
            }
        }
        Value::Array(items) => {
            for i in 0..items.len() {
                walk(spec, &format!("{pointer}/{i}"), repaired, seen, reached);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_object_type_beside_string_alternatives_loses_its_type() {
        let mut spec = json!({"components": {"schemas": {
            "Region": {"type": "object", "oneOf": [
                {"$ref": "#/components/schemas/AwsRegion"},
                {"type": "string", "enum": ["EU_WEST"]},
            ]},
            "AwsRegion": {"type": "string", "enum": ["US_EAST_1"]},
            "Shape": {"type": "object", "oneOf": [
                {"type": "object", "properties": {"a": {"type": "string"}}},
                {"type": "string"},
            ]},
        }}});
        let repairs = repair(&mut spec);
        assert_eq!(
            repairs,
            vec![Repair {
                pointer: "/components/schemas/Region".into(),
                defect: OBJECT_BESIDE_SCALARS
            }]
        );
        assert!(spec.pointer("/components/schemas/Region/type").is_none());
        // A union with an object branch is satisfiable and kept.
        assert_eq!(spec["components"]["schemas"]["Shape"]["type"], "object");
    }

    #[test]
    fn a_one_of_whose_branch_takes_every_value_of_another_becomes_an_any_of() {
        let name = json!({"type": "string", "description": "its name"});
        let mut spec = json!({"components": {"schemas": {
            "Update": {"oneOf": [
                {"$ref": "#/components/schemas/Workforce"},
                {"$ref": "#/components/schemas/Workload"},
            ]},
            "Workforce": {"type": "object", "properties": {"name": name, "claims": {"type": "string"}}},
            "Workload": {"type": "object", "properties": {"name": {"type": "string", "description": "other words"}}},
            "Closed": {"oneOf": [
                {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]},
                {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
            ]},
        }}});
        let repairs = repair(&mut spec);
        assert_eq!(repairs.len(), 1, "{repairs:?}");
        assert_eq!(repairs[0].pointer, "/components/schemas/Update");
        assert!(spec.pointer("/components/schemas/Update/anyOf").is_some());
        assert!(spec.pointer("/components/schemas/Update/oneOf").is_none());
        // Branches that each require their own property tell values apart.
        assert!(spec.pointer("/components/schemas/Closed/oneOf").is_some());
    }

    #[test]
    fn an_answer_example_that_breaks_its_schema_is_left_out() {
        let mut spec = json!({
            "paths": {"/calls": {"get": {"responses": {"200": {"description": "ok", "content": {
                "application/json": {
                    "schema": {"$ref": "#/components/schemas/Call"},
                    "examples": {
                        "fetch": {"value": {"price": "-0.0025", "to": null}},
                        "free": {"value": {"price": 0, "to": null}},
                    },
                },
            }}}}}},
            "components": {"schemas": {"Call": {"type": "object", "properties": {
                "price": {"type": "number", "nullable": true},
                "to": {"type": "string", "nullable": true},
            }}}},
        });
        let original = spec.clone();
        let repairs = repair(&mut spec);
        let media = "/paths/~1calls/get/responses/200/content/application~1json";
        assert_eq!(
            repairs,
            vec![Repair {
                pointer: media.into(),
                defect: EXAMPLE_BREAKS_SCHEMA
            }]
        );
        // The string price goes; the example that fits (a null where `nullable` allows one)
        // stays.
        let examples = spec.pointer(&format!("{media}/examples")).unwrap();
        assert!(examples.get("fetch").is_none());
        assert!(examples.get("free").is_some());
        assert_eq!(
            reached(&original, "/paths/~1calls/get", &repairs),
            vec![EXAMPLE_BREAKS_SCHEMA]
        );
    }

    #[test]
    fn only_what_a_request_reaches_is_counted() {
        let spec = json!({
            "paths": {"/events": {
                "get": {
                    "parameters": [{"name": "type", "in": "query",
                        "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Kind"}}}],
                    "responses": {"200": {"description": "ok"}},
                },
                "post": {
                    "responses": {"200": {"description": "ok", "content": {"application/json":
                        {"schema": {"$ref": "#/components/schemas/Kind"}}}}},
                },
            }},
            "components": {"schemas": {"Kind": {"type": "object", "oneOf": [{"type": "string"}]}}},
        });
        let mut repaired = spec.clone();
        let repairs = repair(&mut repaired);
        assert_eq!(
            reached(&spec, "/paths/~1events/get", &repairs),
            vec![OBJECT_BESIDE_SCALARS]
        );
        // The answer's schema is repaired too, but Prism does not refuse its own answers.
        assert!(reached(&spec, "/paths/~1events/post", &repairs).is_empty());
    }
}
