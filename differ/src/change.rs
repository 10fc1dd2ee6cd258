//! The result of a comparison: changes grouped by operation, plus the spec-wide ones (named
//! types, security schemes), in the stable order every report prints them in.

use crate::rules::{Level, Rule, RuleId, Semver};
use codegen::model::HttpMethod;
use std::cmp::Ordering;

/// One difference between the two sides, classified by a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub rule: RuleId,
    /// The effect on the generated crate; at most the rule's (see [`Rule::semver`]).
    pub semver: Semver,
    /// What changed, where, from what to what.
    pub message: String,
    /// The rule's level, or the one a levels file gives it.
    pub level: Level,
    /// The reason of the exemption that keeps this change out of `--fail-on`, if one does.
    pub exempted: Option<String>,
    /// The item of the generated crate the change touches, by the generator's names:
    /// ``field `Thing::name` ``, ``setter `ListThings::page_num()` ``, `` `GetThing::send()` ``.
    /// `None` when nothing generated is touched (tags, security schemes).
    pub rust: Option<String>,
    /// Where in a named schema the change was found, when it was found inside one: the same
    /// change reached by several operations is reported once ([`Diff::folded`]).
    pub site: Option<Site>,
}

/// A change as the schema or shared parameter it was found in sees it, without the operation
/// that reached it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Site {
    /// What changed, as a heading: `` `ApiError` in responses `` (the schema's name on the
    /// newer side, and which rules judged it), `` path parameter `groupId` ``.
    pub subject: String,
    /// What changed, with property paths relative to the schema (`` `detail` became nullable ``).
    pub message: String,
    /// The generated item, when the change's own names one operation's item (a parameter's
    /// setter): the same item in every operation it reaches.
    pub rust: Option<String>,
}

impl Site {
    /// `` `ApiError` in responses: `detail` became nullable ``.
    pub fn describe(&self) -> String {
        format!("{}: {}", self.subject, self.message)
    }
}

impl Change {
    pub fn new(rule: RuleId, message: impl Into<String>) -> Self {
        Change {
            rule,
            semver: rule.rule().semver,
            message: message.into(),
            level: rule.rule().level,
            exempted: None,
            rust: None,
            site: None,
        }
    }

    pub fn with_semver(mut self, semver: Semver) -> Self {
        self.semver = semver;
        self
    }

    pub fn with_rust(mut self, item: impl Into<String>) -> Self {
        self.rust = Some(item.into());
        self
    }

    pub fn info(&self) -> &'static Rule {
        self.rule.rule()
    }

    pub fn level(&self) -> Level {
        self.level
    }

    /// Breaking first, then by rule number, then by message.
    fn order(&self, other: &Self) -> Ordering {
        (self.level(), self.info().number, &self.message).cmp(&(
            other.level(),
            other.info().number,
            &other.message,
        ))
    }
}

/// The changes of one operation, named the way MongoDB's version diffs name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationDiff {
    /// The path on the newer side (the older one when the operation was removed, and in a
    /// v1.0 → v2 comparison, where the v1.0 operation is the subject).
    pub path: String,
    pub method: HttpMethod,
    pub operation_id: String,
    /// The first tag, if any.
    pub tag: Option<String>,
    pub changes: Vec<Change>,
}

impl OperationDiff {
    pub fn worst_level(&self) -> Level {
        self.changes
            .iter()
            .map(Change::level)
            .min()
            .unwrap_or(Level::Info)
    }
}

/// An operation a shared change reaches, named as in [`OperationDiff`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OperationRef {
    pub path: String,
    pub method: HttpMethod,
    pub operation_id: String,
    pub tag: Option<String>,
}

/// One change to a named schema that several operations reach, reported once: its message is
/// the schema's view of it ([`Site::describe`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedChange {
    pub change: Change,
    /// The operations it reaches, in report order; at least two.
    pub operations: Vec<OperationRef>,
}

/// Everything found between two sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diff {
    /// The older side: its file, and the pin or generation compared.
    pub old_label: String,
    pub new_label: String,
    /// Operations with at least one change, breaking ones first, then by path and method.
    pub operations: Vec<OperationDiff>,
    /// Changes to named types and security schemes, not tied to one operation.
    pub spec_changes: Vec<Change>,
    /// What was assumed to read a document the generator would refuse (an operation without
    /// `operationId`, ...): `file#/pointer: what`. Empty for documents the generator reads.
    pub notes: Vec<String>,
    /// Changes to schemas that several operations reach, each once; empty until
    /// [`Diff::folded`] moves them out of [`Diff::operations`].
    pub shared: Vec<SharedChange>,
}

impl Diff {
    /// Sorts everything into report order and drops operations without changes.
    pub(crate) fn finish(mut self) -> Self {
        self.operations.retain(|op| !op.changes.is_empty());
        for op in &mut self.operations {
            op.changes.sort_by(Change::order);
            op.changes.dedup();
        }
        self.operations.sort_by(|a, b| {
            (a.worst_level(), &a.path, a.method, &a.operation_id).cmp(&(
                b.worst_level(),
                &b.path,
                b.method,
                &b.operation_id,
            ))
        });
        self.spec_changes.sort_by(Change::order);
        self.spec_changes.dedup();
        self
    }

    /// Every change, operation changes first, then the shared ones (each once).
    pub fn changes(&self) -> impl Iterator<Item = &Change> {
        self.operations
            .iter()
            .flat_map(|op| op.changes.iter())
            .chain(self.shared.iter().map(|s| &s.change))
            .chain(self.spec_changes.iter())
    }

    /// The diff as reports show it: a change found in a named schema that two or more
    /// operations reach (the same rule, level, effect, Rust item and exemption, and the same
    /// message relative to the schema) leaves those operations and is listed once in
    /// [`Diff::shared`] with the operations it reaches. One property added to an error schema
    /// that every operation returns is one change, not one per operation.
    pub fn folded(&self) -> Diff {
        use std::collections::BTreeMap;
        // Key → (first change, the operations it is found in).
        let mut reach: BTreeMap<String, (Change, Vec<usize>)> = BTreeMap::new();
        for (index, op) in self.operations.iter().enumerate() {
            for change in &op.changes {
                let Some(key) = fold_key(change) else {
                    continue;
                };
                let entry = reach
                    .entry(key)
                    .or_insert_with(|| (change.clone(), Vec::new()));
                if entry.1.last() != Some(&index) {
                    entry.1.push(index);
                }
            }
        }
        reach.retain(|_, (_, ops)| ops.len() > 1);
        let mut folded = self.clone();
        if reach.is_empty() {
            return folded;
        }
        for op in &mut folded.operations {
            op.changes
                .retain(|c| fold_key(c).is_none_or(|k| !reach.contains_key(&k)));
        }
        folded.operations.retain(|op| !op.changes.is_empty());
        for (change, ops) in reach.into_values() {
            let site = change.site.clone().expect("only changes with a site fold");
            let mut change = change;
            change.message = site.describe();
            if site.rust.is_some() {
                change.rust = site.rust.clone();
            }
            let operations = ops
                .into_iter()
                .map(|i| {
                    let op = &self.operations[i];
                    OperationRef {
                        path: op.path.clone(),
                        method: op.method,
                        operation_id: op.operation_id.clone(),
                        tag: op.tag.clone(),
                    }
                })
                .collect();
            folded.shared.push(SharedChange { change, operations });
        }
        folded.shared.sort_by(|a, b| {
            a.change
                .order(&b.change)
                .then_with(|| a.operations.cmp(&b.operations))
        });
        folded
    }

    pub fn is_empty(&self) -> bool {
        self.changes().next().is_none()
    }

    /// How many changes there are at each level.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for change in self.changes() {
            match change.level() {
                Level::Breaking => counts.breaking += 1,
                Level::Warning => counts.warning += 1,
                Level::Info => counts.info += 1,
            }
        }
        counts
    }

    /// The most severe level found, if anything changed.
    pub fn worst_level(&self) -> Option<Level> {
        self.changes().map(Change::level).min()
    }

    /// Only the changes at `level` or worse (`--min-level`); operations left without changes
    /// are dropped.
    pub fn at_least(mut self, level: Level) -> Self {
        for op in &mut self.operations {
            op.changes.retain(|c| c.level() <= level);
        }
        self.operations.retain(|op| !op.changes.is_empty());
        self.shared.retain(|s| s.change.level() <= level);
        self.spec_changes.retain(|c| c.level() <= level);
        self
    }

    /// The semver bump the generated crate needs, if anything changed.
    pub fn semver(&self) -> Option<Semver> {
        self.changes().map(|c| c.semver).max()
    }

    /// True when a change at `threshold` or worse was found that no exemption covers
    /// (`--fail-on`).
    pub fn fails_on(&self, threshold: Level) -> bool {
        self.gating().any(|c| c.level() <= threshold)
    }

    /// The changes `--fail-on` judges: all but the exempted ones.
    pub fn gating(&self) -> impl Iterator<Item = &Change> {
        self.changes().filter(|c| c.exempted.is_none())
    }
}

/// Change counts by level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub breaking: usize,
    pub warning: usize,
    pub info: usize,
}

impl Counts {
    pub fn total(&self) -> usize {
        self.breaking + self.warning + self.info
    }
}

/// What makes two changes in different operations the same change: the schema's view of it,
/// its rule, verdicts, Rust item and exemption.
fn fold_key(change: &Change) -> Option<String> {
    let site = change.site.as_ref()?;
    let rust = site.rust.as_ref().or(change.rust.as_ref());
    Some(format!(
        "{}\u{0}{}\u{0}{}\u{0}{}\u{0}{}\u{0}{:?}",
        site.subject,
        site.message,
        change.info().number,
        change.level(),
        change.semver,
        (rust, &change.exempted)
    ))
}
