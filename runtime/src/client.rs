//! The client users build once and share: base URL, the underlying HTTP client, the API
//! version it is pinned to, its credentials and retry policy. Cloning is cheap (one `Arc`).
//!
//! A generated crate defines its own `Client` around a [`BaseClient`], so that its operations
//! can be methods of it, and names [`ClientBuilder`] for that type; the builder takes its default
//! base URL from the generated crate through [`ApiClient`].

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use crate::auth::{AuthFailure, Authenticator, SpecOAuth};
use crate::credentials::{CredentialKind, Credentials, CredentialsError, Redactions};
use crate::descriptor::OperationInfo;
use crate::dialect::is_api_version;
use crate::exchange::{Exchange, NoFollow, Transport};
use crate::layer::{self, AttemptService, BoxError, Call, CallResponse, CallService, Wrap};
use crate::limits::Limits;
use crate::redirect;
use crate::retry::RetryPolicy;
use crate::time::{AsyncSleep, Clock, TimeSource};
use tower::util::BoxCloneSyncService;
use tower::{Layer, Service};

/// The part of a client that every generated API shares: where requests go, how they are
/// authenticated and retried. A generated `Client` dereferences to it.
#[derive(Clone)]
pub struct BaseClient {
    inner: Arc<Inner>,
}

/// What a generated crate tells the runtime about its own client type.
#[doc(hidden)]
pub trait ApiClient: Sized {
    /// The server the spec names, used when no base URL is set.
    const DEFAULT_BASE_URL: &'static str;
    /// `name/version` of the generated crate, sent as `User-Agent`.
    const USER_AGENT: &'static str;
    /// The token URL of the spec's OAuth 2.0 client-credentials scheme, if it has one.
    const TOKEN_URL: Option<&'static str> = None;
    /// The scopes that scheme declares, asked for with every token.
    const TOKEN_SCOPES: &'static [&'static str] = &[];
    /// The prefix of the environment variables
    /// [`credentials_from_env`](ClientBuilder::credentials_from_env) reads
    /// (`{prefix}_CLIENT_ID`, ...): Atlas's own for Atlas, the API's name for another API.
    const ENV_PREFIX: &'static str = crate::dialect::ATLAS_ENV_PREFIX;
    /// Wraps a built base client.
    fn from_base(base: BaseClient) -> Self;
}

impl ApiClient for BaseClient {
    const DEFAULT_BASE_URL: &'static str = "";
    const USER_AGENT: &'static str =
        concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
    fn from_base(base: BaseClient) -> Self {
        base
    }
}

/// The security schemes an API declares, as marks on its generated `Client`: the
/// [`ClientBuilder`] offers a way to authenticate only where the client carries its mark, so a
/// client of an API without HTTP Basic has no `basic_auth`. [`BaseClient`] carries every mark.
pub mod schemes {
    use super::{ApiClient, BaseClient};

    /// The API declares HTTP Digest authentication.
    pub trait Digest: ApiClient {}
    /// The API declares HTTP Basic authentication.
    pub trait Basic: ApiClient {}
    /// The API accepts a bearer token: HTTP bearer, any OAuth 2.0 flow or OpenID Connect.
    pub trait Bearer: ApiClient {}
    /// The API declares the OAuth 2.0 client-credentials flow.
    pub trait ClientCredentials: ApiClient {}
    /// The API declares an API key (in a header, the query or a cookie).
    pub trait ApiKey: ApiClient {}

    impl Digest for BaseClient {}
    impl Basic for BaseClient {}
    impl Bearer for BaseClient {}
    impl ClientCredentials for BaseClient {}
    impl ApiKey for BaseClient {}
}

struct Inner {
    base_url: url::Url,
    api_version: Option<String>,
    transport: Arc<Transport>,
    /// The call layers around the transport.
    call: CallService,
}

impl fmt::Debug for BaseClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Credentials show their kind and public part only.
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("api_version", &self.inner.api_version)
            .field("credentials", &self.inner.transport.auth)
            .finish()
    }
}

/// Why a client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL does not parse, or is not an http or https URL.
    #[error("invalid base URL {url:?}: {reason}")]
    BaseUrl {
        /// The base URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The API version pin is not a version date.
    #[error("invalid API version {0:?}: expected a date such as 2023-01-01, a date with `.upcoming`, or `preview`")]
    ApiVersion(String),
    /// The HTTP client could not be built (TLS set-up, for one).
    #[error("cannot build the HTTP client")]
    Http(#[source] reqwest::Error),
    /// The credentials could not be read from the environment.
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
}

impl BaseClient {
    /// The server requests go to.
    pub fn base_url(&self) -> &url::Url {
        &self.inner.base_url
    }

    /// The API version date the client is pinned to; `None` means the newest each operation has.
    pub fn api_version(&self) -> Option<&str> {
        self.inner.api_version.as_deref()
    }

    /// How requests are retried (see [`RetryPolicy`] for which methods when).
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.transport.retry
    }

    /// The sleep and time source the client's retries and waiters run on.
    pub fn clock(&self) -> &Clock {
        &self.inner.transport.clock
    }

    /// The call layers around the client's transport, ready for one call.
    pub(crate) fn call_service(&self) -> CallService {
        self.inner.call.clone()
    }

    /// The URL of an already encoded path below the base URL.
    pub(crate) fn endpoint(&self, path: &str) -> url::Url {
        let mut url = self.inner.base_url.clone();
        let base_path = url.path().trim_end_matches('/').to_owned();
        url.set_path(&format!("{base_path}{path}"));
        url
    }

    /// The kind of credentials the client authenticates with, if any.
    pub fn credential_kind(&self) -> Option<CredentialKind> {
        self.inner.transport.auth.as_ref().map(Authenticator::kind)
    }

    /// Refuses `op` when the client's credentials are of a kind it does not accept.
    pub(crate) fn permits(&self, op: &'static OperationInfo) -> Result<(), AuthFailure> {
        match &self.inner.transport.auth {
            Some(auth) if !op.takes_no_credentials() => auth.permits(op),
            _ => Ok(()),
        }
    }

    /// The client's secrets, to cut out of what a server sends back.
    pub(crate) fn redactions(&self) -> &Redactions {
        &self.inner.transport.redactions
    }

    pub(crate) fn limits(&self) -> Limits {
        self.inner.transport.limits
    }
}

/// Settings of a client; [`build`](ClientBuilder::build) checks them and makes the client `C`
/// (a generated crate's `Client`).
///
/// # Redirects
///
/// The client follows up to 10 redirects within the origin (scheme, host and port) of a
/// request. A client built with credentials follows none to another origin, for any of its
/// requests, since they carry the credentials (an `Authorization` header, an API key in a
/// header, the query or a cookie, a token request's client secret): the request fails with
/// [`Error::RedirectNotFollowed`](crate::Error::RedirectNotFollowed), which names the target
/// without its query. A client without credentials follows such a redirect.
///
/// An operation whose spec declares only redirects as answers (no 2xx) has the redirect as its
/// result: the client returns it, with its `Location` and body, and follows nothing.
pub struct ClientBuilder<C = BaseClient> {
    base_url: Option<String>,
    api_version: Option<String>,
    /// An error from the environment is reported by `build`.
    credentials: Option<Result<Credentials, CredentialsError>>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    limits: Limits,
    attempt_layers: Vec<Wrap<AttemptService>>,
    call_layers: Vec<Wrap<CallService>>,
    clock: Clock,
    client: PhantomData<fn() -> C>,
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            base_url: None,
            api_version: None,
            credentials: None,
            timeout: None,
            connect_timeout: None,
            http: None,
            retry: RetryPolicy::default(),
            limits: Limits::default(),
            attempt_layers: Vec::new(),
            call_layers: Vec::new(),
            clock: Clock::default(),
            client: PhantomData,
        }
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("api_version", &self.api_version)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("limits", &self.limits)
            .field("attempt_layers", &self.attempt_layers.len())
            .field("call_layers", &self.call_layers.len())
            .finish()
    }
}

impl<C: ApiClient> ClientBuilder<C> {
    /// Settings with every default: the spec's server, no credentials, no version pin.
    pub fn new() -> Self {
        ClientBuilder::default()
    }

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

    /// How requests are retried after a 429, a 5xx, a timeout or a failed connection, as far
    /// as their method allows (see [`RetryPolicy`]; default: [`RetryPolicy::default`], 3
    /// attempts; [`RetryPolicy::disabled`] for one).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How the client sleeps between retries and between a waiter's polls (default: Tokio's
    /// timer, [`TokioSleep`](crate::TokioSleep)).
    pub fn sleep_impl(mut self, sleep: impl AsyncSleep + 'static) -> Self {
        self.clock = self.clock.with_sleep(Arc::new(sleep));
        self
    }

    /// Where the client reads the time, to hold a waiter to its deadline and to read a
    /// `Retry-After` date (default: the system clock, [`SystemClock`](crate::SystemClock)).
    pub fn time_source(mut self, time: impl TimeSource + 'static) -> Self {
        self.clock = self.clock.with_time(Arc::new(time));
        self
    }

    /// Sleeps and reads the time with `clock`, which is both: a [`TestClock`](crate::TestClock)
    /// runs retries and waits in virtual time, so a test of code that waits 30 minutes takes
    /// microseconds and can assert each pause.
    pub fn clock(self, clock: impl AsyncSleep + TimeSource + Clone + 'static) -> Self {
        self.sleep_impl(clock.clone()).time_source(clock)
    }

    /// The largest response body the client reads, in bytes (default 16 MiB); a larger one
    /// fails with [`Error::BodyTooLarge`](crate::Error::BodyTooLarge) without being kept.
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.limits.max_body_size = bytes;
        self
    }

    /// The most pages one walk over a list (`pages()`, `items()` and their concurrent forms)
    /// fetches before it stops with [`Error::Paging`](crate::Error::Paging) (default 10,000).
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.limits.max_pages = pages.max(1);
        self
    }

    /// Uses an HTTP client configured elsewhere; the timeouts set here and the client's rule on
    /// redirects (see [`ClientBuilder`]) are then not applied: its own redirect policy decides,
    /// so give one that sends credentials to another origin only where that is meant.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Adds a tower layer around each HTTP attempt: its service gets the `reqwest::Request` as
    /// it goes on the wire, credentials included, once per retry and once more after a Digest
    /// challenge, and answers the `reqwest::Response`. The first layer added is outermost. See
    /// the [`layer`](crate::layer) module.
    ///
    /// Token requests of a service account do not go through these layers.
    pub fn attempt_layer<L>(mut self, layer: L) -> Self
    where
        L: Layer<AttemptService> + Send + Sync + 'static,
        L::Service:
            Service<reqwest::Request, Response = reqwest::Response> + Clone + Send + Sync + 'static,
        <L::Service as Service<reqwest::Request>>::Error: Into<BoxError>,
        <L::Service as Service<reqwest::Request>>::Future: Send + 'static,
    {
        self.attempt_layers.push(layer::wrap(layer));
        self
    }

    /// Adds a tower layer around each whole call, its retries and authentication included: its
    /// service gets one [`Call`] per operation call, without credentials, and answers a
    /// [`CallResponse`] (one it makes itself, a cached one, or the one from below). The first
    /// layer added is outermost. See the [`layer`](crate::layer) module.
    pub fn call_layer<L>(mut self, layer: L) -> Self
    where
        L: Layer<CallService> + Send + Sync + 'static,
        L::Service: Service<Call, Response = CallResponse> + Clone + Send + Sync + 'static,
        <L::Service as Service<Call>>::Error: Into<BoxError>,
        <L::Service as Service<Call>>::Future: Send + 'static,
    {
        self.call_layers.push(layer::wrap(layer));
        self
    }

    /// Authenticates with `credentials`; replaces any set before.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(Ok(credentials));
        self
    }

    /// Reads the credentials from the environment variables named after the API (see
    /// [`Credentials::from_lookup_prefixed`]; `MONGODB_ATLAS_...` for Atlas);
    /// [`build`](ClientBuilder::build) fails when there are none.
    pub fn credentials_from_env(self) -> Self {
        self.credentials_from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`credentials_from_env`](ClientBuilder::credentials_from_env), with variables of a
    /// prefix of your choosing (`MY_SERVICE` reads `MY_SERVICE_CLIENT_ID`, ...).
    pub fn credentials_from_env_prefixed(mut self, prefix: &str) -> Self {
        self.credentials = Some(Credentials::from_lookup_prefixed(prefix, |name| {
            std::env::var(name).ok()
        }));
        self
    }

    /// Like [`credentials_from_env`](ClientBuilder::credentials_from_env), reading
    /// variables through `lookup`.
    pub fn credentials_from_lookup(mut self, lookup: impl Fn(&str) -> Option<String>) -> Self {
        self.credentials = Some(Credentials::from_lookup_prefixed(C::ENV_PREFIX, lookup));
        self
    }

    /// Checks the settings and builds the client. Credentials are set with
    /// [`credentials`](ClientBuilder::credentials), with the method of each security scheme the
    /// API declares ([`digest_auth`](ClientBuilder::digest_auth),
    /// [`basic_auth`](ClientBuilder::basic_auth), [`api_key`](ClientBuilder::api_key),
    /// [`service_account`](ClientBuilder::service_account),
    /// [`bearer_token`](ClientBuilder::bearer_token)) or with
    /// [`credentials_from_env`](ClientBuilder::credentials_from_env).
    pub fn build(self) -> Result<C, BuildError> {
        self.build_base().map(C::from_base)
    }

    fn build_base(self) -> Result<BaseClient, BuildError> {
        let raw = self
            .base_url
            .unwrap_or_else(|| C::DEFAULT_BASE_URL.to_owned());
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
            if !is_api_version(version) {
                return Err(BuildError::ApiVersion(version.clone()));
            }
        }
        let credentials = self.credentials.transpose()?;
        let timeout = self.timeout.unwrap_or(Duration::from_secs(60));
        let connect_timeout = self.connect_timeout.unwrap_or(Duration::from_secs(10));
        let settings = move || {
            crate::tls::configure(reqwest::Client::builder())
                .timeout(timeout)
                .connect_timeout(connect_timeout)
                .user_agent(C::USER_AGENT)
        };
        let user_http = self.http.is_some();
        let http = match self.http {
            Some(http) => http,
            None => settings()
                .redirect(redirect::policy(credentials.is_some()))
                .build()
                .map_err(BuildError::Http)?,
        };
        let main_http = http.clone();
        let make_no_follow = move || match user_http {
            true => main_http.clone(),
            // The same settings built once already, so this fails only where that did; the
            // main client is then the best there is.
            false => settings()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap_or_else(|_| main_http.clone()),
        };
        let redactions = credentials.as_ref().map(Redactions::of).unwrap_or_default();
        let spec = SpecOAuth {
            default_base_url: C::DEFAULT_BASE_URL,
            token_url: C::TOKEN_URL,
            scopes: C::TOKEN_SCOPES,
        };
        let auth = credentials.map(|credentials| {
            Authenticator::new(
                credentials,
                &base_url,
                spec,
                http.clone(),
                self.clock.clone(),
            )
        });
        let attempt = layer::stack(layer::http_service(http.clone()), &self.attempt_layers);
        let no_follow = NoFollow::new(make_no_follow, self.attempt_layers.clone());
        let transport = Arc::new(Transport {
            http,
            attempt,
            no_follow,
            auth,
            redactions,
            retry: self.retry,
            limits: self.limits,
            clock: self.clock,
        });
        let exchange = BoxCloneSyncService::new(Exchange(Arc::clone(&transport)));
        Ok(BaseClient {
            inner: Arc::new(Inner {
                base_url,
                api_version: self.api_version,
                transport,
                call: layer::stack(exchange, &self.call_layers),
            }),
        })
    }
}

impl<C: schemes::Digest> ClientBuilder<C> {
    /// Authenticates with a programmatic API key over HTTP Digest.
    pub fn digest_auth(
        self,
        public_key: impl Into<String>,
        private_key: impl Into<String>,
    ) -> Self {
        self.credentials(Credentials::digest(public_key, private_key))
    }
}

impl<C: schemes::Basic> ClientBuilder<C> {
    /// Authenticates with a user name and password over HTTP Basic.
    pub fn basic_auth(self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials(Credentials::basic(username, password))
    }
}

impl<C: schemes::ApiKey> ClientBuilder<C> {
    /// Sends an API key with every operation that accepts one, where its security scheme says
    /// (a header, a query parameter or a cookie, under the scheme's name).
    pub fn api_key(self, key: impl Into<String>) -> Self {
        self.credentials(Credentials::api_key(key))
    }
}

impl<C: schemes::ClientCredentials> ClientBuilder<C> {
    /// Authenticates as a service account (OAuth 2.0 client credentials), fetching tokens at
    /// the token URL the API's spec declares, with its scopes.
    pub fn service_account(
        self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.credentials(Credentials::service_account(client_id, client_secret))
    }
}

impl<C: schemes::Bearer> ClientBuilder<C> {
    /// Sends `Authorization: Bearer <token>` with every request: a token obtained elsewhere
    /// (any OAuth 2.0 flow, OpenID Connect).
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.credentials(Credentials::access_token(token))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_validates_and_debug_hides_the_token() {
        let client = ClientBuilder::<BaseClient>::new()
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
            ClientBuilder::<BaseClient>::new()
                .base_url("http://127.0.0.1:1")
                .api_version("2023-13-01")
                .build(),
            Err(BuildError::ApiVersion(_))
        ));
        assert!(matches!(
            ClientBuilder::<BaseClient>::new()
                .base_url("not a url")
                .build(),
            Err(BuildError::BaseUrl { .. })
        ));
        assert!(matches!(
            ClientBuilder::<BaseClient>::new()
                .base_url("mailto:a@b.c")
                .build(),
            Err(BuildError::BaseUrl { .. })
        ));
    }
}
