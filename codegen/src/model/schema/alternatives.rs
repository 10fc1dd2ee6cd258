//! Unions without a discriminator: the members of a `oneOf` or `anyOf` become the variants of an
//! [`UntaggedUnion`], decided by each value's shape when it is decoded. When every member is a
//! string and at least one lists values, the union is one string enum of all their values
//! instead, since a string cannot tell which member's list it came from.

use super::context::{SchemaCx, SchemaRef, TypeOf, COMPONENT_PREFIX};
use super::fixups::normalize;
use super::naming::enum_variants;
use crate::load::unescape_pointer;
use crate::model::{Note, ShapeVariant, TypeKind, TypeName, UnionKeyword, UntaggedUnion};
use crate::names::{self, NameScope};
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

impl<'s> SchemaCx<'s> {
    /// The kind a `oneOf`/`anyOf` without a usable discriminator becomes.
    pub(super) fn alternatives_kind(
        &mut self,
        owner: &TypeName,
        keyword: UnionKeyword,
        members: &[ReferenceOr<Schema>],
        pointer: &str,
        type_of: TypeOf<'s>,
    ) -> TypeKind {
        if let Some(values) = self.string_values(members) {
            let (variants, collisions) = enum_variants(&values);
            for c in collisions {
                self.notes.push(Note {
                    pointer: pointer.to_owned(),
                    message: c.describe("values"),
                });
            }
            return TypeKind::Enum(variants);
        }
        let mut scope = NameScope::new();
        scope.reserve("Unknown");
        let mut variants = Vec::new();
        for (index, member) in members.iter().enumerate() {
            let member_pointer = format!("{pointer}/{index}");
            let raw = self.variant_label(member, index);
            let (ident, _) = scope.claim(&raw, names::variant_name(&raw, index));
            let hint = format!("{}{}", owner.0, ident);
            let ty = type_of(self, SchemaRef::from(member), &hint, &member_pointer);
            let description = match member {
                ReferenceOr::Item(schema) => schema.schema_data.description.clone(),
                ReferenceOr::Reference { .. } => None,
            };
            variants.push(ShapeVariant {
                ident: TypeName(ident),
                ty,
                description,
            });
        }
        TypeKind::Untagged(UntaggedUnion { keyword, variants })
    }

    /// What a member is called as a variant: the component it refers to, its `title`, the
    /// one value a property of it must have (the tag of an internally tagged union written
    /// without a discriminator, as serde and schemars write them), or its JSON type.
    fn variant_label(&self, member: &ReferenceOr<Schema>, index: usize) -> String {
        let schema = match member {
            ReferenceOr::Reference { reference } => {
                return match reference.strip_prefix(COMPONENT_PREFIX) {
                    Some(name) => unescape_pointer(name),
                    None => format!("Variant{index}"),
                };
            }
            ReferenceOr::Item(schema) => schema,
        };
        if let Some(title) = &schema.schema_data.title {
            return title.clone();
        }
        if let Some(tag) = constant_property(schema) {
            return tag;
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if s.enumeration.len() == 1 => s.enumeration[0]
                .clone()
                .unwrap_or_else(|| "Null".to_owned()),
            SchemaKind::Type(Type::String(_)) => "String".to_owned(),
            SchemaKind::Type(Type::Integer(_)) => "Integer".to_owned(),
            SchemaKind::Type(Type::Number(_)) => "Number".to_owned(),
            SchemaKind::Type(Type::Boolean(_)) => "Boolean".to_owned(),
            SchemaKind::Type(Type::Array(_)) => "Array".to_owned(),
            SchemaKind::Type(Type::Object(_)) => "Object".to_owned(),
            _ => format!("Variant{index}"),
        }
    }

    /// All the values of members that are all strings, at least one of them an enum; `None`
    /// otherwise. Values keep the members' order, each once.
    fn string_values<'a>(&self, members: &'a [ReferenceOr<Schema>]) -> Option<Vec<String>>
    where
        's: 'a,
    {
        let mut values: Vec<String> = Vec::new();
        let mut listed = false;
        for member in members {
            let schema = self.string_schema(member, 0)?;
            let (schema, _) = normalize(schema);
            match &schema.schema_kind {
                SchemaKind::Type(Type::String(s)) if s.enumeration.is_empty() => {}
                SchemaKind::Type(Type::String(s)) => {
                    listed = true;
                    for value in s.enumeration.iter().flatten() {
                        if !values.contains(value) {
                            values.push(value.clone());
                        }
                    }
                }
                _ => return None,
            }
        }
        (listed && !values.is_empty()).then_some(values)
    }

    /// The string schema a member is, through references and lone `allOf` members.
    fn string_schema<'a>(&self, member: &'a ReferenceOr<Schema>, depth: usize) -> Option<&'a Schema>
    where
        's: 'a,
    {
        if depth > 8 {
            return None;
        }
        let schema = self.resolve_schema(member)?;
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(_)) => Some(schema),
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.string_schema(&all_of[0], depth + 1)
            }
            _ => None,
        }
    }
}

/// The first property of an object schema that allows exactly one string value.
fn constant_property(schema: &Schema) -> Option<String> {
    let properties = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => &o.properties,
        SchemaKind::Any(any) => &any.properties,
        _ => return None,
    };
    properties.values().find_map(|property| match property {
        ReferenceOr::Item(p) => match &p.schema_kind {
            SchemaKind::Type(Type::String(s)) if s.enumeration.len() == 1 => {
                s.enumeration[0].clone()
            }
            _ => None,
        },
        ReferenceOr::Reference { .. } => None,
    })
}
