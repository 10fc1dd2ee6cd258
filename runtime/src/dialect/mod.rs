//! The Atlas dialect: every convention the runtime follows because the server is MongoDB Atlas
//! rather than any HTTP API, each with its reason. Another API's client can see here what it
//! would have to differ in. Nothing here depends on another runtime module.

pub(crate) mod envelope;

/// Where a service account exchanges its id and secret for access tokens, below the base URL.
/// Atlas serves the OAuth 2.0 token endpoint on the same host as the API.
pub const TOKEN_PATH: &str = "/api/oauth/token";

/// The prefix of the variables Atlas's clients read credentials from (`MONGODB_ATLAS_CLIENT_ID`,
/// ...): the Atlas CLI and Atlas's other SDKs read the same variables. A client of another API
/// reads variables named after that API instead.
pub const ATLAS_ENV_PREFIX: &str = "MONGODB_ATLAS";

/// Client id of an Atlas service account (OAuth 2.0 client credentials); the Atlas CLI and
/// Atlas's other SDKs read the same variables.
pub const ENV_CLIENT_ID: &str = "MONGODB_ATLAS_CLIENT_ID";
/// Client secret of an Atlas service account.
pub const ENV_CLIENT_SECRET: &str = "MONGODB_ATLAS_CLIENT_SECRET";
/// Public key of an Atlas programmatic API key (the HTTP Digest user name).
pub const ENV_PUBLIC_API_KEY: &str = "MONGODB_ATLAS_PUBLIC_API_KEY";
/// Private key of an Atlas programmatic API key (the HTTP Digest password).
pub const ENV_PRIVATE_API_KEY: &str = "MONGODB_ATLAS_PRIVATE_API_KEY";

/// Atlas names a resource version in the media type: `application/vnd.atlas.2023-01-01+json`.
const VERSIONED_MEDIA_PREFIX: &str = "application/vnd.atlas.";

/// The resource version a `Content-Type` names, if it is a versioned Atlas media type.
pub(crate) fn media_type_version(content_type: &str) -> Option<&str> {
    let rest = content_type.strip_prefix(VERSIONED_MEDIA_PREFIX)?;
    let version = rest.split(['+', ';']).next()?;
    is_api_version(version).then_some(version)
}

/// Atlas's preview version: changes that may still change. With upcoming versions
/// (`YYYY-MM-DD.upcoming`, the version of that date before its release) it is taken only by a
/// client pinned to it. Each sorts after the released versions it follows
/// (`2025-01-01` < `2025-01-01.upcoming` < `2025-02-01` < `preview`), as MongoDB's tools order
/// them, which is their order as text.
pub(crate) const PREVIEW_VERSION: &str = "preview";
/// The suffix of an upcoming version.
pub(crate) const UPCOMING_SUFFIX: &str = ".upcoming";

/// Atlas's resource version grammar: a date `YYYY-MM-DD`, an upcoming `YYYY-MM-DD.upcoming`,
/// or `preview`.
pub(crate) fn is_api_version(text: &str) -> bool {
    text == PREVIEW_VERSION || is_version_date(text.strip_suffix(UPCOMING_SUFFIX).unwrap_or(text))
}

/// Whether a version is one a client takes only when pinned to it (see [`PREVIEW_VERSION`]).
pub(crate) fn is_unreleased(version: &str) -> bool {
    version == PREVIEW_VERSION || version.ends_with(UPCOMING_SUFFIX)
}

/// `YYYY-MM-DD`, the shape of Atlas's released resource versions.
pub(crate) fn is_version_date(text: &str) -> bool {
    text.len() == 10 && chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

/// The query parameter that asks Atlas to wrap every answer in a 200 with the real status in
/// the body (see [`envelope`]); the runtime must then unwrap the answer before reading it.
pub(crate) const ENVELOPE_PARAM: &str = "envelope";

/// The query parameter that asks Atlas to indent its JSON; it changes no meaning.
pub(crate) const PRETTY_PARAM: &str = "pretty";

/// The query parameter of a list operation that names the page, counting from 1.
pub const PAGE_NUM_PARAM: &str = "pageNum";
/// The query parameter of a list operation that sets the page size.
pub const ITEMS_PER_PAGE_PARAM: &str = "itemsPerPage";
/// The field of a page that holds its items.
pub const RESULTS_FIELD: &str = "results";
/// The field of a page that counts the items of all pages.
pub const TOTAL_COUNT_FIELD: &str = "totalCount";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_come_from_versioned_media_types_only() {
        assert_eq!(
            media_type_version("application/vnd.atlas.2024-11-13+json"),
            Some("2024-11-13")
        );
        assert_eq!(
            media_type_version("application/vnd.atlas.2024-11-13+json;charset=utf-8"),
            Some("2024-11-13")
        );
        assert_eq!(media_type_version("application/json"), None);
        assert_eq!(
            media_type_version("application/vnd.atlas.latest+json"),
            None
        );
        assert_eq!(media_type_version("application/vnd.atlas.2024-13"), None);
    }

    #[test]
    fn the_version_grammar_has_dates_upcoming_dates_and_preview() {
        for (text, version, unreleased) in [
            ("2023-01-01", true, false),
            ("2025-03-12.upcoming", true, true),
            ("preview", true, true),
            ("2025-13-12.upcoming", false, false),
            ("latest", false, false),
            ("2023-01-01.beta", false, false),
        ] {
            assert_eq!(is_api_version(text), version, "{text}");
            if version {
                assert_eq!(is_unreleased(text), unreleased, "{text}");
            }
        }
        assert_eq!(
            media_type_version("application/vnd.atlas.preview+json"),
            Some("preview")
        );
        assert_eq!(
            media_type_version("application/vnd.atlas.2025-03-12.upcoming+json"),
            Some("2025-03-12.upcoming")
        );
    }

    #[test]
    fn version_dates_are_calendar_dates() {
        assert!(is_version_date("2023-01-01"));
        assert!(!is_version_date("2023-13-01"));
        assert!(!is_version_date("2023-1-01"));
        assert!(!is_version_date("2023-01-01x"));
    }
}
