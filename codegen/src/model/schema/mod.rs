//! Schemas → types: turns `openapiv3` schemas into [`TypeRef`]s, defining a named [`TypeDef`]
//! for every component schema and for each inline object or enum that needs a name.
//!
//! A schema goes through the parts in this order: [`fixups`] (read it the way the spec meant
//! it), [`composition`] (what shape it has, `allOf` members merged), then [`naming`] (a type
//! name when it needs one) and [`fields`] or [`anonymous`] (what it is made of).
//! [`constraints`] carries its validation keywords over; [`discriminator`] types tagged unions.

mod anonymous;
mod composition;
mod constraints;
mod discriminator;
mod fields;
mod fixups;
mod naming;

pub use fixups::{Fixup, FixupLog};

use super::{Note, TypeDef, TypeKind, TypeName, TypeOrigin, TypeRef};
use crate::error::Diagnostic;
use crate::load::{escape_pointer, unescape_pointer, LoadedSpec};
use crate::names::NameScope;
use composition::Shape;
use fixups::normalize;
use naming::enum_variants;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use std::collections::{BTreeMap, BTreeSet};

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// State shared while converting the schemas of one spec.
pub(crate) struct SchemaCx<'s> {
    pub spec: &'s LoadedSpec,
    /// Component schema name → the Rust type name it got.
    component_names: BTreeMap<String, TypeName>,
    type_scope: NameScope,
    pub types: BTreeMap<TypeName, TypeDef>,
    pub notes: Vec<Note>,
    pub problems: Vec<Diagnostic>,
    /// Patterns already noted as unsupported: a shared parameter is noted once, not per use.
    unsupported_patterns: BTreeSet<String>,
    /// How often each fix-up applied.
    pub fixups: FixupLog,
}

/// A schema seen through a reference or inline, with the pointer where it was written.
pub(crate) enum SchemaRef<'a> {
    Ref(&'a str),
    Inline(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Inline(s),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Inline(s),
        }
    }
}

impl<'s> SchemaCx<'s> {
    /// Names every component schema first, so references resolve whatever order they come in.
    pub fn new(spec: &'s LoadedSpec) -> Self {
        let mut cx = SchemaCx {
            spec,
            component_names: BTreeMap::new(),
            type_scope: NameScope::new(),
            types: BTreeMap::new(),
            notes: Vec::new(),
            problems: Vec::new(),
            unsupported_patterns: BTreeSet::new(),
            fixups: FixupLog::default(),
        };
        let names: Vec<String> = spec
            .openapi
            .components
            .iter()
            .flat_map(|c| c.schemas.keys().cloned())
            .collect();
        for name in names {
            let pointer = format!("/components/schemas/{}", escape_pointer(&name));
            if let Some(type_name) = cx.claim_type_name(&name, &pointer) {
                cx.component_names.insert(name, type_name);
            }
        }
        cx
    }

    /// Defines a type for every component schema.
    pub fn define_components(&mut self) {
        let Some(components) = &self.spec.openapi.components else {
            return;
        };
        for (name, schema) in &components.schemas {
            let Some(type_name) = self.component_names.get(name).cloned() else {
                continue;
            };
            let pointer = format!("/components/schemas/{}", escape_pointer(name));
            let schema: SchemaRef<'_> = schema.into();
            let kind = match schema {
                SchemaRef::Ref(target) => TypeKind::Alias(self.reference(target, &pointer)),
                SchemaRef::Inline(schema) => self.kind_of(&type_name, schema, &pointer),
            };
            let (title, description, deprecated) = match schema {
                SchemaRef::Inline(s) => (
                    s.schema_data.title.clone(),
                    s.schema_data.description.clone(),
                    s.schema_data.deprecated,
                ),
                SchemaRef::Ref(_) => (None, None, false),
            };
            self.types.insert(
                type_name.clone(),
                TypeDef {
                    name: type_name,
                    origin: TypeOrigin::Component(name.clone()),
                    pointer,
                    title,
                    description,
                    deprecated,
                    kind,
                },
            );
        }
    }

    /// The schema itself, following component references (for constraints and defaults).
    pub fn resolve_schema<'a>(&self, schema: &'a ReferenceOr<Schema>) -> Option<&'a Schema>
    where
        's: 'a,
    {
        let mut current = schema;
        for _ in 0..16 {
            match current {
                ReferenceOr::Item(schema) => return Some(schema),
                ReferenceOr::Reference { reference } => {
                    let name = unescape_pointer(reference.strip_prefix(COMPONENT_PREFIX)?);
                    current = self.spec.openapi.components.as_ref()?.schemas.get(&name)?;
                }
            }
        }
        None
    }

    /// A component schema by reference (`#/components/schemas/...`), following references
    /// between components.
    fn component_schema(&self, reference: &str) -> Option<&'s Schema> {
        let spec = self.spec;
        let mut target = reference;
        for _ in 0..16 {
            let name = unescape_pointer(target.strip_prefix(COMPONENT_PREFIX)?);
            match spec.openapi.components.as_ref()?.schemas.get(&name)? {
                ReferenceOr::Item(schema) => return Some(schema),
                ReferenceOr::Reference { reference } => target = reference,
            }
        }
        None
    }

    /// The type of a schema used somewhere; `hint` names it if it has to be defined inline.
    pub fn type_ref(&mut self, schema: SchemaRef<'_>, hint: &str, pointer: &str) -> TypeRef {
        match schema {
            SchemaRef::Ref(target) => self.reference(target, pointer),
            SchemaRef::Inline(schema) => self.inline(schema, hint, pointer),
        }
    }

    fn reference(&mut self, target: &str, pointer: &str) -> TypeRef {
        if let Some(name) = target.strip_prefix(COMPONENT_PREFIX) {
            let name = unescape_pointer(name);
            if let Some(type_name) = self.component_names.get(&name) {
                return TypeRef::Named(type_name.clone());
            }
        }
        // A reference into the middle of a document: convert the target inline.
        let resolved = target
            .strip_prefix('#')
            .and_then(|p| crate::validate::resolve(&self.spec.raw, p))
            .and_then(|v| serde_json::from_value::<Schema>(v.clone()).ok());
        match resolved {
            Some(schema) => {
                let hint = target.rsplit('/').next().unwrap_or("Inline").to_owned();
                self.inline(&schema, &hint, target.trim_start_matches('#'))
            }
            None => {
                self.problems.push(Diagnostic::new(
                    &self.spec.file,
                    pointer,
                    format!("reference `{target}` does not lead to a schema"),
                ));
                TypeRef::Any
            }
        }
    }

    fn inline(&mut self, schema: &Schema, hint: &str, pointer: &str) -> TypeRef {
        let schema = self.normalized(schema, pointer);
        if let Some(union) = self.tagged_union(&schema, pointer) {
            return self.define_named(&schema, TypeKind::Union(union), hint, pointer);
        }
        match self.shape(&schema, pointer) {
            shape @ (Shape::Enum(_) | Shape::Object { .. }) => {
                self.define_inline(&schema, shape, hint, pointer)
            }
            Shape::Same(member, member_pointer) => self.type_ref(member, hint, &member_pointer),
            Shape::Untyped(reason) => self.untyped(reason, pointer),
            Shape::Anonymous => self.anonymous(&schema, hint, pointer),
        }
    }

    /// The documented fallback for what the generator cannot type, with a note saying where.
    fn untyped(&mut self, reason: String, pointer: &str) -> TypeRef {
        self.notes.push(Note {
            pointer: pointer.to_owned(),
            message: format!("{reason}: generated as `serde_json::Value`"),
        });
        TypeRef::Any
    }

    /// What a named schema becomes: a struct, an enum, or an alias of another type.
    fn kind_of(&mut self, name: &TypeName, schema: &Schema, pointer: &str) -> TypeKind {
        let schema = self.normalized(schema, pointer);
        if let Some(union) = self.tagged_union(&schema, pointer) {
            return TypeKind::Union(union);
        }
        let shape = self.shape(&schema, pointer);
        self.kind_of_shape(name, &schema, shape, pointer)
    }

    fn kind_of_shape(
        &mut self,
        name: &TypeName,
        schema: &Schema,
        shape: Shape<'_>,
        pointer: &str,
    ) -> TypeKind {
        match shape {
            Shape::Enum(values) => {
                let (variants, collisions) = enum_variants(&values);
                for c in collisions {
                    self.notes.push(Note {
                        pointer: format!("{pointer}/enum"),
                        message: c.describe("values"),
                    });
                }
                TypeKind::Enum(variants)
            }
            Shape::Object {
                properties,
                required,
                extra,
            } => {
                if matches!(extra, Some(AdditionalProperties::Schema(_))) {
                    self.notes.push(Note {
                        pointer: format!("{pointer}/additionalProperties"),
                        message: "properties besides the named ones (`additionalProperties`) are not kept by the generated struct".to_owned(),
                    });
                }
                TypeKind::Struct(self.fields(name, &properties, &required))
            }
            Shape::Same(member, member_pointer) => {
                TypeKind::Alias(self.type_ref(member, &name.0, &member_pointer))
            }
            Shape::Untyped(reason) => TypeKind::Alias(self.untyped(reason, pointer)),
            Shape::Anonymous => TypeKind::Alias(self.anonymous(schema, &name.0, pointer)),
        }
    }
}

/// The model of a spec made of `components.schemas` only, for the parts' tests.
#[cfg(test)]
fn model_of(schemas_yaml: &str) -> crate::model::ApiModel {
    let indented: String = schemas_yaml
        .lines()
        .map(|line| format!("    {line}\n"))
        .collect();
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{indented}"
    );
    let spec = crate::load::load_text("s.yaml", text, crate::load::Format::Yaml).unwrap();
    crate::model::build_model(&crate::validate::validate(&spec).unwrap()).unwrap()
}
