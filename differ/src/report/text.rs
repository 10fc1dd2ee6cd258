//! Text report for a terminal: one block per operation, breaking operations first, each change
//! on one line with its level, its Rust API effect and its rule.

use super::counts_text;
use crate::change::{Change, Diff};
use crate::rules::Semver;
use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::fmt::Write;

pub fn text(diff: &Diff) -> String {
    let diff = &diff.folded();
    let mut out = String::new();
    let _ = writeln!(out, "API diff");
    let _ = writeln!(out, "  old: {}", diff.old_label);
    let _ = writeln!(out, "  new: {}", diff.new_label);
    if diff.is_empty() {
        out.push_str("No changes.\n");
        notes(&mut out, diff);
        return out;
    }
    let _ = writeln!(
        out,
        "{}; {}.",
        counts_text(diff),
        crate_effect(diff.semver())
    );
    for op in &diff.operations {
        let _ = writeln!(
            out,
            "\n{} {} ({})",
            op.method.as_str(),
            op.path,
            op.operation_id
        );
        for change in &op.changes {
            line(&mut out, change);
        }
    }
    if !diff.shared.is_empty() {
        out.push_str("\nShared schemas: each change once, with the operations it reaches\n");
        for block in super::shared_blocks(diff) {
            let _ = writeln!(
                out,
                "  reaches {} operation(s): {}",
                block.operations.len(),
                super::operation_list(block.operations)
            );
            for change in block.changes {
                line(&mut out, change);
            }
        }
    }
    if !diff.spec_changes.is_empty() {
        out.push_str("\nNamed types, security and policy\n");
        for change in &diff.spec_changes {
            line(&mut out, change);
        }
    }
    notes(&mut out, diff);
    out
}

/// What was assumed to read a document the generator would refuse, after the changes.
fn notes(out: &mut String, diff: &Diff) {
    if diff.notes.is_empty() {
        return;
    }
    out.push_str("\nRead for comparison only (the generator refuses these)\n");
    for note in &diff.notes {
        let _ = writeln!(out, "  {note}");
    }
}

fn line(out: &mut String, change: &Change) {
    let rule = change.info();
    let item = change
        .rust
        .as_ref()
        .map(|item| format!("; Rust: {item}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "  {:<8} {:<5}  {}{item}  [{} {}]",
        change.level().as_str(),
        change.semver.as_str(),
        change.message,
        rule.number,
        rule.code
    );
    if let Some(reason) = &change.exempted {
        let _ = writeln!(out, "                  exempt: {reason}");
    }
}

fn crate_effect(semver: Option<Semver>) -> String {
    match semver {
        Some(Semver::Patch) | None => {
            "the generated crate's public API is unchanged (patch)".to_owned()
        }
        Some(s) => format!("the generated crate needs a {s} release"),
    }
}

/// A few lines for the end of `cargo xtask regen`: the semver effect of the regeneration on the
/// generated crate's public API, and the changes that cause it, each change that several
/// operations share listed once.
pub fn summary(diff: &Diff) -> String {
    /// More than this many API changes are counted, not listed.
    const SHOWN: usize = 12;
    let diff = &diff.folded();
    let mut out = String::new();
    // (semver, rule number, message) → the operations it was found in.
    let mut api: BTreeMap<(Reverse<Semver>, &str, &str), Vec<&str>> = BTreeMap::new();
    for op in &diff.operations {
        for change in op.changes.iter().filter(|c| c.semver > Semver::Patch) {
            let key = (
                Reverse(change.semver),
                change.info().number,
                change.message.as_str(),
            );
            api.entry(key).or_default().push(&op.operation_id);
        }
    }
    for shared in diff
        .shared
        .iter()
        .filter(|s| s.change.semver > Semver::Patch)
    {
        let entry = api
            .entry((
                Reverse(shared.change.semver),
                shared.change.info().number,
                &shared.change.message,
            ))
            .or_default();
        entry.extend(shared.operations.iter().map(|o| o.operation_id.as_str()));
    }
    for change in diff
        .spec_changes
        .iter()
        .filter(|c| c.semver > Semver::Patch)
    {
        api.entry((
            Reverse(change.semver),
            change.info().number,
            &change.message,
        ))
        .or_default();
    }
    if api.is_empty() {
        let _ = writeln!(
            out,
            "Public API: unchanged (patch); {} wire change(s).",
            diff.counts().total()
        );
        return out;
    }
    let semver = diff.semver().unwrap_or(Semver::Patch);
    let _ = writeln!(out, "Public API: {semver} change ({}):", counts_text(diff));
    for ((Reverse(semver), number, message), ops) in api.iter().take(SHOWN) {
        let code = crate::rules::find(number).map_or("", |r| r.code);
        let place = match ops.as_slice() {
            [] => String::new(),
            // A removed or added operation names itself.
            [one] if message.contains(&format!("`{one}`")) => String::new(),
            [one] => format!(", in `{one}`"),
            many => format!(", in {} operations", many.len()),
        };
        let _ = writeln!(out, "  {:<5}  {message}{place}  [{code}]", semver.as_str());
    }
    if api.len() > SHOWN {
        let _ = writeln!(
            out,
            "  ... and {} more: run `cargo xtask diff` for all of them",
            api.len() - SHOWN
        );
    }
    out
}
