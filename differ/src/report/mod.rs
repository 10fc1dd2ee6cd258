//! Reports: the same [`Diff`] as terminal text, Markdown, JSON, GitHub Actions annotations,
//! JUnit XML and MongoDB's changelog records, plus the short summary that `cargo xtask regen`
//! prints. Every format is byte-for-byte stable for a given diff; all but MongoDB's records
//! (whose fields are MongoDB's) name the generated Rust item each change touches, and list a
//! change that several operations share once.

mod atlas_changelog;
mod github;
mod json;
mod junit;
mod markdown;
mod text;

pub use atlas_changelog::{atlas_changelog, atlas_code, ATLAS_CODES};
pub use github::github_actions;
pub use json::json;
pub use junit::junit;
pub use markdown::{markdown, markdown_capped, DEFAULT_CAP};
pub use text::{summary, text};

use crate::change::{Change, Diff, OperationRef};
use std::fmt::Write;

/// Shared changes that reach the same operations, together: most of a schema's changes reach
/// the operations the schema does, which are then listed once.
pub(crate) struct SharedBlock<'d> {
    pub operations: &'d [OperationRef],
    pub changes: Vec<&'d Change>,
}

/// The shared changes of a folded diff, in blocks of the same operations (the most severe
/// first, as the changes are ordered).
pub(crate) fn shared_blocks(diff: &Diff) -> Vec<SharedBlock<'_>> {
    let mut blocks: Vec<SharedBlock<'_>> = Vec::new();
    for shared in &diff.shared {
        match blocks
            .iter_mut()
            .find(|b| b.operations == shared.operations.as_slice())
        {
            Some(block) => block.changes.push(&shared.change),
            None => blocks.push(SharedBlock {
                operations: &shared.operations,
                changes: vec![&shared.change],
            }),
        }
    }
    blocks
}

/// `a, b, c`: operation ids, in report order.
pub(crate) fn operation_list(operations: &[OperationRef]) -> String {
    operations
        .iter()
        .map(|o| o.operation_id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `1 breaking, 2 warnings, 3 info`.
fn counts_text(diff: &Diff) -> String {
    let c = diff.counts();
    let warnings = if c.warning == 1 {
        "warning"
    } else {
        "warnings"
    };
    format!(
        "{} breaking, {} {warnings}, {} info",
        c.breaking, c.warning, c.info
    )
}

/// Which report to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
    GithubActions,
    Junit,
    /// MongoDB's published version-diff records.
    AtlasChangelog,
}

impl Format {
    pub fn render(self, diff: &Diff) -> String {
        match self {
            Format::Text => text(diff),
            Format::Markdown => markdown(diff),
            Format::Json => json(diff),
            Format::GithubActions => github_actions(diff),
            Format::Junit => junit(diff),
            Format::AtlasChangelog => atlas_changelog(diff),
        }
    }
}

/// The rule table as Markdown, for documentation and `cargo xtask diff --rules`: every rule
/// with its family (the part of the spec and the kind of change, after oasdiff's `area` and
/// `kind`), then how many rules each family has.
pub fn rules_markdown() -> String {
    let mut out = String::from("| Id | Code | Family | Level | Rust API | Description |\n| --- | --- | --- | --- | --- | --- |\n");
    let mut families: std::collections::BTreeMap<crate::rules::Family, Vec<&str>> =
        std::collections::BTreeMap::new();
    for rule in crate::rules::RULES {
        families.entry(rule.family()).or_default().push(rule.number);
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} | {} |",
            rule.number,
            rule.code,
            rule.family(),
            rule.level,
            rule.semver,
            rule.description.replace('|', "\\|")
        );
    }
    out.push_str("\n| Family | Rules |\n| --- | --- |\n");
    for (family, numbers) in families {
        let _ = writeln!(out, "| {family} | {} |", numbers.join(", "));
    }
    out
}
