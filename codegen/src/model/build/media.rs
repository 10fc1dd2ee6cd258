//! Media types: which are JSON, which request bodies the client can encode, and how a version
//! goes into the names of inline types. Which API version a media type names is the dialect's
//! call ([`crate::dialect::media_type_version`]).

use crate::model::ApiVersion;

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
}

/// How a request body of `media_type` is encoded; `None` when the client cannot encode it.
pub(super) fn request_encoding(media_type: &str) -> Option<Encodable> {
    if is_json(media_type) {
        return Some(Encodable::Json);
    }
    match essence(media_type).as_str() {
        "application/x-www-form-urlencoded" => Some(Encodable::Form),
        _ => None,
    }
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
        assert_eq!(request_encoding("application/json"), Some(Encodable::Json));
        assert_eq!(
            request_encoding("application/vnd.atlas.2023-01-01+json"),
            Some(Encodable::Json)
        );
        assert_eq!(
            request_encoding("application/json-patch+json"),
            Some(Encodable::Json)
        );
        assert_eq!(
            request_encoding("Application/X-WWW-Form-Urlencoded; charset=utf-8"),
            Some(Encodable::Form)
        );
        assert_eq!(request_encoding("application/xml"), None);
    }
}
