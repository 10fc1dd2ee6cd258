//! Inline naming: the type names schemas get (component names first, inline schemas after
//! where they were found), collisions noted, and the variant names of string enums.

use super::context::SchemaCx;
use crate::error::Diagnostic;
use crate::load::escape_pointer;
use crate::model::{EnumVariant, Note, TypeDef, TypeKind, TypeName, TypeOrigin, TypeRef};
use crate::names::{self, NameScope};
use openapiv3::Schema;
use std::collections::BTreeSet;

impl<'s> SchemaCx<'s> {
    /// Gives every component schema its type name, before any schema is converted, so that
    /// components keep their names and references resolve whatever order they come in.
    pub(super) fn name_components(&mut self) {
        let names: Vec<String> = self
            .spec
            .openapi
            .components
            .iter()
            .flat_map(|c| c.schemas.keys().cloned())
            .collect();
        for name in names {
            let pointer = format!("/components/schemas/{}", escape_pointer(&name));
            if let Some(type_name) = self.claim_type_name(&name, &pointer) {
                self.component_names.insert(name, type_name);
            }
        }
    }

    /// The type name `raw` gets, unique among the spec's types: a collision is noted, and a
    /// name that cannot become a type is a problem.
    pub(super) fn claim_type_name(&mut self, raw: &str, pointer: &str) -> Option<TypeName> {
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

    /// Names and defines an inline schema whose kind is already known.
    pub(super) fn define_named(
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

    /// Defines an inline schema under the name it was given.
    pub(super) fn insert_inline(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_variants_are_unique_and_leave_unknown_free() {
        let values: Vec<String> = ["queued", "QUEUED", "queued", "Unknown", "inProgress"]
            .iter()
            .map(|v| v.to_string())
            .collect();
        let (variants, collisions) = enum_variants(&values);
        let read: Vec<(&str, &str)> = variants
            .iter()
            .map(|v| (v.value.as_str(), v.ident.as_str()))
            .collect();
        assert_eq!(
            read,
            [
                ("queued", "Queued"),
                ("QUEUED", "Queued2"),
                ("Unknown", "UnknownValue"),
                ("inProgress", "InProgress"),
            ]
        );
        assert_eq!(collisions.len(), 1);
    }

    #[test]
    fn inline_schemas_are_named_after_where_they_are() {
        let model = super::super::model_of(
            r#"
Job:
  type: object
  properties:
    state: {type: string, enum: [a, b]}
    options: {type: object, properties: {x: {type: string}}}
JobState: {type: string}
"#,
        );
        let names: Vec<&str> = model.types.keys().map(|n| n.as_str()).collect();
        assert_eq!(names, ["Job", "JobOptions", "JobState", "JobState2"]);
        let origin = |n: &str| model.types[&TypeName(n.into())].origin.clone();
        assert_eq!(origin("JobState"), TypeOrigin::Component("JobState".into()));
        assert_eq!(origin("JobState2"), TypeOrigin::Inline);
    }
}
