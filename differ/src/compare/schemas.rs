//! Schemas and fields: walks one type on both sides in parallel (a parameter's, a request
//! body's or a response body's) and reports what changed in it, property by property, with the
//! property path (`results/items/status`) where it happened.

use super::Cx;
use crate::change::{Change, Site};
use crate::rules::{RuleId, Semver};
use codegen::model::{
    ApiModel, Constraints, EnumVariant, Field, Primitive, TaggedUnion, TypeKind, TypeName,
    TypeOrigin, TypeRef, UnionKeyword, UntaggedUnion, ValueSchema,
};

/// Which rules apply: the same change is breaking in a request and harmless in a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    Parameter,
    Request,
    Response,
    /// A response header's value, which the client hands back as text.
    Header,
}

/// A type with aliases seen through: what the JSON looks like.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Shape<'m> {
    Struct(&'m TypeName, &'m [Field]),
    Enum(&'m TypeName, &'m [EnumVariant]),
    /// An object whose discriminator tag picks one of several structs.
    Union(&'m TypeName, &'m TaggedUnion),
    /// A `oneOf`/`anyOf` without a discriminator: its shape picks the alternative.
    Untagged(&'m TypeName, &'m UntaggedUnion),
    Primitive(Primitive),
    Array(&'m TypeRef),
    Map(&'m TypeRef),
    Any,
}

/// Resolves named aliases (bounded: a cycle of aliases resolves to anything).
pub(crate) fn shape_of<'m>(model: &'m ApiModel, mut ty: &'m TypeRef) -> Shape<'m> {
    for _ in 0..16 {
        match ty {
            TypeRef::Named(name) => match model.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::Struct(fields)) => return Shape::Struct(name, fields),
                Some(TypeKind::Enum(variants)) => return Shape::Enum(name, variants),
                Some(TypeKind::Union(union)) => return Shape::Union(name, union),
                Some(TypeKind::Alias(target)) => ty = target,
                Some(TypeKind::Untagged(union)) => return Shape::Untagged(name, union),
                None => return Shape::Any,
            },
            TypeRef::Primitive(p) => return Shape::Primitive(*p),
            TypeRef::Array(item) => return Shape::Array(item),
            TypeRef::Map(value) => return Shape::Map(value),
            // What may be null is compared by `Walker::types`; the shape is the value's.
            TypeRef::Nullable(inner) => ty = inner,
            TypeRef::Any => return Shape::Any,
        }
    }
    Shape::Any
}

/// The named type behind aliases, if `ty` is one.
fn named<'m>(model: &'m ApiModel, ty: &'m TypeRef) -> Option<&'m TypeName> {
    match shape_of(model, ty) {
        Shape::Struct(name, _)
        | Shape::Enum(name, _)
        | Shape::Union(name, _)
        | Shape::Untagged(name, _) => Some(name),
        _ => None,
    }
}

/// Whether a type takes any JSON value: `{}` itself, not a union without a discriminator (which
/// is seen as any value too, but takes only its alternatives).
fn takes_anything<'m>(model: &'m ApiModel, mut ty: &'m TypeRef) -> bool {
    for _ in 0..16 {
        match ty {
            TypeRef::Any => return true,
            TypeRef::Named(name) => match model.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::Alias(target)) => ty = target,
                _ => return false,
            },
            _ => return false,
        }
    }
    false
}

impl Shape<'_> {
    /// The JSON Schema `type` keyword this shape has on the wire.
    fn json_type(&self) -> &'static str {
        match self {
            Shape::Struct(..) | Shape::Union(..) | Shape::Map(_) => "object",
            Shape::Enum(..) => "string",
            Shape::Primitive(p) => primitive_json_type(*p),
            Shape::Array(_) => "array",
            Shape::Untagged(..) | Shape::Any => "any",
        }
    }
}

fn primitive_json_type(p: Primitive) -> &'static str {
    match p {
        Primitive::String | Primitive::DateTime | Primitive::Date => "string",
        Primitive::I32 | Primitive::I64 => "integer",
        Primitive::F32 | Primitive::F64 => "number",
        Primitive::Bool => "boolean",
    }
}

/// Whether every value of `from` is a value of `to` on the wire: a wider integer, an integer as
/// a number, a wider float, a date or date-time as any string.
fn widens(from: Primitive, to: Primitive) -> bool {
    use Primitive::*;
    matches!(
        (from, to),
        (I32, I64 | F32 | F64) | (I64, F32 | F64) | (F32, F64) | (Date | DateTime, String)
    )
}

fn primitive_text(p: Primitive) -> &'static str {
    match p {
        Primitive::String => "string",
        Primitive::DateTime => "string (date-time)",
        Primitive::Date => "string (date)",
        Primitive::I32 => "integer (int32)",
        Primitive::I64 => "integer (int64)",
        Primitive::F32 => "number (float)",
        Primitive::F64 => "number (double)",
        Primitive::Bool => "boolean",
    }
}

/// A type the way a reader of the report thinks of it: `object \`Link\``, `array of string`.
pub(crate) fn describe(model: &ApiModel, ty: &TypeRef) -> String {
    describe_shape(model, shape_of(model, ty), 0)
}

fn describe_shape(model: &ApiModel, shape: Shape<'_>, depth: usize) -> String {
    let inner = |ty: &TypeRef| {
        if depth > 4 {
            "…".to_owned()
        } else {
            describe_shape(model, shape_of(model, ty), depth + 1)
        }
    };
    match shape {
        Shape::Struct(name, _) => format!("object `{name}`"),
        Shape::Enum(name, _) => format!("enum `{name}`"),
        Shape::Union(name, union) => format!("object `{name}` tagged by `{}`", union.property),
        Shape::Untagged(name, union) => format!(
            "`{name}`, {} {}",
            keyword_text(union.keyword),
            union
                .variants
                .iter()
                .map(|v| inner(&v.ty))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Shape::Primitive(p) => primitive_text(p).to_owned(),
        Shape::Array(item) => format!("array of {}", inner(item)),
        Shape::Map(value) => format!("map of {}", inner(value)),
        Shape::Any => "any JSON value".to_owned(),
    }
}

/// A single change in a type, before the slot decides which rule it falls under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum What {
    TypeChanged,
    /// A type that takes every value the old one took (int32 to int64, integer to number, a
    /// string format dropped, anything).
    TypeWidened,
    FormatChanged,
    RefChanged,
    EnumValueAdded,
    EnumValueRemoved,
    EnumAdded,
    EnumRemoved,
    VariantAdded,
    VariantRemoved,
    /// An alternative of a union (by discriminator value, else by position and shape).
    BranchAdded,
    BranchRemoved,
    DiscriminatorAdded,
    DiscriminatorRemoved,
    /// The discriminator reads another property.
    DiscriminatorChanged,
    /// A discriminator value selects another subtype.
    MappingChanged,
    PatternAdded,
    PatternRemoved,
    PatternChanged,
    MaxDecreased,
    MaxIncreased,
    MinIncreased,
    MinDecreased,
    /// Fewer values pass by a keyword other than a bound: `multipleOf` set or made stricter,
    /// `uniqueItems` set.
    Narrowed,
    /// More values pass: `multipleOf` removed or relaxed, `uniqueItems` dropped.
    Relaxed,
    BecameNullable,
    BecameNotNullable,
    Deprecated,
}

/// The rule for a change in a slot; `root` means the body itself rather than a property in it.
fn rule_for(slot: Slot, what: What, root: bool) -> Option<RuleId> {
    use RuleId::*;
    use What::*;
    Some(match (slot, what) {
        (Slot::Request, TypeWidened) if root => RequestBodyTypeWidened,
        (Slot::Request, TypeChanged | FormatChanged) if root => RequestBodyTypeChanged,
        (Slot::Request, RefChanged) if root => RequestBodyRefChanged,
        // What a response may hold grows: a reader may meet values it cannot take.
        (Slot::Response, TypeChanged | FormatChanged | TypeWidened) if root => {
            ResponseBodyTypeChanged
        }
        (Slot::Response, RefChanged) if root => ResponseBodyRefChanged,

        (Slot::Parameter, TypeChanged) => RequestParameterTypeChanged,
        (Slot::Parameter, TypeWidened) => RequestParameterTypeWidened,
        (Slot::Parameter, FormatChanged) => RequestParameterFormatChanged,
        // The wire is the same; the Rust type's new name is reported with the named types.
        (Slot::Parameter, RefChanged) => return None,
        (Slot::Parameter, EnumValueAdded) => RequestParameterEnumValueAdded,
        (Slot::Parameter, EnumValueRemoved) => RequestParameterEnumValueRemoved,
        (Slot::Parameter, EnumAdded) => RequestParameterEnumAdded,
        (Slot::Parameter, EnumRemoved) => RequestParameterEnumRemoved,
        // Parameters are never objects, so never tagged unions; a parameter's untagged union
        // is sent like a request body's.
        (Slot::Parameter, VariantAdded | VariantRemoved) => return None,
        (Slot::Parameter | Slot::Request, BranchAdded) => RequestUnionBranchAdded,
        (Slot::Parameter | Slot::Request, BranchRemoved) => RequestUnionBranchRemoved,
        (Slot::Parameter | Slot::Request, DiscriminatorAdded) => RequestDiscriminatorAdded,
        (Slot::Parameter | Slot::Request, DiscriminatorRemoved) => RequestDiscriminatorRemoved,
        (Slot::Parameter | Slot::Request, DiscriminatorChanged) => RequestDiscriminatorChanged,
        (Slot::Parameter | Slot::Request, MappingChanged) => RequestDiscriminatorMappingChanged,
        (Slot::Response, BranchAdded) => ResponseUnionBranchAdded,
        (Slot::Response, BranchRemoved) => ResponseUnionBranchRemoved,
        (Slot::Response, DiscriminatorAdded) => ResponseDiscriminatorAdded,
        (Slot::Response, DiscriminatorRemoved) => ResponseDiscriminatorRemoved,
        (Slot::Response, DiscriminatorChanged) => ResponseDiscriminatorChanged,
        (Slot::Response, MappingChanged) => ResponseDiscriminatorMappingChanged,
        (Slot::Parameter, PatternAdded) => RequestParameterPatternAdded,
        (Slot::Parameter, PatternRemoved) => RequestParameterPatternRemoved,
        (Slot::Parameter, PatternChanged) => RequestParameterPatternChanged,
        (Slot::Parameter, MaxDecreased) => RequestParameterMaxDecreased,
        (Slot::Parameter, MaxIncreased) => RequestParameterMaxIncreased,
        (Slot::Parameter, MinIncreased) => RequestParameterMinIncreased,
        (Slot::Parameter, MinDecreased) => RequestParameterMinDecreased,
        (Slot::Parameter, Narrowed) => RequestParameterValuesNarrowed,
        (Slot::Parameter, Relaxed) => RequestParameterValuesRelaxed,
        (Slot::Parameter, BecameNullable | BecameNotNullable) => return None,
        (Slot::Parameter, Deprecated) => RequestParameterDeprecated,

        (Slot::Request, TypeChanged) => RequestPropertyTypeChanged,
        (Slot::Request, TypeWidened) => RequestPropertyTypeWidened,
        (Slot::Request, FormatChanged) => RequestPropertyFormatChanged,
        (Slot::Request, RefChanged) => RequestPropertyRefChanged,
        (Slot::Request, EnumValueAdded) => RequestPropertyEnumValueAdded,
        (Slot::Request, EnumValueRemoved) => RequestPropertyEnumValueRemoved,
        (Slot::Request, EnumAdded) => RequestPropertyEnumAdded,
        (Slot::Request, EnumRemoved) => RequestPropertyEnumRemoved,
        (Slot::Request, VariantAdded) => RequestPropertyVariantAdded,
        (Slot::Request, VariantRemoved) => RequestPropertyVariantRemoved,
        (Slot::Request, PatternAdded) => RequestPropertyPatternAdded,
        (Slot::Request, PatternRemoved) => RequestPropertyPatternRemoved,
        (Slot::Request, PatternChanged) => RequestPropertyPatternChanged,
        (Slot::Request, MaxDecreased) => RequestPropertyMaxDecreased,
        (Slot::Request, MaxIncreased) => RequestPropertyMaxIncreased,
        (Slot::Request, MinIncreased) => RequestPropertyMinIncreased,
        (Slot::Request, MinDecreased) => RequestPropertyMinDecreased,
        (Slot::Request, Narrowed) => RequestPropertyValuesNarrowed,
        (Slot::Request, Relaxed) => RequestPropertyValuesRelaxed,
        (Slot::Request, BecameNullable) => RequestPropertyBecameNullable,
        (Slot::Request, BecameNotNullable) => RequestPropertyBecameNotNullable,
        (Slot::Request, Deprecated) => RequestPropertyDeprecated,

        (Slot::Response, TypeChanged | TypeWidened) => ResponsePropertyTypeChanged,
        (Slot::Response, FormatChanged) => ResponsePropertyFormatChanged,
        (Slot::Response, RefChanged) => ResponsePropertyRefChanged,
        (Slot::Response, EnumValueAdded) => ResponsePropertyEnumValueAdded,
        (Slot::Response, EnumValueRemoved) => ResponsePropertyEnumValueRemoved,
        (Slot::Response, EnumAdded) => ResponsePropertyEnumAdded,
        (Slot::Response, EnumRemoved) => ResponsePropertyEnumRemoved,
        (Slot::Response, VariantAdded) => ResponsePropertyVariantAdded,
        (Slot::Response, VariantRemoved) => ResponsePropertyVariantRemoved,
        (Slot::Response, PatternAdded | PatternRemoved | PatternChanged) => {
            ResponsePropertyPatternChanged
        }
        (Slot::Response, MaxDecreased) => ResponsePropertyMaxDecreased,
        (Slot::Response, MaxIncreased) => ResponsePropertyMaxIncreased,
        (Slot::Response, MinIncreased) => ResponsePropertyMinIncreased,
        (Slot::Response, MinDecreased) => ResponsePropertyMinDecreased,
        (Slot::Response, Narrowed) => ResponsePropertyValuesNarrowed,
        (Slot::Response, Relaxed) => ResponsePropertyValuesRelaxed,
        (Slot::Response, BecameNullable) => ResponsePropertyBecameNullable,
        (Slot::Response, BecameNotNullable) => ResponsePropertyBecameNotNullable,
        (Slot::Response, Deprecated) => ResponsePropertyDeprecated,

        (Slot::Header, TypeChanged | TypeWidened | FormatChanged) => ResponseHeaderTypeChanged,
        (
            Slot::Header,
            EnumValueAdded | EnumRemoved | PatternRemoved | PatternChanged | MaxIncreased
            | MinDecreased | Relaxed,
        ) => ResponseHeaderValuesWidened,
        (
            Slot::Header,
            EnumValueRemoved | EnumAdded | PatternAdded | MaxDecreased | MinIncreased | Narrowed,
        ) => ResponseHeaderValuesNarrowed,
        (Slot::Header, _) => return None,
    })
}

/// Compares one type on both sides, collecting changes under `context` (`response 200
/// (2023-01-01)`, `query parameter \`pageNum\``).
pub(crate) struct Walker<'a, 'm> {
    cx: &'a Cx<'m>,
    slot: Slot,
    context: &'a str,
    out: &'a mut Vec<Change>,
    /// Type pairs being compared further up: a recursive type is walked once.
    visiting: Vec<(&'m TypeName, &'m TypeName)>,
    /// The generated item the changes found here touch: the walk's root (a method's body, a
    /// setter, `send()`), then the field or variant being compared.
    item: Option<String>,
    /// The innermost named type being walked and the path it sits at: changes found in it are
    /// also described relative to it, so that reports can fold the same change reached by
    /// several operations.
    owner: Option<(&'m TypeName, String)>,
    /// The next `$ref` change is a discriminator remapping, already reported.
    remapped: bool,
}

impl<'a, 'm> Walker<'a, 'm> {
    pub fn new(cx: &'a Cx<'m>, slot: Slot, context: &'a str, out: &'a mut Vec<Change>) -> Self {
        Walker {
            cx,
            slot,
            context,
            out,
            visiting: Vec::new(),
            item: None,
            owner: None,
            remapped: false,
        }
    }

    /// Runs `walk` inside the named type `name`, found at `path`.
    fn inside(&mut self, name: &'m TypeName, path: &str, walk: impl FnOnce(&mut Self)) {
        let outer = self.owner.replace((name, path.to_owned()));
        walk(self);
        self.owner = outer;
    }

    /// The change's message (without its context) as the owning type sees it.
    fn site(&self, rest: &str) -> Option<Site> {
        // A parameter's type is named per operation where it is inline: the parameter module
        // gives its changes the parameter's own site.
        if matches!(self.slot, Slot::Parameter | Slot::Header) {
            return None;
        }
        let (name, at) = self.owner.as_ref()?;
        let message = if at.is_empty() {
            rest.strip_prefix("body ").unwrap_or(rest).to_owned()
        } else {
            rest.replace(&format!("`{at}/"), "`")
                .replace(&format!("`{at}` "), "")
        };
        let direction = match self.slot {
            Slot::Parameter => "parameters",
            Slot::Request => "requests",
            Slot::Response | Slot::Header => "responses",
        };
        Some(Site {
            subject: format!("`{name}` in {direction}"),
            message,
            rust: None,
        })
    }

    /// A change under this walk's context, with its item and its site.
    fn change(&self, rule: RuleId, rest: String) -> Change {
        let mut change = Change::new(rule, format!("{}: {rest}", self.context));
        change.site = self.site(&rest);
        change
    }

    /// Runs `walk` with `item` as the touched item, then restores the outer one.
    fn within(&mut self, item: String, walk: impl FnOnce(&mut Self)) {
        let outer = self.item.replace(item);
        walk(self);
        self.item = outer;
    }

    fn attach(&self, change: Change) -> Change {
        match &self.item {
            Some(item) => change.with_rust(item.clone()),
            None => change,
        }
    }

    fn emit(&mut self, what: What, path: &str, text: String) {
        self.emit_with(what, path, text, None);
    }

    fn emit_with(&mut self, what: What, path: &str, text: String, semver: Option<Semver>) {
        if let Some(rule) = rule_for(self.slot, what, path.is_empty()) {
            let change = self.change(rule, format!("{}{text}", self.subject(path)));
            let change = self.attach(lowered(change, semver));
            self.out.push(change);
        }
    }

    /// The start of a message about `path`: the property, `body`, or nothing for a parameter.
    fn subject(&self, path: &str) -> String {
        match (path.is_empty(), self.slot) {
            (false, _) => format!("`{path}` "),
            (true, Slot::Parameter | Slot::Header) => String::new(),
            (true, _) => "body ".to_owned(),
        }
    }

    fn push(&mut self, rule: RuleId, text: String, semver: Option<Semver>) {
        let change = self.change(rule, text);
        let change = self.attach(lowered(change, semver));
        self.out.push(change);
    }

    /// Compares the types found at `path` on both sides.
    pub fn types(&mut self, path: &str, old: &'m TypeRef, new: &'m TypeRef) {
        // An item or map value that may be null (`Option<T>`): the null, then the value.
        match (old, new) {
            (TypeRef::Nullable(a), TypeRef::Nullable(b)) => return self.types(path, a, b),
            (TypeRef::Nullable(a), b) => {
                self.emit(
                    What::BecameNotNullable,
                    path,
                    "is no longer nullable".to_owned(),
                );
                return self.types(path, a, b);
            }
            (a, TypeRef::Nullable(b)) => {
                self.emit(What::BecameNullable, path, "became nullable".to_owned());
                return self.types(path, a, b);
            }
            _ => {}
        }
        let (model_old, model_new) = (self.cx.old, self.cx.new);
        let (o, n) = (shape_of(model_old, old), shape_of(model_new, new));
        match (o, n) {
            (Shape::Struct(a, old_fields), Shape::Struct(b, new_fields)) => {
                self.reference(path, a, b);
                if self.visiting.contains(&(a, b)) {
                    return;
                }
                self.visiting.push((a, b));
                self.inside(b, path, |w| w.fields(path, (a, b), old_fields, new_fields));
                self.visiting.pop();
            }
            (Shape::Union(a, old_union), Shape::Union(b, new_union)) => {
                self.reference(path, a, b);
                if self.visiting.contains(&(a, b)) {
                    return;
                }
                self.visiting.push((a, b));
                self.inside(b, path, |w| {
                    w.union_variants(path, (a, b), old_union, new_union)
                });
                self.visiting.pop();
            }
            (Shape::Untagged(a, old_union), Shape::Untagged(b, new_union)) => {
                self.reference(path, a, b);
                if self.visiting.contains(&(a, b)) {
                    return;
                }
                self.visiting.push((a, b));
                self.inside(b, path, |w| {
                    w.branches(path, (a, b), untagged(old_union), untagged(new_union))
                });
                self.visiting.pop();
            }
            (Shape::Untagged(a, old_union), Shape::Union(b, new_union)) => {
                self.reference(path, a, b);
                self.within(format!("enum `{b}`"), |w| {
                    w.emit(
                        What::DiscriminatorAdded,
                        path,
                        format!(
                            "discriminator `{}` added: the alternatives are now told apart by it, not by their shape",
                            new_union.property
                        ),
                    )
                });
                if self.visiting.contains(&(a, b)) {
                    return;
                }
                self.visiting.push((a, b));
                self.inside(b, path, |w| {
                    w.branches(path, (a, b), untagged(old_union), tagged(new_union))
                });
                self.visiting.pop();
            }
            (Shape::Union(a, old_union), Shape::Untagged(b, new_union)) => {
                self.reference(path, a, b);
                self.within(format!("enum `{b}`"), |w| {
                    w.emit(
                        What::DiscriminatorRemoved,
                        path,
                        format!(
                            "discriminator `{}` removed: the alternatives are now told apart by their shape",
                            old_union.property
                        ),
                    )
                });
                if self.visiting.contains(&(a, b)) {
                    return;
                }
                self.visiting.push((a, b));
                self.inside(b, path, |w| {
                    w.branches(path, (a, b), tagged(old_union), untagged(new_union))
                });
                self.visiting.pop();
            }
            // A union narrowed to one of its alternatives, or a type widened to a union that
            // has it among its alternatives: the other alternatives were removed or added.
            (Shape::Untagged(a, union), _) if self.member(union, new, true).is_some() => {
                let kept = self.member(union, new, true).expect("just found");
                let single = vec![Branch {
                    ident: kept,
                    ty: new,
                    tag: None,
                }];
                self.inside(a, path, |w| {
                    w.branches(path, (a, a), untagged(union), single)
                });
            }
            (_, Shape::Untagged(b, union)) if self.member(union, old, false).is_some() => {
                let kept = self.member(union, old, false).expect("just found");
                let single = vec![Branch {
                    ident: kept,
                    ty: old,
                    tag: None,
                }];
                self.inside(b, path, |w| {
                    w.branches(path, (b, b), single, untagged(union))
                });
            }
            (Shape::Enum(a, old_values), Shape::Enum(b, new_values)) => {
                self.reference(path, a, b);
                self.inside(b, path, |w| {
                    w.enum_values(path, (a, b), old_values, new_values)
                });
            }
            (Shape::Enum(a, _), other) if other.json_type() == "string" => {
                self.emit(
                    What::EnumRemoved,
                    path,
                    format!(
                        "enum `{a}` removed: now {}",
                        describe_shape(model_new, other, 0)
                    ),
                );
            }
            (other, Shape::Enum(b, _)) if other.json_type() == "string" => {
                self.emit(
                    What::EnumAdded,
                    path,
                    format!(
                        "restricted to enum `{b}` (was {})",
                        describe_shape(model_old, other, 0)
                    ),
                );
            }
            (Shape::Primitive(p), Shape::Primitive(q)) => {
                if p != q && self.slot != Slot::Response && widens(p, q) {
                    self.emit(
                        What::TypeWidened,
                        path,
                        format!(
                            "type widened from {} to {}: every value sent before is still accepted",
                            primitive_text(p),
                            primitive_text(q)
                        ),
                    );
                } else if p != q {
                    let what = if primitive_json_type(p) == primitive_json_type(q) {
                        (What::FormatChanged, "format")
                    } else {
                        (What::TypeChanged, "type")
                    };
                    self.emit(
                        what.0,
                        path,
                        format!(
                            "{} changed from {} to {}",
                            what.1,
                            primitive_text(p),
                            primitive_text(q)
                        ),
                    );
                }
            }
            (Shape::Array(x), Shape::Array(y)) => self.types(&join(path, "items"), x, y),
            (Shape::Map(x), Shape::Map(y)) => self.types(&join(path, "additionalProperties"), x, y),
            (Shape::Any, Shape::Any) => {}
            (o, Shape::Any) if self.slot != Slot::Response && takes_anything(model_new, new) => {
                let from = describe_shape(model_old, o, 0);
                self.emit(
                    What::TypeWidened,
                    path,
                    format!("type widened from {from} to any JSON value: every value sent before is still accepted"),
                );
            }
            (o, n) => {
                let (from, to) = (
                    describe_shape(model_old, o, 0),
                    describe_shape(model_new, n, 0),
                );
                self.emit(
                    What::TypeChanged,
                    path,
                    format!("type changed from {from} to {to}"),
                );
            }
        }
    }

    /// A `$ref` that points elsewhere. Two inline schemas have no `$ref`: their names are the
    /// generator's, and a new name alone is reported with the named types.
    fn reference(&mut self, path: &str, a: &TypeName, b: &TypeName) {
        if std::mem::take(&mut self.remapped) {
            return;
        }
        let component = |model: &ApiModel, name: &TypeName| {
            model
                .types
                .get(name)
                .is_some_and(|t| matches!(t.origin, TypeOrigin::Component(_)))
        };
        if !self.cx.same_type(a, b) && (component(self.cx.old, a) || component(self.cx.new, b)) {
            self.emit(
                What::RefChanged,
                path,
                format!("now refers to `{b}` instead of `{a}`"),
            );
        }
    }

    fn enum_values(
        &mut self,
        path: &str,
        (a, b): (&TypeName, &TypeName),
        old: &[EnumVariant],
        new: &[EnumVariant],
    ) {
        for value in old
            .iter()
            .filter(|v| !new.iter().any(|n| n.value == v.value))
        {
            self.within(format!("variant `{a}::{}`", value.ident), |w| {
                w.emit(
                    What::EnumValueRemoved,
                    path,
                    format!("enum value `{}` removed", value.value),
                )
            });
        }
        for value in new
            .iter()
            .filter(|v| !old.iter().any(|o| o.value == v.value))
        {
            self.within(format!("variant `{b}::{}`", value.ident), |w| {
                w.emit(
                    What::EnumValueAdded,
                    path,
                    format!("enum value `{}` added", value.value),
                )
            });
        }
    }

    /// Tags added and removed, then the subtypes of the tags both sides list (each pair of
    /// subtypes once, however many tags share it).
    fn union_variants(
        &mut self,
        path: &str,
        (a, b): (&TypeName, &TypeName),
        old: &'m TaggedUnion,
        new: &'m TaggedUnion,
    ) {
        if old.property != new.property {
            self.within(format!("enum `{b}`"), |w| {
                w.emit(
                    What::DiscriminatorChanged,
                    path,
                    format!(
                        "discriminator changed from `{}` to `{}`",
                        old.property, new.property
                    ),
                )
            });
        }
        for variant in old
            .variants
            .iter()
            .filter(|v| !new.variants.iter().any(|n| n.value == v.value))
        {
            self.within(format!("variant `{a}::{}`", variant.ident), |w| {
                w.emit(
                    What::VariantRemoved,
                    path,
                    format!(
                        "subtype for `{}` = `{}` removed",
                        old.property, variant.value
                    ),
                )
            });
        }
        for variant in new
            .variants
            .iter()
            .filter(|v| !old.variants.iter().any(|o| o.value == v.value))
        {
            self.within(format!("variant `{b}::{}`", variant.ident), |w| {
                w.emit(
                    What::VariantAdded,
                    path,
                    format!("subtype for `{}` = `{}` added", new.property, variant.value),
                )
            });
        }
        let mut compared: Vec<(&TypeRef, &TypeRef)> = Vec::new();
        for o in &old.variants {
            let Some(n) = new.variants.iter().find(|n| n.value == o.value) else {
                continue;
            };
            let remapped = match (&o.ty, &n.ty) {
                (TypeRef::Named(x), TypeRef::Named(y)) => !self.cx.same_type(x, y),
                _ => false,
            };
            if remapped {
                self.within(format!("variant `{b}::{}`", n.ident), |w| {
                    w.emit(
                        What::MappingChanged,
                        path,
                        format!(
                            "`{}` = `{}` now selects {} instead of {}",
                            new.property,
                            n.value,
                            describe(w.cx.new, &n.ty),
                            describe(w.cx.old, &o.ty)
                        ),
                    )
                });
            }
            if !compared.contains(&(&o.ty, &n.ty)) {
                compared.push((&o.ty, &n.ty));
                // What differs between the two subtypes, without a second word on the new
                // reference.
                self.remapped = remapped;
                self.types(path, &o.ty, &n.ty);
                self.remapped = false;
            }
        }
    }

    /// The alternatives of two unions, at least one without a discriminator: matched by type
    /// (the same schema, or a rename of it), then by the generated variant's name, then by
    /// position where the JSON type is the same; the rest were added or removed. Matched ones
    /// are compared inside, under a `oneOf[Variant]` path segment.
    fn branches(
        &mut self,
        path: &str,
        (a, b): (&TypeName, &TypeName),
        old: Vec<Branch<'m>>,
        new: Vec<Branch<'m>>,
    ) {
        let (model_old, model_new) = (self.cx.old, self.cx.new);
        let mut olds: Vec<Option<Branch<'m>>> = old.into_iter().map(Some).collect();
        let mut news: Vec<Option<Branch<'m>>> = new.into_iter().map(Some).collect();
        let mut pairs: Vec<(usize, Branch<'m>, Branch<'m>)> = Vec::new();
        let same_type =
            |x: &'m TypeRef, y: &'m TypeRef| match (named(model_old, x), named(model_new, y)) {
                (Some(x), Some(y)) => self.cx.same_type(x, y),
                _ => x == y,
            };
        let same_json = |x: &TypeRef, y: &TypeRef| {
            shape_of(model_old, x).json_type() == shape_of(model_new, y).json_type()
        };
        for pass in 0..3 {
            for (i, slot) in olds.iter_mut().enumerate() {
                let Some(o) = *slot else { continue };
                let found = news.iter_mut().enumerate().find(|(j, n)| {
                    n.is_some_and(|n| match pass {
                        0 => same_type(o.ty, n.ty),
                        1 => o.ident == n.ident,
                        _ => i == *j && same_json(o.ty, n.ty),
                    })
                });
                if let Some((j, n)) = found {
                    let n = n.take().expect("found among the unmatched");
                    pairs.push((j, o, n));
                    *slot = None;
                }
            }
        }
        for (i, o) in olds.iter().enumerate() {
            let Some(o) = o else { continue };
            self.within(format!("variant `{a}::{}`", o.ident), |w| {
                w.emit(
                    What::BranchRemoved,
                    path,
                    format!(
                        "alternative {} ({}{}) removed",
                        i + 1,
                        describe(model_old, o.ty),
                        o.tag_text()
                    ),
                )
            });
        }
        for (j, n) in news.iter().enumerate() {
            let Some(n) = n else { continue };
            self.within(format!("variant `{b}::{}`", n.ident), |w| {
                w.emit(
                    What::BranchAdded,
                    path,
                    format!(
                        "alternative {} ({}{}) added",
                        j + 1,
                        describe(model_new, n.ty),
                        n.tag_text()
                    ),
                )
            });
        }
        pairs.sort_by_key(|(j, _, _)| *j);
        for (_, o, n) in pairs {
            let here = join(path, &format!("oneOf[{}]", n.ident));
            self.within(format!("variant `{b}::{}`", n.ident), |w| {
                w.types(&here, o.ty, n.ty)
            });
        }
    }

    /// The alternative of `union` (on the old side when `union_is_old`) that is the same type
    /// as `ty` on the other side.
    fn member(
        &self,
        union: &'m UntaggedUnion,
        ty: &'m TypeRef,
        union_is_old: bool,
    ) -> Option<&'m TypeName> {
        let (union_model, other_model) = if union_is_old {
            (self.cx.old, self.cx.new)
        } else {
            (self.cx.new, self.cx.old)
        };
        let other = named(other_model, ty);
        union
            .variants
            .iter()
            .find(|v| match (named(union_model, &v.ty), other) {
                (Some(x), Some(y)) if union_is_old => self.cx.same_type(x, y),
                (Some(x), Some(y)) => self.cx.same_type(y, x),
                _ => v.ty == *ty,
            })
            .map(|v| &v.ident)
    }

    /// Whether a property travels in this direction: read-only properties are never sent,
    /// write-only ones never received.
    fn travels(&self, field: &Field) -> bool {
        match self.slot {
            Slot::Request => !field.read_only,
            Slot::Response | Slot::Header => !field.write_only,
            Slot::Parameter => true,
        }
    }

    fn fields(
        &mut self,
        path: &str,
        (a, b): (&TypeName, &TypeName),
        old: &'m [Field],
        new: &'m [Field],
    ) {
        use RuleId::*;
        for o in old {
            let here = join(path, &o.name);
            match new.iter().find(|n| n.name == o.name) {
                Some(n) if self.travels(o) || self.travels(n) => self
                    .within(format!("field `{b}::{}`", n.ident), |w| {
                        w.field(&here, o, n)
                    }),
                Some(_) => {}
                None if !self.travels(o) => {}
                None => {
                    let required = if o.required { "required" } else { "optional" };
                    let rule = match (self.slot, o.required) {
                        (Slot::Response, true) => ResponseRequiredPropertyRemoved,
                        (Slot::Response, false) => ResponseOptionalPropertyRemoved,
                        _ => RequestPropertyRemoved,
                    };
                    self.within(format!("field `{a}::{}`", o.ident), |w| {
                        w.push(rule, format!("removed {required} property `{here}`"), None)
                    });
                }
            }
        }
        for n in new {
            if !self.travels(n) || old.iter().any(|o| o.name == n.name) {
                continue;
            }
            let here = join(path, &n.name);
            let required = if n.required { "required" } else { "optional" };
            let rule = match (self.slot, n.required) {
                (Slot::Response, true) => ResponseRequiredPropertyAdded,
                (Slot::Response, false) => ResponseOptionalPropertyAdded,
                (_, true) => RequestRequiredPropertyAdded,
                (_, false) => RequestOptionalPropertyAdded,
            };
            self.within(format!("field `{b}::{}`", n.ident), |w| {
                w.push(rule, format!("added {required} property `{here}`"), None)
            });
        }
    }

    fn field(&mut self, path: &str, old: &'m Field, new: &'m Field) {
        use RuleId::*;
        // The generated field is `Option<T>` when the property may be missing or null, and the
        // constructor of a type callers send takes it when a request must carry it: flipping
        // required-ness or nullability breaks Rust code only when one of those changes.
        let slot = self.slot;
        let rust = |f: &Field| {
            let optional = !f.required || f.nullable;
            match slot {
                Slot::Response => (optional, false),
                _ => (optional, f.sent_required && !f.nullable),
            }
        };
        let semver = if rust(old) == rust(new) {
            Some(Semver::Patch)
        } else {
            None
        };
        // Each side has its own required-ness: a sender need not send a read-only property, a
        // receiver cannot count on a write-only one. A flip of that access is reported as such
        // (`access`), not as the required-ness it implies.
        let (was, is, flipped) = match self.slot {
            Slot::Response => (old.required, new.required, old.write_only != new.write_only),
            _ => (
                old.sent_required,
                new.sent_required,
                old.read_only != new.read_only,
            ),
        };
        if was != is && !flipped {
            let rule = match (self.slot, is) {
                (Slot::Response, true) => ResponsePropertyBecameRequired,
                (Slot::Response, false) => ResponsePropertyBecameOptional,
                (_, true) => RequestPropertyBecameRequired,
                (_, false) => RequestPropertyBecameOptional,
            };
            let now = if is { "required" } else { "optional" };
            self.push(rule, format!("`{path}` became {now}"), semver);
        }
        if old.nullable != new.nullable {
            let (what, text) = if new.nullable {
                (What::BecameNullable, "became nullable")
            } else {
                (What::BecameNotNullable, "is no longer nullable")
            };
            self.emit_with(what, path, text.to_owned(), semver);
        }
        if new.deprecated && !old.deprecated {
            self.emit(What::Deprecated, path, "was deprecated".to_owned());
        }
        self.access(path, old, new, semver.is_none());
        if old.default != new.default {
            let rule = match self.slot {
                Slot::Response => ResponsePropertyDefaultChanged,
                _ => RequestPropertyDefaultChanged,
            };
            self.push(
                rule,
                format!(
                    "`{path}` default changed from {} to {}",
                    default_text(&old.default),
                    default_text(&new.default)
                ),
                None,
            );
        }
        self.constraints(path, &old.constraints, &new.constraints);
        self.types(path, &old.ty, &new.ty);
    }

    /// `readOnly` flips matter to senders, `writeOnly` flips to receivers; the other direction
    /// does not see the property change at all. `reshaped` says the flip changes the generated
    /// field or constructor too (a required property becoming `Option`).
    fn access(&mut self, path: &str, old: &Field, new: &Field, reshaped: bool) {
        use RuleId::*;
        let (rule, text) = match self.slot {
            Slot::Request if old.read_only != new.read_only => {
                if new.read_only {
                    (
                        RequestPropertyBecameReadOnly,
                        "became read-only: the server ignores it when sent",
                    )
                } else {
                    (
                        RequestPropertyNoLongerReadOnly,
                        "is no longer read-only: the server takes it when sent",
                    )
                }
            }
            Slot::Response if old.write_only != new.write_only => {
                if new.write_only {
                    (
                        ResponsePropertyBecameWriteOnly,
                        "became write-only: the server no longer returns it",
                    )
                } else {
                    (
                        ResponsePropertyNoLongerWriteOnly,
                        "is no longer write-only: the server returns it",
                    )
                }
            }
            _ => return,
        };
        let change = self.change(rule, format!("`{path}` {text}"));
        let change = if reshaped {
            let mut change = change.with_semver(Semver::Major);
            change
                .message
                .push_str(" (its generated field or constructor argument changes)");
            change
        } else {
            change
        };
        let change = self.attach(change);
        self.out.push(change);
    }

    /// Patterns and limits.
    pub fn constraints(&mut self, path: &str, old: &Constraints, new: &Constraints) {
        match (&old.pattern, &new.pattern) {
            (None, Some(p)) => self.emit(What::PatternAdded, path, format!("pattern `{p}` added")),
            (Some(p), None) => {
                self.emit(What::PatternRemoved, path, format!("pattern `{p}` removed"))
            }
            (Some(a), Some(b)) if a != b => self.emit(
                What::PatternChanged,
                path,
                format!("pattern changed from `{a}` to `{b}`"),
            ),
            _ => {}
        }
        let count = |v: Option<usize>| v.map(|v| v as f64);
        let maxima = [
            ("maximum", old.maximum, new.maximum),
            ("maxLength", count(old.max_length), count(new.max_length)),
            ("maxItems", count(old.max_items), count(new.max_items)),
            (
                "maxProperties",
                count(old.max_properties),
                count(new.max_properties),
            ),
        ];
        for (keyword, o, n) in maxima {
            let lower = match (o, n) {
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) if a != b => b < a,
                _ => continue,
            };
            let what = if lower {
                What::MaxDecreased
            } else {
                What::MaxIncreased
            };
            self.emit(what, path, limit_text(keyword, o, n));
        }
        let minima = [
            ("minimum", old.minimum, new.minimum),
            ("minLength", count(old.min_length), count(new.min_length)),
            ("minItems", count(old.min_items), count(new.min_items)),
            (
                "minProperties",
                count(old.min_properties),
                count(new.min_properties),
            ),
        ];
        for (keyword, o, n) in minima {
            let higher = match (o, n) {
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) if a != b => b > a,
                _ => continue,
            };
            let what = if higher {
                What::MinIncreased
            } else {
                What::MinDecreased
            };
            self.emit(what, path, limit_text(keyword, o, n));
        }
        self.exclusivity(path, old, new);
        self.multiple_of(path, old.multiple_of, new.multiple_of);
        match (old.unique_items, new.unique_items) {
            (false, true) => self.emit(What::Narrowed, path, "uniqueItems set".to_owned()),
            (true, false) => self.emit(What::Relaxed, path, "uniqueItems dropped".to_owned()),
            _ => {}
        }
    }

    /// Compares what two schemas say of a value the client does not type (a response header,
    /// a body that is not JSON, a request body the client cannot encode) at `path`: its type
    /// as written, its enum values and constraints, and the same of its properties and items.
    pub fn untyped_value(&mut self, path: &str, old: &ValueSchema, new: &ValueSchema) {
        use RuleId::*;
        // No generated type holds the value: its changes leave the Rust API as it is.
        let untyped = Some(Semver::Patch);
        if old.ty != new.ty {
            let text = |ty: &Option<String>| ty.clone().unwrap_or_else(|| "any".to_owned());
            let message = format!("type changed from {} to {}", text(&old.ty), text(&new.ty));
            self.emit_with(What::TypeChanged, path, message, untyped);
        }
        match (old.enum_values.is_empty(), new.enum_values.is_empty()) {
            (true, false) => self.emit_with(What::EnumAdded, path, "enum set".to_owned(), untyped),
            (false, true) => {
                self.emit_with(What::EnumRemoved, path, "enum dropped".to_owned(), untyped)
            }
            (false, false) => {
                for value in new
                    .enum_values
                    .iter()
                    .filter(|v| !old.enum_values.contains(v))
                {
                    let text = format!("enum value `{value}` added");
                    self.emit_with(What::EnumValueAdded, path, text, untyped);
                }
                for value in old
                    .enum_values
                    .iter()
                    .filter(|v| !new.enum_values.contains(v))
                {
                    let text = format!("enum value `{value}` removed");
                    self.emit_with(What::EnumValueRemoved, path, text, untyped);
                }
            }
            (true, true) => {}
        }
        self.constraints(path, &old.constraints, &new.constraints);
        let received = !matches!(self.slot, Slot::Request | Slot::Parameter);
        let required = |yes: bool| if yes { "required" } else { "optional" };
        for o in &old.properties {
            let here = join(path, &o.name);
            let Some(n) = new.properties.iter().find(|n| n.name == o.name) else {
                let rule = match (received, o.required) {
                    (true, true) => ResponseRequiredPropertyRemoved,
                    (true, false) => ResponseOptionalPropertyRemoved,
                    (false, _) => RequestPropertyRemoved,
                };
                let text = format!("removed {} property `{here}`", required(o.required));
                self.push(rule, text, untyped);
                continue;
            };
            if o.required != n.required {
                let rule = match (received, n.required) {
                    (true, true) => ResponsePropertyBecameRequired,
                    (true, false) => ResponsePropertyBecameOptional,
                    (false, true) => RequestPropertyBecameRequired,
                    (false, false) => RequestPropertyBecameOptional,
                };
                let text = format!("`{here}` became {}", required(n.required));
                self.push(rule, text, untyped);
            }
            self.untyped_value(&here, &o.value, &n.value);
        }
        for n in new
            .properties
            .iter()
            .filter(|n| !old.properties.iter().any(|o| o.name == n.name))
        {
            let rule = match (received, n.required) {
                (true, true) => ResponseRequiredPropertyAdded,
                (true, false) => ResponseOptionalPropertyAdded,
                (false, true) => RequestRequiredPropertyAdded,
                (false, false) => RequestOptionalPropertyAdded,
            };
            let text = format!(
                "added {} property `{}`",
                required(n.required),
                join(path, &n.name)
            );
            self.push(rule, text, untyped);
        }
        if let (Some(a), Some(b)) = (&old.items, &new.items) {
            self.untyped_value(&format!("{path}[]"), a, b);
        }
    }

    /// A bound turned exclusive (the bound itself no longer passes) or inclusive, where the
    /// bound's value stayed (a changed value is reported as the bound's change).
    fn exclusivity(&mut self, path: &str, old: &Constraints, new: &Constraints) {
        let bounds = [
            (
                "exclusiveMaximum",
                old.maximum,
                new.maximum,
                old.exclusive_maximum,
                new.exclusive_maximum,
                What::MaxDecreased,
                What::MaxIncreased,
            ),
            (
                "exclusiveMinimum",
                old.minimum,
                new.minimum,
                old.exclusive_minimum,
                new.exclusive_minimum,
                What::MinIncreased,
                What::MinDecreased,
            ),
        ];
        for (keyword, o, n, was, is, tighter, looser) in bounds {
            let (Some(bound), true) = (n, o == n) else {
                continue;
            };
            match (was, is) {
                (false, true) => self.emit(
                    tighter,
                    path,
                    format!("{keyword} set: {bound} no longer passes"),
                ),
                (true, false) => {
                    self.emit(looser, path, format!("{keyword} dropped: {bound} passes"))
                }
                _ => {}
            }
        }
    }

    /// `multipleOf` set, removed or changed: a new factor that is a multiple of the old one
    /// lets fewer values pass, a divisor of it more, any other both fewer and others.
    fn multiple_of(&mut self, path: &str, old: Option<f64>, new: Option<f64>) {
        let divides = |small: f64, large: f64| (large / small).fract() == 0.0;
        let what = match (old, new) {
            (None, Some(_)) => What::Narrowed,
            (Some(_), None) => What::Relaxed,
            (Some(a), Some(b)) if a != b && divides(b, a) => What::Relaxed,
            (Some(a), Some(b)) if a != b => What::Narrowed,
            _ => return,
        };
        self.emit(what, path, limit_text("multipleOf", old, new));
    }
}

/// One alternative of a union, tagged or not.
#[derive(Debug, Clone, Copy)]
struct Branch<'m> {
    ident: &'m TypeName,
    ty: &'m TypeRef,
    /// The discriminator value that selects it, in a tagged union.
    tag: Option<(&'m str, &'m str)>,
}

impl Branch<'_> {
    fn tag_text(&self) -> String {
        match self.tag {
            Some((property, value)) => format!(", `{property}` = `{value}`"),
            None => String::new(),
        }
    }
}

fn untagged(union: &UntaggedUnion) -> Vec<Branch<'_>> {
    union
        .variants
        .iter()
        .map(|v| Branch {
            ident: &v.ident,
            ty: &v.ty,
            tag: None,
        })
        .collect()
}

/// A tagged union's subtypes, each once (several tag values may select the same subtype).
fn tagged(union: &TaggedUnion) -> Vec<Branch<'_>> {
    let mut branches: Vec<Branch<'_>> = Vec::new();
    for v in &union.variants {
        if branches.iter().all(|b| b.ty != &v.ty) {
            branches.push(Branch {
                ident: &v.ident,
                ty: &v.ty,
                tag: Some((&union.property, &v.value)),
            });
        }
    }
    branches
}

fn keyword_text(keyword: UnionKeyword) -> &'static str {
    match keyword {
        UnionKeyword::OneOf => "one of",
        UnionKeyword::AnyOf => "any of",
    }
}

/// A change whose Rust effect is at most `semver`, when given.
fn lowered(change: Change, semver: Option<Semver>) -> Change {
    match semver {
        Some(s) => {
            let s = s.min(change.semver);
            change.with_semver(s)
        }
        None => change,
    }
}

pub(crate) fn default_text(value: &Option<serde_json::Value>) -> String {
    match value {
        Some(v) => format!("`{v}`"),
        None => "none".to_owned(),
    }
}

fn limit_text(keyword: &str, old: Option<f64>, new: Option<f64>) -> String {
    match (old, new) {
        (None, Some(n)) => format!("{keyword} {n} added"),
        (Some(o), None) => format!("{keyword} {o} removed"),
        (Some(o), Some(n)) => format!("{keyword} changed from {o} to {n}"),
        (None, None) => String::new(),
    }
}

/// A property path in oasdiff's style: `results/items/status`.
pub(crate) fn join(path: &str, segment: &str) -> String {
    if path.is_empty() {
        segment.to_owned()
    } else {
        format!("{path}/{segment}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_read_naturally() {
        assert_eq!(
            limit_text("maximum", Some(500.0), Some(100.0)),
            "maximum changed from 500 to 100"
        );
        assert_eq!(
            limit_text("maxLength", None, Some(24.0)),
            "maxLength 24 added"
        );
        assert_eq!(
            limit_text("minimum", Some(0.5), None),
            "minimum 0.5 removed"
        );
    }

    #[test]
    fn only_types_that_take_every_old_value_widen() {
        use Primitive::*;
        assert!(widens(I32, I64));
        assert!(widens(I32, F64));
        assert!(widens(DateTime, String));
        assert!(!widens(I64, I32));
        assert!(!widens(F64, F32));
        assert!(!widens(String, DateTime));
        assert!(!widens(Bool, String));
    }

    #[test]
    fn paths_join_like_oasdiff() {
        assert_eq!(join("", "results"), "results");
        assert_eq!(join("results", "items"), "results/items");
    }

    #[test]
    fn every_slot_and_change_has_a_rule_or_is_deliberately_silent() {
        let whats = [
            What::TypeChanged,
            What::TypeWidened,
            What::FormatChanged,
            What::RefChanged,
            What::EnumValueAdded,
            What::EnumValueRemoved,
            What::EnumAdded,
            What::EnumRemoved,
            What::VariantAdded,
            What::VariantRemoved,
            What::BranchAdded,
            What::BranchRemoved,
            What::DiscriminatorAdded,
            What::DiscriminatorRemoved,
            What::DiscriminatorChanged,
            What::MappingChanged,
            What::PatternAdded,
            What::PatternRemoved,
            What::PatternChanged,
            What::MaxDecreased,
            What::MaxIncreased,
            What::MinIncreased,
            What::MinDecreased,
            What::Narrowed,
            What::Relaxed,
            What::BecameNullable,
            What::BecameNotNullable,
            What::Deprecated,
        ];
        for what in whats {
            for root in [false, true] {
                assert!(rule_for(Slot::Request, what, root).is_some(), "{what:?}");
                assert!(rule_for(Slot::Response, what, root).is_some(), "{what:?}");
            }
        }
        assert_eq!(rule_for(Slot::Parameter, What::RefChanged, true), None);
        assert_eq!(
            rule_for(Slot::Response, What::RefChanged, true),
            Some(RuleId::ResponseBodyRefChanged)
        );
        assert_eq!(
            rule_for(Slot::Response, What::RefChanged, false),
            Some(RuleId::ResponsePropertyRefChanged)
        );
    }
}
