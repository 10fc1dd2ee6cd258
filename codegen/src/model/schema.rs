//! Schemas → types: turns `openapiv3` schemas into [`TypeRef`]s, defining a named [`TypeDef`]
//! for every component schema and for each inline object or enum that needs a name.

use super::{
    Constraints, EnumVariant, Field, Note, Primitive, TypeDef, TypeKind, TypeName, TypeOrigin,
    TypeRef,
};
use crate::error::Diagnostic;
use crate::load::{escape_pointer, unescape_pointer, LoadedSpec};
use crate::names::{self, NameScope};
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};
use std::collections::BTreeMap;

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

    fn claim_type_name(&mut self, raw: &str, pointer: &str) -> Option<TypeName> {
        match names::type_name(raw) {
            Ok(wanted) => {
                let (given, collision) = self.type_scope.claim(raw, wanted);
                if let Some(c) = collision {
                    self.notes.push(Note {
                        pointer: pointer.to_owned(),
                        message: format!(
                            "schema `{}` and `{}` both become type `{}`; the second is named `{}`",
                            c.first, c.second, c.wanted, c.given
                        ),
                    });
                }
                Some(TypeName(given))
            }
            Err(message) => {
                self.problems
                    .push(Diagnostic::new(&self.spec.file, pointer, message));
                None
            }
        }
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
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                self.define_inline(schema, hint, pointer)
            }
            SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => {
                self.define_inline(schema, hint, pointer)
            }
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                self.define_inline(schema, hint, pointer)
            }
            _ => self.anonymous(schema, hint, pointer),
        }
    }

    fn define_inline(&mut self, schema: &Schema, hint: &str, pointer: &str) -> TypeRef {
        let Some(name) = self.claim_type_name(hint, pointer) else {
            return TypeRef::Any;
        };
        let kind = self.kind_of(&name, schema, pointer);
        self.types.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                origin: TypeOrigin::Inline,
                pointer: pointer.to_owned(),
                title: schema.schema_data.title.clone(),
                description: schema.schema_data.description.clone(),
                deprecated: schema.schema_data.deprecated,
                kind,
            },
        );
        TypeRef::Named(name)
    }

    /// Types that need no definition of their own: primitives, arrays, maps, anything.
    fn anonymous(&mut self, schema: &Schema, hint: &str, pointer: &str) -> TypeRef {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => TypeRef::Primitive(match &s.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Primitive::DateTime,
                VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Primitive::Date,
                _ => Primitive::String,
            }),
            SchemaKind::Type(Type::Integer(i)) => TypeRef::Primitive(match &i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Primitive::I32,
                _ => Primitive::I64,
            }),
            SchemaKind::Type(Type::Number(n)) => TypeRef::Primitive(match &n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => Primitive::F32,
                _ => Primitive::F64,
            }),
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Primitive(Primitive::Bool),
            SchemaKind::Type(Type::Array(a)) => {
                let item = match &a.items {
                    Some(items) => {
                        let items_pointer = format!("{pointer}/items");
                        self.type_ref(items.into(), &format!("{hint}Item"), &items_pointer)
                    }
                    None => TypeRef::Any,
                };
                TypeRef::Array(Box::new(item))
            }
            SchemaKind::Type(Type::Object(o)) => {
                self.map_of(o.additional_properties.as_ref(), hint, pointer)
            }
            SchemaKind::Any(any) => {
                if any.items.is_some() || any.typ.as_deref() == Some("array") {
                    let item = match &any.items {
                        Some(items) => {
                            let items_pointer = format!("{pointer}/items");
                            self.type_ref(items.into(), &format!("{hint}Item"), &items_pointer)
                        }
                        None => TypeRef::Any,
                    };
                    TypeRef::Array(Box::new(item))
                } else if any.additional_properties.is_some() {
                    self.map_of(any.additional_properties.as_ref(), hint, pointer)
                } else {
                    TypeRef::Any
                }
            }
            SchemaKind::OneOf { .. }
            | SchemaKind::AnyOf { .. }
            | SchemaKind::AllOf { .. }
            | SchemaKind::Not { .. } => {
                self.notes.push(Note {
                    pointer: pointer.to_owned(),
                    message:
                        "composed schema (oneOf/anyOf/allOf/not) generated as `serde_json::Value`"
                            .to_owned(),
                });
                TypeRef::Any
            }
        }
    }

    fn map_of(
        &mut self,
        additional: Option<&AdditionalProperties>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let value_pointer = format!("{pointer}/additionalProperties");
                let value = self.type_ref(
                    schema.as_ref().into(),
                    &format!("{hint}Value"),
                    &value_pointer,
                );
                TypeRef::Map(Box::new(value))
            }
            Some(AdditionalProperties::Any(true)) => TypeRef::Map(Box::new(TypeRef::Any)),
            // An object with no properties: free-form.
            _ => TypeRef::Any,
        }
    }

    /// What a named schema becomes: a struct, an enum, or an alias of another type.
    fn kind_of(&mut self, name: &TypeName, schema: &Schema, pointer: &str) -> TypeKind {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
                TypeKind::Enum(enum_variants(&values))
            }
            SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => {
                TypeKind::Struct(self.fields(name, &o.properties, &o.required, pointer))
            }
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                TypeKind::Struct(self.fields(name, &any.properties, &any.required, pointer))
            }
            _ => TypeKind::Alias(self.anonymous(schema, &name.0, pointer)),
        }
    }

    fn fields(
        &mut self,
        owner: &TypeName,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        pointer: &str,
    ) -> Vec<Field> {
        let mut scope = NameScope::new();
        let mut fields = Vec::new();
        for (wire, schema) in properties {
            let field_pointer = format!("{pointer}/properties/{}", escape_pointer(wire));
            let ident = match names::field_name(wire) {
                Ok(wanted) => {
                    let (given, collision) = scope.claim(wire, wanted);
                    if let Some(c) = collision {
                        self.notes.push(Note {
                            pointer: field_pointer.clone(),
                            message: format!(
                                "properties `{}` and `{}` both become field `{}`; the second is named `{}`",
                                c.first, c.second, c.wanted, c.given
                            ),
                        });
                    }
                    given
                }
                Err(message) => {
                    self.problems
                        .push(Diagnostic::new(&self.spec.file, &field_pointer, message));
                    continue;
                }
            };
            let hint = format!("{}{}", owner.0, names::type_name(wire).unwrap_or_default());
            let schema_ref: SchemaRef<'_> = schema.into();
            let ty = self.type_ref(schema_ref, &hint, &field_pointer);
            let data = match schema {
                ReferenceOr::Item(s) => Some(&s.schema_data),
                ReferenceOr::Reference { .. } => None,
            };
            fields.push(Field {
                name: wire.clone(),
                ident: super::FieldName(ident),
                ty,
                required: required.contains(wire),
                nullable: data.is_some_and(|d| d.nullable),
                read_only: data.is_some_and(|d| d.read_only),
                write_only: data.is_some_and(|d| d.write_only),
                deprecated: data.is_some_and(|d| d.deprecated),
                description: data.and_then(|d| d.description.clone()),
                constraints: match schema {
                    ReferenceOr::Item(s) => constraints_of(s),
                    ReferenceOr::Reference { .. } => Constraints::default(),
                },
            });
        }
        fields
    }
}

/// Variants of a string enum, named without collisions; `Unknown` stays free for the catch-all.
pub(crate) fn enum_variants(values: &[String]) -> Vec<EnumVariant> {
    let mut scope = NameScope::new();
    scope.reserve("Unknown");
    values
        .iter()
        .enumerate()
        .map(|(index, value)| {
            let (ident, _) = scope.claim(value, names::variant_name(value, index));
            EnumVariant {
                value: value.clone(),
                ident: TypeName(ident),
            }
        })
        .collect()
}

/// The validation keywords of a schema that the client checks or the differ compares.
pub(crate) fn constraints_of(schema: &Schema) -> Constraints {
    let mut c = Constraints::default();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            c.pattern = s.pattern.clone();
            c.min_length = s.min_length;
            c.max_length = s.max_length;
        }
        SchemaKind::Type(Type::Integer(i)) => {
            c.minimum = i.minimum.map(|v| v as f64);
            c.maximum = i.maximum.map(|v| v as f64);
            c.exclusive_minimum = i.exclusive_minimum;
            c.exclusive_maximum = i.exclusive_maximum;
        }
        SchemaKind::Type(Type::Number(n)) => {
            c.minimum = n.minimum;
            c.maximum = n.maximum;
            c.exclusive_minimum = n.exclusive_minimum;
            c.exclusive_maximum = n.exclusive_maximum;
        }
        SchemaKind::Type(Type::Array(a)) => {
            c.min_items = a.min_items;
            c.max_items = a.max_items;
        }
        SchemaKind::Any(any) => {
            c.pattern = any.pattern.clone();
            c.min_length = any.min_length;
            c.max_length = any.max_length;
            c.minimum = any.minimum;
            c.maximum = any.maximum;
            c.exclusive_minimum = any.exclusive_minimum.unwrap_or(false);
            c.exclusive_maximum = any.exclusive_maximum.unwrap_or(false);
            c.min_items = any.min_items;
            c.max_items = any.max_items;
        }
        _ => {}
    }
    c
}
