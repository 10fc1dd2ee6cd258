//! The error every operation returns. Each variant says where it happened (operation, method
//! and request path) and keeps what is needed to act on it: the invalid parameters, the HTTP
//! status with the typed API error body, or the body that could not be decoded.

use crate::auth::{AuthError, AuthFailure};
use crate::check::InvalidParameter;
use crate::credentials::CredentialKind;
use crate::descriptor::AuthScheme;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use std::fmt::Debug;

/// The error body of an API, as far as the runtime needs to know it for messages.
pub trait ApiErrorBody: serde::de::DeserializeOwned + Debug {
    /// The machine-readable error code (Atlas: `errorCode`, such as `RESOURCE_NOT_FOUND`).
    fn error_code(&self) -> Option<&str> {
        None
    }
    /// A human-readable explanation.
    fn detail(&self) -> Option<&str> {
        None
    }
    /// The HTTP reason phrase the server sent in the body.
    fn reason(&self) -> Option<&str> {
        None
    }
}

impl ApiErrorBody for serde_json::Value {
    fn error_code(&self) -> Option<&str> {
        self.get("errorCode")?.as_str()
    }
    fn detail(&self) -> Option<&str> {
        self.get("detail")?.as_str()
    }
    fn reason(&self) -> Option<&str> {
        self.get("reason")?.as_str()
    }
}

/// Why an operation failed. `E` is the API's error body.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E: ApiErrorBody = serde_json::Value> {
    /// A parameter failed its checks; nothing was sent.
    #[error("{operation}: invalid request, nothing was sent: {}", list(problems))]
    InvalidRequest {
        operation: &'static str,
        problems: Vec<InvalidParameter>,
    },

    /// The client is pinned to an API version older than every version of the operation.
    #[error("{operation}: no API version at or before {pinned}; the operation offers {}", available.join(", "))]
    UnsupportedVersion {
        operation: &'static str,
        pinned: String,
        available: Vec<&'static str>,
    },

    /// The client's credentials are of a kind the operation does not accept (the v1.0 API takes
    /// API keys only); nothing was sent.
    #[error("{operation}: the client's {credentials} cannot authorize this operation, which accepts {}; nothing was sent", schemes(accepted))]
    CredentialsNotAccepted {
        operation: &'static str,
        credentials: CredentialKind,
        accepted: &'static [AuthScheme],
    },

    /// Authenticating failed before the server answered the request itself: no access token
    /// could be had, or the server's Digest challenge could not be answered.
    #[error("{operation}: {method} {path}: authentication failed: {source}")]
    Auth {
        operation: &'static str,
        method: &'static str,
        path: String,
        /// Boxed, so that `Result<_, Error>` stays small.
        #[source]
        source: Box<AuthError>,
    },

    /// The request could not be sent or the response not received (connection, timeout, TLS).
    #[error("{operation}: {method} {path} failed: {source}")]
    Transport {
        operation: &'static str,
        method: &'static str,
        path: String,
        #[source]
        source: reqwest::Error,
    },

    /// The server answered with an error status and a body of the documented error type.
    #[error("{operation}: {method} {path} returned {status}{}", describe(body.as_ref()))]
    Api {
        operation: &'static str,
        method: &'static str,
        path: String,
        status: StatusCode,
        headers: Box<HeaderMap>,
        /// Boxed, so that `Result<_, Error>` stays small whatever the body type.
        body: Box<E>,
    },

    /// The server refused the API version the request asked for: 406 Not Acceptable for a
    /// version it does not know or serve for this resource, 410 Gone for one it retired.
    #[error("{operation}: {method} {path} returned {status}: the server refused the requested version {requested}{}", body.as_deref().map(describe).unwrap_or_default())]
    VersionRejected {
        operation: &'static str,
        method: &'static str,
        path: String,
        status: StatusCode,
        /// The media type sent in `Accept`, such as `application/vnd.atlas.2024-11-13+json`.
        requested: &'static str,
        /// The error body, when it was of the documented error type.
        body: Option<Box<E>>,
        excerpt: String,
    },

    /// A response body could not be decoded into the documented type.
    #[error("{operation}: {method} {path} returned {status} with a body that is not a valid `{expected}`: {source} (body starts with {excerpt:?})")]
    Decode {
        operation: &'static str,
        method: &'static str,
        path: String,
        status: StatusCode,
        expected: &'static str,
        excerpt: String,
        #[source]
        source: serde_json::Error,
    },

    /// The server answered with an error status and a body that is not the error type.
    #[error("{operation}: {method} {path} returned {status} (body starts with {excerpt:?})")]
    UnexpectedStatus {
        operation: &'static str,
        method: &'static str,
        path: String,
        status: StatusCode,
        headers: Box<HeaderMap>,
        excerpt: String,
    },
}

impl<E: ApiErrorBody> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::VersionRejected { status, .. }
            | Error::Decode { status, .. }
            | Error::UnexpectedStatus { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The typed error body, when the server sent one.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Error::Api { body, .. } => Some(body),
            Error::VersionRejected { body, .. } => body.as_deref(),
            _ => None,
        }
    }

    /// Whether the request timed out (connecting, or waiting for the whole answer).
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport { source, .. } if source.is_timeout())
    }

    /// The `operationId` of the failed operation.
    pub fn operation(&self) -> &'static str {
        match self {
            Error::InvalidRequest { operation, .. }
            | Error::UnsupportedVersion { operation, .. }
            | Error::CredentialsNotAccepted { operation, .. }
            | Error::Auth { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Api { operation, .. }
            | Error::VersionRejected { operation, .. }
            | Error::Decode { operation, .. }
            | Error::UnexpectedStatus { operation, .. } => operation,
        }
    }
}

impl<E: ApiErrorBody> Error<E> {
    /// The error for a request to `path` that authentication stopped.
    pub(crate) fn from_auth_failure(
        failure: AuthFailure,
        operation: &'static str,
        method: &'static str,
        path: &str,
    ) -> Self {
        match failure {
            AuthFailure::NotAccepted {
                credentials,
                accepted,
            } => Error::CredentialsNotAccepted {
                operation,
                credentials,
                accepted,
            },
            AuthFailure::Auth(source) => Error::Auth {
                operation,
                method,
                path: path.to_owned(),
                source: Box::new(source),
            },
        }
    }
}

fn list(problems: &[InvalidParameter]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

fn schemes(accepted: &[AuthScheme]) -> String {
    accepted
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" or ")
}

fn describe(body: &impl ApiErrorBody) -> String {
    let mut out = String::new();
    if let Some(code) = body.error_code() {
        out.push_str(&format!(": {code}"));
    }
    if let Some(detail) = body.detail() {
        out.push_str(&format!(": {detail}"));
    }
    out
}

/// The first characters of a body, for messages: enough to recognise it, never the whole.
pub(crate) fn excerpt(bytes: &[u8]) -> String {
    const LIMIT: usize = 200;
    let text = String::from_utf8_lossy(bytes);
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.into_owned(),
    }
}
