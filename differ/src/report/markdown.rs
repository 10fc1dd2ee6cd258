//! Markdown report, for a changelog or a pull request: a summary, then one table per operation
//! (breaking operations first), then the spec-wide changes.

use super::counts_text;
use crate::change::{Change, Diff};
use std::fmt::Write;

pub fn markdown(diff: &Diff) -> String {
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
        "{}. Effect on the generated crate: **{effect}**.",
        counts_text(diff)
    );
    if !diff.operations.is_empty() {
        out.push_str("\n## Operations\n");
        for op in &diff.operations {
            let _ = writeln!(
                out,
                "\n### `{} {}` (`{}`)\n",
                op.method.as_str(),
                op.path,
                op.operation_id
            );
            table(&mut out, &op.changes);
        }
    }
    if !diff.spec_changes.is_empty() {
        out.push_str("\n## Schemas and security\n\n");
        table(&mut out, &diff.spec_changes);
    }
    out
}

fn table(out: &mut String, changes: &[Change]) {
    out.push_str("| Level | Rust API | Change | Rule |\n| --- | --- | --- | --- |\n");
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
            "| {level} | {} | {} | {} `{}` |",
            change.semver.as_str(),
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
