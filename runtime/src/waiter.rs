//! Waiting for long-running work (a snapshot being taken, a restore job running): a generated
//! `wait_until_…` method polls a get operation under a [`WaitPolicy`] until the answer matches
//! one of the success or failure states the spec declares in `x-waiters`, or the deadline
//! passes. Each poll is an ordinary request, with the client's retries; each emits a `tracing`
//! event.

use crate::error::{ApiErrorBody, Error};
use crate::response::ResponseValue;
use crate::time::Clock;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// How often and how long a waiter polls.
///
/// The first poll goes out at once; the wait before each further one starts at
/// [`interval`](Self::interval) and grows by [`backoff`](Self::backoff) up to
/// [`max_interval`](Self::max_interval). Once [`deadline`](Self::deadline) has passed since
/// the first poll, the wait ends with [`WaitError::Deadline`]. The default polls after 5 s,
/// then 1.5 times longer each time up to 60 s, for at most 30 minutes.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitPolicy {
    interval: Duration,
    max_interval: Duration,
    backoff: f64,
    deadline: Duration,
}

impl Default for WaitPolicy {
    fn default() -> Self {
        WaitPolicy {
            interval: Duration::from_secs(5),
            max_interval: Duration::from_secs(60),
            backoff: 1.5,
            deadline: Duration::from_secs(30 * 60),
        }
    }
}

impl WaitPolicy {
    /// The default policy; see [`WaitPolicy`].
    pub fn new() -> Self {
        WaitPolicy::default()
    }

    /// The wait after the first poll.
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// The longest wait between two polls.
    pub fn max_interval(mut self, interval: Duration) -> Self {
        self.max_interval = interval;
        self
    }

    /// The factor each wait grows by (at least 1: 1 polls at a fixed interval).
    pub fn backoff(mut self, factor: f64) -> Self {
        self.backoff = if factor.is_finite() {
            factor.max(1.0)
        } else {
            1.0
        };
        self
    }

    /// How long after the first poll the wait gives up.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// The wait after poll number `poll` (counted from 1): never longer than `max_interval`,
    /// unless `interval` itself is.
    fn wait_after(&self, poll: u32) -> Duration {
        let factor = self.backoff.powi(poll.saturating_sub(1).min(64) as i32);
        let cap = self.max_interval.max(self.interval).as_secs_f64();
        // `min` keeps an overflowing product (infinity) at the cap.
        Duration::from_secs_f64((self.interval.as_secs_f64() * factor).min(cap))
    }
}

/// What a waiter looks for, as the spec's `x-waiters` declares it; emitted by the generator.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaiterInfo {
    /// The waiter's name in the spec, such as `clusterSnapshotCompleted`.
    pub name: &'static str,
    /// The get operation it polls.
    pub operation: &'static str,
    pub success: &'static [Matcher],
    pub failure: &'static [Matcher],
}

/// One state: a top-level property of the answer, and what it must be.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Matcher {
    /// The property's name on the wire.
    pub property: &'static str,
    pub test: MatchTest,
}

#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchTest {
    /// The property equals this JSON value, written as JSON text (`"completed"`, `true`).
    Equals(&'static str),
    /// The property is there (and not `null`).
    Present,
}

impl Matcher {
    fn matches(&self, body: &serde_json::Value) -> bool {
        let Some(value) = body.get(self.property).filter(|v| !v.is_null()) else {
            return false;
        };
        match self.test {
            MatchTest::Present => true,
            MatchTest::Equals(json) => {
                serde_json::from_str::<serde_json::Value>(json).is_ok_and(|want| *value == want)
            }
        }
    }
}

impl fmt::Display for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.test {
            MatchTest::Equals(json) => write!(f, "{} = {json}", self.property),
            MatchTest::Present => write!(f, "{} is set", self.property),
        }
    }
}

/// Why a wait ended without reaching a success state.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WaitError<T: fmt::Debug, E: ApiErrorBody = serde_json::Value> {
    /// The resource reached a failure state; `last` is the answer that showed it.
    #[error("{waiter}: {operation} reached a failure state ({state}) after {polls} poll(s)")]
    Failed {
        /// The name of the waiter, as in the spec.
        waiter: &'static str,
        /// The `operationId` of the operation.
        operation: &'static str,
        /// The failure state that matched, such as `status = "failed"`.
        state: String,
        /// How many times the operation was polled.
        polls: u32,
        /// The last answer.
        last: Box<ResponseValue<T>>,
    },
    /// The deadline passed with the resource in neither a success nor a failure state.
    #[error("{waiter}: {operation} was still not done after {polls} poll(s) in {waited:?}")]
    Deadline {
        /// The name of the waiter, as in the spec.
        waiter: &'static str,
        /// The `operationId` of the operation.
        operation: &'static str,
        /// How many times the operation was polled.
        polls: u32,
        /// How long the waiter waited.
        waited: Duration,
        /// The last answer.
        last: Box<ResponseValue<T>>,
    },
    /// A poll failed (after the client's own retries).
    #[error("{waiter}: a poll of {operation} failed")]
    Poll {
        /// The name of the waiter, as in the spec.
        waiter: &'static str,
        /// The `operationId` of the operation.
        operation: &'static str,
        /// The poll's error.
        #[source]
        source: Error<E>,
    },
    /// An answer could not be read as JSON to look for the states.
    #[error("{waiter}: the answer of {operation} could not be inspected: {reason}")]
    Inspect {
        /// The name of the waiter, as in the spec.
        waiter: &'static str,
        /// The `operationId` of the operation.
        operation: &'static str,
        /// Why the answer could not be read.
        reason: String,
    },
}

type Poll<'a, T, E> = Box<
    dyn FnMut() -> Pin<Box<dyn Future<Output = Result<ResponseValue<T>, Error<E>>> + Send + 'a>>
        + Send
        + 'a,
>;

/// What one poll's outcome means for a wait.
enum Step<T: fmt::Debug, E: ApiErrorBody, R> {
    /// The wait is over: this is its result.
    Done(R),
    /// Not yet; the answer is kept as the last one seen.
    Pending(Box<ResponseValue<T>>),
    /// The wait ends with this error.
    Stop(WaitError<T, E>),
}

/// The polling loop both kinds of waiter share: polls at once, then after the policy's
/// growing pauses on the client's clock, until `judge` ends the wait or the deadline passes.
struct Polling<'a, T, E: ApiErrorBody> {
    info: &'static WaiterInfo,
    policy: WaitPolicy,
    /// The client's: the deadline is measured and the pauses are slept on it.
    clock: Clock,
    poll: Poll<'a, T, E>,
}

impl<'a, T, E: ApiErrorBody> Polling<'a, T, E> {
    fn new(info: &'static WaiterInfo, clock: &Clock, poll: Poll<'a, T, E>) -> Self {
        Polling {
            info,
            policy: WaitPolicy::default(),
            clock: clock.clone(),
            poll,
        }
    }

    /// The `Debug` of the waiter that polls: its name, operation and policy.
    fn debug(&self, kind: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(kind)
            .field("waiter", &self.info.name)
            .field("operation", &self.info.operation)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl<T, E> Polling<'_, T, E>
where
    T: fmt::Debug,
    E: ApiErrorBody,
{
    /// `judge` reads one poll (its outcome and number) and says what it means, with the state
    /// it saw for the trace.
    async fn run<R>(
        mut self,
        mut judge: impl FnMut(Result<ResponseValue<T>, Error<E>>, u32) -> (Step<T, E, R>, String),
    ) -> Result<R, WaitError<T, E>> {
        let info = self.info;
        let started = self.clock.now();
        let mut polls = 0;
        loop {
            polls += 1;
            let (step, state) = judge((self.poll)().await, polls);
            let waited = self.clock.since(started);
            tracing::info!(
                waiter = info.name,
                operation = info.operation,
                poll = polls,
                waited_ms = waited.as_millis() as u64,
                state = state.as_str(),
                "polled"
            );
            let last = match step {
                Step::Done(result) => return Ok(result),
                Step::Stop(error) => return Err(error),
                Step::Pending(last) => last,
            };
            let Some(left) = self
                .policy
                .deadline
                .checked_sub(waited)
                .filter(|l| !l.is_zero())
            else {
                return Err(WaitError::Deadline {
                    waiter: info.name,
                    operation: info.operation,
                    polls,
                    waited,
                    last,
                });
            };
            // The last poll goes out at the deadline, not after it.
            self.clock
                .sleep(self.policy.wait_after(polls).min(left))
                .await;
        }
    }
}

fn poll_failed<T: fmt::Debug, E: ApiErrorBody>(
    info: &'static WaiterInfo,
    source: Error<E>,
) -> WaitError<T, E> {
    WaitError::Poll {
        waiter: info.name,
        operation: info.operation,
        source,
    }
}

/// A wait for one resource, returned by a generated `wait_until_…` method; nothing is sent
/// until [`wait`](Self::wait) is awaited.
#[must_use = "a waiter does nothing until `wait` is awaited"]
pub struct Waiter<'a, T, E: ApiErrorBody> {
    polling: Polling<'a, T, E>,
}

impl<T, E: ApiErrorBody> fmt::Debug for Waiter<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.polling.debug("Waiter", f)
    }
}

impl<'a, T, E> Waiter<'a, T, E>
where
    T: serde::Serialize + fmt::Debug,
    E: ApiErrorBody,
{
    #[doc(hidden)]
    pub fn new(info: &'static WaiterInfo, clock: &Clock, poll: Poll<'a, T, E>) -> Self {
        Waiter {
            polling: Polling::new(info, clock, poll),
        }
    }

    /// Polls with this policy instead of the default one.
    pub fn policy(mut self, policy: WaitPolicy) -> Self {
        self.polling.policy = policy;
        self
    }

    /// Polls until a success state (its answer is returned), a failure state or the
    /// deadline (an error).
    pub async fn wait(self) -> Result<ResponseValue<T>, WaitError<T, E>> {
        let info = self.polling.info;
        self.polling
            .run(|outcome, polls| {
                let answer = match outcome {
                    Ok(answer) => answer,
                    Err(source) => return (Step::Stop(poll_failed(info, source)), "error".into()),
                };
                let body = match serde_json::to_value(answer.body()) {
                    Ok(body) => body,
                    Err(e) => {
                        let error = WaitError::Inspect {
                            waiter: info.name,
                            operation: info.operation,
                            reason: e.to_string(),
                        };
                        return (Step::Stop(error), "unreadable".into());
                    }
                };
                if let Some(m) = info.success.iter().find(|m| m.matches(&body)) {
                    return (Step::Done(answer), format!("success: {m}"));
                }
                if let Some(m) = info.failure.iter().find(|m| m.matches(&body)) {
                    let error = WaitError::Failed {
                        waiter: info.name,
                        operation: info.operation,
                        state: m.to_string(),
                        polls,
                        last: Box::new(answer),
                    };
                    return (Step::Stop(error), format!("failure: {m}"));
                }
                (Step::Pending(Box::new(answer)), "pending".into())
            })
            .await
    }
}

/// How a deletion waiter saw the resource go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Deleted {
    /// How many times the get operation was polled, the last one answering 404.
    pub polls: u32,
    /// How long the wait took, on the client's clock.
    pub waited: Duration,
}

/// A wait for a resource to be gone, returned by a generated `wait_until_…` method of a
/// waiter the spec declares with `gone: true`: it polls the resource's get operation until
/// that answers 404 Not Found. An answer that still shows the resource means "not yet",
/// unless it matches one of the waiter's failure states. Nothing is sent until
/// [`wait`](Self::wait) is awaited.
#[must_use = "a waiter does nothing until `wait` is awaited"]
pub struct DeletionWaiter<'a, T, E: ApiErrorBody> {
    polling: Polling<'a, T, E>,
}

impl<T, E: ApiErrorBody> fmt::Debug for DeletionWaiter<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.polling.debug("DeletionWaiter", f)
    }
}

impl<'a, T, E> DeletionWaiter<'a, T, E>
where
    T: serde::Serialize + fmt::Debug,
    E: ApiErrorBody,
{
    #[doc(hidden)]
    pub fn new(info: &'static WaiterInfo, clock: &Clock, poll: Poll<'a, T, E>) -> Self {
        DeletionWaiter {
            polling: Polling::new(info, clock, poll),
        }
    }

    /// Polls with this policy instead of the default one.
    pub fn policy(mut self, policy: WaitPolicy) -> Self {
        self.polling.policy = policy;
        self
    }

    /// Polls until the get operation answers 404 (the resource is gone), a failure state or
    /// the deadline (an error). Any other error of a poll ends the wait with
    /// [`WaitError::Poll`].
    pub async fn wait(self) -> Result<Deleted, WaitError<T, E>> {
        let info = self.polling.info;
        let clock = self.polling.clock.clone();
        let started = clock.now();
        self.polling
            .run(|outcome, polls| {
                let answer = match outcome {
                    Err(source) if source.status() == Some(reqwest::StatusCode::NOT_FOUND) => {
                        let gone = Deleted {
                            polls,
                            waited: clock.since(started),
                        };
                        return (Step::Done(gone), "gone: 404".into());
                    }
                    Err(source) => return (Step::Stop(poll_failed(info, source)), "error".into()),
                    Ok(answer) => answer,
                };
                if !info.failure.is_empty() {
                    if let Ok(body) = serde_json::to_value(answer.body()) {
                        if let Some(m) = info.failure.iter().find(|m| m.matches(&body)) {
                            let error = WaitError::Failed {
                                waiter: info.name,
                                operation: info.operation,
                                state: m.to_string(),
                                polls,
                                last: Box::new(answer),
                            };
                            return (Step::Stop(error), format!("failure: {m}"));
                        }
                    }
                }
                (Step::Pending(Box::new(answer)), "still there".into())
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn waits_grow_by_the_backoff_up_to_the_cap() {
        let policy = WaitPolicy::new()
            .interval(Duration::from_millis(100))
            .backoff(2.0)
            .max_interval(Duration::from_millis(500));
        let ms = |poll| policy.wait_after(poll).as_millis();
        assert_eq!(
            [ms(1), ms(2), ms(3), ms(4), ms(60)],
            [100, 200, 400, 500, 500]
        );
        let fixed = policy.clone().backoff(0.5);
        assert_eq!(
            fixed.wait_after(5),
            Duration::from_millis(100),
            "at least 1"
        );
        let huge = policy.clone().backoff(1e300);
        assert_eq!(
            huge.wait_after(64),
            Duration::from_millis(500),
            "no overflow"
        );
        let slow = policy.interval(Duration::from_secs(2));
        assert_eq!(
            slow.wait_after(3),
            Duration::from_secs(2),
            "the interval wins"
        );
    }

    #[test]
    fn matchers_compare_json_values_or_presence() {
        let equals = Matcher {
            property: "status",
            test: MatchTest::Equals("\"completed\""),
        };
        let flag = Matcher {
            property: "failed",
            test: MatchTest::Equals("true"),
        };
        let present = Matcher {
            property: "finishedAt",
            test: MatchTest::Present,
        };
        assert!(equals.matches(&json!({"status": "completed"})));
        assert!(!equals.matches(&json!({"status": "COMPLETED"})));
        assert!(!equals.matches(&json!({})));
        assert!(flag.matches(&json!({"failed": true})));
        assert!(!flag.matches(&json!({"failed": "true"})));
        assert!(present.matches(&json!({"finishedAt": "2025-05-04T08:02:44Z"})));
        assert!(!present.matches(&json!({"finishedAt": null})));
        assert_eq!(equals.to_string(), "status = \"completed\"");
        assert_eq!(present.to_string(), "finishedAt is set");
    }
}
