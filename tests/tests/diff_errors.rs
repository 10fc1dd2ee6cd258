//! Bad input is an error, never a report: an unreadable file, a spec that fails validation, a
//! version date the spec does not have, options that describe no comparison. (The exit codes the
//! xtask maps these to are tested with the xtask.)

mod diff_support;

use codegen::error::CodegenError;
use diff_support::{model, options, repository};
use differ::{DiffError, Filter, Options};

fn load(label: &str) -> Result<codegen::model::ApiModel, DiffError> {
    differ::load(&repository().join(label))
}

#[test]
fn unreadable_file() {
    let error = load("tests/fixtures/diff/no-such-spec.yaml").unwrap_err();
    assert!(
        matches!(&error, DiffError::Spec(e) if matches!(**e, CodegenError::Read { .. })),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("cannot read spec file"),
        "{error}"
    );
}

#[test]
fn malformed_yaml_names_line() {
    let error = load("tests/fixtures/diff/invalid/not-yaml.yaml").unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("not-yaml.yaml:") && text.contains("malformed YAML"),
        "{text}"
    );
}

#[test]
fn spec_failing_validation() {
    let error = load("tests/fixtures/diff/invalid/dangling-ref.yaml").unwrap_err();
    let text = error.to_string();
    assert!(
        matches!(&error, DiffError::Spec(e) if matches!(**e, CodegenError::Invalid(_))),
        "{error:?}"
    );
    assert!(
        text.contains("dangling reference") && text.contains("#/components/schemas/Missing"),
        "{text}"
    );
}

#[test]
fn files_are_loaded_in_parallel_and_errors_name_the_bad_one() {
    let good = repository().join("tests/fixtures/diff/rules/security/old.yaml");
    let bad = repository().join("tests/fixtures/diff/invalid/dangling-ref.yaml");
    let error = differ::diff_files(&good, Some(&bad), &options()).unwrap_err();
    assert!(error.to_string().contains("dangling-ref.yaml"), "{error}");
    let diff = differ::diff_files(&good, Some(&good), &options()).unwrap();
    assert!(diff.is_empty());
}

#[test]
fn unknown_version_lists_the_ones_there_are() {
    let spec = model("tests/fixtures/diff/versions/spec.yaml");
    let pins = Options {
        from: Some("2023-01-01".into()),
        to: Some("2024-01-01".into()),
        ..options()
    };
    let error = differ::diff_models(&spec, &spec, &pins).unwrap_err();
    assert_eq!(
        error.to_string(),
        "tests/fixtures/diff/versions/spec.yaml has no API version 2024-01-01; its versions are: 2023-01-01, 2024-05-30, 2025-01-01"
    );
}

#[test]
fn one_spec_needs_two_pins_or_v1_to_v2() {
    let spec = model("tests/fixtures/diff/versions/spec.yaml");
    let alone = differ::diff_models(&spec, &spec, &options()).unwrap_err();
    assert!(matches!(alone, DiffError::Usage(_)), "{alone:?}");
    let one_pin = Options {
        to: Some("2024-05-30".into()),
        ..options()
    };
    let error = differ::diff_models(&spec, &spec, &one_pin).unwrap_err();
    assert!(
        error.to_string().contains("both `--from` and `--to`"),
        "{error}"
    );
    let legacy_from = Options {
        legacy: true,
        from: Some("2023-01-01".into()),
        ..options()
    };
    let error = differ::diff_models(&spec, &spec, &legacy_from).unwrap_err();
    assert!(
        error.to_string().contains("`--from` does not apply"),
        "{error}"
    );
}

#[test]
fn two_files_accept_a_pin_on_either_side() {
    let old = model("tests/fixtures/diff/versions/spec.yaml");
    let new = model("tests/fixtures/diff/versions/spec.yaml");
    let pins = Options {
        from: Some("2023-01-01".into()),
        ..options()
    };
    let diff = differ::diff_models(&old, &new, &pins).unwrap();
    assert!(!diff.is_empty());
    assert!(diff.old_label.ends_with("@ 2023-01-01") && !diff.new_label.contains('@'));
}

#[test]
fn unknown_filter_values_name_the_nearest_known_ones() {
    let spec = model("tests/fixtures/diff/versions/spec.yaml");
    let filtered = |filter: Filter| Options {
        from: Some("2023-01-01".into()),
        to: Some("2025-01-01".into()),
        filter,
        ..options()
    };
    let error = differ::diff_models(
        &spec,
        &spec,
        &filtered(Filter {
            operation_ids: vec!["listWidget".into()],
            ..Filter::default()
        }),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "`--operation listWidget` matches no operation in either spec; nearest: `listWidgets`, `listGadgets`, `getWidget`"
    );
    let error = differ::diff_models(
        &spec,
        &spec,
        &filtered(Filter {
            tags: vec!["widgets".into()],
            ..Filter::default()
        }),
    )
    .unwrap_err();
    assert!(
        matches!(&error, DiffError::UnknownFilter { option: "--tag", nearest, .. } if nearest[0] == "Widgets"),
        "{error:?}"
    );
    // A known value of each kind passes, even when the kinds together select nothing.
    let diff = differ::diff_models(
        &spec,
        &spec,
        &filtered(Filter {
            operation_ids: vec!["listGadgets".into()],
            tags: vec!["Widgets".into()],
            path_prefixes: vec!["/api/atlas/v2/groups".into()],
        }),
    )
    .unwrap();
    assert!(diff.is_empty());
}
