//! Which redirects the client follows. Within the origin (scheme, host and port) of the request,
//! always. To another origin, only when the client holds no credentials: its requests carry
//! them (an `Authorization` header, an API key in a header, the query or a cookie, a token
//! request's client secret), and reqwest strips only the standard headers on the way, so an API
//! key in a header of the API's own name, or one in the query, would reach the other server.
//! A refused redirect fails the request with a [`Refused`] that names the target.

use reqwest::redirect::Policy;
use reqwest::StatusCode;
use std::fmt;

/// reqwest's own default: a longer chain fails as a loop would.
const MAX_REDIRECTS: usize = 10;

/// The redirect policy of a client built with (`credentials`) or without credentials.
pub(crate) fn policy(credentials: bool) -> Policy {
    let limited = Policy::limited(MAX_REDIRECTS);
    if !credentials {
        return limited;
    }
    Policy::custom(move |attempt| {
        // The first URL of the chain is the one the credentials were meant for.
        let leaves = attempt
            .previous()
            .first()
            .is_some_and(|from| !same_origin(from, attempt.url()));
        if leaves {
            let refused = Refused {
                status: attempt.status(),
                location: shown(attempt.url()),
            };
            attempt.error(refused)
        } else {
            limited.redirect(attempt)
        }
    })
}

/// Whether two URLs share scheme, host and port (a default port counts as written).
fn same_origin(a: &url::Url, b: &url::Url) -> bool {
    a.origin() == b.origin()
}

/// The URL as an error may show it: without query, fragment and user information, which may
/// hold secrets.
fn shown(url: &url::Url) -> url::Url {
    let mut url = url.clone();
    url.set_query(None);
    url.set_fragment(None);
    // Only URLs that cannot be a base refuse these, and a redirect target is never one.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url
}

/// A redirect to another origin that was not followed because the request carried credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refused {
    /// The redirect's status (301, 302, 303, 307 or 308).
    pub status: StatusCode,
    /// Where it pointed, without its query.
    pub location: url::Url,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "redirect to {}, another origin, not followed because the request carries credentials",
            self.location
        )
    }
}

impl std::error::Error for Refused {}

/// The refused redirect behind a failed request, if that is why it failed.
pub(crate) fn refusal(error: &reqwest::Error) -> Option<&Refused> {
    if !error.is_redirect() {
        return None;
    }
    let mut cause = std::error::Error::source(error);
    while let Some(error) = cause {
        if let Some(refused) = error.downcast_ref::<Refused>() {
            return Some(refused);
        }
        cause = error.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> url::Url {
        url::Url::parse(text).unwrap()
    }

    #[test]
    fn an_origin_is_scheme_host_and_port() {
        let from = url("https://cloud.mongodb.com/api/atlas/v2/groups");
        let same = |to: &str| same_origin(&from, &url(to));
        assert!(same("https://cloud.mongodb.com:443/elsewhere?x=1"));
        assert!(!same("http://cloud.mongodb.com/api/atlas/v2/groups"));
        assert!(!same("https://cloud.mongodb.com:8443/api"));
        assert!(!same("https://evil.example/api"));
        assert!(!same("https://sub.cloud.mongodb.com/api"));
    }

    #[test]
    fn the_target_is_shown_without_query_or_user_information() {
        let shown = shown(&url(
            "https://user:pw@other.example:8443/a/b?api_key=s3cret#frag",
        ));
        assert_eq!(shown.as_str(), "https://other.example:8443/a/b");
    }
}
