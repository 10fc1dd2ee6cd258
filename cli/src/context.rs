//! What every generated command runs with: the client built from the global flags (with
//! `--dry-run`, one that prints its first request instead of sending it), the request body read
//! from `--file`, and the printing of answers in the chosen output format.

use crate::args;
use crate::failure::{Class, Failure};
use crate::generated;
use crate::output::Format;
use crate::profile::{Credentials, Profile};
use atlas_snapshots::{Client, OperationInfo, WaitPolicy};
use clap::ArgMatches;
use futures_util::{Stream, StreamExt};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::io::{IsTerminal, Read, Write};
use std::time::Duration;

/// Which credentials the client holds, for `--dry-run` (secrets are never kept here).
#[derive(Debug, Clone)]
pub enum Auth {
    None,
    Digest { public_key: String },
    ServiceAccount,
    AccessToken,
}

pub struct Context {
    client: Client,
    pub auth: Auth,
    pub api_version: Option<String>,
    format: Format,
    dry_run: bool,
}

impl Context {
    /// The client and settings the global flags describe, with what a `--profile` gives where
    /// the flags and variables say nothing.
    pub fn from_matches(matches: &ArgMatches, profile: Option<&Profile>) -> Result<Self, Failure> {
        let text = |id: &str| {
            matches
                .get_one::<String>(id)
                .filter(|v| !v.is_empty())
                .cloned()
        };
        let base_url = text("base-url")
            .or_else(|| profile.and_then(|p| p.base_url.clone()))
            .unwrap_or_else(|| atlas_snapshots::DEFAULT_BASE_URL.to_owned());
        let mut builder = Client::builder().base_url(base_url.clone());
        let auth = match credentials(&text, profile)? {
            Chosen::None => Auth::None,
            Chosen::Token(token) => {
                builder = builder.bearer_token(token);
                Auth::AccessToken
            }
            Chosen::ServiceAccount(id, secret) => {
                builder = builder.service_account(id, secret);
                Auth::ServiceAccount
            }
            Chosen::Digest(public_key, private_key) => {
                builder = builder.digest_auth(public_key.clone(), private_key);
                Auth::Digest { public_key }
            }
        };
        let api_version = text("api-version");
        if let Some(version) = &api_version {
            builder = builder.api_version(version.clone());
        }
        let dry_run = matches.get_flag("dry-run");
        if dry_run {
            // The request goes the whole way a real one goes (checks, version negotiation,
            // encoding) and is stopped where it would be sent.
            builder = builder.call_layer(crate::curl::DryRunLayer::new(auth.clone()));
        }
        let client = builder
            .build()
            .map_err(|e| Failure::new(Class::Usage, atlas_snapshots::ErrorChain(&e).to_string()))?;
        let format = matches
            .get_one::<Format>("output")
            .cloned()
            .unwrap_or_else(|| {
                if std::io::stdout().is_terminal() {
                    Format::Table
                } else {
                    Format::Json
                }
            });
        Ok(Context {
            client,
            auth,
            api_version,
            format,
            dry_run,
        })
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Warns of what the operation deserves before it is sent, as the client's descriptor of
    /// it tells: deprecated, or sent with no `--api-version` pinned.
    pub fn start(&self, operation: &'static OperationInfo) {
        if let Some(deprecation) = operation.deprecation {
            let command = generated::command_of(operation.id).unwrap_or(operation.id);
            let mut warning = format!("`{command}` is deprecated");
            if let Some(sunset) = deprecation.sunset {
                warning.push_str(&format!(" and Atlas retires it on {sunset}"));
            }
            if let Some(replacement) = deprecation.replaced_by.and_then(generated::command_of) {
                warning.push_str(&format!("; use `{replacement}` instead"));
            }
            eprintln!("warning: {warning}");
        }
        let negotiated = operation
            .negotiate(self.api_version.as_deref())
            .ok()
            .flatten();
        if let Some((version, sunset)) = negotiated.and_then(|m| Some((m.version?, m.sunset?))) {
            let command = generated::command_of(operation.id).unwrap_or(operation.id);
            eprintln!(
                "warning: `{command}` goes out in API version {version}, which Atlas retires on \
                 {sunset}; pin a newer version with --api-version"
            );
        }
        if self.api_version.is_none() {
            if let Some(version) = operation.responses.iter().filter_map(|m| m.version).max() {
                eprintln!(
                    "warning: no --api-version (or MONGODB_ATLAS_API_VERSION) given, so the newest \
                     version of `{}`, {version}, is used; pin one so that a new API version \
                     cannot change what scripts read",
                    operation.id
                );
            }
        }
    }

    /// Fails before sending when no credentials were given (a dry run needs none).
    pub fn check_credentials(&self) -> Result<(), Failure> {
        match self.auth {
            Auth::None if !self.dry_run => Err(Failure::new(
                Class::Auth,
                "no credentials: set MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET \
                 (service account), MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY \
                 (API key) or MONGODB_ATLAS_ACCESS_TOKEN, or the matching flags, or name an Atlas \
                 CLI profile with --profile",
            )),
            _ => Ok(()),
        }
    }

    /// The required request body from `--file`.
    pub fn body<T: DeserializeOwned>(&self, matches: &ArgMatches) -> Result<T, Failure> {
        self.optional_body(matches)?
            .ok_or_else(|| Failure::new(Class::Usage, "--file is required"))
    }

    /// The request body from `--file`, or else made of the body field flags given, parsed
    /// into the operation's body type; `None` when neither is given. A field the body needs
    /// and no flag gives is a usage error naming the flag.
    pub fn body_or_fields<T: DeserializeOwned, const N: usize>(
        &self,
        matches: &ArgMatches,
        fields: [args::BodyField; N],
    ) -> Result<Option<T>, Failure> {
        if let Some(body) = self.optional_body(matches)? {
            return Ok(Some(body));
        }
        if fields.iter().all(|f| f.value.is_none()) {
            return Ok(None);
        }
        let missing: Vec<String> = fields
            .iter()
            .filter(|f| f.required && f.value.is_none())
            .map(|f| format!("--{}", f.flag))
            .collect();
        if !missing.is_empty() {
            return Err(Failure::new(
                Class::Usage,
                format!(
                    "the request body also needs {} (or give the whole body with --file)",
                    missing.join(", ")
                ),
            ));
        }
        let body: serde_json::Map<String, serde_json::Value> = fields
            .into_iter()
            .filter_map(|f| f.value.map(|value| (f.wire.to_owned(), value)))
            .collect();
        serde_json::from_value(serde_json::Value::Object(body))
            .map(Some)
            .map_err(|e| {
                Failure::new(
                    Class::InvalidRequest,
                    format!("the body field flags do not make a valid request body: {e}"),
                )
            })
    }

    /// The request body from `--file`, parsed into the operation's body type.
    pub fn optional_body<T: DeserializeOwned>(
        &self,
        matches: &ArgMatches,
    ) -> Result<Option<T>, Failure> {
        let Some(path) = matches.get_one::<String>("file") else {
            return Ok(None);
        };
        let (shown, text) = if path == "-" {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| Failure::new(Class::Local, format!("standard input: {e}")))?;
            ("standard input".to_owned(), text)
        } else {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure::new(Class::Local, format!("{path}: {e}")))?;
            (path.clone(), text)
        };
        serde_json::from_str(&text).map(Some).map_err(|e| {
            Failure::new(
                Class::InvalidRequest,
                format!("{shown} is not a valid request body: {e}"),
            )
        })
    }

    /// The polling policy of `--wait`.
    pub fn wait_policy(&self, matches: &ArgMatches) -> WaitPolicy {
        let mut policy = WaitPolicy::new();
        if let Some(seconds) = matches.get_one::<u64>("wait-timeout") {
            policy = policy.deadline(Duration::from_secs(*seconds));
        }
        if let Some(seconds) = matches.get_one::<f64>("wait-interval") {
            let interval = Duration::from_secs_f64(seconds.max(0.0));
            policy = policy
                .interval(interval)
                .max_interval(interval.max(Duration::from_secs(60)));
        }
        policy
    }

    /// Prints one answer.
    pub fn print<T: Serialize>(&self, body: &T) -> Result<(), Failure> {
        let value = serde_json::to_value(body)
            .map_err(|e| Failure::new(Class::Local, format!("the answer: {e}")))?;
        self.write(&crate::output::render(&self.format, &value))
    }

    /// Prints every item of a walk over all pages, with a progress bar on a terminal.
    pub async fn print_items<T, S>(&self, items: S) -> Result<(), Failure>
    where
        T: Serialize,
        S: Stream<Item = Result<T, atlas_snapshots::Error>>,
    {
        let progress = if std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} {pos} items ({elapsed})")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            Some(bar)
        } else {
            None
        };
        let mut all = Vec::new();
        let mut items = std::pin::pin!(items);
        while let Some(item) = items.next().await {
            let item = match item {
                Ok(item) => item,
                Err(error) => {
                    if let Some(bar) = &progress {
                        bar.abandon();
                    }
                    return Err(error.into());
                }
            };
            all.push(
                serde_json::to_value(&item)
                    .map_err(|e| Failure::new(Class::Local, format!("an item: {e}")))?,
            );
            if let Some(bar) = &progress {
                bar.inc(1);
            }
        }
        if let Some(bar) = progress {
            bar.finish_and_clear();
        }
        self.write(&crate::output::render(
            &self.format,
            &serde_json::Value::Array(all),
        ))
    }

    /// An answer without a body: a line on stderr, nothing on stdout.
    pub fn done(&self, status: atlas_snapshots::http::StatusCode) -> Result<(), Failure> {
        eprintln!("done: {status}");
        Ok(())
    }

    /// An answer that is not JSON: its bytes, as received.
    #[allow(
        dead_code,
        reason = "for answers that are not JSON, which this spec does not have"
    )]
    pub fn write_bytes(&self, bytes: &[u8]) -> Result<(), Failure> {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(bytes)
            .and_then(|()| stdout.flush())
            .map_err(|e| Failure::new(Class::Local, format!("standard output: {e}")))
    }

    fn write(&self, text: &str) -> Result<(), Failure> {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{text}")
            .and_then(|()| stdout.flush())
            .map_err(|e| Failure::new(Class::Local, format!("standard output: {e}")))
    }
}

/// The credentials a run uses, secrets included; only the client gets them.
enum Chosen {
    None,
    Token(String),
    ServiceAccount(String, String),
    Digest(String, String),
}

/// Flags and variables win: the first kind of credentials they give a part of is used (a bearer
/// token, then a service account, then an API key), and the profile only fills in the other
/// half of that kind's pair when it holds the same kind. Without any, the profile's own are used.
fn credentials(
    text: &impl Fn(&str) -> Option<String>,
    profile: Option<&Profile>,
) -> Result<Chosen, Failure> {
    if let Some(token) = text("access-token") {
        return Ok(Chosen::Token(token));
    }
    let held = profile.map_or(&Credentials::None, |p| &p.credentials);
    let (client_id, client_secret) = (text("client-id"), text("client-secret"));
    let (public_key, private_key) = (text("public-key"), text("private-key"));
    let service_account = || {
        let (id, secret, from_profile) = match held {
            Credentials::ServiceAccount {
                client_id: id,
                client_secret: secret,
            } => (id.clone(), secret.clone(), profile),
            _ => (None, None, None),
        };
        let (id, secret) = pair(
            (
                client_id.clone().or(id),
                "client-id",
                "client_id",
                "MONGODB_ATLAS_CLIENT_ID",
            ),
            (
                client_secret.clone().or(secret),
                "client-secret",
                "client_secret",
                "MONGODB_ATLAS_CLIENT_SECRET",
            ),
            from_profile.map(|p| (p, "a service account")),
        )?;
        Ok(Chosen::ServiceAccount(id, secret))
    };
    let api_key = || {
        let (public, private, from_profile) = match held {
            Credentials::ApiKey {
                public_key: public,
                private_key: private,
            } => (public.clone(), private.clone(), profile),
            _ => (None, None, None),
        };
        let (public, private) = pair(
            (
                public_key.clone().or(public),
                "public-key",
                "public_api_key",
                "MONGODB_ATLAS_PUBLIC_API_KEY",
            ),
            (
                private_key.clone().or(private),
                "private-key",
                "private_api_key",
                "MONGODB_ATLAS_PRIVATE_API_KEY",
            ),
            from_profile.map(|p| (p, "an API key")),
        )?;
        Ok(Chosen::Digest(public, private))
    };
    if client_id.is_some() || client_secret.is_some() {
        return service_account();
    }
    if public_key.is_some() || private_key.is_some() {
        return api_key();
    }
    match (held, profile) {
        (Credentials::ServiceAccount { .. }, _) => service_account(),
        (Credentials::ApiKey { .. }, _) => api_key(),
        (Credentials::UserAccount { access_token }, Some(profile)) => {
            access_token.clone().map(Chosen::Token).ok_or_else(|| {
                profile.missing(
                    "a user account (`atlas auth login`)",
                    &[("access_token", "MONGODB_ATLAS_ACCESS_TOKEN")],
                )
            })
        }
        _ => Ok(Chosen::None),
    }
}

/// Both halves of a pair, each `(value, flag, key in the profile, variable)`. A half missing
/// is the profile's to give when it holds this kind (`from_profile`), else a usage error.
fn pair(
    a: (Option<String>, &str, &str, &str),
    b: (Option<String>, &str, &str, &str),
    from_profile: Option<(&Profile, &str)>,
) -> Result<(String, String), Failure> {
    match (a.0, b.0) {
        (Some(x), Some(y)) => Ok((x, y)),
        (x, y) => {
            if let Some((profile, what)) = from_profile {
                let mut parts = Vec::new();
                if x.is_none() {
                    parts.push((a.2, a.3));
                }
                if y.is_none() {
                    parts.push((b.2, b.3));
                }
                return Err(profile.missing(what, &parts));
            }
            let (given, needed) = if x.is_some() { (a.1, b.1) } else { (b.1, a.1) };
            Err(Failure::new(
                Class::Usage,
                format!("--{given} needs --{needed} too"),
            ))
        }
    }
}
