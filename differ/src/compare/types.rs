//! Named types: what the generated crate gains, loses or renames, whichever operations use them.

use super::Cx;
use crate::change::Change;
use crate::rules::RuleId;
use crate::select::{OpView, Pair};
use codegen::model::{ApiModel, TypeDef, TypeName, TypeOrigin, TypeRef};
use std::collections::BTreeSet;

/// The named types reachable from the selected operations, on each side.
pub(super) struct Scope<'m> {
    old: BTreeSet<&'m TypeName>,
    new: BTreeSet<&'m TypeName>,
}

pub(super) fn reachable<'m>(cx: &Cx<'m>, pairs: &[Pair<'m>]) -> Scope<'m> {
    let mut scope = Scope {
        old: BTreeSet::new(),
        new: BTreeSet::new(),
    };
    for pair in pairs {
        let (old, new) = match pair {
            Pair::Both(o, n) => (Some(o), Some(n)),
            Pair::Removed(o) => (Some(o), None),
            Pair::Added(n) => (None, Some(n)),
        };
        if let Some(view) = old {
            collect(cx.old, view, &mut scope.old);
        }
        if let Some(view) = new {
            collect(cx.new, view, &mut scope.new);
        }
    }
    scope
}

fn collect<'m>(model: &'m ApiModel, view: &OpView<'m>, into: &mut BTreeSet<&'m TypeName>) {
    let op = view.op;
    let roots = op
        .params
        .iter()
        .map(|p| &p.ty)
        .chain(
            view.request
                .iter()
                .flat_map(|r| r.contents.iter().map(|c| &c.body)),
        )
        .chain(view.responses.iter().filter_map(|r| r.body.as_ref()))
        .chain(op.errors.iter().filter_map(|e| e.body.as_ref()));
    for root in roots {
        reach(model, root, into);
    }
}

fn reach<'m>(model: &'m ApiModel, ty: &'m TypeRef, into: &mut BTreeSet<&'m TypeName>) {
    match ty {
        TypeRef::Named(name) => {
            if !into.insert(name) {
                return;
            }
            let Some(def) = model.types.get(name) else {
                return;
            };
            match &def.kind {
                codegen::model::TypeKind::Struct(fields) => {
                    for f in fields {
                        reach(model, &f.ty, into);
                    }
                }
                codegen::model::TypeKind::Alias(target) => reach(model, target, into),
                codegen::model::TypeKind::Union(union) => {
                    for v in &union.variants {
                        reach(model, &v.ty, into);
                    }
                }
                codegen::model::TypeKind::Untagged(union) => {
                    for v in &union.variants {
                        reach(model, &v.ty, into);
                    }
                }
                codegen::model::TypeKind::Enum(_) => {}
            }
        }
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            reach(model, inner, into)
        }
        TypeRef::Primitive(_) | TypeRef::Any => {}
    }
}

pub(super) fn compare(cx: &Cx<'_>, scope: Option<&Scope<'_>>, out: &mut Vec<Change>) {
    let in_old = |name: &TypeName| scope.is_none_or(|s| s.old.contains(name));
    let in_new = |name: &TypeName| scope.is_none_or(|s| s.new.contains(name));
    for (name, def) in &cx.old.types {
        if cx.new.types.contains_key(name) || !in_old(name) {
            continue;
        }
        match cx.renames.renamed(name) {
            Some(renamed) => {
                let Some(target) = cx.new.types.get(&renamed.to) else {
                    continue;
                };
                let how = if renamed.identical {
                    "same shape"
                } else {
                    "shape also changed: see the operations that use it"
                };
                out.push(
                    Change::new(
                        RuleId::SchemaRenamed,
                        format!("{} renamed to {} ({how})", label(def), label(target)),
                    )
                    .with_rust(format!(
                        "{} `{name}` → `{}`",
                        kind(cx.old, name),
                        renamed.to
                    )),
                );
            }
            None => out.push(
                Change::new(
                    RuleId::SchemaRemoved,
                    format!("{} {} removed", kind(cx.old, name), label(def)),
                )
                .with_rust(format!("{} `{name}`", kind(cx.old, name))),
            ),
        }
    }
    for (name, def) in &cx.new.types {
        if cx.old.types.contains_key(name) || cx.renames.is_target(name) || !in_new(name) {
            continue;
        }
        out.push(
            Change::new(
                RuleId::SchemaAdded,
                format!("{} {} added", kind(cx.new, name), label(def)),
            )
            .with_rust(format!("{} `{name}`", kind(cx.new, name))),
        );
    }
}

/// `struct`, `enum` or `type alias`, as the generated crate has it (a union is an enum).
fn kind(model: &ApiModel, name: &TypeName) -> &'static str {
    match model.types.get(name).map(|d| &d.kind) {
        Some(codegen::model::TypeKind::Struct(_)) => "struct",
        Some(
            codegen::model::TypeKind::Enum(_)
            | codegen::model::TypeKind::Union(_)
            | codegen::model::TypeKind::Untagged(_),
        ) => "enum",
        _ => "type alias",
    }
}

/// A type by its schema name, with its Rust name where that differs.
fn label(def: &TypeDef) -> String {
    match &def.origin {
        TypeOrigin::Component(schema) if *schema == def.name.0 => format!("`{schema}`"),
        TypeOrigin::Component(schema) => format!("`{schema}` (Rust `{}`)", def.name),
        TypeOrigin::Inline => format!("`{}` (inline schema)", def.name),
    }
}
