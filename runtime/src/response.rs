//! Successful responses: the decoded body together with the status and headers it came with.

use crate::dialect;
use crate::error::{excerpt, ApiErrorBody, Error};
use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// A decoded response body with its status and headers.
#[derive(Debug, Clone)]
pub struct ResponseValue<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> ResponseValue<T> {
    /// A response as the server would have sent it: for tests of code that handles responses.
    pub fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        ResponseValue {
            status,
            headers,
            body,
        }
    }

    /// The status the server answered with.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The answer's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, taken out of the response.
    pub fn into_inner(self) -> T {
        self.body
    }

    /// `RateLimit-Limit`: how many requests the current window allows, if the server said.
    pub fn rate_limit_limit(&self) -> Option<u64> {
        header_number(&self.headers, "ratelimit-limit")
    }

    /// `RateLimit-Remaining`: how many requests are left in the current window.
    pub fn rate_limit_remaining(&self) -> Option<u64> {
        header_number(&self.headers, "ratelimit-remaining")
    }

    /// The same response with its body transformed.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ResponseValue<U> {
        ResponseValue {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
        }
    }
}

impl<T> std::ops::Deref for ResponseValue<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.body
    }
}

fn header_number(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// A successful response whose body is not decoded yet; used when the body's type depends on
/// the API version the server answered with.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub(crate) operation: &'static str,
    pub(crate) method: &'static str,
    pub(crate) path: String,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) version: Option<&'static str>,
    pub(crate) body: Bytes,
}

impl RawResponse {
    /// The resource version the response is in: the one named by its `Content-Type`, or else
    /// the one the client asked for.
    pub fn version(&self) -> Option<&str> {
        let content_type = self
            .headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        content_type
            .and_then(dialect::media_type_version)
            .or(self.version)
    }

    /// The status the server answered with.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The answer's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body as received.
    pub fn bytes(&self) -> &Bytes {
        &self.body
    }

    /// Decodes the body as JSON into `T`.
    pub fn decode<T: serde::de::DeserializeOwned, E: ApiErrorBody>(
        self,
    ) -> Result<ResponseValue<T>, Error<E>> {
        match serde_json::from_slice::<T>(&self.body) {
            Ok(body) => Ok(ResponseValue::new(self.status, self.headers, body)),
            Err(source) => Err(Error::Decode {
                operation: self.operation,
                method: self.method,
                path: self.path,
                status: self.status,
                expected: short_type_name::<T>(),
                excerpt: excerpt(&self.body),
                source,
            }),
        }
    }
}

/// `atlas_snapshots::generated::models::Foo` → `Foo`, for messages.
fn short_type_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    let before_generics = full.split('<').next().unwrap_or(full);
    match before_generics.rsplit_once("::") {
        Some((_, name)) if !full.contains('<') => name,
        _ => full,
    }
}
