//! Authentication on the stand-in, as Atlas does it: HTTP Digest challenges and their checking
//! (MD5 or SHA-256, `qop=auth`, nonces that can be made stale on demand), the OAuth token
//! endpoint of service accounts (`POST /api/oauth/token`), and bearer checks of the tokens it
//! issued or of one fixed token. The v1.0 API takes Digest only. Refusals are 401s with the
//! spec's `unauthorized` example and a `WWW-Authenticate` header per scheme on offer.
//!
//! The Digest answer is computed here with `md-5`/`sha2` directly rather than with the client's
//! `digest_auth`, so that a mistake in one is not repeated by the other.

use crate::server::{StandIn, StandInBuilder};
use crate::spec::SpecOperation;
use axum::http::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use base64::Engine;
use serde_json::{json, Value};
use sha2::Digest;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

/// The realm of Atlas's Digest challenges.
pub const DIGEST_REALM: &str = "MMS Public API";

/// How long issued access tokens last unless told otherwise (Atlas: one hour).
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

/// The hash of a Digest challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DigestAlgorithm {
    /// What Atlas offers.
    #[default]
    Md5,
    Sha256,
}

impl DigestAlgorithm {
    fn name(self) -> &'static str {
        match self {
            DigestAlgorithm::Md5 => "MD5",
            DigestAlgorithm::Sha256 => "SHA-256",
        }
    }

    fn hash(self, text: &str) -> String {
        let bytes: Vec<u8> = match self {
            DigestAlgorithm::Md5 => md5::Md5::digest(text.as_bytes()).to_vec(),
            DigestAlgorithm::Sha256 => sha2::Sha256::digest(text.as_bytes()).to_vec(),
        };
        hex::encode(bytes)
    }
}

/// Which credentials the stand-in asks for; none means it lets every request through.
#[derive(Debug, Clone)]
pub(crate) struct AuthConfig {
    bearer_token: Option<String>,
    digest: Option<DigestKey>,
    digest_algorithm: DigestAlgorithm,
    service_account: Option<(String, String)>,
    token_lifetime: Duration,
    /// Refusals of the token endpoint quote the `Authorization` header they were sent, as a
    /// careless proxy or debug endpoint does.
    echo_authorization: bool,
    /// Bytes of filler added to each issued token answer.
    token_answer_padding: usize,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            bearer_token: None,
            digest: None,
            digest_algorithm: DigestAlgorithm::default(),
            service_account: None,
            token_lifetime: DEFAULT_TOKEN_LIFETIME,
            echo_authorization: false,
            token_answer_padding: 0,
        }
    }
}

#[derive(Debug, Clone)]
struct DigestKey {
    public_key: String,
    private_key: String,
}

impl StandInBuilder {
    /// Answers 401 (the spec's `unauthorized` example) unless a request carries
    /// `Authorization: Bearer <token>` (or other credentials set up here).
    pub fn require_bearer(mut self, token: impl Into<String>) -> Self {
        self.auth.bearer_token = Some(token.into());
        self
    }

    /// Asks for HTTP Digest with this API key: a request without a valid answer gets 401 with
    /// a challenge (`qop="auth"`, MD5 unless [`StandInBuilder::digest_algorithm`] says else).
    pub fn require_digest(
        mut self,
        public_key: impl Into<String>,
        private_key: impl Into<String>,
    ) -> Self {
        self.auth.digest = Some(DigestKey {
            public_key: public_key.into(),
            private_key: private_key.into(),
        });
        self
    }

    /// The hash the Digest challenges name.
    pub fn digest_algorithm(mut self, algorithm: DigestAlgorithm) -> Self {
        self.auth.digest_algorithm = algorithm;
        self
    }

    /// Accepts this service account at `POST /api/oauth/token` (HTTP Basic with the client id
    /// and secret, form body `grant_type=client_credentials`), and the tokens issued there as
    /// bearer tokens on the v2 API.
    pub fn service_account(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.auth.service_account = Some((client_id.into(), client_secret.into()));
        self
    }

    /// How long issued tokens last (announced as `expires_in`, and enforced); default one hour.
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.auth.token_lifetime = lifetime;
        self
    }

    /// Makes the token endpoint's refusals quote the `Authorization` header they were sent.
    pub fn echo_authorization_in_token_refusals(mut self) -> Self {
        self.auth.echo_authorization = true;
        self
    }

    /// Pads every issued token answer with this many bytes of filler (a `padding` field).
    pub fn pad_token_answers(mut self, bytes: usize) -> Self {
        self.auth.token_answer_padding = bytes;
        self
    }
}

impl StandIn {
    /// Makes every nonce issued so far stale: the next Digest answer using one gets 401 with a
    /// new challenge that says `stale=true`.
    pub fn expire_nonces(&self) {
        for nonce in lock(&self.shared.auth.nonces).values_mut() {
            nonce.stale = true;
        }
    }

    /// How many Digest challenges (401s that carry one) were sent.
    pub fn digest_challenges(&self) -> usize {
        self.shared.auth.challenges.load(Ordering::SeqCst)
    }

    /// How many requests reached the token endpoint, whatever the answer.
    pub fn token_requests(&self) -> usize {
        self.shared.auth.token_requests.load(Ordering::SeqCst)
    }

    /// Revokes every token issued so far: requests carrying one get 401.
    pub fn revoke_tokens(&self) {
        lock(&self.shared.auth.tokens).clear();
    }
}

/// What the stand-in remembers of the credentials it handed out.
#[derive(Debug)]
pub(crate) struct AuthState {
    config: AuthConfig,
    nonces: Mutex<BTreeMap<String, NonceUse>>,
    /// Issued access tokens and when they expire.
    tokens: Mutex<BTreeMap<String, Instant>>,
    challenges: AtomicUsize,
    token_requests: AtomicUsize,
    /// Makes every nonce and token unique.
    issued: AtomicU64,
}

#[derive(Debug, Default)]
struct NonceUse {
    stale: bool,
    /// Nonce counts already used, so a replayed answer is refused.
    counts: BTreeSet<u32>,
}

/// What a Digest answer is worth.
#[derive(Debug, PartialEq, Eq)]
enum DigestCheck {
    Valid,
    /// Right key, but the nonce has expired.
    Stale,
    Invalid,
}

impl AuthState {
    pub(crate) fn new(config: AuthConfig) -> Self {
        AuthState {
            config,
            nonces: Mutex::default(),
            tokens: Mutex::default(),
            challenges: AtomicUsize::new(0),
            token_requests: AtomicUsize::new(0),
            issued: AtomicU64::new(0),
        }
    }

    fn enabled(&self) -> bool {
        let c = &self.config;
        c.bearer_token.is_some() || c.digest.is_some() || c.service_account.is_some()
    }

    /// The 401 for a request to `op` whose credentials do not pass, or `None` to let it
    /// through. `unauthorized` is the body to answer with.
    pub(crate) fn refuse(
        &self,
        op: &SpecOperation,
        uri: &Uri,
        headers: &HeaderMap,
        unauthorized: &Value,
    ) -> Option<Response> {
        if !self.enabled() {
            return None;
        }
        let sent = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok());
        // The v1.0 API takes API keys only.
        let legacy = op.path.starts_with("/api/atlas/v1.0/");
        let mut stale = false;
        match sent.and_then(|s| s.split_once(' ')) {
            Some((scheme, token))
                if scheme.eq_ignore_ascii_case("bearer")
                    && !legacy
                    && self.bearer_passes(token.trim()) =>
            {
                return None;
            }
            Some((scheme, params)) if scheme.eq_ignore_ascii_case("digest") => {
                match self.check_digest(&op.method, uri, params) {
                    DigestCheck::Valid => return None,
                    DigestCheck::Stale => stale = true,
                    DigestCheck::Invalid => {}
                }
            }
            _ => {}
        }
        Some(self.unauthorized(unauthorized, stale, legacy))
    }

    fn bearer_passes(&self, token: &str) -> bool {
        if self.config.bearer_token.as_deref() == Some(token) {
            return true;
        }
        let tokens = lock(&self.tokens);
        tokens
            .get(token)
            .is_some_and(|expires| Instant::now() < *expires)
    }

    fn check_digest(&self, method: &str, uri: &Uri, params: &str) -> DigestCheck {
        let Some(key) = &self.config.digest else {
            return DigestCheck::Invalid;
        };
        let params = parse_params(params);
        let get = |name: &str| params.get(name).map(String::as_str);
        let algorithm = self.config.digest_algorithm;
        let request_uri = uri.path_and_query().map_or(uri.path(), |pq| pq.as_str());
        let well_formed = get("username") == Some(key.public_key.as_str())
            && get("realm") == Some(DIGEST_REALM)
            && get("uri") == Some(request_uri)
            && get("qop") == Some("auth")
            && get("algorithm").unwrap_or("MD5") == algorithm.name();
        let (Some(nonce), Some(nc_text), Some(cnonce), Some(response)) =
            (get("nonce"), get("nc"), get("cnonce"), get("response"))
        else {
            return DigestCheck::Invalid;
        };
        let Ok(nc) = u32::from_str_radix(nc_text, 16) else {
            return DigestCheck::Invalid;
        };
        let ha1 = algorithm.hash(&format!(
            "{}:{DIGEST_REALM}:{}",
            key.public_key, key.private_key
        ));
        let ha2 = algorithm.hash(&format!("{method}:{request_uri}"));
        let expected = algorithm.hash(&format!("{ha1}:{nonce}:{nc_text}:{cnonce}:auth:{ha2}"));
        if !well_formed || response != expected {
            return DigestCheck::Invalid;
        }
        let mut nonces = lock(&self.nonces);
        let Some(uses) = nonces.get_mut(nonce) else {
            return DigestCheck::Invalid;
        };
        if uses.stale {
            return DigestCheck::Stale;
        }
        if uses.counts.insert(nc) {
            DigestCheck::Valid
        } else {
            DigestCheck::Invalid
        }
    }

    /// A 401 with the spec's body and a challenge for each scheme on offer.
    fn unauthorized(&self, body: &Value, stale: bool, legacy: bool) -> Response {
        let mut response = json_response(StatusCode::UNAUTHORIZED, body);
        let headers = response.headers_mut();
        if self.config.digest.is_some() {
            let nonce = self.fresh_secret("nonce");
            lock(&self.nonces).insert(nonce.clone(), NonceUse::default());
            self.challenges.fetch_add(1, Ordering::SeqCst);
            let challenge = format!(
                "Digest realm=\"{DIGEST_REALM}\", domain=\"\", nonce=\"{nonce}\", algorithm={}, qop=\"auth\", stale={stale}",
                self.config.digest_algorithm.name()
            );
            headers.append(WWW_AUTHENTICATE, header_value(&challenge));
        }
        let bearer = self.config.bearer_token.is_some() || self.config.service_account.is_some();
        if bearer && !legacy {
            headers.append(
                WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"Atlas\""),
            );
        }
        response
    }

    /// The token endpoint: checks the client id and secret sent with HTTP Basic and the grant
    /// type, then issues a token.
    pub(crate) fn token_endpoint(&self, headers: &HeaderMap, body: &str) -> Response {
        self.token_requests.fetch_add(1, Ordering::SeqCst);
        let basic = headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Basic "))
            .and_then(|encoded| {
                base64::engine::general_purpose::STANDARD
                    .decode(encoded.trim())
                    .ok()
            })
            .and_then(|bytes| String::from_utf8(bytes).ok());
        let known = self
            .config
            .service_account
            .as_ref()
            .is_some_and(|(id, secret)| {
                basic.as_deref() == Some(format!("{id}:{secret}").as_str())
            });
        if !known {
            let description = if self.config.echo_authorization {
                let sent = headers
                    .get(AUTHORIZATION)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                format!("Invalid client credentials in `Authorization: {sent}`.")
            } else {
                "Invalid client credentials.".to_owned()
            };
            let mut response = json_response(
                StatusCode::UNAUTHORIZED,
                &json!({"error": "invalid_client", "error_description": description}),
            );
            response.headers_mut().insert(
                WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"Atlas\""),
            );
            return response;
        }
        let grant = body
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(name, _)| *name == "grant_type")
            .map(|(_, value)| value);
        if grant != Some("client_credentials") {
            return json_response(
                StatusCode::BAD_REQUEST,
                &json!({"error": "unsupported_grant_type"}),
            );
        }
        let token = self.fresh_secret("token");
        let lifetime = self.config.token_lifetime;
        lock(&self.tokens).insert(token.clone(), Instant::now() + lifetime);
        json_response(
            StatusCode::OK,
            &json!({
                "access_token": token,
                "expires_in": lifetime.as_secs(),
                "token_type": "Bearer",
                "padding": "x".repeat(self.config.token_answer_padding),
            }),
        )
    }

    /// A value no one can guess from the ones before it.
    fn fresh_secret(&self, kind: &str) -> String {
        let n = self.issued.fetch_add(1, Ordering::SeqCst);
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        let seed = format!("{kind}:{n}:{now}:{:p}", self);
        DigestAlgorithm::Sha256.hash(&seed)[..32].to_owned()
    }
}

/// `name=value` and `name="quoted value"` pairs, separated by commas.
fn parse_params(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut rest = text.trim();
    while let Some((name, after)) = rest.split_once('=') {
        let name = name
            .trim()
            .trim_start_matches(',')
            .trim()
            .to_ascii_lowercase();
        let after = after.trim_start();
        let (value, tail) = match after.strip_prefix('"') {
            Some(quoted) => match quoted.find('"') {
                Some(end) => (&quoted[..end], &quoted[end + 1..]),
                None => (quoted, ""),
            },
            None => match after.find(',') {
                Some(end) => (after[..end].trim(), &after[end..]),
                None => (after.trim(), ""),
            },
        };
        out.insert(name, value.to_owned());
        rest = tail.trim_start().trim_start_matches(',');
    }
    out
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    let text = serde_json::to_vec(body).expect("a JSON value always serializes");
    let mut response = Response::new(axum::body::Body::from(text));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

fn header_value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).expect("challenges are printable ASCII")
}

/// A poisoned lock only means another test thread panicked; the data is still usable.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quoted_and_bare_parameters() {
        let params = parse_params(
            r#"username="Mufasa", realm="a, b", nc=00000001, qop=auth,response="abc""#,
        );
        assert_eq!(params["username"], "Mufasa");
        assert_eq!(params["realm"], "a, b");
        assert_eq!(params["nc"], "00000001");
        assert_eq!(params["qop"], "auth");
        assert_eq!(params["response"], "abc");
    }

    /// RFC 7616, section 3.9.1, computed the stand-in's way.
    #[test]
    fn hashes_the_rfc_7616_example() {
        let answer = |algorithm: DigestAlgorithm| {
            let ha1 = algorithm.hash("Mufasa:http-auth@example.org:Circle of Life");
            let ha2 = algorithm.hash("GET:/dir/index.html");
            algorithm.hash(&format!(
                "{ha1}:7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v:00000001:\
                 f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ:auth:{ha2}"
            ))
        };
        assert_eq!(
            answer(DigestAlgorithm::Md5),
            "8ca523f5e9506fed4657c9700eebdbec"
        );
        assert_eq!(
            answer(DigestAlgorithm::Sha256),
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"
        );
    }
}
