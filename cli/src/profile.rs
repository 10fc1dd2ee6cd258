//! `--profile NAME` and `--config PATH`: the credentials, project id and server of an Atlas CLI
//! profile, read from the Atlas CLI's `config.toml` (one table per profile). Only what this
//! command uses is read; the file is never written. Secrets read here are kept out of every
//! message: a failure names the file, the profile and the key, never a value.

use crate::failure::{Class, Failure};
use std::path::{Path, PathBuf};

/// The profile the Atlas CLI uses when none is named.
pub const DEFAULT_PROFILE: &str = "default";

/// Atlas for Government, where profiles with `service = "cloudgov"` send their requests.
const CLOUD_GOV_URL: &str = "https://cloud.mongodbgov.com";

/// The credentials a profile holds, by its `auth_type` or, without one, by the keys it has.
/// A part is `None` when the file does not have it: newer Atlas CLI versions keep the secrets
/// (and the public key and client id) in the OS keyring.
pub enum Credentials {
    None,
    ApiKey {
        public_key: Option<String>,
        private_key: Option<String>,
    },
    ServiceAccount {
        client_id: Option<String>,
        client_secret: Option<String>,
    },
    /// `atlas auth login`: its access token is used as a bearer token as it is; it is not
    /// refreshed, so an expired one is refused by Atlas (exit code 4).
    UserAccount {
        access_token: Option<String>,
    },
}

/// One profile of the file. No `Debug`: it holds secrets.
pub struct Profile {
    pub name: String,
    pub path: PathBuf,
    /// The default of every `--group-id`.
    pub project_id: Option<String>,
    /// `ops_manager_url`, or Atlas for Government's URL for `service = "cloudgov"`.
    pub base_url: Option<String>,
    pub credentials: Credentials,
}

/// Where the Atlas CLI keeps its configuration: Go's `os.UserConfigDir()`, which `dirs`
/// finds the same way on Linux, macOS and Windows, then `atlascli/config.toml`.
pub fn default_path() -> Option<PathBuf> {
    dirs::config_dir().map(|dir| dir.join("atlascli").join("config.toml"))
}

/// The profile `--profile` (or `MONGODB_ATLAS_PROFILE`) and `--config` select; with neither,
/// no file is read, so that a command line that names no profile behaves as it always did.
pub fn load(name: Option<&str>, config: Option<&Path>) -> Result<Option<Profile>, Failure> {
    if name.is_none() && config.is_none() {
        return Ok(None);
    }
    let path = match config {
        Some(path) => path.to_path_buf(),
        None => default_path().ok_or_else(|| {
            Failure::new(
                Class::Local,
                "--profile: this system has no config directory to find the Atlas CLI's \
                 config.toml in; give the file with --config PATH",
            )
        })?,
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Failure::new(Class::Local, format!("{}: {e}", path.display())))?;
    parse(&text, name.unwrap_or(DEFAULT_PROFILE), path).map(Some)
}

fn parse(text: &str, name: &str, path: PathBuf) -> Result<Profile, Failure> {
    let shown = path.display().to_string();
    let document: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        // toml's own Display quotes the offending line, which may hold a secret.
        let at = e
            .span()
            .map(|span| {
                let (line, column) = line_column(text, span.start);
                format!(" at line {line}, column {column}")
            })
            .unwrap_or_default();
        Failure::new(
            Class::Local,
            format!("{shown} is not valid TOML{at}: {}", e.message().trim_end()),
        )
    })?;
    // Top-level keys that are not tables are the Atlas CLI's global settings.
    let names: Vec<&str> = document
        .iter()
        .filter(|(_, value)| value.is_table())
        .map(|(key, _)| key.as_str())
        .collect();
    // The Atlas CLI lower-cases profile names, and its reader matches keys in any case.
    let Some(table) = document
        .iter()
        .find(|(key, value)| value.is_table() && key.eq_ignore_ascii_case(name))
        .and_then(|(_, value)| value.as_table())
    else {
        let known = if names.is_empty() {
            "it has none".to_owned()
        } else {
            format!("its profiles: {}", names.join(", "))
        };
        return Err(Failure::new(
            Class::Usage,
            format!("{shown} has no profile `{name}`; {known}"),
        ));
    };
    let get = |key: &str| match table.get(key) {
        None => Ok(None),
        // The Atlas CLI treats an empty value as unset.
        Some(toml::Value::String(value)) => Ok(Some(value.clone()).filter(|v| !v.is_empty())),
        Some(other) => Err(Failure::new(
            Class::Local,
            format!(
                "{shown}: `{key}` of profile `{name}` must be a string, not {}",
                other.type_str()
            ),
        )),
    };
    let public_key = get("public_api_key")?;
    let private_key = get("private_api_key")?;
    let client_id = get("client_id")?;
    let client_secret = get("client_secret")?;
    let access_token = get("access_token")?;
    let api_key = |public_key, private_key| Credentials::ApiKey {
        public_key,
        private_key,
    };
    let credentials = match get("auth_type")?.as_deref() {
        Some("api_keys") => api_key(public_key, private_key),
        Some("service_account") => Credentials::ServiceAccount {
            client_id,
            client_secret,
        },
        Some("user_account") => Credentials::UserAccount { access_token },
        Some("no_auth") => Credentials::None,
        Some(other) => {
            return Err(Failure::new(
                Class::Local,
                format!(
                    "{shown}: `auth_type` of profile `{name}` is `{other}`; known: api_keys, \
                     service_account, user_account, no_auth"
                ),
            ))
        }
        // Profiles written before the Atlas CLI recorded `auth_type`.
        None if public_key.is_some() || private_key.is_some() => api_key(public_key, private_key),
        None if client_id.is_some() || client_secret.is_some() => Credentials::ServiceAccount {
            client_id,
            client_secret,
        },
        None if access_token.is_some() => Credentials::UserAccount { access_token },
        None => Credentials::None,
    };
    let base_url = match (get("ops_manager_url")?, get("service")?.as_deref()) {
        (Some(url), _) => Some(url.trim_end_matches('/').to_owned()),
        (None, None | Some("cloud")) => None,
        (None, Some("cloudgov")) => Some(CLOUD_GOV_URL.to_owned()),
        (None, Some(other)) => {
            return Err(Failure::new(
                Class::Local,
                format!(
                    "{shown}: profile `{name}` is for the service `{other}`; this command speaks \
                     only to Atlas (`cloud` or `cloudgov`), or to `ops_manager_url` when set"
                ),
            ))
        }
    };
    Ok(Profile {
        name: name.to_owned(),
        path,
        project_id: get("project_id")?,
        base_url,
        credentials,
    })
}

impl Profile {
    /// The failure for credentials the profile names but whose parts, given as
    /// `(key in the file, variable)`, the file lacks.
    pub fn missing(&self, what: &str, parts: &[(&str, &str)]) -> Failure {
        let keys: Vec<&str> = parts.iter().map(|(key, _)| *key).collect();
        let variables: Vec<&str> = parts.iter().map(|(_, variable)| *variable).collect();
        let (them, were) = if parts.len() > 1 {
            ("them", "they were")
        } else {
            ("it", "it was")
        };
        Failure::new(
            Class::Auth,
            format!(
                "profile `{}` of {} names {what} but the file has no {}: the Atlas CLI keeps \
                 {them} in the OS keyring, which this command does not read (or {were} never \
                 set); set {} instead",
                self.name,
                self.path.display(),
                keys.join(" nor "),
                variables.join(" and "),
            ),
        )
    }
}

/// The 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(0, |last| last.chars().count())
        + 1;
    (line, column)
}
