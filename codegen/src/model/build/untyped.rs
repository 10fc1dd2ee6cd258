//! Values the client does not type: each documented response header with its required-ness,
//! and what a schema says of such a value (a header's, a body's that is not JSON, a request
//! body's the client cannot encode). Nothing is generated from them; the differ compares them.

use super::components::{resolve_boxed, resolve_component};
use super::media::content_encoding;
use super::operation::OperationBuilder;
use crate::dialect::media_type_version;
use crate::load::LoadedSpec;
use crate::model::schema::constraints_of;
use crate::model::{ApiVersion, ResponseHeader, UntypedRequestContent, ValueProperty, ValueSchema};
use openapiv3::{ParameterSchemaOrContent, ReferenceOr, Response, Schema, SchemaKind, Type};

/// How deep a value's properties and items are read: a recursive schema (a tree of nodes)
/// stops there.
const MAX_DEPTH: usize = 8;

pub(super) fn response_headers(spec: &LoadedSpec, response: &Response) -> Vec<ResponseHeader> {
    response
        .headers
        .iter()
        .map(|(name, header)| {
            let header = resolve_component(spec, header);
            let schema = header.and_then(|header| match &header.format {
                ParameterSchemaOrContent::Schema(schema) => resolve_component(spec, schema),
                // A header typed by `content` has one media type; its schema is the value's.
                ParameterSchemaOrContent::Content(content) => content
                    .values()
                    .next()
                    .and_then(|media| media.schema.as_ref())
                    .and_then(|schema| resolve_component(spec, schema)),
            });
            ResponseHeader {
                name: name.clone(),
                required: header.is_some_and(|header| header.required),
                value: schema
                    .map(|schema| value_schema(spec, schema))
                    .unwrap_or_default(),
            }
        })
        .collect()
}

impl OperationBuilder<'_, '_> {
    /// The request bodies in media types the client cannot encode, which `request_body`
    /// leaves out (with a note).
    pub(super) fn untyped_request_bodies(
        &self,
        op: &openapiv3::Operation,
    ) -> Vec<UntypedRequestContent> {
        let spec = self.cx.spec;
        let Some(body) = op
            .request_body
            .as_ref()
            .and_then(|body| resolve_component(spec, body))
        else {
            return Vec::new();
        };
        body.content
            .iter()
            .filter_map(|(media_type, content)| {
                if content_encoding(spec, media_type, content).is_some() {
                    return None;
                }
                let schema = content
                    .schema
                    .as_ref()
                    .and_then(|schema| resolve_component(spec, schema));
                Some(UntypedRequestContent {
                    media_type: media_type.clone(),
                    version: media_type_version(media_type).map(|d| ApiVersion(d.to_owned())),
                    required: body.required,
                    value: schema
                        .map(|schema| value_schema(spec, schema))
                        .unwrap_or_default(),
                })
            })
            .collect()
    }
}

/// What a schema says of a value the client does not type: its `type` and `format` as
/// written and its `enum` values (read off its JSON form, so that every kind of schema, typed
/// or not, reads alike), its constraints, and the same of its properties and items.
pub(super) fn value_schema(spec: &LoadedSpec, schema: &Schema) -> ValueSchema {
    value_schema_to(spec, schema, MAX_DEPTH)
}

fn value_schema_to(spec: &LoadedSpec, schema: &Schema, depth: usize) -> ValueSchema {
    let Ok(json) = serde_json::to_value(schema) else {
        return ValueSchema::default();
    };
    let ty = json["type"]
        .as_str()
        .map(|ty| match json["format"].as_str() {
            Some(format) => format!("{ty} ({format})"),
            None => ty.to_owned(),
        });
    let values = json["enum"]
        .as_array()
        .map(|values| {
            values
                .iter()
                .filter(|value| !value.is_null())
                .map(|value| match value {
                    serde_json::Value::String(text) => text.clone(),
                    other => other.to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut value = ValueSchema {
        ty,
        enum_values: values,
        constraints: constraints_of(schema),
        properties: Vec::new(),
        items: None,
    };
    if depth > 0 {
        structure(spec, schema, depth - 1, &mut value);
    }
    value
}

/// Adds the properties and items `schema` declares, its `allOf` parts' included, to `value`.
fn structure(spec: &LoadedSpec, schema: &Schema, depth: usize, value: &mut ValueSchema) {
    let mut add_properties = |properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
                              required: &[String]| {
        for (name, property) in properties {
            let Some(property) = resolve_boxed(spec, property) else {
                continue;
            };
            let property = ValueProperty {
                name: name.clone(),
                required: required.contains(name),
                value: value_schema_to(spec, property, depth),
            };
            match value.properties.iter_mut().find(|p| p.name == *name) {
                Some(declared) => declared.required |= property.required,
                None => value.properties.push(property),
            }
        }
        // An `allOf` part may require a property another part declares.
        for name in required {
            if let Some(declared) = value.properties.iter_mut().find(|p| p.name == *name) {
                declared.required = true;
            }
        }
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            add_properties(&object.properties, &object.required)
        }
        SchemaKind::Any(any) => add_properties(&any.properties, &any.required),
        _ => {}
    }
    let items = match &schema.schema_kind {
        SchemaKind::Type(Type::Array(array)) => array.items.as_ref(),
        SchemaKind::Any(any) => any.items.as_ref(),
        _ => None,
    };
    if let Some(items) = items.and_then(|items| resolve_boxed(spec, items)) {
        value.items = Some(Box::new(value_schema_to(spec, items, depth)));
    }
    if let SchemaKind::AllOf { all_of } = &schema.schema_kind {
        for part in all_of {
            if let Some(part) = resolve_component(spec, part) {
                structure(spec, part, depth, value);
            }
        }
    }
}
