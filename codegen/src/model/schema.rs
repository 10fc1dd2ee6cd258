//! Schemas → types: turns `openapiv3` schemas into [`TypeRef`]s, defining a named [`TypeDef`]
//! for every component schema and for each inline object or enum that needs a name.

mod discriminator;

use super::{
    Constraints, EnumVariant, Field, Note, Primitive, TypeDef, TypeKind, TypeName, TypeOrigin,
    TypeRef,
};
use crate::error::Diagnostic;
use crate::load::{escape_pointer, unescape_pointer, LoadedSpec};
use crate::names::{self, NameScope};
use openapiv3::{
    AdditionalProperties, ArrayType, BooleanType, IntegerFormat, IntegerType, NumberFormat,
    NumberType, ObjectType, ReferenceOr, Schema, SchemaKind, StringFormat, StringType, Type,
    VariantOrUnknownOrEmpty,
};
use std::borrow::Cow;
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

    fn define_inline(
        &mut self,
        schema: &Schema,
        shape: Shape<'_>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        let Some(name) = self.claim_type_name(hint, pointer) else {
            return TypeRef::Any;
        };
        let kind = self.kind_of_shape(&name, schema, shape, pointer);
        self.insert_inline(schema, name, kind, pointer)
    }

    /// Names and defines an inline schema whose kind is already known.
    fn define_named(
        &mut self,
        schema: &Schema,
        kind: TypeKind,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        let Some(name) = self.claim_type_name(hint, pointer) else {
            return TypeRef::Any;
        };
        self.insert_inline(schema, name, kind, pointer)
    }

    fn insert_inline(
        &mut self,
        schema: &Schema,
        name: TypeName,
        kind: TypeKind,
        pointer: &str,
    ) -> TypeRef {
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

    /// The documented fallback for what the generator cannot type, with a note saying where.
    fn untyped(&mut self, reason: String, pointer: &str) -> TypeRef {
        self.notes.push(Note {
            pointer: pointer.to_owned(),
            message: format!("{reason}: generated as `serde_json::Value`"),
        });
        TypeRef::Any
    }

    /// The schema read as its declared type (see [`normalize`]), with a note for each
    /// keyword that was set aside.
    fn normalized<'a>(&mut self, schema: &'a Schema, pointer: &str) -> Cow<'a, Schema> {
        let (schema, ignored) = normalize(schema);
        let listed = |keywords: &[&str]| {
            let quoted: Vec<String> = keywords.iter().map(|k| format!("`{k}`")).collect();
            (quoted.join(", "), keywords.len() == 1)
        };
        let mut sentences = Vec::new();
        if !ignored.not_applicable.is_empty() {
            let (keywords, one) = listed(&ignored.not_applicable);
            let (verb, are) = if one { ("does", "is") } else { ("do", "are") };
            sentences.push(format!(
                "{keywords} {verb} not apply to `{}` values and {are} ignored",
                ignored.typ
            ));
        }
        if !ignored.not_whole.is_empty() {
            let (keywords, one) = listed(&ignored.not_whole);
            let what = if one {
                "is not a whole number, so it cannot bound"
            } else {
                "are not whole numbers, so they cannot bound"
            };
            sentences.push(format!(
                "{keywords} {what} `{}` values; ignored",
                ignored.typ
            ));
        }
        if !sentences.is_empty() {
            self.notes.push(Note {
                pointer: pointer.to_owned(),
                message: sentences.join("; "),
            });
        }
        schema
    }

    /// What a (normalized) schema becomes, before any name is given.
    fn shape<'a>(&self, schema: &'a Schema, pointer: &str) -> Shape<'a>
    where
        's: 'a,
    {
        if let Some(composition) = Composition::of(schema) {
            return self.composed_shape(schema, &composition, pointer);
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
                Shape::Enum(values)
            }
            SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => Shape::Object {
                properties: own_properties(&o.properties, pointer),
                required: o.required.clone(),
                extra: o.additional_properties.as_ref(),
            },
            SchemaKind::Any(any) if !any.properties.is_empty() => Shape::Object {
                properties: own_properties(&any.properties, pointer),
                required: any.required.clone(),
                extra: any.additional_properties.as_ref(),
            },
            // An enum with no declared type whose values are all strings.
            SchemaKind::Any(any)
                if any.typ.is_none()
                    && !any.enumeration.is_empty()
                    && any.enumeration.iter().all(serde_json::Value::is_string) =>
            {
                let values = any
                    .enumeration
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect();
                Shape::Enum(values)
            }
            _ => Shape::Anonymous,
        }
    }

    /// `allOf` members merge into one object; a lone member of `allOf`, `oneOf` or `anyOf`
    /// is that member; other combinations cannot be typed exactly.
    fn composed_shape<'a>(
        &self,
        schema: &'a Schema,
        composition: &Composition<'a>,
        pointer: &str,
    ) -> Shape<'a>
    where
        's: 'a,
    {
        if composition.not {
            return Shape::Untyped("`not` schema".to_owned());
        }
        let alternatives = if composition.one_of.is_empty() {
            ("anyOf", composition.any_of)
        } else {
            ("oneOf", composition.one_of)
        };
        let (keyword, members) = alternatives;
        let has_alternatives = !composition.one_of.is_empty() || !composition.any_of.is_empty();
        let has_own = composition
            .own
            .is_some_and(|(properties, _)| !properties.is_empty());
        if has_alternatives {
            let lone = composition.all_of.is_empty()
                && !has_own
                && composition.one_of.len() + composition.any_of.len() == 1;
            if lone {
                return Shape::Same((&members[0]).into(), format!("{pointer}/{keyword}/0"));
            }
            let discriminator = schema
                .schema_data
                .discriminator
                .as_ref()
                .map(|d| format!(" with discriminator `{}`", d.property_name))
                .unwrap_or_default();
            let both = if !composition.one_of.is_empty() && !composition.any_of.is_empty() {
                " (and `anyOf`)"
            } else {
                ""
            };
            return Shape::Untyped(format!(
                "`{keyword}` of {} schemas{both}{discriminator}",
                members.len()
            ));
        }
        if composition.all_of.len() == 1 && !has_own && composition.extra.is_none() {
            return Shape::Same(
                (&composition.all_of[0]).into(),
                format!("{pointer}/allOf/0"),
            );
        }
        let mut merged = Merged::default();
        if let Err(reason) = self.merge_all_of(schema, pointer, &mut merged, 0) {
            return Shape::Untyped(reason);
        }
        if merged.properties.is_empty() {
            // Members that only say "object": a free-form object.
            return Shape::Anonymous;
        }
        Shape::Object {
            properties: merged.properties,
            required: merged.required,
            extra: composition.extra,
        }
    }

    /// Collects the properties of an `allOf` schema and of all its members (in order, first
    /// definition kept), or says why a member is not an object.
    fn merge_all_of<'a>(
        &self,
        schema: &'a Schema,
        pointer: &str,
        merged: &mut Merged<'a>,
        depth: usize,
    ) -> Result<(), String>
    where
        's: 'a,
    {
        if depth > 16 {
            return Err(format!("`allOf` nested too deeply at #{pointer}"));
        }
        match Composition::of(schema) {
            Some(composition) => {
                if composition.not
                    || !composition.one_of.is_empty()
                    || !composition.any_of.is_empty()
                {
                    return Err(format!(
                        "`allOf` member #{pointer} is itself a `oneOf`, `anyOf` or `not`"
                    ));
                }
                for (index, member) in composition.all_of.iter().enumerate() {
                    let (member, member_pointer) = match member {
                        ReferenceOr::Item(member) => (member, format!("{pointer}/allOf/{index}")),
                        ReferenceOr::Reference { reference } => {
                            let Some(found) = self.component_schema(reference) else {
                                return Err(format!(
                                    "`allOf` member `{reference}` is not a component schema"
                                ));
                            };
                            (found, reference.trim_start_matches('#').to_owned())
                        }
                    };
                    self.merge_all_of(member, &member_pointer, merged, depth + 1)?;
                }
                if let Some((properties, required)) = composition.own {
                    merged.add(properties, required, pointer);
                }
                Ok(())
            }
            None => match &schema.schema_kind {
                SchemaKind::Type(Type::Object(o)) => {
                    merged.add(&o.properties, &o.required, pointer);
                    Ok(())
                }
                SchemaKind::Any(any)
                    if any.typ.as_deref().is_none_or(|t| t == "object")
                        && any.items.is_none()
                        && any.enumeration.is_empty() =>
                {
                    merged.add(&any.properties, &any.required, pointer);
                    Ok(())
                }
                _ => Err(format!("`allOf` member #{pointer} is not an object")),
            },
        }
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
            SchemaKind::Type(Type::Array(a)) => self.array_of(a.items.as_ref(), hint, pointer),
            SchemaKind::Type(Type::Object(o)) => {
                self.map_of(o.additional_properties.as_ref(), hint, pointer)
            }
            SchemaKind::Any(any) => {
                if any.items.is_some() {
                    self.array_of(any.items.as_ref(), hint, pointer)
                } else if any.additional_properties.is_some() {
                    self.map_of(any.additional_properties.as_ref(), hint, pointer)
                } else {
                    // No type and nothing that implies one: any JSON value.
                    TypeRef::Any
                }
            }
            // Composition is sorted out by `shape`; this is only reached if that changes.
            SchemaKind::OneOf { .. }
            | SchemaKind::AnyOf { .. }
            | SchemaKind::AllOf { .. }
            | SchemaKind::Not { .. } => self.untyped("composed schema".to_owned(), pointer),
        }
    }

    fn array_of(
        &mut self,
        items: Option<&ReferenceOr<Box<Schema>>>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        let item = match items {
            Some(items) => {
                let items_pointer = format!("{pointer}/items");
                self.type_ref(items.into(), &format!("{hint}Item"), &items_pointer)
            }
            None => TypeRef::Any,
        };
        TypeRef::Array(Box::new(item))
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

    fn fields(
        &mut self,
        owner: &TypeName,
        properties: &[Property<'_>],
        required: &[String],
    ) -> Vec<Field> {
        let mut scope = NameScope::new();
        let mut fields = Vec::new();
        for property in properties {
            let wire = &property.name;
            let field_pointer = &property.pointer;
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
                        .push(Diagnostic::new(&self.spec.file, field_pointer, message));
                    continue;
                }
            };
            let schema = property.schema;
            let hint = format!("{}{}", owner.0, names::type_name(wire).unwrap_or_default());
            let ty = self.type_ref(schema.into(), &hint, field_pointer);
            let data = match schema {
                ReferenceOr::Item(s) => Some(&s.schema_data),
                ReferenceOr::Reference { .. } => None,
            };
            // A referenced schema that allows `null` makes the field nullable too.
            let nullable = match schema {
                ReferenceOr::Item(s) => s.schema_data.nullable,
                ReferenceOr::Reference { reference } => self
                    .component_schema(reference)
                    .is_some_and(|s| s.schema_data.nullable),
            };
            let write_only = data.is_some_and(|d| d.write_only);
            fields.push(Field {
                name: wire.clone(),
                ident: super::FieldName(ident),
                ty,
                // A write-only property is never in a response, so it cannot be required when
                // decoding one.
                required: required.contains(wire) && !write_only,
                nullable,
                read_only: data.is_some_and(|d| d.read_only),
                write_only,
                deprecated: data.is_some_and(|d| d.deprecated),
                description: data.and_then(|d| d.description.clone()),
                constraints: match schema {
                    ReferenceOr::Item(s) => constraints_of(s),
                    ReferenceOr::Reference { .. } => Constraints::default(),
                },
                default: data.and_then(|d| d.default.clone()),
            });
        }
        fields
    }

    /// The constraints of a parameter's schema, with a note when its pattern is written for
    /// another regular-expression engine (the client then does not check it). Each such
    /// pattern is noted once, where it is first used.
    pub fn parameter_constraints(&mut self, schema: &Schema, pointer: &str) -> Constraints {
        let constraints = constraints_of(schema);
        if let Some(pattern) = &constraints.pattern {
            if self.unsupported_patterns.contains(pattern) {
                return constraints;
            }
            if let Err(e) = regex::Regex::new(pattern) {
                self.unsupported_patterns.insert(pattern.clone());
                let reason = e.to_string();
                let reason = reason.lines().last().unwrap_or_default().trim();
                self.notes.push(Note {
                    pointer: format!("{pointer}/pattern"),
                    message: format!(
                        "pattern `{pattern}` is not supported by the `regex` crate ({reason}); the client does not check it here or wherever else it is used"
                    ),
                });
            }
        }
        constraints
    }
}

/// A schema's shape once the keywords that decide it are read.
enum Shape<'a> {
    /// A string enum.
    Enum(Vec<String>),
    /// An object with named properties (its own, or merged from `allOf` members).
    Object {
        properties: Vec<Property<'a>>,
        required: Vec<String>,
        extra: Option<&'a AdditionalProperties>,
    },
    /// The lone member of `allOf`/`oneOf`/`anyOf`, with its pointer: the schema is that member.
    Same(SchemaRef<'a>, String),
    /// Composition the generator cannot type exactly; the reason goes into a note.
    Untyped(String),
    /// Primitives, arrays, maps and free-form values.
    Anonymous,
}

/// One property of an object, with the pointer where it is written.
struct Property<'a> {
    name: String,
    schema: &'a ReferenceOr<Box<Schema>>,
    pointer: String,
}

fn own_properties<'a>(properties: &'a Properties, pointer: &str) -> Vec<Property<'a>> {
    properties
        .iter()
        .map(|(name, schema)| Property {
            name: name.clone(),
            schema,
            pointer: format!("{pointer}/properties/{}", escape_pointer(name)),
        })
        .collect()
}

/// The properties and required names gathered from `allOf` members.
#[derive(Default)]
struct Merged<'a> {
    properties: Vec<Property<'a>>,
    required: Vec<String>,
}

impl<'a> Merged<'a> {
    fn add(&mut self, properties: &'a Properties, required: &[String], pointer: &str) {
        for property in own_properties(properties, pointer) {
            if !self.properties.iter().any(|p| p.name == property.name) {
                self.properties.push(property);
            }
        }
        for name in required {
            if !self.required.contains(name) {
                self.required.push(name.clone());
            }
        }
    }
}

/// The properties of an object schema, by name.
type Properties = indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>;

/// The composition keywords of a schema, wherever `openapiv3` put them.
struct Composition<'a> {
    all_of: &'a [ReferenceOr<Schema>],
    one_of: &'a [ReferenceOr<Schema>],
    any_of: &'a [ReferenceOr<Schema>],
    not: bool,
    /// Properties written beside the composition keywords, with their required names.
    own: Option<(&'a Properties, &'a [String])>,
    extra: Option<&'a AdditionalProperties>,
}

impl<'a> Composition<'a> {
    fn of(schema: &'a Schema) -> Option<Self> {
        let none = Composition {
            all_of: &[],
            one_of: &[],
            any_of: &[],
            not: false,
            own: None,
            extra: None,
        };
        match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => Some(Composition { all_of, ..none }),
            SchemaKind::OneOf { one_of } => Some(Composition { one_of, ..none }),
            SchemaKind::AnyOf { any_of } => Some(Composition { any_of, ..none }),
            SchemaKind::Not { .. } => Some(Composition { not: true, ..none }),
            SchemaKind::Any(any)
                if !any.all_of.is_empty()
                    || !any.one_of.is_empty()
                    || !any.any_of.is_empty()
                    || any.not.is_some() =>
            {
                Some(Composition {
                    all_of: &any.all_of,
                    one_of: &any.one_of,
                    any_of: &any.any_of,
                    not: any.not.is_some(),
                    own: Some((&any.properties, &any.required)),
                    extra: any.additional_properties.as_ref(),
                })
            }
            SchemaKind::Type(_) | SchemaKind::Any(_) => None,
        }
    }
}

/// `openapiv3` keeps a schema as `SchemaKind::Any` when one of its keywords does not fit its
/// `type` (a `pattern` on an integer, a `minimum` on a string). JSON Schema ignores keywords
/// that do not apply to a value's type, so such a schema is read as its declared type without
/// them; the keywords set aside are returned with the type, for a note. Schemas with
/// composition keywords, or without a `type`, are returned as they are.
pub(crate) fn normalize(schema: &Schema) -> (Cow<'_, Schema>, Ignored) {
    let unchanged = || (Cow::Borrowed(schema), Ignored::default());
    let SchemaKind::Any(any) = &schema.schema_kind else {
        return unchanged();
    };
    if Composition::of(schema).is_some() {
        return unchanged();
    }
    let Some(typ) = any.typ.as_deref() else {
        return unchanged();
    };
    let string_keywords = [
        ("pattern", any.pattern.is_some()),
        ("minLength", any.min_length.is_some()),
        ("maxLength", any.max_length.is_some()),
    ];
    let number_keywords = [
        ("multipleOf", any.multiple_of.is_some()),
        ("minimum", any.minimum.is_some()),
        ("maximum", any.maximum.is_some()),
        ("exclusiveMinimum", any.exclusive_minimum.is_some()),
        ("exclusiveMaximum", any.exclusive_maximum.is_some()),
    ];
    let array_keywords = [
        ("items", any.items.is_some()),
        ("minItems", any.min_items.is_some()),
        ("maxItems", any.max_items.is_some()),
        ("uniqueItems", any.unique_items.is_some()),
    ];
    let object_keywords = [
        ("properties", !any.properties.is_empty()),
        ("required", !any.required.is_empty()),
        ("additionalProperties", any.additional_properties.is_some()),
        ("minProperties", any.min_properties.is_some()),
        ("maxProperties", any.max_properties.is_some()),
    ];
    let enum_keyword = [("enum", !any.enumeration.is_empty())];
    // An integer bound that is not a whole number cannot be kept as an integer bound.
    let whole = |n: Option<f64>| n.filter(|n| n.fract() == 0.0).map(|n| n as i64);
    let fractional_bounds = [
        (
            "minimum",
            any.minimum.is_some() && whole(any.minimum).is_none(),
        ),
        (
            "maximum",
            any.maximum.is_some() && whole(any.maximum).is_none(),
        ),
        (
            "multipleOf",
            any.multiple_of.is_some() && whole(any.multiple_of).is_none(),
        ),
    ];
    let mut not_whole: Vec<&'static str> = Vec::new();
    let (typ, kind, ignored): (&'static str, Type, Vec<&[(&'static str, bool)]>) = match typ {
        "string" => (
            "string",
            Type::String(StringType {
                format: any.format.clone().into(),
                pattern: any.pattern.clone(),
                enumeration: any
                    .enumeration
                    .iter()
                    .filter_map(|v| v.as_str().map(|s| Some(s.to_owned())))
                    .collect(),
                min_length: any.min_length,
                max_length: any.max_length,
            }),
            vec![&number_keywords, &array_keywords, &object_keywords],
        ),
        "integer" => (
            "integer",
            Type::Integer(IntegerType {
                format: any.format.clone().into(),
                multiple_of: whole(any.multiple_of),
                exclusive_minimum: any.exclusive_minimum.unwrap_or(false),
                exclusive_maximum: any.exclusive_maximum.unwrap_or(false),
                minimum: whole(any.minimum),
                maximum: whole(any.maximum),
                enumeration: any
                    .enumeration
                    .iter()
                    .filter_map(|v| v.as_i64().map(Some))
                    .collect(),
            }),
            {
                not_whole.extend(
                    fractional_bounds
                        .iter()
                        .filter(|(_, present)| *present)
                        .map(|(keyword, _)| *keyword),
                );
                vec![&string_keywords, &array_keywords, &object_keywords]
            },
        ),
        "number" => (
            "number",
            Type::Number(NumberType {
                format: any.format.clone().into(),
                multiple_of: any.multiple_of,
                exclusive_minimum: any.exclusive_minimum.unwrap_or(false),
                exclusive_maximum: any.exclusive_maximum.unwrap_or(false),
                minimum: any.minimum,
                maximum: any.maximum,
                enumeration: any
                    .enumeration
                    .iter()
                    .filter_map(|v| v.as_f64().map(Some))
                    .collect(),
            }),
            vec![&string_keywords, &array_keywords, &object_keywords],
        ),
        "boolean" => (
            "boolean",
            Type::Boolean(BooleanType {
                enumeration: any
                    .enumeration
                    .iter()
                    .filter_map(|v| v.as_bool().map(Some))
                    .collect(),
            }),
            vec![
                &string_keywords,
                &number_keywords,
                &array_keywords,
                &object_keywords,
            ],
        ),
        "array" => (
            "array",
            Type::Array(ArrayType {
                items: any.items.clone(),
                min_items: any.min_items,
                max_items: any.max_items,
                unique_items: any.unique_items.unwrap_or(false),
            }),
            vec![
                &string_keywords,
                &number_keywords,
                &object_keywords,
                &enum_keyword,
            ],
        ),
        "object" => (
            "object",
            Type::Object(ObjectType {
                properties: any.properties.clone(),
                required: any.required.clone(),
                additional_properties: any.additional_properties.clone(),
                min_properties: any.min_properties,
                max_properties: any.max_properties,
            }),
            vec![
                &string_keywords,
                &number_keywords,
                &array_keywords,
                &enum_keyword,
            ],
        ),
        _ => return unchanged(),
    };
    let not_applicable = ignored
        .into_iter()
        .flatten()
        .filter(|(_, present)| *present)
        .map(|(keyword, _)| *keyword)
        .collect();
    let normalized = Schema {
        schema_data: schema.schema_data.clone(),
        schema_kind: SchemaKind::Type(kind),
    };
    (
        Cow::Owned(normalized),
        Ignored {
            typ,
            not_applicable,
            not_whole,
        },
    )
}

/// The keywords [`normalize`] set aside, and the type they were set aside for.
#[derive(Debug, Default)]
pub(crate) struct Ignored {
    typ: &'static str,
    /// Keywords of another type (`pattern` on an integer).
    not_applicable: Vec<&'static str>,
    /// Integer bounds with a fraction (`minimum: 0.5`).
    not_whole: Vec<&'static str>,
}

/// Variants of a string enum, named without collisions; `Unknown` stays free for the catch-all.
/// A value listed twice is one variant (two would make the decoder's match unreachable).
/// Values whose names collided are returned too, for a note.
pub(crate) fn enum_variants(values: &[String]) -> (Vec<EnumVariant>, Vec<names::Collision>) {
    let mut scope = NameScope::new();
    scope.reserve("Unknown");
    let mut seen = BTreeSet::new();
    let mut collisions = Vec::new();
    let variants = values
        .iter()
        .filter(|value| seen.insert(value.as_str()))
        .enumerate()
        .map(|(index, value)| {
            let (ident, collision) = scope.claim(value, names::variant_name(value, index));
            collisions.extend(collision);
            EnumVariant {
                value: value.clone(),
                ident: TypeName(ident),
            }
        })
        .collect();
    (variants, collisions)
}

/// The validation keywords of a schema that the client checks or the differ compares.
/// Keywords that do not apply to the schema's declared type are left out (see [`normalize`]).
pub(crate) fn constraints_of(schema: &Schema) -> Constraints {
    let (schema, _) = normalize(schema);
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
