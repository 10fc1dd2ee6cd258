//! One fixture pair per rule category (`tests/fixtures/diff/rules/<case>/{old,new}.yaml`), each
//! change on its own operation, parameter or property so that each rule is seen in isolation.
//! Every case is snapshotted in all three report formats and must fire exactly the rules it
//! lists; together with the version-pin fixture they fire every rule in the table.

mod diff_support;

use diff_support::{diff, options, render};
use differ::{Diff, Options, RULES};
use std::collections::BTreeSet;

/// Each case and the rules it fires: the ones it is about, then side effects (a changed `$ref`
/// target also shows the properties that differ; inline enums come and go as named types).
const CASES: &[(&str, &[&str])] = &[
    (
        "endpoints",
        &[
            "DF101", "DF102", "DF103", "DF104", "DF105", "DF106", "DF107", "DF108", "DF109",
            "DF110", "DF111", "DF112", "DF113", "DF114", "DF115", "DF410", "DF420", "DF422",
        ],
    ),
    (
        "parameters",
        &[
            "DF201", "DF202", "DF203", "DF204", "DF205", "DF206", "DF207", "DF208", "DF210",
            "DF211", "DF212", "DF213", "DF214", "DF215", "DF216", "DF217", "DF218", "DF219",
            "DF220", "DF221", "DF222", "DF223", "DF501", "DF502",
        ],
    ),
    (
        "request-bodies",
        &[
            "DF301", "DF302", "DF303", "DF304", "DF305", "DF306", "DF307", "DF308", "DF309",
            "DF320", "DF322",
        ],
    ),
    (
        "request-properties",
        &[
            "DF320", "DF321", "DF322", "DF323", "DF324", "DF325", "DF327", "DF328", "DF329",
            "DF330", "DF331", "DF332", "DF333", "DF334", "DF335", "DF336", "DF337", "DF338",
            "DF339", "DF340", "DF341", "DF347", "DF501", "DF502",
        ],
    ),
    (
        "response-properties",
        &[
            "DF420", "DF421", "DF422", "DF423", "DF424", "DF425", "DF426", "DF427", "DF428",
            "DF429", "DF430", "DF431", "DF432", "DF433", "DF434", "DF435", "DF436", "DF437",
            "DF438", "DF439", "DF440", "DF501", "DF502",
        ],
    ),
    (
        "responses",
        &[
            "DF401", "DF402", "DF403", "DF404", "DF405", "DF406", "DF407", "DF408", "DF409",
            "DF410", "DF411", "DF412", "DF420", "DF422",
        ],
    ),
    ("schemas", &["DF420", "DF501", "DF502", "DF503"]),
    (
        "discriminators",
        &[
            "DF342", "DF343", "DF441", "DF442", "DF420", "DF501", "DF502",
        ],
    ),
    ("security", &["DF601", "DF602", "DF603", "DF604", "DF605"]),
    // `writeOnly` in a request and `readOnly` in a response flip too, and fire nothing.
    ("property-access", &["DF344", "DF345", "DF443", "DF444"]),
    ("property-defaults", &["DF346", "DF445"]),
    ("tags", &["DF117"]),
    (
        "unions",
        &[
            "DF321", "DF348", "DF349", "DF350", "DF351", "DF352", "DF353", "DF421", "DF427",
            "DF446", "DF447", "DF448", "DF449", "DF450", "DF451", "DF501", "DF502",
        ],
    ),
    // One schema sent and received: each access flip is seen only on the side it reaches.
    ("shared-access", &["DF344", "DF443"]),
    // Keywords beside the bounds, on each side, and response headers' schemas.
    (
        "keywords-and-headers",
        &[
            "DF224", "DF225", "DF336", "DF354", "DF355", "DF413", "DF414", "DF415", "DF416",
            "DF417", "DF436", "DF452", "DF453",
        ],
    ),
    // Wider request types take every value sent before; a wider response type is still news.
    (
        "request-widening",
        &["DF209", "DF223", "DF310", "DF326", "DF347", "DF427"],
    ),
    // Sunsets where Atlas writes them (on media types), and sunsets that are not dates.
    (
        "sunsets",
        &[
            "DF103", "DF104", "DF118", "DF119", "DF120", "DF121", "DF122",
        ],
    ),
];

fn run(case: &str) -> Diff {
    let dir = format!("tests/fixtures/diff/rules/{case}");
    diff(
        &format!("{dir}/old.yaml"),
        &format!("{dir}/new.yaml"),
        &options(),
    )
}

fn fired(diff: &Diff) -> BTreeSet<&'static str> {
    diff.changes().map(|c| c.info().number).collect()
}

/// Snapshots the three reports of a case and checks the rules it fires.
fn check(case: &str) {
    let diff = run(case);
    let expected: BTreeSet<&str> = CASES
        .iter()
        .find(|(c, _)| *c == case)
        .unwrap()
        .1
        .iter()
        .copied()
        .collect();
    assert_eq!(fired(&diff), expected, "rules fired by case `{case}`");
    let r = render(&diff);
    let name = case.replace('-', "_");
    insta::assert_snapshot!(format!("rules_{name}_text"), r.text);
    insta::assert_snapshot!(format!("rules_{name}_markdown"), r.markdown);
    insta::assert_snapshot!(format!("rules_{name}_json"), r.json);
}

#[test]
fn endpoints() {
    check("endpoints");
}

#[test]
fn parameters() {
    check("parameters");
}

#[test]
fn request_bodies() {
    check("request-bodies");
}

#[test]
fn request_properties() {
    check("request-properties");
}

#[test]
fn response_properties() {
    check("response-properties");
}

#[test]
fn responses() {
    check("responses");
}

#[test]
fn schemas() {
    check("schemas");
}

/// Subtypes (discriminator tags) of a tagged union come and go like enum values; a subtype both
/// sides list is compared property by property.
#[test]
fn discriminators() {
    check("discriminators");
}

#[test]
fn security() {
    check("security");
}

#[test]
fn keywords_and_headers() {
    check("keywords-and-headers");
}

#[test]
fn every_rule_has_a_fixture() {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for (case, _) in CASES {
        seen.extend(fired(&run(case)));
    }
    // Moving between version pins is the one rule that needs a single spec and two dates.
    let spec = diff_support::model("tests/fixtures/diff/versions/spec.yaml");
    let pinned = Options {
        from: Some("2023-01-01".into()),
        to: Some("2024-05-30".into()),
        ..options()
    };
    seen.extend(fired(&differ::diff_models(&spec, &spec, &pinned).unwrap()));
    // An expired exemption comes from the exemptions file, not from the specs.
    let file = "tests/fixtures/diff/policy/exemptions.toml";
    let text = std::fs::read_to_string(diff_support::repository().join(file)).unwrap();
    let exemptions = differ::policy::Exemptions::parse(file, &text).unwrap();
    let policy = differ::policy::apply(
        run("responses"),
        &differ::policy::Levels::default(),
        &exemptions,
        diff_support::TODAY,
    );
    seen.extend(fired(&policy));
    let missing: Vec<&str> = RULES
        .iter()
        .map(|r| r.number)
        .filter(|n| !seen.contains(n))
        .collect();
    assert!(missing.is_empty(), "rules without a fixture: {missing:?}");
    assert!(RULES.len() >= 40);
}

#[test]
fn reports_are_stable() {
    let a = render(&run("response-properties"));
    let b = render(&run("response-properties"));
    assert_eq!((a.text, a.markdown, a.json), (b.text, b.markdown, b.json));
}

#[test]
fn identical_specs_report_no_changes() {
    let same = "tests/fixtures/diff/rules/response-properties/new.yaml";
    let diff = diff(same, same, &options());
    assert!(diff.is_empty());
    assert_eq!(diff.semver(), None);
    assert!(report_text(&diff).contains("No changes."));
}

fn report_text(diff: &Diff) -> String {
    differ::report::text(diff)
}

/// A property that stops or starts travelling in one direction: `readOnly` for senders,
/// `writeOnly` for receivers.
#[test]
fn property_access() {
    check("property-access");
}

/// Property defaults added, removed and changed; a default kept as it was is no change.
#[test]
fn property_defaults() {
    check("property-defaults");
    let diff = run("property-defaults");
    assert!(!differ::report::text(&diff).contains("defaultKept"));
    assert_eq!(
        diff.changes()
            .filter(|c| c.info().number == "DF346")
            .count(),
        3
    );
}

/// An operation moved to another tag (as seven resource-policy operations did in 2025), gained
/// one or lost them all.
#[test]
fn unions() {
    check("unions");
}

#[test]
fn tags() {
    check("tags");
    assert_eq!(run("tags").operations.len(), 3, "`kept` kept its tag");
}

/// A media type's `x-sunset` is its version's sunset: added, withdrawn, moved earlier or later
/// per version (the other version of `sunsetEarlier` keeps having none), on request bodies too;
/// a sunset that is not a date is its own warning, never "moved later" as text would have it.
/// An operation removed after every version's sunset passed is an expected removal.
#[test]
fn sunsets() {
    check("sunsets");
    let diff = run("sunsets");
    let of = |id: &str| -> Vec<(&str, String)> {
        let op = diff.operations.iter().find(|op| op.operation_id == id);
        op.map(|op| {
            op.changes
                .iter()
                .map(|c| (c.info().code, c.message.clone()))
                .collect()
        })
        .unwrap_or_default()
    };
    assert_eq!(
        of("sunsetEarlier"),
        [(
            "version-sunset-moved-earlier",
            "version 2023-01-01: sunset date moved from 2027-01-01 to 2026-09-01".to_owned()
        )]
    );
    assert_eq!(of("sunsetKept"), []);
    assert_eq!(
        of("sunsetUnparsable")[0].0,
        "sunset-date-unparsable",
        "{:?}",
        of("sunsetUnparsable")
    );
    assert!(of("operationSunsetUnparsable")[0]
        .1
        .contains("`end of 2027`"));
    assert_eq!(
        of("requestSunsetAdded"),
        [(
            "version-sunset-added",
            "version 2023-01-01: sunset date 2026-12-01 announced".to_owned()
        )]
    );
    assert_eq!(of("removedAfterVersionSunsets")[0].0, "endpoint-removed");
    assert_eq!(
        of("removedBeforeVersionSunset")[0].0,
        "endpoint-removed-before-sunset"
    );
    // A sunset changes no generated signature.
    let sunset_rules = diff
        .changes()
        .filter(|c| c.info().code.contains("sunset") && !c.info().code.contains("removed-"));
    for change in sunset_rules {
        assert_eq!(change.semver, differ::Semver::Patch, "{}", change.message);
    }
    // Through two pins, the sunset is the one of the version each pin selects.
    let spec = diff_support::model("tests/fixtures/diff/rules/sunsets/old.yaml");
    let pinned = Options {
        from: Some("2023-01-01".into()),
        to: Some("2024-05-30".into()),
        ..options()
    };
    let moved = differ::diff_models(&spec, &spec, &pinned).unwrap();
    let sunsets: Vec<(&str, &str, &str)> = moved
        .operations
        .iter()
        .flat_map(|op| {
            op.changes
                .iter()
                .filter(|c| c.info().category == differ::Category::Lifecycle)
                .map(|c| (op.operation_id.as_str(), c.info().code, c.message.as_str()))
        })
        .collect();
    assert!(
        sunsets.contains(&(
            "sunsetEarlier",
            "version-sunset-removed",
            "version 2023-01-01 → 2024-05-30: sunset date 2027-01-01 withdrawn"
        )),
        "{sunsets:?}"
    );
    assert!(
        sunsets.contains(&(
            "removedBeforeVersionSunset",
            "version-sunset-moved-later",
            "version 2023-01-01 → 2024-05-30: sunset date moved from 2025-01-01 to 2027-01-01"
        )),
        "{sunsets:?}"
    );
}

/// A property of a schema both sent and received that becomes `writeOnly` is a response change
/// only (senders must still send it), one that becomes `readOnly` a request change only; neither
/// is also reported as the required-ness it implies. Both reshape the generated struct.
#[test]
fn shared_access() {
    check("shared-access");
    let diff = run("shared-access");
    let seen: Vec<(&str, &str, differ::Semver)> = diff
        .changes()
        .map(|c| {
            let subject = if c.message.contains("`password`") {
                "password"
            } else {
                "id"
            };
            (subject, c.info().code, c.semver)
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                "id",
                "request-property-became-read-only",
                differ::Semver::Major
            ),
            (
                "password",
                "response-property-became-write-only",
                differ::Semver::Major
            ),
        ]
    );
}

/// Widening a request type (int32 to int64, integer to number, a format dropped, any value) is
/// compatible for senders, in a property, a parameter or the whole body; narrowing is not, and a
/// response type widened is breaking for readers.
#[test]
fn request_widening() {
    check("request-widening");
    let diff = run("request-widening");
    for change in diff.changes() {
        let widened = change.info().code.ends_with("-type-widened");
        assert_eq!(
            widened,
            change.message.contains("widened"),
            "{}",
            change.message
        );
        if widened {
            assert_eq!(change.level(), differ::Level::Info, "{}", change.message);
            assert_eq!(change.semver, differ::Semver::Major, "{}", change.message);
        }
    }
    let widened = diff
        .changes()
        .filter(|c| c.info().code.ends_with("-type-widened"))
        .count();
    assert_eq!(widened, 6, "four properties, a parameter and a body");
}

/// `cargo xtask diff --rules`: every rule with its family, then every family with its rules.
#[test]
fn the_rule_table_names_each_rules_family() {
    let table = differ::report::rules_markdown();
    for rule in RULES {
        let row = format!("| {} | `{}` | {} |", rule.number, rule.code, rule.family());
        assert!(table.contains(&row), "{row}");
    }
    let families: BTreeSet<String> = RULES.iter().map(|r| r.family().to_string()).collect();
    for family in families {
        assert!(table.contains(&format!("\n| {family} | DF")), "{family}");
    }
}
