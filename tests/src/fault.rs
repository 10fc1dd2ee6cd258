//! Injected faults: answers the stand-in gives for one operation instead of the spec's, so
//! tests can reproduce what a real server sometimes does (a 500 from a proxy, a truncated
//! body, a field value the spec does not list, a 429 with `Retry-After`, a slow answer, a
//! refused or retired API version).
//!
//! A fault either replaces the answer with a canned one (status, headers, body) or, for the
//! kinds built on [`Fault::as_spec`], alters the answer the spec would give: a delay, changed
//! values, a body cut off before its `Content-Length`.

use crate::spec::Spec;
use axum::body::{Body, Bytes};
use axum::http::header::{HeaderValue, CONTENT_LENGTH};
use axum::response::Response;
use serde_json::{json, Value};
use std::time::Duration;

/// The `errorCode` of the stand-in's 410 for an API version that was retired.
pub const VERSION_GONE_ERROR_CODE: &str = "VERSION_GONE";

/// A canned answer for one operation. Built with [`Fault::on`] and the setters, then handed to
/// [`crate::StandIn::inject`]. Unless limited with [`Fault::times`], it answers every request
/// to the operation until [`crate::StandIn::clear_faults`].
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    pub(crate) operation: String,
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
    pub(crate) content_type: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) remaining: Option<usize>,
    /// How long the answer waits before it is sent.
    pub(crate) delay: Duration,
    /// Answer as the spec would, altered by `changes` and `cut_after`.
    pub(crate) spec_answer: bool,
    /// JSON pointers into the spec answer's body and the values to put there.
    pub(crate) changes: Vec<(String, Value)>,
    /// Send only this many bytes of the body, then break the connection.
    pub(crate) cut_after: Option<usize>,
    /// Query parameters a request must carry for the fault to apply to it.
    pub(crate) query: Vec<(String, String)>,
}

impl Fault {
    /// A fault of the operation with this `operationId`: by default a 500 with an empty body.
    pub fn on(operation_id: impl Into<String>) -> Self {
        Fault {
            operation: operation_id.into(),
            status: 500,
            body: Vec::new(),
            content_type: None,
            headers: Vec::new(),
            remaining: None,
            delay: Duration::ZERO,
            spec_answer: false,
            changes: Vec::new(),
            cut_after: None,
            query: Vec::new(),
        }
    }

    /// The answer the spec would give, to be altered by [`Fault::delay`], [`Fault::change`]
    /// or [`Fault::cut_after`]; the canned status, body and headers are then not used.
    pub fn as_spec(operation_id: impl Into<String>) -> Self {
        Fault {
            spec_answer: true,
            ..Fault::on(operation_id)
        }
    }

    /// The spec's answer, `delay` late.
    pub fn slow(operation_id: impl Into<String>, delay: Duration) -> Self {
        Fault::as_spec(operation_id).delay(delay)
    }

    /// The spec's answer with its body cut off after 64 bytes: the `Content-Length` announces
    /// the whole body, then the connection breaks.
    pub fn truncated(operation_id: impl Into<String>) -> Self {
        Fault::as_spec(operation_id).cut_after(64)
    }

    /// The spec's answer with the value at a JSON pointer (`/results/0/status`) replaced, such
    /// as an enum value the spec does not list.
    pub fn changed(operation_id: impl Into<String>, pointer: &str, value: Value) -> Self {
        Fault::as_spec(operation_id).change(pointer, value)
    }

    /// A 429 with `Retry-After` (seconds or an HTTP date) and the spec's `tooManyRequests`
    /// example as the body.
    pub fn too_many_requests(operation_id: impl Into<String>, retry_after: &str) -> Self {
        Fault::on(operation_id)
            .status(429)
            .json(Spec::shared().error_example("tooManyRequests"))
            .header("retry-after", retry_after)
    }

    /// A 410 Gone in the shape of the spec's `ApiError`, as for an API version Atlas retired.
    pub fn version_gone(operation_id: impl Into<String>) -> Self {
        Fault::on(operation_id).status(410).json(&json!({
            "detail": "The API version requested has been retired; ask for a newer one.",
            "error": 410,
            "errorCode": VERSION_GONE_ERROR_CODE,
            "reason": "Gone",
        }))
    }

    /// A 200 whose body is cut off in the middle of a JSON document.
    pub fn malformed_json(operation_id: impl Into<String>) -> Self {
        Fault::on(operation_id)
            .status(200)
            .raw(r#"{"links": [{"href": "https://cloud.mongodb.com/api/atlas/v2", "rel": "self"}], "results": [{"id": "68170289f1a2b3c4d5e60c22", "status": "COMPL"#)
    }

    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// The body, as JSON.
    pub fn json(mut self, body: &Value) -> Self {
        self.body = serde_json::to_vec(body).expect("a JSON value always serializes");
        self
    }

    /// The body, byte for byte.
    pub fn raw(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// The `Content-Type`. Without one, a success answers with the negotiated media type and
    /// an error with `application/json`.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// An extra response header; it replaces one the server would send otherwise.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Answers only the next `n` requests to the operation, then the spec's answer again.
    pub fn times(mut self, n: usize) -> Self {
        self.remaining = Some(n);
        self
    }

    /// Waits this long before answering (on top of the server's latency).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// With [`Fault::as_spec`]: puts `value` at the JSON pointer of the spec answer's body.
    pub fn change(mut self, pointer: &str, value: Value) -> Self {
        self.changes.push((pointer.to_owned(), value));
        self
    }

    /// Sends the first `bytes` bytes of the body under a `Content-Length` of the whole, then
    /// breaks the connection.
    pub fn cut_after(mut self, bytes: usize) -> Self {
        self.cut_after = Some(bytes);
        self
    }

    /// Applies only to requests whose query has `name=value`, such as one page of a list.
    pub fn when_query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    pub fn operation(&self) -> &str {
        &self.operation
    }

    /// Whether a request with these query pairs is one the fault applies to.
    pub(crate) fn matches_query(&self, pairs: &[(String, String)]) -> bool {
        self.query.iter().all(|wanted| pairs.contains(wanted))
    }

    /// Whether the fault alters the spec's answer rather than replacing it.
    pub(crate) fn answers_as_spec(&self) -> bool {
        self.spec_answer
    }

    /// Puts the changed values into the spec answer's JSON body.
    pub(crate) async fn apply_changes(&self, response: Response) -> Response {
        if self.changes.is_empty() {
            return response;
        }
        let (parts, body) = response.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        let mut json: Value = match serde_json::from_slice(&bytes) {
            Ok(json) => json,
            Err(_) => return Response::from_parts(parts, Body::from(bytes)),
        };
        for (pointer, value) in &self.changes {
            let target = json.pointer_mut(pointer).unwrap_or_else(|| {
                panic!(
                    "fault of `{}`: the answer has nothing at {pointer}",
                    self.operation
                )
            });
            *target = value.clone();
        }
        let text = serde_json::to_vec(&json).expect("a JSON value always serializes");
        let mut response = Response::from_parts(parts, Body::from(text));
        response.headers_mut().remove(CONTENT_LENGTH);
        response
    }

    /// Cuts the body off, when the fault says so.
    pub(crate) async fn apply_cut(&self, response: Response) -> Response {
        let Some(keep) = self.cut_after else {
            return response;
        };
        let (mut parts, body) = response.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        parts
            .headers
            .insert(CONTENT_LENGTH, HeaderValue::from(bytes.len()));
        let sent = bytes.slice(..keep.min(bytes.len()));
        // A body stream that fails makes the server drop the connection mid-body.
        let broken: [Result<Bytes, std::io::Error>; 2] = [
            Ok(sent),
            Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionAborted,
                "body cut off by an injected fault",
            )),
        ];
        Response::from_parts(parts, Body::from_stream(futures_util::stream::iter(broken)))
    }
}
