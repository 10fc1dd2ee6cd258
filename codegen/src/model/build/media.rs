//! Media types: which are JSON, which request bodies the client can encode, and how a version
//! goes into the names of inline types. Which API version a media type names is the dialect's
//! call ([`crate::dialect::media_type_version`]).

use super::components::resolve_component;
use crate::dialect::SUNSET_EXTENSION;
use crate::load::LoadedSpec;
use crate::model::schema::constraints_of;
use crate::model::{ApiVersion, BodyLimits};
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

/// The limits of a body's schema itself, and of its items when it is a list.
pub(super) fn body_limits(spec: &LoadedSpec, schema: Option<&ReferenceOr<Schema>>) -> BodyLimits {
    let Some(schema) = schema.and_then(|s| resolve_component(spec, s)) else {
        return BodyLimits::default();
    };
    let items = match &schema.schema_kind {
        SchemaKind::Type(Type::Array(array)) => {
            array.items.as_ref().and_then(|items| match items {
                ReferenceOr::Item(item) => Some(constraints_of(item)),
                ReferenceOr::Reference { reference } => {
                    let name = reference.strip_prefix("#/components/schemas/")?;
                    let item = spec.openapi.components.as_ref()?.schemas.get(name)?;
                    resolve_component(spec, item).map(constraints_of)
                }
            })
        }
        _ => None,
    };
    BodyLimits {
        root: constraints_of(schema),
        items: items.unwrap_or_default(),
    }
}

/// A media type's `x-sunset` as written: a string as it is, any other value as its JSON text,
/// so that a sunset the differ cannot read as a date is still seen (and reported as such).
pub(super) fn sunset(content: &openapiv3::MediaType) -> Option<String> {
    content
        .extensions
        .get(SUNSET_EXTENSION)
        .map(|value| match value {
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        })
}

/// The media type without its parameters (`; charset=utf-8`), in lower case.
fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

pub(super) fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence == "application/json" || essence.ends_with("+json")
}

/// The request body encodings the client knows, by media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Encodable {
    Json,
    Form,
    Multipart,
    /// Bytes sent as they are.
    Raw,
}

/// How a request body of `media_type` is encoded, `string_schema` saying whether its schema is
/// a string or absent; `None` when the client cannot encode it. A media type the client does
/// not write itself (XML, say) is sent only as bytes the caller gives, so only where the
/// schema says the body is a string.
pub(super) fn request_encoding(media_type: &str, string_schema: bool) -> Option<Encodable> {
    if is_json(media_type) {
        return Some(Encodable::Json);
    }
    match essence(media_type).as_str() {
        "application/x-www-form-urlencoded" => Some(Encodable::Form),
        "multipart/form-data" => Some(Encodable::Multipart),
        _ if string_schema => Some(Encodable::Raw),
        _ => None,
    }
}

/// How a request body's `content` entry in `media_type` is encoded ([`request_encoding`],
/// reading whether its schema is a string or absent).
pub(super) fn content_encoding(
    spec: &LoadedSpec,
    media_type: &str,
    content: &openapiv3::MediaType,
) -> Option<Encodable> {
    let string_schema = match &content.schema {
        None => true,
        Some(schema) => resolve_component(spec, schema)
            .is_some_and(|schema| matches!(schema.schema_kind, SchemaKind::Type(Type::String(_)))),
    };
    request_encoding(media_type, string_schema)
}

/// Whether a media type is a single concrete type (`image/png`), which can go in a
/// `Content-Type` header as it is, unlike a range (`image/*`) or a list.
pub(super) fn is_concrete(media_type: &str) -> bool {
    !media_type.contains(['*', ',']) && media_type.contains('/')
}

/// Inline types of an operation with several versions get the version in their name.
pub(super) fn version_suffix(version: Option<&ApiVersion>, count: usize) -> String {
    match version {
        Some(v) if count > 1 => v.0.replace('-', ""),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_are_read_by_their_essence() {
        assert_eq!(
            request_encoding("application/json", false),
            Some(Encodable::Json)
        );
        assert_eq!(
            request_encoding("application/vnd.atlas.2023-01-01+json", false),
            Some(Encodable::Json)
        );
        assert_eq!(
            request_encoding("application/json-patch+json", false),
            Some(Encodable::Json)
        );
        assert_eq!(
            request_encoding("Application/X-WWW-Form-Urlencoded; charset=utf-8", false),
            Some(Encodable::Form)
        );
        assert_eq!(
            request_encoding("multipart/form-data", false),
            Some(Encodable::Multipart)
        );
        assert_eq!(
            request_encoding("application/octet-stream", true),
            Some(Encodable::Raw)
        );
        assert_eq!(request_encoding("text/plain", true), Some(Encodable::Raw));
        // A JSON body stays JSON even when its schema is a string.
        assert_eq!(
            request_encoding("application/json", true),
            Some(Encodable::Json)
        );
        assert_eq!(request_encoding("application/xml", false), None);
        assert_eq!(request_encoding("application/octet-stream", false), None);
    }

    #[test]
    fn only_a_single_type_is_concrete() {
        assert!(is_concrete("image/png"));
        assert!(!is_concrete("image/*"));
        assert!(!is_concrete("image/png, image/jpeg"));
        assert!(!is_concrete("png"));
    }
}
