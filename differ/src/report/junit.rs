//! JUnit XML report, for CI systems that show test results: one test suite per tag (and one for
//! the spec-wide changes), one test case per change. A breaking change that no exemption covers
//! is a failure; an exempt one is skipped with its reason; the others pass.

use crate::change::{Change, Diff};
use crate::rules::Level;
use std::collections::BTreeMap;
use std::fmt::Write;

/// A shared change's test name names at most this many operations, then counts the rest.
const NAMED_OPERATIONS: usize = 20;

pub fn junit(diff: &Diff) -> String {
    let diff = &diff.folded();
    // Suite name → (test name, change).
    let mut suites: BTreeMap<&str, Vec<(String, &Change)>> = BTreeMap::new();
    for op in &diff.operations {
        let suite = op.tag.as_deref().unwrap_or("Untagged");
        for change in &op.changes {
            let name = format!(
                "{} {} ({}): {}",
                op.method.as_str(),
                op.path,
                op.operation_id,
                change.message
            );
            suites.entry(suite).or_default().push((name, change));
        }
    }
    for shared in &diff.shared {
        let n = shared.operations.len();
        let mut names = super::operation_list(&shared.operations[..n.min(NAMED_OPERATIONS)]);
        if n > NAMED_OPERATIONS {
            let _ = write!(names, " and {} more", n - NAMED_OPERATIONS);
        }
        let name = format!(
            "{} (reaches {n} operations: {names})",
            shared.change.message
        );
        suites
            .entry("Shared schemas")
            .or_default()
            .push((name, &shared.change));
    }
    for change in &diff.spec_changes {
        suites
            .entry("Named types, security and policy")
            .or_default()
            .push((change.message.clone(), change));
    }
    let failed = |c: &Change| c.level() == Level::Breaking && c.exempted.is_none();
    let total = diff.changes().count();
    let failures = diff.changes().filter(|c| failed(c)).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{total}\" failures=\"{failures}\">",
        escape(&format!("API diff {} → {}", diff.old_label, diff.new_label))
    );
    for (suite, cases) in &suites {
        let failures = cases.iter().filter(|(_, c)| failed(c)).count();
        let skipped = cases.iter().filter(|(_, c)| c.exempted.is_some()).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\">",
            escape(suite),
            cases.len()
        );
        for (name, change) in cases {
            let rule = change.info();
            let _ = write!(
                out,
                "    <testcase classname=\"{} {}\" name=\"{}\"",
                rule.number,
                rule.code,
                escape(name)
            );
            let detail = format!(
                "level {}, Rust API {}{}",
                change.level(),
                change.semver,
                change
                    .rust
                    .as_ref()
                    .map(|item| format!(", {item}"))
                    .unwrap_or_default()
            );
            match &change.exempted {
                Some(reason) => {
                    let _ = writeln!(
                        out,
                        ">\n      <skipped message=\"exempt: {}\"/>\n    </testcase>",
                        escape(reason)
                    );
                }
                None if failed(change) => {
                    let _ = writeln!(
                        out,
                        ">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>",
                        rule.number,
                        escape(&change.message),
                        escape(&detail)
                    );
                }
                None => {
                    let _ = writeln!(
                        out,
                        ">\n      <system-out>{}</system-out>\n    </testcase>",
                        escape(&detail)
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(
            super::escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;"
        );
    }
}
