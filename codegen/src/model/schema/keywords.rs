//! Keywords: where `openapiv3` put what the parts read of a schema, the composition keywords
//! ([`Composition`]) and the properties of an object ([`Property`]). Pure reading, depending on
//! no other part, so both the fix-ups and the typing parts can build on it.

use crate::load::escape_pointer;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind};

/// The composition keywords of a schema, wherever `openapiv3` put them.
pub(super) struct Composition<'a> {
    pub(super) all_of: &'a [ReferenceOr<Schema>],
    pub(super) one_of: &'a [ReferenceOr<Schema>],
    pub(super) any_of: &'a [ReferenceOr<Schema>],
    pub(super) not: bool,
    /// Properties written beside the composition keywords, with their required names.
    pub(super) own: Option<(&'a Properties, &'a [String])>,
    pub(super) extra: Option<&'a AdditionalProperties>,
}

impl<'a> Composition<'a> {
    pub(super) fn of(schema: &'a Schema) -> Option<Self> {
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

/// One property of an object, with the pointer where it is written.
pub(super) struct Property<'a> {
    pub(super) name: String,
    pub(super) schema: &'a ReferenceOr<Box<Schema>>,
    pub(super) pointer: String,
}

pub(super) fn own_properties<'a>(properties: &'a Properties, pointer: &str) -> Vec<Property<'a>> {
    properties
        .iter()
        .map(|(name, schema)| Property {
            name: name.clone(),
            schema,
            pointer: format!("{pointer}/properties/{}", escape_pointer(name)),
        })
        .collect()
}

/// The properties of an object schema, by name.
pub(super) type Properties = indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>;
