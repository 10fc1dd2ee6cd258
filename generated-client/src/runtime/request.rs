//! One request being built by a generated `send()`: parameters are checked and encoded as they
//! are added, and the request is sent only when every one of them passed.

use super::check::{run_checks, run_count_checks, Check, InvalidParameter, ParamValue};
use super::error::{excerpt, ApiErrorBody, Error};
use super::operation::OperationInfo;
use super::response::{RawResponse, ResponseValue};
use crate::Client;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE};
use tracing::Instrument;

/// Everything but RFC 3986's unreserved characters is encoded in a path segment, so a value
/// can never add a segment (`/`) or start a query (`?`). The dot segments `.` and `..` would
/// still be resolved away by URL normalisation (even percent-encoded), so they are refused.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A request under construction.
#[derive(Debug)]
pub struct Request<'c> {
    client: &'c Client,
    op: &'static OperationInfo,
    path: String,
    query: Vec<(&'static str, String)>,
    headers: Vec<(&'static str, String)>,
    body: Option<Result<Vec<u8>, String>>,
    problems: Vec<InvalidParameter>,
}

impl<'c> Request<'c> {
    pub(crate) fn new(client: &'c Client, op: &'static OperationInfo) -> Self {
        Request {
            client,
            op,
            path: op.path.to_owned(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            problems: Vec::new(),
        }
    }

    fn checked(
        &mut self,
        name: &'static str,
        value: &dyn ParamValue,
        checks: &[Check],
    ) -> Option<String> {
        match run_checks(name, value, checks) {
            Ok(()) => Some(value.to_param()),
            Err(problem) => {
                self.problems.push(problem);
                None
            }
        }
    }

    /// Fills the `{name}` placeholder with the percent-encoded value.
    pub fn path_param(
        &mut self,
        name: &'static str,
        value: &(impl ParamValue + ?Sized),
        checks: &[Check],
    ) {
        let Some(text) = self.checked(name, &value, checks) else {
            return;
        };
        let refused = match text.as_str() {
            "" => Some("a path parameter cannot be empty"),
            "." | ".." => Some("a path parameter cannot be a dot segment"),
            _ => None,
        };
        if let Some(reason) = refused {
            self.problems.push(InvalidParameter {
                name: name.to_owned(),
                value: text,
                reason: reason.to_owned(),
            });
            return;
        }
        let encoded = utf8_percent_encode(&text, PATH_SEGMENT).to_string();
        self.path = self.path.replace(&format!("{{{name}}}"), &encoded);
    }

    /// Adds `name=value` to the query (repeated for each item of an array parameter).
    pub fn query_param(
        &mut self,
        name: &'static str,
        value: &(impl ParamValue + ?Sized),
        checks: &[Check],
    ) {
        if let Some(text) = self.checked(name, &value, checks) {
            self.query.push((name, text));
        }
    }

    /// Sends the value as a request header.
    pub fn header_param(
        &mut self,
        name: &'static str,
        value: &(impl ParamValue + ?Sized),
        checks: &[Check],
    ) {
        if let Some(text) = self.checked(name, &value, checks) {
            self.headers.push((name, text));
        }
    }

    /// Checks the number of items of an array parameter.
    pub fn check_count(&mut self, name: &'static str, count: usize, checks: &[Check]) {
        if let Err(problem) = run_count_checks(name, count, checks) {
            self.problems.push(problem);
        }
    }

    /// Sends `body` as JSON.
    pub fn json_body<B: serde::Serialize + ?Sized>(&mut self, body: &B) {
        self.body = Some(serde_json::to_vec(body).map_err(|e| e.to_string()));
    }

    /// Sends the request and decodes the JSON body into `T`.
    pub async fn send<T: serde::de::DeserializeOwned, E: ApiErrorBody>(
        self,
    ) -> Result<ResponseValue<T>, Error<E>> {
        self.send_raw().await?.decode()
    }

    /// Sends the request and ignores any body.
    pub async fn send_empty<E: ApiErrorBody>(self) -> Result<ResponseValue<()>, Error<E>> {
        let raw = self.send_raw().await?;
        Ok(ResponseValue::new(raw.status, raw.headers, ()))
    }

    /// Sends the request; a success status gives the undecoded response, an error status the
    /// typed error.
    pub async fn send_raw<E: ApiErrorBody>(mut self) -> Result<RawResponse, Error<E>> {
        let op = self.op;
        let method = op.method.as_str();
        if let Some(Err(reason)) = &self.body {
            self.problems.push(InvalidParameter {
                name: "body".to_owned(),
                value: String::new(),
                reason: reason.clone(),
            });
        }
        if !self.problems.is_empty() {
            return Err(Error::InvalidRequest {
                operation: op.id,
                problems: self.problems,
            });
        }
        let pin = self.client.api_version();
        let accept = op
            .negotiate(pin)
            .map_err(|available| Error::UnsupportedVersion {
                operation: op.id,
                pinned: pin.unwrap_or_default().to_owned(),
                available,
            })?;
        let path = self.path;
        let mut url = self.client.endpoint(&path);
        if !self.query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(self.query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        let mut request = self.client.http().request(op.method.to_reqwest(), url);
        request = request.header(ACCEPT, accept.map_or("application/json", |m| m.media_type));
        for (name, value) in &self.headers {
            match (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                (Ok(name), Ok(value)) => request = request.header(name, value),
                _ => {
                    let problem = InvalidParameter {
                        name: (*name).to_owned(),
                        value: value.clone(),
                        reason: "cannot be sent as an HTTP header".to_owned(),
                    };
                    return Err(Error::InvalidRequest {
                        operation: op.id,
                        problems: vec![problem],
                    });
                }
            }
        }
        if let Some(Ok(body)) = self.body {
            let version = accept.and_then(|m| m.version);
            let content_type = op
                .requests
                .iter()
                .rev()
                .find(|m| m.version.is_none() || m.version == version)
                .map_or("application/json", |m| m.media_type);
            request = request.header(CONTENT_TYPE, content_type).body(body);
        }
        request = self.client.authorize(request);

        let span = tracing::debug_span!(
            "request",
            operation = op.id,
            method,
            path = op.path,
            status = tracing::field::Empty
        );
        let transport = |source| Error::Transport {
            operation: op.id,
            method,
            path: path.clone(),
            source,
        };
        let response = request
            .send()
            .instrument(span.clone())
            .await
            .map_err(transport)?;
        let status = response.status();
        span.record("status", status.as_u16());
        let headers = response.headers().clone();
        let body = response.bytes().instrument(span).await.map_err(transport)?;
        if status.is_success() {
            return Ok(RawResponse {
                operation: op.id,
                method,
                path,
                status,
                headers,
                version: accept.and_then(|m| m.version),
                body,
            });
        }
        match serde_json::from_slice::<E>(&body) {
            Ok(error) => Err(Error::Api {
                operation: op.id,
                method,
                path,
                status,
                headers: Box::new(headers),
                body: Box::new(error),
            }),
            Err(_) => Err(Error::UnexpectedStatus {
                operation: op.id,
                method,
                path,
                status,
                headers: Box::new(headers),
                excerpt: excerpt(&body),
            }),
        }
    }
}
