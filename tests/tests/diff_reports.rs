//! The report formats beyond one table per operation: Markdown grouped by tag with a summary
//! table, folded long sections and a size cap; GitHub Actions annotations; JUnit XML; and
//! `--min-level`. Every format names the generated Rust item a change touches.

mod diff_support;

use diff_support::{diff, options, repository, TODAY};
use differ::policy::{apply, Exemptions, Levels};
use differ::{report, Diff, Level};

const R2023: &str = "tests/fixtures/diff/upstream/atlas-admin-v2-2023-02-23.yaml";
const R2026_01: &str = "tests/fixtures/diff/upstream/atlas-admin-v2-2026-01-12.yaml";

/// The responses rule fixture with the policy fixture's exemptions: exempt, expired and plain
/// changes of every level.
fn responses_with_policy() -> Diff {
    let file = "tests/fixtures/diff/policy/exemptions.toml";
    let text = std::fs::read_to_string(repository().join(file)).unwrap();
    let exemptions = Exemptions::parse(file, &text).unwrap();
    let plain = diff(
        "tests/fixtures/diff/rules/responses/old.yaml",
        "tests/fixtures/diff/rules/responses/new.yaml",
        &options(),
    );
    apply(plain, &Levels::default(), &exemptions, TODAY)
}

#[test]
fn markdown_groups_by_tag_under_a_summary_table() {
    let diff = diff(R2023, R2026_01, &options());
    let text = report::markdown(&diff);
    let summary = text.find("| Tag | Operations |").expect("a summary table");
    let first_section = text.find("\n## ").unwrap();
    assert!(summary < first_section);
    // Every tag of the diff has a row and a section (changes that several operations share
    // are in their own section).
    for op in &diff.folded().operations {
        let tag = op.tag.as_deref().unwrap_or("Untagged");
        assert!(text.contains(&format!("\n| {tag} | ")), "{tag}");
        assert!(text.contains(&format!("\n## {tag}\n")), "{tag}");
    }
    // Sections of more than ten changes are folded, shorter ones are not.
    assert!(text.contains("<details><summary>2 operation(s), 12 change(s)</summary>"));
    assert!(text.contains("\n| Shared schemas | – | 1 | 16 | 13 | major |\n"));
    let flex = &text[text.find("\n## Flex Snapshots\n").unwrap()..];
    let flex = &flex[..flex[1..].find("\n## ").unwrap()];
    assert!(!flex.contains("<details>"), "{flex}");
}

#[test]
fn markdown_is_cut_to_its_cap_with_a_notice() {
    let diff = diff(R2023, R2026_01, &options());
    let full = report::markdown(&diff);
    assert!(full.len() < report::DEFAULT_CAP && !full.contains("Left out"));
    let cut = report::markdown_capped(&diff, 12_000);
    assert!(cut.len() <= 12_000, "{}", cut.len());
    assert!(
        cut.contains("**Left out to stay under 12000 characters:**"),
        "{cut}"
    );
    // The summary table still counts everything.
    let summary = |text: &str| {
        let start = text.find("| Tag |").unwrap();
        text[..start + text[start..].find("\n\n").unwrap()].to_owned()
    };
    assert_eq!(summary(&full), summary(&cut));
    assert!(cut.contains("\n## "), "the first sections fit");
    insta::assert_snapshot!("reports_markdown_capped", cut);
}

#[test]
fn github_actions_annotations() {
    let text = report::github_actions(&responses_with_policy());
    for line in text.lines() {
        assert!(
            ["::error title=", "::warning title=", "::notice title="]
                .iter()
                .any(|p| line.starts_with(p)),
            "{line}"
        );
        // `:` and `,` would end the title early; the message may hold anything.
        let title = line.split_once(" title=").unwrap().1;
        let title = title.split_once("::").unwrap().0;
        assert!(!title.contains(':') && !title.contains(','), "{line}");
    }
    insta::assert_snapshot!("reports_github_actions", text);
}

#[test]
fn junit_failures_are_the_breaking_changes_nothing_exempts() {
    let diff = responses_with_policy();
    let xml = report::junit(&diff);
    let failing = diff
        .changes()
        .filter(|c| c.level() == Level::Breaking && c.exempted.is_none())
        .count();
    assert_eq!(xml.matches("<failure ").count(), failing);
    assert_eq!(xml.matches("<skipped ").count(), 2);
    assert_eq!(xml.matches("<testcase ").count(), diff.changes().count());
    insta::assert_snapshot!("reports_junit", xml);
}

#[test]
fn min_level_keeps_the_worse_changes() {
    let diff = responses_with_policy();
    let warnings = diff.clone().at_least(Level::Warning);
    assert!(warnings.changes().all(|c| c.level() <= Level::Warning));
    assert_eq!(
        warnings.changes().count(),
        diff.changes()
            .filter(|c| c.level() <= Level::Warning)
            .count()
    );
    assert!(warnings.operations.iter().all(|op| !op.changes.is_empty()));
    assert!(diff.clone().at_least(Level::Info) == diff);
}

#[test]
fn every_format_names_the_rust_item() {
    let diff = responses_with_policy();
    let item = "field `Gadget::size`";
    assert!(report::text(&diff).contains(&format!("; Rust: {item}")));
    assert!(report::markdown(&diff).contains(&format!("| {item} |")));
    assert!(report::json(&diff).contains(&format!("\"rustItem\": \"{item}\"")));
    assert!(report::github_actions(&diff).contains(item));
    assert!(report::junit(&diff).contains(item));
}
