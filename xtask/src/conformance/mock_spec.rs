//! The spec Prism mocks: the spec's own tree, except where Prism 5.16 reads a document
//! differently from OpenAPI 3.0 and the difference can be removed without changing what the
//! document means to the standard.
//!
//! Two such places are known. First, Prism matches a request's `Content-Type` to the body's
//! media types by type and suffix alone, so `application/vnd.atlas.2024-05-30+json` matches
//! `application/vnd.atlas.2023-01-01+json` and Prism checks every versioned body against the
//! schema of the media type listed first. A `content` map has no order in OpenAPI, so the
//! written spec lists the version the driver sends first: the newest released one (an
//! operation with only unreleased versions is called pinned to its newest).
//!
//! Second, a form body's array property without an `encoding` entry (or one given through a
//! `$ref`, or `nullable`: see [`write_out_form_encodings`]). OpenAPI
//! gives it `style: form` with `explode: true` (the key repeated, `To=a&To=b`), but Prism
//! applies a style only when the spec names one and otherwise reads the last value alone as a
//! string ("must be array"). The entry written also allows reserved characters: Prism checks
//! them only for properties that have an entry (none on the spec as written), and reads the
//! `+` that form encoding uses for a space as one, so without it each such property would be
//! refused for a space in its value.
//!
//! Third, a base schema whose subtypes are named only by its discriminator's `mapping` (each
//! subtype is `allOf: [base, ...]`, and the base has no `oneOf`): OpenAPI reads a value of the
//! base as the subtype its tag maps to, but Prism's generator writes the base alone, with any
//! tag and none of the subtype's required properties (Atlas's export buckets). See
//! [`write_out_mapped_subtypes`].

use super::samples::follow_refs;
use codegen::load::escape_pointer;
use serde_json::{json, Map, Value};

const FORM: &str = "application/x-www-form-urlencoded";

/// For a base whose discriminator maps tags to subtypes: where a schema outside the subtypes
/// refers to the base and the base has no `oneOf` of its own, writes the `oneOf` of those
/// subtypes instead; in each subtype, pins the tag to the value that maps to it, and replaces
/// the subtype's `allOf` reference to the base by a copy of the base that chooses no branch.
/// This is what the mapping means to OpenAPI (a value of the base is the subtype its tag
/// names); written out, Prism generates a whole subtype with its own tag, checks a request
/// against the subtype it claims to be, and no longer recurses without end through a base
/// whose `oneOf` lists subtypes that extend it (Atlas's copy policy items). Returns how many
/// references outside the subtypes it replaced.
pub fn write_out_mapped_subtypes(spec: &mut Value) -> usize {
    let Some(schemas) = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return 0;
    };
    // Base reference, tag property, and each subtype's reference with the tags that map to it.
    type Base = (String, String, Vec<(String, Vec<String>)>);
    let mut bases: Vec<Base> = Vec::new();
    for (name, schema) in schemas {
        let Some(discriminator) = schema.get("discriminator") else {
            continue;
        };
        let (Some(property), Some(mapping)) = (
            discriminator.get("propertyName").and_then(Value::as_str),
            discriminator.get("mapping").and_then(Value::as_object),
        ) else {
            continue;
        };
        let base = format!("#/components/schemas/{name}");
        let mut subtypes: Vec<(String, Vec<String>)> = Vec::new();
        for (tag, target) in mapping {
            let Some(target) = target.as_str().filter(|t| *t != base) else {
                continue;
            };
            match subtypes.iter_mut().find(|(t, _)| t == target) {
                Some((_, tags)) => tags.push(tag.clone()),
                None => subtypes.push((target.to_owned(), vec![tag.clone()])),
            }
        }
        if !subtypes.is_empty() {
            bases.push((base, property.to_owned(), subtypes));
        }
    }
    let mut replaced = 0;
    for (base, property, subtypes) in &bases {
        let subtype_names: Vec<&str> = subtypes
            .iter()
            .map(|(target, _)| base_name(target))
            .collect();
        // Outside the subtypes, a reference to the base becomes the `oneOf` of its subtypes,
        // also where the base lists them itself: Prism's generator merges the base's own tag
        // enum into the branch it picks, and so writes tags of another branch.
        let one_of = serde_json::json!({
            "oneOf": subtypes
                .iter()
                .map(|(target, _)| serde_json::json!({ "$ref": target }))
                .collect::<Vec<_>>()
        });
        let Some(Value::Object(schemas)) = spec.pointer_mut("/components/schemas") else {
            return replaced;
        };
        for (name, schema) in schemas.iter_mut() {
            if !subtype_names.contains(&name.as_str()) && name != base_name(base) {
                replaced += replace_refs(schema, base, &one_of);
            }
        }
        if let Some(paths) = spec.get_mut("paths") {
            replaced += replace_refs(paths, base, &one_of);
        }
        // Each subtype's tag is one of the values that map to it, written where the subtype takes
        // it from: its own properties, or a copy of the base in its `allOf` (Prism's generator
        // does not intersect the base's enum with a narrower one written beside it).
        let base_schema = spec
            .pointer(&format!("/components/schemas/{}", base_name(base)))
            .cloned()
            .unwrap_or(Value::Null);
        for (target, tags) in subtypes {
            let name = base_name(target);
            let pinned = serde_json::json!({ "type": "string", "enum": tags });
            let Some(subtype) = spec.pointer_mut(&format!("/components/schemas/{name}")) else {
                continue;
            };
            pin(subtype, property, &pinned);
            for part in subtype
                .get_mut("allOf")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                if part.get("$ref").and_then(Value::as_str) == Some(base.as_str()) {
                    let mut copy = base_schema.clone();
                    // The subtype is already the branch: the copy chooses none again, which
                    // also ends the loop a base listing its own extensions would be.
                    if let Some(object) = copy.as_object_mut() {
                        for keyword in ["discriminator", "oneOf", "anyOf"] {
                            object.remove(keyword);
                        }
                    }
                    *part = copy;
                }
                pin(part, property, &pinned);
            }
        }
    }
    replaced
}

/// Pins the tags of the subtypes of a discriminated union written inline (a property's
/// `oneOf` with a `discriminator`, such as Atlas Search's tokenizers): Prism counts the
/// branches a value matches, ignoring the discriminator, so subtypes that accept any tag all
/// match. Returns how many subtypes it pinned.
pub fn pin_inline_unions(spec: &mut Value) -> usize {
    /// A union's tag property, and each subtype's reference with the tags that map to it.
    type Union = (String, Vec<(String, Vec<String>)>);
    fn collect(value: &Value, top: bool, out: &mut Vec<Union>) {
        match value {
            Value::Object(map) => {
                if !top && (map.contains_key("oneOf") || map.contains_key("anyOf")) {
                    let discriminator = map.get("discriminator");
                    let property = discriminator
                        .and_then(|d| d.get("propertyName"))
                        .and_then(Value::as_str);
                    let mapping = discriminator
                        .and_then(|d| d.get("mapping"))
                        .and_then(Value::as_object);
                    if let (Some(property), Some(mapping)) = (property, mapping) {
                        let mut subtypes: Vec<(String, Vec<String>)> = Vec::new();
                        for (tag, target) in mapping {
                            let Some(target) = target.as_str() else {
                                continue;
                            };
                            match subtypes.iter_mut().find(|(t, _)| t == target) {
                                Some((_, tags)) => tags.push(tag.clone()),
                                None => subtypes.push((target.to_owned(), vec![tag.clone()])),
                            }
                        }
                        out.push((property.to_owned(), subtypes));
                    }
                }
                for item in map.values() {
                    collect(item, false, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| collect(v, false, out)),
            _ => {}
        }
    }
    let mut unions = Vec::new();
    // Component schemas themselves are the bases handled above; their insides and the paths'
    // schemas are searched.
    if let Some(schemas) = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for schema in schemas.values() {
            collect(schema, true, &mut unions);
        }
    }
    if let Some(paths) = spec.get("paths") {
        collect(paths, false, &mut unions);
    }
    let mut pinned = 0;
    for (property, subtypes) in unions {
        for (target, tags) in subtypes {
            let pointer = format!("/components/schemas/{}", base_name(&target));
            let Some(subtype) = spec.pointer_mut(&pointer) else {
                continue;
            };
            let narrowed = serde_json::json!({ "type": "string", "enum": tags });
            pin(subtype, &property, &narrowed);
            for part in subtype
                .get_mut("allOf")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                pin(part, &property, &narrowed);
            }
            pinned += 1;
        }
    }
    pinned
}

/// Turns the named groups of the spec's patterns (`(?<cn>CN=...)`) into groups without a
/// name. Prism's data generator (randexp) cannot parse a named group and answers 500
/// (`Invalid group, character '<' after '?'`) for every schema that holds one (Atlas's LDAP
/// and X.509 settings); a name does not change what a pattern matches, unless it is referred
/// to (`\k<name>`), and such patterns are left alone. Returns how many patterns it rewrote.
pub fn unname_pattern_groups(spec: &mut Value) -> usize {
    match spec {
        Value::Object(map) => {
            let mut rewritten = 0;
            for (key, value) in map.iter_mut() {
                match (key.as_str(), value) {
                    ("example" | "examples" | "default" | "enum", _) => {}
                    ("pattern", Value::String(pattern)) => {
                        if let Some(plain) = without_group_names(pattern) {
                            *pattern = plain;
                            rewritten += 1;
                        }
                    }
                    (_, value) => rewritten += unname_pattern_groups(value),
                }
            }
            rewritten
        }
        Value::Array(items) => items.iter_mut().map(unname_pattern_groups).sum(),
        _ => 0,
    }
}

/// `pattern` with each `(?<name>` written `(?:`, or `None` when it names no group or refers
/// to one by name. Look-behinds (`(?<=`, `(?<!`) are not names.
fn without_group_names(pattern: &str) -> Option<String> {
    if pattern.contains("\\k<") {
        return None;
    }
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    let mut changed = false;
    while let Some(at) = rest.find("(?<") {
        let (before, after) = rest.split_at(at);
        out.push_str(before);
        let tail = &after[3..];
        let name_len = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(tail.len());
        // A group opened by an escaped parenthesis (`\(?<`) is text, not a group.
        let escaped = before.ends_with('\\') && !before.ends_with("\\\\");
        if name_len > 0 && tail[name_len..].starts_with('>') && !escaped {
            out.push_str("(?:");
            rest = &tail[name_len + 1..];
            changed = true;
        } else {
            out.push_str("(?<");
            rest = tail;
        }
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// The name of a schema from its reference.
fn base_name(reference: &str) -> &str {
    reference
        .strip_prefix("#/components/schemas/")
        .unwrap_or(reference)
}

/// Narrows the tag property of `schema`, where it declares one, to the subtype's tag.
fn pin(schema: &mut Value, property: &str, pinned: &Value) {
    if let Some(declared) = schema
        .get_mut("properties")
        .and_then(|p| p.get_mut(property))
    {
        *declared = pinned.clone();
    }
}

/// Replaces each `{"$ref": base}` under `value` by `with`; returns how many.
fn replace_refs(value: &mut Value, base: &str, with: &Value) -> usize {
    match value {
        Value::Object(map) => {
            if map.len() == 1 && map.get("$ref").and_then(Value::as_str) == Some(base) {
                *value = with.clone();
                return 1;
            }
            map.values_mut().map(|v| replace_refs(v, base, with)).sum()
        }
        Value::Array(items) => items.iter_mut().map(|v| replace_refs(v, base, with)).sum(),
        _ => 0,
    }
}

/// Writes out the default encoding of each array property of a form body that has none;
/// returns how many entries it added.
pub fn write_out_form_encodings(spec: &mut Value) -> usize {
    // Request bodies can be shared through `components/requestBodies`, and their schemas
    // through `components/schemas`: collect the form media types' pointers first, then edit.
    let mut media_pointers = Vec::new();
    let methods = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    for (path, item) in spec
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for method in methods {
            let Some(body) = item.get(method).and_then(|op| op.get("requestBody")) else {
                continue;
            };
            let pointer = match body.get("$ref").and_then(Value::as_str) {
                Some(reference) => reference.trim_start_matches('#').to_owned(),
                None => format!("/paths/{}/{method}/requestBody", escape_pointer(path)),
            };
            media_pointers.push(format!("{pointer}/content/{}", escape_pointer(FORM)));
        }
    }
    media_pointers.sort();
    media_pointers.dedup();
    let mut added = 0;
    for pointer in media_pointers {
        let Some(FormArrays {
            schema_pointer,
            properties: arrays,
        }) = array_properties(spec, &pointer)
        else {
            continue;
        };
        // Prism reads a property's style with its schema's `type`, without following a
        // `$ref`: such a property gets the schema it refers to written in its place. It also
        // reads `nullable` as a second type, after which the style no longer applies; a form
        // body cannot carry a null, so the word says nothing there and is left out.
        for (property, resolved) in &arrays {
            let at = format!("{schema_pointer}/properties/{}", escape_pointer(property));
            let Some(slot) = spec.pointer_mut(&at) else {
                continue;
            };
            if let Some(resolved) = resolved {
                *slot = resolved.clone();
            }
            if let Some(schema) = slot.as_object_mut() {
                schema.remove("nullable");
            }
        }
        let Some(media) = spec.pointer_mut(&pointer).and_then(Value::as_object_mut) else {
            continue;
        };
        let encoding = media
            .entry("encoding")
            .or_insert_with(|| Value::Object(Map::new()));
        let Some(encoding) = encoding.as_object_mut() else {
            continue;
        };
        for (property, _) in arrays {
            if !encoding.contains_key(&property) {
                encoding.insert(property, written_out());
                added += 1;
            }
        }
    }
    added
}

/// The spec as JSON, each `content` map's versioned media types in the order the driver sends
/// them (see the module's docs). `serde_json` keeps object keys sorted, and its ordered map
/// would change key order for every crate of the workspace that shares the build, so this
/// writer orders those maps itself and leaves every other map as it is.
pub fn to_json(spec: &Value) -> String {
    let mut out = String::new();
    write(spec, false, &mut out);
    out
}

fn write(value: &Value, is_content: bool, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            if is_content {
                entries.sort_by_key(|(media_type, _)| sending_order(media_type));
            }
            out.push('{');
            for (index, (key, value)) in entries.into_iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write(value, key == "content", out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write(item, false, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// Released versions newest first, then unreleased ones newest first, then the rest.
fn sending_order(media_type: &str) -> (u8, std::cmp::Reverse<String>) {
    match codegen::dialect::media_type_version(media_type) {
        Some(v) if !codegen::dialect::is_unreleased(v) => (0, std::cmp::Reverse(v.to_owned())),
        Some(v) => (1, std::cmp::Reverse(v.to_owned())),
        None => (2, std::cmp::Reverse(String::new())),
    }
}

/// OpenAPI's default encoding of a form array, and Prism's default reading of reserved
/// characters where a property has no encoding entry.
fn written_out() -> Value {
    json!({ "style": "form", "explode": true, "allowReserved": true })
}

/// The array properties of a form body's schema.
struct FormArrays {
    /// Where the schema is, its `$ref`s followed.
    schema_pointer: String,
    /// Each property whose schema is an array, with that schema when the property refers to
    /// it through a `$ref`.
    properties: Vec<(String, Option<Value>)>,
}

/// The array properties of the schema of the media type at `media_pointer`.
fn array_properties(spec: &Value, media_pointer: &str) -> Option<FormArrays> {
    let mut pointer = format!("{media_pointer}/schema");
    for _ in 0..32 {
        let reference = spec.pointer(&pointer)?.get("$ref").and_then(Value::as_str);
        match reference.and_then(|r| r.strip_prefix('#')) {
            Some(target) => pointer = target.to_owned(),
            None => break,
        }
    }
    let schema = spec.pointer(&pointer)?;
    let arrays = schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, property)| {
            let resolved = follow_refs(spec, property);
            (resolved.get("type") == Some(&json!("array"))).then(|| {
                let inlined = property.get("$ref").map(|_| resolved.clone());
                (name.clone(), inlined)
            })
        })
        .collect();
    Some(FormArrays {
        schema_pointer: pointer,
        properties: arrays,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subtypes_of_an_inline_union_get_their_tags_pinned() {
        let mut spec = serde_json::json!({
            "components": {"schemas": {
                "Analyzer": {"type": "object", "properties": {"tokenizer": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/Keyword"},
                        {"$ref": "#/components/schemas/Standard"}
                    ],
                    "discriminator": {"propertyName": "type", "mapping": {
                        "keyword": "#/components/schemas/Keyword",
                        "standard": "#/components/schemas/Standard"
                    }}
                }}},
                "Keyword": {"type": "object", "properties": {"type": {"type": "string"}}},
                "Standard": {"type": "object", "properties": {
                    "type": {"type": "string"}, "maxTokenLength": {"type": "integer"}
                }}
            }}
        });
        assert_eq!(pin_inline_unions(&mut spec), 2);
        let schemas = &spec["components"]["schemas"];
        assert_eq!(
            schemas["Keyword"]["properties"]["type"]["enum"],
            serde_json::json!(["keyword"])
        );
        assert_eq!(
            schemas["Standard"]["properties"]["type"]["enum"],
            serde_json::json!(["standard"])
        );
    }

    #[test]
    fn a_mapped_base_becomes_the_one_of_its_subtypes_each_with_its_own_tags() {
        let mut spec = serde_json::json!({
            "paths": {"/items": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Item"}
            }}}}}}},
            "components": {"schemas": {
                "Item": {
                    "type": "object",
                    "properties": {"kind": {"type": "string", "enum": ["a", "b", "c"]}},
                    "oneOf": [
                        {"$ref": "#/components/schemas/Ab"},
                        {"$ref": "#/components/schemas/C"}
                    ],
                    "discriminator": {"propertyName": "kind", "mapping": {
                        "a": "#/components/schemas/Ab",
                        "b": "#/components/schemas/Ab",
                        "c": "#/components/schemas/C"
                    }}
                },
                "Ab": {"allOf": [
                    {"$ref": "#/components/schemas/Item"},
                    {"type": "object", "required": ["size"], "properties": {"size": {"type": "integer"}}}
                ]},
                "C": {
                    "type": "object",
                    "properties": {"kind": {"type": "string"}, "colour": {"type": "string"}}
                },
                "List": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}
            }}
        });
        assert_eq!(
            write_out_mapped_subtypes(&mut spec),
            2,
            "the answer and the list"
        );
        let one_of = serde_json::json!({"oneOf": [
            {"$ref": "#/components/schemas/Ab"},
            {"$ref": "#/components/schemas/C"}
        ]});
        assert_eq!(spec["components"]["schemas"]["List"]["items"], one_of);
        assert_eq!(
            spec["paths"]["/items"]["get"]["responses"]["200"]["content"]["application/json"]
                ["schema"],
            one_of
        );
        let ab = &spec["components"]["schemas"]["Ab"]["allOf"][0];
        assert_eq!(
            ab["properties"]["kind"]["enum"],
            serde_json::json!(["a", "b"])
        );
        assert!(
            ab.get("oneOf").is_none() && ab.get("discriminator").is_none(),
            "{ab}"
        );
        assert_eq!(
            spec["components"]["schemas"]["C"]["properties"]["kind"]["enum"],
            serde_json::json!(["c"])
        );
        assert!(
            spec["components"]["schemas"]["Item"].get("oneOf").is_some(),
            "the base stays"
        );
    }

    #[test]
    fn named_groups_lose_their_names_but_look_behinds_and_references_stay() {
        let mut spec = json!({"components": {"schemas": {
            "Dn": {"type": "string", "pattern": "^(?:(?<cn>CN=(?<name>[^,]*)),)?(?<domain>DC=.+)$"},
            "Behind": {"type": "string", "pattern": "(?<=a)b(?<!c)"},
            "Again": {"type": "string", "pattern": "(?<x>a)\\k<x>"},
            "Escaped": {"type": "string", "pattern": "\\(?<x>"},
        }}});
        assert_eq!(unname_pattern_groups(&mut spec), 1);
        let pattern = |name: &str| spec["components"]["schemas"][name]["pattern"].clone();
        assert_eq!(pattern("Dn"), "^(?:(?:CN=(?:[^,]*)),)?(?:DC=.+)$");
        assert_eq!(pattern("Behind"), "(?<=a)b(?<!c)");
        assert_eq!(pattern("Again"), "(?<x>a)\\k<x>");
        assert_eq!(pattern("Escaped"), "\\(?<x>");
    }

    #[test]
    fn writes_the_default_encoding_of_form_arrays_that_have_none() {
        let mut spec = json!({
            "paths": {
                "/v2/Services": {
                    "post": { "requestBody": { "content": { FORM: {
                        "schema": { "properties": {
                            "To": { "type": "array", "items": { "type": "string" }, "nullable": true },
                            "Tags": { "$ref": "#/components/schemas/tags" },
                            "Name": { "type": "string" },
                            "Kept": { "type": "array" },
                        } },
                        "encoding": { "Kept": { "style": "pipeDelimited" } },
                    } } } },
                },
            },
            "components": { "schemas": { "tags": { "type": "array" } } },
        });
        assert_eq!(write_out_form_encodings(&mut spec), 2);
        let encoding =
            &spec["paths"]["/v2/Services"]["post"]["requestBody"]["content"][FORM]["encoding"];
        assert_eq!(encoding["To"], written_out());
        assert_eq!(encoding["Tags"], written_out());
        assert_eq!(encoding["To"]["explode"], true);
        assert_eq!(encoding["Kept"], json!({ "style": "pipeDelimited" }));
        // A property that refers to its array schema gets that schema in place of the `$ref`.
        let properties = &spec["paths"]["/v2/Services"]["post"]["requestBody"]["content"][FORM]
            ["schema"]["properties"];
        assert_eq!(properties["Tags"], json!({ "type": "array" }));
        assert_eq!(properties["To"].get("nullable"), None);
        assert!(encoding.get("Name").is_none());
        // Written once: a second pass adds nothing.
        assert_eq!(write_out_form_encodings(&mut spec), 0);
    }

    #[test]
    fn lists_the_version_the_driver_sends_first_and_keeps_the_rest() {
        let spec = json!({
            "content": {
                "application/vnd.atlas.2023-01-01+json": { "schema": { "b": 1, "a": 2 } },
                "application/vnd.atlas.preview+json": {},
                "application/vnd.atlas.2024-05-30+json": {},
            },
            "z": [1, "two"],
        });
        let written = to_json(&spec);
        let order: Vec<usize> = ["2024-05-30", "2023-01-01", "preview"]
            .iter()
            .map(|v| written.find(v).unwrap())
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{written}");
        // Other maps keep their order, and the text is the same JSON.
        assert!(written.contains(r#"{"a":2,"b":1}"#), "{written}");
        assert_eq!(serde_json::from_str::<Value>(&written).unwrap(), spec);
    }
}
