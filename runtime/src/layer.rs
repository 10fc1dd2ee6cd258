//! Room for the user's own layers: around each HTTP attempt, and around the whole call with its
//! retries and authentication.
//!
//! Layers are [tower](https://docs.rs/tower) `Layer`s over `Service`s, the abstraction hyper,
//! axum, tonic and octocrab share, so caching, rate limiting, metrics or test transports written
//! for them (and `tower`'s own `timeout`, `limit`, `filter`) fit. reqwest-middleware was the
//! other candidate: it wraps only the HTTP attempt, and a call here is more than one attempt.
//!
//! - An **attempt layer** ([`ClientBuilder::attempt_layer`](crate::ClientBuilder::attempt_layer))
//!   is a `Service<reqwest::Request>` answering `reqwest::Response`. It sees each request as it
//!   goes on the wire, credentials included, once per retry and once more after a Digest
//!   challenge. Below the innermost one is the client's `reqwest::Client`.
//! - A **call layer** ([`ClientBuilder::call_layer`](crate::ClientBuilder::call_layer)) is a
//!   `Service<`[`Call`]`>` answering [`CallResponse`]. It sees one operation call, without
//!   credentials, before any attempt: a cache answers here, and a counter counts calls, not
//!   attempts. Below the innermost one are the retries, the authentication and the attempt
//!   layers.
//!
//! Both take errors as [`BoxError`]. An error a layer makes ends the call with
//! [`Error::Layer`](crate::Error::Layer) and is not retried; an error a layer passes on from
//! below keeps its meaning (a `reqwest::Error` is a transport failure, retried as always).
//! Layers added first are outermost, as in `tower::ServiceBuilder`.

use crate::descriptor::OperationInfo;
use crate::prepared::{Payload, Prepared};
use crate::retry::RetryPolicy;
use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use std::fmt;
use std::sync::Arc;
use tower::util::BoxCloneSyncService;
use tower::{Layer, Service, ServiceExt};

/// The tower crate the layers are written against, so its version always matches.
pub use tower;

pub use crate::error::BoxError;

/// The service an attempt layer wraps, and must itself be turned into.
pub type AttemptService = BoxCloneSyncService<reqwest::Request, reqwest::Response, BoxError>;

/// The service a call layer wraps, and must itself be turned into.
pub type CallService = BoxCloneSyncService<Call, CallResponse, BoxError>;

/// One call of an operation, as a call layer sees it: the request the client will send (without
/// credentials, which are added per attempt) and what it is.
pub struct Call {
    pub(crate) op: &'static OperationInfo,
    /// The resource version the request asks for, if the operation is versioned.
    pub(crate) api_version: Option<&'static str>,
    pub(crate) prepared: Prepared,
    /// A success body is left unread for the caller to stream.
    pub(crate) stream_success: bool,
    /// `envelope=true` was asked for, so answers come wrapped.
    pub(crate) enveloped: bool,
    /// A redirect is the answer: it goes out through a client that does not follow it.
    pub(crate) redirect_is_answer: bool,
    /// The request's own retry policy, over the client's.
    pub(crate) retry: Option<RetryPolicy>,
}

impl Call {
    /// The operation's `operationId`.
    pub fn operation_id(&self) -> &'static str {
        self.op.id
    }

    /// What the client knows of the operation: its parameters, media types, security
    /// schemes and deprecation.
    pub fn operation(&self) -> &'static OperationInfo {
        self.op
    }

    /// The operation's path with its `{placeholders}` unfilled (OpenTelemetry's `url.template`).
    pub fn url_template(&self) -> &'static str {
        self.op.path
    }

    /// The API version (resource version date) the request asks for, if the operation has any.
    pub fn api_version(&self) -> Option<&'static str> {
        self.api_version
    }

    /// The HTTP method.
    pub fn method(&self) -> &reqwest::Method {
        &self.prepared.method
    }

    /// The full URL, query included.
    pub fn url(&self) -> &url::Url {
        &self.prepared.url
    }

    /// The headers the client sends, credentials aside.
    pub fn headers(&self) -> &HeaderMap {
        &self.prepared.headers
    }

    /// The headers, to add one (a header the client sets itself is overwritten per attempt).
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        &mut self.prepared.headers
    }

    /// The body when it is held as bytes (JSON, a form); `None` for no body, a multipart form
    /// or an upload.
    pub fn body_bytes(&self) -> Option<&Bytes> {
        match &self.prepared.body {
            Some(Payload::Bytes(bytes)) => Some(bytes),
            _ => None,
        }
    }
}

impl fmt::Debug for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The query can hold an API key; the path and method say which call this is.
        f.debug_struct("Call")
            .field("operation", &self.op.id)
            .field("api_version", &self.api_version)
            .field("method", &self.prepared.method)
            .field("path", &self.prepared.url.path())
            .finish_non_exhaustive()
    }
}

/// What a call brought back, as a call layer sees it: the last attempt's status and headers,
/// and its body read whole, or left unread when the caller streams it.
#[derive(Debug)]
pub struct CallResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) unread: Option<reqwest::Response>,
}

impl CallResponse {
    /// An answer a layer makes itself (a cached one), with its body read whole.
    pub fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        CallResponse {
            status,
            headers,
            body,
            unread: None,
        }
    }

    /// The status of the answer.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers of the answer.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body, unless it is left unread for the caller to stream.
    pub fn body(&self) -> Option<&Bytes> {
        self.unread.is_none().then_some(&self.body)
    }
}

/// A layer added to a client builder, kept until the client is built.
pub(crate) type Wrap<S> = Arc<dyn Fn(S) -> S + Send + Sync>;

/// `layer` as a function from the boxed service below it to the boxed service above.
pub(crate) fn wrap<L, R, T>(layer: L) -> Wrap<BoxCloneSyncService<R, T, BoxError>>
where
    L: Layer<BoxCloneSyncService<R, T, BoxError>> + Send + Sync + 'static,
    L::Service: Service<R, Response = T> + Clone + Send + Sync + 'static,
    <L::Service as Service<R>>::Error: Into<BoxError>,
    <L::Service as Service<R>>::Future: Send + 'static,
    R: 'static,
    T: 'static,
{
    Arc::new(move |inner| BoxCloneSyncService::new(layer.layer(inner).map_err(Into::into)))
}

/// `innermost` with `wraps` around it, the first one outermost.
pub(crate) fn stack<S>(innermost: S, wraps: &[Wrap<S>]) -> S {
    wraps
        .iter()
        .rev()
        .fold(innermost, |service, wrap| wrap(service))
}

/// The attempt service of a plain `reqwest::Client`.
pub(crate) fn http_service(http: reqwest::Client) -> AttemptService {
    BoxCloneSyncService::new(http.map_err(BoxError::from))
}
