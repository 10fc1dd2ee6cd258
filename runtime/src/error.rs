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

/// The error body of an API, as far as the runtime needs to know it for messages and matching.
pub trait ApiErrorBody: serde::de::DeserializeOwned + Debug {
    /// The machine-readable error code: a generated enum where the spec lists the codes
    /// (Atlas: `ErrorCode`, such as `ErrorCode::ResourceNotFound`), text otherwise.
    type Code: Debug + Clone + PartialEq;

    /// The error code, typed.
    fn code(&self) -> Option<&Self::Code> {
        None
    }
    /// The error code as the server spelled it (Atlas: `errorCode`, such as
    /// `RESOURCE_NOT_FOUND`).
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

/// An error body of no documented type: the JSON as it came, with Atlas's field names read
/// where they are present.
impl ApiErrorBody for serde_json::Value {
    type Code = String;

    fn code(&self) -> Option<&String> {
        match self.get("errorCode")? {
            serde_json::Value::String(code) => Some(code),
            _ => None,
        }
    }
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

/// The error type of the services of the layers users add to a client
/// ([`ClientBuilder::call_layer`](crate::ClientBuilder::call_layer)): any error, boxed.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Why an operation failed. `E` is the API's error body.
///
/// `Display` says what happened at this level only (which operation, which request, what went
/// wrong); the underlying cause, such as the connection error or the JSON error, comes through
/// [`source`](std::error::Error::source). [`ErrorChain`](crate::ErrorChain) prints the whole
/// chain on one line.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E: ApiErrorBody = serde_json::Value> {
    /// A parameter failed its checks; nothing was sent.
    #[error("{operation}: invalid request, nothing was sent: {}", list(problems))]
    InvalidRequest {
        /// The `operationId` of the operation.
        operation: &'static str,
        /// Every parameter that failed, with what was wrong with it.
        problems: Vec<InvalidParameter>,
    },

    /// The client is pinned to an API version older than every version of the operation, or
    /// is not pinned and the operation has only unreleased versions (`preview`, `….upcoming`),
    /// which are used only when pinned.
    #[error("{operation}: {}", unsupported_version(pinned, available))]
    UnsupportedVersion {
        /// The `operationId` of the operation.
        operation: &'static str,
        /// The API version the client or the request is pinned to; empty when none is.
        pinned: String,
        /// The versions the operation offers.
        available: Vec<&'static str>,
    },

    /// The client's credentials are of a kind the operation does not accept (the v1.0 API takes
    /// API keys only); nothing was sent.
    #[error("{operation}: the client's {credentials} cannot authorize this operation, which accepts {}; nothing was sent", schemes(accepted))]
    CredentialsNotAccepted {
        /// The `operationId` of the operation.
        operation: &'static str,
        /// The kind of credentials the client holds.
        credentials: CredentialKind,
        /// The security schemes the operation accepts.
        accepted: &'static [AuthScheme],
    },

    /// Authenticating failed before the server answered the request itself: no access token
    /// could be had, or the server's Digest challenge could not be answered.
    #[error("{operation}: {method} {path}: authentication failed")]
    Auth {
        /// The `operationId` of the operation.
        operation: &'static str,
        /// The HTTP method of the request.
        method: &'static str,
        /// The path of the request, with its parameters filled in.
        path: String,
        /// Boxed, so that `Result<_, Error>` stays small.
        #[source]
        source: Box<AuthError>,
    },

    /// The request could not be sent or the response not received (connection, timeout, TLS).
    #[error("{operation}: {method} {path}: no answer from the server")]
    Transport {
        /// The `operationId` of the operation.
        operation: &'static str,
        /// The HTTP method of the request.
        method: &'static str,
        /// The path of the request, with its parameters filled in.
        path: String,
        /// The HTTP client's error.
        #[source]
        source: reqwest::Error,
    },

    /// A layer added to the client
    /// ([`ClientBuilder::call_layer`](crate::ClientBuilder::call_layer),
    /// [`ClientBuilder::attempt_layer`](crate::ClientBuilder::attempt_layer)) failed the call
    /// with an error of its own; it was not retried.
    #[error("{operation}: {method} {path}: a layer of the client failed the call")]
    Layer {
        /// The `operationId` of the operation.
        operation: &'static str,
        /// The HTTP method of the request.
        method: &'static str,
        /// The path of the request, with its parameters filled in.
        path: String,
        /// The layer's error.
        #[source]
        source: BoxError,
    },

    /// The server redirected a request that carried the client's credentials to another origin
    /// (scheme, host or port); the redirect was not followed, so they were not sent there.
    #[error("{operation}: {method} {path} was redirected ({status}) to {location}, another origin; the redirect was not followed because the request carries credentials")]
    RedirectNotFollowed {
        /// The `operationId` of the operation.
        operation: &'static str,
        /// The HTTP method of the request.
        method: &'static str,
        /// The path of the request, with its parameters filled in.
        path: String,
        /// The redirect's status (301, 302, 303, 307 or 308).
        status: StatusCode,
        /// The redirect's target, without its query (which may hold secrets).
        location: String,
    },

    /// The server answered with an error status and a body of the documented error type.
    #[error("{operation}: {method} {path} returned {status}{}", describe(body.as_ref()))]
    Api {
        /// The `operationId` of the operation.
        operation: &'static str,
        /// The HTTP method of the request.
        method: &'static str,
        /// The path of the request, with its parameters filled in.
        path: String,
        /// The status the server answered with.
        status: StatusCode,
        /// The answer's headers.
        headers: Box<HeaderMap>,
        /// Boxed, so that `Result<_, Error>` stays small whatever the body type.
        body: Box<E>,
    },

    /// The server refused the API version the request asked for: 406 Not Acceptable for a
    /// version it does not know or serve for this resource, 410 Gone for one it retired.
    #[error("{operation}: {method} {path} returned {status}: the server refused the requested version {requested}{}", body.as_deref().map(describe).unwrap_or_default())]
    VersionRejected {
        /// The `operationId` of the operation.
        operation: &'static str,
        /// The HTTP method of the request.
        method: &'static str,
        /// The path of the request, with its parameters filled in.
        path: String,
        /// The status the server answered with.
        status: StatusCode,
        /// The media type sent in `Accept`, such as `application/vnd.atlas.2024-11-13+json`.
        requested: &'static str,
        /// The error body, when it was of the documented error type.
        body: Option<Box<E>>,
        /// The start of the body as received, at most 200 characters.
        excerpt: String,
    },

    /// A response body could not be decoded into the documented type.
    #[error("{operation}: {method} {path} returned {status} with a body that is not a valid `{expected}` (body starts with {excerpt:?})")]
    Decode {
        /// The `operationId` of the operation.
        operation: &'static str,
        /// The HTTP method of the request.
        method: &'static str,
        /// The path of the request, with its parameters filled in.
        path: String,
        /// The status the server answered with.
        status: StatusCode,
        /// The Rust type the body should have decoded into.
        expected: &'static str,
        /// The start of the body as received, at most 200 characters.
        excerpt: String,
        /// The JSON decoder's error.
        #[source]
        source: serde_json::Error,
    },

    /// The answer's body was larger than the client accepts
    /// ([`ClientBuilder::max_body_size`](crate::ClientBuilder::max_body_size)); reading stopped
    /// at the limit.
    #[error("{operation}: {method} {path} returned {status} with a body larger than the {limit} bytes the client accepts")]
    BodyTooLarge {
        /// The `operationId` of the operation.
        operation: &'static str,
        /// The HTTP method of the request.
        method: &'static str,
        /// The path of the request, with its parameters filled in.
        path: String,
        /// The status the server answered with.
        status: StatusCode,
        /// The most bytes of a body the client accepts.
        limit: usize,
    },

    /// The server asked to wait longer before the next attempt than the retry policy allows
    /// ([`RetryPolicy::max_retry_after`](crate::RetryPolicy::max_retry_after)).
    #[error("{operation}: {method} {path} returned {status} and asked to wait {} s before retrying, longer than the {} s the retry policy allows", asked.as_secs(), allowed.as_secs())]
    RetryAfterTooLong {
        /// The `operationId` of the operation.
        operation: &'static str,
        /// The HTTP method of the request.
        method: &'static str,
        /// The path of the request, with its parameters filled in.
        path: String,
        /// The status the server answered with.
        status: StatusCode,
        /// How long the server asked to wait (`Retry-After`).
        asked: std::time::Duration,
        /// The longest wait the retry policy allows.
        allowed: std::time::Duration,
        /// The error body, when it was of the documented error type.
        body: Option<Box<E>>,
    },

    /// A walk over the pages of a list stopped because the server's pages cannot be trusted to
    /// end: a page repeated the one before it, more pages came than the list's count allows,
    /// or the walk reached the client's page cap. The pages before were delivered.
    #[error("{operation}: stopped walking the list at page {page}: {problem}")]
    Paging {
        /// The `operationId` of the operation.
        operation: &'static str,
        /// The number of the page the walk stopped at.
        page: i64,
        /// Why the walk stopped.
        problem: PagingProblem,
    },

    /// The server answered with an error status and a body that is not the error type.
    #[error("{operation}: {method} {path} returned {status} (body starts with {excerpt:?})")]
    UnexpectedStatus {
        /// The `operationId` of the operation.
        operation: &'static str,
        /// The HTTP method of the request.
        method: &'static str,
        /// The path of the request, with its parameters filled in.
        path: String,
        /// The status the server answered with.
        status: StatusCode,
        /// The answer's headers.
        headers: Box<HeaderMap>,
        /// The start of the body as received, at most 200 characters.
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
            | Error::BodyTooLarge { status, .. }
            | Error::RetryAfterTooLong { status, .. }
            | Error::RedirectNotFollowed { status, .. }
            | Error::UnexpectedStatus { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The typed error code of the API's error body, when the server sent one: match on it
    /// rather than on the text.
    pub fn error_code(&self) -> Option<&E::Code> {
        self.api_error()?.code()
    }

    /// Whether the server answered 404: the project, deployment or object does not exist, or
    /// the caller may not see it.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// Whether the server refused the request for exceeding a rate limit (429).
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// Whether trying the same request again later may succeed: a rate limit, a server-side
    /// failure, a timeout or a connection that failed. Whether a retry is safe also depends on
    /// the method: the client itself only retries what cannot be done twice.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { source, .. } => {
                source.is_connect() || source.is_timeout() || source.is_request()
            }
            Error::RetryAfterTooLong { .. } => true,
            _ => self.status().is_some_and(crate::retry::retryable_status),
        }
    }

    /// The typed error body, when the server sent one.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Error::Api { body, .. } => Some(body),
            Error::VersionRejected { body, .. } | Error::RetryAfterTooLong { body, .. } => {
                body.as_deref()
            }
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
            | Error::Layer { operation, .. }
            | Error::RedirectNotFollowed { operation, .. }
            | Error::Api { operation, .. }
            | Error::VersionRejected { operation, .. }
            | Error::Decode { operation, .. }
            | Error::BodyTooLarge { operation, .. }
            | Error::RetryAfterTooLong { operation, .. }
            | Error::Paging { operation, .. }
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

/// Why a page walk could not go on.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PagingProblem {
    /// The page held the same items as the one before: a server that ignores the page number.
    Repeated,
    /// The list's count (`totalCount`, from the first page) allows only this many pages.
    MoreThanCounted {
        /// How many pages the count allows.
        pages: u64,
    },
    /// The client's cap on pages per walk.
    Cap {
        /// The cap: the most pages one walk fetches.
        pages: u64,
    },
}

impl std::fmt::Display for PagingProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PagingProblem::Repeated => f.write_str(
                "it holds the same items as the page before, so the server ignores the page number",
            ),
            PagingProblem::MoreThanCounted { pages } => write!(
                f,
                "the list's count allows only {pages} page(s), but the server sent more"
            ),
            PagingProblem::Cap { pages } => {
                write!(f, "the walk reached the client's cap of {pages} pages")
            }
        }
    }
}

/// An error and its causes on one line, `error: cause: cause`, for logs and terminals. Each
/// level says one thing, so nothing is printed twice.
///
/// ```
/// use atlas_snapshots_runtime::ErrorChain;
/// #[derive(Debug)]
/// struct Outer(std::io::Error);
/// impl std::fmt::Display for Outer {
///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
///         f.write_str("reading the config failed")
///     }
/// }
/// impl std::error::Error for Outer {
///     fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
///         Some(&self.0)
///     }
/// }
/// let error = Outer(std::io::Error::other("disk on fire"));
/// assert_eq!(
///     ErrorChain(&error).to_string(),
///     "reading the config failed: disk on fire"
/// );
/// ```
#[derive(Clone, Copy)]
pub struct ErrorChain<'a>(pub &'a (dyn std::error::Error + 'static));

impl std::fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)?;
        let mut previous = self.0.to_string();
        let mut cause = self.0.source();
        while let Some(error) = cause {
            let text = error.to_string();
            // Some errors outside this crate still repeat their cause in their own text.
            if !previous.ends_with(&text) {
                write!(f, ": {text}")?;
            }
            previous = text;
            cause = error.source();
        }
        Ok(())
    }
}

impl std::fmt::Debug for ErrorChain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

fn list(problems: &[InvalidParameter]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

fn unsupported_version(pinned: &str, available: &[&'static str]) -> String {
    let available = available.join(", ");
    if pinned.is_empty() {
        format!("no released API version; the operation offers only {available}, used when the client or the request is pinned to it")
    } else {
        format!("no API version at or before {pinned}; the operation offers {available}")
    }
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
