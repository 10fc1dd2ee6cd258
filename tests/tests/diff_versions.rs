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

const UNRELEASED: &str = "tests/fixtures/diff/unreleased";

/// Each changed operation with the codes of its changes, in report order.
fn codes(diff: &differ::Diff) -> Vec<(String, Vec<&'static str>)> {
    diff.operations
        .iter()
        .map(|op| {
            let codes = op.changes.iter().map(|c| c.info().code).collect();
            (op.operation_id.clone(), codes)
        })
        .collect()
}

/// Between two files, upcoming (`2025-03-12.upcoming`) and preview versions can be left out
/// (`cargo xtask diff` does unless `--unreleased` asks for them): `getWidget` gained both and
/// `listPreviews` has only a preview. The operation
/// renamed after the API guidelines under the same `x-xgen-operation-id-override` keeps its
/// client method: a rename, patch, not a removal and an addition.
#[test]
fn unreleased_versions_are_left_out_between_two_files_unless_asked() {
    let (old, new) = (
        model(&format!("{UNRELEASED}/old.yaml")),
        model(&format!("{UNRELEASED}/new.yaml")),
    );
    let stable_only = Options {
        stable_only: true,
        ..options()
    };
    let stable = differ::diff_models(&old, &new, &stable_only).unwrap();
    assert_eq!(
        codes(&stable),
        [
            (
                "listDoohickeys".to_owned(),
                vec!["response-media-type-added"]
            ),
            ("listGadgets".to_owned(), vec!["response-media-type-added"]),
            (
                "listGroupClusterBackupSnapshots".to_owned(),
                vec!["endpoint-operation-id-changed"]
            ),
        ]
    );
    let change = |diff: &differ::Diff, id: &str| {
        let op = diff.operations.iter().find(|op| op.operation_id == id);
        op.unwrap().changes[0].clone()
    };
    let rename = change(&stable, "listGroupClusterBackupSnapshots");
    assert_eq!(rename.semver, differ::Semver::Patch, "{}", rename.message);
    // The crate holds the preview whether or not the report shows it: its `send()` already
    // returns the per-version enum, which the new released version extends (minor).
    let extended = change(&stable, "listDoohickeys");
    assert_eq!(
        extended.semver,
        differ::Semver::Minor,
        "{}",
        extended.message
    );
    insta::assert_snapshot!("unreleased_left_out_text", render(&stable).text);

    // As the generated crate, which holds every version, needs them compared.
    let everything = differ::diff_models(&old, &new, &options()).unwrap();
    let widget = codes(&everything)
        .into_iter()
        .find(|(id, _)| id == "getWidget")
        .unwrap();
    assert_eq!(
        widget.1,
        ["response-media-type-added", "response-media-type-added"]
    );
    assert!(codes(&everything).contains(&("listPreviews".to_owned(), vec!["endpoint-added"])));
    insta::assert_snapshot!("unreleased_asked_for_text", render(&everything).text);
}

/// The version each operation is served at through two pins, as `(operationId, message)` of
/// its version change.
fn served(spec: &codegen::model::ApiModel, from: &str, to: &str) -> Vec<(String, String)> {
    let diff = differ::diff_models(spec, spec, &pinned(from, to)).unwrap();
    let mut out: Vec<(String, String)> = diff
        .operations
        .iter()
        .flat_map(|op| {
            op.changes.iter().map(|c| {
                let text = match c.info().code {
                    "endpoint-api-version-changed" => c.message.clone(),
                    other => other.to_owned(),
                };
                (op.operation_id.clone(), text)
            })
        })
        .filter(|(_, text)| text.starts_with("served") || text == "endpoint-added")
        .collect();
    out.sort();
    out
}

/// A date pin never takes an upcoming or preview version, even one dated before it; a pin to
/// `2025-03-12.upcoming` takes that version where an operation has it and otherwise what a
/// client pinned to 2025-03-12 uses; a pin to `preview` takes the preview where there is one,
/// otherwise the newest released version, and reaches operations only the preview has.
#[test]
fn pins_follow_atlas_version_grammar() {
    let spec = model(&format!("{UNRELEASED}/new.yaml"));
    let s = |id: &str, text: &str| (id.to_owned(), text.to_owned());
    assert_eq!(
        served(&spec, "2023-01-01", "2025-06-01"),
        [
            s(
                "listDoohickeys",
                "served as version 2023-01-01, now as version 2025-06-01"
            ),
            s(
                "listGadgets",
                "served as version 2023-01-01, now as version 2025-06-01"
            ),
        ]
    );
    assert_eq!(
        served(&spec, "2023-01-01", "2025-03-12.upcoming"),
        [s(
            "getWidget",
            "served as version 2023-01-01, now as version 2025-03-12.upcoming"
        )]
    );
    assert_eq!(
        served(&spec, "2025-06-01", "preview"),
        [
            s(
                "getWidget",
                "served as version 2023-01-01, now as version preview"
            ),
            s(
                "listDoohickeys",
                "served as version 2025-06-01, now as version preview"
            ),
            s("listPreviews", "endpoint-added"),
        ]
    );
}

/// Versions are ordered as MongoDB's tools order them: a date, its upcoming version, the next
/// date, and the preview last; a pin names one of them exactly.
#[test]
fn versions_are_ordered_dates_upcoming_then_preview() {
    let spec = model(&format!("{UNRELEASED}/new.yaml"));
    let versions: Vec<String> = spec.api_versions().into_iter().map(|v| v.0).collect();
    assert_eq!(
        versions,
        ["2023-01-01", "2025-03-12.upcoming", "2025-06-01", "preview"]
    );
    let error = differ::diff_models(&spec, &spec, &pinned("2023-01-01", "2025-03-12"))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("2023-01-01, 2025-03-12.upcoming, 2025-06-01, preview"),
        "{error}"
    );
}
