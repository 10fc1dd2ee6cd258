//! Compare: turns the selected operation pairs into changes, one module per part of an
//! operation, plus the spec-wide parts (named types, security schemes).

mod media;
mod operations;
mod parameters;
mod request;
mod responses;
mod rust_api;
pub(crate) mod schemas;
mod security;
mod sunsets;
mod types;

use crate::change::{Change, OperationDiff};
use crate::rename::Renames;
use crate::rules::Semver;
use crate::select::{Mode, OpView, Pair};
use codegen::model::{ApiModel, Operation, TypeName};

/// What every comparison needs to know about the two sides.
pub(crate) struct Cx<'m> {
    pub old: &'m ApiModel,
    pub new: &'m ApiModel,
    pub renames: &'m Renames,
    pub mode: Mode,
    pub today: &'m str,
}

impl<'m> Cx<'m> {
    pub fn new(
        old: &'m ApiModel,
        new: &'m ApiModel,
        renames: &'m Renames,
        mode: Mode,
        today: &'m str,
    ) -> Self {
        Cx {
            old,
            new,
            renames,
            mode,
            today,
        }
    }

    /// Whether `a` (old side) and `b` (new side) are the same type: the same name, or a rename.
    pub fn same_type(&self, a: &TypeName, b: &TypeName) -> bool {
        a == b || self.renames.new_name(a) == Some(b)
    }
}

/// The changes of one operation pair, named after its newer side (its v1.0 side in a v1.0 → v2
/// comparison).
pub(crate) fn operation<'m>(cx: &Cx<'m>, pair: &Pair<'m>) -> OperationDiff {
    let mut changes = Vec::new();
    let shown = match pair {
        Pair::Both(old, new) => {
            let (o, n) = (old.op, new.op);
            let method = format!("method `Client::{}`", n.method_name);
            let send = format!("`{}::send()`", n.builder_name);
            let constant = format!("`{}::OPERATION`", n.builder_name);
            let start = changes.len();
            operations::lifecycle(cx, old, new, &mut changes);
            name_items(&mut changes[start..], &method);
            parameters::compare(cx, o, n, &mut changes);
            let start = changes.len();
            request::compare(cx, old, new, &mut changes);
            name_items(&mut changes[start..], &request::item(new, old));
            let start = changes.len();
            responses::compare(cx, old, new, &mut changes);
            name_items(&mut changes[start..], &send);
            let start = changes.len();
            security::operation(o, n, &mut changes);
            name_items(&mut changes[start..], &constant);
            signature_effects(cx, old, new, &mut changes);
            // A v1.0 → v2 report is read per v1.0 operation: the one being migrated from.
            if cx.mode == Mode::Legacy {
                old.op
            } else {
                new.op
            }
        }
        Pair::Removed(old) => {
            changes.push(operations::removed(cx, old).with_rust(operations::item(old.op)));
            old.op
        }
        Pair::Added(new) => {
            changes.push(operations::added(new).with_rust(operations::item(new.op)));
            new.op
        }
    };
    record(shown, changes)
}

/// Gives the changes of one part of an operation that name no more precise item (a field, a
/// variant, a setter) the item that part stands for. Tags are not in the generated code.
fn name_items(changes: &mut [Change], item: &str) {
    for change in changes {
        if change.rust.is_none() && change.rule != crate::rules::RuleId::EndpointTagsChanged {
            change.rust = Some(item.to_owned());
        }
    }
}

/// Status, media-type and body-existence rules move the crate's semver by what they do to the
/// generated signatures, which the rule table alone cannot tell.
/// Between two files the generated crate holds every version of an operation, the upcoming and
/// preview ones too, whether or not the report shows them.
fn signature_effects<'m>(cx: &Cx<'m>, old: &OpView<'m>, new: &OpView<'m>, changes: &mut [Change]) {
    use crate::rules::RuleId::*;
    let whole = |view: &OpView<'m>| match cx.mode {
        Mode::Files => crate::select::whole(view.op),
        _ => view.clone(),
    };
    let (old, new) = (&whole(old), &whole(new));
    let (a, b) = (rust_api::send_output(old), rust_api::send_output(new));
    let send = rust_api::send_effect(&a, &b);
    let (x, y) = (rust_api::body_input(old), rust_api::body_input(new));
    let body = rust_api::body_effect(cx, x.as_ref(), y.as_ref());
    for change in changes.iter_mut() {
        match change.rule {
            ResponseSuccessStatusAdded
            | ResponseSuccessStatusRemoved
            | ResponseMediaTypeAdded
            | ResponseMediaTypeRemoved
            | ResponseBodyAdded
            | ResponseBodyRemoved => {
                change.semver = send;
                if send != Semver::Patch {
                    change.message.push_str(&format!(
                        ": `send()` now returns `{}` instead of `{}`",
                        b.text, a.text
                    ));
                }
            }
            RequestMediaTypeAdded | RequestMediaTypeRemoved => {
                change.semver = body;
                if let (Semver::Major, Some(x), Some(y)) = (body, &x, &y) {
                    change.message.push_str(&format!(
                        ": the request body is now `{}` instead of `{}`",
                        y.text(),
                        x.text()
                    ));
                }
            }
            _ => {}
        }
    }
}

fn record(op: &Operation, changes: Vec<Change>) -> OperationDiff {
    OperationDiff {
        path: op.path.clone(),
        method: op.http_method,
        operation_id: op.id.0.clone(),
        tag: op.tags.first().cloned(),
        changes,
    }
}

/// Changes that belong to no single operation: the named types of the generated crate and the
/// security schemes. Only two different specs have them; `reachable` limits the named types to
/// those the selected operations use, when a filter is in force.
pub(crate) fn spec_wide<'m>(cx: &Cx<'m>, pairs: &[Pair<'m>], filtered: bool) -> Vec<Change> {
    let mut changes = Vec::new();
    if cx.mode != Mode::Files {
        return changes;
    }
    let scope = filtered.then(|| types::reachable(cx, pairs));
    types::compare(cx, scope.as_ref(), &mut changes);
    if !filtered {
        security::schemes(cx.old, cx.new, &mut changes);
    }
    changes
}
