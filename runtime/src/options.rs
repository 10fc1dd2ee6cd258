//! Settings for one request only, over the client's: a timeout, a retry policy, an API version
//! pin and extra headers (as aws-sdk-rust's `customize()`). Every generated request builder
//! takes them with `request_options`.

use crate::dialect::is_api_version;
use crate::retry::RetryPolicy;
use std::time::Duration;

/// What one request does differently from its client. Unset parts keep the client's setting.
///
/// ```
/// use atlas_snapshots_runtime::{RequestOptions, RetryPolicy};
/// use std::time::Duration;
/// let options = RequestOptions::new()
///     .timeout(Duration::from_secs(5))
///     .retry_policy(RetryPolicy::disabled())
///     .api_version("2023-01-01")
///     .header("x-request-id", "3f0c");
/// assert_eq!(options.pinned_version(), Some("2023-01-01"));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) api_version: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
}

impl RequestOptions {
    /// No overrides: the client's settings.
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// Limit on this request, from connecting to the end of the body (each attempt).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How this request is retried.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Pins this request to an API version date, as
    /// [`ClientBuilder::api_version`](crate::ClientBuilder::api_version) does for all; a value
    /// that is not a date makes the request fail before sending.
    pub fn api_version(mut self, date: impl Into<String>) -> Self {
        self.api_version = Some(date.into());
        self
    }

    /// Sends one more header with this request; it cannot replace `Accept`, `Content-Type` or
    /// `Authorization`, which the client sets.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The version pin of this request, if it has one.
    pub fn pinned_version(&self) -> Option<&str> {
        self.api_version.as_deref()
    }

    /// Why the options cannot be used, if they cannot.
    pub(crate) fn problem(&self) -> Option<String> {
        match &self.api_version {
            Some(version) if !is_api_version(version) => Some(format!(
                "invalid API version {version:?}: expected a date such as 2023-01-01, a date \
                 with `.upcoming`, or `preview`"
            )),
            _ => None,
        }
    }
}
