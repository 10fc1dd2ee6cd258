//! Fields: the properties of an object schema become struct fields, named without
//! collisions, with what the wire format says about each (required, nullable, read-only).

use super::constraints::constraints_of;
use super::context::{SchemaCx, TypeOf};
use super::keywords::Property;
use crate::error::Diagnostic;
use crate::model::{Constraints, Field, FieldName, Note, TypeName};
use crate::names::{self, NameScope};
use openapiv3::ReferenceOr;

impl<'s> SchemaCx<'s> {
    /// The fields of the object type `owner`, each property's schema typed by `type_of`.
    pub(super) fn fields(
        &mut self,
        owner: &TypeName,
        properties: &[Property<'_>],
        required: &[String],
        type_of: TypeOf<'s>,
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
            let ty = type_of(self, schema.into(), &hint, field_pointer);
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
            let read_only = data.is_some_and(|d| d.read_only);
            fields.push(Field {
                name: wire.clone(),
                ident: FieldName(ident),
                ty,
                // A write-only property is never in a response, so it cannot be required when
                // decoding one.
                required: required.contains(wire) && !write_only,
                // A read-only property is never sent, so a caller building a request body
                // cannot be asked for it.
                sent_required: required.contains(wire) && !read_only,
                nullable,
                read_only,
                write_only,
                sensitive: crate::model::sensitive::is_sensitive(
                    wire,
                    match schema {
                        ReferenceOr::Item(s) => Some(s),
                        ReferenceOr::Reference { reference } => self.component_schema(reference),
                    },
                ),
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
}

#[cfg(test)]
mod tests {
    use crate::model::{TypeKind, TypeName};

    #[test]
    fn fields_say_what_the_wire_format_does() {
        let model = super::super::model_of(
            r#"
Maybe: {type: string, nullable: true}
Thing:
  type: object
  required: [secret, maybe, id]
  properties:
    id: {type: string, readOnly: true}
    secret: {type: string, writeOnly: true}
    maybe: {$ref: '#/components/schemas/Maybe'}
    type: {type: string, deprecated: true}
    Type: {type: string}
"#,
        );
        let TypeKind::Struct(fields) = &model.types[&TypeName("Thing".into())].kind else {
            panic!("not a struct");
        };
        // Properties come in name order. (wire name, ident, required, nullable, read-only,
        // write-only, deprecated)
        let read: Vec<_> = fields
            .iter()
            .map(|f| {
                (
                    f.name.as_str(),
                    f.ident.as_str(),
                    f.required,
                    f.nullable,
                    f.read_only,
                    f.write_only,
                    f.deprecated,
                )
            })
            .collect();
        assert_eq!(
            read,
            [
                ("Type", "r#type", false, false, false, false, false),
                ("id", "id", true, false, true, false, false),
                ("maybe", "maybe", true, true, false, false, false),
                ("secret", "secret", false, false, false, true, false),
                ("type", "type_2", false, false, false, false, true),
            ]
        );
        assert!(model
            .notes
            .iter()
            .any(|n| n.pointer == "/components/schemas/Thing/properties/type"));
    }
}
