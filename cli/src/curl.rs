//! `--dry-run`: the request a command line would send, as a curl command, with every secret
//! masked. The client builds it the whole way a real request goes (parameter checks, the API
//! version pin, negotiated media types, encoding); a call layer stops it where it would be sent
//! and hands it back as the [`Printed`] error, so nothing is sent and no token is fetched, and
//! a request the client would refuse before sending fails the dry run the same way.

use crate::context::Auth;
use atlas_snapshots::layer::tower::{Layer, Service};
use atlas_snapshots::layer::{BoxError, Call, CallResponse, CallService};
use std::fmt;
use std::task::{Context, Poll};

/// The mask shown in place of a secret.
const MASK: &str = "****";

/// The call layer of a dry run: every call ends with its curl command.
#[derive(Clone)]
pub struct DryRunLayer {
    auth: Auth,
}

impl DryRunLayer {
    pub fn new(auth: Auth) -> Self {
        DryRunLayer { auth }
    }
}

impl Layer<CallService> for DryRunLayer {
    type Service = DryRun;

    fn layer(&self, _sender: CallService) -> DryRun {
        DryRun {
            auth: self.auth.clone(),
        }
    }
}

/// Stops each call before it is sent, with the curl command that would send it.
#[derive(Clone)]
pub struct DryRun {
    auth: Auth,
}

impl Service<Call> for DryRun {
    type Response = CallResponse;
    type Error = BoxError;
    type Future = std::future::Ready<Result<CallResponse, BoxError>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, call: Call) -> Self::Future {
        std::future::ready(Err(Box::new(Printed(command(&self.auth, &call)))))
    }
}

/// The curl command of a dry run, carried out of the client as the call's error.
#[derive(Debug)]
pub struct Printed(pub String);

impl fmt::Display for Printed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a dry run: the request was printed, not sent")
    }
}

impl std::error::Error for Printed {}

/// The curl command of `call`, credentials masked.
fn command(auth: &Auth, call: &Call) -> String {
    let mut lines = vec![
        format!("curl --request {}", call.method()),
        format!("--url {}", quote(call.url().as_str())),
    ];
    let headers = call.headers();
    let header = |name: &str, value: &[u8]| {
        format!(
            "--header {}",
            quote(&format!("{name}: {}", String::from_utf8_lossy(value)))
        )
    };
    if let Some(accept) = headers.get("accept") {
        lines.push(header("Accept", accept.as_bytes()));
    }
    for (name, value) in headers {
        if name != "accept" && name != "content-type" {
            lines.push(header(name.as_str(), value.as_bytes()));
        }
    }
    // What the client sends: nothing to an operation that takes no credentials (a download).
    let auth = match call.operation().takes_no_credentials() {
        true => &Auth::None,
        false => auth,
    };
    match auth {
        Auth::None => {}
        Auth::Digest { public_key } => {
            lines.push(format!(
                "--digest --user {}",
                quote(&format!("{public_key}:{MASK}"))
            ));
        }
        // A service account's token comes from POST /api/oauth/token first; it is not fetched.
        Auth::ServiceAccount | Auth::AccessToken => {
            lines.push(header("Authorization", format!("Bearer {MASK}").as_bytes()));
        }
    }
    if let Some(content_type) = headers.get("content-type") {
        lines.push(header("Content-Type", content_type.as_bytes()));
        match call.body_bytes() {
            Some(body) => lines.push(format!("--data {}", quote(&String::from_utf8_lossy(body)))),
            None => lines.push("--data-binary '<a streamed or multipart body>'".to_owned()),
        }
    }
    lines.join(" \\\n  ")
}

/// Single-quoted for a POSIX shell.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}
