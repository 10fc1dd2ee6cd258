//! Markdown report, for a changelog or a pull-request comment: a summary table by tag on top,
//! then one section per tag (the tags with breaking changes first) with a table per operation,
//! then the spec-wide changes. A long section is folded in `<details>`, and the whole report is
//! cut to fit a GitHub comment (65,536 characters), with a line saying what was left out.

use super::counts_text;
use crate::change::{Change, Diff, OperationDiff};
use crate::rules::{Level, Semver};
use std::collections::BTreeMap;
use std::fmt::Write;

/// What [`markdown`] stays under: GitHub's comment limit is 65,536, and the notice of what was
/// left out needs room.
pub const DEFAULT_CAP: usize = 60_000;

/// Room kept for the closing tags and the notice of what was left out, so that the report stays
/// under its cap.
const RESERVE: usize = 1_000;

/// The notice names at most this many tags of what was left out.
const NOTICE_TAGS: usize = 8;

/// A section with more changes than this is folded.
const FOLD_ABOVE: usize = 10;

/// A shared change names at most this many operations, so that it fits beside the others.
const NAMED_OPERATIONS: usize = 40;

/// Operations without a tag are grouped under this name.
const UNTAGGED: &str = "Untagged";

pub fn markdown(diff: &Diff) -> String {
    markdown_capped(diff, DEFAULT_CAP)
}

/// The report, cut to at most `cap` characters: whole operations are left out, from the first
/// one that does not fit on, and a line says how many. The summary table is always there.
pub fn markdown_capped(diff: &Diff, cap: usize) -> String {
    let diff = &diff.folded();
    let mut out = String::from("# API diff\n\n");
    let _ = writeln!(out, "- Old: `{}`", diff.old_label);
    let _ = writeln!(out, "- New: `{}`\n", diff.new_label);
    if diff.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    let effect = diff.semver().map(|s| s.as_str()).unwrap_or("patch");
    let _ = writeln!(
        out,
        "{}. Effect on the generated crate: **{effect}**.\n",
        counts_text(diff)
    );
    let groups = groups(diff);
    let shared: Vec<Change> = diff.shared.iter().map(|s| s.change.clone()).collect();
    summary_table(&mut out, &groups, &shared, &diff.spec_changes);

    let mut left = Left::default();
    if !diff.shared.is_empty() {
        // Block by block, the most severe first, while they fit.
        out.push_str("\n## Shared schemas\n\nEach change once, with the operations it reaches.\n");
        for block in super::shared_blocks(diff) {
            let mut section = format!(
                "\n<details><summary>Reaches {} operation(s)</summary>\n\n{}\n\n</details>\n\n",
                block.operations.len(),
                named(block.operations)
            );
            let changes: Vec<Change> = block.changes.iter().map(|c| (*c).clone()).collect();
            table(&mut section, &changes);
            if left.any() || out.len() + section.len() + RESERVE > cap {
                left.shared += changes.len();
            } else {
                out.push_str(&section);
            }
        }
    }
    for group in &groups {
        let mut section = format!("\n## {}\n", group.tag);
        let changes: usize = group.operations.iter().map(|op| op.changes.len()).sum();
        let fold = changes > FOLD_ABOVE;
        if fold {
            let _ = write!(
                section,
                "\n<details><summary>{} operation(s), {changes} change(s)</summary>\n",
                group.operations.len()
            );
        }
        let mut kept = 0;
        for op in &group.operations {
            let mut block = format!(
                "\n### `{} {}` (`{}`)\n\n",
                op.method.as_str(),
                op.path,
                op.operation_id
            );
            table(&mut block, &op.changes);
            if left.any() || out.len() + section.len() + block.len() + RESERVE > cap {
                left.add(group.tag, op.changes.len());
                continue;
            }
            section.push_str(&block);
            kept += 1;
        }
        if kept == 0 {
            continue;
        }
        if fold {
            section.push_str("\n</details>\n");
        }
        out.push_str(&section);
    }
    if !diff.spec_changes.is_empty() {
        let mut section = String::from("\n## Named types, security and policy\n\n");
        let fold = diff.spec_changes.len() > FOLD_ABOVE;
        if fold {
            let _ = writeln!(
                section,
                "<details><summary>{} change(s)</summary>\n",
                diff.spec_changes.len()
            );
        }
        table(&mut section, &diff.spec_changes);
        if fold {
            section.push_str("\n</details>\n");
        }
        if left.any() || out.len() + section.len() + RESERVE > cap {
            left.spec = diff.spec_changes.len();
        } else {
            out.push_str(&section);
        }
    }
    if left.any() {
        let _ = write!(out, "\n{}\n", left.notice(cap));
    }
    out
}

/// The operations of one tag.
struct Group<'d> {
    tag: &'d str,
    operations: Vec<&'d OperationDiff>,
}

impl Group<'_> {
    fn worst(&self) -> Level {
        self.operations
            .iter()
            .map(|op| op.worst_level())
            .min()
            .unwrap_or(Level::Info)
    }
}

/// Tags with breaking changes first, then by name; operations keep the report order.
fn groups(diff: &Diff) -> Vec<Group<'_>> {
    let mut by_tag: BTreeMap<&str, Vec<&OperationDiff>> = BTreeMap::new();
    for op in &diff.operations {
        by_tag
            .entry(op.tag.as_deref().unwrap_or(UNTAGGED))
            .or_default()
            .push(op);
    }
    let mut groups: Vec<Group<'_>> = by_tag
        .into_iter()
        .map(|(tag, operations)| Group { tag, operations })
        .collect();
    groups.sort_by(|a, b| (a.worst(), a.tag).cmp(&(b.worst(), b.tag)));
    groups
}

fn summary_table(
    out: &mut String,
    groups: &[Group<'_>],
    shared: &[Change],
    spec_changes: &[Change],
) {
    out.push_str(
        "| Tag | Operations | Breaking | Warning | Info | Rust API |\n| --- | ---: | ---: | ---: | ---: | --- |\n",
    );
    let mut row = |name: &str, operations: String, changes: &mut dyn Iterator<Item = &Change>| {
        let (mut breaking, mut warning, mut info) = (0, 0, 0);
        let mut semver = Semver::Patch;
        for change in changes {
            match change.level() {
                Level::Breaking => breaking += 1,
                Level::Warning => warning += 1,
                Level::Info => info += 1,
            }
            semver = semver.max(change.semver);
        }
        let _ = writeln!(
            out,
            "| {} | {operations} | {breaking} | {warning} | {info} | {semver} |",
            cell(name)
        );
    };
    for group in groups {
        row(
            group.tag,
            group.operations.len().to_string(),
            &mut group.operations.iter().flat_map(|op| op.changes.iter()),
        );
    }
    if !shared.is_empty() {
        row("Shared schemas", "–".to_owned(), &mut shared.iter());
    }
    if !spec_changes.is_empty() {
        row(
            "Named types, security and policy",
            "–".to_owned(),
            &mut spec_changes.iter(),
        );
    }
}

/// A shared change's operations, the first [`NAMED_OPERATIONS`] by name.
fn named(operations: &[crate::change::OperationRef]) -> String {
    let mut text = operations
        .iter()
        .take(NAMED_OPERATIONS)
        .map(|o| format!("`{}`", o.operation_id))
        .collect::<Vec<_>>()
        .join(", ");
    if operations.len() > NAMED_OPERATIONS {
        let _ = write!(
            text,
            " and {} more (the text and JSON reports list them all)",
            operations.len() - NAMED_OPERATIONS
        );
    }
    text
}

/// What the size cap left out.
#[derive(Default)]
struct Left {
    /// Tag → (operations, changes) left out.
    by_tag: Vec<(String, usize, usize)>,
    spec: usize,
    shared: usize,
}

impl Left {
    fn any(&self) -> bool {
        !self.by_tag.is_empty() || self.spec > 0 || self.shared > 0
    }

    fn add(&mut self, tag: &str, changes: usize) {
        match self.by_tag.iter_mut().find(|(t, _, _)| t == tag) {
            Some(entry) => {
                entry.1 += 1;
                entry.2 += changes;
            }
            None => self.by_tag.push((tag.to_owned(), 1, changes)),
        }
    }

    fn notice(&self, cap: usize) -> String {
        let operations: usize = self.by_tag.iter().map(|(_, n, _)| n).sum();
        let changes: usize = self.by_tag.iter().map(|(_, _, n)| n).sum();
        let mut parts = Vec::new();
        if operations > 0 {
            let mut tags: Vec<String> = self
                .by_tag
                .iter()
                .take(NOTICE_TAGS)
                .map(|(t, _, _)| t.clone())
                .collect();
            if self.by_tag.len() > NOTICE_TAGS {
                tags.push(format!("{} more tags", self.by_tag.len() - NOTICE_TAGS));
            }
            parts.push(format!(
                "{operations} operation(s) with {changes} change(s) (in {})",
                tags.join(", ")
            ));
        }
        if self.shared > 0 {
            parts.push(format!("{} shared-schema change(s)", self.shared));
        }
        if self.spec > 0 {
            parts.push(format!("{} spec-wide change(s)", self.spec));
        }
        format!(
            "**Left out to stay under {cap} characters:** {}. The summary table above counts them; the text and JSON reports list them all.",
            parts.join(" and ")
        )
    }
}

fn table(out: &mut String, changes: &[Change]) {
    out.push_str(
        "| Level | Rust API | Rust item | Change | Rule |\n| --- | --- | --- | --- | --- |\n",
    );
    for change in changes {
        let rule = change.info();
        let (level, message) = match &change.exempted {
            Some(reason) => (
                format!("{} (exempt)", change.level()),
                format!("{} — exempt: {reason}", change.message),
            ),
            None => (change.level().to_string(), change.message.clone()),
        };
        let _ = writeln!(
            out,
            "| {level} | {} | {} | {} | {} `{}` |",
            change.semver.as_str(),
            cell(change.rust.as_deref().unwrap_or("–")),
            cell(&message),
            rule.number,
            rule.code
        );
    }
}

/// A table cell: `|` would end it, a line break would end the row.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn cells_escape_pipes() {
        assert_eq!(
            super::cell("pattern `^(a|b)$` added"),
            "pattern `^(a\\|b)$` added"
        );
    }
}
