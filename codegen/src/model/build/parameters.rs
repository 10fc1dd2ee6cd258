//! Parameters: path-item and operation parameters merged, ordered and named, each with its
//! type, constraints and default.

use super::super::schema::SchemaRef;
use super::components::resolve_component;
use super::operation::OperationBuilder;
use crate::dialect::param_role;
use crate::model::Primitive;
use crate::model::{
    FieldName, Note, ParamLocation, Parameter, TypeDef, TypeKind, TypeName, TypeRef,
};
use crate::names::{self, NameScope};
use openapiv3::{ParameterSchemaOrContent, ReferenceOr};
use std::collections::BTreeMap;

impl OperationBuilder<'_, '_> {
    /// Path-item parameters overridden by operation parameters of the same name and location;
    /// path parameters in template order, then query and header parameters by wire name.
    pub(super) fn parameters(
        &mut self,
        path: &str,
        builder: &str,
        shared: &[ReferenceOr<openapiv3::Parameter>],
        own: &[ReferenceOr<openapiv3::Parameter>],
    ) -> Vec<Parameter> {
        let item_pointer = self
            .pointer
            .rsplit_once('/')
            .map(|(p, _)| p.to_owned())
            .unwrap_or_default();
        let spec = self.cx.spec;
        type Listed<'p> = (String, &'p openapiv3::Parameter, Option<String>);
        let mut merged: BTreeMap<(ParamLocation, String), Listed<'_>> = BTreeMap::new();
        let listed = shared
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("{item_pointer}/parameters/{i}"), p))
            .chain(
                own.iter()
                    .enumerate()
                    .map(|(i, p)| (format!("{}/parameters/{i}", self.pointer), p)),
            );
        for (pointer, listed) in listed {
            let Some(param) = resolve_component(spec, listed) else {
                continue;
            };
            // A parameter written once under `components` gets its types once too.
            let component = match listed {
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/parameters/")
                    .map(crate::load::unescape_pointer),
                ReferenceOr::Item(_) => None,
            };
            let location = match param {
                openapiv3::Parameter::Path { .. } => ParamLocation::Path,
                openapiv3::Parameter::Query { .. } => ParamLocation::Query,
                openapiv3::Parameter::Header { .. } => ParamLocation::Header,
                // Refused by validation.
                openapiv3::Parameter::Cookie { .. } => continue,
            };
            let name = param.parameter_data_ref().name.clone();
            merged.insert((location, name), (pointer, param, component));
        }

        let mut scope = NameScope::new();
        for name in crate::names::BUILDER_NAMES
            .iter()
            .chain(crate::names::PAGINATION_NAMES)
        {
            scope.reserve(name);
        }
        let mut out = Vec::new();
        let template = crate::validate::template_names(path);
        let mut ordered: Vec<_> = merged.into_iter().collect();
        ordered.sort_by_key(|((location, name), _)| {
            let place = template
                .iter()
                .position(|t| t == name)
                .unwrap_or(usize::MAX);
            (*location, place, name.clone())
        });
        for ((location, name), (pointer, param, component)) in ordered {
            let data = param.parameter_data_ref();
            let ident = match names::field_name(&name) {
                Ok(wanted) => {
                    let (given, collision) = scope.claim(&name, wanted);
                    if let Some(c) = collision {
                        let message = if c.first.is_empty() {
                            format!(
                                "parameter `{}` would be `{}`, which the request builder defines \
                                 itself; it is named `{}`",
                                c.second, c.wanted, c.given
                            )
                        } else {
                            format!(
                                "parameters `{}` and `{}` both become `{}`; the second is named `{}`",
                                c.first, c.second, c.wanted, c.given
                            )
                        };
                        self.cx.notes.push(Note {
                            pointer: pointer.clone(),
                            message,
                        });
                    }
                    given
                }
                Err(message) => {
                    self.problem(pointer, message);
                    continue;
                }
            };
            let ParameterSchemaOrContent::Schema(schema) = &data.format else {
                // Refused by validation.
                continue;
            };
            let schema_pointer = format!("{pointer}/schema");
            let shared = component
                .as_ref()
                .and_then(|c| self.cx.parameter_types.get(c))
                .cloned();
            let ty = match (shared, &component) {
                (Some(ty), _) => ty,
                (None, Some(component)) => {
                    // Named after the component, at the component's own place.
                    let hint = names::type_name(component).unwrap_or_default();
                    let at = format!(
                        "/components/parameters/{}/schema",
                        crate::load::escape_pointer(component)
                    );
                    let ty = self.cx.type_ref(SchemaRef::from(schema), &hint, &at);
                    self.cx
                        .parameter_types
                        .insert(component.clone(), ty.clone());
                    ty
                }
                (None, None) => {
                    let hint = format!("{builder}{}", names::type_name(&name).unwrap_or_default());
                    self.cx
                        .type_ref(SchemaRef::from(schema), &hint, &schema_pointer)
                }
            };
            // A URL or header has no null: a list's nullable items are sent as their values.
            let ty = match ty {
                TypeRef::Array(item) => match *item {
                    TypeRef::Nullable(inner) => TypeRef::Array(inner),
                    other => TypeRef::Array(Box::new(other)),
                },
                other => other,
            };
            let ty = if sendable(&ty, &self.cx.types) {
                ty
            } else {
                self.cx.notes.push(Note {
                    pointer: schema_pointer.clone(),
                    message: format!(
                        "parameter `{name}` holds objects or maps, which have no encoding in a \
                         URL or header here; generated as `serde_json::Value`, sent as JSON text"
                    ),
                });
                match ty {
                    TypeRef::Array(_) => TypeRef::Array(Box::new(TypeRef::Any)),
                    _ => TypeRef::Any,
                }
            };
            let resolved = self.cx.resolve_schema(schema);
            let constraints = resolved
                .map(|s| self.cx.parameter_constraints(s, &schema_pointer))
                .unwrap_or_default();
            let default = resolved.and_then(|s| s.schema_data.default.clone());
            let boolean_query =
                location == ParamLocation::Query && ty == TypeRef::Primitive(Primitive::Bool);
            let role = param_role(&name, boolean_query, self.atlas);
            out.push(Parameter {
                name,
                ident: FieldName(ident),
                location,
                required: data.required || location == ParamLocation::Path,
                ty,
                description: data.description.clone(),
                deprecated: data.deprecated.unwrap_or(false),
                constraints,
                default,
                role,
            });
        }
        out
    }
}

/// Whether a parameter of this type can be written into a URL or header: a primitive, an enum,
/// any JSON value (as JSON text), or a list of those (one value per item).
fn sendable(ty: &TypeRef, types: &BTreeMap<TypeName, TypeDef>) -> bool {
    fn single(ty: &TypeRef, types: &BTreeMap<TypeName, TypeDef>, depth: usize) -> bool {
        match ty {
            TypeRef::Primitive(_) | TypeRef::Any => true,
            TypeRef::Named(name) => match types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Enum(_)) => true,
                // A union of scalars (Oxide's `NameOrId`) is sent as the value it holds.
                Some(TypeKind::Untagged(union)) => {
                    depth < crate::validate::MAX_REF_HOPS
                        && union
                            .variants
                            .iter()
                            .all(|v| single(&v.ty, types, depth + 1))
                }
                // Alias chains are bounded by validation's reference limit.
                Some(TypeKind::Alias(target)) => {
                    depth < crate::validate::MAX_REF_HOPS && single(target, types, depth + 1)
                }
                _ => false,
            },
            TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Nullable(_) => false,
        }
    }
    match ty {
        TypeRef::Array(item) => single(item, types, 0),
        other => single(other, types, 0),
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{ParamLocation, ParamRole, TypeName, TypeRef};

    #[test]
    fn operation_parameters_override_shared_ones_and_come_in_order() {
        let model = super::super::model_of(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /groups/{groupId}/items/{itemId}:
    parameters:
      - {name: pretty, in: query, schema: {type: boolean}}
      - {name: itemId, in: path, required: true, schema: {type: string}}
      - {name: groupId, in: path, required: true, schema: {type: string}}
    get:
      operationId: getItem
      parameters:
        - {name: pretty, in: query, description: own, schema: {type: boolean}}
        - {name: Accept-Tag, in: header, schema: {type: string}}
        - {name: envelope, in: query, required: true, schema: {type: boolean}}
      responses: {'200': {description: ok}}
"#,
        );
        let params = &model.operations[0].params;
        let read: Vec<(ParamLocation, &str, &str, bool)> = params
            .iter()
            .map(|p| (p.location, p.name.as_str(), p.ident.as_str(), p.required))
            .collect();
        assert_eq!(
            read,
            [
                (ParamLocation::Path, "groupId", "group_id", true),
                (ParamLocation::Path, "itemId", "item_id", true),
                (ParamLocation::Query, "envelope", "envelope", true),
                (ParamLocation::Query, "pretty", "pretty", false),
                (ParamLocation::Header, "Accept-Tag", "accept_tag", false),
            ]
        );
        assert_eq!(params[3].description.as_deref(), Some("own"));
    }

    #[test]
    fn parameters_and_operations_are_named_around_what_the_generated_code_defines() {
        let model = super::super::model_of(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things:
    get:
      operationId: new
      parameters:
        - {name: client, in: query, schema: {type: string}}
        - {name: send, in: query, schema: {type: string}}
        - {name: pages, in: query, schema: {type: string}}
        - {name: request, in: query, schema: {type: string}}
      responses: {'200': {description: ok}}
    post:
      operationId: base_url
      responses: {'200': {description: ok}}
"#,
        );
        let op = |id: &str| model.operations.iter().find(|o| o.id.0 == id).unwrap();
        let idents: Vec<(&str, &str)> = op("new")
            .params
            .iter()
            .map(|p| (p.name.as_str(), p.ident.as_str()))
            .collect();
        assert_eq!(
            idents,
            [
                ("client", "client_2"),
                ("pages", "pages_2"),
                ("request", "request"),
                ("send", "send_2"),
            ]
        );
        assert_eq!(op("new").method_name.0, "new_2");
        assert_eq!(op("base_url").method_name.0, "base_url_2");
        let notes: Vec<&str> = model.notes.iter().map(|n| n.message.as_str()).collect();
        for expected in [
            "parameter `client` would be `client`, which the request builder defines itself; it \
             is named `client_2`",
            "operation `new` would be method `new`, which the generated `Client` defines itself; \
             it is named `new_2`",
        ] {
            assert!(notes.contains(&expected), "{notes:#?}");
        }
        assert_eq!(notes.len(), 5, "{notes:#?}");
    }

    #[test]
    fn parameters_of_objects_or_maps_are_json_values_with_a_note() {
        let model = super::super::model_of(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: filter, in: query, schema: {type: array, items: {type: object, properties: {a: {type: string}}}}}
        - {name: labels, in: query, schema: {type: object, additionalProperties: {type: string}}}
        - {name: kinds, in: query, schema: {type: array, items: {$ref: '#/components/schemas/Kind'}}}
        - {name: when, in: query, schema: {$ref: '#/components/schemas/When'}}
      responses: {'200': {description: ok}}
components:
  schemas:
    Kind: {type: string, enum: [a, b]}
    When: {$ref: '#/components/schemas/Kind'}
"#,
        );
        let types: Vec<(&str, &TypeRef)> = model.operations[0]
            .params
            .iter()
            .map(|p| (p.name.as_str(), &p.ty))
            .collect();
        let kind = TypeRef::Named(TypeName("Kind".into()));
        let when = TypeRef::Named(TypeName("When".into()));
        assert_eq!(
            types,
            [
                ("filter", &TypeRef::Array(Box::new(TypeRef::Any))),
                ("kinds", &TypeRef::Array(Box::new(kind))),
                ("labels", &TypeRef::Any),
                ("when", &when),
            ]
        );
        let noted: Vec<&str> = model.notes.iter().map(|n| n.pointer.as_str()).collect();
        assert_eq!(
            noted,
            [
                "/paths/~1things/get/parameters/0/schema",
                "/paths/~1things/get/parameters/1/schema"
            ]
        );
    }

    #[test]
    fn atlas_flags_get_their_role_in_an_atlas_spec_only() {
        let roles_under = |path: &str| {
            let model = super::super::model_of(&format!(
                r#"
openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  {path}:
    get:
      operationId: listThings
      parameters:
        - $ref: '#/components/parameters/envelope'
        - $ref: '#/components/parameters/pretty'
        - {{name: pretty, in: header, schema: {{type: boolean}}}}
        - {{name: itemsPerPage, in: query, schema: {{type: integer}}}}
      responses: {{'200': {{description: ok}}}}
components:
  parameters:
    envelope: {{name: envelope, in: query, schema: {{type: boolean, default: false}}}}
    pretty: {{name: pretty, in: query, schema: {{type: boolean, default: false}}}}
"#
            ));
            model.operations[0]
                .params
                .iter()
                .map(|p| (p.location, p.name.clone(), p.role))
                .collect::<Vec<_>>()
        };
        let atlas = [
            (
                ParamLocation::Query,
                "envelope".to_owned(),
                ParamRole::Envelope,
            ),
            (
                ParamLocation::Query,
                "itemsPerPage".to_owned(),
                ParamRole::Plain,
            ),
            (ParamLocation::Query, "pretty".to_owned(), ParamRole::Pretty),
            (ParamLocation::Header, "pretty".to_owned(), ParamRole::Plain),
        ];
        assert_eq!(roles_under("/api/atlas/v2/things"), atlas);
        // The same parameters in another API are plain.
        let other: Vec<_> = atlas
            .iter()
            .map(|(location, name, _)| (*location, name.clone(), ParamRole::Plain))
            .collect();
        assert_eq!(roles_under("/things"), other);
    }

    #[test]
    fn every_operation_of_the_curated_spec_knows_its_envelope() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(crate::project::SPEC_PATH);
        let spec = crate::load::load_file(&path).unwrap();
        let model = crate::model::build_model(&crate::validate::validate(&spec).unwrap()).unwrap();
        for op in &model.operations {
            for param in &op.params {
                let expected = match param.name.as_str() {
                    "envelope" => ParamRole::Envelope,
                    "pretty" => ParamRole::Pretty,
                    _ => ParamRole::Plain,
                };
                assert_eq!(param.role, expected, "{} {}", op.id, param.name);
            }
        }
        let enveloped = model
            .operations
            .iter()
            .filter(|op| op.params.iter().any(|p| p.role == ParamRole::Envelope))
            .count();
        assert!(enveloped > 0, "the curated spec uses `envelope`");
    }
}
