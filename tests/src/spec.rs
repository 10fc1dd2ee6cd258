//! What the stand-in server and the tests read from `spec/atlas-snapshots.yaml`: every
//! operation with its method, path template, path-parameter patterns, success status, media
//! types and their examples, request body schema, and the shared error examples
//! (`components/responses`). The spec is the
//! single source of the answers, so the server follows it when it changes.

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The spec file, relative to this crate's directory.
pub const SPEC_RELATIVE_PATH: &str = "../spec/atlas-snapshots.yaml";

/// The spec file of the repository.
pub fn spec_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(SPEC_RELATIVE_PATH)
}

/// Why the spec could not be read into a [`Spec`].
#[derive(Debug)]
pub enum SpecError {
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    Parse {
        path: PathBuf,
        reason: String,
    },
    /// Something the stand-in relies on is missing or malformed, at a JSON pointer.
    Shape {
        pointer: String,
        reason: String,
    },
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpecError::Read { path, source } => {
                write!(f, "cannot read {}: {source}", path.display())
            }
            SpecError::Parse { path, reason } => {
                write!(f, "cannot parse {}: {reason}", path.display())
            }
            SpecError::Shape { pointer, reason } => write!(f, "spec at {pointer}: {reason}"),
        }
    }
}

impl std::error::Error for SpecError {}

/// One media type of the success response, with its example.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaExample {
    /// `application/vnd.atlas.2024-11-13+json` or `application/json`.
    pub media_type: String,
    /// The version date a versioned Atlas media type names; `None` for plain JSON.
    pub version: Option<String>,
    /// The `example:` of that media type, as JSON; `null` for a 204, which has no body.
    pub example: Value,
}

/// The request body an operation takes.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBodySpec {
    pub required: bool,
    /// Its media types in the spec's order, each with its schema as written (references are
    /// followed against [`Spec::document`] when a body is checked, so recursive schemas are
    /// fine).
    pub media: Vec<(String, Value)>,
    /// The `example:` of the first media type.
    pub example: Option<Value>,
}

/// A path parameter and the pattern its schema gives, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct PathParam {
    pub name: String,
    pub pattern: Option<String>,
}

/// A query parameter with the bounds and default its schema gives.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryParam {
    pub name: String,
    /// `integer`, `boolean`, `string`, ...
    pub kind: Option<String>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub default: Option<Value>,
}

/// One operation of the spec.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecOperation {
    pub id: String,
    /// Upper case: `GET`.
    pub method: String,
    /// The path template with `{name}` placeholders, as in the spec.
    pub path: String,
    pub deprecated: bool,
    pub path_params: Vec<PathParam>,
    pub query_params: Vec<QueryParam>,
    /// The success status: 200, or 202 or 204 for an operation that answers only that.
    pub status: u16,
    /// Success media types in the spec's order.
    pub media: Vec<MediaExample>,
    pub request_body: Option<RequestBodySpec>,
}

impl SpecOperation {
    /// Whether the operation returns a page (`results` array) rather than one resource.
    pub fn is_list(&self) -> bool {
        self.media
            .iter()
            .any(|m| m.example.get("results").is_some_and(Value::is_array))
    }

    /// The versions the operation offers, oldest first; empty for plain-JSON operations.
    pub fn versions(&self) -> Vec<&str> {
        let mut versions: Vec<&str> = self
            .media
            .iter()
            .filter_map(|m| m.version.as_deref())
            .collect();
        versions.sort_unstable();
        versions
    }

    /// The 200 example of the media type that names `version` (`None`: plain JSON).
    pub fn example(&self, version: Option<&str>) -> Option<&Value> {
        self.media
            .iter()
            .find(|m| m.version.as_deref() == version)
            .map(|m| &m.example)
    }

    /// The example of the newest version, or the only one.
    pub fn newest_example(&self) -> &Value {
        let newest = self.versions().last().map(|v| v.to_string());
        self.example(newest.as_deref())
            .or_else(|| self.media.first().map(|m| &m.example))
            .expect("every operation has a success media type (checked when loading)")
    }

    /// The query parameter called `name`.
    pub fn query_param(&self, name: &str) -> Option<&QueryParam> {
        self.query_params.iter().find(|q| q.name == name)
    }

    /// The path with each `{name}` replaced by the value `values` gives for it.
    pub fn path_with(&self, values: &[(&str, &str)]) -> String {
        let mut path = self.path.clone();
        for (name, value) in values {
            path = path.replace(&format!("{{{name}}}"), value);
        }
        path
    }
}

/// The parts of the spec the stand-in and the tests use.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// Ordered by path, then method.
    pub operations: Vec<SpecOperation>,
    /// `components/responses/<name>` examples (`notFound`, `badRequest`, ...), as JSON.
    pub error_examples: BTreeMap<String, Value>,
    /// The whole document as JSON, which the schemas' references point into.
    pub document: Arc<Value>,
}

impl Spec {
    /// The repository's spec, read once per process.
    ///
    /// # Panics
    /// When the spec cannot be read: nothing in this crate can work without it.
    pub fn shared() -> &'static Spec {
        static SPEC: OnceLock<Spec> = OnceLock::new();
        SPEC.get_or_init(|| Spec::load(&spec_path()).unwrap_or_else(|e| panic!("{e}")))
    }

    pub fn load(path: &Path) -> Result<Spec, SpecError> {
        let text = std::fs::read_to_string(path).map_err(|source| SpecError::Read {
            path: path.to_owned(),
            source,
        })?;
        let yaml: serde_yaml::Value =
            serde_yaml::from_str(&text).map_err(|e| SpecError::Parse {
                path: path.to_owned(),
                reason: e.to_string(),
            })?;
        let doc = yaml_to_json(&yaml).map_err(|reason| SpecError::Parse {
            path: path.to_owned(),
            reason,
        })?;
        Spec::from_document(&doc)
    }

    /// Reads the operations and error examples out of an OpenAPI document given as JSON.
    pub fn from_document(doc: &Value) -> Result<Spec, SpecError> {
        let paths = object_at(doc, "/paths")?;
        let mut operations = Vec::new();
        for (path, item) in paths {
            let item = item
                .as_object()
                .ok_or_else(|| shape(&pointer(&["paths", path]), "not an object"))?;
            for (method, op) in item {
                if !matches!(method.as_str(), "get" | "put" | "post" | "delete" | "patch") {
                    continue;
                }
                operations.push(read_operation(doc, path, method, op)?);
            }
        }
        let mut error_examples = BTreeMap::new();
        if let Some(responses) = doc
            .pointer("/components/responses")
            .and_then(Value::as_object)
        {
            for (name, response) in responses {
                let response = resolve(doc, response)?;
                if let Some(example) = response
                    .get("content")
                    .and_then(Value::as_object)
                    .and_then(|content| content.values().find_map(|m| m.get("example")))
                {
                    error_examples.insert(name.clone(), example.clone());
                }
            }
        }
        Ok(Spec {
            operations,
            error_examples,
            document: Arc::new(doc.clone()),
        })
    }

    /// The operation with this `operationId`.
    ///
    /// # Panics
    /// When the spec has no such operation: a test naming one expects it to exist.
    pub fn operation(&self, id: &str) -> &SpecOperation {
        self.operations
            .iter()
            .find(|op| op.id == id)
            .unwrap_or_else(|| panic!("the spec has no operation `{id}`"))
    }

    /// A `components/responses` example, such as `notFound`.
    ///
    /// # Panics
    /// When the spec has no such response example.
    pub fn error_example(&self, name: &str) -> &Value {
        self.error_examples
            .get(name)
            .unwrap_or_else(|| panic!("the spec has no example for components/responses/{name}"))
    }
}

fn read_operation(
    doc: &Value,
    path: &str,
    method: &str,
    op: &Value,
) -> Result<SpecOperation, SpecError> {
    let here = pointer(&["paths", path, method]);
    let id = op
        .get("operationId")
        .and_then(Value::as_str)
        .ok_or_else(|| shape(&here, "no operationId"))?
        .to_owned();
    let mut path_params = Vec::new();
    let mut query_params = Vec::new();
    for parameter in op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let parameter = resolve(doc, parameter)?;
        let name = parameter
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| shape(&here, "a parameter has no name"))?
            .to_owned();
        let schema = match parameter.get("schema") {
            Some(schema) => Some(resolve(doc, schema)?),
            None => None,
        };
        let number = |key: &str| schema.and_then(|s| s.get(key)).and_then(Value::as_f64);
        match parameter.get("in").and_then(Value::as_str) {
            Some("path") => {
                let pattern = schema
                    .and_then(|s| s.get("pattern"))
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                path_params.push(PathParam { name, pattern });
            }
            Some("query") => query_params.push(QueryParam {
                name,
                kind: schema
                    .and_then(|s| s.get("type"))
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                minimum: number("minimum"),
                maximum: number("maximum"),
                default: schema.and_then(|s| s.get("default")).cloned(),
            }),
            _ => {}
        }
    }
    let (status, ok) = ["200", "201", "202", "204"]
        .iter()
        .find_map(|status| Some((*status, op.pointer(&format!("/responses/{status}"))?)))
        .ok_or_else(|| shape(&here, "no 200, 201, 202 or 204 response"))?;
    let ok = resolve(doc, ok)?;
    let content = ok
        .get("content")
        .and_then(Value::as_object)
        .ok_or_else(|| shape(&format!("{here}/responses/{status}"), "no content"))?;
    let mut media = Vec::new();
    for (media_type, body) in content {
        let example = match body.get("example") {
            Some(example) => example.clone(),
            // A 204 has no body, so nothing to give an example of.
            None if status == "204" => Value::Null,
            None => {
                return Err(shape(
                    &format!("{here}/responses/{status}/content/{}", escape(media_type)),
                    "no example",
                ))
            }
        };
        media.push(MediaExample {
            media_type: media_type.clone(),
            version: media_version(media_type).map(str::to_owned),
            example,
        });
    }
    if media.is_empty() {
        return Err(shape(
            &format!("{here}/responses/{status}/content"),
            "no media type",
        ));
    }
    let request_body = match op.get("requestBody") {
        Some(body) => Some(read_request_body(doc, resolve(doc, body)?, &here)?),
        None => None,
    };
    Ok(SpecOperation {
        id,
        method: method.to_ascii_uppercase(),
        path: path.to_owned(),
        deprecated: op
            .get("deprecated")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        path_params,
        query_params,
        status: status.parse().expect("one of three status codes"),
        media,
        request_body,
    })
}

fn read_request_body(doc: &Value, body: &Value, here: &str) -> Result<RequestBodySpec, SpecError> {
    let content = body
        .get("content")
        .and_then(Value::as_object)
        .ok_or_else(|| shape(&format!("{here}/requestBody"), "no content"))?;
    let mut media = Vec::new();
    let mut example = None;
    for (media_type, entry) in content {
        let schema = entry
            .get("schema")
            .ok_or_else(|| shape(&format!("{here}/requestBody"), "no schema"))?;
        // Fails here, not at the first request, when a reference leads nowhere.
        check_refs(doc, schema, &mut Default::default())?;
        media.push((media_type.clone(), schema.clone()));
        if example.is_none() {
            example = entry.get("example").cloned();
        }
    }
    Ok(RequestBodySpec {
        required: body
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        media,
        example,
    })
}

/// Every local `$ref` in `value` leads somewhere; each target is walked once, so a recursive
/// schema ends the walk where it comes back to itself.
fn check_refs(
    doc: &Value,
    value: &Value,
    seen: &mut std::collections::BTreeSet<String>,
) -> Result<(), SpecError> {
    if let Some(reference) = value.get("$ref").and_then(Value::as_str) {
        if !seen.insert(reference.to_owned()) {
            return Ok(());
        }
        return check_refs(doc, resolve(doc, value)?, seen);
    }
    match value {
        Value::Object(map) => map.values().try_for_each(|v| check_refs(doc, v, seen)),
        Value::Array(items) => items.iter().try_for_each(|v| check_refs(doc, v, seen)),
        _ => Ok(()),
    }
}

/// `application/vnd.atlas.2024-11-13+json` → `2024-11-13`.
pub fn media_version(media_type: &str) -> Option<&str> {
    let rest = media_type.strip_prefix("application/vnd.atlas.")?;
    let date = rest.strip_suffix("+json")?;
    let is_date = date.len() == 10
        && date.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    is_date.then_some(date)
}

/// Follows a local `$ref` (`#/components/...`), once or repeatedly.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> Result<&'a Value, SpecError> {
    let mut current = value;
    for _ in 0..16 {
        let Some(reference) = current.get("$ref").and_then(Value::as_str) else {
            return Ok(current);
        };
        let target = reference
            .strip_prefix('#')
            .ok_or_else(|| shape(reference, "only local references are supported"))?;
        current = doc
            .pointer(target)
            .ok_or_else(|| shape(reference, "the reference points nowhere"))?;
    }
    Err(shape("$ref", "references nest too deep"))
}

fn object_at<'a>(doc: &'a Value, at: &str) -> Result<&'a Map<String, Value>, SpecError> {
    doc.pointer(at)
        .and_then(Value::as_object)
        .ok_or_else(|| shape(at, "missing or not an object"))
}

fn shape(pointer: &str, reason: &str) -> SpecError {
    SpecError::Shape {
        pointer: pointer.to_owned(),
        reason: reason.to_owned(),
    }
}

/// A JSON pointer from its unescaped tokens.
fn pointer(tokens: &[&str]) -> String {
    tokens.iter().map(|t| format!("/{}", escape(t))).collect()
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// YAML to JSON; scalar keys (numbers, booleans) become strings, as OpenAPI means them.
pub fn yaml_to_json(value: &serde_yaml::Value) -> Result<Value, String> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(*b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n
                    .as_f64()
                    .ok_or_else(|| format!("unrepresentable number {n}"))?;
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| format!("{f} has no JSON form"))?
            }
        }
        Y::String(s) => Value::String(s.clone()),
        Y::Sequence(items) => {
            Value::Array(items.iter().map(yaml_to_json).collect::<Result<_, _>>()?)
        }
        Y::Mapping(map) => {
            let mut out = Map::new();
            for (key, item) in map {
                let key = match key {
                    Y::String(s) => s.clone(),
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => return Err(format!("unsupported mapping key {other:?}")),
                };
                out.insert(key, yaml_to_json(item)?);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(&tagged.value)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_operation_with_examples_and_patterns() {
        let spec = Spec::shared();
        assert_eq!(
            spec.operations.len(),
            56,
            "{:?}",
            spec.operations.iter().map(|o| &o.id).collect::<Vec<_>>()
        );
        let flex = spec.operation("listFlexBackupSnapshots");
        assert_eq!(flex.method, "GET");
        assert_eq!(flex.versions(), ["2024-11-13"]);
        assert!(flex.is_list());
        assert_eq!(
            flex.path_params,
            [
                PathParam {
                    name: "groupId".into(),
                    pattern: Some("^([a-f0-9]{24})$".into())
                },
                PathParam {
                    name: "name".into(),
                    pattern: Some("^[a-zA-Z0-9][a-zA-Z0-9-]*$".into())
                },
            ]
        );
        assert_eq!(flex.newest_example()["totalCount"], 2);
        let items = flex.query_param("itemsPerPage").unwrap();
        assert_eq!((items.minimum, items.maximum), (Some(1.0), Some(500.0)));
        assert_eq!(items.default, Some(Value::from(100)));
        let v1 = spec.operation("getTenantBackupSnapshotV1");
        assert!(v1.versions().is_empty());
        assert!(v1.deprecated);
        assert_eq!(v1.media[0].media_type, "application/json");
        assert_eq!(
            spec.error_example("notFound")["errorCode"],
            "RESOURCE_NOT_FOUND"
        );
        let delete = spec.operation("deleteClusterBackupSnapshot");
        assert_eq!(
            (delete.status, delete.media[0].example.clone()),
            (204, Value::Null)
        );
        assert!(delete.request_body.is_none());
        let take = spec.operation("takeSnapshots");
        assert_eq!(take.status, 200);
        let body = take.request_body.as_ref().unwrap();
        assert!(body.required);
        let (media_type, schema) = &body.media[0];
        assert_eq!(media_type, "application/vnd.atlas.2023-01-01+json");
        assert!(
            schema.get("$ref").is_some(),
            "references are kept: {schema}"
        );
        let schema = resolve(&spec.document, schema).unwrap();
        let link = &schema["properties"]["links"]["items"]["$ref"];
        assert_eq!(link, "#/components/schemas/Link", "references are kept");
        assert_eq!(
            spec.document
                .pointer("/components/schemas/Link/properties/rel/type"),
            Some(&Value::from("string")),
            "and point into the document"
        );
    }

    #[test]
    fn media_versions_are_dates_of_atlas_media_types() {
        assert_eq!(
            media_version("application/vnd.atlas.2023-01-01+json"),
            Some("2023-01-01")
        );
        assert_eq!(media_version("application/vnd.atlas.2023-1-01+json"), None);
        assert_eq!(media_version("application/json"), None);
        assert_eq!(media_version("application/vnd.atlas.2023-01-01+xml"), None);
    }

    #[test]
    fn broken_references_name_their_pointer() {
        let doc = serde_json::json!({
            "paths": {"/x": {"get": {
                "operationId": "x",
                "parameters": [{"$ref": "#/components/parameters/missing"}],
                "responses": {"200": {"content": {"application/json": {"example": {}}}}}
            }}}
        });
        let err = Spec::from_document(&doc).unwrap_err().to_string();
        assert!(err.contains("#/components/parameters/missing"), "{err}");
    }
}
