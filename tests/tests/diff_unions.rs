//! Unions by branch (`tests/fixtures/diff/rules/unions/`): alternatives added, removed and
//! changed (by discriminator value, else by type, variant name or position), discriminators
//! added, removed, moved to another property or remapped, and property changes inside an
//! alternative, each once received and once sent, with its level and its effect on the
//! generated enum (`#[non_exhaustive]`, so an added variant is minor).

mod diff_support;

use diff_support::{diff, options};
use differ::{Diff, Level, Semver};

fn unions() -> Diff {
    diff(
        "tests/fixtures/diff/rules/unions/old.yaml",
        "tests/fixtures/diff/rules/unions/new.yaml",
        &options(),
    )
}

/// The change of `rule` in `operation`, whose message contains `text`.
fn find<'d>(diff: &'d Diff, operation: &str, rule: &str, text: &str) -> &'d differ::Change {
    let op = diff
        .operations
        .iter()
        .find(|op| op.operation_id == operation)
        .unwrap_or_else(|| panic!("no changes in {operation}"));
    op.changes
        .iter()
        .find(|c| c.info().number == rule && c.message.contains(text))
        .unwrap_or_else(|| panic!("{operation}: no {rule} with {text:?} in {:#?}", op.changes))
}

/// Operation, rule, text of the change, level, semver effect, the Rust item it names.
type Expected = (
    &'static str,
    &'static str,
    &'static str,
    Level,
    Semver,
    Option<&'static str>,
);

#[test]
fn each_union_change_has_its_level_and_semver_effect() {
    use Level::*;
    use Semver::*;
    let diff = unions();
    let table: &[Expected] = &[
        // Alternatives by shape: one added, received and sent.
        (
            "getPet",
            "DF446",
            "alternative 3 (object `Bird`) added",
            Warning,
            Minor,
            Some("variant `Pet::Bird`"),
        ),
        (
            "replacePet",
            "DF348",
            "alternative 3 (object `Bird`) added",
            Info,
            Minor,
            Some("variant `Pet::Bird`"),
        ),
        // A property inside a matched alternative.
        (
            "getPet",
            "DF421",
            "`oneOf[Dog]/breed`",
            Info,
            Minor,
            Some("field `Dog::breed`"),
        ),
        (
            "replacePet",
            "DF321",
            "`oneOf[Dog]/breed`",
            Breaking,
            Major,
            Some("field `Dog::breed`"),
        ),
        // A union narrowed to one of its alternatives.
        (
            "createPet",
            "DF349",
            "alternative 2 (object `CatInput`) removed",
            Breaking,
            Major,
            Some("variant `PetInput::CatInput`"),
        ),
        (
            "getPetInput",
            "DF447",
            "alternative 2 (object `CatInput`) removed",
            Warning,
            Major,
            Some("variant `PetInput::CatInput`"),
        ),
        // A discriminator added to, and one removed from, a union of the same alternatives:
        // not a type change, and no alternative added or removed.
        (
            "getShape",
            "DF448",
            "discriminator `kind` added",
            Warning,
            Major,
            Some("enum `Shape`"),
        ),
        (
            "replaceShape",
            "DF350",
            "discriminator `kind` added",
            Warning,
            Major,
            Some("enum `Shape`"),
        ),
        (
            "getVehicle",
            "DF449",
            "discriminator `type` removed",
            Warning,
            Major,
            Some("enum `Vehicle`"),
        ),
        (
            "createVehicle",
            "DF351",
            "discriminator `type` removed",
            Warning,
            Major,
            Some("enum `Vehicle`"),
        ),
        // The tag read from another property.
        (
            "getPayment",
            "DF450",
            "discriminator changed from `type` to `method`",
            Breaking,
            Major,
            Some("enum `Payment`"),
        ),
        (
            "replacePayment",
            "DF352",
            "discriminator changed from `type` to `method`",
            Breaking,
            Major,
            Some("enum `Payment`"),
        ),
        // A tag value remapped, and what differs between the two subtypes.
        (
            "createStore",
            "DF353",
            "`provider` = `s3` now selects object `S3v2` instead of object `S3`",
            Warning,
            Major,
            Some("variant `Store::S3`"),
        ),
        (
            "getStore",
            "DF451",
            "`provider` = `s3` now selects object `S3v2` instead of object `S3`",
            Warning,
            Major,
            Some("variant `Store::S3`"),
        ),
        (
            "createStore",
            "DF321",
            "added required property `region`",
            Breaking,
            Major,
            Some("field `S3v2::region`"),
        ),
        // Scalar alternatives matched by position.
        (
            "getLabel",
            "DF427",
            "`value/oneOf[Integer]` format changed from integer (int32) to integer (int64)",
            Breaking,
            Major,
            Some("variant `LabelValue::Integer`"),
        ),
    ];
    for (operation, rule, text, level, semver, rust) in table {
        let change = find(&diff, operation, rule, text);
        assert_eq!(change.level, *level, "{operation} {rule}");
        assert_eq!(change.semver, *semver, "{operation} {rule}");
        assert_eq!(change.rust.as_deref(), *rust, "{operation} {rule}");
    }
}

#[test]
fn a_discriminator_added_is_not_a_type_change() {
    let diff = unions();
    for id in ["getShape", "replaceShape", "getVehicle", "createVehicle"] {
        let op = diff
            .operations
            .iter()
            .find(|op| op.operation_id == id)
            .unwrap();
        assert_eq!(op.changes.len(), 1, "{id}: {:#?}", op.changes);
    }
}

#[test]
fn unchanged_alternatives_report_nothing() {
    let diff = unions();
    // `Cat` and `Circle` did not change: nothing names them.
    for change in diff.changes() {
        assert!(
            !change.message.contains("`Cat`") && !change.message.contains("Circle"),
            "{}",
            change.message
        );
    }
}
