//! Access tokens for an Atlas service account (OAuth 2.0 client credentials): fetched from the
//! token endpoint with the client id and secret, kept until shortly before they expire, and
//! fetched once however many requests need one at the same moment (the cache's lock is held
//! across the fetch).

use crate::body::read_limited;
use crate::credentials::{Redactions, Secret};
use crate::dialect::TOKEN_PATH;
use crate::time::Clock;
use reqwest::header::ACCEPT;
use reqwest::StatusCode;
use serde_json::Value;
use std::time::{Duration, SystemTime};

/// How long before its announced expiry a token is renewed, at most.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// The largest token answer read: a token answer is a few hundred bytes of JSON, so anything
/// near this is not one.
const MAX_TOKEN_ANSWER: usize = 64 * 1024;

/// Why no access token could be had. Names the token URL and status, never the secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// The token endpoint could not be reached or did not answer.
    #[error("token request to {token_url} failed")]
    Transport {
        /// The token endpoint that was asked.
        token_url: String,
        /// The HTTP client's error.
        #[source]
        source: reqwest::Error,
    },
    /// The token endpoint answered with an error status.
    #[error("token request to {token_url} returned {status}{}", describe(error.as_deref(), description.as_deref()))]
    Refused {
        /// The token endpoint that was asked.
        token_url: String,
        /// The status the server answered with.
        status: StatusCode,
        /// The OAuth `error` code, such as `invalid_client`.
        error: Option<String>,
        /// The OAuth `error_description`.
        description: Option<String>,
    },
    /// The token endpoint answered, but not with a usable bearer token.
    #[error("token request to {token_url} returned {status} without a usable token: {problem}")]
    Malformed {
        /// The token endpoint that was asked.
        token_url: String,
        /// The status the server answered with.
        status: StatusCode,
        /// What was wrong with the answer.
        problem: String,
    },
}

fn describe(error: Option<&str>, description: Option<&str>) -> String {
    [error, description]
        .into_iter()
        .flatten()
        .map(|text| format!(": {text}"))
        .collect()
}

/// A token and when to stop using it (`None`: until the server refuses it).
struct CachedToken {
    token: Secret,
    renew_at: Option<SystemTime>,
}

/// One client's source of access tokens.
pub(crate) struct TokenSource {
    client_id: String,
    client_secret: Secret,
    token_url: url::Url,
    /// Asked for in the `scope` parameter; none leaves it out.
    scopes: Vec<String>,
    http: reqwest::Client,
    redactions: Redactions,
    cache: tokio::sync::Mutex<Option<CachedToken>>,
    /// The client's: a token's age is measured on it, so a test clock ages tokens too.
    clock: Clock,
}

impl TokenSource {
    pub(crate) fn new(
        client_id: String,
        client_secret: Secret,
        token_url: url::Url,
        scopes: Vec<String>,
        http: reqwest::Client,
        clock: Clock,
    ) -> Self {
        TokenSource {
            redactions: Redactions::service_account(&client_id, &client_secret),
            client_id,
            client_secret,
            token_url,
            scopes,
            http,
            cache: tokio::sync::Mutex::new(None),
            clock,
        }
    }

    pub(crate) fn client_id(&self) -> &str {
        &self.client_id
    }

    pub(crate) fn token_url(&self) -> &url::Url {
        &self.token_url
    }

    /// A token that is still good, fetched only when the cached one is missing or due.
    pub(crate) async fn token(&self) -> Result<Secret, TokenError> {
        let mut cached = self.cache.lock().await;
        if let Some(current) = cached.as_ref() {
            if current.renew_at.is_none_or(|at| self.clock.now() < at) {
                return Ok(current.token.clone());
            }
        }
        let fresh = self.fetch().await?;
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok(token)
    }

    /// Forgets `refused` (the server answered 401 to it), unless another request already
    /// replaced it with a newer token.
    pub(crate) async fn forget(&self, refused: &Secret) {
        let mut cached = self.cache.lock().await;
        if cached.as_ref().is_some_and(|c| c.token == *refused) {
            *cached = None;
        }
    }

    async fn fetch(&self) -> Result<CachedToken, TokenError> {
        let token_url = || self.token_url.to_string();
        tracing::debug!(token_url = %self.token_url, client_id = %self.client_id, "requesting an access token");
        let requested = self.clock.now();
        let transport = |source: reqwest::Error| TokenError::Transport {
            token_url: token_url(),
            source,
        };
        let response = self
            .http
            .post(self.token_url.clone())
            .basic_auth(&self.client_id, Some(self.client_secret.expose()))
            .header(ACCEPT, "application/json")
            .form(&self.form())
            .send()
            .await
            .map_err(transport)?;
        let status = response.status();
        let Some(body) = read_limited(response, MAX_TOKEN_ANSWER)
            .await
            .map_err(transport)?
        else {
            return Err(TokenError::Malformed {
                token_url: token_url(),
                status,
                problem: format!("the answer is larger than {MAX_TOKEN_ANSWER} bytes"),
            });
        };
        let json: Option<Value> = serde_json::from_slice(&body).ok();
        let text = |name: &str| {
            json.as_ref()
                .and_then(|j| j.get(name))
                .and_then(Value::as_str)
                .map(|s| self.scrub(s))
        };
        if !status.is_success() {
            return Err(TokenError::Refused {
                token_url: token_url(),
                status,
                error: text("error"),
                description: text("error_description"),
            });
        }
        let malformed = |problem: &str| TokenError::Malformed {
            token_url: token_url(),
            status,
            problem: problem.to_owned(),
        };
        // Read field by field: a decoding error message could quote the token.
        let Some(json) = json.as_ref().and_then(Value::as_object) else {
            return Err(malformed("the body is not a JSON object"));
        };
        let Some(token) = json.get("access_token").and_then(Value::as_str) else {
            return Err(malformed("`access_token` is missing or not a string"));
        };
        match json.get("token_type").and_then(Value::as_str) {
            Some(kind) if kind.eq_ignore_ascii_case("bearer") => {}
            Some(_) => return Err(malformed("`token_type` is not `Bearer`")),
            None => return Err(malformed("`token_type` is missing")),
        }
        let lifetime = match json.get("expires_in") {
            None | Some(Value::Null) => None,
            Some(value) => match value.as_u64() {
                Some(seconds) => Some(Duration::from_secs(seconds)),
                None => return Err(malformed("`expires_in` is not a number of seconds")),
            },
        };
        Ok(CachedToken {
            token: Secret::new(token),
            renew_at: lifetime.map(|lifetime| renew_at(requested, lifetime)),
        })
    }

    /// The token request's form: the grant type, and the scopes when there are any.
    fn form(&self) -> Vec<(&'static str, String)> {
        let mut form = vec![("grant_type", "client_credentials".to_owned())];
        if !self.scopes.is_empty() {
            form.push(("scope", self.scopes.join(" ")));
        }
        form
    }

    /// The server's words, with the secret cut out should it ever echo it.
    fn scrub(&self, text: &str) -> String {
        self.redactions.scrub(text)
    }
}

/// Where tokens are fetched. `token_url` is the spec's (or the caller's): an absolute URL on the
/// server the spec names (`default_base_url`) follows the client's base URL, so a client
/// pointed at another server (a test server, a proxy) fetches its tokens there too; an absolute
/// URL elsewhere is taken as it is; a relative one is a path below the base URL. Without one,
/// Atlas's token path below the base URL.
pub(crate) fn resolve_token_url(
    base_url: &url::Url,
    token_url: Option<&str>,
    default_base_url: &str,
) -> url::Url {
    let below_base = |path: &str| {
        let mut url = base_url.clone();
        let base_path = url.path().trim_end_matches('/').to_owned();
        url.set_path(&format!("{base_path}/{}", path.trim_start_matches('/')));
        url
    };
    let Some(token_url) = token_url else {
        return below_base(TOKEN_PATH);
    };
    let Ok(absolute) = url::Url::parse(token_url) else {
        return below_base(token_url);
    };
    match url::Url::parse(default_base_url) {
        Ok(server) if server.origin() == absolute.origin() => {
            let server_path = server.path().trim_end_matches('/');
            let path = absolute.path();
            below_base(path.strip_prefix(server_path).unwrap_or(path))
        }
        _ => absolute,
    }
}

/// When a token issued at `issued` for `lifetime` should be renewed: a tenth of its life (at
/// most a minute) before it runs out, so a request never leaves with a token about to expire.
fn renew_at(issued: SystemTime, lifetime: Duration) -> SystemTime {
    issued + lifetime - (lifetime / 10).min(REFRESH_MARGIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_renewed_shortly_before_they_expire() {
        let now = SystemTime::now();
        assert_eq!(
            renew_at(now, Duration::from_secs(3600)),
            now + Duration::from_secs(3540)
        );
        assert_eq!(
            renew_at(now, Duration::from_secs(300)),
            now + Duration::from_secs(270)
        );
        assert_eq!(
            renew_at(now, Duration::from_secs(1)),
            now + Duration::from_millis(900)
        );
        assert_eq!(renew_at(now, Duration::ZERO), now);
    }

    #[test]
    fn token_urls_on_the_spec_server_follow_the_base_url() {
        let base = url::Url::parse("http://127.0.0.1:9/prefix/").unwrap();
        let resolve = |token_url, server| resolve_token_url(&base, token_url, server).to_string();
        assert_eq!(
            resolve(None, ""),
            "http://127.0.0.1:9/prefix/api/oauth/token"
        );
        assert_eq!(
            resolve(
                Some("https://cloud.mongodb.com/api/oauth/token"),
                "https://cloud.mongodb.com"
            ),
            "http://127.0.0.1:9/prefix/api/oauth/token"
        );
        assert_eq!(
            resolve(
                Some("https://auth.example.com/oauth2/token"),
                "https://api.example.com/v1"
            ),
            "https://auth.example.com/oauth2/token"
        );
        assert_eq!(
            resolve(Some("/oauth/token"), "https://api.example.com"),
            "http://127.0.0.1:9/prefix/oauth/token"
        );
    }

    #[test]
    fn scopes_are_asked_for_when_there_are_any() {
        let source = |scopes: Vec<String>| {
            TokenSource::new(
                "client".into(),
                Secret::new("s3cret"),
                url::Url::parse("http://127.0.0.1:1/token").unwrap(),
                scopes,
                reqwest::Client::new(),
                Clock::default(),
            )
        };
        assert_eq!(
            source(Vec::new()).form(),
            [("grant_type", "client_credentials".to_owned())]
        );
        assert_eq!(
            source(vec!["read".into(), "write".into()]).form()[1],
            ("scope", "read write".to_owned())
        );
    }

    #[test]
    fn refusals_name_the_url_and_status_but_not_the_secret() {
        let source = TokenSource::new(
            "client".into(),
            Secret::new("s3cret"),
            url::Url::parse("http://127.0.0.1:1/api/oauth/token").unwrap(),
            Vec::new(),
            reqwest::Client::new(),
            Clock::default(),
        );
        let err = TokenError::Refused {
            token_url: source.token_url().to_string(),
            status: StatusCode::UNAUTHORIZED,
            error: Some("invalid_client".into()),
            description: Some(source.scrub("bad secret s3cret")),
        };
        let message = err.to_string();
        assert_eq!(
            message,
            "token request to http://127.0.0.1:1/api/oauth/token returned 401 Unauthorized: \
             invalid_client: bad secret <redacted>"
        );
    }
}
