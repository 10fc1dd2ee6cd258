//! What one attempt of a request brought back (a [`CallResponse`], the answer call layers see),
//! and what the last attempt's answer means for the caller: the undecoded success, or the error
//! its status stands for (a refused API version, the typed API error, or an unexpected status).

use crate::auth::Answered;
use crate::body::read_limited;
use crate::credentials::Redactions;
use crate::dialect::envelope;
use crate::error::{excerpt, ApiErrorBody, Error};
use crate::layer::{AttemptService, BoxError, CallResponse};
use crate::redirect::{refusal, Refused};
use crate::response::RawResponse;
use crate::telemetry;
use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use tower::ServiceExt;

/// Where a request went, for the response and for every error message.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub operation: &'static str,
    pub method: &'static str,
    /// The request path, parameters filled in (never the query, which may name secrets).
    pub path: String,
    /// The media type sent in `Accept`.
    pub accept: &'static str,
    /// The resource version that media type names.
    pub version: Option<&'static str>,
    /// A 3xx answer is the operation's result (see `Request::redirect_is_answer`).
    pub redirect_is_answer: bool,
}

/// Why no whole answer came back.
#[derive(Debug)]
pub(crate) enum ReceiveError {
    /// The request could not be sent, or the answer not read.
    Transport(reqwest::Error),
    /// The body is longer than the client accepts; nothing of it is kept.
    TooLarge { status: StatusCode, limit: usize },
    /// A redirect to another origin was not followed, to keep the credentials from it.
    Redirect(Refused),
    /// An attempt layer failed the request with an error of its own.
    Layer(BoxError),
}

impl ReceiveError {
    /// OpenTelemetry's `error.type` of the failure.
    pub fn error_type(&self) -> &'static str {
        match self {
            ReceiveError::Transport(error) => telemetry::transport_error_type(error),
            ReceiveError::TooLarge { .. } => "body_too_large",
            ReceiveError::Redirect(_) => "redirect_not_followed",
            ReceiveError::Layer(_) => "layer",
        }
    }
}

impl From<reqwest::Error> for ReceiveError {
    fn from(error: reqwest::Error) -> Self {
        match refusal(&error) {
            Some(refused) => ReceiveError::Redirect(refused.clone()),
            None => ReceiveError::Transport(error),
        }
    }
}

impl CallResponse {
    /// Sends the request through the attempt layers and reads the whole body, up to `limit`
    /// bytes; with `stream_success`, a success body is left unread (an error body is read as
    /// always, to be decoded).
    pub(crate) async fn receive(
        attempt: AttemptService,
        request: reqwest::Request,
        limit: usize,
        stream_success: bool,
    ) -> Result<CallResponse, ReceiveError> {
        let response = match attempt.oneshot(request).await {
            Ok(response) => response,
            Err(error) => {
                return Err(match error.downcast::<reqwest::Error>() {
                    Ok(error) => ReceiveError::from(*error),
                    Err(error) => ReceiveError::Layer(error),
                })
            }
        };
        let status = response.status();
        let headers = response.headers().clone();
        if stream_success && status.is_success() {
            return Ok(CallResponse {
                status,
                headers,
                body: Bytes::new(),
                unread: Some(response),
            });
        }
        match read_limited(response, limit).await? {
            Some(body) => Ok(CallResponse {
                status,
                headers,
                body,
                unread: None,
            }),
            None => Err(ReceiveError::TooLarge { status, limit }),
        }
    }

    /// Replaces an `envelope=true` answer by the status and body inside it (a body left unread
    /// is not looked into).
    pub(crate) fn open_envelope(&mut self) {
        if self.unread.is_some() {
            return;
        }
        if let Some((status, body)) = envelope::open(self.status, &self.body) {
            self.status = status;
            self.body = body;
        }
    }

    /// The success as a raw response, or the error its status means. An error body has the
    /// client's secrets cut out before anything of it is kept.
    pub(crate) fn conclude<E: ApiErrorBody>(
        self,
        target: Target,
        redactions: &Redactions,
    ) -> Result<RawResponse, Error<E>> {
        let CallResponse {
            status,
            headers,
            body,
            ..
        } = self;
        if status.is_success() || (target.redirect_is_answer && status.is_redirection()) {
            return Ok(RawResponse {
                operation: target.operation,
                method: target.method,
                path: target.path,
                status,
                headers,
                version: target.version,
                body,
            });
        }
        let body = redactions.scrub_body(body);
        let error_body = serde_json::from_slice::<E>(&body).ok();
        if matches!(status, StatusCode::NOT_ACCEPTABLE | StatusCode::GONE) {
            return Err(Error::VersionRejected {
                operation: target.operation,
                method: target.method,
                path: target.path,
                status,
                requested: target.accept,
                body: error_body.map(Box::new),
                excerpt: excerpt(&body),
            });
        }
        match error_body {
            Some(error) => Err(Error::Api {
                operation: target.operation,
                method: target.method,
                path: target.path,
                status,
                headers: Box::new(headers),
                body: Box::new(error),
            }),
            None => Err(Error::UnexpectedStatus {
                operation: target.operation,
                method: target.method,
                path: target.path,
                status,
                headers: Box::new(headers),
                excerpt: excerpt(&body),
            }),
        }
    }
}

impl Answered for CallResponse {
    fn status(&self) -> StatusCode {
        self.status
    }
    fn headers(&self) -> &HeaderMap {
        &self.headers
    }
}
