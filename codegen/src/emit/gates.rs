//! Cargo features per tag (`regen --features-per-tag`): which feature compiles each operation
//! and each model. An operation is compiled by the feature of any of its tags; a model by the
//! feature of any operation that reaches it (through parameters, bodies, fields, items and
//! aliases), so a model shared by several tags is compiled when any of them is on. What the
//! crate root names (the error body) is always compiled; models no operation reaches are
//! compiled with `full`, which turns on every tag.

use crate::model::{ApiModel, Operation, OperationId, TypeKind, TypeName, TypeRef};
use heck::ToKebabCase;
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use std::collections::{BTreeMap, BTreeSet};

/// The feature that turns on every tag.
pub const FULL: &str = "full";

/// The feature of operations without a tag.
const UNTAGGED: &str = "untagged";

/// Feature names the generated manifest already uses for something else.
const TAKEN: &[&str] = &["default", FULL, "mock", "rustls", "rustls-native-roots", "native-tls"];

/// When one item is compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    /// Always.
    Always,
    /// When any of these features is on.
    Any(BTreeSet<String>),
}

impl Gate {
    fn join(&mut self, other: &Gate) {
        match (&mut *self, other) {
            (Gate::Always, _) => {}
            (_, Gate::Always) => *self = Gate::Always,
            (Gate::Any(mine), Gate::Any(theirs)) => mine.extend(theirs.iter().cloned()),
        }
    }

    /// The same gate for a set of items of which each has its own gate: on when any is.
    pub fn any_of<'g>(gates: impl IntoIterator<Item = &'g Gate>) -> Gate {
        let mut joined = Gate::Any(BTreeSet::new());
        for gate in gates {
            joined.join(gate);
        }
        joined
    }
}

impl ToTokens for Gate {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        if let Gate::Any(features) = self {
            let features = features.iter();
            tokens.extend(quote!(#[cfg(any(#(feature = #features),*))]));
        }
    }
}

/// The gates of a crate generated with a feature per tag.
#[derive(Debug, Clone, Default)]
pub struct Gates {
    /// Tag feature → the tag it stands for, in name order.
    pub features: BTreeMap<String, String>,
    operations: BTreeMap<OperationId, Gate>,
    types: BTreeMap<TypeName, Gate>,
}

impl Gates {
    /// Every item compiled always: a crate without features per tag.
    pub fn none() -> Self {
        Gates::default()
    }

    /// The gates of `model` with one feature per tag.
    pub fn per_tag(model: &ApiModel) -> Self {
        let mut gates = Gates::default();
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        for op in &model.operations {
            let features: BTreeSet<String> = if op.tags.is_empty() {
                [UNTAGGED.to_owned()].into()
            } else {
                op.tags.iter().map(|tag| feature_name(tag, &mut names)).collect()
            };
            gates.operations.insert(op.id.clone(), Gate::Any(features));
        }
        gates.features = names.into_iter().map(|(tag, feature)| (feature, tag)).collect();
        if model.operations.iter().any(|op| op.tags.is_empty()) {
            gates.features.insert(UNTAGGED.to_owned(), String::new());
        }
        for op in &model.operations {
            let gate = gates.operations[&op.id].clone();
            for root in roots(op) {
                gates.reach(model, root, &gate);
            }
        }
        if let Some(error_body) = &model.error_body {
            gates.reach(model, error_body, &Gate::Always);
        }
        gates
    }

    /// Whether items are gated at all.
    pub fn enabled(&self) -> bool {
        !self.operations.is_empty()
    }

    /// The gate of an operation's items.
    pub fn operation(&self, op: &Operation) -> Gate {
        self.operations.get(&op.id).cloned().unwrap_or(Gate::Always)
    }

    /// The gate of a model's items.
    pub fn model(&self, name: &TypeName) -> Gate {
        if !self.enabled() {
            return Gate::Always;
        }
        self.types
            .get(name)
            .cloned()
            .unwrap_or_else(|| Gate::Any([FULL.to_owned()].into()))
    }

    /// Marks every model `ty` reaches as compiled under `gate` too.
    fn reach(&mut self, model: &ApiModel, ty: &TypeRef, gate: &Gate) {
        let mut pending = vec![ty];
        while let Some(ty) = pending.pop() {
            match ty {
                TypeRef::Named(name) => {
                    let Some(def) = model.types.get(name) else {
                        continue;
                    };
                    let entry = self
                        .types
                        .entry(name.clone())
                        .or_insert_with(|| Gate::Any(BTreeSet::new()));
                    let before = entry.clone();
                    entry.join(gate);
                    // A model already under this gate has had its own references walked.
                    if *entry == before && before != Gate::Any(BTreeSet::new()) {
                        continue;
                    }
                    match &def.kind {
                        TypeKind::Struct(fields) => pending.extend(fields.iter().map(|f| &f.ty)),
                        TypeKind::Alias(target) => pending.push(target),
                        TypeKind::Union(union) => pending.extend(union.variants.iter().map(|v| &v.ty)),
                        TypeKind::Enum(_) => {}
                    }
                }
                TypeRef::Array(inner) | TypeRef::Map(inner) => pending.push(inner),
                TypeRef::Primitive(_) | TypeRef::Any => {}
            }
        }
    }
}

/// The types an operation names directly.
fn roots(op: &Operation) -> impl Iterator<Item = &TypeRef> {
    op.params
        .iter()
        .map(|p| &p.ty)
        .chain(op.request.iter().flat_map(|r| r.contents.iter().map(|c| &c.body)))
        .chain(op.responses.iter().filter_map(|r| r.body.as_ref()))
        .chain(op.errors.iter().filter_map(|e| e.body.as_ref()))
}

/// The feature name of `tag`: kebab case, kept apart from the manifest's own features and from
/// other tags that read the same in kebab case.
fn feature_name(tag: &str, names: &mut BTreeMap<String, String>) -> String {
    if let Some(name) = names.get(tag) {
        return name.clone();
    }
    let base = match tag.to_kebab_case() {
        name if name.is_empty() => "tag".to_owned(),
        name if TAKEN.contains(&name.as_str()) || name == UNTAGGED => format!("{name}-tag"),
        name => name,
    };
    let mut name = base.clone();
    let mut n = 2;
    while names.values().any(|taken| *taken == name) {
        name = format!("{base}-{n}");
        n += 1;
    }
    names.insert(tag.to_owned(), name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_become_distinct_feature_names() {
        let mut names = BTreeMap::new();
        assert_eq!(feature_name("Flex Snapshots", &mut names), "flex-snapshots");
        assert_eq!(feature_name("flex snapshots", &mut names), "flex-snapshots-2");
        assert_eq!(feature_name("Flex Snapshots", &mut names), "flex-snapshots");
        assert_eq!(feature_name("Mock", &mut names), "mock-tag");
        assert_eq!(feature_name("full", &mut names), "full-tag");
        assert_eq!(feature_name("!!", &mut names), "tag");
    }

    #[test]
    fn a_gate_is_on_when_any_part_is() {
        let a = Gate::Any(["a".to_owned()].into());
        let b = Gate::Any(["b".to_owned()].into());
        assert_eq!(
            Gate::any_of([&a, &b]),
            Gate::Any(["a".to_owned(), "b".to_owned()].into())
        );
        assert_eq!(Gate::any_of([&a, &Gate::Always]), Gate::Always);
        assert_eq!(quote!(#a).to_string(), quote!(#[cfg(any(feature = "a"))]).to_string());
        let always = Gate::Always;
        assert!(quote!(#always).is_empty());
    }
}
