//! One description of each operation: the generated `OPERATION` constant of each request builder
//! lists every parameter with its checks, and the builders, the typed mocks and the command line
//! read it instead of writing the checks again. Checked on the committed crates: each regular
//! expression is declared once per crate, each distinct parameter is described once (in
//! `params.rs`, which the descriptors list), and a check is written nowhere else (but, in the
//! command line, for a body field, which no descriptor describes).

use atlas_snapshots::operations::{ListFlexBackupSnapshots, TakeSnapshots};
use atlas_snapshots::{Check, ParamIn, ValueKind};
use codegen::project::repository_root;
use regex::Regex;
use std::collections::BTreeMap;

/// The `.rs` files of a folder of the repository, by name.
fn sources(folder: &str) -> BTreeMap<String, String> {
    let dir = repository_root().join(folder);
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            files.insert(name, std::fs::read_to_string(&path).unwrap());
        }
    }
    assert!(!files.is_empty(), "no sources in {}", dir.display());
    files
}

/// How often each regular expression is declared (`Pattern::new("…")`), and where.
fn pattern_declarations(files: &BTreeMap<String, String>) -> BTreeMap<String, Vec<String>> {
    let declared = Regex::new(r#"Pattern::new\((r?"(?:[^"\\]|\\.)*")\)"#).unwrap();
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, text) in files {
        for capture in declared.captures_iter(text) {
            found
                .entry(capture[1].to_owned())
                .or_default()
                .push(name.clone());
        }
    }
    found
}

/// Each block of `text` that starts with `start` (which ends with its opening brace), up to its
/// closing brace.
fn blocks<'t>(text: &'t str, start: &str) -> Vec<&'t str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(start) {
        let body = &rest[at..];
        let mut depth = 0usize;
        let mut end = body.len();
        for (i, c) in body.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        found.push(&body[..end]);
        rest = &body[end..];
    }
    found
}

#[test]
fn each_pattern_is_declared_once_per_crate() {
    for folder in [
        "generated-client/src",
        "cli/src/generated",
        "tests/methods-client/src",
    ] {
        let declared = pattern_declarations(&sources(folder));
        for (pattern, files) in &declared {
            assert_eq!(
                files.len(),
                1,
                "{folder}: {pattern} is declared in {files:?}"
            );
        }
        if folder == "generated-client/src" {
            // The curated spec's ids and names: the client has both, in its `params.rs`.
            assert_eq!(declared.len(), 2, "{declared:?}");
            assert!(declared.values().flatten().all(|file| file == "params.rs"));
        }
    }
}

#[test]
fn each_parameter_is_described_once_and_checks_nowhere_else() {
    let client = sources("generated-client/src");
    let described = blocks(&client["params.rs"], "ParamInfo = ParamInfo {");
    assert!(described.len() >= 8, "{}", client["params.rs"]);
    // No two descriptions alike: a parameter many operations take is written once.
    let distinct: std::collections::BTreeSet<&str> = described.iter().copied().collect();
    assert_eq!(distinct.len(), described.len());
    let in_descriptions: usize = described.iter().map(|d| d.matches("Check::").count()).sum();
    assert!(in_descriptions > 0);
    for (name, text) in &client {
        let checks = text.matches("Check::").count();
        match name.as_str() {
            "params.rs" => assert_eq!(checks, in_descriptions, "{name}"),
            _ => assert_eq!(checks, 0, "{name} writes checks outside params.rs"),
        }
    }
    // The descriptors list the descriptions by name, one descriptor per builder.
    let operations = &client["operations.rs"];
    let descriptors = blocks(
        operations,
        "pub const OPERATION: OperationInfo = OperationInfo {",
    );
    assert_eq!(
        descriptors.len(),
        operations.matches("fn runtime_request").count()
    );
    assert!(descriptors
        .iter()
        .all(|d| !d.contains("ParamInfo {") && !d.contains("Check::")));
    assert!(operations.matches("crate::params::GROUP_ID").count() >= 20);

    // The command line reads each parameter's checks from the client's descriptor; only the
    // body fields it takes as flags carry checks of their own.
    let mut body_checks = 0;
    for (name, text) in sources("cli/src/generated") {
        assert!(!text.contains("Text::new"), "{name}");
        let in_fields: usize = blocks(&text, "args::ValueChecks {")
            .iter()
            .map(|b| b.matches("Check::").count())
            .sum();
        assert_eq!(
            text.matches("Check::").count(),
            in_fields,
            "{name} writes a check outside a body field's description"
        );
        body_checks += in_fields;
        let parameter_parsers = text.matches("args::checked::<").count();
        let from_descriptor = text.matches("(OPERATION, ParamIn::").count();
        assert_eq!(parameter_parsers, from_descriptor, "{name}");
    }
    assert!(body_checks > 0, "the body fields' own checks were found");
}

#[test]
fn a_descriptor_describes_every_parameter_with_its_checks() {
    let list = &ListFlexBackupSnapshots::OPERATION;
    assert_eq!(list.id, "listFlexBackupSnapshots");
    let group = list.param("groupId", ParamIn::Path).unwrap();
    assert!(group.required);
    assert_eq!(group.kind, ValueKind::Text);
    assert!(group.check_text("32b6e34b3d91647abb20e7b8").is_ok());
    let refused = group.check_text("32b6e34b3d91647abb20e7b").unwrap_err();
    assert!(refused.reason.contains("pattern"), "{refused}");
    assert!(matches!(
        group.checks,
        [Check::Pattern(p), Check::MinLength(24), Check::MaxLength(24)]
            if p.source() == "^([a-f0-9]{24})$"
    ));
    let per_page = list.param("itemsPerPage", ParamIn::Query).unwrap();
    assert_eq!(per_page.kind, ValueKind::Integer);
    assert!(per_page.check_text("500").is_ok());
    assert!(per_page.check_text("501").is_err());
    assert!(per_page.check_text("ten").is_err());
    assert!(
        list.param("groupId", ParamIn::Query).is_none(),
        "found by name and location"
    );
    assert!(list.deprecation.is_none());
    // The descriptors of several operations refer to one compiled pattern.
    let take = &TakeSnapshots::OPERATION;
    let pattern_of = |op: &'static atlas_snapshots::OperationInfo| match op
        .param("groupId", ParamIn::Path)
        .unwrap()
        .checks[0]
    {
        Check::Pattern(p) => p as *const _,
        other => panic!("{other:?}"),
    };
    assert_eq!(pattern_of(list), pattern_of(take));
}

#[test]
fn a_deprecated_operation_s_descriptor_names_its_sunset_and_replacement() {
    let old = &atlas_snapshots::operations::ListServerlessBackupSnapshots::OPERATION;
    let deprecation = old.deprecation.expect("deprecated in the spec");
    assert!(deprecation.sunset.is_some(), "{deprecation:?}");
    assert!(deprecation.replaced_by.is_some(), "{deprecation:?}");
}
