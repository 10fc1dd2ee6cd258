//! The requests the stand-in server received, kept in arrival order so tests can check what a
//! client actually put on the wire: method, raw path, raw and decoded query, headers, and
//! which spec operation the route belongs to.

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

    /// The single value of a query parameter.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        match self.query_values(name).as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }
}
