//! Shape: what a schema's keywords make of it ([`Shape`]) before it gets a name: an enum, an
//! object (`allOf` members merged into one), the lone member of a composition, alternatives, or
//! a type that needs no definition.

use super::context::{SchemaCx, SchemaRef};
use super::keywords::{own_properties, Composition, Properties, Property};
use crate::model::UnionKeyword;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

impl<'s> SchemaCx<'s> {
    /// What a (normalized) schema becomes, before any name is given.
    pub(super) fn shape<'a>(&self, schema: &'a Schema, pointer: &str) -> Shape<'a>
    where
        's: 'a,
    {
        if let Some(composition) = Composition::of(schema) {
            return self.composed_shape(schema, &composition, pointer);
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
                if values.is_empty() {
                    // An enum of nothing but `Unknown` would read every value as unknown.
                    Shape::Untyped("its `enum` lists no string, only `null`".to_owned())
                } else {
                    Shape::Enum(values)
                }
            }
            // An open list of values: typed like an enum, whose `Unknown` arm is then expected.
            SchemaKind::Type(Type::String(_)) if extensible_enum(schema).is_some() => {
                Shape::Enum(extensible_enum(schema).unwrap_or_default())
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
            // Values of several JSON types have no one Rust type; said, not guessed.
            SchemaKind::Any(any) if any.typ.is_none() && !any.enumeration.is_empty() => {
                let others: Vec<String> = any
                    .enumeration
                    .iter()
                    .filter(|v| !v.is_string())
                    .map(|v| format!("`{v}`"))
                    .collect();
                Shape::Untyped(format!(
                    "its `enum` has no `type` and values that are not strings ({})",
                    others.join(", ")
                ))
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
            if !composition.one_of.is_empty() && !composition.any_of.is_empty() {
                return Shape::Untyped(format!(
                    "`oneOf` of {} schemas and `anyOf` of {} schemas together",
                    composition.one_of.len(),
                    composition.any_of.len()
                ));
            }
            if !composition.all_of.is_empty() {
                return Shape::Untyped(format!(
                    "`{keyword}` of {} schemas beside `allOf`",
                    members.len()
                ));
            }
            return Shape::Alternatives {
                keyword: if composition.one_of.is_empty() {
                    UnionKeyword::AnyOf
                } else {
                    UnionKeyword::OneOf
                },
                members,
                pointer: format!("{pointer}/{keyword}"),
            };
        }
        // A lone `allOf` member is the schema itself, unless it is a union base listing this
        // schema as one of its subtypes: then this schema is that subtype, an object with the
        // base's properties (reading it as the base would make the base contain itself).
        let lone_member_is_base = composition.all_of.first().is_some_and(|member| {
            let member = match member {
                ReferenceOr::Item(member) => Some(member),
                ReferenceOr::Reference { reference } => self.component_schema(reference),
            };
            member.is_some_and(|member| is_union_base_of(member, pointer))
        });
        if composition.all_of.len() == 1
            && !has_own
            && composition.extra.is_none()
            && !lone_member_is_base
        {
            return Shape::Same(
                (&composition.all_of[0]).into(),
                format!("{pointer}/allOf/0"),
            );
        }
        let mut merged = Merged::default();
        if let Err(reason) = self.merge_all_of(schema, pointer, pointer, &mut merged, 0) {
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
        root: &str,
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
                let alternatives = !composition.one_of.is_empty() || !composition.any_of.is_empty();
                // A polymorphic base (`Base: {oneOf: [Sub, ...], properties: ...}` with
                // `Sub: {allOf: [Base, ...]}`): a subtype takes the base's own properties, and the
                // alternatives, which are the subtypes themselves, are the base's business.
                let base_of_root = alternatives && depth > 0 && is_union_base_of(schema, root);
                if composition.not || (alternatives && !base_of_root) {
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
                    self.merge_all_of(member, root, &member_pointer, merged, depth + 1)?;
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
}

/// A schema's shape once the keywords that decide it are read.
pub(super) enum Shape<'a> {
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
    /// Several `oneOf` or `anyOf` members and no discriminator that could be typed: a union
    /// decided by each value's shape (or, when every member is a string, one string enum).
    Alternatives {
        keyword: UnionKeyword,
        members: &'a [ReferenceOr<Schema>],
        /// Pointer of the `oneOf`/`anyOf` array.
        pointer: String,
    },
    /// Composition the generator cannot type exactly; the reason goes into a note.
    Untyped(String),
    /// Primitives, arrays, maps and free-form values.
    Anonymous,
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

/// Whether `schema` is a union base that names the schema at `root` among its alternatives or in
/// its discriminator's mapping, or has a discriminator at all (whose subtypes, by OpenAPI's rule,
/// are the schemas that extend it with `allOf`).
fn is_union_base_of(schema: &Schema, root: &str) -> bool {
    if schema.schema_data.discriminator.is_some() {
        return true;
    }
    let root_reference = format!("#{root}");
    Composition::of(schema).is_some_and(|c| {
        c.one_of.iter().chain(c.any_of).any(
            |m| matches!(m, ReferenceOr::Reference { reference } if *reference == root_reference),
        )
    })
}

/// The values of a string schema's `x-extensible-enum`: the values known today of a list the
/// API may extend, which a closed `enum` would wrongly promise is complete.
fn extensible_enum(schema: &Schema) -> Option<Vec<String>> {
    let values = schema
        .schema_data
        .extensions
        .get(crate::dialect::EXTENSIBLE_ENUM_EXTENSION)?
        .as_array()?;
    let values: Vec<String> = values
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    (!values.is_empty()).then_some(values)
}

#[cfg(test)]
mod tests {
    use crate::model::{TypeKind, TypeName, TypeRef};

    fn kind(model: &crate::model::ApiModel, name: &str) -> TypeKind {
        model.types[&TypeName(name.to_owned())].kind.clone()
    }

    #[test]
    fn all_of_members_merge_first_definition_kept() {
        let model = super::super::model_of(
            r#"
Base:
  type: object
  required: [id]
  properties: {id: {type: string}, name: {type: string}}
Derived:
  allOf:
    - $ref: '#/components/schemas/Base'
    - type: object
      required: [size]
      properties: {name: {type: integer}, size: {type: integer}}
"#,
        );
        let TypeKind::Struct(fields) = kind(&model, "Derived") else {
            panic!("not a struct");
        };
        let read: Vec<(&str, bool, &TypeRef)> = fields
            .iter()
            .map(|f| (f.name.as_str(), f.required, &f.ty))
            .collect();
        let string = TypeRef::Primitive(crate::model::Primitive::String);
        let int = TypeRef::Primitive(crate::model::Primitive::I64);
        assert_eq!(
            read,
            [
                ("id", true, &string),
                ("name", false, &string),
                ("size", true, &int)
            ]
        );
    }

    #[test]
    fn lone_members_are_the_member_and_alternatives_are_a_union_by_shape() {
        let model = super::super::model_of(
            r#"
A: {type: object, properties: {a: {type: string}}}
B: {type: object, properties: {b: {type: string}}}
OnlyA: {oneOf: [{$ref: '#/components/schemas/A'}]}
AllA: {allOf: [{$ref: '#/components/schemas/A'}]}
AOrB: {oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]}
NotA: {not: {$ref: '#/components/schemas/A'}}
"#,
        );
        let a = TypeKind::Alias(TypeRef::Named(TypeName("A".into())));
        assert_eq!(kind(&model, "OnlyA"), a);
        assert_eq!(kind(&model, "AllA"), a);
        let TypeKind::Untagged(union) = kind(&model, "AOrB") else {
            panic!("not a union: {:?}", kind(&model, "AOrB"));
        };
        let variants: Vec<(&str, &TypeRef)> = union
            .variants
            .iter()
            .map(|v| (v.ident.as_str(), &v.ty))
            .collect();
        let named = |n: &str| TypeRef::Named(TypeName(n.into()));
        assert_eq!(variants, [("A", &named("A")), ("B", &named("B"))]);
        assert_eq!(kind(&model, "NotA"), TypeKind::Alias(TypeRef::Any));
        let notes: Vec<&str> = model.notes.iter().map(|n| n.message.as_str()).collect();
        assert_eq!(notes, ["`not` schema: generated as `serde_json::Value`"]);
        assert_eq!(model.untyped, ["/components/schemas/NotA"]);
    }

    #[test]
    fn a_subtype_extending_its_union_base_takes_the_base_properties() {
        let model = super::super::model_of(
            r#"
Base:
  type: object
  required: [kind]
  properties: {kind: {type: string}, id: {type: string}}
  discriminator: {propertyName: kind}
  oneOf: [{$ref: '#/components/schemas/Big'}, {$ref: '#/components/schemas/Small'}]
Big:
  allOf:
    - $ref: '#/components/schemas/Base'
    - {type: object, properties: {size: {type: integer}}}
Small:
  allOf: [{$ref: '#/components/schemas/Base'}]
Unrelated:
  allOf:
    - {oneOf: [{type: string}, {type: integer}]}
    - {type: object, properties: {x: {type: string}}}
"#,
        );
        let field_names = |name: &str| match kind(&model, name) {
            TypeKind::Struct(fields) => fields.into_iter().map(|f| f.name).collect::<Vec<_>>(),
            other => panic!("{name} is not a struct: {other:?}"),
        };
        assert_eq!(field_names("Big"), ["id", "kind", "size"]);
        // Not an alias of the base, which would make the base contain itself.
        assert_eq!(field_names("Small"), ["id", "kind"]);
        let TypeKind::Union(union) = kind(&model, "Base") else {
            panic!("Base is not a tagged union");
        };
        let tags: Vec<&str> = union.variants.iter().map(|v| v.value.as_str()).collect();
        assert_eq!(tags, ["Big", "Small"]);
        // An `allOf` member that is a union of something else is still not merged.
        assert_eq!(kind(&model, "Unrelated"), TypeKind::Alias(TypeRef::Any));
    }

    #[test]
    fn an_all_of_member_that_is_not_an_object_is_untyped() {
        let model = super::super::model_of(
            r#"
Mixed: {allOf: [{type: object, properties: {a: {type: string}}}, {type: string}]}
"#,
        );
        assert_eq!(kind(&model, "Mixed"), TypeKind::Alias(TypeRef::Any));
        assert_eq!(
            model.notes[0].message,
            "`allOf` member #/components/schemas/Mixed/allOf/1 is not an object: generated as `serde_json::Value`"
        );
    }

    #[test]
    fn an_extensible_enum_is_an_enum_and_an_empty_one_a_string() {
        let model = super::super::model_of(
            r#"
Code:
  type: string
  x-extensible-enum: [NOT_FOUND, RATE_LIMITED]
NoValues:
  type: string
  x-extensible-enum: []
"#,
        );
        let TypeKind::Enum(variants) = kind(&model, "Code") else {
            panic!("not an enum: {:?}", kind(&model, "Code"));
        };
        let wire: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
        assert_eq!(wire, ["NOT_FOUND", "RATE_LIMITED"]);
        assert!(!matches!(kind(&model, "NoValues"), TypeKind::Enum(_)));
    }
}
