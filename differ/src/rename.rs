//! Rename detection: a schema that disappears under one name while a type of the same shape
//! appears under another is reported as a rename, not as a removal and an addition. The real
//! Atlas history has several (`TenantSnapshot` → `BackupTenantSnapshot`, ...).
//!
//! Evidence comes first from position: the old type and the new one sit at the same place
//! (same response of the same operation, same property of a matched type). A positional
//! candidate needs only half of its fields (or enum values) in common. Without positional
//! evidence, only a unique, exactly identical shape counts.

use crate::compare::schemas::{shape_of, Shape};
use crate::select::{OpView, Pair};
use codegen::model::{ApiModel, Field, TypeKind, TypeName, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

/// A schema's new name, and whether nothing but the name changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Renamed {
    pub to: TypeName,
    pub identical: bool,
}

/// Old type name → new type name, for the types that were renamed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Renames {
    map: BTreeMap<TypeName, Renamed>,
    targets: BTreeSet<TypeName>,
}

impl Renames {
    pub fn new_name(&self, old: &TypeName) -> Option<&TypeName> {
        self.map.get(old).map(|r| &r.to)
    }

    pub fn renamed(&self, old: &TypeName) -> Option<&Renamed> {
        self.map.get(old)
    }

    pub fn is_target(&self, new: &TypeName) -> bool {
        self.targets.contains(new)
    }
}

/// Below this share of common fields, even a positional candidate is a different type.
const POSITIONAL_THRESHOLD: f64 = 0.5;

pub(crate) fn detect(old: &ApiModel, new: &ApiModel, pairs: &[Pair<'_>]) -> Renames {
    let removed: BTreeSet<&TypeName> = old
        .types
        .keys()
        .filter(|n| !new.types.contains_key(*n))
        .collect();
    let added: BTreeSet<&TypeName> = new
        .types
        .keys()
        .filter(|n| !old.types.contains_key(*n))
        .collect();
    if removed.is_empty() || added.is_empty() {
        return Renames::default();
    }

    let mut hints = Hints {
        old,
        new,
        seen: BTreeSet::new(),
        count: BTreeMap::new(),
    };
    for pair in pairs {
        if let Pair::Both(o, n) = pair {
            hints.operation(o, n);
        }
    }

    // (positional count, similarity, old, new): the strongest evidence wins.
    let mut candidates: Vec<(usize, f64, &TypeName, &TypeName)> = Vec::new();
    for (&(a, b), &count) in &hints.count {
        if removed.contains(a) && added.contains(b) {
            let score = similarity(old, a, new, b);
            if score >= POSITIONAL_THRESHOLD {
                candidates.push((count, score, a, b));
            }
        }
    }
    let hinted: BTreeSet<&TypeName> = candidates.iter().map(|c| c.2).collect();
    let mut by_signature: BTreeMap<String, (Vec<&TypeName>, Vec<&TypeName>)> = BTreeMap::new();
    for &a in removed.iter().filter(|a| !hinted.contains(*a)) {
        if let Some(sig) = signature(old, a) {
            by_signature.entry(sig).or_default().0.push(a);
        }
    }
    for &b in &added {
        if let Some(sig) = signature(new, b) {
            if let Some(entry) = by_signature.get_mut(&sig) {
                entry.1.push(b);
            }
        }
    }
    for (olds, news) in by_signature.values() {
        if let ([a], [b]) = (olds.as_slice(), news.as_slice()) {
            candidates.push((0, 1.0, a, b));
        }
    }

    candidates.sort_by(|x, y| {
        y.0.cmp(&x.0)
            .then(y.1.total_cmp(&x.1))
            .then(x.2.cmp(y.2))
            .then(x.3.cmp(y.3))
    });
    let mut renames = Renames::default();
    for (_, _, a, b) in candidates {
        if renames.map.contains_key(a) || renames.targets.contains(b) {
            continue;
        }
        renames.map.insert(
            a.clone(),
            Renamed {
                to: b.clone(),
                identical: false,
            },
        );
        renames.targets.insert(b.clone());
    }
    let decided: Vec<(TypeName, TypeName)> = renames
        .map
        .iter()
        .map(|(a, r)| (a.clone(), r.to.clone()))
        .collect();
    for (a, b) in decided {
        let identical = identical(old, &a, new, &b, &renames);
        if let Some(r) = renames.map.get_mut(&a) {
            r.identical = identical;
        }
    }
    renames
}

/// Collects which old type sits where which new type sits, in matched operations.
struct Hints<'m> {
    old: &'m ApiModel,
    new: &'m ApiModel,
    seen: BTreeSet<(&'m TypeName, &'m TypeName)>,
    count: BTreeMap<(&'m TypeName, &'m TypeName), usize>,
}

impl<'m> Hints<'m> {
    fn operation(&mut self, o: &OpView<'m>, n: &OpView<'m>) {
        for a in &o.op.params {
            if let Some(b) =
                n.op.params
                    .iter()
                    .find(|b| b.name == a.name && b.location == a.location)
            {
                self.types(&a.ty, &b.ty);
            }
        }
        if let (Some(a), Some(b)) = (&o.request, &n.request) {
            for (x, y) in lined_up(&a.contents, &b.contents, |c| (c.media_type.as_str(), None)) {
                self.types(&x.body, &y.body);
            }
        }
        for (x, y) in lined_up(&o.responses, &n.responses, |r| {
            (r.media_type.as_str(), Some(r.status))
        }) {
            if let (Some(a), Some(b)) = (&x.body, &y.body) {
                self.types(a, b);
            }
        }
        for a in &o.op.errors {
            if let Some(b) = n.op.errors.iter().find(|b| b.status == a.status) {
                if let (Some(x), Some(y)) = (&a.body, &b.body) {
                    self.types(x, y);
                }
            }
        }
    }

    fn types(&mut self, old: &'m TypeRef, new: &'m TypeRef) {
        if let (TypeRef::Named(a), TypeRef::Named(b)) = (old, new) {
            *self.count.entry((a, b)).or_default() += 1;
            if !self.seen.insert((a, b)) {
                return;
            }
        }
        match (shape_of(self.old, old), shape_of(self.new, new)) {
            (Shape::Struct(_, fa), Shape::Struct(_, fb)) => {
                for f in fa {
                    if let Some(g) = fb.iter().find(|g| g.name == f.name) {
                        self.types(&f.ty, &g.ty);
                    }
                }
            }
            (Shape::Array(x), Shape::Array(y)) | (Shape::Map(x), Shape::Map(y)) => self.types(x, y),
            _ => {}
        }
    }
}

/// Pairs items with the same key; then, per group key part, a lone item on each side.
fn lined_up<'a, T, K: Fn(&T) -> (&str, Option<u16>)>(
    old: &[&'a T],
    new: &[&'a T],
    key: K,
) -> Vec<(&'a T, &'a T)> {
    let mut out = Vec::new();
    let mut rest_old: BTreeMap<Option<u16>, Vec<&'a T>> = BTreeMap::new();
    for &o in old {
        match new.iter().find(|n| key(n) == key(o)) {
            Some(&n) => out.push((o, n)),
            None => rest_old.entry(key(o).1).or_default().push(o),
        }
    }
    let mut rest_new: BTreeMap<Option<u16>, Vec<&'a T>> = BTreeMap::new();
    for &n in new.iter().filter(|n| !old.iter().any(|o| key(o) == key(n))) {
        rest_new.entry(key(n).1).or_default().push(n);
    }
    for (group, olds) in rest_old {
        if let (Some([n]), [o]) = (rest_new.get(&group).map(Vec::as_slice), olds.as_slice()) {
            out.push((o, n));
        }
    }
    out
}

/// Share of common field names (or enum values) between two types of the same kind.
fn similarity(old: &ApiModel, a: &TypeName, new: &ApiModel, b: &TypeName) -> f64 {
    let names = |model: &ApiModel, name: &TypeName| -> Option<(u8, BTreeSet<String>)> {
        Some(match &model.types.get(name)?.kind {
            TypeKind::Struct(fields) => (0, fields.iter().map(|f| f.name.clone()).collect()),
            TypeKind::Enum(values) => (1, values.iter().map(|v| v.value.clone()).collect()),
            TypeKind::Alias(_) => (2, BTreeSet::new()),
            TypeKind::Union(union) => (3, union.variants.iter().map(|v| v.value.clone()).collect()),
            TypeKind::Untagged(union) => (
                4,
                union.variants.iter().map(|v| v.ident.0.clone()).collect(),
            ),
        })
    };
    let (Some((ka, x)), Some((kb, y))) = (names(old, a), names(new, b)) else {
        return 0.0;
    };
    if ka != kb {
        return 0.0;
    }
    let union = x.union(&y).count();
    if union == 0 {
        return 1.0;
    }
    x.intersection(&y).count() as f64 / union as f64
}

/// A text that two types share exactly when they have the same shape; referenced named types
/// count by kind only, so a renamed child does not hide its renamed parent.
fn signature(model: &ApiModel, name: &TypeName) -> Option<String> {
    let def = model.types.get(name)?;
    Some(match &def.kind {
        TypeKind::Struct(fields) => {
            let mut parts: Vec<String> = fields.iter().map(|f| field_signature(model, f)).collect();
            parts.sort();
            format!("struct{{{}}}", parts.join(","))
        }
        TypeKind::Enum(values) => {
            let mut parts: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
            parts.sort();
            format!("enum{{{}}}", parts.join(","))
        }
        TypeKind::Union(union) => {
            let mut parts: Vec<String> = union
                .variants
                .iter()
                .map(|v| format!("{}:{}", v.value, ref_signature(model, &v.ty, 0)))
                .collect();
            parts.sort();
            format!("union[{}]{{{}}}", union.property, parts.join(","))
        }
        // Alternatives keep their order: it is the order a decoder tries them in.
        TypeKind::Untagged(union) => {
            let parts: Vec<String> = union
                .variants
                .iter()
                .map(|v| ref_signature(model, &v.ty, 0))
                .collect();
            format!("untagged{{{}}}", parts.join(","))
        }
        // Aliases of primitives are too alike to tell apart by shape.
        TypeKind::Alias(_) => return None,
    })
}

fn field_signature(model: &ApiModel, f: &Field) -> String {
    format!(
        "{}:{}{}{}:{}",
        f.name,
        u8::from(f.required),
        u8::from(f.nullable),
        u8::from(f.read_only),
        ref_signature(model, &f.ty, 0)
    )
}

fn ref_signature(model: &ApiModel, ty: &TypeRef, depth: usize) -> String {
    match ty {
        TypeRef::Named(name) => match model.types.get(name).map(|d| &d.kind) {
            Some(TypeKind::Struct(_)) => "struct".to_owned(),
            Some(TypeKind::Enum(_)) => "enum".to_owned(),
            Some(TypeKind::Union(_)) => "union".to_owned(),
            Some(TypeKind::Untagged(_)) => "untagged".to_owned(),
            Some(TypeKind::Alias(target)) if depth < 8 => ref_signature(model, target, depth + 1),
            _ => "?".to_owned(),
        },
        TypeRef::Primitive(p) => format!("{p:?}"),
        TypeRef::Array(inner) => format!("[{}]", ref_signature(model, inner, depth)),
        TypeRef::Map(inner) => format!("{{{}}}", ref_signature(model, inner, depth)),
        TypeRef::Nullable(inner) => format!("{}?", ref_signature(model, inner, depth)),
        TypeRef::Any => "any".to_owned(),
    }
}

/// Whether a renamed type changed nothing but names: same fields with the same attributes and
/// types, where a referenced type counts as the same if it is the same or its rename.
fn identical(
    old: &ApiModel,
    a: &TypeName,
    new: &ApiModel,
    b: &TypeName,
    renames: &Renames,
) -> bool {
    let (Some(x), Some(y)) = (old.types.get(a), new.types.get(b)) else {
        return false;
    };
    let same_ref = |p: &TypeRef, q: &TypeRef| same_ref(p, q, renames);
    match (&x.kind, &y.kind) {
        (TypeKind::Struct(f), TypeKind::Struct(g)) => {
            f.len() == g.len()
                && f.iter().all(|fa| {
                    g.iter().any(|fb| {
                        fa.name == fb.name
                            && fa.required == fb.required
                            && fa.nullable == fb.nullable
                            && fa.read_only == fb.read_only
                            && fa.write_only == fb.write_only
                            && fa.deprecated == fb.deprecated
                            && fa.constraints == fb.constraints
                            && same_ref(&fa.ty, &fb.ty)
                    })
                })
        }
        (TypeKind::Enum(f), TypeKind::Enum(g)) => {
            let values = |v: &[codegen::model::EnumVariant]| {
                v.iter().map(|e| e.value.clone()).collect::<BTreeSet<_>>()
            };
            values(f) == values(g)
        }
        (TypeKind::Alias(p), TypeKind::Alias(q)) => same_ref(p, q),
        (TypeKind::Union(f), TypeKind::Union(g)) => {
            f.property == g.property
                && f.variants.len() == g.variants.len()
                && f.variants.iter().all(|va| {
                    g.variants
                        .iter()
                        .any(|vb| va.value == vb.value && same_ref(&va.ty, &vb.ty))
                })
        }
        (TypeKind::Untagged(f), TypeKind::Untagged(g)) => {
            f.keyword == g.keyword
                && f.variants.len() == g.variants.len()
                && f.variants
                    .iter()
                    .zip(&g.variants)
                    .all(|(va, vb)| same_ref(&va.ty, &vb.ty))
        }
        _ => false,
    }
}

fn same_ref(p: &TypeRef, q: &TypeRef, renames: &Renames) -> bool {
    match (p, q) {
        (TypeRef::Named(a), TypeRef::Named(b)) => a == b || renames.new_name(a) == Some(b),
        (TypeRef::Array(a), TypeRef::Array(b))
        | (TypeRef::Map(a), TypeRef::Map(b))
        | (TypeRef::Nullable(a), TypeRef::Nullable(b)) => same_ref(a, b, renames),
        _ => p == q,
    }
}
