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

/// The gate of each item of the generated files, by the name the item defines (or implements
/// for), looked up when the files are formatted: the emitters stay as they are, and a crate
/// with a feature per tag differs from one without only by `#[cfg]` attributes.
#[derive(Debug, Clone, Default)]
pub struct ItemGates {
    /// Models, by type name (and the plain alias of a dated one).
    models: BTreeMap<String, Gate>,
    /// Request builders and response enums, by type name.
    builders: BTreeMap<String, Gate>,
    /// Client and mock-server methods, by method name.
    methods: BTreeMap<String, Gate>,
    /// The mock's per-operation tables, by static name.
    mock_tables: BTreeMap<String, Gate>,
    /// Pattern statics of `params.rs`, by the regular expression they hold: compiled when
    /// any operation that checks a value against it is.
    patterns: BTreeMap<String, Gate>,
    /// Parameter descriptions of `params.rs`, by const name: compiled when any operation that
    /// takes the parameter is.
    params: BTreeMap<String, Gate>,
}

impl ItemGates {
    /// The gates of every item `model` generates, under `gates`.
    pub fn new(model: &ApiModel, gates: &Gates) -> Self {
        let mut items = ItemGates::default();
        if !gates.enabled() {
            return items;
        }
        for name in model.types.keys() {
            items.models.insert(name.0.clone(), gates.model(name));
        }
        for (target, (alias, _)) in super::files::dated_aliases(model) {
            items.models.insert(alias, gates.model(&target));
        }
        let mut patterns: BTreeMap<String, Vec<Gate>> = BTreeMap::new();
        for op in &model.operations {
            let gate = gates.operation(op);
            let builder = &op.builder_name.0;
            items.builders.insert(builder.clone(), gate.clone());
            let response_enum = super::builder::response_enum_name(op).to_string();
            items.builders.insert(response_enum, gate.clone());
            items.methods.insert(op.method_name.0.clone(), gate.clone());
            for waiter in &op.waiters {
                items
                    .methods
                    .insert(waiter.method_name.0.clone(), gate.clone());
            }
            items
                .mock_tables
                .insert(crate::names::const_name(builder), gate.clone());
            for param in &op.params {
                if let Some(pattern) = &param.constraints.pattern {
                    patterns
                        .entry(pattern.clone())
                        .or_default()
                        .push(gate.clone());
                }
            }
        }
        items.patterns = patterns
            .into_iter()
            .map(|(key, gates)| (key, Gate::any_of(&gates)))
            .collect();
        let (_, params) = super::params::crate_params(model);
        let gate_of: BTreeMap<&str, Gate> = model
            .operations
            .iter()
            .map(|op| (op.id.0.as_str(), gates.operation(op)))
            .collect();
        items.params = params
            .users()
            .map(|(name, users)| {
                let gate = Gate::any_of(users.iter().map(|id| &gate_of[id.as_str()]));
                (name.to_owned(), gate)
            })
            .collect();
        items
    }

    /// Puts the `#[cfg]` of its gate on each item of `file` (the file `name` of `src/`), and on
    /// each method of the client's and the mock server's `impl` blocks.
    pub fn apply(&self, name: &str, file: &mut syn::File) {
        if self.models.is_empty() && self.builders.is_empty() {
            return;
        }
        let names = match name {
            "models.rs" | "decode.rs" | "encode.rs" => &self.models,
            "operations.rs" | "v1.rs" => &self.builders,
            "mock.rs" => &self.mock_tables,
            "params.rs" => &self.params,
            _ => return,
        };
        for item in &mut file.items {
            let gate = match &mut *item {
                syn::Item::Static(s) if is_pattern(&s.ty) => {
                    pattern_source(&s.expr).and_then(|source| self.patterns.get(&source))
                }
                syn::Item::Impl(block) => {
                    let gate = self_name(&block.self_ty).and_then(|n| names.get(&n));
                    if gate.is_none() {
                        self.gate_methods(block);
                    }
                    gate
                }
                other => item_name(other).and_then(|n| names.get(&n)),
            };
            if let Some(attrs) = gate.and_then(attrs_of) {
                push_attrs(item, attrs);
            }
        }
    }

    fn gate_methods(&self, block: &mut syn::ItemImpl) {
        for item in &mut block.items {
            if let syn::ImplItem::Fn(method) = item {
                let gate = self.methods.get(&method.sig.ident.to_string());
                if let Some(attrs) = gate.and_then(attrs_of) {
                    method.attrs.splice(0..0, attrs);
                }
            }
        }
    }
}

/// The `#[cfg]` attribute of a gate; none for [`Gate::Always`].
fn attrs_of(gate: &Gate) -> Option<Vec<syn::Attribute>> {
    if *gate == Gate::Always {
        return None;
    }
    syn::parse::Parser::parse2(syn::Attribute::parse_outer, quote!(#gate)).ok()
}

fn push_attrs(item: &mut syn::Item, attrs: Vec<syn::Attribute>) {
    let target = match item {
        syn::Item::Const(i) => &mut i.attrs,
        syn::Item::Enum(i) => &mut i.attrs,
        syn::Item::Fn(i) => &mut i.attrs,
        syn::Item::Impl(i) => &mut i.attrs,
        syn::Item::Static(i) => &mut i.attrs,
        syn::Item::Struct(i) => &mut i.attrs,
        syn::Item::Type(i) => &mut i.attrs,
        syn::Item::Union(i) => &mut i.attrs,
        _ => return,
    };
    target.splice(0..0, attrs);
}

/// The name an item defines.
fn item_name(item: &syn::Item) -> Option<String> {
    let ident = match item {
        syn::Item::Const(i) => &i.ident,
        syn::Item::Enum(i) => &i.ident,
        syn::Item::Static(i) => &i.ident,
        syn::Item::Struct(i) => &i.ident,
        syn::Item::Type(i) => &i.ident,
        syn::Item::Union(i) => &i.ident,
        _ => return None,
    };
    Some(ident.to_string())
}

/// The name of the type an `impl` block is for: the last segment of its path.
fn self_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn is_pattern(ty: &syn::Type) -> bool {
    self_name(ty).as_deref() == Some("Pattern")
}

/// The regular expression of `Pattern::new("…")`.
fn pattern_source(expr: &syn::Expr) -> Option<String> {
    let syn::Expr::Call(call) = expr else {
        return None;
    };
    match call.args.first()? {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) => Some(text.value()),
        _ => None,
    }
}

/// The feature that turns on every tag.
pub const FULL: &str = "full";

/// The feature of operations without a tag.
const UNTAGGED: &str = "untagged";

/// Feature names the generated manifest already uses for something else (besides the TLS ones).
const TAKEN: &[&str] = &["default", FULL, "mock", "metrics"];

/// The features a crate generated with a feature per tag has, one per tag: feature → tag (the
/// tag is empty for the operations without one).
pub fn tag_features(model: &ApiModel) -> BTreeMap<String, String> {
    Gates::per_tag(model).features
}

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
        match self {
            Gate::Always => {}
            Gate::Any(features) if features.len() == 1 => {
                let feature = features.iter().next();
                tokens.extend(quote!(#[cfg(feature = #feature)]));
            }
            Gate::Any(features) => {
                let features = features.iter();
                tokens.extend(quote!(#[cfg(any(#(feature = #features),*))]));
            }
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
                op.tags
                    .iter()
                    .map(|tag| feature_name(tag, &mut names))
                    .collect()
            };
            gates.operations.insert(op.id.clone(), Gate::Any(features));
        }
        gates.features = names
            .into_iter()
            .map(|(tag, feature)| (feature, tag))
            .collect();
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
                        TypeKind::Union(union) => {
                            pending.extend(union.variants.iter().map(|v| &v.ty))
                        }
                        TypeKind::Untagged(union) => {
                            pending.extend(union.variants.iter().map(|v| &v.ty))
                        }
                        TypeKind::Enum(_) => {}
                    }
                }
                TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                    pending.push(inner)
                }
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
        .chain(
            op.request
                .iter()
                .flat_map(|r| r.contents.iter().flat_map(|c| c.sent_types())),
        )
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
        name if TAKEN.contains(&name.as_str())
            || super::manifest::TLS_FEATURES.contains(&name.as_str())
            || name == UNTAGGED =>
        {
            format!("{name}-tag")
        }
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
        assert_eq!(
            feature_name("flex snapshots", &mut names),
            "flex-snapshots-2"
        );
        assert_eq!(feature_name("Flex Snapshots", &mut names), "flex-snapshots");
        assert_eq!(feature_name("Mock", &mut names), "mock-tag");
        assert_eq!(feature_name("full", &mut names), "full-tag");
        assert_eq!(feature_name("!!", &mut names), "tag");
    }

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      tags: [Alpha]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/OnlyA"}
        "404":
          description: missing
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Problem"}
  /b:
    get:
      operationId: getB
      tags: [Beta]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/OnlyB"}
components:
  schemas:
    Shared: {type: object, properties: {x: {type: string}}}
    OnlyA: {type: object, properties: {s: {$ref: "#/components/schemas/Shared"}}}
    OnlyB: {type: object, properties: {s: {$ref: "#/components/schemas/Shared"}}}
    Unused: {type: object, properties: {y: {type: string}}}
    Problem: {type: object, properties: {detail: {type: string}}}
"##;

    fn gate(features: &[&str]) -> Gate {
        Gate::Any(features.iter().map(|f| (*f).to_owned()).collect())
    }

    #[test]
    fn models_are_compiled_by_the_tags_that_reach_them() {
        let spec = crate::load::load_text("s.yaml", SPEC.into(), crate::load::Format::Yaml)
            .expect("the spec loads");
        let model = crate::model::build_model(
            &crate::validate::validate(&spec).expect("the spec is valid"),
        )
        .expect("the model builds");
        let gates = Gates::per_tag(&model);
        let of = |name: &str| gates.model(&TypeName(name.to_owned()));
        assert_eq!(of("OnlyA"), gate(&["alpha"]));
        assert_eq!(of("OnlyB"), gate(&["beta"]));
        // Shared by both tags: on when either is.
        assert_eq!(of("Shared"), gate(&["alpha", "beta"]));
        // Reached by no operation: only with every tag on.
        assert_eq!(of("Unused"), gate(&[FULL]));
        // The error body: the crate root's `Error` names it, so it is always compiled.
        assert_eq!(
            model.error_body,
            Some(TypeRef::Named(TypeName("Problem".to_owned())))
        );
        assert_eq!(of("Problem"), Gate::Always);
        assert_eq!(gates.features.keys().collect::<Vec<_>>(), ["alpha", "beta"]);
        assert!(!Gates::none().enabled());
        assert_eq!(
            Gates::none().model(&TypeName("OnlyA".to_owned())),
            Gate::Always
        );
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
        assert_eq!(
            quote!(#a).to_string(),
            quote!(#[cfg(feature = "a")]).to_string()
        );
        let always = Gate::Always;
        assert!(quote!(#always).is_empty());
    }
}
