//! Retrying requests: which outcomes of an attempt are worth another one for which method, and
//! how long to wait before it (the server's `Retry-After`, or a jittered exponential backoff),
//! bounded by a [`RetryPolicy`] set on the client builder.

use crate::descriptor::HttpMethod;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;
use std::time::{Duration, SystemTime};

/// How a client retries requests that met a 429, a 5xx, a timeout or a failed connection.
///
/// GET, PUT and DELETE ask for the same end state however often they are sent, so they are
/// retried on any of these. POST and PATCH may not be (a second snapshot, a second restore
/// job), so they are retried only when the request provably was not processed: the connection
/// was never made, or Atlas answered 429 with a `Retry-After`. A timeout after sending, a
/// broken connection or a 5xx may come after Atlas acted, and are returned as they are.
/// Other 4xx statuses are never retried. The default makes 3 attempts in all, waiting about
/// 250 ms and then 500 ms in between; [`RetryPolicy::disabled`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

/// How one attempt ended, as far as the decision to retry needs to know.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Outcome<'a> {
    Answered(StatusCode, &'a HeaderMap),
    Failed(&'a reqwest::Error),
}

impl RetryPolicy {
    /// The default policy; see [`RetryPolicy`].
    pub fn new() -> Self {
        RetryPolicy::default()
    }

    /// One attempt only: every failure is returned as it happens.
    pub fn disabled() -> Self {
        RetryPolicy::default().max_attempts(1)
    }

    /// The number of attempts in all, the first one included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the first retry; it doubles with each further one.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The most a backoff grows to.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest `Retry-After` the client waits for; a server asking for more gets its
    /// answer returned instead of a retry.
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// The number of attempts in all.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait before retry number `retry` (1 before the second attempt) for a `jitter` in
    /// `[0, 1)`: the exponential step is halved and the other half is random ("equal jitter"),
    /// so that clients failing together spread out but none retries at once.
    pub(crate) fn backoff(&self, retry: u32, jitter: f64) -> Duration {
        let doublings = retry.saturating_sub(1).min(31);
        let step = self
            .initial_backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff);
        let half = step / 2;
        half + half.mul_f64(jitter.clamp(0.0, 1.0))
    }

    /// What to do after attempt number `attempt` (counted from 1): wait and try again, let the
    /// outcome stand (it is not worth retrying for this method, see [`RetryPolicy`], or the
    /// attempts are used up), or give up because the server asked for a longer wait than the
    /// policy allows. A `Retry-After` of zero or in the past gets the policy's backoff, so a
    /// server cannot make the client retry at once.
    pub(crate) fn decide(
        &self,
        method: HttpMethod,
        attempt: u32,
        outcome: Outcome<'_>,
        now: SystemTime,
    ) -> Decision {
        if attempt >= self.max_attempts {
            return Decision::Stop;
        }
        let backoff = || self.backoff(attempt, fastrand::f64());
        let after = |headers: &HeaderMap| match retry_after(headers, now) {
            Some(wait) if wait > self.max_retry_after => Some(Decision::WaitTooLong(wait)),
            Some(wait) if !wait.is_zero() => Some(Decision::Retry(wait)),
            Some(_) => Some(Decision::Retry(backoff())),
            None => None,
        };
        if !idempotent(method) {
            return match outcome {
                // A 429 that says when to come back was refused before any work was done.
                Outcome::Answered(StatusCode::TOO_MANY_REQUESTS, headers) => {
                    after(headers).unwrap_or(Decision::Stop)
                }
                Outcome::Failed(error) if never_sent(error) => Decision::Retry(backoff()),
                _ => Decision::Stop,
            };
        }
        match outcome {
            Outcome::Answered(status, headers) if retryable_status(status) => {
                after(headers).unwrap_or_else(|| Decision::Retry(backoff()))
            }
            Outcome::Answered(..) => Decision::Stop,
            Outcome::Failed(error) if retryable_failure(error) => Decision::Retry(backoff()),
            Outcome::Failed(_) => Decision::Stop,
        }
    }

    /// The longest `Retry-After` the policy waits for.
    pub(crate) fn retry_after_cap(&self) -> Duration {
        self.max_retry_after
    }

    /// The wait [`decide`](Self::decide) asks for, `None` when it does not retry.
    #[cfg(test)]
    fn delay(
        &self,
        method: HttpMethod,
        attempt: u32,
        outcome: Outcome<'_>,
        now: SystemTime,
    ) -> Option<Duration> {
        match self.decide(method, attempt, outcome, now) {
            Decision::Retry(wait) => Some(wait),
            Decision::Stop | Decision::WaitTooLong(_) => None,
        }
    }
}

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    Retry(Duration),
    /// The outcome is the result.
    Stop,
    /// The server asked to wait this long, more than the policy allows.
    WaitTooLong(Duration),
}

/// Methods whose repetition leaves the resource as one request would (RFC 9110, 9.2.2): the
/// safe ones (`GET`, `HEAD`, `OPTIONS`, `TRACE`) change nothing at all.
fn idempotent(method: HttpMethod) -> bool {
    match method {
        HttpMethod::Get
        | HttpMethod::Head
        | HttpMethod::Options
        | HttpMethod::Trace
        | HttpMethod::Put
        | HttpMethod::Delete => true,
        HttpMethod::Post | HttpMethod::Patch => false,
    }
}

/// A failure to make the connection at all (refused, unreachable, no handshake): nothing of
/// the request reached the server. A connect timeout is one too; a timeout once connected is
/// not, since the request may have been read.
fn never_sent(error: &reqwest::Error) -> bool {
    error.is_connect()
}

/// Too many requests, or a server-side failure that may be gone by the next attempt.
pub(crate) fn retryable_status(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

/// A connection that failed or broke off, or a timeout; not a request that could not be
/// built or a redirect loop, which would fail the same way again.
fn retryable_failure(error: &reqwest::Error) -> bool {
    !error.is_builder()
        && !error.is_redirect()
        && (error.is_connect()
            || error.is_timeout()
            || error.is_request()
            || error.is_body()
            || error.is_decode())
}

/// The `Retry-After` header as a wait from `now`; a date in the past means no wait.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    parse_retry_after(headers.get(RETRY_AFTER)?.to_str().ok()?, now)
}

/// `Retry-After` is either a number of seconds or an HTTP date (RFC 9110, section 10.2.3).
fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn policy() -> RetryPolicy {
        RetryPolicy::new()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(1000))
            .max_attempts(10)
    }

    #[test]
    fn backoff_doubles_within_its_jitter_band_up_to_the_cap() {
        let policy = policy();
        let ms = |retry, jitter| policy.backoff(retry, jitter).as_millis();
        assert_eq!((ms(1, 0.0), ms(1, 0.999)), (50, 99));
        assert_eq!((ms(2, 0.0), ms(2, 0.5)), (100, 150));
        assert_eq!((ms(3, 0.0), ms(3, 1.0)), (200, 400));
        assert_eq!((ms(4, 0.0), ms(4, 1.0)), (400, 800));
        assert_eq!(
            (ms(5, 0.0), ms(5, 1.0)),
            (500, 1000),
            "capped at max_backoff"
        );
        assert_eq!(ms(u32::MAX, 1.0), 1000, "no overflow however many retries");
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        let parse = |value| parse_retry_after(value, now);
        assert_eq!(parse("120"), Some(Duration::from_secs(120)));
        assert_eq!(parse(" 0 "), Some(Duration::ZERO));
        assert_eq!(
            parse("Wed, 21 Oct 2015 07:28:30 GMT"),
            Some(Duration::from_secs(30))
        );
        // The obsolete RFC 850 and asctime forms are still valid HTTP dates.
        assert_eq!(
            parse("Wednesday, 21-Oct-15 07:29:00 GMT"),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            parse("Wed Oct 21 07:28:05 2015"),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            parse("Wed, 21 Oct 2015 07:00:00 GMT"),
            Some(Duration::ZERO),
            "a date in the past means at once"
        );
        assert_eq!(parse("-1"), None);
        assert_eq!(parse("soon"), None);
        assert_eq!(parse("1.5"), None);
    }

    #[test]
    fn idempotent_methods_with_a_retryable_status_are_retried_while_attempts_remain() {
        let policy = policy().max_attempts(3);
        let now = SystemTime::now();
        let headers = HeaderMap::new();
        let delay = |method, attempt, status: u16| {
            let status = StatusCode::from_u16(status).unwrap();
            policy.delay(method, attempt, Outcome::Answered(status, &headers), now)
        };
        for status in [429, 500, 502, 503, 504] {
            assert!(delay(HttpMethod::Get, 1, status).is_some(), "{status}");
            assert!(delay(HttpMethod::Get, 2, status).is_some(), "{status}");
            assert_eq!(delay(HttpMethod::Get, 3, status), None, "attempts used up");
            assert!(delay(HttpMethod::Put, 1, status).is_some(), "PUT {status}");
            assert!(
                delay(HttpMethod::Delete, 1, status).is_some(),
                "DELETE {status}"
            );
            for safe in [HttpMethod::Head, HttpMethod::Options, HttpMethod::Trace] {
                assert!(delay(safe, 1, status).is_some(), "{safe} {status}");
            }
            assert_eq!(delay(HttpMethod::Post, 1, status), None, "POST {status}");
            assert_eq!(delay(HttpMethod::Patch, 1, status), None, "PATCH {status}");
        }
        for status in [200, 400, 401, 403, 404, 406, 409, 410] {
            assert_eq!(delay(HttpMethod::Get, 1, status), None, "{status}");
        }
        let once = RetryPolicy::disabled();
        let status = StatusCode::SERVICE_UNAVAILABLE;
        assert_eq!(
            once.delay(HttpMethod::Get, 1, Outcome::Answered(status, &headers), now),
            None
        );
    }

    #[test]
    fn posts_and_patches_are_retried_only_on_a_429_that_says_when() {
        let policy = policy().max_retry_after(Duration::from_secs(5));
        let now = SystemTime::now();
        let mut headers = HeaderMap::new();
        let answered = |status: u16, headers: &HeaderMap, method| {
            let status = StatusCode::from_u16(status).unwrap();
            policy.delay(method, 1, Outcome::Answered(status, headers), now)
        };
        for method in [HttpMethod::Post, HttpMethod::Patch] {
            assert_eq!(answered(429, &headers, method), None, "no Retry-After");
        }
        headers.insert(RETRY_AFTER, HeaderValue::from_static("2"));
        for method in [HttpMethod::Post, HttpMethod::Patch] {
            assert_eq!(
                answered(429, &headers, method),
                Some(Duration::from_secs(2))
            );
            // A 503 may come after the work was done, whatever it asks for.
            assert_eq!(answered(503, &headers, method), None);
            assert_eq!(answered(500, &headers, method), None);
        }
        headers.insert(RETRY_AFTER, HeaderValue::from_static("9"));
        assert_eq!(answered(429, &headers, HttpMethod::Post), None, "too long");
        let last = policy.max_attempts(1);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("1"));
        let status = StatusCode::TOO_MANY_REQUESTS;
        assert_eq!(
            last.delay(
                HttpMethod::Post,
                1,
                Outcome::Answered(status, &headers),
                now
            ),
            None,
            "attempts used up"
        );
    }

    /// A real connection failure (nothing listens on the port) and a real timeout once
    /// connected (a listener that never answers), as reqwest reports them.
    #[tokio::test]
    async fn posts_are_retried_after_a_refused_connection_but_not_after_a_timeout() {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let refused_at = format!("http://{}/", closed.local_addr().unwrap());
        drop(closed);
        let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let silent_at = format!("http://{}/", silent.local_addr().unwrap());
        let keep = tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((stream, _)) = silent.accept().await {
                held.push(stream);
            }
        });
        let http = reqwest::Client::builder()
            .timeout(Duration::from_millis(200))
            .build()
            .unwrap();
        let refused = http.post(&refused_at).body("{}").send().await.unwrap_err();
        let timed_out = http.post(&silent_at).body("{}").send().await.unwrap_err();
        keep.abort();
        assert!(refused.is_connect(), "{refused:?}");
        assert!(
            timed_out.is_timeout() && !timed_out.is_connect(),
            "{timed_out:?}"
        );
        let policy = policy();
        let now = SystemTime::now();
        for method in [HttpMethod::Post, HttpMethod::Patch] {
            assert!(policy
                .delay(method, 1, Outcome::Failed(&refused), now)
                .is_some());
            assert_eq!(
                policy.delay(method, 1, Outcome::Failed(&timed_out), now),
                None
            );
        }
        for method in [
            HttpMethod::Get,
            HttpMethod::Head,
            HttpMethod::Options,
            HttpMethod::Trace,
            HttpMethod::Put,
            HttpMethod::Delete,
        ] {
            assert!(policy
                .delay(method, 1, Outcome::Failed(&refused), now)
                .is_some());
            assert!(policy
                .delay(method, 1, Outcome::Failed(&timed_out), now)
                .is_some());
        }
    }

    #[test]
    fn retry_after_replaces_the_backoff_unless_it_is_too_long() {
        let policy = policy().max_retry_after(Duration::from_secs(5));
        let now = SystemTime::now();
        let mut headers = HeaderMap::new();
        let status = StatusCode::TOO_MANY_REQUESTS;
        headers.insert(RETRY_AFTER, HeaderValue::from_static("3"));
        assert_eq!(
            policy.delay(HttpMethod::Get, 1, Outcome::Answered(status, &headers), now),
            Some(Duration::from_secs(3))
        );
        headers.insert(RETRY_AFTER, HeaderValue::from_static("6"));
        assert_eq!(
            policy.delay(HttpMethod::Get, 1, Outcome::Answered(status, &headers), now),
            None
        );
        headers.insert(RETRY_AFTER, HeaderValue::from_static("later"));
        let waited = policy
            .delay(HttpMethod::Get, 1, Outcome::Answered(status, &headers), now)
            .unwrap();
        assert!(
            (Duration::from_millis(50)..Duration::from_millis(100)).contains(&waited),
            "an unreadable Retry-After falls back to the backoff: {waited:?}"
        );
    }

    #[test]
    fn a_retry_after_too_long_is_said_and_one_in_the_past_gets_the_backoff() {
        let policy = policy().max_retry_after(Duration::from_secs(5));
        let now = SystemTime::now();
        let mut headers = HeaderMap::new();
        let status = StatusCode::TOO_MANY_REQUESTS;
        headers.insert(RETRY_AFTER, HeaderValue::from_static("6"));
        for method in [HttpMethod::Get, HttpMethod::Post] {
            assert_eq!(
                policy.decide(method, 1, Outcome::Answered(status, &headers), now),
                Decision::WaitTooLong(Duration::from_secs(6)),
                "{method}"
            );
        }
        let backoff_band = Duration::from_millis(50)..Duration::from_millis(100);
        for value in ["0", "Wed, 21 Oct 2015 07:28:00 GMT"] {
            headers.insert(RETRY_AFTER, HeaderValue::from_static(value));
            for method in [HttpMethod::Get, HttpMethod::Post] {
                let waited = policy
                    .delay(method, 1, Outcome::Answered(status, &headers), now)
                    .unwrap();
                assert!(
                    backoff_band.contains(&waited),
                    "{method}: Retry-After {value:?} falls back to the backoff: {waited:?}"
                );
            }
        }
    }
}
