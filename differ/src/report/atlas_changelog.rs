//! MongoDB's changelog format: the version-diff records MongoDB publishes for the Atlas Admin
//! API (`changelog/version-diff/<from>_<to>.json` in mongodb/openapi), one per operation with
//! `path`, `httpMethod`, `operationId`, `tag` and `changes[{change, changeCode,
//! backwardCompatible}]`, sorted by path and method, so that a team reading MongoDB's changelog
//! can read this one beside it.
//!
//! MongoDB's records come from oasdiff: where a rule has an oasdiff check that reports the same
//! change, the record carries that check's id as `changeCode` ([`ATLAS_CODES`]); otherwise the
//! rule's own code. Records are per operation, so a change that several operations share is
//! listed in each (as MongoDB lists it), and changes that belong to no operation (named types,
//! security schemes, policy) are not in this format: the `json` report has them.

use crate::change::{Change, Diff, OperationDiff};
use crate::rules::{Level, RuleId};
use serde::Serialize;

/// Rules whose change MongoDB's changelog (oasdiff) reports under another code.
pub const ATLAS_CODES: &[(RuleId, &str)] = &[
    (
        RuleId::EndpointRemovedWithoutDeprecation,
        "api-removed-without-deprecation",
    ),
    (
        RuleId::EndpointRemovedBeforeSunset,
        "api-removed-before-sunset",
    ),
    (RuleId::EndpointRemoved, "api-removed-with-deprecation"),
    (
        RuleId::EndpointOperationIdChanged,
        "api-operation-id-removed",
    ),
    (
        RuleId::RequestOptionalParameterAdded,
        "new-optional-request-parameter",
    ),
    (
        RuleId::RequestRequiredParameterAdded,
        "new-required-request-parameter",
    ),
    (
        RuleId::RequestOptionalPropertyAdded,
        "new-optional-request-property",
    ),
    (
        RuleId::RequestRequiredPropertyAdded,
        "new-required-request-property",
    ),
    (RuleId::EndpointSecuritySchemeAdded, "api-security-added"),
    (
        RuleId::EndpointSecuritySchemeRemoved,
        "api-security-removed",
    ),
];

/// The `changeCode` of a change in MongoDB's changelog.
pub fn atlas_code(rule: RuleId) -> &'static str {
    ATLAS_CODES
        .iter()
        .find(|(id, _)| *id == rule)
        .map_or(rule.rule().code, |(_, code)| code)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Record<'a> {
    path: &'a str,
    http_method: &'static str,
    operation_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    tag: Option<&'a str>,
    changes: Vec<ChangeRecord<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ChangeRecord<'a> {
    change: &'a str,
    change_code: &'static str,
    backward_compatible: bool,
}

impl<'a> From<&'a Change> for ChangeRecord<'a> {
    fn from(c: &'a Change) -> Self {
        ChangeRecord {
            change: &c.message,
            change_code: atlas_code(c.rule),
            backward_compatible: c.level() != Level::Breaking,
        }
    }
}

pub fn atlas_changelog(diff: &Diff) -> String {
    let mut operations: Vec<&OperationDiff> = diff.operations.iter().collect();
    operations.sort_by(|a, b| {
        (&a.path, a.method.as_str(), &a.operation_id).cmp(&(
            &b.path,
            b.method.as_str(),
            &b.operation_id,
        ))
    });
    let records: Vec<Record<'_>> = operations
        .into_iter()
        .map(|op| Record {
            path: &op.path,
            http_method: op.method.as_str(),
            operation_id: &op.operation_id,
            tag: op.tag.as_deref(),
            changes: op.changes.iter().map(ChangeRecord::from).collect(),
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&records)
        .expect("records of strings and booleans always serialize");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_oasdiff_where_it_has_the_check() {
        assert_eq!(
            atlas_code(RuleId::RequestOptionalPropertyAdded),
            "new-optional-request-property"
        );
        assert_eq!(atlas_code(RuleId::EndpointAdded), "endpoint-added");
        let mut rules: Vec<RuleId> = ATLAS_CODES.iter().map(|(r, _)| *r).collect();
        rules.dedup();
        assert_eq!(rules.len(), ATLAS_CODES.len(), "each rule once");
    }
}
