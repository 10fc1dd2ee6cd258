//! Changes to what many operations share, reported once: a property added to the error schema
//! every operation returns, a constraint dropped from a path parameter they all declare, and a
//! schema renamed with the same shape (a rename, not a removal and an addition). Every report
//! format lists such a change once with the operations it reaches and their count; on the two
//! raw Atlas revisions in `../shared/real-specs/` that shrinks the report by more than half.

mod diff_support;

use diff_support::{diff, options, repository};
use differ::{report, Diff, Level, Semver};

const OLD: &str = "tests/fixtures/diff/shared/old.yaml";
const NEW: &str = "tests/fixtures/diff/shared/new.yaml";

fn shared() -> Diff {
    diff(OLD, NEW, &options())
}

#[test]
fn each_operation_keeps_its_changes_until_the_report_folds_them() {
    let diff = shared();
    // Per operation, the change is still there: `--fail-on`, policies and the release
    // changelog see it in each operation it reaches.
    assert_eq!(diff.operations.len(), 3);
    for op in &diff.operations {
        assert!(
            op.changes
                .iter()
                .any(|c| c.message.contains("badRequestDetail")),
            "{}",
            op.operation_id
        );
    }
    let folded = diff.folded();
    assert!(folded.operations.is_empty(), "{:#?}", folded.operations);
    assert_eq!(folded.shared.len(), 2);
    let error = folded
        .shared
        .iter()
        .find(|s| s.change.message.contains("badRequestDetail"))
        .unwrap();
    assert_eq!(
        error.change.message,
        "`ApiError` in responses: added optional property `badRequestDetail`"
    );
    assert_eq!(error.change.level, Level::Info);
    assert_eq!(error.change.semver, Semver::Minor);
    assert_eq!(
        error.change.rust.as_deref(),
        Some("field `ApiError::bad_request_detail`")
    );
    let ids: Vec<&str> = error
        .operations
        .iter()
        .map(|o| o.operation_id.as_str())
        .collect();
    assert_eq!(ids, ["listGadgets", "listThings", "listWidgets"]);
    let group = folded
        .shared
        .iter()
        .find(|s| s.change.message.contains("groupId"))
        .unwrap();
    assert_eq!(
        group.change.message,
        "path parameter `groupId`: maxLength 24 removed"
    );
    assert_eq!(
        group.change.rust.as_deref(),
        Some("argument `group_id` of each method")
    );
    assert_eq!(group.operations.len(), 3);
    // Counted once.
    assert_eq!(folded.counts().total(), 3);
    assert_eq!(folded.folded(), folded, "folding twice changes nothing");
}

#[test]
fn a_schema_renamed_with_the_same_shape_is_a_rename() {
    let diff = shared();
    let codes: Vec<&str> = diff.changes().map(|c| c.info().number).collect();
    assert!(
        !codes.contains(&"DF501") && !codes.contains(&"DF502"),
        "{codes:?}"
    );
    let rename = diff
        .spec_changes
        .iter()
        .find(|c| c.info().number == "DF503")
        .expect("a rename");
    assert_eq!(
        rename.message,
        "`Sharding` renamed to `Sharding20240805` (same shape)"
    );
    assert_eq!(rename.level, Level::Info, "no wire change");
    assert_eq!(rename.semver, Semver::Major, "the Rust type is renamed");
    // The operation returning it sees no change of its own.
    let gadgets = diff
        .operations
        .iter()
        .find(|op| op.operation_id == "listGadgets")
        .unwrap();
    assert!(
        gadgets.changes.iter().all(|c| c.site.is_some()),
        "{:#?}",
        gadgets.changes
    );
}

#[test]
fn every_format_lists_a_shared_change_once_with_its_operations() {
    let diff = shared();
    let once = |text: &str, format: &str| {
        assert_eq!(
            text.matches("added optional property `badRequestDetail`")
                .count(),
            1,
            "{format}:\n{text}"
        );
    };
    let text = report::text(&diff);
    once(&text, "text");
    assert!(
        text.contains("reaches 3 operation(s): listGadgets, listThings, listWidgets"),
        "{text}"
    );
    let markdown = report::markdown(&diff);
    once(&markdown, "markdown");
    assert!(markdown.contains("## Shared schemas"), "{markdown}");
    assert!(
        markdown.contains("Reaches 3 operation(s)")
            && markdown.contains("`listGadgets`, `listThings`, `listWidgets`"),
        "{markdown}"
    );
    let json = report::json(&diff);
    once(&json, "json");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let records = value["sharedChanges"].as_array().unwrap();
    assert_eq!(records.len(), 2);
    for record in records {
        assert_eq!(record["operationCount"], 3);
        assert_eq!(
            record["operations"],
            serde_json::json!(["listGadgets", "listThings", "listWidgets"])
        );
    }
    assert_eq!(value["operations"], serde_json::json!([]));
    let github = report::github_actions(&diff);
    once(&github, "githubactions");
    assert!(
        github.contains("3 operations (listGadgets%2C listThings%2C listWidgets)"),
        "{github}"
    );
    let junit = report::junit(&diff);
    once(&junit, "junit");
    assert!(
        junit.contains("<testsuite name=\"Shared schemas\" tests=\"2\"")
            && junit.contains("reaches 3 operations: listGadgets, listThings, listWidgets"),
        "{junit}"
    );
    insta::assert_snapshot!("shared_text", text);
    insta::assert_snapshot!("shared_json", json);
}

/// The raw Atlas revisions of 2025-01-30 and 2026-08-21: one edit to `ApiError` reached 522
/// operations (1,566 lines for its three properties); folded, each is one line. The same pair
/// shows union alternatives and discriminators added.
#[test]
fn the_real_atlas_report_shrinks() {
    let dir = repository().join("../shared/real-specs");
    let (old, new) = (
        dir.join("atlas-raw-2025-01-30.yaml.gz"),
        dir.join("atlas-raw-2026-08-21.yaml.gz"),
    );
    if !old.exists() || !new.exists() {
        eprintln!("skipped: no {}", dir.display());
        return;
    }
    let diff = differ::diff_files(&old, Some(&new), &options()).unwrap();
    // Unions are compared by branch: Atlas added discriminators and alternatives in between.
    let fired: std::collections::BTreeSet<&str> = diff.changes().map(|c| c.info().number).collect();
    for rule in ["DF348", "DF350", "DF446", "DF448"] {
        assert!(fired.contains(rule), "{rule} not found");
    }
    let per_operation = diff.changes().count();
    let folded = diff.folded();
    let reported = folded.changes().count();
    eprintln!("{per_operation} changes in operations, {reported} reported");
    assert!(
        reported * 2 < per_operation,
        "{reported} changes reported of {per_operation}"
    );
    let text = report::text(&diff);
    for property in ["badRequestDetail", "detail", "reason"] {
        let line = format!("`ApiError` in responses: `{property}` became nullable");
        assert_eq!(text.matches(&line).count(), 1, "{line}");
    }
    let api_error = folded
        .shared
        .iter()
        .find(|s| s.change.message == "`ApiError` in responses: `detail` became nullable")
        .unwrap();
    assert!(
        api_error.operations.len() > 400,
        "{}",
        api_error.operations.len()
    );
}

/// Under its size cap, the Markdown report keeps the shared-schema blocks that fit (the most
/// severe first) and says how many changes it left out.
#[test]
fn markdown_keeps_the_shared_blocks_that_fit() {
    let diff = diff(
        "tests/fixtures/diff/upstream/atlas-admin-v2-2023-02-23.yaml",
        "tests/fixtures/diff/upstream/atlas-admin-v2-2026-01-12.yaml",
        &options(),
    );
    let full = report::markdown(&diff);
    let start = full.find("\n## Shared schemas\n").unwrap();
    let blocks: Vec<usize> = full[start..]
        .match_indices("\n<details><summary>Reaches ")
        .map(|(i, _)| start + i)
        .collect();
    assert!(blocks.len() > 2, "{full}");
    // Room for the first block and the notice (1,000 characters), not for the second.
    let cut = report::markdown_capped(&diff, blocks[1] + 1_000);
    assert!(cut.len() <= blocks[1] + 1_000);
    assert!(cut.contains(&full[blocks[0]..blocks[1]]), "{cut}");
    assert!(!cut.contains(&full[blocks[1]..blocks[2]]), "{cut}");
    assert!(cut.contains("shared-schema change(s)"), "{cut}");
}
