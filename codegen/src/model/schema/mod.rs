//! Schemas → types: turns `openapiv3` schemas into [`TypeRef`]s, defining a named [`TypeDef`]
//! for every component schema and for each inline object or enum that needs a name.
//!
//! A schema goes through the parts in this order: [`fixups`] (read it the way the spec meant
//! it), [`discriminator`] (a tagged union, if it has one), [`shape`] (what it is, `allOf`
//! members merged), then [`naming`] (a type name when it needs one) and [`fields`],
//! [`alternatives`] or [`anonymous`] (what it is made of). [`constraints`] carries its
//! validation keywords over.
//!
//! The files depend on each other in one direction only, which a workspace test checks:
//! [`keywords`] (where `openapiv3` put a schema's keywords) and [`fixups`] at the bottom,
//! [`context`] (the shared state and lookups) above them, the parts above that, and this file
//! on top. The recursion (a property's schema is a schema too) stays here: the parts that meet
//! a nested schema are handed [`SchemaCx::type_ref`] rather than call back up.

mod alternatives;
mod anonymous;
mod constraints;
mod context;
mod discriminator;
mod fields;
mod fixups;
mod keywords;
mod naming;
mod shape;

pub(crate) use constraints::constraints_of;
pub(crate) use context::{SchemaCx, SchemaRef};
pub use fixups::{Fixup, FixupLog};

use super::{Note, TypeDef, TypeKind, TypeName, TypeOrigin, TypeRef};
use crate::error::Diagnostic;
use crate::load::{escape_pointer, LoadedSpec};
use fixups::normalize;
use naming::enum_variants;
use openapiv3::{AdditionalProperties, Schema};
use shape::Shape;
use std::borrow::Cow;

/// The values of a schema's `type` in OpenAPI 3.0.
const SCHEMA_TYPES: &[&str] = &["array", "boolean", "integer", "number", "object", "string"];

impl<'s> SchemaCx<'s> {
    /// Names every component schema first, so references resolve whatever order they come in.
    pub fn new(spec: &'s LoadedSpec) -> Self {
        let mut cx = SchemaCx::empty(spec);
        cx.name_components();
        cx
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

    /// The type of a schema used somewhere; `hint` names it if it has to be defined inline.
    pub fn type_ref(&mut self, schema: SchemaRef<'_>, hint: &str, pointer: &str) -> TypeRef {
        match schema {
            SchemaRef::Ref(target) => self.reference(target, pointer),
            SchemaRef::Inline(schema) => self.inline(schema, hint, pointer),
        }
    }

    fn reference(&mut self, target: &str, pointer: &str) -> TypeRef {
        if let Some(type_name) = self.component_type(target) {
            return TypeRef::Named(type_name.clone());
        }
        if !is_schema_position(target) {
            self.problems.push(Diagnostic::new(
                &self.spec.file,
                format!("{pointer}/$ref"),
                format!(
                    "reference `{target}` does not point at a schema; a schema reference points \
                     into `#/components/schemas/...` or at the `schema` of a parameter, header \
                     or media type"
                ),
            ));
            return TypeRef::Any;
        }
        // A reference into the middle of a document: convert the target inline.
        let resolved = target
            .strip_prefix('#')
            .and_then(|p| crate::load::resolve(&self.spec.raw, p))
            .and_then(|v| serde_json::from_value::<Schema>(v.clone()).ok());
        match resolved {
            Some(_) if self.interior_in_progress.iter().any(|t| t == target) => {
                self.problems.push(Diagnostic::new(
                    &self.spec.file,
                    format!("{pointer}/$ref"),
                    format!(
                        "reference `{target}` reaches itself from inside the schema it points \
                         into; a recursive schema needs a name: move it to \
                         `#/components/schemas/` and refer to it there"
                    ),
                ));
                TypeRef::Any
            }
            Some(schema) => {
                let hint = target.rsplit('/').next().unwrap_or("Inline").to_owned();
                self.interior_in_progress.push(target.to_owned());
                let ty = self.inline(&schema, &hint, target.trim_start_matches('#'));
                self.interior_in_progress.pop();
                ty
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
        if !self.known_type(schema, pointer) {
            return TypeRef::Any;
        }
        let schema = self.normalized(schema, pointer);
        if let Some(union) = self.tagged_union(&schema, pointer) {
            return self.define_named(&schema, TypeKind::Union(union), hint, pointer);
        }
        match self.shape(&schema, pointer) {
            shape @ (Shape::Enum(_) | Shape::Object { .. } | Shape::Alternatives { .. }) => {
                self.define_inline(&schema, shape, hint, pointer)
            }
            Shape::Same(member, member_pointer) => self.type_ref(member, hint, &member_pointer),
            Shape::Untyped(reason) => self.untyped(reason, pointer),
            Shape::Anonymous => self.anonymous(&schema, hint, pointer, Self::type_ref),
        }
    }

    /// Whether the schema's `type` is one OpenAPI 3.0 defines; a misspelt one (`integr`) is a
    /// problem at the `type` key, since reading it as any JSON value would hide the mistake.
    fn known_type(&mut self, schema: &Schema, pointer: &str) -> bool {
        let openapiv3::SchemaKind::Any(any) = &schema.schema_kind else {
            return true;
        };
        let Some(typ) = any.typ.as_deref() else {
            return true;
        };
        if SCHEMA_TYPES.contains(&typ) {
            return true;
        }
        let listed: Vec<String> = SCHEMA_TYPES.iter().map(|t| format!("`{t}`")).collect();
        let mut problem = Diagnostic::new(
            &self.spec.file,
            format!("{pointer}/type"),
            format!(
                "unknown schema type `{typ}`; the types are {}",
                listed.join(", ")
            ),
        );
        problem.help =
            crate::names::nearest(typ, SCHEMA_TYPES).map(|t| format!("did you mean `{t}`?"));
        self.problems.push(problem);
        false
    }

    /// The schema read as its declared type (see [`normalize`]), with the fix-ups that applied
    /// counted and a note for the keywords set aside.
    fn normalized<'a>(&mut self, schema: &'a Schema, pointer: &str) -> Cow<'a, Schema> {
        let (schema, ignored) = normalize(schema);
        for fixup in ignored.fixups() {
            self.fixups.record(*fixup);
        }
        if let Some(message) = ignored.note() {
            self.notes.push(Note {
                pointer: pointer.to_owned(),
                message,
            });
        }
        schema
    }

    /// Names and defines an inline schema of the given shape.
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

    /// What a named schema becomes: a struct, an enum, or an alias of another type.
    fn kind_of(&mut self, name: &TypeName, schema: &Schema, pointer: &str) -> TypeKind {
        if !self.known_type(schema, pointer) {
            return TypeKind::Alias(TypeRef::Any);
        }
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
                if let openapiv3::SchemaKind::Type(openapiv3::Type::String(s)) = &schema.schema_kind
                {
                    if s.enumeration.contains(&None) {
                        self.notes.push(Note {
                            pointer: format!("{pointer}/enum"),
                            message: "`null` in `enum` is not a string and gets no variant; a \
                                      null value needs `nullable: true`"
                                .to_owned(),
                        });
                    }
                }
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
                TypeKind::Struct(self.fields(name, &properties, &required, Self::type_ref))
            }
            Shape::Same(member, member_pointer) => {
                TypeKind::Alias(self.type_ref(member, &name.0, &member_pointer))
            }
            Shape::Alternatives {
                keyword,
                members,
                pointer: members_pointer,
            } => self.alternatives_kind(name, keyword, members, &members_pointer, Self::type_ref),
            Shape::Untyped(reason) => TypeKind::Alias(self.untyped(reason, pointer)),
            Shape::Anonymous => {
                TypeKind::Alias(self.anonymous(schema, &name.0, pointer, Self::type_ref))
            }
        }
    }
}

/// Whether a local reference names a place where a schema is written: a component schema or
/// something inside one, or the `schema` of a parameter, header or media type (and inside it).
fn is_schema_position(target: &str) -> bool {
    let Some(pointer) = target.strip_prefix('#') else {
        return false;
    };
    let segments: Vec<&str> = pointer.split('/').skip(1).collect();
    matches!(segments.as_slice(), ["components", "schemas", _, ..]) || segments.contains(&"schema")
}

/// The model of a spec made of `components.schemas` only, for the parts' tests.
#[cfg(test)]
fn model_of(schemas_yaml: &str) -> crate::model::ApiModel {
    let indented: String = schemas_yaml
        .lines()
        .map(|line| format!("    {line}\n"))
        .collect();
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{indented}"
    );
    let spec = crate::load::load_text("s.yaml", text, crate::load::Format::Yaml).unwrap();
    crate::model::build_model(&crate::validate::validate(&spec).unwrap()).unwrap()
}

#[cfg(test)]
mod tests {
    use crate::error::CodegenError;

    /// The problems building the model of these component schemas finds: (pointer, message,
    /// help).
    fn problems_of(schemas_yaml: &str) -> Vec<(String, String, Option<String>)> {
        let indented: String = schemas_yaml
            .lines()
            .map(|line| format!("    {line}\n"))
            .collect();
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{indented}"
        );
        let spec = crate::load::load_text("s.yaml", text, crate::load::Format::Yaml).unwrap();
        match crate::model::build_model(&crate::validate::validate(&spec).unwrap()) {
            Ok(_) => Vec::new(),
            Err(CodegenError::Invalid(problems)) => problems
                .into_iter()
                .map(|p| (p.pointer, p.message, p.help))
                .collect(),
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn an_unknown_type_is_a_problem_at_its_key_with_the_nearest_type() {
        let problems = problems_of(
            "Thing:\n  type: object\n  properties:\n    count: {type: integr}\nOther: {type: strnig}\nFine: {type: integer}",
        );
        let types = "the types are `array`, `boolean`, `integer`, `number`, `object`, `string`";
        assert_eq!(
            problems,
            [
                (
                    "/components/schemas/Other/type".to_owned(),
                    format!("unknown schema type `strnig`; {types}"),
                    Some("did you mean `string`?".to_owned()),
                ),
                (
                    "/components/schemas/Thing/properties/count/type".to_owned(),
                    format!("unknown schema type `integr`; {types}"),
                    Some("did you mean `integer`?".to_owned()),
                ),
            ]
        );
    }

    #[test]
    fn a_reference_to_what_is_not_a_schema_is_a_problem() {
        let problems = problems_of(
            "Thing:\n  type: object\n  properties:\n    a: {$ref: '#/info'}\n    b: {$ref: '#'}\n    c: {$ref: '#/components/schemas/Thing/properties/d'}\n    d: {type: string}",
        );
        let read: Vec<&str> = problems.iter().map(|(p, _, _)| p.as_str()).collect();
        assert_eq!(
            read,
            [
                "/components/schemas/Thing/properties/a/$ref",
                "/components/schemas/Thing/properties/b/$ref"
            ]
        );
        assert!(
            problems[0]
                .1
                .starts_with("reference `#/info` does not point at a schema; a schema reference points into `#/components/schemas/...`"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_reference_into_a_schema_that_reaches_itself_is_a_problem() {
        let problems = problems_of(
            "Tree:\n  type: object\n  properties:\n    child:\n      type: object\n      properties:\n        next: {$ref: '#/components/schemas/Tree/properties/child'}\nForest:\n  type: array\n  items:\n    type: object\n    properties:\n      children: {type: array, items: {$ref: '#/components/schemas/Forest/items'}}",
        );
        let read: Vec<&str> = problems.iter().map(|(p, _, _)| p.as_str()).collect();
        assert_eq!(
            read,
            [
                "/components/schemas/Forest/items/properties/children/items/$ref",
                "/components/schemas/Tree/properties/child/properties/next/$ref"
            ]
        );
        assert!(problems[0].1.contains("reaches itself"), "{problems:?}");
    }

    #[test]
    fn null_in_a_string_enum_is_noted_and_an_enum_of_only_null_is_any_value() {
        let model = super::model_of(
            "Letters: {type: string, enum: [a, null]}\nNull: {type: string, enum: [null]}\nMixed: {enum: [a, 1, true]}",
        );
        let notes: Vec<(&str, &str)> = model
            .notes
            .iter()
            .map(|n| (n.pointer.as_str(), n.message.as_str()))
            .collect();
        assert_eq!(
            notes,
            [
                (
                    "/components/schemas/Letters/enum",
                    "`null` in `enum` is not a string and gets no variant; a null value needs \
                     `nullable: true`"
                ),
                (
                    "/components/schemas/Mixed",
                    "its `enum` has no `type` and values that are not strings (`1`, `true`): \
                     generated as `serde_json::Value`"
                ),
                (
                    "/components/schemas/Null",
                    "its `enum` lists no string, only `null`: generated as `serde_json::Value`"
                ),
            ]
        );
        let kind = |name: &str| &model.types[&crate::model::TypeName(name.to_owned())].kind;
        assert!(matches!(
            kind("Null"),
            crate::model::TypeKind::Alias(crate::model::TypeRef::Any)
        ));
        let crate::model::TypeKind::Enum(variants) = kind("Letters") else {
            panic!("`Letters` is not an enum");
        };
        assert_eq!(variants.len(), 1);
    }
}
