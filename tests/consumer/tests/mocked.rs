//! This crate's code tested as its authors would test it: against the client's typed mocks
//! (`atlas-snapshots` with the `mock` feature), with answers built by the model builders and
//! errors named by their `ErrorCode`. No stand-in server and no JSON written by hand.

use atlas_snapshots::mock::MockServer;
use atlas_snapshots::models::{
    DiskBackupReplicaSet, DiskBackupSnapshot, DiskBackupSnapshotRestoreJob, ErrorCode,
    FlexBackupSnapshot20241113, PaginatedCloudBackupReplicaSet,
};
use atlas_snapshots::WaitPolicy;
use chrono::{DateTime, Duration, Utc};
use snapshot_consumer::lifecycle::{self, Plan, Step};
use snapshot_consumer::{
    latest_completed_snapshot_or_none, latest_completed_snapshot_paged, SnapshotError,
};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const FLEX: &str = "analytics-flex";
const CLUSTER: &str = "orders";
const SNAPSHOT: &str = "68170289f1a2b3c4d5e60c22";
const JOB: &str = "68170289f1a2b3c4d5e60c99";

fn at(hours: i64) -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH + Duration::hours(hours)
}

fn flex_snapshot(
    id: &str,
    status: &str,
    finished: Option<DateTime<Utc>>,
) -> FlexBackupSnapshot20241113 {
    let snapshot = FlexBackupSnapshot20241113::new()
        .with_id(id.to_owned())
        .with_status(status.to_owned());
    match finished {
        Some(time) => snapshot.with_finish_time(time),
        None => snapshot,
    }
}

#[tokio::test]
async fn the_latest_completed_snapshot_is_found_across_pages() {
    let mock = MockServer::start().await;
    let snapshots = vec![
        flex_snapshot("a00000000000000000000001", "COMPLETED", Some(at(1))),
        flex_snapshot("a00000000000000000000002", "COMPLETED", Some(at(5))),
        flex_snapshot("a00000000000000000000003", "QUEUED", None),
        flex_snapshot("a00000000000000000000004", "COMPLETED", Some(at(3))),
        flex_snapshot("a00000000000000000000005", "FAILED", Some(at(9))),
    ];
    // Two per page: three requests, each answered with its slice and the total count.
    mock.list_flex_backup_snapshots(GROUP, FLEX)
        .times(3)
        .responds_items(snapshots)
        .await;

    let latest = latest_completed_snapshot_paged(&mock.client(), GROUP, FLEX, 2)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(latest.id, "a00000000000000000000002");
    assert_eq!(latest.finished_at, at(5));
    assert!(mock.violations().is_empty());
}

#[tokio::test]
async fn a_cluster_atlas_does_not_know_has_no_latest_snapshot() {
    let mock = MockServer::start().await;
    mock.list_flex_backup_snapshots(GROUP, FLEX)
        .fails(ErrorCode::ResourceNotFound)
        .await;
    let client = mock.client();
    assert_eq!(
        latest_completed_snapshot_or_none(&client, GROUP, FLEX)
            .await
            .unwrap(),
        None
    );

    // Any other error still reaches the caller, with its code and the status the spec gives it.
    let mock = MockServer::start().await;
    mock.list_flex_backup_snapshots(GROUP, FLEX)
        .fails(ErrorCode::RateLimited)
        .await;
    let client = mock
        .client_builder()
        .bearer_token("token")
        .retry_policy(atlas_snapshots::RetryPolicy::disabled())
        .build()
        .unwrap();
    let Err(SnapshotError::Atlas(error)) =
        latest_completed_snapshot_or_none(&client, GROUP, FLEX).await
    else {
        panic!("a rate-limited list is an error");
    };
    assert_eq!(error.error_code(), Some(&ErrorCode::RateLimited));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
}

#[tokio::test]
async fn the_mock_asks_for_credentials_as_atlas_does() {
    let mock = MockServer::start().await;
    mock.list_flex_backup_snapshots(GROUP, FLEX)
        .responds_items(vec![flex_snapshot(SNAPSHOT, "COMPLETED", Some(at(2)))])
        .await;

    // No credentials: the 401 Atlas gives, and no answer.
    let anonymous = mock.client_builder().build().unwrap();
    let Err(SnapshotError::Atlas(error)) =
        latest_completed_snapshot_or_none(&anonymous, GROUP, FLEX).await
    else {
        panic!("a request without credentials is refused");
    };
    assert_eq!(error.error_code(), Some(&ErrorCode::Unauthorized));

    // An API key answers the mock's Digest challenge.
    let keyed = mock
        .client_builder()
        .digest_auth("public", "private")
        .build()
        .unwrap();
    let latest = latest_completed_snapshot_or_none(&keyed, GROUP, FLEX)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(latest.id, SNAPSHOT);
}

/// The workflow on [`CLUSTER`], polling every few milliseconds.
fn plan() -> Plan {
    Plan {
        group_id: GROUP.to_owned(),
        cluster: CLUSTER.to_owned(),
        restore_into: "orders-restored".to_owned(),
        keep_days: 7,
        shortened_days: 2,
        wait: WaitPolicy::new()
            .interval(std::time::Duration::from_millis(5))
            .deadline(std::time::Duration::from_secs(10)),
    }
}

#[tokio::test]
async fn the_whole_lifecycle_runs_against_the_mock() {
    let mock = MockServer::start().await;
    mock.take_snapshots(GROUP, CLUSTER)
        .times(1)
        .responds(DiskBackupSnapshot::ReplicaSet(Box::new(
            DiskBackupReplicaSet::new()
                .with_id(SNAPSHOT.to_owned())
                .with_status("queued".to_owned())
                .with_type("replicaSet".to_owned()),
        )))
        .await;
    // The waiter polls: still running once, then completed.
    let replica_set = |status: &str| {
        DiskBackupReplicaSet::new()
            .with_id(SNAPSHOT.to_owned())
            .with_status(status.to_owned())
    };
    mock.get_cluster_backup_snapshot(GROUP, CLUSTER, SNAPSHOT)
        .up_to(1)
        .responds(replica_set("inProgress"))
        .await;
    mock.get_cluster_backup_snapshot(GROUP, CLUSTER, SNAPSHOT)
        .responds(replica_set("completed"))
        .await;
    mock.update_backup_snapshot(GROUP, CLUSTER, SNAPSHOT)
        .responds(replica_set("completed").with_expires_at(at(48)))
        .await;
    mock.list_backup_snapshots(GROUP, CLUSTER)
        .responds(PaginatedCloudBackupReplicaSet::new(vec![replica_set(
            "completed",
        )]))
        .await;
    mock.create_backup_restore_job(GROUP, CLUSTER)
        .responds(DiskBackupSnapshotRestoreJob::new("automated".to_owned()).with_id(JOB.to_owned()))
        .await;
    mock.get_backup_restore_job(GROUP, CLUSTER, JOB)
        .responds(
            DiskBackupSnapshotRestoreJob::new("automated".to_owned())
                .with_id(JOB.to_owned())
                .with_finished_at(at(50)),
        )
        .await;
    mock.delete_cluster_backup_snapshot(GROUP, CLUSTER, SNAPSHOT)
        .times(1)
        .responds(())
        .await;

    let steps = lifecycle::run(&mock.client(), &plan(), |_| {})
        .await
        .unwrap();
    assert_eq!(
        steps.first(),
        Some(&Step::Taken {
            snapshot: SNAPSHOT.to_owned(),
            status: "queued".to_owned()
        })
    );
    assert!(steps.contains(&Step::RetentionShortened {
        snapshot: SNAPSHOT.to_owned(),
        expires: at(48).to_rfc3339(),
    }));
    assert_eq!(
        steps.last(),
        Some(&Step::Deleted {
            snapshot: SNAPSHOT.to_owned()
        })
    );
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}

#[tokio::test]
async fn a_failed_step_names_itself_and_keeps_the_steps_before_it() {
    let mock = MockServer::start().await;
    mock.take_snapshots(GROUP, CLUSTER)
        .fails(ErrorCode::ResourceNotFound)
        .await;
    let mut reported = Vec::new();
    let error = lifecycle::run(&mock.client(), &plan(), |step| reported.push(step.clone()))
        .await
        .unwrap_err();
    assert_eq!(error.step, "take the snapshot");
    assert!(reported.is_empty());
}

/// The export workflow against the typed mocks, when the export fails: the steps before it
/// stand, and the error names the wait and the failure state. The versioned answers (the
/// schedule, the bucket) are given as the JSON of their newest version.
#[tokio::test]
async fn a_failed_export_stops_the_export_workflow_at_its_wait() {
    use atlas_snapshots::models::{DiskBackupExportJob, DiskBackupExportJobState};
    use snapshot_consumer::export::{self, ExportPlan, ExportStep};

    const BUCKET: &str = "6821a3f4c2b1d0e9f8a7b601";
    const EXPORT: &str = "68172a10f2a3b4c5d6e70f61";
    let mock = MockServer::start().await;
    mock.update_backup_schedule(GROUP, CLUSTER)
        .responds(serde_json::json!({"autoExportEnabled": true, "policies": []}))
        .await;
    mock.create_export_bucket(GROUP)
        .responds(serde_json::json!({
            "_id": BUCKET,
            "bucketName": "acme-atlas-exports",
            "cloudProvider": "AWS",
            "iamRoleId": "6821a0b2c2b1d0e9f8a7b5f0"
        }))
        .await;
    let job = |state| {
        DiskBackupExportJob::new(BUCKET.to_owned())
            .with_id(EXPORT.to_owned())
            .with_state(state)
    };
    mock.create_backup_export(GROUP, CLUSTER)
        .responds(job(DiskBackupExportJobState::Queued))
        .await;
    mock.get_backup_export(GROUP, CLUSTER, EXPORT)
        .responds(job(DiskBackupExportJobState::Failed))
        .await;
    let plan = ExportPlan {
        group_id: GROUP.to_owned(),
        cluster: CLUSTER.to_owned(),
        snapshot: SNAPSHOT.to_owned(),
        bucket_name: "acme-atlas-exports".to_owned(),
        iam_role_id: "6821a0b2c2b1d0e9f8a7b5f0".to_owned(),
        wait: WaitPolicy::new().interval(std::time::Duration::from_millis(1)),
    };
    let mut reported = Vec::new();
    let error = export::run(&mock.client(), &plan, |step| reported.push(step.clone()))
        .await
        .expect_err("the export failed");
    assert_eq!(error.step, "wait for the export");
    assert!(error.to_string().contains("Failed"), "{error}");
    assert_eq!(
        reported,
        [
            ExportStep::ScheduleChanged { auto_export: true },
            ExportStep::BucketRegistered {
                bucket: BUCKET.to_owned()
            },
            ExportStep::ExportStarted {
                export: EXPORT.to_owned(),
                state: "Queued".to_owned()
            },
        ]
    );
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}
