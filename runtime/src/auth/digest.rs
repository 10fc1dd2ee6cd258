//! HTTP Digest authentication (RFC 7616) with a programmatic API key. The server's challenge is
//! kept after the first 401, so later requests answer it straight away with a fresh client
//! nonce and the next nonce count, and pay no extra round trip. The hashing and the header
//! syntax are the `digest_auth` crate's; choosing among several challenges is done here.

use crate::credentials::Secret;
use digest_auth::{AlgorithmType, AuthContext, WwwAuthenticateHeader};
use reqwest::header::{HeaderMap, WWW_AUTHENTICATE};
use std::sync::{Mutex, MutexGuard};

/// One client's Digest state: its key and the last challenge the server sent.
pub(crate) struct DigestSession {
    public_key: String,
    private_key: Secret,
    challenge: Mutex<Option<WwwAuthenticateHeader>>,
}

/// What a 401 means for a Digest client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Send the request once more, answering the new challenge.
    Resend { stale: bool },
    /// The answer was refused for another reason than a stale nonce: the key is wrong.
    Refused,
    /// The 401 carries no Digest challenge.
    NoChallenge,
}

impl DigestSession {
    pub(crate) fn new(public_key: String, private_key: Secret) -> Self {
        DigestSession {
            public_key,
            private_key,
            challenge: Mutex::new(None),
        }
    }

    pub(crate) fn public_key(&self) -> &str {
        &self.public_key
    }

    /// The `Authorization` value for `method` on `uri` (path and query), or `None` before the
    /// server has sent a challenge. Each call counts one more use of the server nonce.
    pub(crate) fn answer(&self, method: &str, uri: &str) -> Result<Option<String>, String> {
        self.answer_with(method, uri, None)
    }

    fn answer_with(
        &self,
        method: &str,
        uri: &str,
        cnonce: Option<&str>,
    ) -> Result<Option<String>, String> {
        let mut cached = lock(&self.challenge);
        let Some(challenge) = cached.as_mut() else {
            return Ok(None);
        };
        let mut context = AuthContext::new_with_method(
            self.public_key.as_str(),
            self.private_key.expose(),
            uri,
            Option::<&[u8]>::None,
            digest_auth::HttpMethod(method.to_owned().into()),
        );
        if let Some(cnonce) = cnonce {
            context.set_custom_cnonce(cnonce);
        }
        // `respond` increments the nonce count kept with the challenge.
        let header = challenge.respond(&context).map_err(|e| e.to_string())?;
        Ok(Some(header.to_header_string()))
    }

    /// Reads the challenge of a 401 and keeps it for the next requests. `answered` says whether
    /// the refused request carried a Digest answer.
    pub(crate) fn on_unauthorized(
        &self,
        headers: &HeaderMap,
        answered: bool,
    ) -> Result<Verdict, String> {
        let Some(challenge) = strongest_challenge(headers)? else {
            return Ok(Verdict::NoChallenge);
        };
        let stale = challenge.stale;
        *lock(&self.challenge) = Some(challenge);
        Ok(if !answered || stale {
            Verdict::Resend { stale }
        } else {
            Verdict::Refused
        })
    }
}

/// A poisoned lock only means another request panicked mid-update; the challenge is still whole.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The Digest challenge with the strongest algorithm among the `WWW-Authenticate` headers
/// (a server may offer SHA-256 and MD5 side by side). Other schemes are ignored; a Digest
/// challenge that cannot be read is an error.
fn strongest_challenge(headers: &HeaderMap) -> Result<Option<WwwAuthenticateHeader>, String> {
    let mut best: Option<WwwAuthenticateHeader> = None;
    for value in headers.get_all(WWW_AUTHENTICATE) {
        let Ok(text) = value.to_str() else {
            continue;
        };
        let Some(params) = digest_params(text) else {
            continue;
        };
        let challenge = WwwAuthenticateHeader::parse(params)
            .map_err(|e| format!("the server's Digest challenge cannot be read: {e}"))?;
        if best
            .as_ref()
            .is_none_or(|b| strength(challenge.algorithm.algo) > strength(b.algorithm.algo))
        {
            best = Some(challenge);
        }
    }
    Ok(best)
}

/// The parameters of a `Digest` challenge; the scheme name is case-insensitive.
fn digest_params(value: &str) -> Option<&str> {
    let value = value.trim_start();
    let (scheme, rest) = value.split_at_checked(6)?;
    let starts_params = rest.is_empty() || rest.starts_with(char::is_whitespace);
    (scheme.eq_ignore_ascii_case("digest") && starts_params).then_some(rest)
}

fn strength(algorithm: AlgorithmType) -> u8 {
    match algorithm {
        AlgorithmType::MD5 => 0,
        AlgorithmType::SHA2_256 => 1,
        AlgorithmType::SHA2_512_256 => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    /// RFC 7616, section 3.9.1: the same request answered with SHA-256 and with MD5.
    const RFC_NONCE: &str = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    const RFC_OPAQUE: &str = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";
    const RFC_CNONCE: &str = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    fn rfc_challenge(algorithm: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let value = format!(
            "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", \
             algorithm={algorithm}, nonce=\"{RFC_NONCE}\", opaque=\"{RFC_OPAQUE}\""
        );
        headers.append(WWW_AUTHENTICATE, HeaderValue::from_str(&value).unwrap());
        headers
    }

    fn rfc_session() -> DigestSession {
        DigestSession::new("Mufasa".into(), Secret::new("Circle of Life"))
    }

    /// The value of `name="..."` or `name=...` in an `Authorization` header.
    fn param<'a>(header: &'a str, name: &str) -> &'a str {
        let start = header
            .find(&format!("{name}="))
            .unwrap_or_else(|| panic!("no {name} in {header}"))
            + name.len()
            + 1;
        let rest = &header[start..];
        match rest.strip_prefix('"') {
            Some(quoted) => &quoted[..quoted.find('"').unwrap()],
            None => rest.split(',').next().unwrap().trim(),
        }
    }

    #[test]
    fn answers_the_rfc_7616_examples() {
        for (algorithm, response) in [
            ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
            (
                "SHA-256",
                "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
            ),
        ] {
            let session = rfc_session();
            let verdict = session.on_unauthorized(&rfc_challenge(algorithm), false);
            assert_eq!(verdict, Ok(Verdict::Resend { stale: false }));
            let header = session
                .answer_with("GET", "/dir/index.html", Some(RFC_CNONCE))
                .unwrap()
                .unwrap();
            assert!(header.starts_with("Digest "), "{header}");
            assert_eq!(param(&header, "response"), response, "{algorithm}");
            assert_eq!(param(&header, "username"), "Mufasa");
            assert_eq!(param(&header, "uri"), "/dir/index.html");
            assert_eq!(param(&header, "nc"), "00000001");
            assert_eq!(param(&header, "qop"), "auth");
            assert_eq!(param(&header, "cnonce"), RFC_CNONCE);
            assert_eq!(param(&header, "opaque"), RFC_OPAQUE);
            assert_eq!(param(&header, "algorithm"), algorithm);
            assert!(!header.contains("Circle of Life"));
        }
    }

    #[test]
    fn counts_uses_of_a_nonce_and_picks_fresh_client_nonces() {
        let session = rfc_session();
        assert_eq!(
            session.answer("GET", "/a").unwrap(),
            None,
            "no challenge yet"
        );
        session
            .on_unauthorized(&rfc_challenge("MD5"), false)
            .unwrap();
        let first = session.answer("GET", "/a?x=1").unwrap().unwrap();
        let second = session.answer("GET", "/a?x=1").unwrap().unwrap();
        assert_eq!(param(&first, "nc"), "00000001");
        assert_eq!(param(&second, "nc"), "00000002");
        assert_ne!(param(&first, "cnonce"), param(&second, "cnonce"));
        assert_eq!(param(&first, "uri"), "/a?x=1");
        // A new challenge starts counting again.
        session
            .on_unauthorized(&rfc_challenge("MD5"), false)
            .unwrap();
        let third = session.answer("GET", "/a").unwrap().unwrap();
        assert_eq!(param(&third, "nc"), "00000001");
    }

    #[test]
    fn a_refused_answer_is_resent_only_when_the_nonce_was_stale() {
        let session = rfc_session();
        let mut stale = rfc_challenge("MD5");
        let value = format!("{}, stale=true", stale[WWW_AUTHENTICATE].to_str().unwrap());
        stale.insert(WWW_AUTHENTICATE, HeaderValue::from_str(&value).unwrap());
        assert_eq!(
            session.on_unauthorized(&stale, true),
            Ok(Verdict::Resend { stale: true })
        );
        assert_eq!(
            session.on_unauthorized(&rfc_challenge("MD5"), true),
            Ok(Verdict::Refused)
        );
        assert_eq!(
            session.on_unauthorized(&HeaderMap::new(), false),
            Ok(Verdict::NoChallenge)
        );
    }

    #[test]
    fn picks_the_strongest_digest_challenge_and_ignores_other_schemes() {
        let mut headers = HeaderMap::new();
        headers.append(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        headers.append(
            WWW_AUTHENTICATE,
            HeaderValue::from_static(
                "Digest realm=\"r\", nonce=\"md5\", algorithm=MD5, qop=\"auth\"",
            ),
        );
        headers.append(
            WWW_AUTHENTICATE,
            HeaderValue::from_static(
                "digest realm=\"r\", nonce=\"sha\", algorithm=SHA-256, qop=\"auth\"",
            ),
        );
        let best = strongest_challenge(&headers).unwrap().unwrap();
        assert_eq!(best.nonce, "sha");
        assert_eq!(best.algorithm.algo, AlgorithmType::SHA2_256);

        let mut bearer_only = HeaderMap::new();
        bearer_only.append(
            WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"x\""),
        );
        bearer_only.append(WWW_AUTHENTICATE, HeaderValue::from_static("Digestive x=1"));
        assert_eq!(strongest_challenge(&bearer_only), Ok(None));

        let mut broken = HeaderMap::new();
        broken.append(
            WWW_AUTHENTICATE,
            HeaderValue::from_static("Digest qop=\"auth\""),
        );
        let err = strongest_challenge(&broken).unwrap_err();
        assert!(err.contains("realm"), "{err}");
    }
}
