//! Values a conformance run sends, made from the spec's own schemas (its JSON, where examples,
//! formats and patterns are kept): the schema's example first, then its first enum value, its
//! default, a value of its format, one that fits its lengths and ranges, and for a `pattern` a
//! string generated from the regular expression with a fixed seed (`rand_regex`), so that a run
//! sends the same values every time.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde_json::{json, Map, Value};

/// How deep nested optional properties are still filled in; required ones always are, up to
/// [`MAX_DEPTH`].
const OPTIONAL_DEPTH: usize = 3;
/// Where a recursive schema stops.
const MAX_DEPTH: usize = 8;
/// The most repetitions `rand_regex` makes of `*` and `+`.
const MAX_REPEAT: u32 = 6;

/// Makes values from the schemas of one spec.
pub struct Sampler<'s> {
    spec: &'s Value,
    rng: StdRng,
}

impl<'s> Sampler<'s> {
    pub fn new(spec: &'s Value, seed: u64) -> Self {
        Sampler {
            spec,
            rng: StdRng::seed_from_u64(seed),
        }
    }

    /// `value` with its `$ref`s followed (within the spec only).
    pub fn resolve(&self, mut value: &'s Value) -> &'s Value {
        for _ in 0..32 {
            let Some(pointer) = value.get("$ref").and_then(Value::as_str) else {
                break;
            };
            match pointer.strip_prefix('#').and_then(|p| self.spec.pointer(p)) {
                Some(target) => value = target,
                None => break,
            }
        }
        value
    }

    /// A value of a parameter object: its example (or first of its examples), else one made
    /// from its schema.
    pub fn parameter(&mut self, parameter: &'s Value) -> Value {
        let parameter = self.resolve(parameter);
        if let Some(example) = first_example(self, parameter) {
            return example;
        }
        let schema = parameter.get("schema").unwrap_or(&Value::Null);
        self.value(schema)
    }

    /// A value of a media type object (a request body's content): its example, else one made
    /// from its schema.
    pub fn media(&mut self, media: &'s Value) -> Value {
        if let Some(example) = first_example(self, media) {
            return example;
        }
        self.value(media.get("schema").unwrap_or(&Value::Null))
    }

    /// A value of `schema`.
    pub fn value(&mut self, schema: &'s Value) -> Value {
        self.sample(schema, 0)
    }

    fn sample(&mut self, schema: &'s Value, depth: usize) -> Value {
        let schema = self.resolve(schema);
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        if let Some(example) = schema.get("example") {
            return example.clone();
        }
        if let Some(first) = schema
            .get("examples")
            .and_then(Value::as_array)
            .and_then(|e| e.first())
        {
            return first.clone();
        }
        if let Some(first) = schema
            .get("enum")
            .and_then(Value::as_array)
            .and_then(|e| e.iter().find(|v| !v.is_null()))
        {
            return first.clone();
        }
        if let Some(default) = schema.get("default") {
            return default.clone();
        }
        if let Some(constant) = schema.get("const") {
            return constant.clone();
        }
        // A base schema whose discriminator maps to subtypes: a value of the first subtype.
        if let Some((tag, target)) = self.first_mapping(schema) {
            return self.tagged(schema, tag, target, depth);
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(first) = schema
                .get(keyword)
                .and_then(Value::as_array)
                .and_then(|a| a.iter().find(|s| !is_null_schema(self.resolve(s))))
            {
                return self.sample(first, depth + 1);
            }
        }
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            return self.all_of(schema, parts, depth);
        }
        match schema_type(schema) {
            Some("object") => self.object(&[schema], depth),
            Some("array") => self.array(schema, depth),
            Some("string") => self.string(schema),
            Some("integer") => self.integer(schema),
            Some("number") => self.number(schema),
            Some("boolean") => Value::Bool(true),
            Some("null") => Value::Null,
            _ if schema.get("properties").is_some() => self.object(&[schema], depth),
            _ => json!("conformance"),
        }
    }

    /// The first subtype a discriminator's mapping names, with its tag value.
    fn first_mapping(&self, schema: &'s Value) -> Option<(&'s str, &'s Value)> {
        let mapping = schema.get("discriminator")?.get("mapping")?.as_object()?;
        let (tag, target) = mapping.iter().next()?;
        let target = self.spec.pointer(target.as_str()?.strip_prefix('#')?)?;
        Some((tag.as_str(), target))
    }

    /// A value of the subtype `target` with the discriminator property set to `tag`.
    fn tagged(&mut self, base: &'s Value, tag: &str, target: &'s Value, depth: usize) -> Value {
        let property = base["discriminator"]["propertyName"].as_str();
        // The subtype usually includes the base through `allOf`; sampling the base again would
        // come back here.
        let mut value = match target.get("allOf").and_then(Value::as_array) {
            Some(parts) => {
                let parts: Vec<&'s Value> = parts.iter().collect();
                self.object_without_mapping(&parts, depth)
            }
            None => self.sample(target, depth + 1),
        };
        if let (Some(property), Value::Object(fields)) = (property, &mut value) {
            fields.insert(property.to_owned(), json!(tag));
        }
        value
    }

    /// An object of the properties of every part (the base's discriminator not followed again).
    fn object_without_mapping(&mut self, parts: &[&'s Value], depth: usize) -> Value {
        let mut flattened = Vec::new();
        for part in parts {
            self.flatten(part, &mut flattened, 0);
        }
        self.object(&flattened, depth)
    }

    /// The schemas an `allOf` puts together, nested `allOf`s opened.
    fn flatten(&self, schema: &'s Value, out: &mut Vec<&'s Value>, depth: usize) {
        let schema = self.resolve(schema);
        if depth < MAX_DEPTH {
            if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
                for part in parts {
                    self.flatten(part, out, depth + 1);
                }
            }
        }
        out.push(schema);
    }

    fn all_of(&mut self, schema: &'s Value, parts: &'s [Value], depth: usize) -> Value {
        let mut flattened = Vec::new();
        for part in parts {
            self.flatten(part, &mut flattened, 0);
        }
        flattened.push(schema);
        let objects = flattened
            .iter()
            .any(|p| schema_type(p) == Some("object") || p.get("properties").is_some());
        if objects {
            self.object(&flattened, depth)
        } else {
            // `allOf` of one scalar schema (a `$ref` with a description beside it).
            match parts.first() {
                Some(first) => self.sample(first, depth + 1),
                None => json!("conformance"),
            }
        }
    }

    /// An object with the properties of `parts` (one schema, or those an `allOf` joins): every
    /// required one, and near the top the optional ones too; never a read-only one, which a
    /// request must not carry.
    fn object(&mut self, parts: &[&'s Value], depth: usize) -> Value {
        let mut required: Vec<&str> = Vec::new();
        let mut properties: Vec<(&'s str, &'s Value)> = Vec::new();
        for part in parts {
            for name in part
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                required.push(name);
            }
            for (name, property) in part
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if let Some(slot) = properties.iter_mut().find(|(n, _)| n == name) {
                    slot.1 = property;
                } else {
                    properties.push((name.as_str(), property));
                }
            }
        }
        let mut object = Map::new();
        for (name, property) in properties {
            let resolved = self.resolve(property);
            if resolved.get("readOnly") == Some(&Value::Bool(true)) {
                continue;
            }
            if !required.contains(&name) && depth >= OPTIONAL_DEPTH {
                continue;
            }
            let value = self.sample(property, depth + 1);
            if value.is_null() && !required.contains(&name) {
                continue;
            }
            object.insert(name.to_owned(), value);
        }
        Value::Object(object)
    }

    fn array(&mut self, schema: &'s Value, depth: usize) -> Value {
        let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(1);
        let max = schema
            .get("maxItems")
            .and_then(Value::as_u64)
            .unwrap_or(u64::MAX);
        let count = min.max(1).min(max);
        let items = schema.get("items").unwrap_or(&Value::Null);
        Value::Array((0..count).map(|_| self.sample(items, depth + 1)).collect())
    }

    fn string(&mut self, schema: &'s Value) -> Value {
        let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = schema
            .get("maxLength")
            .and_then(Value::as_u64)
            .map_or(usize::MAX, |m| m as usize);
        let fits = |s: &str| (min..=max).contains(&s.chars().count());
        if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
            if let Some((generator, checker)) = compile(pattern) {
                for _ in 0..64 {
                    let candidate: String = self.rng.sample(&generator);
                    if fits(&candidate) && checker.is_match(&candidate) {
                        return json!(candidate);
                    }
                }
            }
        }
        let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
        if let Some(value) = format_value(format) {
            if fits(value) {
                return json!(value);
            }
        }
        let base = "conformance";
        let mut text: String = base.chars().cycle().take(min.max(base.len())).collect();
        text.truncate(max.min(text.len()).max(min));
        json!(text)
    }

    fn integer(&mut self, schema: &'s Value) -> Value {
        let (low, high) = range(schema);
        let step = schema
            .get("multipleOf")
            .and_then(Value::as_f64)
            .unwrap_or(1.0);
        let low = low.map(|l| (l / step).ceil() * step);
        let value = match (low, high) {
            (Some(low), _) => low,
            (None, Some(high)) => high.min(1.0),
            (None, None) => 1.0,
        };
        json!(value as i64)
    }

    fn number(&mut self, schema: &'s Value) -> Value {
        let (low, high) = range(schema);
        let value = match (low, high) {
            (Some(low), _) => low,
            (None, Some(high)) => high.min(1.0),
            (None, None) => 1.0,
        };
        json!(value)
    }
}

/// The example of a parameter or media type object: `example`, or the first of `examples`.
fn first_example<'s>(sampler: &Sampler<'s>, object: &'s Value) -> Option<Value> {
    if let Some(example) = object.get("example") {
        return Some(example.clone());
    }
    let examples = object.get("examples")?.as_object()?;
    let first = sampler.resolve(examples.values().next()?);
    first.get("value").cloned()
}

/// The smallest and largest allowed value, exclusive bounds moved inside by one.
fn range(schema: &Value) -> (Option<f64>, Option<f64>) {
    let bound = |key: &str, exclusive: &str, inward: f64| {
        let value = schema.get(key).and_then(Value::as_f64)?;
        let exclusive = schema.get(exclusive) == Some(&Value::Bool(true));
        Some(if exclusive { value + inward } else { value })
    };
    (
        bound("minimum", "exclusiveMinimum", 1.0).or_else(|| {
            schema
                .get("exclusiveMinimum")
                .and_then(Value::as_f64)
                .map(|v| v + 1.0)
        }),
        bound("maximum", "exclusiveMaximum", -1.0).or_else(|| {
            schema
                .get("exclusiveMaximum")
                .and_then(Value::as_f64)
                .map(|v| v - 1.0)
        }),
    )
}

/// The regular expression of a `pattern`, for generating strings, with the matcher its strings
/// are checked against: ASCII classes first (`\d` is `[0-9]` in the ECMAScript regexes specs are
/// written for), Unicode where the pattern needs it. `rand_regex` generates no anchors, so they
/// are taken out of the generating expression (a string the rest generates is whole, so it
/// matches `^...$`) and the checker keeps them. `None` when the pattern does not parse
/// (look-arounds, back-references).
fn compile(pattern: &str) -> Option<(rand_regex::Regex, regex::Regex)> {
    let ascii = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .build()
        .parse(pattern);
    let (hir, unicode) = match ascii {
        Ok(hir) => (hir, false),
        Err(_) => (
            regex_syntax::ParserBuilder::new()
                .build()
                .parse(pattern)
                .ok()?,
            true,
        ),
    };
    let generator = rand_regex::Regex::with_hir(without_looks(hir), MAX_REPEAT).ok()?;
    let checker = regex::RegexBuilder::new(pattern)
        .unicode(unicode)
        .build()
        .ok()?;
    Some((generator, checker))
}

/// `hir` with its anchors and word boundaries replaced by the empty expression.
fn without_looks(hir: regex_syntax::hir::Hir) -> regex_syntax::hir::Hir {
    use regex_syntax::hir::{Capture, Hir, HirKind, Repetition};
    match hir.into_kind() {
        HirKind::Look(_) => Hir::empty(),
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            sub: Box::new(without_looks(*r.sub)),
            ..r
        }),
        HirKind::Capture(c) => Hir::capture(Capture {
            sub: Box::new(without_looks(*c.sub)),
            ..c
        }),
        HirKind::Concat(parts) => Hir::concat(parts.into_iter().map(without_looks).collect()),
        HirKind::Alternation(parts) => {
            Hir::alternation(parts.into_iter().map(without_looks).collect())
        }
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(literal) => Hir::literal(literal.0),
        HirKind::Class(class) => Hir::class(class),
    }
}

/// A value of a string format.
fn format_value(format: &str) -> Option<&'static str> {
    Some(match format {
        "date-time" => "2024-01-02T03:04:05Z",
        "date" => "2024-01-02",
        "time" => "03:04:05Z",
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "email" => "conformance@example.com",
        "uri" | "url" | "uri-reference" => "https://example.com/conformance",
        "hostname" => "example.com",
        "ipv4" | "ip" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" => "Y29uZm9ybWFuY2U=",
        "password" => "conformance-secret",
        _ => return None,
    })
}

fn schema_type(schema: &Value) -> Option<&str> {
    match schema.get("type")? {
        Value::String(t) => Some(t),
        // OpenAPI 3.1: the first type that is not null.
        Value::Array(types) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null"),
        _ => None,
    }
}

fn is_null_schema(schema: &Value) -> bool {
    schema_type(schema).is_none() && schema.get("type") == Some(&json!("null"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(spec: Value, schema: Value) -> Value {
        let spec = Box::leak(Box::new(spec));
        let schema = Box::leak(Box::new(schema));
        Sampler::new(spec, 1).value(schema)
    }

    #[test]
    fn examples_come_before_enums_defaults_and_formats() {
        let spec = json!({});
        assert_eq!(
            sample(
                spec.clone(),
                json!({"type": "string", "example": "x", "enum": ["a"]})
            ),
            json!("x")
        );
        assert_eq!(
            sample(
                spec.clone(),
                json!({"type": "string", "enum": ["a", "b"], "default": "b"})
            ),
            json!("a")
        );
        assert_eq!(
            sample(
                spec.clone(),
                json!({"type": "integer", "default": 7, "minimum": 2})
            ),
            json!(7)
        );
        assert_eq!(
            sample(spec.clone(), json!({"type": "string", "format": "uuid"})),
            json!("3fa85f64-5717-4562-b3fc-2c963f66afa6")
        );
        assert_eq!(
            sample(
                spec,
                json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
            ),
            json!(1)
        );
    }

    #[test]
    fn patterns_and_lengths_are_honoured() {
        let value = sample(
            json!({}),
            json!({"type": "string", "pattern": "^([a-f0-9]{24})$"}),
        );
        let text = value.as_str().unwrap();
        assert!(
            regex::Regex::new("^[a-f0-9]{24}$").unwrap().is_match(text),
            "{text}"
        );
        let value = sample(
            json!({}),
            json!({"type": "string", "pattern": "^\\d{3}-\\w+$"}),
        );
        let text = value.as_str().unwrap();
        assert!(
            regex::Regex::new("^[0-9]{3}-[A-Za-z0-9_]+$")
                .unwrap()
                .is_match(text),
            "{text}"
        );
        let value = sample(
            json!({}),
            json!({"type": "string", "minLength": 20, "maxLength": 21}),
        );
        assert_eq!(value.as_str().unwrap().len(), 20);
    }

    #[test]
    fn objects_follow_refs_and_all_of_and_leave_read_only_out() {
        let spec = json!({"components": {"schemas": {
            "Base": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string", "readOnly": true},
                "name": {"type": "string", "maxLength": 4}
            }},
            "Cat": {"allOf": [{"$ref": "#/components/schemas/Base"},
                {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string", "enum": ["cat"]}}}]}
        }}});
        assert_eq!(
            sample(spec, json!({"$ref": "#/components/schemas/Cat"})),
            json!({"name": "conf", "kind": "cat"})
        );
    }

    #[test]
    fn a_discriminator_mapping_picks_its_first_subtype_with_the_tag_set() {
        let spec = json!({"components": {"schemas": {
            "Pet": {"type": "object", "required": ["type"], "properties": {"type": {"type": "string"}},
                "discriminator": {"propertyName": "type", "mapping": {"dog": "#/components/schemas/Dog"}}},
            "Dog": {"allOf": [{"$ref": "#/components/schemas/Pet"},
                {"type": "object", "properties": {"barks": {"type": "boolean"}}}]}
        }}});
        assert_eq!(
            sample(spec, json!({"$ref": "#/components/schemas/Pet"})),
            json!({"type": "dog", "barks": true})
        );
    }
}
