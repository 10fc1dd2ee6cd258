//! The requests the stand-in server received, kept in arrival order so tests can check what a
//! client actually put on the wire: method, raw path, raw and decoded query, headers, body,
//! and which spec operation the route belongs to.

use axum::http::HeaderMap;

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path exactly as sent, percent-encoding included.
    pub path: String,
    /// The query string exactly as sent, without the `?`.
    pub query: Option<String>,
    /// The query as decoded `(name, value)` pairs, in order.
    pub query_pairs: Vec<(String, String)>,
    pub headers: HeaderMap,
    /// The `operationId` whose route matched; `None` for a path the spec does not have.
    pub operation: Option<String>,
    /// The body exactly as sent; empty when there was none.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The value of a header (any case), if it was sent once and is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The values of a query parameter, in order.
    pub fn query_values(&self, name: &str) -> Vec<&str> {
        self.query_pairs
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The body as JSON.
    ///
    /// # Panics
    /// When the body is not JSON: a test asking for it expects JSON.
    pub fn body_json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!("the body of {} {} is not JSON: {e}", self.method, self.path)
        })
    }

    /// The single value of a query parameter.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        match self.query_values(name).as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }
}
