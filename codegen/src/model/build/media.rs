//! Media types: which are JSON, and how a version goes into the names of inline types. Which
//! API version a media type names is the dialect's call ([`crate::dialect::media_type_version`]).

use crate::model::ApiVersion;

pub(super) fn is_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type.ends_with("+json")
}

/// Inline types of an operation with several versions get the version in their name.
pub(super) fn version_suffix(version: Option<&ApiVersion>, count: usize) -> String {
    match version {
        Some(v) if count > 1 => v.0.replace('-', ""),
        _ => String::new(),
    }
}
