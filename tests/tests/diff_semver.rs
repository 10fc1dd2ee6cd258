//! The semver effect of status, media-type and body rules comes from what the generator emits,
//! not from the rule table: one fixture pair per case (`tests/fixtures/diff/semver/<case>`), each
//! one operation with one change. Every case is checked twice: the differ's verdict, and the
//! code the generator really makes from both sides (the same public API when the verdict is
//! patch; the `send()` return types the differ names when it is not).

mod diff_support;

use codegen::load::{load_text, Format};
use diff_support::{diff, options, repository};
use differ::Semver;

/// Each case: the rules it fires, all with the one semver effect it expects.
const CASES: &[(&str, &[&str], Semver)] = &[
    // addUserToProject: a 204 beside a 200 with a body makes `send()` return `Option<T>`.
    ("status-beside-body", &["DF401"], Semver::Major),
    // testFailover: 204 to 200 with no body on either side; the generated code is identical.
    ("status-swap-no-body", &["DF401", "DF402"], Semver::Patch),
    // A CSV answer is `Bytes` with or without a schema.
    ("csv-schema-added", &["DF407"], Semver::Patch),
    // `application/json` to `application/vnd.atlas…+json`: only a media-type constant changes.
    (
        "request-media-type-switched",
        &["DF306", "DF307"],
        Semver::Patch,
    ),
    // A newer request version with another schema: the builder takes an enum of both types.
    ("request-media-type-new-body", &["DF306"], Semver::Major),
    // A new version with the same body: one more media type in a constant.
    ("response-media-type-added", &["DF405"], Semver::Patch),
    // A new version with another body: `send()` now returns the per-version enum.
    ("response-media-type-new-body", &["DF405"], Semver::Major),
    // The per-version enum is `#[non_exhaustive]`: one more variant is an addition.
    ("response-enum-variant-added", &["DF405"], Semver::Minor),
    // Back from the per-version enum to one type.
    ("response-media-type-removed", &["DF406"], Semver::Major),
    // Both versions had the same body: only the constant changes.
    (
        "response-media-type-removed-same-body",
        &["DF406"],
        Semver::Patch,
    ),
];

fn paths(case: &str) -> (String, String) {
    let dir = format!("tests/fixtures/diff/semver/{case}");
    (format!("{dir}/old.yaml"), format!("{dir}/new.yaml"))
}

/// The generated module of a fixture, with what is not public API taken out: comments and docs
/// (they name media types), the values of the media-type constants, and all whitespace.
fn generated_surface(label: &str) -> String {
    let text = std::fs::read_to_string(repository().join(label)).unwrap();
    let spec = load_text(label, text, Format::Yaml).unwrap();
    let options = codegen::Options {
        spec_label: "fixture".into(),
        command: "test".into(),
        crate_settings: codegen::CrateSettings::default(),
    };
    let generated = codegen::generate_from(&spec, &options).unwrap();
    let mut code = String::new();
    for file in &generated.files {
        for line in file.contents.lines() {
            if !line.trim_start().starts_with("//") {
                code.push_str(line);
                code.push('\n');
            }
        }
    }
    let code = cut_values(&code, "const OPERATION", "};");
    let code = cut_values(&code, "pub const API_VERSIONS", ";");
    // What the typed mocks check and answer is wire data, as the descriptors are.
    let code = cut_values(&code, ": MockOperation = MockOperation {", "};");
    code.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .replace("::std::option::", "")
        .replace("super::models::", "")
        .replace("::bytes::", "")
        .replace("::atlas_snapshots_runtime::", "")
        .replace("crate::", "")
        .replace(",)", ")")
}

/// `text` with everything from each `start` to the next `end` taken out.
fn cut_values(text: &str, start: &str, end: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(start) {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let j = after.find(end).expect("a constant ends");
        rest = &after[j + end.len()..];
    }
    out.push_str(rest);
    out
}

/// The types a message names in "now returns `X` instead of `Y`".
fn returns(message: &str) -> Option<(String, String)> {
    let (_, rest) = message.split_once("now returns `")?;
    let (new, rest) = rest.split_once("` instead of `")?;
    let (old, _) = rest.split_once('`')?;
    Some((new.replace(' ', ""), old.replace(' ', "")))
}

/// The types a message names in "the request body is now `X` instead of `Y`".
fn takes(message: &str) -> Option<(String, String)> {
    let (_, rest) = message.split_once("the request body is now `")?;
    let (new, rest) = rest.split_once("` instead of `")?;
    let (old, _) = rest.split_once('`')?;
    Some((new.to_owned(), old.to_owned()))
}

/// The rules a diff fires, each with its semver effect.
fn fired(diff: &differ::Diff) -> Vec<(&'static str, Semver)> {
    diff.changes()
        .map(|c| (c.info().number, c.semver))
        .collect()
}

#[test]
fn verdicts_follow_the_generated_signatures() {
    for (case, rules, semver) in CASES {
        let (old, new) = paths(case);
        let diff = diff(&old, &new, &options());
        let fired = fired(&diff);
        let expected: Vec<(&str, Semver)> = rules.iter().map(|r| (*r, *semver)).collect();
        let mut sorted = fired.clone();
        sorted.sort();
        assert_eq!(sorted, expected, "case `{case}`: {fired:?}");
        assert_eq!(diff.semver(), Some(*semver), "case `{case}`");
    }
}

#[test]
fn the_generated_code_agrees_with_each_verdict() {
    for (case, _, semver) in CASES {
        let (old, new) = paths(case);
        let (before, after) = (generated_surface(&old), generated_surface(&new));
        if *semver == Semver::Patch {
            assert_eq!(
                before, after,
                "case `{case}`: the public API should not change"
            );
            continue;
        }
        assert_ne!(before, after, "case `{case}`: the public API should change");
        let diff = diff(&old, &new, &options());
        let mut named = 0;
        for change in diff.changes() {
            if let Some((now, was)) = returns(&change.message) {
                let send = |ty: &str| format!("pubasyncfnsend(self)->Result<{ty},");
                assert!(after.contains(&send(&now)), "case `{case}`: {now}\n{after}");
                assert!(
                    before.contains(&send(&was)),
                    "case `{case}`: {was}\n{before}"
                );
                named += 1;
            }
            if let Some((now, was)) = takes(&change.message) {
                let body = |ty: &str| format!("body:{ty},");
                assert!(after.contains(&body(&now)), "case `{case}`: {now}\n{after}");
                assert!(
                    before.contains(&body(&was)),
                    "case `{case}`: {was}\n{before}"
                );
                named += 1;
            }
        }
        assert!(named > 0, "case `{case}` names no changed signature");
    }
}

#[test]
fn messages_name_what_the_client_receives() {
    let (old, new) = paths("csv-schema-added");
    let csv = diff(&old, &new, &options());
    let message = &csv.changes().next().unwrap().message;
    assert!(
        message.contains("`text/csv`, received as bytes") && !message.contains("JSON"),
        "{message}"
    );
    let (old, new) = paths("status-beside-body");
    let status = diff(&old, &new, &options());
    let message = &status.changes().next().unwrap().message;
    assert!(
        status.changes().next().unwrap().rust.as_deref() == Some("`AddThing::send()`")
            && message.ends_with(
            "`send()` now returns `ResponseValue<Option<Thing>>` instead of `ResponseValue<Thing>`"
        ),
        "{message}"
    );
}

/// A response union's alternatives (`tests/fixtures/diff/semver/response-union-branch-*`): one
/// added is a new variant of a `#[non_exhaustive]` enum (minor), one removed takes a variant
/// away (major). `cargo xtask semver-agree` checks both verdicts on the compiled crates.
#[test]
fn union_alternatives_follow_the_generated_enum() {
    for (case, rule, semver, variant) in [
        (
            "response-union-branch-added",
            "DF446",
            Semver::Minor,
            "Widget",
        ),
        (
            "response-union-branch-removed",
            "DF447",
            Semver::Major,
            "Widget",
        ),
    ] {
        let (old, new) = paths(case);
        let diff = diff(&old, &new, &options());
        let fired = fired(&diff);
        assert_eq!(fired, [(rule, semver)], "case `{case}`");
        let (before, after) = (generated_surface(&old), generated_surface(&new));
        let arm = format!("{variant}(Box<{variant}>)");
        let (with, without) = match semver {
            Semver::Minor => (&after, &before),
            _ => (&before, &after),
        };
        assert!(
            with.contains(&arm) && !without.contains(&arm),
            "case `{case}`: {with}"
        );
    }
}
