//! What one attempt of a request brought back, and what the last attempt's answer means for
//! the caller: the undecoded success, or the error its status stands for (a refused API
//! version, the typed API error, or an unexpected status).

use crate::auth::Answered;
use crate::body::read_limited;
use crate::credentials::Redactions;
use crate::dialect::envelope;
use crate::error::{excerpt, ApiErrorBody, Error};
use crate::redirect::{refusal, Refused};
use crate::response::RawResponse;
use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

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
}

/// An answer: status line, headers and the whole body, or a success whose body is left unread
/// for the caller to stream.
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body read whole; empty when it is left `unread`.
    pub body: Bytes,
    pub unread: Option<reqwest::Response>,
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
}

impl From<reqwest::Error> for ReceiveError {
    fn from(error: reqwest::Error) -> Self {
        match refusal(&error) {
            Some(refused) => ReceiveError::Redirect(refused.clone()),
            None => ReceiveError::Transport(error),
        }
    }
}

impl Answer {
    /// Sends the request and reads the whole body, up to `limit` bytes; with `stream_success`,
    /// a success body is left unread (an error body is read as always, to be decoded).
    pub async fn receive(
        request: reqwest::RequestBuilder,
        limit: usize,
        stream_success: bool,
    ) -> Result<Answer, ReceiveError> {
        let response = request.send().await?;
        let status = response.status();
        let headers = response.headers().clone();
        if stream_success && status.is_success() {
            return Ok(Answer {
                status,
                headers,
                body: Bytes::new(),
                unread: Some(response),
            });
        }
        match read_limited(response, limit).await? {
            Some(body) => Ok(Answer {
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
    pub fn open_envelope(&mut self) {
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
    pub fn conclude<E: ApiErrorBody>(
        self,
        target: Target,
        redactions: &Redactions,
    ) -> Result<RawResponse, Error<E>> {
        let Answer {
            status,
            headers,
            body,
            ..
        } = self;
        if status.is_success() {
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

impl Answered for Answer {
    fn status(&self) -> StatusCode {
        self.status
    }
    fn headers(&self) -> &HeaderMap {
        &self.headers
    }
}
