//! Parameters the generator's model has no place for, rewritten into ones it has before the
//! spec is read, so that the differ compares them like any parameter:
//!
//! - a cookie parameter (the generator refuses a spec that declares one) becomes a header
//!   parameter under a marked name ([`MARKER`]), reported as the cookie parameter it is;
//! - an object query parameter in the `deepObject` style (which the model types as any JSON
//!   value) becomes what it is on the wire, one query parameter per property: `filter[state]`.
//!
//! A spec with neither is read as it is, once.

use codegen::lenient::Lenient;
use codegen::load::{read_text, Format};
use serde_json::{Map, Value};
use std::path::Path;

/// The start of a header parameter's name that stands for a cookie parameter. A header name
/// cannot hold `:`, so no real header has it.
pub(crate) const MARKER: &str = "cookie:";

/// The cookie parameter a marked header parameter stands for.
pub(crate) fn cookie_name(header: &str) -> Option<&str> {
    header.strip_prefix(MARKER)
}

/// [`codegen::lenient::load_file`], with cookie parameters read as marked header parameters.
pub(crate) fn load_file(path: &Path) -> Result<Lenient, codegen::error::CodegenError> {
    let (text, format) = read_text(path)?;
    let file = path.display().to_string();
    // Most specs have neither: they are read once, as they are.
    if !text.contains("cookie") && !text.contains("deepObject") {
        return codegen::lenient::load_text(&file, text, format);
    }
    let raw = match format {
        Format::Json => serde_json::from_str::<Value>(&text).ok(),
        Format::Yaml => serde_yaml::from_str::<serde_yaml::Value>(&text)
            .ok()
            .map(json_of),
    };
    let Some(mut raw) = raw else {
        // Malformed: the ordinary reading says where.
        return codegen::lenient::load_text(&file, text, format);
    };
    if mark_cookies(&mut raw) + flatten_deep_objects(&mut raw) == 0 {
        return codegen::lenient::load_text(&file, text, format);
    }
    let json = serde_json::to_string(&raw).expect("a JSON value always serializes");
    codegen::lenient::load_text(&file, json, Format::Json)
}

/// A YAML tree as JSON, keys as strings (`200:` is the key `"200"`, as OpenAPI means it).
fn json_of(yaml: serde_yaml::Value) -> Value {
    use serde_yaml::Value as Y;
    match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => serde_json::to_value(&n).unwrap_or(Value::Null),
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(json_of).collect()),
        Y::Mapping(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s,
                        Y::Bool(b) => b.to_string(),
                        Y::Number(n) => n.to_string(),
                        other => serde_yaml::to_string(&other)
                            .unwrap_or_default()
                            .trim()
                            .to_owned(),
                    };
                    (key, json_of(v))
                })
                .collect::<Map<_, _>>(),
        ),
        Y::Tagged(tagged) => json_of(tagged.value),
    }
}

/// Turns every cookie parameter (of a path, an operation, or `components/parameters`) into a
/// marked header parameter; returns how many there were.
fn mark_cookies(raw: &mut Value) -> usize {
    let mut count = 0;
    let mut mark = |parameter: &mut Value| {
        if parameter.get("in").and_then(Value::as_str) != Some("cookie") {
            return;
        }
        let name = parameter
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        parameter["in"] = Value::String("header".to_owned());
        parameter["name"] = Value::String(format!("{MARKER}{name}"));
        count += 1;
    };
    if let Some(Value::Object(paths)) = raw.get_mut("paths") {
        for item in paths.values_mut() {
            let Value::Object(item) = item else { continue };
            for (key, value) in item.iter_mut() {
                let list = if key == "parameters" {
                    Some(value)
                } else {
                    value.get_mut("parameters")
                };
                if let Some(Value::Array(list)) = list {
                    list.iter_mut().for_each(&mut mark);
                }
            }
        }
    }
    if let Some(Value::Object(parameters)) = raw
        .get_mut("components")
        .and_then(|c| c.get_mut("parameters"))
    {
        parameters.values_mut().for_each(&mut mark);
    }
    count
}

/// The query parameter a flattened `deepObject` property stands for (`filter[state]` →
/// `filter`).
pub(crate) fn deep_object_parent(name: &str) -> Option<&str> {
    name.strip_suffix(']')
        .and_then(|rest| rest.split_once('['))
        .map(|(parent, _)| parent)
}

/// Replaces every `deepObject` query parameter whose schema is an object with properties by one
/// query parameter per property, as it is sent (`filter[state]=open`): required when the object
/// is and lists the property as required. Returns how many were replaced.
fn flatten_deep_objects(raw: &mut Value) -> usize {
    let snapshot = raw.clone();
    let mut count = 0;
    let Some(Value::Object(paths)) = raw.get_mut("paths") else {
        return 0;
    };
    for item in paths.values_mut() {
        let Value::Object(item) = item else { continue };
        for (key, value) in item.iter_mut() {
            let list = if key == "parameters" {
                Some(value)
            } else {
                value.get_mut("parameters")
            };
            let Some(Value::Array(list)) = list else {
                continue;
            };
            let mut flat = Vec::with_capacity(list.len());
            for listed in list.drain(..) {
                match expand(&snapshot, &listed) {
                    Some(properties) => {
                        count += 1;
                        flat.extend(properties);
                    }
                    None => flat.push(listed),
                }
            }
            *list = flat;
        }
    }
    count
}

/// The parameters a `deepObject` parameter is sent as, if `listed` is one.
fn expand(raw: &Value, listed: &Value) -> Option<Vec<Value>> {
    let parameter = resolve(raw, listed)?;
    if parameter.get("in")?.as_str()? != "query"
        || parameter.get("style")?.as_str()? != "deepObject"
    {
        return None;
    }
    let schema = resolve(raw, parameter.get("schema")?)?;
    let properties = schema.get("properties")?.as_object()?;
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let name = parameter.get("name")?.as_str()?;
    let object_required = parameter.get("required").and_then(Value::as_bool) == Some(true);
    let deprecated = parameter.get("deprecated").and_then(Value::as_bool) == Some(true);
    Some(
        properties
            .iter()
            .map(|(property, schema)| {
                let mut flat = serde_json::json!({
                    "name": format!("{name}[{property}]"),
                    "in": "query",
                    "required": object_required && required.contains(&property.as_str()),
                    "schema": schema,
                });
                if deprecated {
                    flat["deprecated"] = Value::Bool(true);
                }
                flat
            })
            .collect(),
    )
}

/// `value`, or what its local `$ref` points at (one step).
fn resolve<'v>(raw: &'v Value, value: &'v Value) -> Option<&'v Value> {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => raw.pointer(reference.strip_prefix('#')?),
        None => Some(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_parameters_become_marked_headers() {
        let mut raw = serde_json::json!({
            "paths": {"/a": {
                "parameters": [{"name": "theme", "in": "cookie"}],
                "get": {"parameters": [
                    {"name": "session", "in": "cookie"},
                    {"name": "q", "in": "query"}
                ]}
            }},
            "components": {"parameters": {"p": {"name": "lang", "in": "cookie"}}}
        });
        assert_eq!(mark_cookies(&mut raw), 3);
        assert_eq!(raw["paths"]["/a"]["get"]["parameters"][0]["in"], "header");
        assert_eq!(
            raw["paths"]["/a"]["get"]["parameters"][0]["name"],
            "cookie:session"
        );
        assert_eq!(raw["paths"]["/a"]["get"]["parameters"][1]["in"], "query");
        assert_eq!(raw["components"]["parameters"]["p"]["name"], "cookie:lang");
        assert_eq!(cookie_name("cookie:lang"), Some("lang"));
        assert_eq!(cookie_name("X-Lang"), None);
    }

    #[test]
    fn deep_objects_are_sent_as_one_parameter_per_property() {
        let mut raw = serde_json::json!({
            "paths": {"/a": {"get": {"parameters": [
                {"$ref": "#/components/parameters/filter"},
                {"name": "q", "in": "query", "schema": {"type": "string"}}
            ]}}},
            "components": {
                "parameters": {"filter": {
                    "name": "filter", "in": "query", "style": "deepObject", "required": true,
                    "schema": {"$ref": "#/components/schemas/Filter"}
                }},
                "schemas": {"Filter": {
                    "type": "object", "required": ["state"],
                    "properties": {"state": {"type": "string"}, "owner": {"type": "string"}}
                }}
            }
        });
        assert_eq!(flatten_deep_objects(&mut raw), 1);
        let list = raw["paths"]["/a"]["get"]["parameters"].as_array().unwrap();
        let names: Vec<&str> = list.iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["filter[owner]", "filter[state]", "q"]);
        assert_eq!(list[0]["required"], false);
        assert_eq!(list[1]["required"], true);
        assert_eq!(deep_object_parent("filter[state]"), Some("filter"));
        assert_eq!(deep_object_parent("filter"), None);
    }

    #[test]
    fn yaml_keys_read_as_openapi_means_them() {
        let yaml: serde_yaml::Value =
            serde_yaml::from_str("responses:\n  200:\n    description: OK\n").unwrap();
        assert_eq!(
            json_of(yaml),
            serde_json::json!({"responses": {"200": {"description": "OK"}}})
        );
    }
}
