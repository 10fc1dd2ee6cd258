//! Media types: which are JSON, and which API version a versioned one names.

use crate::model::ApiVersion;

/// `application/vnd.atlas.2023-01-01+json` → `2023-01-01`; other media types carry no version.
pub fn media_type_version(media_type: &str) -> Option<ApiVersion> {
    let rest = media_type.strip_prefix("application/vnd.atlas.")?;
    let date = rest.split('+').next()?;
    let well_formed = date.len() == 10
        && date.chars().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    well_formed.then(|| ApiVersion(date.to_owned()))
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_come_from_atlas_media_types_only() {
        let version = |m: &str| media_type_version(m).map(|v| v.0);
        assert_eq!(
            version("application/vnd.atlas.2023-01-01+json").as_deref(),
            Some("2023-01-01")
        );
        assert_eq!(
            version("application/vnd.atlas.2024-11-13+gzip").as_deref(),
            Some("2024-11-13")
        );
        assert_eq!(version("application/json"), None);
        assert_eq!(version("application/vnd.atlas.latest+json"), None);
    }
}
