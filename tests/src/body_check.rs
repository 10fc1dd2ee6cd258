//! Checks a request body against its schema in the spec, as Atlas validates what it is sent:
//! types, required properties, patterns, bounds and lengths, no property the schema does not
//! declare, and none that only the server sets (`readOnly`). References are followed in the
//! document as the value is walked, so a recursive schema is checked as deep as the value goes;
//! `allOf` parts are read as one schema, and a `oneOf`/`anyOf` is checked against the branch
//! its discriminator names (or the first branch the value fits). The problems come back by
//! field name, for a 400 in the shape of the spec's `badRequest` example.

use regex::Regex;
use serde_json::{Map, Value};

/// One thing wrong with a body: the field (a dotted path, `""` for the body itself) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyProblem {
    pub field: String,
    pub description: String,
}

/// Every problem of `value` against `schema`, whose `$ref`s point into `doc`.
pub fn check(doc: &Value, schema: &Value, value: &Value) -> Vec<BodyProblem> {
    let mut problems = Vec::new();
    check_at(doc, schema, value, "", &mut problems);
    problems
}

/// Follows `$ref` chains (a bounded number of hops).
fn resolve<'a>(doc: &'a Value, mut schema: &'a Value) -> &'a Value {
    for _ in 0..16 {
        let Some(target) = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| doc.pointer(p))
        else {
            return schema;
        };
        schema = target;
    }
    schema
}

/// The schema as one object: its `allOf` parts merged in (properties and `required` joined,
/// any other keyword from the first part that has it), and the `oneOf`/`anyOf` branch that
/// applies to `value` merged the same way. `within` lists the references being merged, so a
/// branch that extends its own union (`allOf: [{$ref: Base}]` under `Base.oneOf`) takes the
/// base's properties without choosing a branch again.
fn merged(
    doc: &Value,
    schema: &Value,
    value: &Value,
    within: &mut Vec<String>,
) -> Map<String, Value> {
    let reference = schema
        .get("$ref")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let again = reference.as_ref().is_some_and(|r| within.contains(r));
    if let Some(r) = &reference {
        within.push(r.clone());
    }
    let schema = resolve(doc, schema);
    let mut out = Map::new();
    if let Some(object) = schema.as_object() {
        for (key, item) in object {
            if !matches!(key.as_str(), "allOf" | "oneOf" | "anyOf" | "discriminator") {
                out.insert(key.clone(), item.clone());
            }
        }
    }
    for part in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let part = merged(doc, part, value, within);
        absorb(&mut out, part);
    }
    if !again {
        if let Some(branch) = branch(doc, schema, value, within) {
            let branch = merged(doc, &branch, value, within);
            absorb(&mut out, branch);
        }
    }
    if reference.is_some() {
        within.pop();
    }
    out
}

fn absorb(into: &mut Map<String, Value>, part: Map<String, Value>) {
    for (key, item) in part {
        match (key.as_str(), into.get_mut(&key)) {
            ("properties", Some(Value::Object(have))) => {
                if let Value::Object(more) = item {
                    for (name, property) in more {
                        have.entry(name).or_insert(property);
                    }
                }
            }
            ("required", Some(Value::Array(have))) => {
                for name in item.as_array().into_iter().flatten() {
                    if !have.contains(name) {
                        have.push(name.clone());
                    }
                }
            }
            (_, Some(_)) => {}
            (_, None) => {
                into.insert(key, item);
            }
        }
    }
}

/// The `oneOf`/`anyOf` branch for `value`: the one the discriminator's mapping (or the
/// schema name equal to the tag) names, else the first the value fits.
fn branch(doc: &Value, schema: &Value, value: &Value, within: &mut [String]) -> Option<Value> {
    let branches = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array);
    if let Some(discriminator) = schema.get("discriminator") {
        let property = discriminator.get("propertyName").and_then(Value::as_str)?;
        let tag = value.get(property).and_then(Value::as_str)?;
        let mapped = discriminator
            .get("mapping")
            .and_then(|m| m.get(tag))
            .and_then(Value::as_str);
        return match branches {
            Some(branches) => {
                let target =
                    mapped.map_or_else(|| format!("#/components/schemas/{tag}"), str::to_owned);
                branches
                    .iter()
                    .find(|b| b.get("$ref").and_then(Value::as_str) == Some(target.as_str()))
                    .cloned()
            }
            // A base whose subtypes extend it (`allOf`) and are named only by its mapping:
            // the subtype is where the tag's properties are declared.
            None => {
                let target = mapped?;
                (!within.iter().any(|r| r == target)).then(|| serde_json::json!({ "$ref": target }))
            }
        };
    }
    let branches = branches?;
    branches
        .iter()
        .find(|b| {
            let mut problems = Vec::new();
            let mut nested = within.to_vec();
            let flat = Value::Object(merged(doc, b, value, &mut nested));
            check_at(doc, &flat, value, "", &mut problems);
            problems.is_empty()
        })
        .cloned()
}

fn check_at(doc: &Value, schema: &Value, value: &Value, at: &str, problems: &mut Vec<BodyProblem>) {
    let flat = merged(doc, schema, value, &mut Vec::new());
    let schema = &Value::Object(flat);
    let mut problem = |description: String| {
        problems.push(BodyProblem {
            field: at.to_owned(),
            description,
        })
    };
    if value.is_null() {
        if !schema
            .get("nullable")
            .and_then(Value::as_bool)
            .unwrap_or(false)
        {
            problem("must not be null".to_owned());
        }
        return;
    }
    let kind = schema.get("type").and_then(Value::as_str);
    let fits = match kind {
        Some("object") => value.is_object(),
        Some("array") => value.is_array(),
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        // No type: an object when it declares properties, anything otherwise.
        _ => schema.get("properties").is_none() || value.is_object(),
    };
    if !fits {
        problem(format!("must be of type {}", kind.unwrap_or("object")));
        return;
    }
    if let Some(n) = value.as_f64() {
        if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
            if n < min {
                problem(format!("is below the minimum of {min}"));
            }
        }
        if let Some(max) = schema.get("maximum").and_then(Value::as_f64) {
            if n > max {
                problem(format!("exceeds the maximum of {max}"));
            }
        }
    }
    if let Some(text) = value.as_str() {
        let length = text.chars().count() as u64;
        if let Some(min) = schema.get("minLength").and_then(Value::as_u64) {
            if length < min {
                problem(format!("is shorter than {min} characters"));
            }
        }
        if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
            if length > max {
                problem(format!("is longer than {max} characters"));
            }
        }
        if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
            match Regex::new(pattern) {
                Ok(re) if !re.is_match(text) => problem(format!("does not match {pattern}")),
                Ok(_) => {}
                Err(e) => problem(format!("has a pattern the stand-in cannot read: {e}")),
            }
        }
    }
    if let (Some(items), Some(values)) = (schema.get("items"), value.as_array()) {
        for (i, item) in values.iter().enumerate() {
            check_at(doc, items, item, &format!("{at}[{i}]"), problems);
        }
    }
    let Some(object) = value.as_object() else {
        return;
    };
    let properties = schema.get("properties").and_then(Value::as_object);
    let join = |name: &str| {
        if at.is_empty() {
            name.to_owned()
        } else {
            format!("{at}.{name}")
        }
    };
    for name in schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        let read_only = properties
            .and_then(|p| p.get(name))
            .map(|p| resolve(doc, p))
            .and_then(|p| p.get("readOnly"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if !read_only && !object.contains_key(name) {
            problems.push(BodyProblem {
                field: join(name),
                description: "is required".to_owned(),
            });
        }
    }
    let Some(properties) = properties else {
        return;
    };
    for (name, item) in object {
        let field = join(name);
        match properties.get(name) {
            None => problems.push(BodyProblem {
                field,
                description: "is not a property of this resource".to_owned(),
            }),
            Some(property)
                if resolve(doc, property)
                    .get("readOnly")
                    .and_then(Value::as_bool)
                    == Some(true) =>
            {
                problems.push(BodyProblem {
                    field,
                    description: "is set by the server and cannot be sent".to_owned(),
                })
            }
            Some(property) => check_at(doc, property, item, &field, problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Value {
        json!({
            "type": "object",
            "required": ["deliveryType", "id"],
            "properties": {
                "deliveryType": {"type": "string"},
                "id": {"type": "string", "readOnly": true},
                "snapshotId": {"type": "string", "pattern": "^([a-f0-9]{24})$"},
                "retentionInDays": {"type": "integer", "minimum": 1},
                "name": {"type": "string", "minLength": 1, "maxLength": 3},
                "tags": {"type": "array", "items": {"type": "string"}}
            }
        })
    }

    fn fields(value: Value) -> Vec<(String, String)> {
        check(&Value::Null, &schema(), &value)
            .into_iter()
            .map(|p| (p.field, p.description))
            .collect()
    }

    #[test]
    fn a_valid_body_has_no_problems_and_read_only_requirements_are_not_asked_for() {
        assert_eq!(
            fields(json!({"deliveryType": "automated", "snapshotId": "6817124df2a3b4c5d6e70d31"})),
            []
        );
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let got = fields(json!({
            "id": "x",
            "snapshotId": "nope",
            "retentionInDays": 0,
            "name": "toolong",
            "tags": [1],
            "colour": "red"
        }));
        let names: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            names,
            [
                "deliveryType",
                "colour",
                "id",
                "name",
                "retentionInDays",
                "snapshotId",
                "tags[0]"
            ],
            "{got:?}"
        );
        assert_eq!(
            fields(json!([])),
            [("".into(), "must be of type object".into())]
        );
    }
}
