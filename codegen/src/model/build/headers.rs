//! Values the client does not type: each documented response header with its required-ness,
//! and what a schema says of such a value (a header's, a body's that is not JSON). Nothing is
//! generated from them; the differ compares them.

use super::components::resolve_component;
use crate::load::LoadedSpec;
use crate::model::schema::constraints_of;
use crate::model::{ResponseHeader, ValueSchema};
use openapiv3::{ParameterSchemaOrContent, Response, Schema};

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
                value: schema.map(value_schema).unwrap_or_default(),
            }
        })
        .collect()
}

/// What a schema says of a value the client does not type: its `type` and `format` as
/// written and its `enum` values (read off its JSON form, so that every kind of schema, typed
/// or not, reads alike), and its constraints.
pub(super) fn value_schema(schema: &Schema) -> ValueSchema {
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
    ValueSchema {
        ty,
        enum_values: values,
        constraints: constraints_of(schema),
    }
}
