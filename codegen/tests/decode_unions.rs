//! The tagged unions the generator emits, compiled and run: the models generated from
//! `tests/fixtures/codegen/discriminator.yaml`, their decoders and their encoders are kept in `tests/generated/`
//! (checked fresh here, like the committed client) and decoded from and encoded to JSON.

use codegen::project::repository_root;
use codegen::Options;
use serde_json::json;

/// The generated models, without their inner documentation (not allowed inside `mod {}`).
pub mod models {
    include!("generated/discriminator_models.rs");
}

/// Their `Deserialize` impls, which name the models as `super::models`.
mod decode {
    include!("generated/discriminator_decode.rs");
}

/// The `Serialize` impls of their structs, likewise.
mod encode {
    include!("generated/discriminator_encode.rs");
}

use models::{Criteria, Schedule};

const FIXTURE: &str = "tests/fixtures/codegen/discriminator.yaml";
/// The generated files this test includes, and where they are kept.
const GENERATED: &[(&str, &str)] = &[
    (
        "/models.rs",
        "codegen/tests/generated/discriminator_models.rs",
    ),
    (
        "/decode.rs",
        "codegen/tests/generated/discriminator_decode.rs",
    ),
    (
        "/encode.rs",
        "codegen/tests/generated/discriminator_encode.rs",
    ),
];
const COMMAND: &str = "cargo test -p codegen --test decode_unions";

/// The included files must be what the generator emits today; stale ones are rewritten, and the
/// test fails so that the next run compiles the fresh ones.
#[test]
fn included_models_are_fresh() {
    let root = repository_root();
    let options = Options {
        spec_label: FIXTURE.to_owned(),
        command: COMMAND.to_owned(),
        crate_settings: codegen::CrateSettings::default(),
    };
    let generated = codegen::generate(&root.join(FIXTURE), &options).unwrap();
    let mut stale = Vec::new();
    for (suffix, kept) in GENERATED {
        let file = generated
            .files
            .iter()
            .find(|f| f.path.ends_with(suffix))
            .unwrap_or_else(|| panic!("a {suffix} file"));
        let wanted: String = file
            .contents
            .lines()
            .filter(|line| !line.starts_with("//!"))
            .map(|line| format!("{line}\n"))
            .collect();
        let path = root.join(kept);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != wanted {
            std::fs::write(&path, &wanted).unwrap();
            stale.push(*kept);
        }
    }
    assert!(
        stale.is_empty(),
        "{stale:?} were stale and have been rewritten; run `{COMMAND}` again"
    );
}

#[test]
fn a_known_tag_decodes_its_subtype_with_the_subtype_fields() {
    let value = json!({"type": "DATE", "expireAfterDays": 7, "dateField": "created"});
    let decoded: Criteria = serde_json::from_value(value.clone()).unwrap();
    let Criteria::Date(date) = &decoded else {
        panic!("not the DATE variant: {decoded:?}");
    };
    assert_eq!(date.r#type, "DATE");
    assert_eq!(date.expire_after_days, 7);
    assert_eq!(date.date_field.as_deref(), Some("created"));
    assert_eq!(serde_json::to_value(&decoded).unwrap(), value);
}

#[test]
fn tags_mapped_to_one_subtype_keep_their_own_variant() {
    let value = json!({"type": "date.legacy", "expireAfterDays": 1});
    let decoded: Criteria = serde_json::from_value(value.clone()).unwrap();
    assert!(matches!(decoded, Criteria::DateLegacy2(_)), "{decoded:?}");
    assert_eq!(serde_json::to_value(&decoded).unwrap(), value);
}

#[test]
fn a_subtype_that_contains_its_union_decodes_recursively() {
    let value = json!({
        "type": "CUSTOM",
        "query": "{}",
        "fallback": {"type": "DATE", "expireAfterDays": 30},
        "alternatives": [{"type": "SOMETHING_NEW", "extra": true}]
    });
    let decoded: Criteria = serde_json::from_value(value.clone()).unwrap();
    let Criteria::Custom(custom) = &decoded else {
        panic!("not the CUSTOM variant: {decoded:?}");
    };
    assert!(matches!(custom.fallback, Some(Criteria::Date(_))));
    let alternatives = custom.alternatives.as_deref().unwrap();
    assert!(matches!(&alternatives[0], Criteria::Unknown(v) if v["extra"] == json!(true)));
    assert_eq!(serde_json::to_value(&decoded).unwrap(), value);
}

#[test]
fn an_unknown_or_missing_tag_lands_in_the_fallback_as_sent() {
    for value in [
        json!({"type": "RETENTION", "days": 3}),
        json!({"expireAfterDays": 3}),
        json!({"type": 5}),
        json!("not even an object"),
    ] {
        let decoded: Criteria = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(decoded, Criteria::Unknown(value.clone()));
        assert_eq!(serde_json::to_value(&decoded).unwrap(), value);
    }
}

#[test]
fn a_known_tag_with_a_body_its_subtype_rejects_is_an_error() {
    let missing_required = json!({"type": "DATE"});
    let error = serde_json::from_value::<Criteria>(missing_required).unwrap_err();
    assert!(error.to_string().contains("expireAfterDays"), "{error}");
}

#[test]
fn members_without_a_mapping_are_tagged_by_schema_name_and_encode_as_built() {
    let sent = Schedule::DailySchedule(Box::new(models::DailySchedule::new(
        4,
        "DailySchedule".to_owned(),
    )));
    let encoded = serde_json::to_value(&sent).unwrap();
    assert_eq!(encoded, json!({"type": "DailySchedule", "startHour": 4}));
    let decoded: Schedule = serde_json::from_value(encoded).unwrap();
    assert_eq!(decoded, sent);
}
