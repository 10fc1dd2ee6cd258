//! Project policy over the rule table: a levels file re-grades rules, an exemptions file keeps
//! acknowledged changes out of `--fail-on` until a date, and an expired exemption is reported
//! itself (DF701). On the responses rule fixture, whose breaking changes are DF402, DF406, DF408
//! and DF409.

mod diff_support;

use diff_support::{diff, options, render, repository, TODAY};
use differ::policy::{apply, Exemptions, Levels};
use differ::{Diff, Level, RuleId};

const OLD: &str = "tests/fixtures/diff/rules/responses/old.yaml";
const NEW: &str = "tests/fixtures/diff/rules/responses/new.yaml";

fn read(label: &str) -> String {
    std::fs::read_to_string(repository().join(label)).unwrap()
}

fn levels() -> Levels {
    let file = "tests/fixtures/diff/policy/levels.toml";
    Levels::parse(file, &read(file)).unwrap()
}

fn exemptions() -> Exemptions {
    let file = "tests/fixtures/diff/policy/exemptions.toml";
    Exemptions::parse(file, &read(file)).unwrap()
}

fn find(diff: &Diff, rule: RuleId) -> Vec<&differ::Change> {
    diff.changes().filter(|c| c.rule == rule).collect()
}

#[test]
fn levels_regrade_rules_and_the_report_order() {
    let diff = apply(
        diff(OLD, NEW, &options()),
        &levels(),
        &Exemptions::default(),
        TODAY,
    );
    let removed = find(&diff, RuleId::ResponseMediaTypeRemoved);
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].level(), Level::Warning);
    assert!(find(&diff, RuleId::ResponseNonSuccessStatusAdded)
        .iter()
        .all(|c| c.level() == Level::Warning));
    let counts = diff.counts();
    assert_eq!((counts.breaking, counts.warning), (3, 5));
    // Breaking operations still come first, now without `versionRemoved`.
    let first: Vec<&str> = diff.operations[..3]
        .iter()
        .map(|op| op.operation_id.as_str())
        .collect();
    assert!(!first.contains(&"versionRemoved"), "{first:?}");
}

#[test]
fn exemptions_keep_changes_out_of_fail_on_until_they_expire() {
    let plain = diff(OLD, NEW, &options());
    let diff = apply(plain.clone(), &Levels::default(), &exemptions(), TODAY);
    let exempt: Vec<&str> = diff
        .changes()
        .filter(|c| c.exempted.is_some())
        .map(|c| c.info().number)
        .collect();
    // DF409's exemption expires today, so it still holds; DF402's expired yesterday.
    assert_eq!(exempt, ["DF408", "DF409"]);
    let expired = find(&diff, RuleId::ExemptionExpired);
    assert_eq!(expired.len(), 1);
    assert_eq!(
        expired[0].message,
        "the exemption of DF402 for operation `successStatusRemoved` expired on 2026-02-28 (reason given: 202 was documented by mistake)"
    );
    assert!(diff.fails_on(Level::Breaking));
    // With DF402 and DF406 acknowledged too, nothing breaking is left to fail on; the report
    // still counts every change.
    let mut all = exemptions();
    all.0[2].expires = "2026-12-31".into();
    all.0.push(differ::policy::Exemption {
        rule: RuleId::ResponseMediaTypeRemoved,
        scope: differ::policy::Scope::Operation("versionRemoved".into()),
        reason: "pinned clients were told".into(),
        expires: "2026-12-31".into(),
    });
    let quiet = apply(plain.clone(), &Levels::default(), &all, TODAY);
    assert!(!quiet.fails_on(Level::Breaking));
    assert!(quiet.fails_on(Level::Warning));
    assert_eq!(quiet.counts().breaking, plain.counts().breaking);
}

#[test]
fn exempt_changes_are_marked_in_every_report() {
    let diff = apply(diff(OLD, NEW, &options()), &levels(), &exemptions(), TODAY);
    let r = render(&diff);
    insta::assert_snapshot!("policy_responses_text", r.text);
    insta::assert_snapshot!("policy_responses_markdown", r.markdown);
    assert_eq!(r.json.matches("\"exemption\": ").count(), 2, "{}", r.json);
}

/// The checked-in files parse, and so do the examples their comments give.
#[test]
fn the_checked_in_files_and_their_examples_parse() {
    for file in ["api-diff/levels.toml", "api-diff/exemptions.toml"] {
        let text = read(file);
        let example: String = text
            .lines()
            .filter_map(|line| line.strip_prefix("# "))
            .filter(|line| line.contains(" = ") || line.starts_with("[["))
            .map(|line| format!("{line}\n"))
            .collect();
        assert!(!example.is_empty(), "{file} shows an example");
        if file.ends_with("levels.toml") {
            Levels::parse(file, &text).unwrap();
            let example = Levels::parse(file, &example).unwrap();
            assert_eq!(
                example.get(RuleId::ResponseNonSuccessStatusRemoved),
                Some(Level::Info)
            );
        } else {
            Exemptions::parse(file, &text).unwrap();
            let example = Exemptions::parse(file, &example).unwrap();
            assert_eq!(example.0.len(), 1);
            assert_eq!(example.0[0].rule, RuleId::ResponseSuccessStatusRemoved);
        }
    }
}
