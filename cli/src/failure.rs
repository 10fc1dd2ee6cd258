//! Why a run failed, and the exit code each kind of failure gets. The codes are part of the
//! command line's interface (scripts branch on them), so they are listed in `--help` and in the
//! README, from [`EXIT_CODES`].

use atlas_snapshots::{ErrorChain, WaitError};
use std::fmt;
use std::process::ExitCode;

/// The classes of failure, each with its exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Not a failure: `--dry-run` stopped the request where it would have been sent, and the
    /// message is its curl command, for standard output.
    DryRun = 0,
    /// Nothing was sent or the answer could not be written out (a file that cannot be read,
    /// stdout closed).
    Local = 1,
    /// Bad flags or arguments; clap exits with this code too.
    Usage = 2,
    /// The request broke the spec's rules (caught before sending), or Atlas answered 400.
    InvalidRequest = 3,
    /// No credentials, credentials the operation does not accept, or Atlas answered 401 or 403.
    Auth = 4,
    /// Atlas answered 404.
    NotFound = 5,
    /// Any other answer Atlas gave that is not a success, or one that could not be read.
    Api = 6,
    /// The request did not get an answer: connection, TLS or timeout.
    Transport = 7,
    /// `--wait` saw the resource fail, or gave up at its deadline.
    Wait = 8,
}

/// The exit codes, as `--help` and the README list them.
pub const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  local failure: a file that cannot be read, output that cannot be written
  2  usage: unknown subcommand or flag, a value the spec does not allow
  3  invalid request: caught before sending, or Atlas answered 400
  4  authentication: no or unaccepted credentials, or Atlas answered 401 or 403
  5  not found: Atlas answered 404
  6  other API error: any other failed or unreadable answer
  7  transport: no answer (connection, TLS, timeout)
  8  wait: --wait saw the resource fail, or its deadline passed";

/// A failed run: what to print and which code to exit with.
#[derive(Debug)]
pub struct Failure {
    pub class: Class,
    pub message: String,
}

impl Failure {
    pub fn new(class: Class, message: impl Into<String>) -> Self {
        Failure {
            class,
            message: message.into(),
        }
    }

    /// A group and command the generated table does not know; clap lets none through.
    pub fn unknown_command(group: &str, command: &str) -> Self {
        Failure::new(Class::Usage, format!("unknown command `{group} {command}`"))
    }

    /// A waiter name the generated table does not know; clap lets none through.
    pub fn unknown_waiter(name: &str) -> Self {
        Failure::new(Class::Usage, format!("unknown waiter `{name}`"))
    }

    /// A required body given neither by `--file` nor by body field flags (clap's group of them
    /// normally says so first).
    pub fn no_body() -> Self {
        Failure::new(
            Class::Usage,
            "the request body is required: give --file, or the body field flags",
        )
    }

    /// A create answer without the id `--wait` needs to follow it.
    pub fn no_id(operation: &str) -> Self {
        Failure::new(
            Class::Api,
            format!("the answer of `{operation}` has no `id`, so --wait cannot follow it"),
        )
    }

    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.class as u8)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The curl command of a dry run, when that is what stopped the call.
fn printed(error: &atlas_snapshots::Error) -> Option<&str> {
    match error {
        atlas_snapshots::Error::Layer { source, .. } => source
            .downcast_ref::<crate::curl::Printed>()
            .map(|printed| printed.0.as_str()),
        _ => None,
    }
}

fn class_of(error: &atlas_snapshots::Error) -> Class {
    use atlas_snapshots::Error as E;
    match error {
        E::InvalidRequest { .. } | E::UnsupportedVersion { .. } => Class::InvalidRequest,
        E::Auth { .. } | E::CredentialsNotAccepted { .. } => Class::Auth,
        E::Transport { .. } => Class::Transport,
        _ => match error.status().map(|s| s.as_u16()) {
            Some(400) => Class::InvalidRequest,
            Some(401 | 403) => Class::Auth,
            Some(404) => Class::NotFound,
            _ => Class::Api,
        },
    }
}

impl From<atlas_snapshots::Error> for Failure {
    fn from(error: atlas_snapshots::Error) -> Self {
        if let Some(curl) = printed(&error) {
            return Failure::new(Class::DryRun, curl);
        }
        Failure::new(class_of(&error), ErrorChain(&error).to_string())
    }
}

impl<T: fmt::Debug + 'static> From<WaitError<T, atlas_snapshots::models::ApiError>> for Failure {
    fn from(error: WaitError<T, atlas_snapshots::models::ApiError>) -> Self {
        if let Some(curl) = match &error {
            WaitError::Poll { source, .. } => printed(source),
            _ => None,
        } {
            return Failure::new(Class::DryRun, curl);
        }
        let class = match &error {
            WaitError::Poll { source, .. } => class_of(source),
            WaitError::Failed { .. } | WaitError::Deadline { .. } => Class::Wait,
            _ => Class::Api,
        };
        Failure::new(class, ErrorChain(&error).to_string())
    }
}
