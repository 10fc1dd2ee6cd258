//! `--dry-run`: the request a command line would send, as a curl command, with every secret
//! masked. Nothing is sent and no token is fetched.

use crate::context::{negotiate, Auth, Context, Wire};

/// The mask shown in place of a secret.
const MASK: &str = "****";

pub fn command(context: &Context, wire: &Wire) -> String {
    let call = wire.call;
    let mut path = call.path.to_owned();
    for (name, value) in &wire.path {
        path = path.replace(&format!("{{{name}}}"), &encode(value));
    }
    let mut url = format!("{}{path}", context.base_url.trim_end_matches('/'));
    for (i, (name, value)) in wire.query.iter().enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        url.push_str(&format!("{}={}", encode(name), encode(value)));
    }
    let pin = context.api_version.as_deref();
    let mut lines = vec![
        format!("curl --request {}", call.method),
        format!("--url {}", quote(&url)),
    ];
    if let Some((_, media_type)) = negotiate(call.accept, pin) {
        lines.push(format!(
            "--header {}",
            quote(&format!("Accept: {media_type}"))
        ));
    }
    for (name, value) in &wire.headers {
        lines.push(format!("--header {}", quote(&format!("{name}: {value}"))));
    }
    match &context.auth {
        Auth::None => {}
        Auth::Digest { public_key } => {
            lines.push(format!(
                "--digest --user {}",
                quote(&format!("{public_key}:{MASK}"))
            ));
        }
        // A service account's token comes from POST /api/oauth/token first; it is not fetched.
        Auth::ServiceAccount | Auth::AccessToken => {
            lines.push(format!(
                "--header {}",
                quote(&format!("Authorization: Bearer {MASK}"))
            ));
        }
    }
    if let Some(body) = &wire.body {
        let content = negotiate(call.content, pin).map_or("application/json", |(_, m)| m);
        lines.push(format!(
            "--header {}",
            quote(&format!("Content-Type: {content}"))
        ));
        lines.push(format!("--data {}", quote(body)));
    }
    lines.join(" \\\n  ")
}

/// Single-quoted for a POSIX shell.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// Percent-encodes all but the unreserved characters of RFC 3986.
fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
