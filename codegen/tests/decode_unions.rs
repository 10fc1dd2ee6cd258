//! The unions the generator emits, compiled and run: the models generated from
//! `tests/fixtures/codegen/discriminator.yaml` (tagged unions) and
//! `tests/fixtures/codegen/unions.yaml` (polymorphic bases, unions decided by shape), their
//! decoders and their encoders are kept in `tests/generated/` (checked fresh here, like the
//! committed client) and decoded from and encoded to JSON.

use codegen::project::repository_root;
use codegen::Options;
use serde_json::json;

/// The models of `discriminator.yaml`, their `Deserialize` impls (which name the models as
/// `super::models`) and the `Serialize` impls of their structs. The generated files lose their
/// inner documentation, which is not allowed inside `mod {}`.
pub mod tagged {
    pub mod models {
        include!("generated/discriminator_models.rs");
    }
    mod decode {
        include!("generated/discriminator_decode.rs");
    }
    mod encode {
        include!("generated/discriminator_encode.rs");
    }
}

/// The same for `unions.yaml`.
pub mod shaped {
    pub mod models {
        include!("generated/unions_models.rs");
    }
    mod decode {
        include!("generated/unions_decode.rs");
    }
    mod encode {
        include!("generated/unions_encode.rs");
    }
}

use tagged::models;
use tagged::models::{Criteria, Schedule};

/// Each fixture and where the generated files this test includes are kept.
const FIXTURES: &[(&str, &str)] = &[
    ("tests/fixtures/codegen/discriminator.yaml", "discriminator"),
    ("tests/fixtures/codegen/unions.yaml", "unions"),
];
/// The files of a fixture's crate that are included.
const INCLUDED: &[&str] = &["models", "decode", "encode"];
const COMMAND: &str = "cargo test -p codegen --test decode_unions";

/// The included files must be what the generator emits today; stale ones are rewritten, and the
/// test fails so that the next run compiles the fresh ones.
#[test]
fn included_models_are_fresh() {
    let root = repository_root();
    let mut stale = Vec::new();
    for (fixture, stem) in FIXTURES {
        let options = Options {
            spec_label: (*fixture).to_owned(),
            command: COMMAND.to_owned(),
            crate_settings: codegen::CrateSettings::default(),
        };
        let generated = codegen::generate(&root.join(fixture), &options).unwrap();
        for file_stem in INCLUDED {
            let suffix = format!("/{file_stem}.rs");
            let file = generated
                .files
                .iter()
                .find(|f| f.path.ends_with(&suffix))
                .unwrap_or_else(|| panic!("a {suffix} file"));
            let wanted: String = file
                .contents
                .lines()
                .filter(|line| !line.starts_with("//!"))
                .map(|line| format!("{line}\n"))
                .collect();
            let kept = format!("codegen/tests/generated/{stem}_{file_stem}.rs");
            let path = root.join(&kept);
            let current = std::fs::read_to_string(&path).unwrap_or_default();
            if current != wanted {
                std::fs::write(&path, &wanted).unwrap();
                stale.push(kept);
            }
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

/// Decodes `value` as `T`, checks that it encodes back to the same JSON, and returns it.
fn round_trip<T>(value: serde_json::Value) -> T
where
    T: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug,
{
    let decoded: T = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(
        serde_json::to_value(&decoded).unwrap(),
        value,
        "{decoded:?} encodes back as received"
    );
    decoded
}

#[test]
fn subtypes_of_a_polymorphic_base_carry_the_base_properties() {
    use shaped::models::Container;
    let aws: Container =
        round_trip(json!({"id": "c1", "providerName": "AWS", "regionName": "US_EAST_1"}));
    let Container::Aws(aws) = aws else {
        panic!("not the AWS variant: {aws:?}");
    };
    assert_eq!(aws.id.as_deref(), Some("c1"));
    assert_eq!(aws.region_name, "US_EAST_1");
    // A subtype with nothing of its own is an object with the base's properties, not the base.
    let gcp: Container = round_trip(json!({"providerName": "GCP"}));
    assert!(matches!(gcp, Container::Gcp(_)), "{gcp:?}");
    let tenant: Container = round_trip(json!({"providerName": "TENANT"}));
    assert!(matches!(tenant, Container::Unknown(_)), "{tenant:?}");
}

#[test]
fn an_implicit_tag_picks_the_alternative_whose_property_allows_its_value() {
    use shaped::models::RuleTarget;
    let ip: RuleTarget = round_trip(json!({"type": "ip", "value": "10.0.0.1"}));
    let RuleTarget::Ip(ip) = ip else {
        panic!("not the ip variant: {ip:?}");
    };
    assert_eq!(ip.value, "10.0.0.1");
    let vpc: RuleTarget = round_trip(json!({"type": "vpc", "value": "net"}));
    assert!(matches!(vpc, RuleTarget::Vpc(_)), "{vpc:?}");
    let none: RuleTarget = round_trip(json!({"type": "none"}));
    assert!(matches!(none, RuleTarget::None(_)), "{none:?}");
    // A tag no alternative lists, or an alternative's required property missing.
    for value in [json!({"type": "dns", "value": "x"}), json!({"type": "ip"})] {
        let decoded: RuleTarget = round_trip(value.clone());
        assert_eq!(decoded, RuleTarget::Unknown(value));
    }
}

#[test]
fn alternatives_that_differ_in_properties_decode_by_what_the_value_has() {
    use shaped::models::Alert;
    let host: Alert = round_trip(json!({"id": "1", "hostnameAndPort": "db:27017"}));
    assert!(matches!(host, Alert::HostAlert(_)), "{host:?}");
    // Both fit an object with only `id`; the cluster alert requires nothing else.
    let cluster: Alert = round_trip(json!({"id": "1", "clusterName": "c0", "status": "OPEN"}));
    let Alert::ClusterAlert(cluster) = cluster else {
        panic!("not a cluster alert: {cluster:?}");
    };
    assert_eq!(cluster.cluster_name.as_deref(), Some("c0"));
    let neither: Alert = round_trip(json!({"hostnameAndPort": "db:27017"}));
    assert!(matches!(neither, Alert::Unknown(_)), "no `id`: {neither:?}");
}

#[test]
fn string_alternatives_with_listed_values_are_one_enum() {
    use shaped::models::InstanceSize;
    let sizes: Vec<InstanceSize> = round_trip(json!(["M10", "M90", "M400"]));
    assert_eq!(
        sizes,
        [
            InstanceSize::M10,
            InstanceSize::M90,
            InstanceSize::Unknown("M400".to_owned())
        ]
    );
}

#[test]
fn primitive_alternatives_decode_by_json_type() {
    use shaped::models::{Targets, TargetsLimit, TargetsLimitUnlimited};
    let targets: Targets = round_trip(json!({"limit": 5, "nameOrId": "analytics"}));
    assert_eq!(targets.limit, Some(TargetsLimit::Integer(5)));
    let targets: Targets = round_trip(json!({"limit": "unlimited"}));
    assert_eq!(
        targets.limit,
        Some(TargetsLimit::Unlimited(TargetsLimitUnlimited::Unlimited))
    );
    // A fraction is neither an integer nor a listed word: kept as sent.
    let targets: Targets = round_trip(json!({"limit": 2.5}));
    assert_eq!(targets.limit, Some(TargetsLimit::Unknown(json!(2.5))));
}

#[test]
fn a_nullable_union_is_an_option() {
    use shaped::models::{Alert, Targets};
    let targets: Targets = serde_json::from_value(json!({"lastAlert": null})).unwrap();
    assert_eq!(targets.last_alert, None);
    let targets: Targets = round_trip(json!({"lastAlert": {"id": "7"}}));
    assert!(matches!(targets.last_alert, Some(Alert::ClusterAlert(_))));
}

#[test]
fn built_alternatives_encode_as_their_value() {
    use shaped::models::{RuleTarget, RuleTargetVpc, RuleTargetVpcType, Targets};
    let targets = Targets::new().with_rules(vec![RuleTarget::Vpc(Box::new(RuleTargetVpc::new(
        RuleTargetVpcType::Vpc,
        "net".to_owned(),
    )))]);
    let encoded = serde_json::to_value(&targets).unwrap();
    assert_eq!(encoded, json!({"rules": [{"type": "vpc", "value": "net"}]}));
    let decoded: Targets = serde_json::from_value(encoded).unwrap();
    assert_eq!(decoded, targets);
}

#[test]
fn a_union_of_strings_is_a_parameter_value_sent_as_the_string_it_holds() {
    use atlas_snapshots_runtime::__private::ParamValue;
    use shaped::models::NameOrId;
    let by_name = NameOrId::Name("analytics".to_owned());
    assert_eq!(by_name.to_param(), "analytics");
    let unknown = NameOrId::Unknown(json!(7));
    assert_eq!(unknown.to_param(), "7");
}
