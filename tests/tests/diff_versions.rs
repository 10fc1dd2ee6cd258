//! Comparing within one spec: two version pins (Atlas semantics: a client pinned to a date uses
//! the newest version not newer than it), and v1.0 operations against their v2 successors, on a
//! fixture and on the curated spec. Also the operation filters.

mod diff_support;

use diff_support::{model, options, render};
use differ::{Filter, Options};

const VERSIONS: &str = "tests/fixtures/diff/versions/spec.yaml";
const LEGACY: &str = "tests/fixtures/diff/legacy/spec.yaml";
const CURATED: &str = "spec/atlas-snapshots.yaml";

fn pinned(from: &str, to: &str) -> Options {
    Options {
        from: Some(from.into()),
        to: Some(to.into()),
        ..options()
    }
}

fn legacy(to: Option<&str>) -> Options {
    Options {
        legacy: true,
        to: to.map(str::to_owned),
        ..options()
    }
}

#[test]
fn between_two_pins() {
    let spec = model(VERSIONS);
    let diff = differ::diff_models(&spec, &spec, &pinned("2023-01-01", "2024-05-30")).unwrap();
    let r = render(&diff);
    insta::assert_snapshot!("versions_2023_to_2024_text", r.text);
    insta::assert_snapshot!("versions_2023_to_2024_markdown", r.markdown);
    insta::assert_snapshot!("versions_2023_to_2024_json", r.json);
}

#[test]
fn a_later_pin_reaches_operations_that_start_later() {
    let spec = model(VERSIONS);
    let diff = differ::diff_models(&spec, &spec, &pinned("2024-05-30", "2025-01-01")).unwrap();
    insta::assert_snapshot!("versions_2024_to_2025_text", render(&diff).text);
}

#[test]
fn the_same_pin_twice_finds_nothing() {
    let spec = model(VERSIONS);
    let diff = differ::diff_models(&spec, &spec, &pinned("2024-05-30", "2024-05-30")).unwrap();
    assert!(diff.is_empty(), "{}", render(&diff).text);
}

#[test]
fn v1_to_v2_fixture() {
    let spec = model(LEGACY);
    let diff = differ::diff_models(&spec, &spec, &legacy(None)).unwrap();
    let r = render(&diff);
    insta::assert_snapshot!("legacy_fixture_text", r.text);
    insta::assert_snapshot!("legacy_fixture_markdown", r.markdown);
    insta::assert_snapshot!("legacy_fixture_json", r.json);
}

#[test]
fn v1_to_v2_against_a_pinned_v2() {
    let spec = model(LEGACY);
    let diff = differ::diff_models(&spec, &spec, &legacy(Some("2023-01-01"))).unwrap();
    insta::assert_snapshot!("legacy_fixture_pinned_text", render(&diff).text);
}

#[test]
fn v1_to_v2_curated_serverless_and_tenant_snapshots() {
    let spec = model(CURATED);
    let diff = differ::diff_models(&spec, &spec, &legacy(None)).unwrap();
    let r = render(&diff);
    insta::assert_snapshot!("legacy_curated_text", r.text);
    insta::assert_snapshot!("legacy_curated_markdown", r.markdown);
    insta::assert_snapshot!("legacy_curated_json", r.json);
}

#[test]
fn filters_keep_only_the_named_operations() {
    let (old, new) = (
        model("tests/fixtures/diff/upstream/atlas-admin-v2-2023-02-23.yaml"),
        model("tests/fixtures/diff/upstream/atlas-admin-v2-2026-01-12.yaml"),
    );
    let only = |filter: Filter| {
        let diff = differ::diff_models(
            &old,
            &new,
            &Options {
                filter,
                ..options()
            },
        )
        .unwrap();
        let mut ids: Vec<String> = diff
            .operations
            .iter()
            .map(|op| op.operation_id.clone())
            .collect();
        ids.sort();
        ids
    };
    // An operationId names the operation on either side: renamed operations are still found.
    let by_old_id = only(Filter {
        operation_ids: vec!["listServerlessBackups".into()],
        ..Filter::default()
    });
    assert_eq!(by_old_id, ["listServerlessBackupSnapshots"]);
    let by_tag = only(Filter {
        tags: vec!["Flex Snapshots".into()],
        ..Filter::default()
    });
    assert_eq!(by_tag, ["getFlexBackupSnapshot", "listFlexBackupSnapshots"]);
    let by_path = only(Filter {
        path_prefixes: vec!["/api/atlas/v2/groups/{groupId}/clusters/".into()],
        ..Filter::default()
    });
    assert_eq!(
        by_path,
        ["getBackupTenantSnapshot", "listClusterBackupSnapshots"]
    );
    // Kinds combine: a tag and a path prefix that no operation has together.
    let none = only(Filter {
        tags: vec!["Flex Snapshots".into()],
        path_prefixes: vec!["/api/atlas/v2/groups/{groupId}/clusters/".into()],
        ..Filter::default()
    });
    assert!(none.is_empty());
}

#[test]
fn a_filtered_diff_lists_only_the_schemas_its_operations_use() {
    let (old, new) = (
        model("tests/fixtures/diff/upstream/atlas-admin-v2-2023-02-23.yaml"),
        model("tests/fixtures/diff/upstream/atlas-admin-v2-2026-01-12.yaml"),
    );
    let filter = Filter {
        operation_ids: vec!["getSharedClusterBackup".into()],
        ..Filter::default()
    };
    let diff = differ::diff_models(
        &old,
        &new,
        &Options {
            filter,
            ..options()
        },
    )
    .unwrap();
    insta::assert_snapshot!("upstream_filtered_text", render(&diff).text);
}
