//! Lenient loading, for the differ: a valid OpenAPI 3.0 document that the generator refuses
//! because it cannot name or type something (an operation without `operationId` or without
//! `responses`, a response without `description`, a parameter typed by `content`) can still be
//! compared, operation by operation, keyed by method and path. Each gap is filled by a fix-up below that says what it
//! assumed in a note. The generator's own loading ([`crate::load::load_text`] and
//! [`crate::validate`]) keeps its rules: nothing here is on its path.

use crate::error::CodegenError;
use crate::load::{self, escape_pointer, read_text, Format};
use crate::model::{build_model, ApiModel, HttpMethod, Note};
use serde_json::{Map, Value};
use std::path::Path;

/// A model read leniently, with a note for every gap that was filled to read it.
#[derive(Debug, Clone)]
pub struct Lenient {
    pub model: ApiModel,
    pub notes: Vec<Note>,
}

/// Reads, validates and models a spec file (YAML or JSON, `.gz` accepted) for comparison.
pub fn load_file(path: &Path) -> Result<Lenient, CodegenError> {
    let (text, format) = read_text(path)?;
    load_text(&path.display().to_string(), text, format)
}

/// Reads, validates and models spec text that came from `file`, for comparison.
pub fn load_text(file: &str, text: String, format: Format) -> Result<Lenient, CodegenError> {
    let mut notes = Vec::new();
    let spec = load::load_text_fixed(file, text, format, |raw| notes = fill_gaps(raw))?;
    let validated = crate::validate::validate(&spec)?;
    let model = build_model(&validated)?;
    Ok(Lenient { model, notes })
}

fn fill_gaps(raw: &mut Value) -> Vec<Note> {
    let mut notes = Vec::new();
    for (pointer, parameter) in parameters(raw) {
        type_by_content(&pointer, parameter, &mut notes);
    }
    for (pointer, op) in operations(raw) {
        name_by_method_and_path(&pointer, op, &mut notes);
        answer_nothing_documented(&pointer, op, &mut notes);
        describe_responses(
            &format!("{pointer}/responses"),
            op.get_mut("responses"),
            &mut notes,
        );
    }
    let components = raw
        .get_mut("components")
        .and_then(|c| c.get_mut("responses"));
    describe_responses("/components/responses", components, &mut notes);
    notes
}

/// Every operation object of the document with its JSON pointer, in key order.
fn operations(raw: &mut Value) -> Vec<(String, &mut Map<String, Value>)> {
    let Some(Value::Object(paths)) = raw.get_mut("paths") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (path, item) in paths.iter_mut() {
        let Value::Object(item) = item else { continue };
        for (method, op) in item.iter_mut() {
            if HttpMethod::from_key(method).is_none() {
                continue;
            }
            if let Value::Object(op) = op {
                let pointer = format!("/paths/{}/{method}", escape_pointer(path));
                out.push((pointer, op));
            }
        }
    }
    out
}

/// Every parameter object written in place (not a `$ref`) with its JSON pointer: those of path
/// items, of operations and of the components.
fn parameters(raw: &mut Value) -> Vec<(String, &mut Map<String, Value>)> {
    let Value::Object(root) = raw else {
        return Vec::new();
    };
    let mut lists: Vec<(String, &mut Value)> = Vec::new();
    let mut out = Vec::new();
    for (key, value) in root.iter_mut() {
        match (key.as_str(), value) {
            ("paths", Value::Object(paths)) => {
                for (path, item) in paths.iter_mut() {
                    let Value::Object(item) = item else { continue };
                    let item_pointer = format!("/paths/{}", escape_pointer(path));
                    for (key, value) in item.iter_mut() {
                        if key == "parameters" {
                            lists.push((format!("{item_pointer}/parameters"), value));
                        } else if let (Some(_), Value::Object(op)) =
                            (HttpMethod::from_key(key), value)
                        {
                            if let Some(list) = op.get_mut("parameters") {
                                lists.push((format!("{item_pointer}/{key}/parameters"), list));
                            }
                        }
                    }
                }
            }
            ("components", Value::Object(components)) => {
                if let Some(Value::Object(named)) = components.get_mut("parameters") {
                    for (name, parameter) in named.iter_mut() {
                        if let Value::Object(parameter) = parameter {
                            let pointer =
                                format!("/components/parameters/{}", escape_pointer(name));
                            out.push((pointer, parameter));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for (pointer, list) in lists {
        let Value::Array(list) = list else { continue };
        for (index, parameter) in list.iter_mut().enumerate() {
            if let Value::Object(parameter) = parameter {
                out.push((format!("{pointer}/{index}"), parameter));
            }
        }
    }
    out
}

/// A parameter may give its type through `content` (one media type and its schema) instead of
/// `schema`; the generator does not serialize such parameters, but their schema compares like
/// any other.
fn type_by_content(pointer: &str, parameter: &mut Map<String, Value>, notes: &mut Vec<Note>) {
    if parameter.contains_key("schema") || parameter.contains_key("$ref") {
        return;
    }
    let Some(Value::Object(content)) = parameter.get("content") else {
        return;
    };
    let Some((media_type, schema)) = content
        .iter()
        .find_map(|(media_type, entry)| Some((media_type.clone(), entry.get("schema")?.clone())))
    else {
        return;
    };
    let name = parameter
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    notes.push(Note {
        pointer: pointer.to_owned(),
        message: format!(
            "parameter `{name}` is typed by its `{media_type}` content; compared by that schema"
        ),
    });
    parameter.remove("content");
    parameter.insert("schema".to_owned(), schema);
}

/// The generator names a method after the `operationId`; a differ only needs to tell
/// operations apart, which their method and path do. The id given (`GET /things/{id}`) is the
/// name reports use.
fn name_by_method_and_path(pointer: &str, op: &mut Map<String, Value>, notes: &mut Vec<Note>) {
    if op.contains_key("operationId") {
        return;
    }
    let (path, method) = pointer
        .strip_prefix("/paths/")
        .and_then(|rest| rest.rsplit_once('/'))
        .unwrap_or_default();
    let id = format!(
        "{} {}",
        method.to_ascii_uppercase(),
        load::unescape_pointer(path)
    );
    notes.push(Note {
        pointer: pointer.to_owned(),
        message: format!("operation has no `operationId`; compared as `{id}`"),
    });
    op.insert("operationId".to_owned(), Value::String(id));
}

/// OpenAPI requires `responses`; a document without them still says what the operation takes,
/// which can be compared, and documents no answer.
fn answer_nothing_documented(pointer: &str, op: &mut Map<String, Value>, notes: &mut Vec<Note>) {
    if op.contains_key("responses") {
        return;
    }
    notes.push(Note {
        pointer: pointer.to_owned(),
        message: "operation has no `responses`; compared as documenting no answer".to_owned(),
    });
    op.insert("responses".to_owned(), Value::Object(Map::new()));
}

/// A response's `description` is prose, which the differ does not compare; one that lacks it
/// is read as having an empty one.
fn describe_responses(pointer: &str, responses: Option<&mut Value>, notes: &mut Vec<Note>) {
    let Some(Value::Object(responses)) = responses else {
        return;
    };
    for (status, response) in responses.iter_mut() {
        let Value::Object(response) = response else {
            continue;
        };
        if status.starts_with("x-")
            || response.contains_key("$ref")
            || response.contains_key("description")
        {
            continue;
        }
        notes.push(Note {
            pointer: format!("{pointer}/{}", escape_pointer(status)),
            message: "response has no `description`; read as an empty one".to_owned(),
        });
        response.insert("description".to_owned(), Value::String(String::new()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get:
      responses:
        '200': {content: {application/json: {schema: {type: string}}}}
    delete: {}
  /other:
    post:
      operationId: makeOther
      parameters:
        - name: filter
          in: query
          content: {application/json: {schema: {type: integer}}}
      responses: {'204': {description: done}}
components:
  responses:
    Missing: {content: {application/json: {schema: {type: string}}}}
"#;

    #[test]
    fn gaps_a_differ_can_live_with_are_filled_with_a_note_each() {
        let read = load_text("spec.yaml", SPEC.to_owned(), Format::Yaml).unwrap();
        let ids: Vec<&str> = read
            .model
            .operations
            .iter()
            .map(|o| o.id.as_str())
            .collect();
        assert_eq!(
            ids,
            ["DELETE /things/{id}", "GET /things/{id}", "makeOther"]
        );
        let notes: Vec<(&str, &str)> = read
            .notes
            .iter()
            .map(|n| (n.pointer.as_str(), n.message.as_str()))
            .collect();
        assert_eq!(
            notes,
            [
                (
                    "/paths/~1other/post/parameters/0",
                    "parameter `filter` is typed by its `application/json` content; compared by that schema"
                ),
                (
                    "/paths/~1things~1{id}/delete",
                    "operation has no `operationId`; compared as `DELETE /things/{id}`"
                ),
                (
                    "/paths/~1things~1{id}/delete",
                    "operation has no `responses`; compared as documenting no answer"
                ),
                (
                    "/paths/~1things~1{id}/get",
                    "operation has no `operationId`; compared as `GET /things/{id}`"
                ),
                (
                    "/paths/~1things~1{id}/get/responses/200",
                    "response has no `description`; read as an empty one"
                ),
                (
                    "/components/responses/Missing",
                    "response has no `description`; read as an empty one"
                ),
            ]
        );
    }

    #[test]
    fn the_generator_still_refuses_what_the_differ_reads() {
        let strict = load::load_text("spec.yaml", SPEC.to_owned(), Format::Yaml);
        assert!(strict.is_err());
    }
}
