//! Schemas with a `discriminator`: the subtypes its `mapping` (or its `oneOf` members) name
//! become the variants of a [`TaggedUnion`]. When that cannot be done exactly, the schema keeps
//! its plain conversion and a note says what is lost.

use super::composition::Shape;
use super::keywords::Composition;
use super::{enum_variants, normalize, SchemaCx, COMPONENT_PREFIX};
use crate::load::{escape_pointer, unescape_pointer};
use crate::model::{Note, TaggedUnion, UnionVariant};
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
            problems.extend(
                listed
                    .iter()
                    .filter(|l| l.reference.trim_start_matches('#') != pointer)
                    .filter_map(|l| self.subtype_problem(l, property).err()),
            );
            if problems.is_empty() {
                Ok(listed)
            } else {
                Err(problems.join("; "))
            }
        });
        let listed = match result {
            Ok(listed) => listed,
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
        let tags: Vec<String> = listed.iter().map(|l| l.tag.clone()).collect();
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
                let reference = &listed
                    .iter()
                    .find(|l| l.tag == variant.value)
                    .expect("every variant comes from a listed tag")
                    .reference;
                UnionVariant {
                    value: variant.value,
                    ident: variant.ident,
                    ty: self.reference(reference, pointer),
                }
            })
            .collect();
        Some(TaggedUnion {
            property: property.clone(),
            variants,
        })
    }

    /// Why a listed subtype (other than the schema itself) cannot be a variant, if it cannot:
    /// it must be a component schema, an object with properties that include the tag, and not tagged itself.
    fn subtype_problem(&self, listed: &Listed, property: &str) -> Result<(), String> {
        let Listed { tag, reference } = listed;
        let known = reference
            .strip_prefix(COMPONENT_PREFIX)
            .is_some_and(|name| self.component_names.contains_key(&unescape_pointer(name)));
        let Some(subtype) = known.then(|| self.component_schema(reference)).flatten() else {
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
                Ok(())
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
