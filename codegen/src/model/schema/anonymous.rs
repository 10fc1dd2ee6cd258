//! Anonymous types: schemas that need no definition of their own (primitives, arrays, maps,
//! free-form values) become a [`TypeRef`] directly.

use super::context::{SchemaCx, SchemaRef, TypeOf};
use crate::model::{Primitive, TypeRef};
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

impl<'s> SchemaCx<'s> {
    /// Types that need no definition of their own: primitives, arrays, maps, anything.
    pub(super) fn anonymous(
        &mut self,
        schema: &Schema,
        hint: &str,
        pointer: &str,
        type_of: TypeOf<'s>,
    ) -> TypeRef {
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
                self.array_of(a.items.as_ref(), hint, pointer, type_of)
            }
            SchemaKind::Type(Type::Object(o)) => {
                self.map_of(o.additional_properties.as_ref(), hint, pointer, type_of)
            }
            SchemaKind::Any(any) => {
                if any.items.is_some() {
                    self.array_of(any.items.as_ref(), hint, pointer, type_of)
                } else if any.additional_properties.is_some() {
                    self.map_of(any.additional_properties.as_ref(), hint, pointer, type_of)
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
        type_of: TypeOf<'s>,
    ) -> TypeRef {
        let item = match items {
            Some(items) => {
                let items_pointer = format!("{pointer}/items");
                let item = type_of(self, items.into(), &format!("{hint}Item"), &items_pointer);
                self.null_allowed(items.into(), item)
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
        type_of: TypeOf<'s>,
    ) -> TypeRef {
        match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let value_pointer = format!("{pointer}/additionalProperties");
                let value = type_of(
                    self,
                    schema.as_ref().into(),
                    &format!("{hint}Value"),
                    &value_pointer,
                );
                TypeRef::Map(Box::new(self.null_allowed(schema.as_ref().into(), value)))
            }
            Some(AdditionalProperties::Any(true)) => TypeRef::Map(Box::new(TypeRef::Any)),
            // An object with no properties: free-form.
            _ => TypeRef::Any,
        }
    }
}

impl SchemaCx<'_> {
    /// An item's or a map value's type, as `Option` where its schema (or the component it
    /// names) allows `null`: `[null]` is a valid list of nullable strings.
    fn null_allowed(&self, schema: SchemaRef<'_>, ty: TypeRef) -> TypeRef {
        let nullable = match schema {
            SchemaRef::Inline(s) => s.schema_data.nullable,
            SchemaRef::Ref(reference) => self
                .component_schema(reference)
                .is_some_and(|s| s.schema_data.nullable),
        };
        // `Any` already holds `null`.
        match nullable && ty != TypeRef::Any {
            true => TypeRef::Nullable(Box::new(ty)),
            false => ty,
        }
    }
}
