//! Reports: the same [`Diff`] as terminal text, Markdown, JSON, GitHub Actions annotations and
//! JUnit XML, plus the short summary that `cargo xtask regen` prints. Every format is
//! byte-for-byte stable for a given diff, and names the generated Rust item each change touches.

mod github;
mod json;
mod junit;
mod markdown;
mod text;

pub use github::github_actions;
pub use json::json;
pub use junit::junit;
pub use markdown::{markdown, markdown_capped, DEFAULT_CAP};
pub use text::{summary, text};

use crate::change::Diff;
use std::fmt::Write;

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
}

impl Format {
    pub fn render(self, diff: &Diff) -> String {
        match self {
            Format::Text => text(diff),
            Format::Markdown => markdown(diff),
            Format::Json => json(diff),
            Format::GithubActions => github_actions(diff),
            Format::Junit => junit(diff),
        }
    }
}

/// The rule table as Markdown, for documentation and `cargo xtask diff --rules`.
pub fn rules_markdown() -> String {
    let mut out = String::from("| Id | Code | Category | Level | Rust API | Description |\n| --- | --- | --- | --- | --- | --- |\n");
    for rule in crate::rules::RULES {
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} | {} |",
            rule.number,
            rule.code,
            rule.category.as_str(),
            rule.level,
            rule.semver,
            rule.description.replace('|', "\\|")
        );
    }
    out
}
