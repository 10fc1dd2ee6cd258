//! Injected faults: answers the stand-in gives for one operation instead of the spec's, so
//! tests can reproduce what a real server sometimes does (a 500 from a proxy, a truncated
//! body, a field value the spec does not list, a 429 with `Retry-After`).

use serde_json::Value;

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
        }
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

    pub fn operation(&self) -> &str {
        &self.operation
    }
}
