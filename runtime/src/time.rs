//! The time a client runs on: where retries, waiters and service-account tokens read the
//! current time, and how retries and waiters sleep. Both come from the client ([`ClientBuilder::sleep_impl`],
//! [`ClientBuilder::time_source`], or [`ClientBuilder::clock`] for both), so a test can run a
//! 30-minute wait or a long `Retry-After` in virtual time with a [`TestClock`] and assert when
//! each poll or attempt went out. The split into a sleep and a time source follows the AWS SDK
//! for Rust (`aws-smithy-async`), which users of that SDK already know.
//!
//! [`ClientBuilder::sleep_impl`]: crate::ClientBuilder::sleep_impl
//! [`ClientBuilder::time_source`]: crate::ClientBuilder::time_source
//! [`ClientBuilder::clock`]: crate::ClientBuilder::clock

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// A sleep in progress, as [`AsyncSleep::sleep`] returns it.
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// How a client waits between retries and between the polls of a waiter.
pub trait AsyncSleep: fmt::Debug + Send + Sync {
    /// A future that is ready once `duration` has passed.
    fn sleep(&self, duration: Duration) -> Sleep;
}

/// Where a client reads the current time: to measure a wait against its deadline and to read
/// a `Retry-After` date.
pub trait TimeSource: fmt::Debug + Send + Sync {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// Tokio's timer, the default sleep.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleep;

impl AsyncSleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> Sleep {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// The system's clock, the default time source.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl TimeSource for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// The sleep and the time source of one client, shared by its calls and waiters.
#[derive(Debug, Clone)]
pub struct Clock {
    sleep: Arc<dyn AsyncSleep>,
    time: Arc<dyn TimeSource>,
}

impl Default for Clock {
    fn default() -> Self {
        Clock {
            sleep: Arc::new(TokioSleep),
            time: Arc::new(SystemClock),
        }
    }
}

impl Clock {
    pub(crate) fn with_sleep(self, sleep: Arc<dyn AsyncSleep>) -> Self {
        Clock { sleep, ..self }
    }

    pub(crate) fn with_time(self, time: Arc<dyn TimeSource>) -> Self {
        Clock { time, ..self }
    }

    /// The current time.
    pub fn now(&self) -> SystemTime {
        self.time.now()
    }

    /// Waits for `duration`.
    pub fn sleep(&self, duration: Duration) -> Sleep {
        self.sleep.sleep(duration)
    }

    /// How long ago `earlier` was; zero if the time source went back.
    pub fn since(&self, earlier: SystemTime) -> Duration {
        self.now().duration_since(earlier).unwrap_or_default()
    }
}

/// A clock for tests: time stands still until the client sleeps, and each sleep moves it on at
/// once by the time asked for. A wait of hours runs in microseconds, and
/// [`sleeps`](Self::sleeps) tells how long each pause was. Give it to the client with
/// [`ClientBuilder::clock`](crate::ClientBuilder::clock) and keep a clone to read it.
///
/// ```
/// use atlas_snapshots_runtime::{AsyncSleep, TestClock, TimeSource};
/// use std::time::Duration;
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let clock = TestClock::new();
/// let start = clock.now();
/// clock.sleep(Duration::from_secs(1800)).await;
/// assert_eq!(clock.now().duration_since(start).unwrap(), Duration::from_secs(1800));
/// assert_eq!(clock.sleeps(), [Duration::from_secs(1800)]);
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct TestClock {
    state: Arc<Mutex<TestState>>,
}

#[derive(Debug)]
struct TestState {
    now: SystemTime,
    sleeps: Vec<Duration>,
}

impl Default for TestClock {
    fn default() -> Self {
        Self::new()
    }
}

impl TestClock {
    /// A clock that starts at 2026-01-01T00:00:00Z.
    pub fn new() -> Self {
        // 56 years and 14 leap days after the epoch.
        Self::starting_at(SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600))
    }

    /// A clock that starts at `now`.
    pub fn starting_at(now: SystemTime) -> Self {
        TestClock {
            state: Arc::new(Mutex::new(TestState {
                now,
                sleeps: Vec::new(),
            })),
        }
    }

    /// Moves the time on by `duration` without a sleep.
    pub fn advance(&self, duration: Duration) {
        self.lock().now += duration;
    }

    /// Every sleep so far, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.lock().sleeps.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, TestState> {
        // The state is a time and a list; a panic elsewhere cannot leave them half-written.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl AsyncSleep for TestClock {
    fn sleep(&self, duration: Duration) -> Sleep {
        let mut state = self.lock();
        state.now += duration;
        state.sleeps.push(duration);
        Box::pin(std::future::ready(()))
    }
}

impl TimeSource for TestClock {
    fn now(&self) -> SystemTime {
        self.lock().now
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_clock_moves_only_when_slept_on_or_advanced() {
        let clock = TestClock::new();
        let start = clock.now();
        assert_eq!(
            httpdate::fmt_http_date(start),
            "Thu, 01 Jan 2026 00:00:00 GMT"
        );
        assert_eq!(clock.now(), start, "time stands still");
        drop(clock.sleep(Duration::from_secs(90)));
        clock.advance(Duration::from_secs(10));
        assert_eq!(
            clock.now().duration_since(start).unwrap(),
            Duration::from_secs(100)
        );
        assert_eq!(clock.sleeps(), [Duration::from_secs(90)]);
        let shared = Clock::default()
            .with_sleep(Arc::new(clock.clone()))
            .with_time(Arc::new(clock.clone()));
        drop(shared.sleep(Duration::from_secs(5)));
        assert_eq!(shared.since(start), Duration::from_secs(105));
    }
}
