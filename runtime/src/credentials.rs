//! The credentials a client authenticates with, which security schemes each kind can serve, and
//! how they are read from the environment. Secrets are kept in a wrapper whose `Debug` never
//! shows them.

use crate::descriptor::AuthKind;
use crate::dialect::ATLAS_ENV_PREFIX;
use base64::Engine;
use bytes::Bytes;
use std::fmt;

/// A secret value: shown as `<redacted>` by `Debug`, and never by anything else.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(text: impl Into<String>) -> Self {
        Secret(text.into())
    }

    /// The secret itself, for the one place that must send it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The secrets of a client's credentials in every form a request carries them (the secret
/// itself, and `id:secret` in base64 as HTTP Basic sends it), to be cut out of anything a server
/// sends back before it reaches an error message: a server or proxy that echoes the request
/// must not put a secret into a log.
#[derive(Clone, Default)]
pub(crate) struct Redactions(Vec<String>);

impl Redactions {
    pub(crate) fn of(credentials: &Credentials) -> Self {
        let mut redactions = Redactions::default();
        match &credentials.kind {
            CredentialsInner::Digest { private_key, .. } => redactions.add(private_key.expose()),
            CredentialsInner::ServiceAccount {
                client_id,
                client_secret,
                ..
            } => return Redactions::service_account(client_id, client_secret),
            CredentialsInner::AccessToken(token) => redactions.add(token.expose()),
            CredentialsInner::Basic { username, password } => {
                return Redactions::basic(username, password)
            }
            CredentialsInner::ApiKey(key) => {
                redactions.add(key.expose());
                // As a query parameter the key is sent percent-encoded.
                let encoded: String =
                    url::form_urlencoded::byte_serialize(key.expose().as_bytes()).collect();
                redactions.add(&encoded);
            }
        }
        redactions
    }

    /// A service account's secret, alone and inside the HTTP Basic credentials of its token
    /// requests.
    pub(crate) fn service_account(client_id: &str, client_secret: &Secret) -> Self {
        Redactions::basic(client_id, client_secret)
    }

    /// A password, alone and inside the HTTP Basic credentials it is sent in.
    pub(crate) fn basic(username: &str, password: &Secret) -> Self {
        let mut redactions = Redactions::default();
        redactions.add(password.expose());
        redactions.add(&basic_credentials(username, password));
        redactions
    }

    pub(crate) fn add(&mut self, secret: &str) {
        // An empty secret would match everywhere; it is no secret either.
        if !secret.is_empty() && !self.0.iter().any(|known| known == secret) {
            self.0.push(secret.to_owned());
        }
    }

    /// `text` with every secret replaced by `<redacted>`.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for secret in &self.0 {
            if text.contains(secret.as_str()) {
                text = text.replace(secret.as_str(), "<redacted>");
            }
        }
        text
    }

    /// A body with every secret replaced, copied only when it holds one.
    pub(crate) fn scrub_body(&self, body: Bytes) -> Bytes {
        let holds_secret = self.0.iter().any(|secret| {
            body.windows(secret.len())
                .any(|window| window == secret.as_bytes())
        });
        if !holds_secret {
            return body;
        }
        Bytes::from(self.scrub(&String::from_utf8_lossy(&body)).into_bytes())
    }
}

/// `username:password` in base64, as HTTP Basic sends it.
pub(crate) fn basic_credentials(username: &str, password: &Secret) -> String {
    let pair = format!("{username}:{}", password.expose());
    base64::engine::general_purpose::STANDARD.encode(pair)
}

impl fmt::Debug for Redactions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Redactions({} secrets)", self.0.len())
    }
}

/// How a client proves who it is.
///
/// ```
/// use atlas_snapshots_runtime::{CredentialKind, Credentials};
/// let credentials = Credentials::digest("public-key", "private-key");
/// assert_eq!(credentials.kind(), CredentialKind::Digest);
/// assert!(!format!("{credentials:?}").contains("private-key"));
/// ```
#[derive(Clone)]
pub struct Credentials {
    pub(crate) kind: CredentialsInner,
}

#[derive(Clone)]
pub(crate) enum CredentialsInner {
    Digest {
        public_key: String,
        private_key: Secret,
    },
    ServiceAccount {
        client_id: String,
        client_secret: Secret,
        /// The token endpoint; `None` takes the API's own (see [`Credentials::service_account`]).
        token_url: Option<String>,
        scopes: Vec<String>,
    },
    AccessToken(Secret),
    Basic {
        username: String,
        password: Secret,
    },
    /// Where the key goes is the operation's security scheme's call.
    ApiKey(Secret),
}

/// Which kind of [`Credentials`] a client holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CredentialKind {
    /// A programmatic API key, sent with HTTP Digest authentication.
    Digest,
    /// A service account, exchanged for short-lived access tokens (OAuth 2.0).
    ServiceAccount,
    /// An access token obtained elsewhere, sent as a bearer token.
    AccessToken,
    /// A user name and password, sent with HTTP Basic authentication.
    Basic,
    /// An API key, sent in the header, query parameter or cookie the operation's scheme names.
    ApiKey,
}

impl fmt::Display for CredentialKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CredentialKind::Digest => "API key (HTTP Digest)",
            CredentialKind::ServiceAccount => "service account (OAuth 2.0)",
            CredentialKind::AccessToken => "access token (bearer)",
            CredentialKind::Basic => "user name and password (HTTP Basic)",
            CredentialKind::ApiKey => "API key",
        })
    }
}

impl Credentials {
    /// A programmatic API key: the public key is the user name, the private key the password.
    pub fn digest(public_key: impl Into<String>, private_key: impl Into<String>) -> Self {
        Credentials {
            kind: CredentialsInner::Digest {
                public_key: public_key.into(),
                private_key: Secret::new(private_key),
            },
        }
    }

    /// A service account (OAuth 2.0 client credentials): the client exchanges the id and secret
    /// for access tokens at the token URL of the API's spec, and renews them before they expire.
    /// A token URL on the spec's own server follows the client's base URL; without one in the
    /// spec, tokens come from `{base_url}/api/oauth/token`, as Atlas serves them.
    pub fn service_account(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Credentials {
            kind: CredentialsInner::ServiceAccount {
                client_id: client_id.into(),
                client_secret: Secret::new(client_secret),
                token_url: None,
                scopes: Vec::new(),
            },
        }
    }

    /// OAuth 2.0 client credentials exchanged at `token_url` (absolute, or relative to the
    /// client's base URL) for tokens with `scopes`.
    pub fn client_credentials(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        token_url: impl Into<String>,
        scopes: &[&str],
    ) -> Self {
        Credentials {
            kind: CredentialsInner::ServiceAccount {
                client_id: client_id.into(),
                client_secret: Secret::new(client_secret),
                token_url: Some(token_url.into()),
                scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            },
        }
    }

    /// A user name and password, sent as `Authorization: Basic …` (Twilio: the account SID
    /// and the auth token).
    pub fn basic(username: impl Into<String>, password: impl Into<String>) -> Self {
        Credentials {
            kind: CredentialsInner::Basic {
                username: username.into(),
                password: Secret::new(password),
            },
        }
    }

    /// An API key, sent in the header, query parameter or cookie that the security scheme of
    /// each operation names.
    pub fn api_key(key: impl Into<String>) -> Self {
        Credentials {
            kind: CredentialsInner::ApiKey(Secret::new(key)),
        }
    }

    /// An access token obtained elsewhere, sent as `Authorization: Bearer <token>`. It is never
    /// renewed.
    pub fn access_token(token: impl Into<String>) -> Self {
        Credentials {
            kind: CredentialsInner::AccessToken(Secret::new(token)),
        }
    }

    /// Reads the credentials from the process environment, in the variables Atlas's own tools
    /// read; see [`Credentials::from_lookup_prefixed`].
    pub fn from_env() -> Result<Self, CredentialsError> {
        Credentials::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the credentials through `lookup` (a variable name to its value) from the variables
    /// Atlas's own tools read, those of the prefix [`ATLAS_ENV_PREFIX`]: a service account from
    /// `MONGODB_ATLAS_CLIENT_ID` and `MONGODB_ATLAS_CLIENT_SECRET` when both are set, else an API
    /// key from `MONGODB_ATLAS_PUBLIC_API_KEY` and `MONGODB_ATLAS_PRIVATE_API_KEY`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, CredentialsError> {
        Credentials::from_lookup_prefixed(ATLAS_ENV_PREFIX, lookup)
    }

    /// Reads the credentials through `lookup` from the variables named `{prefix}_...`, taking
    /// the first form whose variables are all set (empty values count as unset):
    ///
    /// 1. `_CLIENT_ID` and `_CLIENT_SECRET`: OAuth 2.0 client credentials (a service account);
    /// 2. `_PUBLIC_API_KEY` and `_PRIVATE_API_KEY`: HTTP Digest (an Atlas API key);
    /// 3. `_USERNAME` and `_PASSWORD`: HTTP Basic;
    /// 4. `_ACCESS_TOKEN`: a bearer token;
    /// 5. `_API_KEY`: an API key, sent where the operation's scheme says.
    ///
    /// A generated client's [`credentials_from_env`](crate::ClientBuilder::credentials_from_env)
    /// reads them with the prefix of its API (`MONGODB_ATLAS` for Atlas).
    pub fn from_lookup_prefixed(
        prefix: &str,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, CredentialsError> {
        let name = |suffix: &str| format!("{prefix}_{suffix}");
        let read = |name: &str| lookup(name).filter(|value| !value.is_empty());
        let pairs = [
            (
                "CLIENT_ID",
                "CLIENT_SECRET",
                Credentials::service_account as fn(String, String) -> Credentials,
            ),
            ("PUBLIC_API_KEY", "PRIVATE_API_KEY", Credentials::digest),
            ("USERNAME", "PASSWORD", Credentials::basic),
        ];
        let mut incomplete = None;
        for (id_suffix, secret_suffix, make) in pairs {
            let (id_name, secret_name) = (name(id_suffix), name(secret_suffix));
            match (read(&id_name), read(&secret_name)) {
                (Some(id), Some(secret)) => return Ok(make(id, secret)),
                (Some(_), None) => {
                    incomplete.get_or_insert((id_name, secret_name));
                }
                (None, Some(_)) => {
                    incomplete.get_or_insert((secret_name, id_name));
                }
                (None, None) => {}
            }
        }
        if let Some((set, unset)) = incomplete {
            return Err(CredentialsError::Incomplete { set, unset });
        }
        let singles = [
            (
                "ACCESS_TOKEN",
                Credentials::access_token as fn(String) -> Credentials,
            ),
            ("API_KEY", Credentials::api_key),
        ];
        for (suffix, make) in singles {
            if let Some(value) = read(&name(suffix)) {
                return Ok(make(value));
            }
        }
        Err(CredentialsError::Missing {
            prefix: prefix.to_owned(),
        })
    }

    /// What kind of credentials these are.
    pub fn kind(&self) -> CredentialKind {
        match &self.kind {
            CredentialsInner::Digest { .. } => CredentialKind::Digest,
            CredentialsInner::ServiceAccount { .. } => CredentialKind::ServiceAccount,
            CredentialsInner::AccessToken(_) => CredentialKind::AccessToken,
            CredentialsInner::Basic { .. } => CredentialKind::Basic,
            CredentialsInner::ApiKey(_) => CredentialKind::ApiKey,
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The public key and the client id name the caller; the rest is secret.
        match &self.kind {
            CredentialsInner::Digest {
                public_key,
                private_key,
            } => f
                .debug_struct("Digest")
                .field("public_key", public_key)
                .field("private_key", private_key)
                .finish(),
            CredentialsInner::ServiceAccount {
                client_id,
                client_secret,
                token_url,
                scopes,
            } => f
                .debug_struct("ServiceAccount")
                .field("client_id", client_id)
                .field("client_secret", client_secret)
                .field("token_url", token_url)
                .field("scopes", scopes)
                .finish(),
            CredentialsInner::AccessToken(token) => {
                f.debug_struct("AccessToken").field("token", token).finish()
            }
            CredentialsInner::Basic { username, password } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", password)
                .finish(),
            CredentialsInner::ApiKey(key) => f.debug_struct("ApiKey").field("key", key).finish(),
        }
    }
}

/// Why no credentials could be read from the environment. Names variables, never values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// None of the forms is set.
    #[error("no credentials in the environment: set {prefix}_CLIENT_ID and {prefix}_CLIENT_SECRET (service account), {prefix}_PUBLIC_API_KEY and {prefix}_PRIVATE_API_KEY (API key pair), {prefix}_USERNAME and {prefix}_PASSWORD, {prefix}_ACCESS_TOKEN or {prefix}_API_KEY")]
    Missing {
        /// The prefix of the variables looked for (`MONGODB_ATLAS`).
        prefix: String,
    },
    /// One variable of a pair is set, the other is not.
    #[error("{set} is set but {unset} is not")]
    Incomplete {
        /// The variable that is set.
        set: String,
        /// The variable of the same pair that is not.
        unset: String,
    },
}

impl CredentialKind {
    /// Whether credentials of this kind can authorize a request under `scheme`.
    pub fn satisfies(self, scheme: AuthKind) -> bool {
        match self {
            CredentialKind::Digest => scheme == AuthKind::HttpDigest,
            CredentialKind::ServiceAccount => matches!(
                scheme,
                AuthKind::OAuth2ClientCredentials | AuthKind::HttpBearer
            ),
            // A token from any flow is sent the same way.
            CredentialKind::AccessToken => matches!(
                scheme,
                AuthKind::OAuth2ClientCredentials
                    | AuthKind::HttpBearer
                    | AuthKind::OAuth2
                    | AuthKind::OpenIdConnect
            ),
            CredentialKind::Basic => scheme == AuthKind::HttpBasic,
            CredentialKind::ApiKey => matches!(scheme, AuthKind::ApiKey { .. }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::{
        ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_PRIVATE_API_KEY, ENV_PUBLIC_API_KEY,
    };
    use std::collections::HashMap;

    fn read(vars: &[(&str, &str)]) -> Result<Credentials, CredentialsError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Credentials::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn the_environment_prefers_a_service_account() {
        let both = read(&[
            (ENV_CLIENT_ID, "id"),
            (ENV_CLIENT_SECRET, "secret"),
            (ENV_PUBLIC_API_KEY, "public"),
            (ENV_PRIVATE_API_KEY, "private"),
        ])
        .unwrap();
        assert_eq!(both.kind(), CredentialKind::ServiceAccount);
        let keys = read(&[
            (ENV_PUBLIC_API_KEY, "public"),
            (ENV_PRIVATE_API_KEY, "private"),
        ]);
        assert_eq!(keys.unwrap().kind(), CredentialKind::Digest);
        let half_account_and_keys = read(&[
            (ENV_CLIENT_ID, "id"),
            (ENV_PUBLIC_API_KEY, "public"),
            (ENV_PRIVATE_API_KEY, "private"),
        ]);
        assert_eq!(
            half_account_and_keys.unwrap().kind(),
            CredentialKind::Digest
        );
    }

    #[test]
    fn missing_or_half_set_variables_are_named() {
        assert_eq!(
            read(&[]).unwrap_err(),
            CredentialsError::Missing {
                prefix: "MONGODB_ATLAS".to_owned()
            }
        );
        assert_eq!(
            read(&[(ENV_CLIENT_ID, "id"), (ENV_CLIENT_SECRET, "")]).unwrap_err(),
            CredentialsError::Incomplete {
                set: ENV_CLIENT_ID.to_owned(),
                unset: ENV_CLIENT_SECRET.to_owned()
            }
        );
        let err = read(&[(ENV_PRIVATE_API_KEY, "private-value")]).unwrap_err();
        let message = err.to_string();
        assert!(message.contains(ENV_PUBLIC_API_KEY), "{message}");
        assert!(!message.contains("private-value"), "{message}");
    }

    #[test]
    fn another_prefix_reads_every_form_in_order() {
        let read = |vars: &[(&str, &str)]| {
            let vars: HashMap<String, String> = vars
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            Credentials::from_lookup_prefixed("OXIDE", |name| vars.get(name).cloned())
        };
        let kind = |vars: &[(&str, &str)]| read(vars).unwrap().kind();
        assert_eq!(
            kind(&[
                ("OXIDE_USERNAME", "u"),
                ("OXIDE_PASSWORD", "p"),
                ("OXIDE_API_KEY", "k")
            ]),
            CredentialKind::Basic
        );
        assert_eq!(
            kind(&[("OXIDE_ACCESS_TOKEN", "t"), ("OXIDE_API_KEY", "k")]),
            CredentialKind::AccessToken
        );
        assert_eq!(kind(&[("OXIDE_API_KEY", "k")]), CredentialKind::ApiKey);
        // Atlas's variables are not the API's.
        assert_eq!(
            read(&[
                (ENV_PUBLIC_API_KEY, "public"),
                (ENV_PRIVATE_API_KEY, "private")
            ])
            .unwrap_err(),
            CredentialsError::Missing {
                prefix: "OXIDE".to_owned()
            }
        );
        // Half a pair is named, before any single variable is looked at.
        assert_eq!(
            read(&[("OXIDE_PASSWORD", "p"), ("OXIDE_ACCESS_TOKEN", "t")]).unwrap_err(),
            CredentialsError::Incomplete {
                set: "OXIDE_PASSWORD".to_owned(),
                unset: "OXIDE_USERNAME".to_owned()
            }
        );
    }

    #[test]
    fn echoed_secrets_are_cut_out_in_every_form_they_were_sent() {
        let account = Redactions::of(&Credentials::service_account("id-1", "s3cret"));
        let basic = base64::engine::general_purpose::STANDARD.encode("id-1:s3cret");
        let echoed = format!("bad secret s3cret in Authorization: Basic {basic}");
        assert_eq!(
            account.scrub(&echoed),
            "bad secret <redacted> in Authorization: Basic <redacted>"
        );
        let body = Bytes::from(format!("{{\"detail\": \"{basic}\"}}"));
        assert_eq!(
            account.scrub_body(body),
            Bytes::from_static(b"{\"detail\": \"<redacted>\"}")
        );
        let clean = Bytes::from_static(b"nothing to hide");
        assert_eq!(account.scrub_body(clean.clone()), clean);
        let basic = Redactions::of(&Credentials::basic("AC1", "tok en"));
        let sent = base64::engine::general_purpose::STANDARD.encode("AC1:tok en");
        assert_eq!(
            basic.scrub(&format!("tok en / {sent}")),
            "<redacted> / <redacted>"
        );
        let key = Redactions::of(&Credentials::api_key("k&y"));
        assert_eq!(key.scrub("k&y or k%26y"), "<redacted> or <redacted>");
        let token = Redactions::of(&Credentials::access_token("tok-9"));
        assert_eq!(token.scrub("echo tok-9"), "echo <redacted>");
        let mut empty = Redactions::default();
        empty.add("");
        assert_eq!(empty.scrub("anything"), "anything");
    }

    #[test]
    fn debug_shows_who_but_not_the_secret() {
        for (credentials, secret, public) in [
            (
                Credentials::digest("pub-key", "priv-s3cret"),
                "priv-s3cret",
                "pub-key",
            ),
            (
                Credentials::service_account("client-1", "client-s3cret"),
                "client-s3cret",
                "client-1",
            ),
            (
                Credentials::access_token("tok-s3cret"),
                "tok-s3cret",
                "AccessToken",
            ),
            (
                Credentials::basic("AC123", "basic-s3cret"),
                "basic-s3cret",
                "AC123",
            ),
            (Credentials::api_key("key-s3cret"), "key-s3cret", "ApiKey"),
        ] {
            let shown = format!("{credentials:?} {credentials:#?}");
            assert!(!shown.contains(secret), "{shown}");
            assert!(shown.contains(public), "{shown}");
            assert!(shown.contains("<redacted>"), "{shown}");
        }
    }
}
