//! The inputs both generators are fed: the full upstream spec and the curated spec, each
//! lightly rewritten so that progenitor accepts it, written once to `target/bench/specs/`.
//! Both generators read the same rewritten file, so they do the same work.
//!
//! Each rewrite is a named function with the reason it is needed; the report lists how often
//! each one applied, and the preparation fails when one applies to neither spec (then it is
//! no longer needed and should go).

use crate::paths::Paths;
use anyhow::{bail, Context};
use serde_yaml::{Mapping, Value};
use std::io::Read;
use std::path::{Path, PathBuf};

/// A spec prepared for the comparison.
#[derive(Debug, Clone)]
pub struct PreparedSpec {
    /// `full` or `curated`.
    pub name: &'static str,
    /// The file it was made from.
    pub source: PathBuf,
    /// The rewritten YAML both generators read.
    pub path: PathBuf,
    pub operations: usize,
    pub schemas: usize,
    /// The rewrites, in the order they ran.
    pub fixups: Vec<FixUp>,
}

#[derive(Debug, Clone)]
pub struct Specs {
    pub full: PreparedSpec,
    pub curated: PreparedSpec,
}

impl Specs {
    pub fn both(&self) -> [&PreparedSpec; 2] {
        [&self.full, &self.curated]
    }
}

/// One named rewrite and how often it applied to a spec.
#[derive(Debug, Clone)]
pub struct FixUp {
    pub name: &'static str,
    pub why: &'static str,
    pub applied: usize,
}

const VERSIONED_JSON: &str = "versioned JSON media types → `application/json`";
const VERSIONED_JSON_WHY: &str = "progenitor types a body only when its media type is \
    `application/json`; `application/vnd.atlas.2023-01-01+json` and its kin leave a response \
    untyped and make it refuse a request body. Each content map gets one `application/json` \
    entry holding the newest version; other media types (CSV, gzip downloads) stay";
const SCHEMALESS_JSON: &str = "JSON media types without a schema removed";
const SCHEMALESS_JSON_WHY: &str = "progenitor stops (`todo!`) on a JSON body with no schema; \
    such an entry says nothing about the body's type";
const ONE_BODY_TYPE: &str = "one body type per operation's successes and errors";
const ONE_BODY_TYPE_WHY: &str = "progenitor asserts that all success responses of an \
    operation (and all its error responses) share one body type; responses whose body differs \
    from the most common one of their group (ties: the lowest status) are removed";

pub fn prepare_specs(paths: &Paths) -> anyhow::Result<Specs> {
    let folder = paths.work.join("specs");
    std::fs::create_dir_all(&folder)?;
    let full = prepare("full", &paths.upstream_spec(crate::diff::NEW_DATE), &folder)?;
    let curated = prepare("curated", &paths.curated_spec(), &folder)?;
    for (index, fixup) in full.fixups.iter().enumerate() {
        if fixup.applied == 0 && curated.fixups[index].applied == 0 {
            bail!(
                "the spec rewrite `{}` applies to neither spec; it is no longer needed",
                fixup.name
            );
        }
    }
    Ok(Specs { full, curated })
}

fn prepare(name: &'static str, source: &Path, folder: &Path) -> anyhow::Result<PreparedSpec> {
    let text = read_maybe_gzipped(source)?;
    let mut document: Value =
        serde_yaml::from_str(&text).with_context(|| format!("parsing {}", source.display()))?;
    let mut fixups = Vec::new();
    for (name, why, rewrite) in [
        (
            VERSIONED_JSON,
            VERSIONED_JSON_WHY,
            rewrite_versioned_json as fn(&mut Value) -> usize,
        ),
        (SCHEMALESS_JSON, SCHEMALESS_JSON_WHY, remove_schemaless_json),
        (ONE_BODY_TYPE, ONE_BODY_TYPE_WHY, one_body_type_per_outcome),
    ] {
        fixups.push(FixUp {
            name,
            why,
            applied: rewrite(&mut document),
        });
    }
    let operations = document
        .get("paths")
        .and_then(Value::as_mapping)
        .map_or(0, |paths| {
            paths
                .values()
                .filter_map(Value::as_mapping)
                .flat_map(|item| item.keys())
                .filter(|method| {
                    matches!(
                        method.as_str(),
                        Some("get" | "put" | "post" | "delete" | "patch" | "head" | "options")
                    )
                })
                .count()
        });
    let schemas = document
        .get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_mapping)
        .map_or(0, Mapping::len);
    let path = folder.join(format!("{name}.yaml"));
    std::fs::write(&path, serde_yaml::to_string(&document)?)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(PreparedSpec {
        name,
        source: source.to_path_buf(),
        path,
        operations,
        schemas,
        fixups,
    })
}

pub fn read_maybe_gzipped(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .read_to_string(&mut text)
            .with_context(|| format!("decompressing {}", path.display()))?;
        Ok(text)
    } else {
        String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8", path.display()))
    }
}

/// Calls `visit` on every `content` map under `value`; adds up what it returns.
fn for_each_content(value: &mut Value, visit: &mut dyn FnMut(&mut Mapping) -> usize) -> usize {
    let mut count = 0;
    match value {
        Value::Mapping(map) => {
            for (key, child) in map.iter_mut() {
                if key.as_str() == Some("content") {
                    if let Value::Mapping(content) = child {
                        count += visit(content);
                    }
                }
                count += for_each_content(child, visit);
            }
        }
        Value::Sequence(items) => {
            for item in items {
                count += for_each_content(item, visit);
            }
        }
        _ => {}
    }
    count
}

/// `application/vnd.atlas.2023-01-01+json` and the like.
fn is_versioned_json(media_type: &str) -> bool {
    media_type.starts_with("application/vnd.atlas.") && media_type.ends_with("+json")
}

/// Gives each content map with versioned JSON media types one `application/json` entry, at
/// the place of the first versioned one, holding the newest version (dates sort as text). A
/// plain `application/json` entry already there wins. Returns the content maps rewritten.
fn rewrite_versioned_json(document: &mut Value) -> usize {
    for_each_content(document, &mut |content| {
        let Some(newest) = content
            .keys()
            .filter_map(Value::as_str)
            .filter(|k| is_versioned_json(k))
            .max()
            .map(str::to_owned)
        else {
            return 0;
        };
        let has_plain = content.contains_key("application/json");
        let mut rewritten = Mapping::new();
        for (key, media) in std::mem::take(content) {
            match key.as_str() {
                Some(k) if k == newest && !has_plain => {
                    rewritten.insert(Value::from("application/json"), media);
                }
                Some(k) if is_versioned_json(k) => {}
                _ => {
                    rewritten.insert(key, media);
                }
            }
        }
        *content = rewritten;
        1
    })
}

/// Removes `application/json` entries that have no schema. Returns how many.
fn remove_schemaless_json(document: &mut Value) -> usize {
    for_each_content(document, &mut |content| {
        let schemaless = content
            .get("application/json")
            .is_some_and(|media| media.get("schema").is_none());
        if schemaless {
            content.remove("application/json");
        }
        usize::from(schemaless)
    })
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Removes the responses that would give an operation a second success or error body type,
/// grouping status codes as progenitor does (`default` counts in both groups). Returns the
/// responses removed.
fn one_body_type_per_outcome(document: &mut Value) -> usize {
    let shared = document
        .get("components")
        .and_then(|c| c.get("responses"))
        .cloned()
        .unwrap_or(Value::Null);
    let Some(paths) = document.get_mut("paths").and_then(Value::as_mapping_mut) else {
        return 0;
    };
    let mut removed = 0;
    for item in paths.values_mut().filter_map(Value::as_mapping_mut) {
        for (method, operation) in item.iter_mut() {
            if !method.as_str().is_some_and(|m| METHODS.contains(&m)) {
                continue;
            }
            let Some(responses) = operation
                .get_mut("responses")
                .and_then(Value::as_mapping_mut)
            else {
                continue;
            };
            for in_group in [
                is_success_or_default as fn(&str) -> bool,
                is_error_or_default,
            ] {
                removed += keep_one_body_type(responses, &shared, in_group);
            }
        }
    }
    removed
}

fn is_success_or_default(status: &str) -> bool {
    status == "default" || status == "101" || status.starts_with('2')
}

fn is_error_or_default(status: &str) -> bool {
    status == "default" || status.starts_with('4') || status.starts_with('5')
}

fn keep_one_body_type(
    responses: &mut Mapping,
    shared: &Value,
    in_group: fn(&str) -> bool,
) -> usize {
    // (status, body type) of the group, by status.
    let mut group: Vec<(String, String)> = responses
        .iter()
        .filter_map(|(status, response)| {
            let status = status_text(status)?;
            in_group(&status).then(|| (status, body_type(response, shared)))
        })
        .collect();
    group.sort();
    let count = |body: &str| group.iter().filter(|(_, b)| b == body).count();
    // The most common body type; `max_by_key` keeps the last of equals, so walk backwards to
    // let the lowest status win a tie.
    let Some(kept) = group
        .iter()
        .rev()
        .max_by_key(|(_, body)| count(body))
        .map(|(_, body)| body.clone())
    else {
        return 0;
    };
    let mut removed = 0;
    for (status, body) in &group {
        if *body != kept {
            responses.retain(|key, _| status_text(key).as_deref() != Some(status.as_str()));
            removed += 1;
        }
    }
    removed
}

/// A status key as text (YAML may read `200` as a number).
fn status_text(key: &Value) -> Option<String> {
    match key {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// What progenitor would make of a response's body: its JSON schema, "raw" or "none".
fn body_type(response: &Value, shared: &Value) -> String {
    let response = match response.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .rsplit('/')
            .next()
            .and_then(|name| shared.get(name))
            .unwrap_or(response),
        None => response,
    };
    let content = response.get("content").and_then(Value::as_mapping);
    match content {
        Some(content) => match content.get("application/json") {
            Some(media) => serde_yaml::to_string(&media.get("schema")).unwrap_or_default(),
            None if content.is_empty() => "none".to_owned(),
            None => "raw".to_owned(),
        },
        None => "none".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn keeps_the_newest_json_version_and_other_media_types() {
        let mut doc = yaml(
            "responses:\n  '200':\n    content:\n      application/vnd.atlas.2023-01-01+json: {schema: old}\n      application/vnd.atlas.2024-05-30+json: {schema: new}\n      application/vnd.atlas.2023-01-01+csv: {schema: csv}\n",
        );
        assert_eq!(rewrite_versioned_json(&mut doc), 1);
        let content = &doc["responses"]["200"]["content"];
        let keys: Vec<&str> = content
            .as_mapping()
            .unwrap()
            .keys()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(
            keys,
            ["application/json", "application/vnd.atlas.2023-01-01+csv"]
        );
        assert_eq!(content["application/json"]["schema"], "new");
    }

    #[test]
    fn removes_json_entries_without_a_schema() {
        let mut doc = yaml("a: {content: {application/json: {x-version: '1'}}}\nb: {content: {application/json: {schema: s}}}\n");
        assert_eq!(remove_schemaless_json(&mut doc), 1);
        assert!(doc["a"]["content"].as_mapping().unwrap().is_empty());
    }

    #[test]
    fn keeps_the_most_common_body_type_of_each_group() {
        let mut doc = yaml(
            "components:\n  responses:\n    err: {content: {application/json: {schema: E}}}\npaths:\n  /x:\n    get:\n      responses:\n        '200': {content: {application/json: {schema: A}}}\n        '204': {description: none}\n        '400': {content: {application/json: {schema: V}}}\n        '404': {$ref: '#/components/responses/err'}\n        '500': {$ref: '#/components/responses/err'}\n",
        );
        assert_eq!(one_body_type_per_outcome(&mut doc), 2);
        let statuses: Vec<&str> = doc["paths"]["/x"]["get"]["responses"]
            .as_mapping()
            .unwrap()
            .keys()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(statuses, ["200", "404", "500"]);
    }
}
