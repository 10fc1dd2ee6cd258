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
    /// Whether the spec's examples are taken; off for the second value of each argument,
    /// which is made from the schema alone (see [`Sampler::without_examples`]).
    examples: bool,
    /// Examples of parameters and bodies passed over because they break their own schema,
    /// until [`Sampler::take_passed_over`].
    passed_over: Vec<String>,
}

impl<'s> Sampler<'s> {
    pub fn new(spec: &'s Value, seed: u64) -> Self {
        Sampler {
            spec,
            rng: StdRng::seed_from_u64(seed),
            examples: true,
            passed_over: Vec::new(),
        }
    }

    /// What `make` makes with the spec's examples left aside, for when an example does not
    /// fit its own schema (a string `"true"` for a boolean, a date for a date-time).
    pub fn without_examples<T>(&mut self, make: impl FnOnce(&mut Self) -> T) -> T {
        self.examples = false;
        let made = make(self);
        self.examples = true;
        made
    }

    /// `value` with its `$ref`s followed (within the spec only).
    pub fn resolve(&self, value: &'s Value) -> &'s Value {
        follow_refs(self.spec, value)
    }

    /// A value of a parameter object: its example (or first of its examples), else one made
    /// from its schema; for a path parameter, never the empty string (a pattern such as
    /// `^a|b|(c)?$` allows it, but a path segment cannot be empty).
    pub fn parameter(&mut self, parameter: &'s Value) -> Value {
        let parameter = self.resolve(parameter);
        let schema = parameter.get("schema").unwrap_or(&Value::Null);
        if let Some(example) = first_example(self, parameter) {
            let example = whole(example, self.resolve(schema));
            let name = parameter["name"].as_str().unwrap_or_default();
            if self.fits(&example, schema, &format!("the example of `{name}`")) {
                return example;
            }
        }
        let in_path = parameter.get("in") == Some(&json!("path"));
        let mut value = self.value(schema);
        for _ in 0..16 {
            if !(in_path && value == json!("")) {
                break;
            }
            value = self.value(schema);
        }
        value
    }

    /// A value of a media type object (a request body's content): its example, else one made
    /// from its schema.
    pub fn media(&mut self, media: &'s Value) -> Value {
        let schema = media.get("schema").unwrap_or(&Value::Null);
        if let Some(example) = first_example(self, media) {
            if self.fits(&example, schema, "the example of the request body") {
                return example;
            }
        }
        self.value(schema)
    }

    /// The examples passed over since the last call, each with why.
    pub fn take_passed_over(&mut self) -> Vec<String> {
        std::mem::take(&mut self.passed_over)
    }

    /// Whether `example` (`what`, for the note when it is not) is a valid value of `schema`,
    /// read as JSON Schema draft 4 (the draft
    /// OpenAPI 3.0's schemas extend; `nullable` and the other OpenAPI words are not draft 4's,
    /// so a `null` example of a nullable schema is passed over too). A schema the validator
    /// cannot read lets every example through. The spec's components go along so that its
    /// `$ref`s resolve.
    fn fits(&mut self, example: &Value, schema: &Value, what: &str) -> bool {
        let wrapper = json!({
            "allOf": [schema],
            "components": self.spec.get("components").cloned().unwrap_or(Value::Null),
        });
        let Ok(validator) = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .should_validate_formats(true)
            .build(&wrapper)
        else {
            return true;
        };
        let first_error = validator
            .iter_errors(example)
            .next()
            .map(|error| format!("{error} at `{}`", error.instance_path()));
        match first_error {
            None => true,
            Some(error) => {
                self.passed_over.push(format!(
                    "{what} breaks its schema ({error}); a value made from the schema was sent"
                ));
                false
            }
        }
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
        if let Some(example) = schema.get("example").filter(|_| self.examples) {
            return whole(example.clone(), schema);
        }
        if let Some(first) = schema
            .get("examples")
            .and_then(Value::as_array)
            .and_then(|e| e.first())
            .filter(|_| self.examples)
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
        // A default holding a null is checked first: OpenAPI 3.0's `nullable` beside an `allOf`
        // without `type` allows no null, yet specs give such defaults (Oxide's `ip_version`).
        if let Some(default) = schema
            .get("default")
            .filter(|d| !holds_null(d) || self.fits(d, schema, "a default with a null"))
        {
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
        // come back here. The subtype's own words count too: Atlas lists the required
        // properties of a subtype beside its `allOf`, not in it.
        let mut value = match target.get("allOf") {
            Some(_) => self.object_without_mapping(&[target], depth),
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
/// `value` with its local `$ref`s followed through `spec` (at most 32, so a loop ends).
pub fn follow_refs<'s>(spec: &'s Value, mut value: &'s Value) -> &'s Value {
    for _ in 0..32 {
        let Some(pointer) = value.get("$ref").and_then(Value::as_str) else {
            break;
        };
        match pointer.strip_prefix('#').and_then(|p| spec.pointer(p)) {
            Some(target) => value = target,
            None => break,
        }
    }
    value
}

/// Whether `value` is or holds a JSON null.
fn holds_null(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.iter().any(holds_null),
        Value::Object(fields) => fields.values().any(holds_null),
        _ => false,
    }
}

/// An example written as a float with nothing after the point (`1636481348.0`, as YAML tools
/// write large numbers) is the integer JSON Schema takes it for, when the schema asks for one;
/// the client's integer types refuse the float form.
fn whole(value: Value, schema: &Value) -> Value {
    match value.as_f64() {
        Some(float)
            if schema_type(schema) == Some("integer")
                && value.is_f64()
                && float.fract() == 0.0
                && float.abs() < 9.0e15 =>
        {
            json!(float as i64)
        }
        _ => value,
    }
}

fn first_example<'s>(sampler: &Sampler<'s>, object: &'s Value) -> Option<Value> {
    if !sampler.examples {
        return None;
    }
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

/// What a generated string is checked against: `regex` where the pattern has no
/// look-around, `fancy_regex` where it has.
enum Checker {
    Plain(regex::Regex),
    LookAround(fancy_regex::Regex),
}

impl Checker {
    fn is_match(&self, text: &str) -> bool {
        match self {
            Checker::Plain(regex) => regex.is_match(text),
            Checker::LookAround(regex) => regex.is_match(text).unwrap_or(false),
        }
    }
}

/// The regular expression of a `pattern`, for generating strings, with the matcher its strings
/// are checked against: ASCII classes first (`\d` is `[0-9]` in the ECMAScript regexes specs are
/// written for), Unicode where the pattern needs it. `rand_regex` generates no anchors, so they
/// are taken out of the generating expression (a string the rest generates is whole, so it
/// matches `^...$`) and the checker keeps them. A pattern with look-arounds (`(?!$)`) generates
/// from the pattern without them, and `fancy_regex` checks the candidates against the whole
/// pattern. `None` when the pattern does not parse (back-references).
fn compile(pattern: &str) -> Option<(rand_regex::Regex, Checker)> {
    let parse = |text: &str, unicode: bool| {
        regex_syntax::ParserBuilder::new()
            .unicode(unicode)
            .build()
            .parse(text)
            .ok()
    };
    if let Some((hir, unicode)) = parse(pattern, false)
        .map(|hir| (hir, false))
        .or_else(|| parse(pattern, true).map(|hir| (hir, true)))
    {
        let generator = rand_regex::Regex::with_hir(without_looks(hir), MAX_REPEAT).ok()?;
        let checker = regex::RegexBuilder::new(pattern)
            .unicode(unicode)
            .build()
            .ok()?;
        return Some((generator, Checker::Plain(checker)));
    }
    let without = without_look_arounds(pattern);
    let hir = parse(&without, false).or_else(|| parse(&without, true))?;
    let generator = rand_regex::Regex::with_hir(without_looks(hir), MAX_REPEAT).ok()?;
    let checker = fancy_regex::Regex::new(pattern).ok()?;
    Some((generator, Checker::LookAround(checker)))
}

/// `pattern` with its look-ahead and look-behind groups taken out. Hand-written: the regex
/// parsers that know look-arounds (`fancy_regex`) do not hand out a tree to edit, and the
/// groups only need their parentheses matched, escapes and classes skipped.
fn without_look_arounds(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let rest: String = chars[i..chars.len().min(i + 4)].iter().collect();
        let look = ["(?=", "(?!", "(?<=", "(?<!"]
            .iter()
            .any(|open| rest.starts_with(open));
        if !look {
            if chars[i] == '\\' && i + 1 < chars.len() {
                out.push(chars[i]);
                i += 1;
            }
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // Skip to the parenthesis that closes the group.
        let mut depth = 0;
        let mut in_class = false;
        while i < chars.len() {
            match chars[i] {
                '\\' => i += 1,
                '[' => in_class = true,
                ']' => in_class = false,
                '(' if !in_class => depth += 1,
                ')' if !in_class => {
                    depth -= 1;
                    if depth == 0 {
                        i += 1;
                        break;
                    }
                }
                _ => {}
            }
            i += 1;
        }
    }
    out
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
    fn an_example_that_breaks_its_schema_is_passed_over_and_noted() {
        let spec = Box::leak(Box::new(json!({
            "components": {"schemas": {"url": {"type": "string", "format": "uri"}}},
        })));
        let media = Box::leak(Box::new(json!({
            "schema": {"type": "object", "properties": {"Url": {"$ref": "#/components/schemas/url"}}},
            "example": {"Url": "myUrl"},
        })));
        let mut sampler = Sampler::new(spec, 1);
        let value = sampler.media(media);
        assert_ne!(value["Url"], json!("myUrl"), "{value}");
        let notes = sampler.take_passed_over();
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("request body"), "{notes:?}");
        assert!(sampler.take_passed_over().is_empty());

        let fitting = Box::leak(Box::new(json!({
            "schema": {"$ref": "#/components/schemas/url"},
            "example": "https://example.com/a",
        })));
        assert_eq!(sampler.media(fitting), json!("https://example.com/a"));
        assert!(sampler.take_passed_over().is_empty());
    }

    #[test]
    fn a_default_whose_null_breaks_the_schema_is_passed_over() {
        let spec = json!({
            "components": {"schemas": {"IpVersion": {"type": "string", "enum": ["v4", "v6"]}}},
        });
        let schema = json!({
            "type": "object",
            "properties": {
                "ip_version": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/IpVersion"}]},
                "type": {"type": "string", "enum": ["auto"]},
            },
            "default": {"ip_version": null, "type": "auto"},
        });
        let value = sample(spec, schema);
        assert_eq!(value["type"], json!("auto"));
        assert_ne!(value["ip_version"], Value::Null, "{value}");
        // A default without a null is taken as it is.
        assert_eq!(
            sample(json!({}), json!({"type": "string", "default": "x"})),
            json!("x")
        );
    }

    #[test]
    fn a_pattern_with_a_look_ahead_still_gives_matching_strings() {
        assert_eq!(
            without_look_arounds(r"^(a(?!$)|b)(?<=[)(]x)\(c$"),
            r"^(a|b)\(c$"
        );
        // Atlas's IPv4-or-IPv6 pattern for route table CIDR blocks.
        let pattern =
            r"^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.(?!$)|$)){4}|([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}$";
        let value = sample(json!({}), json!({"type": "string", "pattern": pattern}));
        let text = value.as_str().unwrap();
        assert!(
            fancy_regex::Regex::new(pattern)
                .unwrap()
                .is_match(text)
                .unwrap(),
            "{text}"
        );
    }

    #[test]
    fn a_subtype_s_required_properties_beside_its_all_of_are_filled() {
        let spec = json!({"components": {"schemas": {
            "Item": {
                "type": "object",
                "properties": {"frequencyType": {"type": "string", "enum": ["daily", "ondemand"]}},
                "required": ["frequencyType"],
                "discriminator": {"propertyName": "frequencyType", "mapping": {
                    "daily": "#/components/schemas/TimeBased",
                }},
            },
            "TimeBased": {
                "allOf": [
                    {"$ref": "#/components/schemas/Item"},
                    {"type": "object", "properties": {"retentionUnit": {"type": "string", "enum": ["days"]}}},
                ],
                "required": ["frequencyType", "retentionUnit"],
                "type": "object",
            },
        }}});
        // Deep enough that optional properties are left out.
        let schema = json!({"type": "array", "items": {"type": "array", "items": {"type": "array", "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}}}});
        let value = sample(spec, schema);
        let item = &value[0][0][0][0];
        assert_eq!(item["frequencyType"], json!("daily"), "{value}");
        assert_eq!(item["retentionUnit"], json!("days"), "{value}");
    }

    #[test]
    fn a_path_parameter_is_never_empty() {
        let spec = Box::leak(Box::new(json!({})));
        let parameter = Box::leak(Box::new(json!({
            "in": "path", "name": "hostName",
            "schema": {"type": "string", "pattern": "^a|b|(c)?$"},
        })));
        let mut sampler = Sampler::new(spec, 1);
        for _ in 0..50 {
            assert_ne!(sampler.parameter(parameter), json!(""));
        }
    }

    #[test]
    fn without_examples_values_come_from_the_schema() {
        let spec = Box::leak(Box::new(json!({})));
        let schema = Box::leak(Box::new(
            json!({"type": "boolean", "example": "true", "properties": {}}),
        ));
        let mut sampler = Sampler::new(spec, 1);
        assert_eq!(sampler.value(schema), json!("true"));
        assert_eq!(sampler.without_examples(|s| s.value(schema)), json!(true));
        // Examples are taken again afterwards.
        assert_eq!(sampler.value(schema), json!("true"));
    }

    #[test]
    fn a_whole_float_example_of_an_integer_is_an_integer() {
        let integer = sample(
            json!({}),
            json!({"type": "integer", "format": "int64", "example": 1636481348.0}),
        );
        assert!(integer.is_i64(), "{integer}");
        assert_eq!(integer, json!(1636481348));
        // A number schema keeps the float; a fraction is not made whole.
        let number = sample(json!({}), json!({"type": "number", "example": 2.0}));
        assert!(number.is_f64());
        let fraction = sample(json!({}), json!({"type": "integer", "example": 2.5}));
        assert_eq!(fraction, json!(2.5));
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
