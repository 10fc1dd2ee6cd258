//! Authentication: how a request is sent with the client's credentials, refused before sending
//! when the operation's `security` does not list their kind. A 401 is answered by at most one
//! re-send: with the answer to a Digest challenge (first contact or a stale nonce), or with a
//! fresh access token when the cached one was refused. That re-send is part of one attempt, not
//! a retry: the retry loop in `request.rs` calls [`send`] once per attempt.
//!
//! This module knows credentials and operation descriptors, never the client or the error type:
//! what goes wrong here is an [`AuthFailure`], which the error module turns into an `Error`.

mod digest;
mod oauth;

pub use oauth::TokenError;

use crate::credentials::{
    basic_credentials, CredentialKind, Credentials, CredentialsInner, Secret,
};
use crate::descriptor::{ApiKeyLocation, AuthKind, AuthScheme, OperationInfo};
use crate::time::Clock;
use digest::{DigestSession, Verdict};
use oauth::{resolve_token_url, TokenSource};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, COOKIE};
use reqwest::StatusCode;
use std::fmt;
use std::future::Future;

/// Why authenticating failed before the server could answer the request itself.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// No access token could be had for the service account.
    #[error(transparent)]
    Token(#[from] TokenError),
    /// The server's Digest challenge could not be answered.
    #[error("cannot answer the server's Digest challenge: {reason}")]
    Digest {
        /// Why it could not be answered.
        reason: String,
    },
    /// The credentials hold characters an HTTP header cannot carry.
    #[error("the {kind} cannot be sent in an HTTP header")]
    Header {
        /// The kind of credentials that hold such characters.
        kind: CredentialKind,
    },
}

/// A client's credentials together with what it learnt using them: the server's Digest
/// challenge, or the current access token.
pub(crate) enum Authenticator {
    Digest(DigestSession),
    ServiceAccount(TokenSource),
    AccessToken(Secret),
    /// The user name, and the whole `Authorization` value.
    Basic(String, Secret),
    ApiKey(Secret),
}

/// What the API's spec says of its OAuth 2.0 client-credentials scheme, for credentials that
/// do not name their own token URL.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SpecOAuth {
    /// The server the spec names, whose token URL follows the client's base URL.
    pub default_base_url: &'static str,
    pub token_url: Option<&'static str>,
    pub scopes: &'static [&'static str],
}

impl Authenticator {
    /// `base_url` and `spec` say where the token endpoint is found; `http` is used to call it,
    /// and tokens age on `clock`.
    pub(crate) fn new(
        credentials: Credentials,
        base_url: &url::Url,
        spec: SpecOAuth,
        http: reqwest::Client,
        clock: Clock,
    ) -> Self {
        match credentials.kind {
            CredentialsInner::Digest {
                public_key,
                private_key,
            } => Authenticator::Digest(DigestSession::new(public_key, private_key)),
            CredentialsInner::ServiceAccount {
                client_id,
                client_secret,
                token_url,
                scopes,
            } => {
                let (token_url, scopes) = match token_url {
                    Some(url) => (resolve_token_url(base_url, Some(&url), ""), scopes),
                    None => (
                        resolve_token_url(base_url, spec.token_url, spec.default_base_url),
                        spec.scopes.iter().map(|s| (*s).to_owned()).collect(),
                    ),
                };
                Authenticator::ServiceAccount(TokenSource::new(
                    client_id,
                    client_secret,
                    token_url,
                    scopes,
                    http,
                    clock,
                ))
            }
            CredentialsInner::AccessToken(token) => Authenticator::AccessToken(token),
            CredentialsInner::Basic { username, password } => {
                let value =
                    Secret::new(format!("Basic {}", basic_credentials(&username, &password)));
                Authenticator::Basic(username, value)
            }
            CredentialsInner::ApiKey(key) => Authenticator::ApiKey(key),
        }
    }

    pub(crate) fn kind(&self) -> CredentialKind {
        match self {
            Authenticator::Digest(_) => CredentialKind::Digest,
            Authenticator::ServiceAccount(_) => CredentialKind::ServiceAccount,
            Authenticator::AccessToken(_) => CredentialKind::AccessToken,
            Authenticator::Basic(..) => CredentialKind::Basic,
            Authenticator::ApiKey(_) => CredentialKind::ApiKey,
        }
    }

    /// Refuses an operation whose spec lists schemes, none of which these credentials serve.
    pub(crate) fn permits(&self, op: &'static OperationInfo) -> Result<(), AuthFailure> {
        let kind = self.kind();
        if op.auth.is_empty() || op.auth.iter().any(|s| kind.satisfies(s.kind)) {
            Ok(())
        } else {
            Err(AuthFailure::NotAccepted {
                credentials: kind,
                accepted: op.auth,
            })
        }
    }

    /// The request with its credentials (an `Authorization` header, or an API key where the
    /// operation's scheme puts it), and what that carried. The inner error is a request that
    /// cannot be built (reqwest reports it when sending).
    async fn authorize(
        &self,
        op: &'static OperationInfo,
        request: reqwest::RequestBuilder,
    ) -> Result<Result<(reqwest::RequestBuilder, Sent), reqwest::Error>, AuthError> {
        let (http, request) = request.build_split();
        let mut request = match request {
            Ok(request) => request,
            Err(invalid) => return Ok(Err(invalid)),
        };
        let (value, sent) = match self {
            Authenticator::Digest(session) => {
                let url = request.url();
                let uri = &url[url::Position::BeforePath..url::Position::AfterQuery];
                let answer = session
                    .answer(request.method().as_str(), uri)
                    .map_err(|reason| AuthError::Digest { reason })?;
                match answer {
                    Some(answer) => (answer, Sent::DigestAnswer),
                    // Nothing to answer yet: the server's 401 brings the challenge.
                    None => {
                        let request = reqwest::RequestBuilder::from_parts(http, request);
                        return Ok(Ok((request, Sent::Nothing)));
                    }
                }
            }
            Authenticator::ServiceAccount(source) => {
                let token = source.token().await?;
                (format!("Bearer {}", token.expose()), Sent::Token(token))
            }
            Authenticator::AccessToken(token) => {
                (format!("Bearer {}", token.expose()), Sent::Fixed)
            }
            Authenticator::Basic(_, value) => (value.expose().to_owned(), Sent::Fixed),
            Authenticator::ApiKey(key) => {
                place_api_key(op, &mut request, key)?;
                let request = reqwest::RequestBuilder::from_parts(http, request);
                return Ok(Ok((request, Sent::Fixed)));
            }
        };
        let mut value =
            HeaderValue::from_str(&value).map_err(|_| AuthError::Header { kind: self.kind() })?;
        value.set_sensitive(true);
        request.headers_mut().insert(AUTHORIZATION, value);
        Ok(Ok((
            reqwest::RequestBuilder::from_parts(http, request),
            sent,
        )))
    }

    /// After a 401: whether to send the request once more, having learnt from the answer.
    async fn learn(
        &self,
        op: &'static OperationInfo,
        sent: &Sent,
        headers: &HeaderMap,
    ) -> Result<bool, AuthError> {
        match (self, sent) {
            (Authenticator::Digest(session), _) => {
                let answered = *sent == Sent::DigestAnswer;
                let verdict = session
                    .on_unauthorized(headers, answered)
                    .map_err(|reason| AuthError::Digest { reason })?;
                match verdict {
                    Verdict::Resend { stale } => {
                        tracing::debug!(
                            operation = op.id,
                            stale,
                            "answering the server's Digest challenge"
                        );
                        Ok(true)
                    }
                    Verdict::Refused | Verdict::NoChallenge => Ok(false),
                }
            }
            (Authenticator::ServiceAccount(source), Sent::Token(token)) => {
                tracing::debug!(
                    operation = op.id,
                    token_url = %source.token_url(),
                    "access token refused; fetching a new one"
                );
                source.forget(token).await;
                Ok(true)
            }
            _ => Ok(false),
        }
    }
}

impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Authenticator::Digest(session) => f
                .debug_struct("Digest")
                .field("public_key", &session.public_key())
                .field("private_key", &format_args!("<redacted>"))
                .finish(),
            Authenticator::ServiceAccount(source) => f
                .debug_struct("ServiceAccount")
                .field("client_id", &source.client_id())
                .field("client_secret", &format_args!("<redacted>"))
                .field("token_url", &source.token_url().as_str())
                .finish(),
            Authenticator::AccessToken(token) => {
                f.debug_struct("AccessToken").field("token", token).finish()
            }
            Authenticator::Basic(username, _) => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", &format_args!("<redacted>"))
                .finish(),
            Authenticator::ApiKey(key) => f.debug_struct("ApiKey").field("key", key).finish(),
        }
    }
}

/// Puts the key where the first API-key scheme of the operation says. An operation that
/// lists none (it declares no security, or any credentials do) gets no key: nothing says
/// under which name it would go.
fn place_api_key(
    op: &'static OperationInfo,
    request: &mut reqwest::Request,
    key: &Secret,
) -> Result<(), AuthError> {
    let Some((name, location)) = op.auth.iter().find_map(|scheme| match scheme.kind {
        AuthKind::ApiKey { name, location } => Some((name, location)),
        _ => None,
    }) else {
        return Ok(());
    };
    let refused = || AuthError::Header {
        kind: CredentialKind::ApiKey,
    };
    match location {
        ApiKeyLocation::Query => {
            request
                .url_mut()
                .query_pairs_mut()
                .append_pair(name, key.expose());
        }
        ApiKeyLocation::Header => {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| refused())?;
            let mut value = HeaderValue::from_str(key.expose()).map_err(|_| refused())?;
            value.set_sensitive(true);
            request.headers_mut().insert(name, value);
        }
        ApiKeyLocation::Cookie => {
            let pair = format!("{name}={}", key.expose());
            let cookie = match request.headers().get(COOKIE).and_then(|v| v.to_str().ok()) {
                Some(existing) => format!("{existing}; {pair}"),
                None => pair,
            };
            let mut value = HeaderValue::from_str(&cookie).map_err(|_| refused())?;
            value.set_sensitive(true);
            request.headers_mut().insert(COOKIE, value);
        }
    }
    Ok(())
}

/// What the `Authorization` header of a request carried.
#[derive(PartialEq, Eq)]
enum Sent {
    Nothing,
    DigestAnswer,
    /// A token from the service account's cache.
    Token(Secret),
    /// Credentials given by the user, which cannot be renewed: a token, a password, a key.
    Fixed,
}

/// Why a request was not sent, or its 401 not answered, for reasons of credentials.
#[derive(Debug)]
pub(crate) enum AuthFailure {
    NotAccepted {
        credentials: CredentialKind,
        accepted: &'static [AuthScheme],
    },
    Auth(AuthError),
}

impl From<AuthError> for AuthFailure {
    fn from(error: AuthError) -> Self {
        AuthFailure::Auth(error)
    }
}

impl From<TokenError> for AuthFailure {
    fn from(error: TokenError) -> Self {
        AuthFailure::Auth(AuthError::Token(error))
    }
}

/// The parts of an answer that authentication reads.
pub(crate) trait Answered {
    fn status(&self) -> StatusCode;
    fn headers(&self) -> &HeaderMap;
}

/// One attempt of a request with `auth`'s credentials (or none): `build` makes the request,
/// `send` sends it and reads the answer. A 401 the credentials can answer (a Digest challenge
/// when none was answered or the nonce went stale, a refused cached token) is followed by
/// exactly one re-send; any other answer, and any transport error, is returned as it is. The
/// outer error means nothing more should be tried.
pub(crate) async fn send<A, X, F>(
    auth: Option<&Authenticator>,
    op: &'static OperationInfo,
    build: impl Fn() -> reqwest::RequestBuilder,
    send: impl Fn(reqwest::RequestBuilder) -> F,
) -> Result<Result<A, X>, AuthFailure>
where
    A: Answered,
    X: From<reqwest::Error>,
    F: Future<Output = Result<A, X>>,
{
    let Some(auth) = auth.filter(|_| !op.takes_no_credentials()) else {
        return Ok(send(build()).await);
    };
    // Whether the credentials fit the operation was checked before the call layers, so a layer
    // (a dry run) sees only calls that would be sent.
    let (request, sent) = match auth.authorize(op, build()).await? {
        Ok(authorized) => authorized,
        Err(invalid) => return Ok(Err(invalid.into())),
    };
    let answer = match send(request).await {
        Ok(answer) if answer.status() == StatusCode::UNAUTHORIZED => answer,
        other => return Ok(other),
    };
    if !auth.learn(op, &sent, answer.headers()).await? {
        return Ok(Ok(answer));
    }
    match auth.authorize(op, build()).await? {
        Ok((request, _)) => Ok(send(request).await),
        Err(invalid) => Ok(Err(invalid.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descriptor::{AuthKind, HttpMethod, MediaVersion};

    const DIGEST: AuthScheme = AuthScheme {
        name: "DigestAuth",
        kind: AuthKind::HttpDigest,
    };
    const ACCOUNTS: AuthScheme = AuthScheme {
        name: "ServiceAccounts",
        kind: AuthKind::OAuth2ClientCredentials,
    };

    fn op(auth: &'static [AuthScheme]) -> &'static OperationInfo {
        Box::leak(Box::new(OperationInfo {
            id: "op",
            method: HttpMethod::Get,
            path: "/x",
            responses: &[MediaVersion {
                version: None,
                media_type: "application/json",
                sunset: None,
            }],
            requests: &[],
            auth,
            params: &[],
            deprecation: None,
        }))
    }

    fn authenticator(credentials: Credentials) -> Authenticator {
        let base = url::Url::parse("http://127.0.0.1:1/prefix/").unwrap();
        Authenticator::new(
            credentials,
            &base,
            SpecOAuth::default(),
            reqwest::Client::new(),
            Clock::default(),
        )
    }

    #[test]
    fn operations_refuse_credentials_of_kinds_they_do_not_list() {
        let digest_only = op(&[DIGEST]);
        let either = op(&[ACCOUNTS, DIGEST]);
        let unrestricted = op(&[]);
        let digest = authenticator(Credentials::digest("p", "k"));
        let account = authenticator(Credentials::service_account("c", "s"));
        let token = authenticator(Credentials::access_token("t"));
        for auth in [&digest, &account, &token] {
            assert!(auth.permits(either).is_ok());
            assert!(auth.permits(unrestricted).is_ok());
        }
        assert!(digest.permits(digest_only).is_ok());
        for auth in [&account, &token] {
            match auth.permits(digest_only) {
                Err(AuthFailure::NotAccepted {
                    credentials,
                    accepted,
                }) => {
                    assert_eq!(credentials, auth.kind());
                    assert_eq!(accepted, &[DIGEST]);
                }
                other => panic!("expected NotAccepted, got {other:?}"),
            }
        }
        assert!(!CredentialKind::Digest.satisfies(AuthKind::HttpBearer));
        assert!(CredentialKind::AccessToken.satisfies(AuthKind::HttpBearer));
        let key = AuthKind::ApiKey {
            name: "X-Key",
            location: ApiKeyLocation::Header,
        };
        assert!(!CredentialKind::ServiceAccount.satisfies(key));
        assert!(CredentialKind::ApiKey.satisfies(key));
        assert!(CredentialKind::Basic.satisfies(AuthKind::HttpBasic));
        assert!(!CredentialKind::Basic.satisfies(AuthKind::HttpDigest));
        assert!(CredentialKind::AccessToken.satisfies(AuthKind::OpenIdConnect));
        assert!(CredentialKind::AccessToken.satisfies(AuthKind::OAuth2));
        assert!(!CredentialKind::ServiceAccount.satisfies(AuthKind::OAuth2));
    }

    #[test]
    fn the_token_url_sits_below_the_base_url() {
        match authenticator(Credentials::service_account("c", "s")) {
            Authenticator::ServiceAccount(source) => assert_eq!(
                source.token_url().as_str(),
                "http://127.0.0.1:1/prefix/api/oauth/token"
            ),
            other => panic!("expected a service account, got {other:?}"),
        }
    }

    #[test]
    fn debug_never_shows_secrets() {
        for (credentials, secret) in [
            (Credentials::digest("pub", "priv-s3cret"), "priv-s3cret"),
            (Credentials::service_account("id", "sa-s3cret"), "sa-s3cret"),
            (Credentials::access_token("tok-s3cret"), "tok-s3cret"),
            (Credentials::basic("AC1", "basic-s3cret"), "basic-s3cret"),
            (Credentials::api_key("key-s3cret"), "key-s3cret"),
        ] {
            let shown = format!("{:?}", authenticator(credentials));
            assert!(!shown.contains(secret), "{shown}");
            assert!(shown.contains("<redacted>"), "{shown}");
        }
    }

    #[test]
    fn schemes_describe_themselves_for_messages() {
        assert_eq!(DIGEST.to_string(), "DigestAuth (HTTP Digest)");
        assert_eq!(
            ACCOUNTS.to_string(),
            "ServiceAccounts (OAuth 2.0 client credentials)"
        );
    }
}
