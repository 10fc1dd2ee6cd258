//! Schemas with a `discriminator`: the subtypes its `mapping` (or its `oneOf` members) name
//! become the variants of a [`TaggedUnion`]. When that cannot be done exactly, the schema keeps
//! its plain conversion and a note says what is lost.

use super::context::{SchemaCx, COMPONENT_PREFIX};
use super::fixups::normalize;
use super::keywords::Composition;
use super::naming::enum_variants;
use super::shape::Shape;
use crate::load::{escape_pointer, unescape_pointer};
use crate::model::{Note, TaggedUnion, TypeName, TypeRef, UnionVariant};
use openapiv3::{Discriminator, ReferenceOr, Schema};

/// One subtype as the spec names it: its tag value and where it points.
struct Listed {
    tag: String,
    reference: String,
}

impl SchemaCx<'_> {
    /// The tagged union a schema with a `discriminator` becomes; `None` when it has none, or
    /// when its subtypes cannot all be typed (then with a note saying why).
    pub(super) fn tagged_union(&mut self, schema: &Schema, pointer: &str) -> Option<TaggedUnion> {
        let discriminator = schema.schema_data.discriminator.as_ref()?;
        let property = &discriminator.property_name;
        let result = listed_subtypes(schema, discriminator).and_then(|listed| {
            // Tags mapped to the schema itself are named together: there can be many.
            let own: Vec<String> = listed
                .iter()
                .filter(|l| l.reference.trim_start_matches('#') == pointer)
                .map(|l| format!("`{}`", l.tag))
                .collect();
            let mut problems: Vec<String> = Vec::new();
            match own.as_slice() {
                [] => {}
                [one] => problems.push(format!("{one} maps to the schema itself")),
                many => problems.push(format!("{} map to the schema itself", many.join(", "))),
            }
            let mut typed: Vec<(String, TypeName)> = Vec::new();
            for l in listed
                .iter()
                .filter(|l| l.reference.trim_start_matches('#') != pointer)
            {
                match self.subtype(l, property) {
                    Ok(name) => typed.push((l.tag.clone(), name)),
                    Err(problem) => problems.push(problem),
                }
            }
            if problems.is_empty() {
                Ok(typed)
            } else {
                Err(problems.join("; "))
            }
        });
        let typed = match result {
            Ok(typed) => typed,
            Err(reason) => {
                let kept = if alternatives(schema).is_empty() {
                    "decoded as a struct of its own properties, so properties only its subtypes have are dropped"
                } else {
                    "its alternatives are told apart by their shape instead"
                };
                self.notes.push(Note {
                    pointer: format!("{pointer}/discriminator"),
                    message: format!("discriminator `{property}` is not typed ({reason}): {kept}"),
                });
                return None;
            }
        };
        let tags: Vec<String> = typed.iter().map(|(tag, _)| tag.clone()).collect();
        let (idents, collisions) = enum_variants(&tags);
        for c in collisions {
            self.notes.push(Note {
                pointer: format!("{pointer}/discriminator/mapping"),
                message: c.describe("tags"),
            });
        }
        let variants = idents
            .into_iter()
            .map(|variant| {
                let (_, name) = typed
                    .iter()
                    .find(|(tag, _)| *tag == variant.value)
                    .expect("every variant comes from a listed tag");
                UnionVariant {
                    value: variant.value,
                    ident: variant.ident,
                    ty: TypeRef::Named(name.clone()),
                }
            })
            .collect();
        Some(TaggedUnion {
            property: property.clone(),
            variants,
        })
    }

    /// The type of a listed subtype (other than the schema itself), or why it cannot be a
    /// variant: it must be a component schema, an object with properties that include the tag,
    /// and not tagged itself.
    fn subtype(&self, listed: &Listed, property: &str) -> Result<TypeName, String> {
        let Listed { tag, reference } = listed;
        let found = self
            .component_type(reference)
            .zip(self.component_schema(reference));
        let Some((name, subtype)) = found else {
            return Err(format!(
                "`{tag}` maps to `{reference}`, not a component schema"
            ));
        };
        let subtype_pointer = reference.trim_start_matches('#');
        if subtype.schema_data.discriminator.is_some() {
            return Err(format!(
                "`{tag}` maps to `{reference}`, which has a discriminator of its own"
            ));
        }
        let (subtype, _) = normalize(subtype);
        match self.shape(&subtype, subtype_pointer) {
            Shape::Object { properties, .. } if properties.iter().any(|p| p.name == property) => {
                Ok(name.clone())
            }
            Shape::Object { .. } => Err(format!(
                "`{tag}` maps to `{reference}`, which has no property `{property}`"
            )),
            _ => Err(format!(
                "`{tag}` maps to `{reference}`, which is not an object with properties"
            )),
        }
    }
}

/// The `oneOf` (or `anyOf`) members of a schema.
fn alternatives(schema: &Schema) -> &[ReferenceOr<Schema>] {
    match Composition::of(schema) {
        Some(c) if !c.one_of.is_empty() => c.one_of,
        Some(c) => c.any_of,
        None => &[],
    }
}

/// The subtypes in spec order: the `mapping` entries, then the alternatives it does not name,
/// tagged with their schema name as OpenAPI says. A mapping value may be a reference or a bare
/// schema name.
fn listed_subtypes(schema: &Schema, discriminator: &Discriminator) -> Result<Vec<Listed>, String> {
    let mut listed: Vec<Listed> = discriminator
        .mapping
        .iter()
        .map(|(tag, target)| Listed {
            tag: tag.clone(),
            reference: if target.starts_with('#') {
                target.clone()
            } else {
                format!("{COMPONENT_PREFIX}{}", escape_pointer(target))
            },
        })
        .collect();
    for (index, member) in alternatives(schema).iter().enumerate() {
        let ReferenceOr::Reference { reference } = member else {
            return Err(format!(
                "alternative {index} is written inline and has no schema name to use as its tag"
            ));
        };
        if listed.iter().any(|l| l.reference == *reference) {
            continue;
        }
        let Some(name) = reference.strip_prefix(COMPONENT_PREFIX) else {
            return Err(format!(
                "alternative `{reference}` is not a component schema"
            ));
        };
        let tag = unescape_pointer(name);
        if listed.iter().any(|l| l.tag == tag) {
            return Err(format!("tag `{tag}` is listed twice"));
        }
        listed.push(Listed {
            tag,
            reference: reference.clone(),
        });
    }
    if listed.is_empty() {
        return Err("neither a `mapping` nor `oneOf` members name its subtypes".to_owned());
    }
    Ok(listed)
}
