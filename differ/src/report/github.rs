//! GitHub Actions report: one workflow command per change (`::error title=…::…`), so that a CI
//! run shows each change as an annotation. Breaking changes are errors, warnings warnings, the
//! rest notices; an exempt change is a notice that says why.

use crate::change::{Change, Diff};
use crate::rules::Level;
use std::fmt::Write;

/// A shared change's annotation names at most this many operations, then counts the rest.
const NAMED_OPERATIONS: usize = 20;

pub fn github_actions(diff: &Diff) -> String {
    let diff = &diff.folded();
    let mut out = String::new();
    for op in &diff.operations {
        let place = format!("{} {} ({})", op.method.as_str(), op.path, op.operation_id);
        for change in &op.changes {
            annotation(&mut out, Some(&place), change);
        }
    }
    for shared in &diff.shared {
        let n = shared.operations.len();
        let mut names = super::operation_list(&shared.operations[..n.min(NAMED_OPERATIONS)]);
        if n > NAMED_OPERATIONS {
            let _ = write!(names, " and {} more", n - NAMED_OPERATIONS);
        }
        let place = format!("{n} operations ({names})");
        annotation(&mut out, Some(&place), &shared.change);
    }
    for change in &diff.spec_changes {
        annotation(&mut out, None, change);
    }
    let effect = diff.semver().map(|s| s.as_str()).unwrap_or("patch");
    let c = diff.counts();
    let _ = writeln!(
        out,
        "::notice title=API diff::{}",
        data(&format!(
            "{} breaking, {} warning(s), {} info; the generated crate needs a {effect} release ({} → {})",
            c.breaking, c.warning, c.info, diff.old_label, diff.new_label
        ))
    );
    out
}

fn annotation(out: &mut String, place: Option<&str>, change: &Change) {
    let rule = change.info();
    let command = match (&change.exempted, change.level()) {
        (Some(_), _) | (None, Level::Info) => "notice",
        (None, Level::Breaking) => "error",
        (None, Level::Warning) => "warning",
    };
    let title = match place {
        Some(place) => format!("{} {}: {place}", rule.number, rule.code),
        None => format!("{} {}", rule.number, rule.code),
    };
    let mut message = format!(
        "{} ({}, Rust API {}",
        change.message,
        change.level(),
        change.semver
    );
    if let Some(item) = &change.rust {
        let _ = write!(message, ", {item}");
    }
    message.push(')');
    if let Some(reason) = &change.exempted {
        let _ = write!(message, "; exempt: {reason}");
    }
    let _ = writeln!(
        out,
        "::{command} title={}::{}",
        property(&title),
        data(&message)
    );
}

/// A command's message: `%`, CR and LF are escaped.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value: also `:` and `,`, which end it.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_workflow_command_rules() {
        assert_eq!(data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(property("DF101: a, b"), "DF101%3A a%2C b");
    }
}
