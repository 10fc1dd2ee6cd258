//! The client users build once and share: base URL, the underlying HTTP client, the API
//! version it is pinned to, and its credentials. Cloning is cheap (one `Arc`).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::runtime::auth::Authenticator;
use crate::runtime::{Credentials, CredentialsError, RetryPolicy};

/// A client of the API. Operations are its methods (generated, one per operation).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: url::Url,
    api_version: Option<String>,
    auth: Option<Authenticator>,
    retry: RetryPolicy,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Credentials show their kind and public part only.
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("api_version", &self.inner.api_version)
            .field("credentials", &self.inner.auth)
            .finish()
    }
}

/// Why a client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    #[error("invalid base URL {url:?}: {reason}")]
    BaseUrl { url: String, reason: String },
    #[error("invalid API version {0:?}: expected a date such as 2023-01-01")]
    ApiVersion(String),
    #[error("cannot build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
}

impl Client {
    /// A client of `base_url` with default settings.
    pub fn new(base_url: &str) -> Result<Self, BuildError> {
        Client::builder().base_url(base_url).build()
    }

    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    pub fn base_url(&self) -> &url::Url {
        &self.inner.base_url
    }

    /// The API version date the client is pinned to; `None` means the newest each operation has.
    pub fn api_version(&self) -> Option<&str> {
        self.inner.api_version.as_deref()
    }

    /// How GET requests are retried.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The URL of an already encoded path below the base URL.
    pub(crate) fn endpoint(&self, path: &str) -> url::Url {
        let mut url = self.inner.base_url.clone();
        let base_path = url.path().trim_end_matches('/').to_owned();
        url.set_path(&format!("{base_path}{path}"));
        url
    }

    /// The kind of credentials the client authenticates with, if any.
    pub fn credential_kind(&self) -> Option<crate::runtime::CredentialKind> {
        self.inner.auth.as_ref().map(Authenticator::kind)
    }

    pub(crate) fn authenticator(&self) -> Option<&Authenticator> {
        self.inner.auth.as_ref()
    }

    /// Starts a request for `op`; used by the generated request builders.
    pub fn request(
        &self,
        op: &'static crate::runtime::OperationInfo,
    ) -> crate::runtime::Request<'_> {
        crate::runtime::Request::new(self, op)
    }
}

/// Settings of a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    api_version: Option<String>,
    /// Set by the credential setters in `runtime/auth_credentials.rs`; an error from the
    /// environment is reported by `build`.
    pub(crate) credentials: Option<Result<Credentials, CredentialsError>>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("api_version", &self.api_version)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .finish()
    }
}

impl ClientBuilder {
    /// The server to talk to; defaults to the one the spec names.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Pins the client to an API version date: each operation is sent with the newest of its
    /// versions that is not newer than this date.
    pub fn api_version(mut self, date: impl Into<String>) -> Self {
        self.api_version = Some(date.into());
        self
    }

    /// Limit on a whole request, from connecting to the end of the body (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Limit on establishing a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How GET requests are retried after a 429, a 5xx, a timeout or a failed connection
    /// (default: [`RetryPolicy::default`], 3 attempts; [`RetryPolicy::disabled`] for one).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Uses an HTTP client configured elsewhere; the timeouts set here are then not applied.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Checks the settings and builds the client. Credentials are set with
    /// [`credentials`](ClientBuilder::credentials), [`digest_auth`](ClientBuilder::digest_auth),
    /// [`service_account`](ClientBuilder::service_account),
    /// [`bearer_token`](ClientBuilder::bearer_token) or
    /// [`credentials_from_env`](ClientBuilder::credentials_from_env).
    pub fn build(self) -> Result<Client, BuildError> {
        let raw = self
            .base_url
            .unwrap_or_else(|| crate::generated::DEFAULT_BASE_URL.to_owned());
        let base_url = url::Url::parse(&raw).map_err(|e| BuildError::BaseUrl {
            url: raw.clone(),
            reason: e.to_string(),
        })?;
        if base_url.cannot_be_a_base() || !matches!(base_url.scheme(), "http" | "https") {
            return Err(BuildError::BaseUrl {
                url: raw,
                reason: "must be an http or https URL".to_owned(),
            });
        }
        if let Some(version) = &self.api_version {
            if !is_version_date(version) {
                return Err(BuildError::ApiVersion(version.clone()));
            }
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .timeout(self.timeout.unwrap_or(Duration::from_secs(60)))
                .connect_timeout(self.connect_timeout.unwrap_or(Duration::from_secs(10)))
                .user_agent(concat!(
                    env!("CARGO_PKG_NAME"),
                    "/",
                    env!("CARGO_PKG_VERSION")
                ))
                .build()
                .map_err(BuildError::Http)?,
        };
        let auth = self
            .credentials
            .transpose()?
            .map(|credentials| Authenticator::new(credentials, &base_url, http.clone()));
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                api_version: self.api_version,
                auth,
                retry: self.retry,
            }),
        })
    }
}

/// `YYYY-MM-DD`, the shape of Atlas resource versions.
fn is_version_date(text: &str) -> bool {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok() && text.len() == 10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_validates_and_debug_hides_the_token() {
        let client = Client::builder()
            .base_url("http://127.0.0.1:1/base/")
            .bearer_token("s3cret-token")
            .build()
            .unwrap();
        assert_eq!(
            client.endpoint("/api/x%2Fy").as_str(),
            "http://127.0.0.1:1/base/api/x%2Fy"
        );
        let shown = format!("{client:?}");
        assert!(!shown.contains("s3cret-token"), "{shown}");
        assert!(shown.contains("<redacted>"));
        assert!(matches!(
            Client::builder().api_version("2023-13-01").build(),
            Err(BuildError::ApiVersion(_))
        ));
        assert!(matches!(
            Client::new("not a url"),
            Err(BuildError::BaseUrl { .. })
        ));
        assert!(matches!(
            Client::new("mailto:a@b.c"),
            Err(BuildError::BaseUrl { .. })
        ));
    }
}
