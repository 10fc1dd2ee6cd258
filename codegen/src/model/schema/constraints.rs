//! Constraints: the validation keywords of a schema that the client checks and the differ
//! compares.

use super::context::SchemaCx;
use super::fixups::normalize;
use crate::model::{Constraints, Note};
use openapiv3::{Schema, SchemaKind, Type};

impl<'s> SchemaCx<'s> {
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
            c.multiple_of = i.multiple_of.map(|v| v as f64);
        }
        SchemaKind::Type(Type::Number(n)) => {
            c.minimum = n.minimum;
            c.maximum = n.maximum;
            c.exclusive_minimum = n.exclusive_minimum;
            c.exclusive_maximum = n.exclusive_maximum;
            c.multiple_of = n.multiple_of;
        }
        SchemaKind::Type(Type::Array(a)) => {
            c.min_items = a.min_items;
            c.max_items = a.max_items;
            c.unique_items = a.unique_items;
        }
        SchemaKind::Type(Type::Object(o)) => {
            c.min_properties = o.min_properties;
            c.max_properties = o.max_properties;
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
            c.multiple_of = any.multiple_of;
            c.unique_items = any.unique_items.unwrap_or(false);
            c.min_properties = any.min_properties;
            c.max_properties = any.max_properties;
        }
        _ => {}
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_keep_the_keywords_of_the_declared_type() {
        let table: &[(&str, Constraints)] = &[
            (
                "{type: string, pattern: '^a$', minLength: 1, maxLength: 3}",
                Constraints {
                    pattern: Some("^a$".into()),
                    min_length: Some(1),
                    max_length: Some(3),
                    ..Constraints::default()
                },
            ),
            (
                "{type: integer, minimum: 1, maximum: 500, exclusiveMaximum: true}",
                Constraints {
                    minimum: Some(1.0),
                    maximum: Some(500.0),
                    exclusive_maximum: true,
                    ..Constraints::default()
                },
            ),
            (
                "{type: number, minimum: 0.5}",
                Constraints {
                    minimum: Some(0.5),
                    ..Constraints::default()
                },
            ),
            (
                "{type: array, items: {type: string}, minItems: 1, maxItems: 2, uniqueItems: true}",
                Constraints {
                    min_items: Some(1),
                    max_items: Some(2),
                    unique_items: true,
                    ..Constraints::default()
                },
            ),
            (
                "{type: number, multipleOf: 0.5}",
                Constraints {
                    multiple_of: Some(0.5),
                    ..Constraints::default()
                },
            ),
            (
                "{type: object, minProperties: 1, maxProperties: 4}",
                Constraints {
                    min_properties: Some(1),
                    max_properties: Some(4),
                    ..Constraints::default()
                },
            ),
            (
                "{type: integer, minimum: 1, pattern: x}",
                Constraints {
                    minimum: Some(1.0),
                    ..Constraints::default()
                },
            ),
            (
                "{minimum: 1, pattern: x}",
                Constraints {
                    minimum: Some(1.0),
                    pattern: Some("x".into()),
                    ..Constraints::default()
                },
            ),
            ("{type: boolean}", Constraints::default()),
        ];
        for (yaml, expected) in table {
            let schema: Schema = serde_yaml::from_str(yaml).unwrap();
            assert_eq!(&constraints_of(&schema), expected, "{yaml}");
        }
    }
}
