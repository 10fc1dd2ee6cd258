//! Keys: a key OpenAPI 3.0 does not define in an object where it defines the keys (`descripton:`
//! in a schema) is ignored by every reader, so the spec does not say what its author meant. Each
//! gets a note with the nearest defined key.

use crate::load::escape_pointer;
use crate::model::Note;
use serde_json::{Map, Value};

/// The kinds of OpenAPI objects whose keys are checked, each with the keys it defines.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Root,
    Info,
    Server,
    PathItem,
    Operation,
    Parameter,
    Header,
    RequestBody,
    Response,
    MediaType,
    Components,
    Schema,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Root => "the document",
            Kind::Info => "`info`",
            Kind::Server => "a server",
            Kind::PathItem => "a path item",
            Kind::Operation => "an operation",
            Kind::Parameter => "a parameter",
            Kind::Header => "a header",
            Kind::RequestBody => "a request body",
            Kind::Response => "a response",
            Kind::MediaType => "a media type",
            Kind::Components => "`components`",
            Kind::Schema => "a schema",
        }
    }

    fn keys(self) -> &'static [&'static str] {
        match self {
            Kind::Root => &[
                "openapi",
                "info",
                "servers",
                "paths",
                "components",
                "security",
                "tags",
                "externalDocs",
            ],
            Kind::Info => &[
                "title",
                "description",
                "termsOfService",
                "contact",
                "license",
                "version",
            ],
            Kind::Server => &["url", "description", "variables"],
            Kind::PathItem => &[
                "$ref",
                "summary",
                "description",
                "get",
                "put",
                "post",
                "delete",
                "options",
                "head",
                "patch",
                "trace",
                "servers",
                "parameters",
            ],
            Kind::Operation => &[
                "tags",
                "summary",
                "description",
                "externalDocs",
                "operationId",
                "parameters",
                "requestBody",
                "responses",
                "callbacks",
                "deprecated",
                "security",
                "servers",
            ],
            Kind::Parameter => &[
                "name",
                "in",
                "description",
                "required",
                "deprecated",
                "allowEmptyValue",
                "style",
                "explode",
                "allowReserved",
                "schema",
                "example",
                "examples",
                "content",
            ],
            Kind::Header => &[
                "description",
                "required",
                "deprecated",
                "allowEmptyValue",
                "style",
                "explode",
                "allowReserved",
                "schema",
                "example",
                "examples",
                "content",
            ],
            Kind::RequestBody => &["description", "content", "required"],
            Kind::Response => &["description", "headers", "content", "links"],
            Kind::MediaType => &["schema", "example", "examples", "encoding"],
            Kind::Components => &[
                "schemas",
                "responses",
                "parameters",
                "examples",
                "requestBodies",
                "headers",
                "securitySchemes",
                "links",
                "callbacks",
            ],
            Kind::Schema => &[
                "title",
                "multipleOf",
                "maximum",
                "exclusiveMaximum",
                "minimum",
                "exclusiveMinimum",
                "maxLength",
                "minLength",
                "pattern",
                "maxItems",
                "minItems",
                "uniqueItems",
                "maxProperties",
                "minProperties",
                "required",
                "enum",
                "type",
                "allOf",
                "oneOf",
                "anyOf",
                "not",
                "items",
                "properties",
                "additionalProperties",
                "description",
                "format",
                "default",
                "nullable",
                "discriminator",
                "readOnly",
                "writeOnly",
                "xml",
                "externalDocs",
                "example",
                "deprecated",
            ],
        }
    }
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A note for every key of an OpenAPI object that OpenAPI 3.0 does not define, in document
/// order.
pub(super) fn unknown_keys(raw: &Value) -> Vec<Note> {
    let mut notes = Vec::new();
    visit(raw, Kind::Root, "", &mut notes);
    notes
}

fn visit(node: &Value, kind: Kind, pointer: &str, notes: &mut Vec<Note>) {
    let Some(map) = node.as_object() else {
        return;
    };
    // A reference's siblings are ignored by OpenAPI 3.0; what it refers to is checked where it
    // is defined.
    if map.contains_key("$ref") && !matches!(kind, Kind::PathItem) {
        return;
    }
    let allowed = kind.keys();
    for key in map.keys() {
        if key.starts_with("x-") || allowed.contains(&key.as_str()) {
            continue;
        }
        let nearest = crate::names::nearest(key, allowed)
            .map(|k| format!("; did you mean `{k}`?"))
            .unwrap_or_default();
        notes.push(Note {
            pointer: format!("{pointer}/{}", escape_pointer(key)),
            message: format!(
                "`{key}` is not a key of {} in OpenAPI 3.0 and is ignored{nearest}",
                kind.name()
            ),
        });
    }
    let at = |key: &str| format!("{pointer}/{}", escape_pointer(key));
    let each = |key: &str, kind: Kind, notes: &mut Vec<Note>| {
        for_each_entry(map.get(key), &at(key), |entry, here| {
            visit(entry, kind, here, notes)
        });
    };
    match kind {
        Kind::Root => {
            visit_child(map, "info", Kind::Info, pointer, notes);
            each("servers", Kind::Server, notes);
            each("paths", Kind::PathItem, notes);
            visit_child(map, "components", Kind::Components, pointer, notes);
        }
        Kind::PathItem => {
            for method in METHODS {
                visit_child(map, method, Kind::Operation, pointer, notes);
            }
            each("parameters", Kind::Parameter, notes);
            each("servers", Kind::Server, notes);
        }
        Kind::Operation => {
            each("parameters", Kind::Parameter, notes);
            visit_child(map, "requestBody", Kind::RequestBody, pointer, notes);
            each("responses", Kind::Response, notes);
            each("servers", Kind::Server, notes);
        }
        Kind::Parameter | Kind::Header => {
            visit_child(map, "schema", Kind::Schema, pointer, notes);
            each("content", Kind::MediaType, notes);
        }
        Kind::RequestBody => each("content", Kind::MediaType, notes),
        Kind::Response => {
            each("headers", Kind::Header, notes);
            each("content", Kind::MediaType, notes);
        }
        Kind::MediaType => visit_child(map, "schema", Kind::Schema, pointer, notes),
        Kind::Components => {
            each("schemas", Kind::Schema, notes);
            each("responses", Kind::Response, notes);
            each("parameters", Kind::Parameter, notes);
            each("requestBodies", Kind::RequestBody, notes);
            each("headers", Kind::Header, notes);
        }
        Kind::Schema => {
            each("properties", Kind::Schema, notes);
            each("allOf", Kind::Schema, notes);
            each("oneOf", Kind::Schema, notes);
            each("anyOf", Kind::Schema, notes);
            for key in ["items", "not", "additionalProperties"] {
                visit_child(map, key, Kind::Schema, pointer, notes);
            }
        }
        Kind::Info | Kind::Server => {}
    }
}

fn visit_child(
    map: &Map<String, Value>,
    key: &str,
    kind: Kind,
    pointer: &str,
    notes: &mut Vec<Note>,
) {
    if let Some(child) = map.get(key) {
        visit(
            child,
            kind,
            &format!("{pointer}/{}", escape_pointer(key)),
            notes,
        );
    }
}

/// Calls `f` on each entry of a list, or each value of a map whose keys are names (skipping
/// extensions beside them).
fn for_each_entry(node: Option<&Value>, pointer: &str, mut f: impl FnMut(&Value, &str)) {
    match node {
        Some(Value::Array(items)) => {
            for (index, item) in items.iter().enumerate() {
                f(item, &format!("{pointer}/{index}"));
            }
        }
        Some(Value::Object(entries)) => {
            for (name, entry) in entries {
                if !name.starts_with("x-") || pointer.ends_with("/properties") {
                    f(entry, &format!("{pointer}/{}", escape_pointer(name)));
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::unknown_keys;

    #[test]
    fn misspelt_keys_are_noted_with_the_nearest_key() {
        let raw: serde_json::Value = serde_yaml::from_str(
            r#"
openapi: 3.0.3
info: {title: t, version: '1', x-logo: fine}
paths:
  /a:
    get:
      operationId: a
      sumary: typo
      parameters:
        - {name: p, in: query, schema: {type: string}, requird: true}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  descripton: {type: string, descripton: typo}
                  zzz: {$ref: '#/components/schemas/A', whatever: ignored}
components:
  schemas:
    A: {type: object, additionalProperties: {type: strin, maxLenght: 3}}
"#,
        )
        .unwrap();
        let notes: Vec<(String, String)> = unknown_keys(&raw)
            .into_iter()
            .map(|n| (n.pointer, n.message))
            .collect();
        let at = |p: &str, m: &str| (p.to_owned(), m.to_owned());
        assert_eq!(
            notes,
            [
                at(
                    "/paths/~1a/get/sumary",
                    "`sumary` is not a key of an operation in OpenAPI 3.0 and is ignored; did you mean `summary`?"
                ),
                at(
                    "/paths/~1a/get/parameters/0/requird",
                    "`requird` is not a key of a parameter in OpenAPI 3.0 and is ignored; did you mean `required`?"
                ),
                at(
                    "/paths/~1a/get/responses/200/content/application~1json/schema/properties/descripton/descripton",
                    "`descripton` is not a key of a schema in OpenAPI 3.0 and is ignored; did you mean `description`?"
                ),
                at(
                    "/components/schemas/A/additionalProperties/maxLenght",
                    "`maxLenght` is not a key of a schema in OpenAPI 3.0 and is ignored; did you mean `maxLength`?"
                ),
            ]
        );
    }
}
