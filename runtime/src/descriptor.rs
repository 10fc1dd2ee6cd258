//! Static descriptions of operations, emitted by the generator as one constant on each request
//! builder: method, path, parameters with their checks, deprecation, media types per resource
//! version and the security schemes that may authorize them, with the API-version negotiation
//! that picks a media type. The client's requests, the typed mocks and the command line all
//! read this one description. Besides the checks, nothing here depends on another runtime
//! module; every other module may depend on this one.

use crate::check::{run_checks, run_count_checks, Check, InvalidParameter, ParamValue};
use crate::dialect::is_unreleased;
use std::fmt;

/// The HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
    /// `HEAD`: a `GET` whose answer has no body, only status and headers.
    Head,
    /// `OPTIONS`.
    Options,
    /// `TRACE`.
    Trace,
}

impl HttpMethod {
    /// The method as HTTP writes it: `GET`, `POST`, ….
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Head => "HEAD",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Trace => "TRACE",
        }
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            HttpMethod::Get => reqwest::Method::GET,
            HttpMethod::Post => reqwest::Method::POST,
            HttpMethod::Put => reqwest::Method::PUT,
            HttpMethod::Patch => reqwest::Method::PATCH,
            HttpMethod::Delete => reqwest::Method::DELETE,
            HttpMethod::Head => reqwest::Method::HEAD,
            HttpMethod::Options => reqwest::Method::OPTIONS,
            HttpMethod::Trace => reqwest::Method::TRACE,
        }
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One media type an operation answers with (or accepts), and the resource version it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MediaVersion {
    /// The version date (`2023-01-01`) of a versioned media type; `None` for plain JSON.
    pub version: Option<&'static str>,
    /// The media type, such as `application/vnd.atlas.2023-01-01+json`.
    pub media_type: &'static str,
    /// When Atlas stops serving this version, as the spec's `x-sunset` on the media type
    /// writes it (Atlas puts sunsets there, per version, not on the operation).
    pub sunset: Option<&'static str>,
}

/// What the client knows of one operation.
#[derive(Debug, Clone, Copy)]
pub struct OperationInfo {
    /// The spec's `operationId`.
    pub id: &'static str,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path template, with `{name}` placeholders.
    pub path: &'static str,
    /// Success media types, oldest version first.
    pub responses: &'static [MediaVersion],
    /// Request body media types, oldest version first.
    pub requests: &'static [MediaVersion],
    /// The security schemes that may authorize the operation, as the spec lists them; empty
    /// when any credentials (or none) will do.
    pub auth: &'static [AuthScheme],
    /// The parameters, in the order the spec lists them.
    pub params: &'static [ParamInfo],
    /// Set when the spec deprecates the operation.
    pub deprecation: Option<Deprecation>,
}

impl OperationInfo {
    /// The parameter named `name` (its name on the wire) in `location`.
    pub fn param(&self, name: &str, location: ParamIn) -> Option<&'static ParamInfo> {
        self.params
            .iter()
            .find(|p| p.name == name && p.location == location)
    }

    /// The response media type for a client pinned to `pin` (a version date): the newest
    /// version not newer than the pin, or the newest of all with no pin. `Err` lists the
    /// versions the operation has when none is old enough.
    pub fn negotiate(
        &self,
        pin: Option<&str>,
    ) -> Result<Option<&'static MediaVersion>, Vec<&'static str>> {
        negotiate_among(self.responses, pin)
    }

    /// The response media type `send_stream()` asks for: of the version
    /// [`negotiate`](Self::negotiate) picks, the last media type that is not JSON (an archive,
    /// CSV), or the negotiated one where that version has only JSON.
    pub fn negotiate_stream(
        &self,
        pin: Option<&str>,
    ) -> Result<Option<&'static MediaVersion>, Vec<&'static str>> {
        let negotiated = self.negotiate(pin)?;
        let raw = negotiated.and_then(|chosen| {
            self.responses
                .iter()
                .rev()
                .find(|m| m.version == chosen.version && !is_json(m.media_type))
        });
        Ok(raw.or(negotiated))
    }

    /// Whether the operation takes no credentials at all (its only scheme is
    /// [`AuthKind::None`]): the client then sends none, whatever it was built with.
    pub fn takes_no_credentials(&self) -> bool {
        !self.auth.is_empty() && self.auth.iter().all(|s| s.kind == AuthKind::None)
    }

    /// The request body media type for a client pinned to `pin`, chosen as
    /// [`negotiate`](Self::negotiate) chooses the `Accept` type: Atlas reads a body in the
    /// resource version its `Content-Type` names, so the same pin must decide both.
    pub fn negotiate_request(
        &self,
        pin: Option<&str>,
    ) -> Result<Option<&'static MediaVersion>, Vec<&'static str>> {
        negotiate_among(self.requests, pin)
    }
}

/// The newest released version of `media` not newer than `pin` (any with no pin), or the
/// upcoming or preview version the pin names exactly; falling back to plain JSON. Versions
/// order as text, which is the grammar's order (`dialect::PREVIEW_VERSION`).
fn negotiate_among(
    media: &'static [MediaVersion],
    pin: Option<&str>,
) -> Result<Option<&'static MediaVersion>, Vec<&'static str>> {
    if media.is_empty() {
        return Ok(None);
    }
    let unversioned = media.iter().rev().find(|m| m.version.is_none());
    let released = media
        .iter()
        .filter(|m| m.version.is_some_and(|v| !is_unreleased(v)));
    let chosen = match pin {
        None => released.max_by_key(|m| m.version),
        Some(pin) if is_unreleased(pin) => {
            media.iter().find(|m| m.version == Some(pin)).or_else(|| {
                released
                    .filter(|m| m.version.is_some_and(|v| v <= pin))
                    .max_by_key(|m| m.version)
            })
        }
        Some(pin) => released
            .filter(|m| m.version.is_some_and(|v| v <= pin))
            .max_by_key(|m| m.version),
    };
    match (chosen, unversioned) {
        (Some(m), _) => Ok(Some(m)),
        // Plain JSON operations (the v1.0 API) are not versioned, so any pin accepts them.
        (None, Some(m)) => Ok(Some(m)),
        (None, None) => Err(media.iter().filter_map(|m| m.version).collect()),
    }
}

/// One parameter of an operation: where it goes, what its values are and the checks every value
/// must pass before it is sent.
#[derive(Debug, Clone, Copy)]
pub struct ParamInfo {
    /// The parameter's name on the wire.
    pub name: &'static str,
    /// Where it travels.
    pub location: ParamIn,
    /// Whether every request must carry it.
    pub required: bool,
    /// How its text reads.
    pub kind: ValueKind,
    /// Whether it is a list, sent once per item.
    pub repeated: bool,
    /// The schema's constraints: on each value (pattern, length, range) and, for a list, on
    /// the number of items.
    pub checks: &'static [Check],
}

impl ParamInfo {
    /// Runs the value checks on `value`.
    pub fn check(&self, value: &dyn ParamValue) -> Result<(), InvalidParameter> {
        run_checks(self.name, value, self.checks)
    }

    /// Runs the item-count checks of a list parameter on `count` items.
    pub fn check_count(&self, count: usize) -> Result<(), InvalidParameter> {
        run_count_checks(self.name, count, self.checks)
    }

    /// Reads `text` as the parameter's kind of value and runs the checks on it: what a server
    /// (or the command line) has in hand is text.
    pub fn check_text(&self, text: &str) -> Result<(), InvalidParameter> {
        self.kind.check_text(self.name, text, self.checks)
    }
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamIn {
    /// A `{name}` placeholder of the path.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
}

/// How a parameter's text reads before its checks run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueKind {
    /// Text, checked as it is (dates and times too).
    Text,
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
}

impl ValueKind {
    /// Reads `text` as a value of this kind and runs `checks` on it: the one checker of values
    /// given as text (a request the typed mocks receive, a command-line flag), so they are
    /// refused for the same reasons the client refuses them. `name` names the value in the
    /// error.
    pub fn check_text(
        self,
        name: &str,
        text: &str,
        checks: &[Check],
    ) -> Result<(), InvalidParameter> {
        let not = |what: &str| InvalidParameter {
            name: name.to_owned(),
            value: text.to_owned(),
            reason: format!("is not {what}"),
        };
        match self {
            ValueKind::Text => run_checks(name, &text, checks),
            ValueKind::Boolean => match text {
                "true" | "false" => Ok(()),
                _ => Err(not("`true` or `false`")),
            },
            ValueKind::Integer => match text.parse::<i64>() {
                Ok(number) => run_checks(name, &number, checks),
                Err(_) => Err(not("an integer")),
            },
            ValueKind::Number => match text.parse::<f64>() {
                Ok(number) => run_checks(name, &number, checks),
                Err(_) => Err(not("a number")),
            },
        }
    }
}

/// What the spec says of a deprecated operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deprecation {
    /// The date after which the operation may stop working (`x-sunset`), as the spec writes it.
    pub sunset: Option<&'static str>,
    /// The `operationId` of the operation that replaces it (`x-replaced-by`).
    pub replaced_by: Option<&'static str>,
}

/// `application/json` and any `+json` media type, parameters aside.
fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case("application/json")
        || essence.to_ascii_lowercase().ends_with("+json")
}

/// A security scheme an operation accepts, as the spec declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AuthScheme {
    /// The scheme's name under `components/securitySchemes`, such as `DigestAuth`.
    pub name: &'static str,
    /// What kind of scheme it is.
    pub kind: AuthKind,
}

/// The kinds of security scheme OpenAPI describes, as far as the client tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthKind {
    /// HTTP Digest authentication (Atlas API keys).
    HttpDigest,
    /// An HTTP bearer token.
    HttpBearer,
    /// HTTP Basic authentication.
    HttpBasic,
    /// OAuth 2.0 with the client-credentials flow.
    OAuth2ClientCredentials,
    /// OAuth 2.0 with another flow (authorization code, implicit, password), whose access token
    /// the caller obtains and the client sends as a bearer token.
    OAuth2,
    /// OpenID Connect, whose access token the caller obtains and the client sends as a bearer
    /// token.
    OpenIdConnect,
    /// An API key, sent under `name` in a header, query parameter or cookie.
    ApiKey {
        /// The header, query parameter or cookie that carries the key.
        name: &'static str,
        /// Where the key goes.
        location: ApiKeyLocation,
    },
    /// Anything else (other HTTP schemes, such as mutual TLS).
    Other,
    /// No credentials: the operation's `security` is an empty list (a public endpoint of an API
    /// that otherwise needs them), so the client sends none.
    None,
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

impl AuthKind {
    fn describe(self) -> &'static str {
        match self {
            AuthKind::HttpDigest => "HTTP Digest",
            AuthKind::HttpBearer => "HTTP bearer",
            AuthKind::HttpBasic => "HTTP Basic",
            AuthKind::OAuth2ClientCredentials => "OAuth 2.0 client credentials",
            AuthKind::OAuth2 => "OAuth 2.0",
            AuthKind::OpenIdConnect => "OpenID Connect",
            AuthKind::ApiKey {
                location: ApiKeyLocation::Header,
                ..
            } => "API key in a header",
            AuthKind::ApiKey {
                location: ApiKeyLocation::Query,
                ..
            } => "API key in the query",
            AuthKind::ApiKey {
                location: ApiKeyLocation::Cookie,
                ..
            } => "API key in a cookie",
            AuthKind::Other => "other",
            AuthKind::None => "no credentials",
        }
    }
}

impl fmt::Display for AuthScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name, self.kind.describe())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_asks_for_the_version_s_last_media_type_that_is_not_json() {
        const MEDIA: &[MediaVersion] = &[
            MediaVersion {
                version: Some("2023-01-01"),
                media_type: "application/vnd.atlas.2023-01-01+csv",
                sunset: None,
            },
            MediaVersion {
                version: Some("2023-01-01"),
                media_type: "application/vnd.atlas.2023-01-01+json",
                sunset: None,
            },
            MediaVersion {
                version: Some("2024-05-30"),
                media_type: "application/vnd.atlas.2024-05-30+json",
                sunset: None,
            },
        ];
        let op = OperationInfo {
            id: "getInvoice",
            method: HttpMethod::Get,
            path: "/invoices/{id}",
            responses: MEDIA,
            requests: &[],
            auth: &[],
            params: &[],
            deprecation: None,
        };
        let streamed = |pin| op.negotiate_stream(pin).unwrap().map(|m| m.media_type);
        assert_eq!(
            streamed(Some("2023-06-01")),
            Some("application/vnd.atlas.2023-01-01+csv")
        );
        // The newest version has only JSON, which is what a stream of it carries.
        assert_eq!(
            streamed(None),
            Some("application/vnd.atlas.2024-05-30+json")
        );
        assert!(op.negotiate_stream(Some("2020-01-01")).is_err());
    }

    const OP: OperationInfo = OperationInfo {
        id: "listThings",
        method: HttpMethod::Get,
        path: "/things",
        responses: &[
            MediaVersion {
                version: Some("2023-01-01"),
                media_type: "application/vnd.atlas.2023-01-01+json",
                sunset: None,
            },
            MediaVersion {
                version: Some("2024-11-13"),
                media_type: "application/vnd.atlas.2024-11-13+json",
                sunset: None,
            },
        ],
        requests: &[
            MediaVersion {
                version: Some("2023-01-01"),
                media_type: "application/vnd.atlas.2023-01-01+json",
                sunset: None,
            },
            MediaVersion {
                version: Some("2025-03-12"),
                media_type: "application/vnd.atlas.2025-03-12+json",
                sunset: None,
            },
        ],
        auth: &[],
        params: &[],
        deprecation: None,
    };

    #[test]
    fn request_bodies_are_negotiated_with_the_same_pin() {
        let pick = |pin| OP.negotiate_request(pin).map(|m| m.and_then(|m| m.version));
        assert_eq!(pick(None), Ok(Some("2025-03-12")));
        assert_eq!(pick(Some("2025-03-11")), Ok(Some("2023-01-01")));
        // With that pin the answer is 2024-11-13 and the body 2023-01-01: each list has its own
        // newest version not newer than the pin.
        assert_eq!(
            OP.negotiate(Some("2025-03-11")).unwrap().unwrap().version,
            Some("2024-11-13")
        );
        assert_eq!(
            pick(Some("2022-01-01")),
            Err(vec!["2023-01-01", "2025-03-12"])
        );
        let bodiless = OperationInfo {
            requests: &[],
            ..OP
        };
        assert_eq!(bodiless.negotiate_request(Some("2024-01-01")), Ok(None));
    }

    #[test]
    fn upcoming_and_preview_versions_are_taken_only_when_pinned() {
        const MEDIA: &[MediaVersion] = &[
            MediaVersion {
                version: Some("2023-01-01"),
                media_type: "application/vnd.atlas.2023-01-01+json",
                sunset: None,
            },
            MediaVersion {
                version: Some("2025-03-12.upcoming"),
                media_type: "application/vnd.atlas.2025-03-12.upcoming+json",
                sunset: None,
            },
            MediaVersion {
                version: Some("preview"),
                media_type: "application/vnd.atlas.preview+json",
                sunset: None,
            },
        ];
        let op = OperationInfo {
            responses: MEDIA,
            ..OP
        };
        let pick = |pin| op.negotiate(pin).map(|m| m.and_then(|m| m.version));
        assert_eq!(pick(None), Ok(Some("2023-01-01")));
        assert_eq!(pick(Some("2030-01-01")), Ok(Some("2023-01-01")));
        assert_eq!(pick(Some("preview")), Ok(Some("preview")));
        assert_eq!(
            pick(Some("2025-03-12.upcoming")),
            Ok(Some("2025-03-12.upcoming"))
        );
        // An upcoming version the operation lacks: the newest released one before it.
        assert_eq!(pick(Some("2026-01-01.upcoming")), Ok(Some("2023-01-01")));
        let preview_only = OperationInfo {
            responses: &MEDIA[2..],
            ..OP
        };
        assert_eq!(
            preview_only.negotiate(None),
            Err(vec!["preview"]),
            "never picked without a pin"
        );
    }

    #[test]
    fn picks_the_newest_version_not_newer_than_the_pin() {
        let pick = |pin| OP.negotiate(pin).map(|m| m.and_then(|m| m.version));
        assert_eq!(pick(None), Ok(Some("2024-11-13")));
        assert_eq!(pick(Some("2030-01-01")), Ok(Some("2024-11-13")));
        assert_eq!(pick(Some("2024-11-12")), Ok(Some("2023-01-01")));
        assert_eq!(pick(Some("2023-01-01")), Ok(Some("2023-01-01")));
        assert_eq!(
            pick(Some("2022-12-31")),
            Err(vec!["2023-01-01", "2024-11-13"])
        );
    }
}
