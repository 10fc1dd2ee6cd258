//! JSON report: per-operation records shaped like MongoDB's published version diffs (`path`,
//! `httpMethod`, `operationId`, `tag`, `changes[{change, changeCode, backwardCompatible}]`),
//! each change also carrying its rule id, level and Rust API effect.

use crate::change::{Change, Diff};
use crate::rules::{Level, Semver};
use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Report<'a> {
    old: &'a str,
    new: &'a str,
    summary: Summary,
    operations: Vec<OperationRecord<'a>>,
    /// Changes to a schema or parameter several operations share, each once.
    shared_changes: Vec<SharedRecord<'a>>,
    spec_changes: Vec<ChangeRecord<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SharedRecord<'a> {
    #[serde(flatten)]
    change: ChangeRecord<'a>,
    /// `` `ApiError` in responses ``, `` path parameter `groupId` ``.
    subject: &'a str,
    operation_count: usize,
    /// The operations it reaches, by operationId, in report order.
    operations: Vec<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Summary {
    breaking: usize,
    warning: usize,
    info: usize,
    /// `null` when nothing changed.
    semver: Option<Semver>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OperationRecord<'a> {
    path: &'a str,
    http_method: &'static str,
    operation_id: &'a str,
    /// The operation's first tag; `null` when it has none.
    tag: Option<&'a str>,
    changes: Vec<ChangeRecord<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ChangeRecord<'a> {
    change: &'a str,
    change_code: &'static str,
    backward_compatible: bool,
    rule_id: &'static str,
    level: Level,
    semver: Semver,
    /// The generated item the change touches; `null` when it touches none.
    rust_item: Option<&'a str>,
    /// The reason of the exemption that keeps the change out of `--fail-on`.
    #[serde(skip_serializing_if = "Option::is_none")]
    exemption: Option<&'a str>,
}

impl<'a> From<&'a Change> for ChangeRecord<'a> {
    fn from(c: &'a Change) -> Self {
        let rule = c.info();
        ChangeRecord {
            change: &c.message,
            change_code: rule.code,
            backward_compatible: c.level() != Level::Breaking,
            rule_id: rule.number,
            level: c.level(),
            semver: c.semver,
            rust_item: c.rust.as_deref(),
            exemption: c.exempted.as_deref(),
        }
    }
}

pub fn json(diff: &Diff) -> String {
    let diff = &diff.folded();
    let counts = diff.counts();
    let report = Report {
        old: &diff.old_label,
        new: &diff.new_label,
        summary: Summary {
            breaking: counts.breaking,
            warning: counts.warning,
            info: counts.info,
            semver: diff.semver(),
        },
        operations: diff
            .operations
            .iter()
            .map(|op| OperationRecord {
                path: &op.path,
                http_method: op.method.as_str(),
                operation_id: &op.operation_id,
                tag: op.tag.as_deref(),
                changes: op.changes.iter().map(ChangeRecord::from).collect(),
            })
            .collect(),
        shared_changes: diff
            .shared
            .iter()
            .map(|shared| SharedRecord {
                change: ChangeRecord::from(&shared.change),
                subject: shared
                    .change
                    .site
                    .as_ref()
                    .map_or("", |site| site.subject.as_str()),
                operation_count: shared.operations.len(),
                operations: shared
                    .operations
                    .iter()
                    .map(|o| o.operation_id.as_str())
                    .collect(),
            })
            .collect(),
        spec_changes: diff.spec_changes.iter().map(ChangeRecord::from).collect(),
    };
    let mut text = serde_json::to_string_pretty(&report)
        .expect("a report of strings, numbers and booleans always serializes");
    text.push('\n');
    text
}
