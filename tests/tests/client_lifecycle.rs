//! The snapshot lifecycle against the stand-in server, which keeps state and checks every
//! request body against the spec: take, get, change retention, list and delete snapshots of a
//! dedicated cluster; start, follow and cancel restore jobs (dedicated, Flex, serverless); make
//! a Flex snapshot downloadable. Bodies are asserted as the server received them, with their
//! versioned `Content-Type`; 204 answers decode to `()`; POST and PATCH are retried only when
//! the request provably was not processed; the waiters end on success, failure and deadline.

use atlas_snapshots::models::{
    BackupSnapshotRetention, DiskBackupOnDemandSnapshotRequest, DiskBackupSnapshot,
    DiskBackupSnapshotRestoreJob, FlexBackupRestoreJobCreate20241113,
    FlexBackupSnapshotDownloadCreate20241113, ServerlessBackupRestoreJob,
};
use atlas_snapshots::{Client, Error, RetryPolicy, WaitError, WaitPolicy};
use serde_json::{json, Value};
use std::time::Duration;
use workspace_tests::ids::*;
use workspace_tests::{Fault, RecordedRequest, StandIn};

const CLUSTER: &str = "production-rs";
const SHARDED: &str = "sharded-prod";
const V2023: &str = "application/vnd.atlas.2023-01-01+json";
const V2024: &str = "application/vnd.atlas.2024-11-13+json";
/// The snapshot the dedicated-cluster examples start with.
const EXAMPLE_SNAPSHOT: &str = "6817124df2a3b4c5d6e70d31";

fn client(server: &StandIn) -> Client {
    server.client_builder().build().expect("client")
}

/// Polls every few milliseconds, so the tests stay fast.
fn quick(deadline: Duration) -> WaitPolicy {
    WaitPolicy::new()
        .interval(Duration::from_millis(5))
        .backoff(2.0)
        .max_interval(Duration::from_millis(20))
        .deadline(deadline)
}

fn quick_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::new()
        .max_attempts(attempts)
        .initial_backoff(Duration::from_millis(2))
        .max_backoff(Duration::from_millis(10))
}

fn last_of(server: &StandIn, operation: &str) -> RecordedRequest {
    server
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.operation.as_deref() == Some(operation))
        .unwrap_or_else(|| panic!("no {operation} request was received"))
}

fn count_of(server: &StandIn, operation: &str) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.operation.as_deref() == Some(operation))
        .count()
}

fn snapshots_path() -> String {
    format!("/api/atlas/v2/groups/{GROUP_ID}/clusters/{CLUSTER}/backup/snapshots")
}

fn take_request() -> DiskBackupOnDemandSnapshotRequest {
    let mut body = DiskBackupOnDemandSnapshotRequest::new();
    body.description = Some("before the migration".into());
    body.retention_in_days = Some(7);
    body
}

#[tokio::test]
async fn a_taken_snapshot_is_sent_as_a_typed_body_and_waited_for_until_completed() {
    let server = StandIn::start().await;
    let client = client(&server);
    let taken = client
        .take_snapshots(GROUP_ID, CLUSTER, take_request())
        .send()
        .await
        .expect("the snapshot is taken");
    // A replica set was snapshotted: the answer is that kind, by its `type`.
    let DiskBackupSnapshot::ReplicaSet(replica_set) = taken.body() else {
        panic!("a replica set's snapshot: {:?}", taken.body());
    };
    assert_eq!(replica_set.status.as_deref(), Some("queued"));
    assert_eq!(
        taken.body().status(),
        Some("queued"),
        "read whatever the kind"
    );
    assert_eq!(taken.body().description(), Some("before the migration"));
    let sent = last_of(&server, "takeSnapshots");
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, snapshots_path());
    assert_eq!(sent.header("content-type"), Some(V2023));
    assert_eq!(sent.header("accept"), Some(V2023));
    assert_eq!(
        sent.body_json(),
        json!({"description": "before the migration", "retentionInDays": 7}),
        "only what was set is sent"
    );

    let id = taken.body().id().unwrap().to_owned();
    let done = client
        .wait_until_cluster_snapshot_completed(GROUP_ID, CLUSTER, &*id)
        .policy(quick(Duration::from_secs(5)))
        .wait()
        .await
        .expect("the snapshot completes");
    assert_eq!(done.status.as_deref(), Some("completed"));
    assert_eq!(done.id.as_deref(), Some(&*id));
    // queued → inProgress → completed: the third poll sees it done.
    assert_eq!(count_of(&server, "getClusterBackupSnapshot"), 2);

    let listed = client
        .list_backup_snapshots(GROUP_ID, CLUSTER)
        .send()
        .await
        .unwrap();
    let ids: Vec<&str> = listed
        .results
        .iter()
        .filter_map(|s| s.id.as_deref())
        .collect();
    assert!(ids.contains(&&*id), "{ids:?}");
    assert_eq!(listed.total_count, Some(3));
}

#[tokio::test]
async fn retention_changes_are_sent_as_a_patch_and_shorten_the_expiry() {
    let server = StandIn::start().await;
    let client = client(&server);
    let updated = client
        .update_backup_snapshot(
            GROUP_ID,
            CLUSTER,
            EXAMPLE_SNAPSHOT,
            BackupSnapshotRetention::new("days".into(), 3),
        )
        .send()
        .await
        .expect("the retention changes");
    assert_eq!(
        updated.expires_at,
        Some("2025-05-07T07:10:21Z".parse().unwrap()),
        "three days after it was taken"
    );
    let sent = last_of(&server, "updateBackupSnapshot");
    assert_eq!(sent.method, "PATCH");
    assert_eq!(
        sent.path,
        format!("{}/{EXAMPLE_SNAPSHOT}", snapshots_path())
    );
    assert_eq!(sent.header("content-type"), Some(V2023));
    assert_eq!(
        sent.body_json(),
        json!({"retentionUnit": "days", "retentionValue": 3})
    );
    let again = client
        .get_cluster_backup_snapshot(GROUP_ID, CLUSTER, EXAMPLE_SNAPSHOT)
        .send()
        .await
        .unwrap();
    assert_eq!(again.expires_at, updated.expires_at, "the server kept it");
}

#[tokio::test]
async fn a_delete_answers_204_as_unit_and_the_snapshot_is_gone() {
    let server = StandIn::start().await;
    let client = client(&server);
    let deleted = client
        .delete_cluster_backup_snapshot(GROUP_ID, CLUSTER, EXAMPLE_SNAPSHOT)
        .send()
        .await
        .expect("the snapshot is deleted");
    assert_eq!(deleted.status().as_u16(), 204);
    let () = deleted.into_inner();
    let sent = last_of(&server, "deleteClusterBackupSnapshot");
    assert_eq!((sent.method.as_str(), sent.body.len()), ("DELETE", 0));
    assert_eq!(
        sent.header("content-type"),
        None,
        "no body, no Content-Type"
    );

    let gone = client
        .get_cluster_backup_snapshot(GROUP_ID, CLUSTER, EXAMPLE_SNAPSHOT)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&gone, Error::Api { status, .. } if status.as_u16() == 404),
        "{gone:?}"
    );
    let again = client
        .delete_cluster_backup_snapshot(GROUP_ID, CLUSTER, EXAMPLE_SNAPSHOT)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(&again, Error::Api { status, .. } if status.as_u16() == 404));
    let left = client
        .list_backup_snapshots(GROUP_ID, CLUSTER)
        .send()
        .await
        .unwrap();
    assert_eq!(left.results.len(), 1);
}

#[tokio::test]
async fn a_body_the_spec_does_not_allow_is_refused_by_the_server_with_its_fields() {
    let server = StandIn::start().await;
    let client = client(&server);
    let mut body = take_request();
    body.retention_in_days = Some(0);
    let refused = client
        .take_snapshots(GROUP_ID, CLUSTER, body)
        .send()
        .await
        .unwrap_err();
    let Error::Api { status, body, .. } = &refused else {
        panic!("{refused:?}");
    };
    assert_eq!(status.as_u16(), 400);
    let fields: Vec<&str> = body
        .bad_request_detail
        .as_ref()
        .and_then(|d| d.fields.as_deref())
        .unwrap_or_default()
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    assert_eq!(fields, ["retentionInDays"]);
}

#[tokio::test]
async fn sharded_cluster_snapshots_are_listed_and_waited_for() {
    let server = StandIn::start().await;
    let client = client(&server);
    let listed = client
        .list_backup_sharded_clusters(GROUP_ID, SHARDED)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.results.len(), 1);
    let id = listed.results[0].id.clone().unwrap();
    assert_eq!(listed.results[0].members.as_ref().map(Vec::len), Some(2));
    let got = client
        .wait_until_sharded_cluster_snapshot_completed(GROUP_ID, SHARDED, &*id)
        .policy(quick(Duration::from_secs(5)))
        .wait()
        .await
        .expect("the example snapshot is completed");
    assert_eq!(got.snapshot_ids.as_ref().map(Vec::len), Some(2));
    assert_eq!(
        count_of(&server, "getBackupShardedCluster"),
        1,
        "done at once"
    );
}

#[tokio::test]
async fn a_failed_snapshot_ends_the_wait_with_its_state_and_last_answer() {
    let server = StandIn::start().await;
    let client = client(&server);
    server.fail_next("takeSnapshots");
    let taken = client
        .take_snapshots(GROUP_ID, CLUSTER, take_request())
        .send()
        .await
        .unwrap();
    let failed = client
        .wait_until_cluster_snapshot_completed(GROUP_ID, CLUSTER, taken.body().id().unwrap())
        .policy(quick(Duration::from_secs(5)))
        .wait()
        .await
        .unwrap_err();
    let WaitError::Failed {
        state, polls, last, ..
    } = &failed
    else {
        panic!("{failed:?}");
    };
    assert_eq!(state, r#"status = "failed""#);
    assert_eq!(*polls, 2);
    assert_eq!(last.status.as_deref(), Some("failed"));
    assert!(
        failed.to_string().contains("clusterSnapshotCompleted"),
        "{failed}"
    );
}

#[tokio::test]
async fn a_wait_gives_up_at_its_deadline_with_the_last_answer() {
    let server = StandIn::builder().polls_per_stage(10_000).start().await;
    let client = client(&server);
    let taken = client
        .take_snapshots(GROUP_ID, CLUSTER, take_request())
        .send()
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let late = client
        .wait_until_cluster_snapshot_completed(GROUP_ID, CLUSTER, taken.body().id().unwrap())
        .policy(quick(Duration::from_millis(150)))
        .wait()
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    let WaitError::Deadline {
        polls,
        waited,
        last,
        ..
    } = &late
    else {
        panic!("{late:?}");
    };
    assert_eq!(last.status.as_deref(), Some("queued"));
    assert!(*waited >= Duration::from_millis(150), "{waited:?}");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    // 5, 10, 20, 20, ... ms apart: more than a few polls, not hundreds.
    assert!((4..40).contains(polls), "{polls}");
    assert_eq!(
        count_of(&server, "getClusterBackupSnapshot"),
        *polls as usize
    );
}

#[tokio::test]
async fn a_restore_job_is_started_waited_for_and_a_running_one_cancelled() {
    let server = StandIn::start().await;
    let client = client(&server);
    let mut body = DiskBackupSnapshotRestoreJob::new("automated".into());
    body.snapshot_id = Some(EXAMPLE_SNAPSHOT.into());
    body.target_cluster_name = Some("staging-rs".into());
    body.target_group_id = Some(GROUP_ID.into());
    let job = client
        .create_backup_restore_job(GROUP_ID, CLUSTER, body.clone())
        .send()
        .await
        .expect("the job starts");
    assert_eq!(job.finished_at, None);
    let sent = last_of(&server, "createBackupRestoreJob");
    assert_eq!(sent.header("content-type"), Some(V2023));
    assert_eq!(
        sent.body_json(),
        json!({
            "deliveryType": "automated",
            "snapshotId": EXAMPLE_SNAPSHOT,
            "targetClusterName": "staging-rs",
            "targetGroupId": GROUP_ID,
        })
    );
    let done = client
        .wait_until_restore_job_finished(GROUP_ID, CLUSTER, job.id.clone().unwrap())
        .policy(quick(Duration::from_secs(5)))
        .wait()
        .await
        .expect("the job finishes");
    assert!(done.finished_at.is_some());
    assert_eq!(done.failed, Some(false));

    let finished = client
        .cancel_backup_restore_job(GROUP_ID, CLUSTER, job.id.clone().unwrap())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&finished, Error::Api { status, body, .. }
            if status.as_u16() == 405 && body.error_code.as_str() == "CANNOT_CANCEL_FINISHED_RESTORE_JOB"),
        "{finished:?}"
    );

    let running = client
        .create_backup_restore_job(GROUP_ID, CLUSTER, body)
        .send()
        .await
        .unwrap();
    let cancelled = client
        .cancel_backup_restore_job(GROUP_ID, CLUSTER, running.id.clone().unwrap())
        .send()
        .await
        .expect("a running job can be cancelled");
    assert_eq!(cancelled.status().as_u16(), 204);
    let ended = client
        .wait_until_restore_job_finished(GROUP_ID, CLUSTER, running.id.clone().unwrap())
        .policy(quick(Duration::from_secs(5)))
        .wait()
        .await
        .unwrap_err();
    assert!(
        matches!(&ended, WaitError::Failed { state, .. } if state == "cancelled = true"),
        "{ended:?}"
    );
    let jobs = client
        .list_backup_restore_jobs(GROUP_ID, CLUSTER)
        .send()
        .await
        .unwrap();
    assert_eq!(jobs.results.len(), 3, "the example job and the two started");
    assert_eq!(jobs.results[2].cancelled, Some(true));
}

#[tokio::test]
async fn a_failed_restore_job_ends_its_wait_with_an_error() {
    let server = StandIn::start().await;
    let client = client(&server);
    server.fail_next("createBackupRestoreJob");
    let job = client
        .create_backup_restore_job(GROUP_ID, CLUSTER, {
            let mut body = DiskBackupSnapshotRestoreJob::new("download".into());
            body.snapshot_id = Some(EXAMPLE_SNAPSHOT.into());
            body
        })
        .send()
        .await
        .unwrap();
    let failed = client
        .wait_until_restore_job_finished(GROUP_ID, CLUSTER, job.id.clone().unwrap())
        .policy(quick(Duration::from_secs(5)))
        .wait()
        .await
        .unwrap_err();
    assert!(
        matches!(&failed, WaitError::Failed { state, last, .. }
            if state == "failed = true" && last.failed == Some(true)),
        "{failed:?}"
    );
}

#[tokio::test]
async fn flex_restores_and_downloads_are_jobs_of_the_flex_cluster() {
    let server = StandIn::start().await;
    let client = client(&server);
    let job = client
        .create_flex_restore_job(
            GROUP_ID,
            FLEX_CLUSTER,
            FlexBackupRestoreJobCreate20241113::new(FLEX_SNAPSHOT.into(), "analytics-copy".into()),
        )
        .send()
        .await
        .expect("the restore starts");
    assert_eq!(job.status.as_deref(), Some("PENDING"));
    assert_eq!(
        job.target_deployment_item_name.as_deref(),
        Some("analytics-copy")
    );
    let sent = last_of(&server, "createFlexRestoreJob");
    assert_eq!(sent.header("content-type"), Some(V2024));
    assert_eq!(
        sent.body_json(),
        json!({"snapshotId": FLEX_SNAPSHOT, "targetDeploymentItemName": "analytics-copy"}),
        "the required write-only fields are asked for by the constructor"
    );
    let done = client
        .wait_until_flex_restore_job_completed(GROUP_ID, FLEX_CLUSTER, job.id.clone().unwrap())
        .policy(quick(Duration::from_secs(5)))
        .wait()
        .await
        .unwrap();
    assert!(done.restore_finished_date.is_some());

    let download = client
        .download_flex_backup(
            GROUP_ID,
            FLEX_CLUSTER,
            FlexBackupSnapshotDownloadCreate20241113::new(FLEX_SNAPSHOT.into()),
        )
        .send()
        .await
        .expect("the download is prepared");
    assert_eq!(download.delivery_type.as_deref(), Some("DOWNLOAD"));
    let sent = last_of(&server, "downloadFlexBackup");
    assert_eq!(
        sent.path,
        format!("/api/atlas/v2/groups/{GROUP_ID}/flexClusters/{FLEX_CLUSTER}/backup/download")
    );
    assert_eq!(sent.body_json(), json!({"snapshotId": FLEX_SNAPSHOT}));
    let jobs = client
        .list_flex_restore_jobs(GROUP_ID, FLEX_CLUSTER)
        .send()
        .await
        .unwrap();
    let ids: Vec<Option<&str>> = jobs.results.iter().map(|j| j.id.as_deref()).collect();
    assert_eq!(
        ids.len(),
        3,
        "the example job, the restore and the download"
    );
    assert!(ids.contains(&download.id.as_deref()));

    server.fail_next("createFlexRestoreJob");
    let failing = client
        .create_flex_restore_job(
            GROUP_ID,
            FLEX_CLUSTER,
            FlexBackupRestoreJobCreate20241113::new(FLEX_SNAPSHOT.into(), "analytics-copy".into()),
        )
        .send()
        .await
        .unwrap();
    let failed = client
        .wait_until_flex_restore_job_completed(GROUP_ID, FLEX_CLUSTER, failing.id.clone().unwrap())
        .policy(quick(Duration::from_secs(5)))
        .wait()
        .await
        .unwrap_err();
    assert!(matches!(&failed, WaitError::Failed { state, .. } if state == r#"status = "FAILED""#));
}

#[tokio::test]
#[allow(deprecated)]
async fn serverless_restore_jobs_still_work_until_their_sunset() {
    let server = StandIn::start().await;
    let client = client(&server);
    let job = client
        .create_serverless_restore_job(
            GROUP_ID,
            SERVERLESS_INSTANCE,
            ServerlessBackupRestoreJob::new(
                "automated".into(),
                "reporting-flex".into(),
                GROUP_ID.into(),
            ),
        )
        .send()
        .await
        .unwrap();
    let sent = last_of(&server, "createServerlessRestoreJob");
    assert_eq!(sent.header("content-type"), Some(V2023));
    assert_eq!(
        sent.body_json(),
        json!({"deliveryType": "automated", "targetClusterName": "reporting-flex", "targetGroupId": GROUP_ID})
    );
    let done = client
        .wait_until_serverless_restore_job_finished(
            GROUP_ID,
            SERVERLESS_INSTANCE,
            job.id.clone().unwrap(),
        )
        .policy(quick(Duration::from_secs(5)))
        .wait()
        .await
        .unwrap();
    assert!(done.finished_at.is_some());
    let listed = client
        .list_serverless_restore_jobs(GROUP_ID, SERVERLESS_INSTANCE)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.results.len(), 2);
}

#[tokio::test]
async fn a_pin_older_than_the_body_version_is_refused_before_sending() {
    let server = StandIn::start().await;
    let client = server
        .client_builder()
        .api_version("2024-01-01")
        .build()
        .unwrap();
    let refused = client
        .download_flex_backup(
            GROUP_ID,
            FLEX_CLUSTER,
            FlexBackupSnapshotDownloadCreate20241113::new(FLEX_SNAPSHOT.into()),
        )
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, Error::UnsupportedVersion { available, .. } if available == &["2024-11-13"]),
        "{refused:?}"
    );
    assert_eq!(server.request_count(), 0);
    // The same pin takes the 2023-01-01 version of a dedicated-cluster body.
    client
        .take_snapshots(GROUP_ID, CLUSTER, take_request())
        .send()
        .await
        .unwrap();
    assert_eq!(
        last_of(&server, "takeSnapshots").header("content-type"),
        Some(V2023)
    );
}

/// The retry rules per method: GET, PUT and DELETE are retried on a 5xx or a 429; POST and
/// PATCH only on a 429 that says when to come back.
#[tokio::test]
async fn writes_are_retried_only_when_they_provably_were_not_processed() {
    let server = StandIn::start().await;
    let client = server
        .client_builder()
        .retry_policy(quick_retries(3))
        .build()
        .unwrap();
    let take = || {
        client
            .take_snapshots(GROUP_ID, CLUSTER, take_request())
            .send()
    };

    server.inject(Fault::on("takeSnapshots").status(503).times(1));
    let failed = take().await.unwrap_err();
    assert!(matches!(&failed, Error::UnexpectedStatus { status, .. } if status.as_u16() == 503));
    assert_eq!(
        count_of(&server, "takeSnapshots"),
        1,
        "a 503 POST may have been done"
    );

    server.inject(
        Fault::on("takeSnapshots")
            .status(429)
            .json(server.spec().error_example("tooManyRequests"))
            .times(1),
    );
    take().await.unwrap_err();
    assert_eq!(
        count_of(&server, "takeSnapshots"),
        2,
        "a 429 without Retry-After"
    );

    server.inject(Fault::too_many_requests("takeSnapshots", "0").times(1));
    let taken = take().await.expect("retried after the 429's Retry-After");
    assert_eq!(count_of(&server, "takeSnapshots"), 4);
    assert_eq!(taken.body().status(), Some("queued"));

    let patch = || {
        client
            .update_backup_snapshot(
                GROUP_ID,
                CLUSTER,
                EXAMPLE_SNAPSHOT,
                BackupSnapshotRetention::new("days".into(), 2),
            )
            .send()
    };
    server.inject(Fault::on("updateBackupSnapshot").status(500).times(1));
    patch().await.unwrap_err();
    assert_eq!(count_of(&server, "updateBackupSnapshot"), 1);
    server.inject(Fault::too_many_requests("updateBackupSnapshot", "0").times(1));
    patch().await.expect("retried after Retry-After");
    assert_eq!(count_of(&server, "updateBackupSnapshot"), 3);

    server.inject(
        Fault::on("deleteClusterBackupSnapshot")
            .status(503)
            .times(2),
    );
    let deleted = client
        .delete_cluster_backup_snapshot(GROUP_ID, CLUSTER, EXAMPLE_SNAPSHOT)
        .send()
        .await
        .expect("a DELETE is retried on a 503");
    assert_eq!(deleted.status().as_u16(), 204);
    assert_eq!(count_of(&server, "deleteClusterBackupSnapshot"), 3);
}

/// A POST that times out once sent may have been done, so it is not sent again, while a GET
/// that times out is.
#[tokio::test]
async fn a_post_that_timed_out_after_sending_is_not_sent_again() {
    let server = StandIn::start().await;
    let client = server
        .client_builder()
        .retry_policy(quick_retries(3))
        .timeout(Duration::from_millis(150))
        .build()
        .unwrap();
    server.inject(Fault::slow("takeSnapshots", Duration::from_millis(600)));
    let timed_out = client
        .take_snapshots(GROUP_ID, CLUSTER, take_request())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&timed_out, Error::Transport { .. }),
        "{timed_out:?}"
    );
    assert_eq!(count_of(&server, "takeSnapshots"), 1);

    server.inject(Fault::slow("getClusterBackupSnapshot", Duration::from_millis(600)).times(1));
    client
        .get_cluster_backup_snapshot(GROUP_ID, CLUSTER, EXAMPLE_SNAPSHOT)
        .send()
        .await
        .expect("the GET is retried after its timeout");
    assert_eq!(count_of(&server, "getClusterBackupSnapshot"), 2);
}

/// Nothing listens on the port, so no request can have been processed: a POST is retried
/// until the attempts run out, and the error says the connection failed.
#[tokio::test]
async fn a_refused_connection_ends_in_a_transport_error_after_every_attempt() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let policy = RetryPolicy::new()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(100))
        .max_backoff(Duration::from_millis(100));
    let client = Client::builder()
        .base_url(url)
        .retry_policy(policy)
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let refused = client
        .take_snapshots(GROUP_ID, CLUSTER, take_request())
        .send()
        .await
        .unwrap_err();
    let Error::Transport { source, .. } = &refused else {
        panic!("{refused:?}");
    };
    assert!(source.is_connect(), "{source:?}");
    // Two backoffs of 50–100 ms each: the POST was tried three times.
    assert!(
        started.elapsed() >= Duration::from_millis(100),
        "{:?}",
        started.elapsed()
    );
}

/// Every write operation's body example from the spec is accepted by the stand-in's checks,
/// so the examples and the checks agree.
#[tokio::test]
async fn the_spec_body_examples_pass_the_server_checks() {
    let server = StandIn::start().await;
    let http = reqwest::Client::new();
    let mut checked = 0;
    // A bucket the stand-in keeps: the one its newest get example shows.
    let bucket = server.spec().operation("getExportBucket").newest_example()["_id"]
        .as_str()
        .expect("the bucket example has an id")
        .to_owned();
    for op in &server.spec().operations {
        let Some(body) = &op.request_body else {
            continue;
        };
        let path = op.path_with(&[
            ("groupId", GROUP_ID),
            ("cloudProvider", "AWS"),
            ("exportBucketId", &bucket),
            (
                "clusterName",
                if op.path.contains("/serverless/") {
                    SERVERLESS_INSTANCE
                } else {
                    CLUSTER
                },
            ),
            ("name", FLEX_CLUSTER),
            ("snapshotId", EXAMPLE_SNAPSHOT),
        ]);
        let (media_type, _) = &body.media[0];
        let example = body.example.clone().unwrap_or(Value::Null);
        let answer = http
            .request(
                op.method.parse().unwrap(),
                format!("{}{path}", server.base_url()),
            )
            .header("content-type", media_type)
            .header("accept", op.media[0].media_type.as_str())
            .body(example.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status().as_u16(), op.status, "{}", op.id);
        let wrong = http
            .request(
                op.method.parse().unwrap(),
                format!("{}{path}", server.base_url()),
            )
            .header("content-type", "application/json")
            .header("accept", op.media[0].media_type.as_str())
            .body(example.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status().as_u16(), 415, "{}: unversioned body", op.id);
        checked += 1;
    }
    assert_eq!(checked, 13);
}

/// A poll that fails (here a 404: there is no such snapshot) ends the wait with the
/// client's error as its source; and a wait can be spawned, since its future is `Send`.
#[tokio::test]
async fn a_failed_poll_ends_the_wait_with_the_request_error() {
    let server = StandIn::start().await;
    let client = client(&server);
    let ended = tokio::spawn(async move {
        let wait = client
            .wait_until_cluster_snapshot_completed(GROUP_ID, CLUSTER, UNKNOWN_SNAPSHOT)
            .policy(quick(Duration::from_secs(5)))
            .wait();
        wait.await.unwrap_err().to_string()
    });
    let message = ended.await.unwrap();
    assert!(
        message.contains("a poll of getClusterBackupSnapshot failed"),
        "{message}"
    );
    assert_eq!(count_of(&server, "getClusterBackupSnapshot"), 1);
}

/// Flex snapshots are taken on Atlas's schedule; their waiter reads the typed `status` enum
/// as the spec writes it.
#[tokio::test]
async fn a_flex_snapshot_waiter_ends_on_its_typed_status() {
    let server = StandIn::start().await;
    let client = client(&server);
    let done = client
        .wait_until_flex_snapshot_completed(GROUP_ID, FLEX_CLUSTER, FLEX_SNAPSHOT)
        .policy(quick(Duration::from_secs(5)))
        .wait()
        .await
        .expect("the example snapshot is completed");
    assert_eq!(done.id.as_deref(), Some(FLEX_SNAPSHOT));
    server.inject(Fault::changed(
        "getFlexBackupSnapshot",
        "/status",
        json!("FAILED"),
    ));
    let failed = client
        .wait_until_flex_snapshot_completed(GROUP_ID, FLEX_CLUSTER, FLEX_SNAPSHOT)
        .policy(quick(Duration::from_secs(5)))
        .wait()
        .await
        .unwrap_err();
    assert!(
        matches!(&failed, WaitError::Failed { state, .. } if state == r#"status = "FAILED""#),
        "{failed:?}"
    );
}

/// The curated spec has no 202, so a spec of its own shows the runtime path the generated
/// `send()` of a 202 operation takes: the body is decoded, the status kept.
#[tokio::test]
async fn a_202_answer_decodes_its_body_and_keeps_its_status() {
    use atlas_snapshots_runtime::__private::{HttpMethod, MediaVersion, OperationInfo, Request};
    use workspace_tests::Spec;
    let error = |status: u16, code: &str| json!({"content": {"application/json": {"example": {"error": status, "errorCode": code}}}});
    let doc = json!({
        "paths": {"/api/jobs": {"post": {
            "operationId": "startJob",
            "responses": {"202": {"content": {"application/json": {
                "example": {"id": "j1", "state": "queued"}
            }}}}
        }}},
        "components": {"responses": {
            "unauthorized": error(401, "UNAUTHORIZED"),
            "notFound": error(404, "RESOURCE_NOT_FOUND"),
        }}
    });
    let spec: &'static Spec = Box::leak(Box::new(Spec::from_document(&doc).unwrap()));
    assert_eq!(spec.operation("startJob").status, 202);
    static START_JOB: OperationInfo = OperationInfo {
        id: "startJob",
        method: HttpMethod::Post,
        path: "/api/jobs",
        responses: &[MediaVersion {
            version: None,
            media_type: "application/json",
            sunset: None,
        }],
        requests: &[],
        auth: &[],
        params: &[],
        deprecation: None,
    };
    let server = StandIn::builder().spec(spec).start().await;
    let client = client(&server);
    let accepted = Request::new(&client, &START_JOB)
        .send::<Value, Value>()
        .await
        .expect("a 202 is a success");
    assert_eq!(accepted.status().as_u16(), 202);
    assert_eq!(*accepted.body(), json!({"id": "j1", "state": "queued"}));
}
