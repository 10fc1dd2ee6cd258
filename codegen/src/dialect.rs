//! The Atlas dialect: the conventions the generator applies because the spec is MongoDB Atlas's,
//! not because OpenAPI says so. Each has its reason here, so that the spec of another API shows
//! where it differs. The model and validation read them from this module; the runtime keeps the
//! ones it needs when a client runs (the token path, the variable names) in its own copy.

/// Operations under this prefix belong to the deprecated v1.0 generation of the Atlas API: plain
/// `application/json`, Digest only, so they are emitted in a module of their own.
pub const LEGACY_PATH_PREFIX: &str = "/api/atlas/v1.0/";

/// The current generation (v2) lives under this prefix; a v1.0 operation's successor usually has
/// the same path below it.
pub const CURRENT_PATH_PREFIX: &str = "/api/atlas/v2/";

/// Which generation of the API an operation belongs to; legacy operations are emitted in their
/// own module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ApiGeneration {
    /// `/api/atlas/v1.0`: plain `application/json`, Digest only.
    Legacy,
    /// Everything else (`/api/atlas/v2`): versioned media types.
    Current,
}

/// The generation of the API an operation path belongs to: Atlas tells them apart by path only.
pub fn generation_of(path: &str) -> ApiGeneration {
    if path.starts_with(LEGACY_PATH_PREFIX) {
        ApiGeneration::Legacy
    } else {
        ApiGeneration::Current
    }
}

/// Atlas v2 versions each resource by date in its media type,
/// `application/vnd.atlas.{DATE}+{format}`, and a client picks a version by asking for that
/// media type; this is the part before the date.
pub const VERSIONED_MEDIA_TYPE_PREFIX: &str = "application/vnd.atlas.";

/// Atlas's preview version (`application/vnd.atlas.preview+json`): changes that may still
/// change. It and upcoming versions (`2025-03-12.upcoming`, a dated version before its release)
/// are taken by a client only when pinned to them; as text they sort after the released
/// versions they follow, which is how MongoDB's tools order them.
pub const PREVIEW_VERSION: &str = "preview";

/// The suffix of an upcoming version.
pub const UPCOMING_SUFFIX: &str = ".upcoming";

/// Whether a version is upcoming or the preview: taken only by a client pinned to it.
pub fn is_unreleased(version: &str) -> bool {
    version == PREVIEW_VERSION || version.ends_with(UPCOMING_SUFFIX)
}

/// `application/vnd.atlas.2023-01-01+json` → `2023-01-01`; also `2025-03-12.upcoming` and
/// `preview`. Other media types (plain `application/json` of v1.0, `…latest+json`) carry no
/// version, since only the grammar's versions can be ordered against a client's pin.
pub fn media_type_version(media_type: &str) -> Option<&str> {
    let rest = media_type.strip_prefix(VERSIONED_MEDIA_TYPE_PREFIX)?;
    let version = rest.split('+').next()?;
    if version == PREVIEW_VERSION {
        return Some(version);
    }
    let date = version.strip_suffix(UPCOMING_SUFFIX).unwrap_or(version);
    let well_formed = date.len() == 10
        && date.chars().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    well_formed.then_some(version)
}

/// Atlas list operations page by a 1-based page number in this query parameter; with
/// [`ITEMS_PER_PAGE_PARAM`] it marks an operation as paginated.
pub const PAGE_NUM_PARAM: &str = "pageNum";

/// The page size of an Atlas list operation, as a query parameter.
pub const ITEMS_PER_PAGE_PARAM: &str = "itemsPerPage";

/// Whether an Atlas list page reports [`TOTAL_COUNT_FIELD`]. A caller may turn it off, so a page
/// walker cannot rely on the count and also stops at a short page.
pub const INCLUDE_COUNT_PARAM: &str = "includeCount";

/// The field of an Atlas list page that holds the page's items.
pub const RESULTS_FIELD: &str = "results";

/// The field of an Atlas list page that counts the items of all pages, when reported.
pub const TOTAL_COUNT_FIELD: &str = "totalCount";

/// The field of Atlas's error body that holds the machine-readable error code.
pub const ERROR_CODE_FIELD: &str = "errorCode";

/// With `envelope=true`, Atlas answers 200 and puts the real status in the body, for clients
/// that cannot read the status line; a client that sends it must open the envelope to see the
/// answer the server would have given.
pub const ENVELOPE_PARAM: &str = "envelope";

/// With `pretty=true`, Atlas indents its JSON answers; it changes nothing a decoder sees.
pub const PRETTY_PARAM: &str = "pretty";

/// The meaning a client gives a parameter, as [`param_role`] reads it. A role other than `Plain` says the client should set the parameter itself (or let the
/// user set it through a dedicated method) rather than pass it on like any other.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParamRole {
    /// Passed on as it is.
    #[default]
    Plain,
    /// Atlas's `envelope` flag: when true the server answers 200 with the real status in the
    /// body, which the client must open before decoding.
    Envelope,
    /// Atlas's `pretty` flag: indented JSON answers, nothing a decoder sees.
    Pretty,
}

/// What a parameter means to a client: in an Atlas spec (`atlas`), Atlas's [`ENVELOPE_PARAM`]
/// and [`PRETTY_PARAM`] when they are the boolean query parameters Atlas documents
/// (`boolean_query`), otherwise a plain parameter. A parameter that only shares the name (in
/// another API, of another type or location) is plain, since the client cannot know what it
/// does.
pub fn param_role(name: &str, boolean_query: bool, atlas: bool) -> ParamRole {
    match name {
        ENVELOPE_PARAM if boolean_query && atlas => ParamRole::Envelope,
        PRETTY_PARAM if boolean_query && atlas => ParamRole::Pretty,
        _ => ParamRole::Plain,
    }
}

/// Where an Atlas service account exchanges its client id and secret for access tokens, below
/// the base URL.
pub const OAUTH_TOKEN_PATH: &str = "/api/oauth/token";

/// Whether a spec is Atlas's: it names Atlas's versioned media types (`application/vnd.atlas.`)
/// or paths (`/api/atlas/`), or carries MongoDB's `x-xgen-` extensions. Only such a spec's client follows the Atlas
/// conventions that another API would not share: the `MONGODB_ATLAS_*` variables, and the
/// `envelope` and `pretty` parameters taken as Atlas means them.
pub fn speaks_atlas(raw: &serde_json::Value) -> bool {
    match raw {
        serde_json::Value::Object(map) => map.iter().any(|(key, value)| {
            key.starts_with("x-xgen-")
                || key.starts_with(VERSIONED_MEDIA_TYPE_PREFIX)
                || key.starts_with(ATLAS_PATH_PREFIX)
                || speaks_atlas(value)
        }),
        serde_json::Value::Array(items) => items.iter().any(speaks_atlas),
        _ => false,
    }
}

/// The prefix of the variables an Atlas client reads credentials from (`MONGODB_ATLAS_CLIENT_ID`,
/// ...); the client of another API reads variables named after its title.
pub const ATLAS_ENV_PREFIX: &str = "MONGODB_ATLAS";

/// Where Atlas's paths start, in both generations of the API.
const ATLAS_PATH_PREFIX: &str = "/api/atlas/";

/// The environment variables a client reads credentials from: the names Atlas's own tools (the
/// Atlas CLI, the Terraform provider) use, so a user's existing settings work as they are.
pub mod env {
    /// Client id of an Atlas service account (OAuth 2.0 client credentials).
    pub const CLIENT_ID: &str = "MONGODB_ATLAS_CLIENT_ID";
    /// Client secret of an Atlas service account.
    pub const CLIENT_SECRET: &str = "MONGODB_ATLAS_CLIENT_SECRET";
    /// Public key of an Atlas programmatic API key (the HTTP Digest user name).
    pub const PUBLIC_API_KEY: &str = "MONGODB_ATLAS_PUBLIC_API_KEY";
    /// Private key of an Atlas programmatic API key (the HTTP Digest password).
    pub const PRIVATE_API_KEY: &str = "MONGODB_ATLAS_PRIVATE_API_KEY";
}

/// Operation extension: the date after which Atlas may stop serving a deprecated operation.
pub const SUNSET_EXTENSION: &str = "x-sunset";

/// Operation extension: the `operationId` of the operation that replaces a deprecated one, so a
/// client and the differ can point users to it.
pub const REPLACED_BY_EXTENSION: &str = "x-replaced-by";

/// Operation extension: the name MongoDB's own SDK and CLI give the operation. Atlas's raw spec
/// names operations by long ids that follow its API guidelines (IPA) and change when they are
/// revised (`takeGroupClusterBackupSnapshots`); this short name (`takeSnapshots`) is the one
/// users know and stays put, so it names the client method and builder. The `operationId`
/// stays the operation's id everywhere else.
pub const OPERATION_ID_OVERRIDE_EXTENSION: &str = "x-xgen-operation-id-override";

/// The known values of a string the API may give new values at any time, such as Atlas's error
/// codes: typed as an enum like `enum`, without a closed `enum`'s claim that the list is complete
/// (the convention of Zalando's API guidelines, which spec tools pass through untouched).
pub const EXTENSIBLE_ENUM_EXTENSION: &str = "x-extensible-enum";

/// Operation extension of a get operation: the named waits for the resource it reads to reach
/// a final state, each with `success` and `failure` lists of `{property, equals}` or
/// `{property, present: true}` matchers. Atlas work such as a snapshot or a restore job ends
/// minutes after the request that starts it, and only the spec knows which states are final,
/// so the generator stays generic and emits one `wait_until_<name>` per entry.
pub const WAITERS_EXTENSION: &str = "x-waiters";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spec_speaks_atlas_by_its_media_types_paths_or_extensions() {
        let read = |text: &str| speaks_atlas(&serde_json::from_str(text).unwrap());
        assert!(read(r#"{"paths": {"/api/atlas/v1.0/groups": {}}}"#));
        assert!(read(
            r#"{"paths": {"/x": {"get": {"responses": {"200": {"content": {"application/vnd.atlas.2023-01-01+json": {}}}}}}}}"#
        ));
        assert!(read(
            r#"{"paths": {"/x": {"get": {"x-xgen-owner-team": "t"}}}}"#
        ));
        assert!(!read(
            r#"{"paths": {"/v1/things": {"get": {"parameters": [{"name": "pretty", "in": "query"}]}}}}"#
        ));
    }

    #[test]
    fn versions_come_from_atlas_media_types_only() {
        let table = [
            ("application/vnd.atlas.2023-01-01+json", Some("2023-01-01")),
            ("application/vnd.atlas.2024-11-13+gzip", Some("2024-11-13")),
            ("application/json", None),
            ("application/vnd.atlas.latest+json", None),
            ("application/vnd.atlas.preview+json", Some("preview")),
            (
                "application/vnd.atlas.2025-03-12.upcoming+json",
                Some("2025-03-12.upcoming"),
            ),
            ("application/vnd.atlas.2025-03-12.beta+json", None),
            ("application/vnd.atlas.2023-1-01+json", None),
        ];
        for (media_type, expected) in table {
            assert_eq!(media_type_version(media_type), expected, "{media_type}");
        }
    }

    #[test]
    fn generations_are_told_apart_by_path() {
        let table = [
            ("/api/atlas/v1.0/groups/{groupId}", ApiGeneration::Legacy),
            ("/api/atlas/v2/groups/{groupId}", ApiGeneration::Current),
            ("/other", ApiGeneration::Current),
        ];
        for (path, expected) in table {
            assert_eq!(generation_of(path), expected, "{path}");
        }
    }

    #[test]
    fn only_the_boolean_query_flags_of_an_atlas_spec_get_a_role() {
        let table = [
            ("envelope", true, true, ParamRole::Envelope),
            ("pretty", true, true, ParamRole::Pretty),
            ("envelope", false, true, ParamRole::Plain),
            ("Envelope", true, true, ParamRole::Plain),
            ("includeCount", true, true, ParamRole::Plain),
            // Another API's `pretty` is its own business.
            ("pretty", true, false, ParamRole::Plain),
            ("envelope", true, false, ParamRole::Plain),
        ];
        for (name, boolean_query, atlas, expected) in table {
            assert_eq!(param_role(name, boolean_query, atlas), expected, "{name}");
        }
    }
}
