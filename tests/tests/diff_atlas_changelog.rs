//! `--format atlas-changelog`: MongoDB's published version-diff records (one per operation:
//! `path`, `httpMethod`, `operationId`, `tag`, `changes[{change, changeCode,
//! backwardCompatible}]`), sorted by path and method, with oasdiff's change codes where MongoDB's
//! changelog uses them.

mod diff_support;

use diff_support::{diff, options};
use differ::report;
use serde_json::Value;

const R2023: &str = "tests/fixtures/diff/upstream/atlas-admin-v2-2023-02-23.yaml";
const R2026_01: &str = "tests/fixtures/diff/upstream/atlas-admin-v2-2026-01-12.yaml";

#[test]
fn records_have_mongodbs_fields_and_order() {
    let diff = diff(R2023, R2026_01, &options());
    let text = report::atlas_changelog(&diff);
    let records: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(records.len(), diff.operations.len());
    // The fields, in MongoDB's order.
    let mut keys = ["path", "httpMethod", "operationId", "tag", "changes"];
    let fields: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with("    \""))
        .map(|line| line.trim().split('"').nth(1).unwrap())
        .collect();
    assert_eq!(fields.len(), keys.len() * records.len());
    for chunk in fields.chunks(keys.len()) {
        assert_eq!(chunk, keys);
    }
    let change_fields: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with("        \""))
        .map(|line| line.trim().split('"').nth(1).unwrap())
        .collect();
    for chunk in change_fields.chunks(3) {
        assert_eq!(chunk, ["change", "changeCode", "backwardCompatible"]);
    }
    keys.sort();
    for record in &records {
        let object = record.as_object().unwrap();
        assert_eq!(object.keys().collect::<Vec<_>>(), keys, "{record}");
    }
    let mut previous: Option<(String, String)> = None;
    for record in &records {
        let key = (
            record["path"].as_str().unwrap().to_owned(),
            record["httpMethod"].as_str().unwrap().to_owned(),
        );
        assert!(previous.as_ref() <= Some(&key), "sorted by path and method");
        previous = Some(key);
    }
    // A change several operations share is listed in each, as MongoDB lists it.
    let with_error_detail = records
        .iter()
        .filter(|r| text_of(r).contains("added optional property `badRequestDetail`"))
        .count();
    assert_eq!(with_error_detail, 4);
    // Breaking is not backward compatible; oasdiff's code where MongoDB's changelog has one.
    let breaking = diff
        .changes()
        .filter(|c| c.level == differ::Level::Breaking)
        .count();
    let incompatible = records
        .iter()
        .flat_map(|r| r["changes"].as_array().unwrap())
        .filter(|c| c["backwardCompatible"] == false)
        .count();
    assert_eq!(incompatible, breaking - spec_breaking(&diff));
    assert!(
        text.contains("\"changeCode\": \"api-security-added\""),
        "{text}"
    );
    insta::assert_snapshot!("atlas_changelog_2023_to_2026_01", text);
}

#[test]
fn new_properties_take_oasdiffs_codes() {
    let diff = diff(
        "tests/fixtures/diff/rules/request-properties/old.yaml",
        "tests/fixtures/diff/rules/request-properties/new.yaml",
        &options(),
    );
    let text = report::atlas_changelog(&diff);
    assert!(text.contains("\"changeCode\": \"new-optional-request-property\""));
    assert!(text.contains("\"changeCode\": \"new-required-request-property\""));
    assert!(!text.contains("\"changeCode\": \"request-optional-property-added\""));
}

fn text_of(record: &Value) -> String {
    record["changes"].to_string()
}

fn spec_breaking(diff: &differ::Diff) -> usize {
    diff.spec_changes
        .iter()
        .filter(|c| c.level == differ::Level::Breaking)
        .count()
}
