//! Retries, waiters and service-account tokens run on the client's clock: with a `TestClock` a
//! 30-minute wait and a two-minute `Retry-After` take no real time, a token ages as the clock
//! moves, and the clock tells when each pause was and how long, so a test can assert the
//! schedule a policy makes.

use atlas_snapshots::models::DiskBackupOnDemandSnapshotRequest;
use atlas_snapshots::{Client, RetryPolicy, TestClock, TimeSource, WaitError, WaitPolicy};
use std::time::{Duration, Instant};
use workspace_tests::ids::*;
use workspace_tests::{Fault, StandIn};

const CLUSTER: &str = "production-rs";
const FLEX_LIST: &str = "listFlexBackupSnapshots";

fn on_clock(server: &StandIn, clock: &TestClock, retries: RetryPolicy) -> Client {
    server
        .client_builder()
        .clock(clock.clone())
        .retry_policy(retries)
        .build()
        .expect("client")
}

fn minutes(m: u64) -> Duration {
    Duration::from_secs(60 * m)
}

#[tokio::test]
async fn a_thirty_minute_wait_runs_in_virtual_time_on_the_policy_s_schedule() {
    // The snapshot stays queued for far longer than the wait.
    let server = StandIn::builder().polls_per_stage(10_000).start().await;
    let clock = TestClock::new();
    let client = on_clock(&server, &clock, RetryPolicy::default());
    let started_at = clock.now();
    let taken = client
        .take_snapshots(GROUP_ID, CLUSTER, DiskBackupOnDemandSnapshotRequest::new())
        .send()
        .await
        .unwrap();
    let policy = WaitPolicy::new()
        .interval(Duration::from_secs(30))
        .backoff(2.0)
        .max_interval(minutes(5))
        .deadline(minutes(30));
    let real = Instant::now();
    let late = client
        .wait_until_cluster_snapshot_completed(GROUP_ID, CLUSTER, taken.body().id().unwrap())
        .policy(policy)
        .wait()
        .await
        .unwrap_err();
    let real = real.elapsed();
    let WaitError::Deadline { polls, waited, .. } = &late else {
        panic!("{late:?}");
    };
    assert_eq!(*waited, minutes(30));
    assert!(real < Duration::from_secs(1), "{real:?}");
    // Doubling from 30 s up to the 5-minute cap; the last pause ends at the deadline, where the
    // last poll goes out.
    let secs = |list: &[u64]| {
        list.iter()
            .map(|s| Duration::from_secs(*s))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        clock.sleeps(),
        secs(&[30, 60, 120, 240, 300, 300, 300, 300, 150])
    );
    assert_eq!(*polls, 10);
    let polled = server
        .requests()
        .iter()
        .filter(|r| r.operation.as_deref() == Some("getClusterBackupSnapshot"))
        .count();
    assert_eq!(polled, 10);
    assert_eq!(clock.now().duration_since(started_at).unwrap(), minutes(30));
}

#[tokio::test]
async fn a_long_retry_after_is_waited_out_on_the_client_s_clock() {
    let server = StandIn::start().await;
    server.inject(Fault::too_many_requests(FLEX_LIST, "120").times(1));
    let clock = TestClock::new();
    let retries = RetryPolicy::new().max_retry_after(minutes(10));
    let client = on_clock(&server, &clock, retries);
    let real = Instant::now();
    client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .send()
        .await
        .expect("the retry succeeds");
    assert!(real.elapsed() < Duration::from_secs(1));
    assert_eq!(clock.sleeps(), [Duration::from_secs(120)]);
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn a_retry_after_date_is_read_against_the_client_s_clock() {
    // The test clock is months away from the system's: a date five minutes after the test
    // clock's now is a five-minute wait only if the client reads the time from it.
    let server = StandIn::start().await;
    let clock = TestClock::new();
    let date = httpdate::fmt_http_date(clock.now() + minutes(5));
    server.inject(Fault::too_many_requests(FLEX_LIST, &date).times(1));
    let retries = RetryPolicy::new().max_retry_after(minutes(10));
    let client = on_clock(&server, &clock, retries);
    client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .send()
        .await
        .expect("the retry succeeds");
    assert_eq!(clock.sleeps(), [minutes(5)]);
}

#[tokio::test]
async fn a_service_account_token_ages_on_the_client_s_clock() {
    // Tokens last an hour; the client renews one a minute before it runs out.
    let server = StandIn::builder()
        .service_account("mdb_sa_id_virtual", "mdb_sa_sk_virtual")
        .start()
        .await;
    let clock = TestClock::new();
    let client = server
        .client_builder()
        .clock(clock.clone())
        .service_account("mdb_sa_id_virtual", "mdb_sa_sk_virtual")
        .build()
        .unwrap();
    let list = || {
        client
            .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
            .send()
    };
    list().await.unwrap();
    clock.advance(minutes(58));
    list().await.unwrap();
    assert_eq!(
        server.token_requests(),
        1,
        "still young on the client's clock"
    );
    clock.advance(minutes(2));
    list().await.expect("a renewed token");
    assert_eq!(
        server.token_requests(),
        2,
        "renewed an hour on, in virtual time"
    );
}
